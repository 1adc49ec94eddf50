"""Score the segmentation recipes on real CT slices with masks, and on phantoms.

Not an asv suite (it defines no ``time_``/``track_`` names): a script that prints
one table per source, with the numbers of the user guide's "How good are the
recipes?" section.

    python benchmarks/real_data.py [--root PATH] [--phantoms N] [--skip-phantoms]
    python benchmarks/real_data.py --figure docs/_build/real_slices.png

The real data is read from ``--root`` (default ``$CTKIDNEY_REALDATA`` or
``../shared/realdata``; see ``benchmarks/_realdata.py``); a source that is absent
is skipped with a message, and the script exits 0 when there is no real data
at all. Sources:

- ``kits19/``: KiTS19 axial slices whose pixel value is HU clipped to [0, 255],
  with masks 1 kidney, 2 tumour, scored in three forms (a table each, as the
  users may feed them): as HU maps (0 inside the body, the non-zero pixels
  closed by 7 px, holes filled, read as fat at -100 HU, 0 outside it as air at
  -1000 HU), as the files are (uint8, fat and air both 0), and on the
  abdominal window (p > 0 to (p + 160) / 400 * 255, 0 staying 0). Kidney IoU
  and Dice count kidney and tumour together; tumour IoU is over the slices
  with a tumour.
- ``stone_pseudomask/``: Kaggle stone slices at 512 px with model-predicted
  stone masks (binarised at > 127): stone object F1 (tolerance 2 px) and IoU.
- ``kaggle/``: every third Normal development slice (contrast-enhanced, no
  stone): how many get a "stone" from ``segment_lesion`` (false stones).
- ``totalseg/``: the TotalSegmentator example volume (3 mm voxels, HU), with
  its kidney labels (2, 3): every third axial slice that shows a kidney, with
  ``spacing=3``. Needs ``nibabel``; skipped without it.
- Slices that show no kidney (:func:`load_kidney_free`: the TotalSegmentator
  volume's other slices, its upper-abdomen DICOM series and the ``dicom_series``
  slices from the neck to the pelvis): how many get a kidney anyway.

Stress tests (``--skip-stress`` to leave them out): the real slices changed as
the held-out studies may differ from them (:data:`STRESS`): KiTS19 slices whose
field of view cuts the flanks, KiTS19 rotated in its plane (a patient lying
askew), KiTS19 with a pixel size given instead of estimated, and the Kaggle
stone and Normal slices under random window changes.

Phantoms: ``make_phantom`` slices of each class at 256 px (kidney IoU and Dice,
stone object F1, cyst and tumour IoU). Timing: ms per slice of
``segment_kidney`` plus ``segment_lesion`` at 256 and 512 px.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _realdata import realdata_root  # noqa: E402


def kits_hu(pixels):
    """A HU map from a KiTS19 slice stored as HU clipped to [0, 255] (see above)."""
    from scipy import ndimage

    yy, xx = np.mgrid[-7:8, -7:8]
    disk = yy ** 2 + xx ** 2 <= 49
    inside = ndimage.binary_fill_holes(
        ndimage.binary_closing(np.pad(pixels > 0, 8), disk))[8:-8, 8:-8]
    return np.where(pixels > 0, pixels.astype(np.float32),
                    np.where(inside, -100.0, -1000.0)).astype(np.float32)


def kits_window(pixels):
    """A KiTS19 slice on the abdominal window, as the data's README says: p > 0 to
    (p + 160) / 400 * 255, p = 0 (0 HU or less) to 0."""
    scaled = np.clip(np.rint((pixels.astype(np.float32) + 160.0) * (255.0 / 400.0)), 0, 255)
    return np.where(pixels > 0, scaled, 0).astype(np.uint8)


#: The forms a KiTS19 slice is given to the recipes in: as a HU map
#: (:func:`kits_hu`), as the file is (uint8, HU clipped to [0, 255]) and on the
#: abdominal window (:func:`kits_window`).
KITS_FORMS = {"HU map": kits_hu, "file as is": lambda p: p, "abdominal window": kits_window}


def load_kits(root, form="HU map"):
    """(name, image, kidney+tumour mask, tumour mask) per KiTS19 slice, the image
    in one of :data:`KITS_FORMS`."""
    from ctkidney.data import read_image

    folder = root / "kits19"
    out = []
    for path in sorted((folder / "images").glob("*.png")):
        mask = read_image(folder / "masks" / path.name)
        out.append((path.stem, KITS_FORMS[form](read_image(path)), mask > 0, mask == 2))
    return out


def load_stones(root):
    """(name, uint8 slice, stone mask) per Kaggle stone slice with a pseudo-mask."""
    from ctkidney.data import read_image

    folder = root / "stone_pseudomask"
    return [(p.stem, read_image(p), read_image(folder / "masks" / p.name) > 127)
            for p in sorted((folder / "images").glob("*.png"))]


def load_normal_kaggle(root, step=3):
    """(name, uint8 slice) for every ``step``-th Normal Kaggle slice (in file order)."""
    from ctkidney.data import read_image

    folders = [f for f in (root / "kaggle").rglob("Normal") if f.is_dir()]
    if not folders:
        return []
    paths = sorted(folders[0].glob("*.jpg"),
                   key=lambda p: (len(p.stem), p.stem))[::step]
    return [(p.stem, read_image(p)) for p in paths]


def score_false_stones(data):
    """How many slices without stones get one from ``segment_lesion``."""
    from ctkidney.morphology import label
    from ctkidney.segmentation import segment_lesion

    hit, objects = 0, 0
    for _, image in data:
        found = segment_lesion(image, "Stone")
        hit += bool(found.any())
        objects += label(found, connectivity=2)[1]
    return {"slices": len(data), "slices_with_a_stone": hit, "false_stones": objects}


def _totalseg_axial(root):
    """(z, HU slice, kidney mask) of every axial slice of the TotalSegmentator
    example volume (3 mm voxels; kidney labels 2 and 3). Needs ``nibabel``."""
    import nibabel

    folder = root / "totalseg"
    ct = np.asarray(nibabel.load(folder / "example_ct_sm.nii.gz").dataobj, np.float32)
    kidney = np.isin(np.asarray(nibabel.load(folder / "example_seg.nii.gz").dataobj), (2, 3))
    # RAS voxels: rotate so that anterior is up, as CT is displayed.
    return [(z, np.rot90(ct[:, :, z]).copy(), np.rot90(kidney[:, :, z]).copy())
            for z in range(ct.shape[2])]


def load_totalseg(root, step=3):
    """(name, HU slice, kidney mask) for every ``step``-th axial slice with a kidney."""
    return [(f"z{z}", hu, kidney) for z, hu, kidney in _totalseg_axial(root)[::step]
            if kidney.sum() >= 20]


def load_kidney_free(root):
    """(name, HU slice, pixel size in mm) of real slices that show no kidney.

    The TotalSegmentator example volume's axial slices without a kidney label,
    its contrast-enhanced upper-abdomen DICOM series (JPEG 2000: needs
    ``pylibjpeg`` and ``pylibjpeg-openjpeg``; skipped with a message without
    them) and the neck-to-pelvis ``dicom_series`` but for CT27, the one slice
    that shows the kidneys.
    """
    import pydicom

    from ctkidney.data import read_dicom, read_series

    out = []
    folder = root / "totalseg"
    if folder.is_dir():
        try:
            out += [(f"totalseg z{z}", hu, 3.0) for z, hu, kidney in _totalseg_axial(root)
                    if not kidney.any()]
        except ImportError:
            print("skipped kidney-free TotalSegmentator slices: nibabel is not installed")
    if (folder / "example_ct_dicom").is_dir():
        try:
            volume = read_series(folder / "example_ct_dicom")
        except (ImportError, ValueError) as error:
            print(f"skipped the TotalSegmentator DICOM series: {error}")
        else:
            out += [(f"upper abdomen {z}", volume.hu[z], float(volume.spacing[1]))
                    for z in range(volume.hu.shape[0])]
    for path in sorted((root / "dicom_series").glob("*.dcm")):
        if path.stem == "CT27":
            continue
        spacing = float(pydicom.dcmread(path, stop_before_pixels=True).PixelSpacing[0])
        out.append((path.stem, read_dicom(path), spacing))
    return out


def score_kidney_free(data):
    """How many kidney-free slices get a kidney from ``segment_kidney``."""
    from ctkidney.segmentation import segment_kidney

    found = [segment_kidney(hu, spacing=mm).sum() * mm * mm for _, hu, mm in data]
    hits = [area for area in found if area > 0]
    return {"slices": len(data), "slices_with_a_kidney_found": len(hits),
            "median_area_found_mm2": float(np.median(hits)) if hits else 0.0}


def _mean(values):
    return float(np.mean(values)) if values else float("nan")


def _print_table(title, rows):
    print(f"\n{title}")
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")


def score_kits(data, spacing=None):
    from ctkidney.metrics import dice, iou
    from ctkidney.segmentation import segment_kidney, segment_lesion

    k_iou, k_dice, t_iou = [], [], []
    for _, hu, kidney, tumour in data:
        found = segment_kidney(hu, spacing=spacing)
        k_iou.append(iou(kidney, found))
        k_dice.append(dice(kidney, found))
        if tumour.any():
            t_iou.append(iou(tumour, segment_lesion(hu, "Tumor", kidney_mask=found,
                                                    spacing=spacing)))
    return {"slices": len(data), "kidney_iou": _mean(k_iou), "kidney_dice": _mean(k_dice),
            "tumor_iou": _mean(t_iou), "tumor_slices": len(t_iou)}


def score_stones(data):
    from ctkidney.metrics import iou, object_detection
    from ctkidney.segmentation import segment_lesion

    f1, ious, tp_fn_fp = [], [], np.zeros(3)
    for _, image, truth in data:
        found = segment_lesion(image, "Stone")
        scores = object_detection(truth, found)
        f1.append(scores.f1)
        ious.append(iou(truth, found))
        tp_fn_fp += (scores.recall * scores.n_truth, (1 - scores.recall) * scores.n_truth,
                     (1 - scores.precision) * scores.n_pred)
    return {"slices": len(data), "stone_f1": _mean(f1), "stone_iou": _mean(ious),
            "stones_found": int(round(tp_fn_fp[0])), "stones_missed": int(round(tp_fn_fp[1])),
            "false_stones": int(round(tp_fn_fp[2]))}


def score_totalseg(data):
    from ctkidney.metrics import dice, iou
    from ctkidney.segmentation import segment_kidney

    k_iou, k_dice = [], []
    for _, hu, kidney in data:
        found = segment_kidney(hu, spacing=3.0)
        k_iou.append(iou(kidney, found))
        k_dice.append(dice(kidney, found))
    return {"slices": len(data), "kidney_iou": _mean(k_iou), "kidney_dice": _mean(k_dice)}


def score_phantoms(n, size=256, first_seed=917_000):
    from ctkidney.data import make_phantom
    from ctkidney.metrics import dice, iou, object_detection
    from ctkidney.segmentation import segment_kidney, segment_lesion

    k_iou, k_dice = [], []
    lesion = {"Stone": [], "Cyst": [], "Tumor": []}
    for kind in ("Normal", "Stone", "Cyst", "Tumor"):
        for seed in range(first_seed, first_seed + n):
            p = make_phantom(kind, size=size, rng=seed)
            found = segment_kidney(p.image)
            k_iou.append(iou(p.kidney_mask, found))
            k_dice.append(dice(p.kidney_mask, found))
            if kind == "Normal":
                continue
            mask = segment_lesion(p.image, kind, kidney_mask=found)
            lesion[kind].append(object_detection(p.lesion_mask, mask).f1 if kind == "Stone"
                                else iou(p.lesion_mask, mask))
    return {"slices": 4 * n, "kidney_iou": _mean(k_iou), "kidney_dice": _mean(k_dice),
            "stone_f1": _mean(lesion["Stone"]), "cyst_iou": _mean(lesion["Cyst"]),
            "tumor_iou": _mean(lesion["Tumor"])}


#: Stress tests: the real slices changed as held-out studies may differ from them.
#: Columns cut from each side of the KiTS19 slices (the body then touches both
#: sides); the slices rescaled about their centre by these factors, pixel size
#: left to the estimate (another field of view: 0.8 pads the slice with air, 1.25
#: crops it and cuts the flanks); pixel sizes given to the recipes instead of the
#: estimate (about 0.79 mm there; 0.6 and 1.0 are the estimate's error for an
#: adult 25 % wider or narrower than the 330 mm it assumes); random window
#: changes per stone or Normal slice (:func:`ctkidney.models.random_window` at
#: its defaults, seeds 0, 1, ...).
STRESS = {"cut_px": 110, "rotations_deg": (-8, 8), "zooms": (0.8, 1.25),
          "spacings_mm": (0.6, 0.7, 0.9, 1.0), "window_repeats": 3}


def _warp(array, matrix):
    """``array`` under the 2x3 affine ``matrix``, same shape (bilinear; masks
    nearest), what comes in from outside filled with its minimum."""
    import cv2

    rows, cols = array.shape
    flags = cv2.INTER_NEAREST if array.dtype == bool else cv2.INTER_LINEAR
    out = cv2.warpAffine(array.astype(np.float32), matrix, (cols, rows), flags=flags,
                         borderValue=float(array.min()))
    return out > 0.5 if array.dtype == bool else out.astype(array.dtype)


def _rotate(array, degrees):
    """``array`` rotated about its centre."""
    import cv2

    rows, cols = array.shape
    return _warp(array, cv2.getRotationMatrix2D((cols / 2, rows / 2), degrees, 1.0))


def _zoom(array, factor):
    """``array`` rescaled about its centre by ``factor``: padded when smaller, its
    middle kept when larger."""
    import cv2

    rows, cols = array.shape
    return _warp(array, cv2.getRotationMatrix2D((cols / 2, rows / 2), 0.0, factor))


def stress(root):
    """(title, scores) of each stress test whose data is under ``root``."""
    from ctkidney.models import random_window

    out = []
    if (root / "kits19").is_dir():
        kits = load_kits(root, "HU map")
        c = STRESS["cut_px"]
        cut = [(n, hu[:, c:-c], k[:, c:-c], t[:, c:-c]) for n, hu, k, t in kits]
        out.append((f"KiTS19 HU maps, {c} px cut from each side (the field of view cuts "
                    "the flanks)", score_kits(cut)))
        for deg in STRESS["rotations_deg"]:
            turned = [(n, *(_rotate(a, deg) for a in arrays)) for n, *arrays in kits]
            out.append((f"KiTS19 HU maps rotated by {deg:+d} degrees", score_kits(turned)))
        for factor in STRESS["zooms"]:
            scaled = [(n, *(_zoom(a, factor) for a in arrays)) for n, *arrays in kits]
            out.append((f"KiTS19 HU maps rescaled by {factor} (another field of view), "
                        "pixel size estimated", score_kits(scaled)))
        for mm in STRESS["spacings_mm"]:
            out.append((f"KiTS19 HU maps, spacing={mm} mm given", score_kits(kits, mm)))
    seeds = range(STRESS["window_repeats"])
    if (root / "stone_pseudomask").is_dir():
        stones = load_stones(root)
        jittered = [(n, random_window(im, rng=r * len(stones) + i), t)
                    for r in seeds for i, (n, im, t) in enumerate(stones)]
        out.append((f"Kaggle stones, {len(seeds)} random window changes each",
                    score_stones(jittered)))
    normal = load_normal_kaggle(root)
    if normal:
        jittered = [(n, random_window(im, rng=i)) for i, (n, im) in enumerate(normal)]
        out.append(("Kaggle Normal, every third slice, a random window change each: "
                    "false stones", score_false_stones(jittered)))
    return out


def timing(repeats=3):
    """ms per slice of segment_kidney + segment_lesion('Stone') at 256 and 512 px."""
    from ctkidney.data import make_phantom
    from ctkidney.segmentation import segment_kidney, segment_lesion

    out = {}
    for size in (256, 512):
        image = make_phantom("Stone", size=size, rng=1).image
        segment_lesion(image, "Stone", kidney_mask=segment_kidney(image))  # warm-up
        best = np.inf
        for _ in range(repeats):
            start = time.perf_counter()
            segment_lesion(image, "Stone", kidney_mask=segment_kidney(image))
            best = min(best, time.perf_counter() - start)
        out[size] = 1000.0 * best
    return out


def draw_figure(root):
    """Real slices with their true (red) and found (cyan kidney, magenta lesion) masks.

    Returns the matplotlib figure, or None when ``root`` holds no slices with masks.
    """
    import matplotlib.pyplot as plt

    from ctkidney.enhancement import window
    from ctkidney.segmentation import segment_kidney, segment_lesion

    panels = []
    if (root / "kits19").is_dir():
        for name, hu, kidney, _tumour in [s for s in load_kits(root) if s[3].any()][::5][:3]:
            found = segment_kidney(hu)
            panels.append((f"KiTS19 {name}", window(hu, level=40, width=400), kidney,
                           found, segment_lesion(hu, "Tumor", kidney_mask=found)))
    if (root / "stone_pseudomask").is_dir():
        for name, image, truth in load_stones(root)[::2][:3]:
            found = segment_kidney(image)
            panels.append((f"Kaggle {name}", image, truth, found,
                           segment_lesion(image, "Stone", kidney_mask=found)))
    if not panels:
        return None
    n_cols = (len(panels) + 1) // 2
    fig, axes = plt.subplots(2, n_cols, figsize=(3.2 * n_cols, 6.8), squeeze=False)
    for ax in axes.ravel():
        ax.set_axis_off()
    for ax, (title, image, truth, kidney, lesion) in zip(axes.ravel(), panels):
        ax.imshow(image, cmap="gray", vmin=0, vmax=255)
        for mask, colour, width in ((truth, "red", 1.4), (kidney, "cyan", 0.8),
                                    (lesion, "magenta", 0.8)):
            if mask.any():
                ax.contour(mask.astype(float), levels=[0.5], colors=colour, linewidths=width)
        ax.set_title(title, fontsize=8)
    fig.suptitle("red: truth (kidney + tumour, or stones); cyan: segment_kidney; "
                 "magenta: segment_lesion", fontsize=8)
    return fig


def figure(path, root):
    """Write :func:`draw_figure` to ``path`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = draw_figure(root)
    if fig is None:
        print("skipped: no real slices with masks for the figure")
        return
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    print(f"figure written to {path}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=None,
                        help="real-data folder "
                             "(default: $CTKIDNEY_REALDATA or ../shared/realdata)")
    parser.add_argument("--phantoms", type=int, default=10, help="phantom slices per class")
    parser.add_argument("--skip-phantoms", action="store_true")
    parser.add_argument("--skip-stress", action="store_true",
                        help="skip the stress tests (real slices cut, rescaled, rewindowed)")
    parser.add_argument("--figure", type=Path, default=None,
                        help="also write a figure of real slices with their masks (PNG)")
    args = parser.parse_args(argv)
    root = args.root or realdata_root()
    if not root.is_dir():
        print(f"skipped: real data not found at {root} "
              "(set CTKIDNEY_REALDATA to a copy of shared/realdata)")
    else:
        if (root / "kits19").is_dir():
            for form in KITS_FORMS:
                r = score_kits(load_kits(root, form))
                _print_table(f"KiTS19, {form} (real, contrast-enhanced, 512 px; bar: kidney "
                             "IoU >= 0.80, tumour IoU >= 0.60)",
                             [(k, _fmt(v)) for k, v in r.items()])
        else:
            print(f"skipped KiTS19: {root / 'kits19'} not found")
        if (root / "stone_pseudomask").is_dir():
            r = score_stones(load_stones(root))
            _print_table("Kaggle stones (real, 512 px, model pseudo-masks; bar: object F1 >= "
                         "0.85, IoU >= 0.50)", [(k, _fmt(v)) for k, v in r.items()])
        else:
            print(f"skipped Kaggle stones: {root / 'stone_pseudomask'} not found")
        normal = load_normal_kaggle(root)
        if normal:
            r = score_false_stones(normal)
            _print_table("Kaggle Normal, every third slice (real, contrast-enhanced, no "
                         "stones): false stones", [(k, _fmt(v)) for k, v in r.items()])
        else:
            print(f"skipped Kaggle Normal: no Normal folder under {root / 'kaggle'}")
        try:
            import nibabel  # noqa: F401
        except ImportError:
            print("skipped TotalSegmentator: nibabel is not installed")
        else:
            if (root / "totalseg").is_dir():
                r = score_totalseg(load_totalseg(root))
                _print_table("TotalSegmentator (real, unenhanced, 3 mm pixels, axial)",
                             [(k, _fmt(v)) for k, v in r.items()])
            else:
                print(f"skipped TotalSegmentator: {root / 'totalseg'} not found")
        free = load_kidney_free(root)
        if free:
            r = score_kidney_free(free)
            _print_table("Slices without kidneys (real: TotalSegmentator, DICOM series): "
                         "specificity", [(k, _fmt(v)) for k, v in r.items()])
        if not args.skip_stress:
            for title, r in stress(root):
                _print_table(f"Stress: {title}", [(k, _fmt(v)) for k, v in r.items()])
        if args.figure is not None:
            figure(args.figure, root)
    if not args.skip_phantoms:
        r = score_phantoms(args.phantoms)
        _print_table(f"Built-in phantoms (256 px, {args.phantoms} per class)",
                     [(k, _fmt(v)) for k, v in r.items()])
        t = timing()
        _print_table("Speed (segment_kidney + segment_lesion, best of 3)",
                     [(f"{size} px", f"{ms:.0f} ms per slice") for size, ms in t.items()])
    return 0


def _fmt(value):
    return f"{value:.3f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    sys.exit(main())
