"""Study section ``segmentation``: lesion and kidney overlap per family and per class."""

import numpy as np

from ctkidney.study import SectionResult, Table, register_section

#: The seed study's best lesion IoU (watershed), reported beside ours.
SEED_BEST_IOU = 0.6789

_FAMILIES = ("threshold", "kmeans", "region", "watershed", "edge")
_LESIONS = ("Cyst", "Stone", "Tumor")
# Slices per class scored in quick mode (the whole section must stay ~10 s).
_QUICK_PER_CLASS = 8


def _figure(path, examples):
    """One slice per lesion class: each method's contour against the ground truth."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colours = dict(zip(("recipe",) + _FAMILIES,
                       ("cyan", "orange", "magenta", "yellow", "lime", "deepskyblue")))
    fig, axes = plt.subplots(1, len(examples), figsize=(3.4 * len(examples), 3.8),
                             squeeze=False, layout="constrained")
    for ax, (kind, image, truth, masks) in zip(axes[0], examples):
        rows, cols = np.nonzero(truth) if truth.any() else np.nonzero(np.ones_like(truth))
        half = max(12, int(0.6 * max(np.ptp(rows), np.ptp(cols))) + 10)
        r0, c0 = int(rows.mean()), int(cols.mean())
        window = (slice(max(r0 - half, 0), r0 + half), slice(max(c0 - half, 0), c0 + half))
        ax.imshow(image[window], cmap="gray", vmin=0, vmax=255, interpolation="nearest")
        ax.contour(truth[window].astype(float), levels=[0.5], colors="red", linewidths=1.6)
        for name, mask in masks.items():
            if mask[window].any():
                ax.contour(mask[window].astype(float), levels=[0.5], colors=colours[name],
                           linewidths=0.9)
        ax.set_title(kind, fontsize=9)
        ax.set_axis_off()
    handles = [plt.Line2D([], [], color="red", label="ground truth")] + [
        plt.Line2D([], [], color=c, label=n) for n, c in colours.items()]
    fig.legend(handles=handles, loc="outside lower center", ncol=4, fontsize=7)
    fig.savefig(path, dpi=90)
    plt.close(fig)


@register_section("segmentation", title="Segmentation", order=50)
def run(ctx):
    """Lesion and kidney IoU/Dice per class for the five families and the recipes."""
    from ctkidney.metrics import dice, iou
    from ctkidney.segmentation import segment_kidney, segment_lesion

    ds = ctx.dataset
    if not ds.has_masks:
        note = ("The dataset has no kidney or lesion masks, so segmentation cannot be "
                "scored: run the study on phantoms (no --data) or give annotated masks.")
        return SectionResult(notes=[note], data={"skipped": True})
    rng = ctx.rng("segmentation")
    chosen = []
    for cls, name in enumerate(ds.class_names):
        members = np.flatnonzero(ds.labels == cls)
        if ctx.quick and members.size > _QUICK_PER_CLASS:
            members = np.sort(rng.choice(members, _QUICK_PER_CLASS, replace=False))
        chosen.extend((int(i), name) for i in members)

    methods = ("recipe",) + _FAMILIES
    lesion = {(m, k): ([], []) for m in methods for k in _LESIONS}
    kidney = {}
    examples = {}
    for i, name in ctx.progress(chosen, desc="segmenting"):
        image = ds.image(i)
        found = segment_kidney(image)
        truth_kidney = ds.kidney_masks[i]
        kidney.setdefault(name, ([], []))
        kidney[name][0].append(iou(truth_kidney, found))
        kidney[name][1].append(dice(truth_kidney, found))
        if name not in _LESIONS:
            continue
        truth = ds.lesion_masks[i]
        masks = {}
        for method in methods:
            mask = segment_lesion(image, name, kidney_mask=found,
                                  method=None if method == "recipe" else method)
            masks[method] = mask
            lesion[method, name][0].append(iou(truth, mask))
            lesion[method, name][1].append(dice(truth, mask))
        if name not in examples and truth.any():
            examples[name] = (name, image, truth, masks)

    def mean(values):
        return float(np.mean(values)) if values else float("nan")

    columns = ["method"] + [f"{k} {s}" for k in _LESIONS for s in ("IoU", "Dice")] + \
        ["mean IoU", "mean Dice"]
    rows, data = [], {"lesion": {}, "kidney": {}}
    for method in methods:
        cells, ious, dices = [], [], []
        for kind in _LESIONS:
            i_values, d_values = lesion[method, kind]
            cells += [mean(i_values), mean(d_values)]
            ious += i_values
            dices += d_values
        label = "recipe (default family per kind)" if method == "recipe" else method
        rows.append([label] + cells + [mean(ious), mean(dices)])
        data["lesion"][method] = {kind: {"iou": mean(lesion[method, kind][0]),
                                         "dice": mean(lesion[method, kind][1]),
                                         "n": len(lesion[method, kind][0])}
                                  for kind in _LESIONS}
        data["lesion"][method]["mean_iou"] = mean(ious)
    rows.append(["seed study (watershed)"] + [""] * (2 * len(_LESIONS)) + [SEED_BEST_IOU, ""])
    lesion_table = Table(
        "Lesion segmentation (inside the kidneys found by segment_kidney)", columns, rows,
        note="Each family delineates the lesion from the same kidney mask "
             "(segment_lesion(image, kind, method=...)); the recipe row uses the default "
             f"family per kind. The seed study's best lesion IoU was {SEED_BEST_IOU} "
             "(watershed, on its own data).")
    kidney_rows = []
    all_i, all_d = [], []
    for name in ds.class_names:
        if name in kidney:
            kidney_rows.append([name, mean(kidney[name][0]), mean(kidney[name][1]),
                                len(kidney[name][0])])
            all_i += kidney[name][0]
            all_d += kidney[name][1]
            data["kidney"][name] = {"iou": mean(kidney[name][0]),
                                    "dice": mean(kidney[name][1])}
    kidney_rows.append(["all", mean(all_i), mean(all_d), len(all_i)])
    data["kidney"]["mean_iou"] = mean(all_i)
    kidney_table = Table("Kidney segmentation (segment_kidney)",
                         ["class", "IoU", "Dice", "slices"], kidney_rows)
    figures = []
    if examples:
        path = ctx.figure_path("segmentation_methods.png")
        _figure(path, [examples[k] for k in _LESIONS if k in examples])
        figures.append(("One slice per lesion class: ground truth (red) and each method's "
                        "lesion contour", path.relative_to(ctx.out_dir)))
    best = max(methods, key=lambda m: data["lesion"][m]["mean_iou"])
    notes = [f"Best lesion family: {best} (mean IoU "
             f"{data['lesion'][best]['mean_iou']:.4f}; seed study {SEED_BEST_IOU}). "
             f"Kidney mean IoU {data['kidney']['mean_iou']:.4f} on {len(all_i)} slices."]
    return SectionResult(tables=[lesion_table, kidney_table], figures=figures, notes=notes,
                         data=data)
