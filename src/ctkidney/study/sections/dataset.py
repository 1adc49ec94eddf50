"""Study section ``dataset``: what the study runs on."""

import numpy as np

from ctkidney.study import SectionResult, Table, register_section

# Examples per class in the montage.
_MONTAGE_PER_CLASS = 4


def _montage(ds, path, rng):
    """Examples per class (rows), with kidney (green) and lesion (red) contours."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n_classes = len(ds.class_names)
    fig, axes = plt.subplots(n_classes, _MONTAGE_PER_CLASS,
                             figsize=(2.0 * _MONTAGE_PER_CLASS, 2.1 * n_classes), squeeze=False,
                             layout="constrained")
    for row, name in enumerate(ds.class_names):
        members = np.flatnonzero(ds.labels == row)
        chosen = np.sort(rng.choice(members, min(_MONTAGE_PER_CLASS, members.size),
                                    replace=False)) if members.size else []
        for col in range(_MONTAGE_PER_CLASS):
            ax = axes[row, col]
            ax.set_axis_off()
            if col >= len(chosen):
                continue
            i = chosen[col]
            image = ds.image(i)
            ax.imshow(image, cmap="gray", vmin=0 if image.dtype == np.uint8 else None,
                      vmax=255 if image.dtype == np.uint8 else None, interpolation="nearest")
            if ds.has_masks:
                for mask, color in ((ds.kidney_masks[i], "lime"), (ds.lesion_masks[i], "red")):
                    if mask.any():
                        ax.contour(mask.astype(float), levels=[0.5], colors=color,
                                   linewidths=0.8)
            ax.set_title(f"{name}: {ds.names[i]}", fontsize=7)
    fig.savefig(path, dpi=90)
    plt.close(fig)


@register_section("dataset", title="Dataset", order=0)
def run(ctx):
    """Class counts, image sizes, near-duplicate groups and a montage per class."""
    from ctkidney.data import DUPLICATE_THRESHOLD, thumbnails
    from ctkidney.data._split import link_thumbnails

    ds = ctx.dataset
    rng = ctx.rng("dataset")
    shapes = {}
    thumbs = []
    # One pass over the slices (a lazy Kaggle dataset is read once).
    for i in ctx.progress(range(len(ds)), desc="reading slices"):
        image = ds.image(i)
        shapes[image.shape] = shapes.get(image.shape, 0) + 1
        thumbs.append(thumbnails(image[None]))
    thumbs = np.concatenate(thumbs) if thumbs else np.zeros((0, 256), np.float32)
    volumes = getattr(ds, "volumes", None)
    if volumes is not None:
        # Slices of one CT volume are one patient: one group each.
        groups = np.asarray(ds.groups)
    else:
        groups = link_thumbnails(thumbs, DUPLICATE_THRESHOLD)
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
        tables.append(Table(
            "CT volumes", ["volume", "voxels (Z, Y, X)", "spacing mm (dz, dy, dx)",
                           "HU range", "slices used", "class known"],
            [[v["name"], "x".join(map(str, v["shape"])),
              ", ".join(f"{s:g}" for s in v["spacing_mm"]),
              f"{v['hu_range'][0]:g}..{v['hu_range'][1]:g}", v["slices_used"],
              "yes" if v["label_known"] else "no (Normal)"] for v in volumes],
            note="the slices of one volume share one group"))

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
