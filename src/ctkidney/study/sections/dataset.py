"""Study section ``dataset``: what the study runs on."""

import numpy as np

from ctkidney.study import SectionResult, Table, register_section
from ctkidney.study._plotting import draw_contours, figure_grid, hide_axes, save_figure, show_image
from ctkidney.study._registry import group_origin

# Examples per class in the montage.
_MONTAGE_PER_CLASS = 4


def _montage(ds, path, rng):
    """Examples per class (rows), with kidney (green) and lesion (red) contours."""
    fig, axes = figure_grid(len(ds.class_names), _MONTAGE_PER_CLASS, cell=(2.0, 2.1))
    hide_axes(axes)
    for row, name in enumerate(ds.class_names):
        members = np.flatnonzero(ds.labels == row)
        chosen = np.sort(rng.choice(members, min(_MONTAGE_PER_CLASS, members.size),
                                    replace=False)) if members.size else []
        for ax, i in zip(axes[row], chosen):
            image = ds.image(i)
            eight_bit = image.dtype == np.uint8
            show_image(ax, image, f"{name}: {ds.names[i]}", vmin=0 if eight_bit else None,
                       vmax=255 if eight_bit else None)
            if ds.has_masks:
                draw_contours(ax, [(ds.kidney_masks[i], "lime"), (ds.lesion_masks[i], "red")])
    save_figure(fig, path)


def _shapes_and_groups(ctx, ds):
    """Slices per image shape, and the group of each slice: its CT volume for volume
    data, its near-duplicate group in the whole folder for slices the study drew
    from a Kaggle folder, else its near-duplicate group (one pass over the slices: a
    lazy Kaggle dataset is read once)."""
    from ctkidney.data import DUPLICATE_THRESHOLD, thumbnails
    from ctkidney.data._split import link_thumbnails

    shapes = {}
    thumbs = []
    for i in ctx.progress(range(len(ds)), desc="reading slices"):
        image = ds.image(i)
        shapes[image.shape] = shapes.get(image.shape, 0) + 1
        thumbs.append(thumbnails(image[None]))
    thumbs = np.concatenate(thumbs) if thumbs else np.zeros((0, 256), np.float32)
    origin = group_origin(ds)
    if origin == "volumes":
        # Slices of one CT volume are one patient: one group each.
        groups = np.asarray(ds.groups)
    elif origin == "folder":
        # Slices the study drew from a Kaggle folder keep the folder's groups.
        groups = np.unique(ds.groups, return_inverse=True)[1]
    else:
        groups = link_thumbnails(thumbs, DUPLICATE_THRESHOLD)
    return shapes, groups


def _volume_table(volumes):
    """One row per CT volume: shape, spacing, HU range, slices used."""
    return Table(
        "CT volumes", ["volume", "voxels (Z, Y, X)", "spacing mm (dz, dy, dx)",
                       "HU range", "slices used", "class known"],
        [[v["name"], "x".join(map(str, v["shape"])),
          ", ".join(f"{s:g}" for s in v["spacing_mm"]),
          f"{v['hu_range'][0]:g}..{v['hu_range'][1]:g}", v["slices_used"],
          "yes" if v["label_known"] else "no (Normal)"] for v in volumes],
        note="the slices of one volume share one group")


@register_section("dataset", title="Dataset", order=0)
def run(ctx):
    """Class counts, image sizes, near-duplicate groups and a montage per class."""
    from ctkidney.data import DUPLICATE_THRESHOLD

    ds = ctx.dataset
    rng = ctx.rng("dataset")
    shapes, groups = _shapes_and_groups(ctx, ds)
    volumes = getattr(ds, "volumes", None)
    n_groups = int(groups.max()) + 1 if groups.size else 0
    group_sizes = np.bincount(groups) if groups.size else np.zeros(0, int)
    largest = int(group_sizes.max()) if group_sizes.size else 0

    counts = ds.class_counts()
    rows = []
    for cls, name in enumerate(ds.class_names):
        members = ds.labels == cls
        class_groups = np.unique(groups[members]).size if members.any() else 0
        rows.append([name, counts[name], class_groups])
    rows.append(["total", len(ds), n_groups])
    if volumes is not None:
        table = Table("Slices per class", ["class", "slices", "volumes"], rows,
                      note=f"groups: one per CT volume; largest {largest} slices")
    else:
        table = Table("Slices per class", ["class", "slices", "near-duplicate groups"], rows,
                      note=f"near-duplicates: normalised 16x16 thumbnails closer than "
                           f"{DUPLICATE_THRESHOLD} (RMS, in standard deviations); "
                           f"largest group {largest} slices")
    size_rows = [[f"{s[0]}x{s[1]}", c] for s, c in sorted(shapes.items(), key=lambda kv: -kv[1])]
    sizes = Table("Image sizes", ["rows x cols", "slices"], size_rows)

    tables = [table, sizes]
    if volumes is not None:
        tables.append(_volume_table(volumes))
    figures = []
    if len(ds):
        path = ctx.figure_path("dataset_montage.png")
        _montage(ds, path, rng)
        caption = "Examples per class" + (
            " (kidney contour green, lesion red)" if ds.has_masks else "")
        figures.append((caption, path.relative_to(ctx.out_dir)))

    masks = "with ground-truth kidney and lesion masks" if ds.has_masks \
        else "without masks"
    kind = "CT volumes" if volumes is not None else "near-duplicate groups"
    notes = [f"{len(ds)} slices, {n_groups} {kind} (largest {largest}), {masks}."]
    data = {
        "class_counts": counts,
        "image_sizes": {f"{s[0]}x{s[1]}": c for s, c in shapes.items()},
        "n_groups": n_groups,
        "largest_group": largest,
        "duplicate_threshold": DUPLICATE_THRESHOLD,
        "has_masks": bool(ds.has_masks),
    }
    if volumes is not None:
        data["volumes"] = volumes
        notes += [f"{v['name']}: {w}" for v in volumes for w in v["warnings"]]
        skipped = getattr(ds, "skipped_volumes", [])
        if skipped:
            notes.append(f"Skipped as label maps (no value below 0 HU): {', '.join(skipped)}.")
    return SectionResult(tables=tables, figures=figures, notes=notes, data=data)
