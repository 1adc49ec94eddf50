"""Study section ``segmentation``: lesion and kidney overlap per family and per class."""

import numpy as np

from ctkidney.study import SectionResult, Table, register_section
from ctkidney.study._plotting import (
    draw_contours,
    figure_grid,
    hide_axes,
    legend_lines,
    save_figure,
    show_image,
)

#: The seed study's best lesion IoU (watershed), reported beside ours.
SEED_BEST_IOU = 0.6789

_FAMILIES = ("threshold", "kmeans", "region", "watershed", "edge")
_LESIONS = ("Cyst", "Stone", "Tumor")
# Slices per class scored in quick mode (the whole section must stay ~10 s).
_QUICK_PER_CLASS = 8
# Real slices without masks: slices per class segmented (quick, full), and
# slices per class in the overlay figure.
_UNSCORED_PER_CLASS = (4, 40)
_FIGURE_PER_CLASS = 2


def _unscored(ctx, segment_kidney, segment_lesion):
    """Real slices without masks: how often a kidney and a lesion are found, and a figure."""
    from ctkidney.data import orientation

    ds = ctx.dataset
    rng = ctx.rng("segmentation")
    per_class = _UNSCORED_PER_CLASS[0 if ctx.quick else 1]
    chosen = []
    for cls, name in enumerate(ds.class_names):
        members = np.flatnonzero(ds.labels == cls)
        if members.size > per_class:
            members = np.sort(rng.choice(members, per_class, replace=False))
        chosen.extend((int(i), name) for i in members)
    counts = {}
    examples = {}
    for i, name in ctx.progress(chosen, desc="segmenting"):
        image = ds.image(i)
        plane = orientation(image)
        kidney = segment_kidney(image)
        lesion = (segment_lesion(image, name, kidney_mask=kidney)
                  if name in _LESIONS and kidney.any() else np.zeros(image.shape, bool))
        row = counts.setdefault((name, plane), [0, 0, 0])
        row[0] += 1
        row[1] += int(kidney.any())
        row[2] += int(lesion.any())
        examples.setdefault(name, [])
        if len(examples[name]) < _FIGURE_PER_CLASS and kidney.any():
            examples[name].append((f"{name} ({plane})", image, kidney, lesion))
    rows, data = [], {"scored": False, "counts": {}}
    for (name, plane), (n, kidneys, lesions) in sorted(counts.items()):
        rows.append([name, plane, n, kidneys, lesions if name in _LESIONS else ""])
        data["counts"][f"{name}/{plane}"] = {"slices": n, "kidney": kidneys,
                                             "lesion": lesions}
    table = Table("Real slices without masks: slices where the recipes found something",
                  ["class", "plane", "slices", "with a kidney", "with a lesion of the class"],
                  rows, note="No masks: nothing can be scored. A kidney or lesion found is "
                             "not necessarily right: see the figure.")
    figures = []
    panels = [e for name in ds.class_names for e in examples.get(name, [])]
    if panels:
        path = ctx.figure_path("segmentation_real_overlays.png")
        _overlay_figure(path, panels)
        figures.append(("Real slices: the kidneys (cyan) and the lesion of the slice's class "
                        "(magenta) found by the recipes", path.relative_to(ctx.out_dir)))
    total = sum(v[0] for v in counts.values())
    found = sum(v[1] for v in counts.values())
    notes = ["The dataset has no kidney or lesion masks, so segmentation is not scored: "
             f"a kidney was found on {found} of {total} slices (run the study on phantoms, "
             "or see benchmarks/real_data.py for scores on real slices with masks)."]
    return SectionResult(tables=[table], figures=figures, notes=notes, data=data)


def _overlay_figure(path, panels):
    """Real slices with the recipes' kidney and lesion contours."""
    n_cols = min(4, len(panels))
    n_rows = (len(panels) + n_cols - 1) // n_cols
    fig, axes = figure_grid(n_rows, n_cols, cell=(2.8, 2.9))
    hide_axes(axes)
    for ax, (title, image, kidney, lesion) in zip(axes.ravel(), panels):
        show_image(ax, image, title, fontsize=8)
        draw_contours(ax, [(kidney, "cyan"), (lesion, "magenta")])
    save_figure(fig, path)


def _figure(path, examples):
    """One slice per lesion class: each method's contour against the ground truth."""
    colours = dict(zip(("recipe",) + _FAMILIES,
                       ("cyan", "orange", "magenta", "yellow", "lime", "deepskyblue")))
    fig, axes = figure_grid(1, len(examples), cell=(3.4, 3.8))
    for ax, (kind, image, truth, masks) in zip(axes[0], examples):
        rows, cols = np.nonzero(truth) if truth.any() else np.nonzero(np.ones_like(truth))
        half = max(12, int(0.6 * max(np.ptp(rows), np.ptp(cols))) + 10)
        r0, c0 = int(rows.mean()), int(cols.mean())
        window = (slice(max(r0 - half, 0), r0 + half), slice(max(c0 - half, 0), c0 + half))
        show_image(ax, image[window], kind, vmin=0, vmax=255, fontsize=9)
        draw_contours(ax, [(truth[window], "red")], linewidth=1.6)
        draw_contours(ax, [(mask[window], colours[name]) for name, mask in masks.items()],
                      linewidth=0.9)
    handles = legend_lines({"ground truth": "red", **colours})
    fig.legend(handles=handles, loc="outside lower center", ncol=4, fontsize=7)
    save_figure(fig, path)


@register_section("segmentation", title="Segmentation", order=50)
def run(ctx):
    """Lesion and kidney IoU/Dice per class for the five families and the recipes;
    on real slices without masks, how often a kidney and a lesion are found."""
    from ctkidney.metrics import dice, iou
    from ctkidney.segmentation import segment_kidney, segment_lesion

    ds = ctx.dataset
    if not ds.has_masks:
        return _unscored(ctx, segment_kidney, segment_lesion)
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
