"""Study section ``enhancement``: every enhancement method of the seed study (and
the CT classics) on the dataset, scored by SSIM, lesion CNR and entropy."""

import numpy as np

from ctkidney.study import SectionResult, Table, register_section
from ctkidney.study._plotting import box, figure_grid, hide_axes, save_figure, show_image

#: SSIM(original, enhanced) the seed study reported (its best method).
SEED_SSIM = {"histogram equalization": 0.9398}

#: An asymmetric (emboss) kernel: convolution and correlation differ on it.
EMBOSS = np.array([[-2.0, -1.0, 0.0], [-1.0, 1.0, 1.0], [0.0, 1.0, 2.0]])


def _methods(reference):
    """Name -> function of a uint8 slice returning a uint8 slice."""
    from ctkidney import enhancement as enh
    from ctkidney._shared.validation import saturate

    def response(func):
        return lambda x: saturate(func(x), np.uint8)

    return {
        "histogram equalization": enh.equalize_hist,
        "histogram equalization (body mask)": lambda x: enh.equalize_hist(x, mask=x > 0),
        "histogram matching": lambda x: enh.match_hist(x, reference),
        "CLAHE (clip 2, 8x8)": enh.clahe,
        "contrast stretch (2-98 %)": enh.stretch_contrast,
        "gamma 0.7": lambda x: enh.gamma_correct(x, 0.7),
        "log transform": enh.log_transform,
        "convolution (emboss)": response(lambda x: enh.convolve(x, EMBOSS)),
        "correlation (emboss)": response(lambda x: enh.correlate(x, EMBOSS)),
        "mean 3x3": enh.mean_filter,
        "Gaussian sigma 1": lambda x: enh.gaussian_filter(x, 1.0),
        "Laplacian sharpening": enh.sharpen_laplacian,
        "unsharp mask (sigma 1, amount 1)": enh.unsharp_mask,
        "low-pass Butterworth 0.15": lambda x: enh.lowpass(x, 0.15, kind="butterworth"),
        "low-pass Gaussian 0.15": lambda x: enh.lowpass(x, 0.15),
        "high-pass emphasis (x + HP Gaussian 0.05)": response(
            lambda x: x + enh.highpass(x, 0.05)),
    }


def _lesion_indices(ds):
    """Slices with a lesion mask and kidney tissue around it."""
    if not ds.has_masks:
        return []
    out = []
    for i in range(len(ds)):
        lesion = np.asarray(ds.lesion_masks[i], bool)
        background = np.asarray(ds.kidney_masks[i], bool) & ~lesion
        if lesion.sum() >= 4 and background.sum() >= 4:
            out.append(i)
    return out


def _mean_sd(values):
    values = np.asarray(values, np.float64)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return float("nan"), float("nan")
    return float(values.mean()), float(values.std())


def _figure(path, image, outputs, lesion):
    rows_idx, cols_idx = np.nonzero(lesion)
    margin = max(6, int(0.6 * max(np.ptp(rows_idx), np.ptp(cols_idx))))
    r0, r1 = max(rows_idx.min() - margin, 0), min(rows_idx.max() + margin, image.shape[0] - 1)
    c0, c1 = max(cols_idx.min() - margin, 0), min(cols_idx.max() + margin, image.shape[1] - 1)
    # The inset goes in the corner opposite the lesion, so that it hides nothing.
    inset_x = 0.0 if cols_idx.mean() > image.shape[1] / 2 else 0.58
    inset_y = 0.58 if rows_idx.mean() > image.shape[0] / 2 else 0.0
    panels = [("original", image)] + list(outputs.items())
    ncols = 6
    fig, axes = figure_grid(-(-len(panels) // ncols), ncols, cell=(2.3, 2.5), layout="tight")
    hide_axes(axes)
    for ax, (name, img) in zip(axes.ravel(), panels):
        show_image(ax, img, name, vmin=0, vmax=255, interpolation=None,
                   fontsize=6.5)
        inset = ax.inset_axes([inset_x, inset_y, 0.42, 0.42])
        show_image(inset, img[r0:r1 + 1, c0:c1 + 1], vmin=0, vmax=255,
                   interpolation=None, axis=True)
        inset.set_xticks([])
        inset.set_yticks([])
        for spine in inset.spines.values():
            spine.set_edgecolor("yellow")
        box(ax, (r0, r1), (c0, c1))
    save_figure(fig, path, dpi=110)


def _cell(values, digits=4):
    mean, sd = _mean_sd(values)
    return "n/a" if np.isnan(mean) else f"{mean:.{digits}f} ± {sd:.{digits}f}"


def _score(ctx, ds, chosen, lesion_ids, methods):
    """SSIM to the original, entropy, and (on lesion slices) CNR and its gain, per
    method; and the original's CNR and entropy."""
    from ctkidney.metrics import contrast_to_noise, entropy, ssim

    scores = {name: {"ssim": [], "cnr": [], "gain": [], "entropy": []} for name in methods}
    baseline = {"cnr": [], "entropy": []}
    for i in ctx.progress(chosen, desc="enhancement"):
        image = np.asarray(ds.image(i))
        if i in lesion_ids:
            lesion = np.asarray(ds.lesion_masks[i], bool)
            background = np.asarray(ds.kidney_masks[i], bool) & ~lesion
            cnr0 = contrast_to_noise(image, lesion, background)
            baseline["cnr"].append(cnr0)
        baseline["entropy"].append(entropy(image))
        for name, method in methods.items():
            out = method(image)
            row = scores[name]
            row["ssim"].append(ssim(image, out))
            row["entropy"].append(entropy(out))
            if i in lesion_ids:
                cnr = contrast_to_noise(out, lesion, background)
                row["cnr"].append(cnr)
                row["gain"].append(cnr / cnr0 if cnr0 > 0 else float("nan"))
    return scores, baseline


def _example(ctx, ds, lesion_list, methods):
    """The figure: the slice with the largest lesion through every method."""
    figures = []
    if lesion_list:
        sizes = [np.asarray(ds.lesion_masks[i], bool).sum() for i in lesion_list]
        shown = lesion_list[int(np.argmax(sizes))]
        image = np.asarray(ds.image(shown))
        outputs = {name: method(image) for name, method in methods.items()}
        path = ctx.figure_path("enhancement_methods.png")
        _figure(path, image, outputs, np.asarray(ds.lesion_masks[shown], bool))
        figures.append((f"Slice {ds.names[shown]} through every method (inset: the lesion).",
                        path.relative_to(ctx.out_dir)))
    return figures


@register_section("enhancement", title="Enhancement", order=20)
def run(ctx):
    """Every enhancement method: SSIM to the original, lesion-to-kidney CNR and
    its gain, and entropy (mean +- sd per method)."""
    ds = ctx.dataset
    rng = ctx.rng("enhancement")
    n = len(ds)
    limit = 24 if ctx.quick else 120
    chosen = np.sort(rng.choice(n, size=min(n, limit), replace=False))
    lesion_ids = set(_lesion_indices(ds))
    normal = [i for i in range(n) if ds.class_names[ds.labels[i]] == "Normal"]
    reference_index = normal[0] if normal else 0
    reference = np.asarray(ds.image(reference_index))
    methods = _methods(reference)

    scores, baseline = _score(ctx, ds, chosen, lesion_ids, methods)
    columns = ["method", "SSIM", "seed SSIM", "CNR", "CNR gain", "entropy (bits)"]
    rows = [["original", "1.0000 ± 0.0000", "", _cell(baseline["cnr"], 2), "1.00 ± 0.00",
             _cell(baseline["entropy"], 3)]]
    summary = {}
    for name, row in scores.items():
        rows.append([name, _cell(row["ssim"]), SEED_SSIM.get(name, ""), _cell(row["cnr"], 2),
                     _cell(row["gain"], 2), _cell(row["entropy"], 3)])
        summary[name] = {key: dict(zip(("mean", "sd"), _mean_sd(values)))
                         for key, values in row.items()}
    best_ssim = max(summary, key=lambda k: summary[k]["ssim"]["mean"])
    gains = {k: v["gain"]["mean"] for k, v in summary.items() if np.isfinite(v["gain"]["mean"])}
    best_gain = max(gains, key=gains.get) if gains else None
    lesion_list = [i for i in chosen if i in lesion_ids]
    n_lesions = len(lesion_list)
    note = (f"{len(chosen)} slices ({n_lesions} with a lesion for CNR); CNR = |mean(lesion) - "
            "mean(kidney minus lesion)| / sd(kidney minus lesion); gain = CNR(enhanced) / "
            "CNR(original), per slice. Histogram matching uses a Normal slice as reference.")
    table = Table("Enhancement methods (mean ± sd over slices)", columns, rows, note=note)

    figures = _example(ctx, ds, lesion_list, methods)
    notes = [
        f"SSIM against the original rewards doing little: the highest SSIM is "
        f"**{best_ssim}** ({summary[best_ssim]['ssim']['mean']:.4f}); the seed study "
        f"reported histogram equalization best with 0.9398.",
    ]
    if best_gain is not None:
        worst_gain = min(gains, key=gains.get)
        notes.append(f"CNR tells another story: the largest lesion-to-kidney CNR gain is "
                     f"**{best_gain}** (x{gains[best_gain]:.2f}), the smallest "
                     f"**{worst_gain}** (x{gains[worst_gain]:.2f}).")
    else:
        notes.append("No lesion masks in this dataset: CNR is not available.")
    data = {"n_slices": int(len(chosen)), "n_lesion_slices": int(n_lesions),
            "reference_slice": ds.names[reference_index], "methods": summary,
            "original": {k: dict(zip(("mean", "sd"), _mean_sd(v))) for k, v in baseline.items()},
            "seed_ssim": SEED_SSIM, "best_ssim": best_ssim, "best_cnr_gain": best_gain}
    return SectionResult(tables=[table], figures=figures, notes=notes, data=data)
