"""CT volumes as study data: ``--data`` pointing at DICOM series or NIfTI files.

A volume source is a NIfTI file (``.nii``/``.nii.gz``), a folder of DICOM slices
(one series), or a folder tree holding such files and series folders (and no
Kaggle layout). Each volume contributes axial slices on the abdominal window; the
slices of one volume share one group, so that no split puts a patient on both
sides. A slice's class is the nearest folder on its path named after a class
(``Cyst``, ``Normal``, ``Stone``, ``Tumor``, any case); volumes outside such
folders count as ``Normal`` (no diagnosis known) and the report says so. Volumes
without any value below 0 HU are label maps or masks, not CT, and are skipped.
"""

import warnings
from pathlib import Path

import numpy as np

__all__ = ["MAX_SLICES_PER_VOLUME", "is_volume_source", "load_volume_dataset"]

#: Axial slices taken from each volume, evenly spaced (all of them when fewer).
MAX_SLICES_PER_VOLUME = 24
#: In quick mode.
QUICK_SLICES_PER_VOLUME = 6
#: The window the slices are shown on (abdomen: level 40 HU, width 400 HU).
WINDOW_HU = (40.0, 400.0)

_NIFTI_SUFFIXES = (".nii", ".nii.gz")


def _is_nifti(path):
    return path.is_file() and path.name.lower().endswith(_NIFTI_SUFFIXES)


def _has_dicom(folder):
    import pydicom

    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.name.startswith("."):
            try:
                pydicom.dcmread(path, stop_before_pixels=True, specific_tags=["Modality"])
            except Exception:  # not DICOM: keep looking
                continue
            return True
    return False


def find_volumes(root):
    """NIfTI files and DICOM series folders under ``root``, sorted by path."""
    root = Path(root)
    if _is_nifti(root):
        return [root]
    found = []
    for folder in sorted([root, *(p for p in root.rglob("*") if p.is_dir())]):
        if _has_dicom(folder):
            found.append(folder)
        found += sorted(p for p in folder.iterdir() if _is_nifti(p))
    return found


def is_volume_source(data):
    """Whether ``data`` holds CT volumes rather than the Kaggle layout."""
    from ctkidney.data import DATASET_DIR

    root = Path(data)
    if _is_nifti(root):
        return True
    if not root.is_dir() or any(root.rglob(DATASET_DIR)):
        return False
    if any((root / name).is_dir() and any((root / name).glob("*.jpg"))
           for name in ("Cyst", "Normal", "Stone", "Tumor", "CYST", "NORMAL", "STONE", "TUMOR")):
        return False
    return bool(find_volumes(root))


def _label_of(path, root):
    from ctkidney.data import CLASSES

    lower = {c.lower(): i for i, c in enumerate(CLASSES)}
    for part in reversed(path.relative_to(root).parts if path != root else ()):
        if part.lower() in lower:
            return lower[part.lower()], True
    return CLASSES.index("Normal"), False


def load_volume_dataset(data, *, quick=False):
    """A :class:`~ctkidney.data.Dataset` of windowed axial slices of every volume
    under ``data``, with ``groups`` (the volume of each slice) and ``volumes`` (a
    record per volume), and a one-line description of the source."""
    from ctkidney.data import Dataset, read_nifti, read_series
    from ctkidney.data._io import _listing
    from ctkidney.enhancement import window

    root = Path(data)
    per_volume = QUICK_SLICES_PER_VOLUME if quick else MAX_SLICES_PER_VOLUME
    images, hu, labels, names, groups, records = [], [], [], [], [], []
    unlabelled = 0
    skipped = []
    unreadable = []
    for index, path in enumerate(find_volumes(root)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                volume = read_nifti(path) if _is_nifti(path) else \
                    read_series(path, duplicates="first")
            except (OSError, ValueError) as exc:
                # A corrupt volume is reported, not fatal to the study.
                unreadable.append(f"{path.name} ({exc})")
                continue
        if volume.hu.min() >= 0:
            # No air below 0 HU: a label map or mask, not CT (e.g. a segmentation
            # beside its scan).
            skipped.append(path.name)
            continue
        label, known = _label_of(path, root if root.is_dir() else root.parent)
        unlabelled += not known
        nz = volume.hu.shape[0]
        chosen = np.unique(np.linspace(0, nz - 1, min(per_volume, nz)).round().astype(int))
        name = path.name if path != root else root.name
        for z in chosen:
            images.append(window(volume.hu[z], level=WINDOW_HU[0], width=WINDOW_HU[1]))
            hu.append(volume.hu[z])
            labels.append(label)
            names.append(f"{name} z{z}")
            groups.append(index)
        records.append({"name": name, "shape": list(volume.hu.shape),
                        "spacing_mm": [round(s, 4) for s in volume.spacing],
                        "hu_range": [float(volume.hu.min()), float(volume.hu.max())],
                        "slices_used": int(chosen.size), "label_known": known,
                        "warnings": [str(w.message) for w in caught]})
    if unreadable:
        warnings.warn(f"{len(unreadable)} unreadable volume(s) under {str(root)!r}, "
                      f"skipped: {_listing(unreadable)}", UserWarning, stacklevel=2)
    if not records:
        raise ValueError(f"no CT volume (NIfTI file or DICOM series with HU below 0) "
                         f"found under {str(root)!r}"
                         + (f" ({len(unreadable)} unreadable)" if unreadable else ""))
    same = len({im.shape for im in images}) == 1
    kwargs = {"images": np.stack(images) if same else images, "names": names,
              "hu": np.stack(hu) if same else None, "root": root if root.is_dir() else None}
    ds = Dataset(labels, groups=np.asarray(groups, dtype=np.int64), **kwargs)
    ds.volumes = records
    ds.skipped_volumes = skipped
    source = (f"{len(records)} CT volume(s) at {data} ({len(ds)} axial slices on the "
              f"{WINDOW_HU[0]:g}/{WINDOW_HU[1]:g} HU window"
              + (f"; {unlabelled} volume(s) without a class folder counted as Normal"
                 if unlabelled else "")
              + (f"; {len(unreadable)} unreadable volume(s) skipped: {_listing(unreadable)}"
                 if unreadable else "") + ")")
    return ds, source
