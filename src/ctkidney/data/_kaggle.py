"""The Kaggle "CT KIDNEY DATASET: Normal-Cyst-Tumor and Stone" layout: read and write."""

import csv
import os
import re
import shutil
import tempfile
import warnings
from pathlib import Path, PurePosixPath, PureWindowsPath

import cv2
import numpy as np

from ctkidney._shared.validation import check_choice, check_scalar
from ctkidney.data._dataset import CLASSES, Dataset
from ctkidney.data._io import _check_path, _listing, read_image

__all__ = ["CSV_NAME", "DATASET_DIR", "load_dataset", "save_dataset"]

#: Name of the dataset folder as the Kaggle archive unpacks (possibly doubled).
DATASET_DIR = "CT-KIDNEY-DATASET-Normal-Cyst-Tumor-Stone"
#: Name of the Kaggle label file.
CSV_NAME = "kidneyData.csv"
_CSV_COLUMNS = ("", "image_id", "path", "diag", "target", "Class")
_IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff"}


def _natural_key(name):
    # "Cyst- (2).jpg" sorts before "Cyst- (10).jpg".
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


def _class_dirs(folder):
    """{class index: folder} for the class folders in ``folder`` (any case)."""
    found = {}
    lower = {c.lower(): i for i, c in enumerate(CLASSES)}
    for child in sorted(folder.iterdir()):
        if not child.is_dir() or child.name.lower() not in lower:
            continue
        index = lower[child.name.lower()]
        if index in found:
            raise ValueError(f"two folders for class {CLASSES[index]} in {str(folder)!r}: "
                             f"{found[index].name!r} and {child.name!r}")
        found[index] = child
    return found


def _locate(root):
    """Find the folder holding the class folders and the CSV, if any.

    Descends through (possibly doubled) ``DATASET_DIR`` folders; the CSV may sit at
    any level on the way.
    """
    folder = root
    csv_path = None
    for _ in range(4):
        candidate = next((p for p in folder.iterdir()
                          if p.is_file() and p.name.lower() == CSV_NAME.lower()), None)
        csv_path = csv_path or candidate
        classes = _class_dirs(folder)
        if classes:
            return folder, classes, csv_path
        inner = [p for p in folder.iterdir()
                 if p.is_dir() and p.name.lower() == DATASET_DIR.lower()]
        if not inner:
            break
        folder = inner[0]
    raise ValueError(f"no class folders ({', '.join(CLASSES)}) found under {str(root)!r} "
                     f"(looked in {DATASET_DIR!r}, possibly doubled)")


def _scan(classes):
    """[(class index, path)] of the image files, class by class, naturally sorted."""
    entries, passed_over = [], []
    for index in sorted(classes):
        files = []
        for p in classes[index].iterdir():
            if p.name.startswith("."):
                continue
            if p.suffix.lower() in _IMAGE_SUFFIXES:
                if p.is_file():
                    files.append(p)
                else:  # a dangling link, a FIFO, a folder named like an image
                    passed_over.append(f"{p.parent.name}/{p.name} (not a regular file)")
            elif p.is_dir() and any(q.suffix.lower() in _IMAGE_SUFFIXES for q in p.rglob("*")):
                passed_over.append(f"{p.parent.name}/{p.name}/ (a subfolder: not read)")
        entries += [(index, p) for p in sorted(files, key=lambda p: _natural_key(p.name))]
    if passed_over:
        warnings.warn(f"{len(passed_over)} entr(y/ies) in the class folders passed over: "
                      f"{_listing(passed_over)}", UserWarning, stacklevel=3)
    return entries


def _csv_parts(raw, where):
    """(class folder, file name) of a CSV ``path`` entry; refuse one leaving root."""
    raw = raw.strip()
    pure = PureWindowsPath(raw) if "\\" in raw else PurePosixPath(raw)
    parts = [p for p in pure.parts if p not in ("", "/", "\\") and not p.endswith((":\\", ":"))]
    if ".." in parts or any(p in (".", "..") for p in parts[-2:]) or len(parts) < 2:
        raise ValueError(f"{where}: path {raw!r} would leave the dataset root or names no "
                         "class folder and file; refused")
    return parts[-2], parts[-1]


def _read_csv(csv_path, folder, classes):
    """Entries [(label, path)] from the CSV, checked against the folders."""
    root = folder.resolve()
    try:
        with open(csv_path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header is None or tuple(h.strip() for h in header) != _CSV_COLUMNS:
                raise ValueError(f"{str(csv_path)!r}: header must be "
                                 f"{','.join(_CSV_COLUMNS)!r}, got {','.join(header or [])!r}")
            rows = [row for row in reader if any(cell.strip() for cell in row)]
    except (UnicodeDecodeError, csv.Error) as exc:  # not UTF-8; a field over csv's limit
        raise ValueError(f"cannot read {str(csv_path)!r} as a CSV file: {exc}") from None
    folder_of = {cls: classes[cls].name for cls in classes}
    lower_dirs = {name.lower(): cls for cls, name in folder_of.items()}
    on_disk = {(cls, p.name) for cls, p in _scan(classes)}
    entries, mismatches, seen = [], [], set()
    for n, row in enumerate(rows, start=2):
        where = f"{csv_path.name} line {n}"
        if len(row) != len(_CSV_COLUMNS):
            raise ValueError(f"{where}: expected {len(_CSV_COLUMNS)} columns, got {len(row)}")
        _, image_id, raw_path, diag, target, klass = (c.strip() for c in row)
        class_dir, file_name = _csv_parts(raw_path, where)
        try:
            label = int(target)
        except ValueError:
            raise ValueError(f"{where}: target must be an integer, got {target!r}") from None
        if not 0 <= label < len(CLASSES):
            raise ValueError(f"{where}: target must be 0..{len(CLASSES) - 1}, got {label}")
        cls = lower_dirs.get(class_dir.lower())
        if cls is None:
            mismatches.append(f"{where}: {raw_path!r} is not in a class folder")
            continue
        path = classes[cls] / file_name
        resolved = path.resolve()
        if resolved != root and root not in resolved.parents:
            raise ValueError(f"{where}: path {raw_path!r} resolves outside the dataset root "
                             f"{str(root)!r}; refused")
        problems = []
        if (cls, file_name) not in on_disk:
            problems.append(f"{class_dir}/{file_name} is not on disk")
        if label != cls:
            problems.append(f"target {label} ({CLASSES[label]}) but folder {class_dir}")
        for column, value in (("diag", diag), ("Class", klass)):
            if value.lower() != CLASSES[cls].lower():
                problems.append(f"{column} {value!r} but folder {class_dir}")
        if image_id and image_id != Path(file_name).stem:
            problems.append(f"image_id {image_id!r} but file {file_name!r}")
        if (cls, file_name) in seen:
            problems.append(f"{class_dir}/{file_name} listed twice")
        seen.add((cls, file_name))
        if problems:
            mismatches.append(f"{where}: " + ", ".join(problems))
        else:
            entries.append((cls, path))
    for cls, name in sorted(on_disk - seen, key=lambda e: (e[0], _natural_key(e[1]))):
        mismatches.append(f"{folder_of[cls]}/{name} is not in {csv_path.name}")
    if mismatches:
        raise ValueError(f"{csv_path.name} and the class folders disagree "
                         f"({len(mismatches)} mismatches): {_listing(mismatches)}")
    return entries


def _problem(path, verify):
    """Why ``path`` cannot be read, or None. ``verify``: 'header', 'decode' or 'none'."""
    if verify == "none":
        return None
    try:
        if verify == "decode":
            read_image(path)
            return None
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(8)
            if size < 8:
                return "empty or truncated file"
            f.seek(max(size - 64, 0))
            tail = f.read(64)
    except (OSError, ValueError) as exc:
        return str(exc)
    if head[:3] == b"\xff\xd8\xff":
        # A JPEG ends with the EOI marker (some writers pad after it); a truncated
        # download does not.
        end = tail.rfind(b"\xff\xd9")
        if end >= 0 and not tail[end + 2:].strip(b"\x00\xff\r\n \t"):
            return None
        return "truncated JPEG (no end-of-image marker)"
    if head == b"\x89PNG\r\n\x1a\n" or head[:2] == b"BM" or head[:4] in (b"II*\x00", b"MM\x00*"):
        return None
    return "not a JPEG, PNG, BMP or TIFF file"


def load_dataset(root, *, strict=False, verify="header"):
    """Read the Kaggle CT kidney dataset as it unpacks, as a lazy :class:`Dataset`.

    ``root`` is the folder that holds ``CT-KIDNEY-DATASET-Normal-Cyst-Tumor-Stone``
    (which may be doubled, as the Kaggle archive unpacks), or that folder itself.
    Class folders are ``Cyst/ Normal/ Stone/ Tumor/`` in any case (the older
    ``CYST/ ...`` too), holding files named like ``Cyst- (1).jpg``.

    With ``kidneyData.csv`` (found at any level on the way down, header
    ``,image_id,path,diag,target,Class``), labels and order come from the CSV. Its
    ``path`` column usually holds stale Colab paths
    (``/content/drive/MyDrive/.../Cyst/Cyst- (1).jpg``): each is resolved by its
    last two parts, the class folder and the file name, under the dataset folder.
    Without the CSV, labels come from the class folders and files are in natural
    order (``(2)`` before ``(10)``).

    Parameters
    ----------
    root : str or path-like
        The dataset root.
    strict : bool, optional
        Raise on an unreadable image instead of skipping it with a warning.
    verify : {'header', 'decode', 'none'}, optional
        How unreadable images are detected before anything is returned:
        ``'header'`` (default) reads each file's first and last bytes (an image
        signature; a JPEG must end with its end-of-image marker, which a truncated
        file lacks), which is fast even for 12,000 files; ``'decode'`` decodes every
        file fully (slow, catches everything); ``'none'`` checks nothing (a bad file
        then raises when it is read).

    Returns
    -------
    dataset : Dataset
        Lazy: paths, labels (int64), names (file names) and class names; read the
        slices with ``dataset.images(size=...)``. ``dataset.root`` is the folder of
        the class folders.

    Raises
    ------
    TypeError
        If ``root`` is not a path.
    ValueError
        If ``root`` is missing or holds no class folders; if the CSV is malformed,
        names a path that would leave the dataset root (``..`` parts, or a link out
        of it), or disagrees with the folders (the message lists the first
        mismatches: files missing on either side, labels that differ from the
        folder); if ``strict`` and an image is unreadable (all of them are named).

    Warns
    -----
    UserWarning
        Naming the unreadable images that were skipped (``strict=False``).

    See Also
    --------
    save_dataset : Write a dataset in this layout.

    Examples
    --------
    >>> import tempfile
    >>> from ctkidney.data import load_dataset, make_dataset, save_dataset
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     ds = load_dataset(save_dataset(make_dataset(2, size=64, rng=0), tmp))
    ...     images = ds.images()
    >>> ds.class_counts(), ds.names[0], images.shape, images.dtype
    ({'Cyst': 2, 'Normal': 2, 'Stone': 2, 'Tumor': 2}, 'Cyst- (1).jpg', (8, 64, 64), dtype('uint8'))
    """
    root = _check_path(root, "root")
    strict = bool(strict)
    verify = check_choice(verify, "verify", ("header", "decode", "none"))
    if not root.is_dir():
        raise ValueError(f"root {str(root)!r} is not a folder")
    folder, classes, csv_path = _locate(root)
    entries = _scan(classes) if csv_path is None else _read_csv(csv_path, folder, classes)

    bad, good = [], []
    for label, path in entries:
        why = _problem(path, verify)
        if why is None:
            good.append((label, path))
        else:
            bad.append(f"{path.parent.name}/{path.name} ({why})")
    if bad:
        message = f"{len(bad)} unreadable image(s) in {str(folder)!r}: {_listing(bad)}"
        if strict:
            raise ValueError(message)
        warnings.warn(message + "; skipped", UserWarning, stacklevel=2)
    labels = [label for label, _ in good]
    return Dataset(np.array(labels, np.int64), paths=[p for _, p in good], root=folder)


def _file_name(name, where):
    stem = Path(name).stem if Path(name).suffix.lower() in _IMAGE_SUFFIXES else name
    if not stem or stem in (".", "..") or any(sep in name for sep in ("/", "\\", "\x00")):
        raise ValueError(f"{where}: name {name!r} is not a plain file name")
    return stem + ".jpg"


def save_dataset(dataset, root, *, quality=95, overwrite=False):
    """Write ``dataset`` in the Kaggle layout: JPEG files in class folders and the CSV.

    Writes ``root/CT-KIDNEY-DATASET-Normal-Cyst-Tumor-Stone/`` with
    ``Cyst/ Normal/ Stone/ Tumor/`` (slices named ``<name stem>.jpg``) and
    ``kidneyData.csv`` (header ``,image_id,path,diag,target,Class``; ``path``
    relative to that folder). Everything is written to a temporary folder beside it
    and moved into place at the end, so an error leaves nothing half-written.

    Parameters
    ----------
    dataset : Dataset
        Slices to write: 2-D uint8 images, class names :data:`CLASSES`.
    root : str or path-like
        Output root, created if needed.
    quality : int, optional
        JPEG quality, 1-100. Default 95.
    overwrite : bool, optional
        Replace an existing dataset folder. Default: raise ``FileExistsError``.

    Returns
    -------
    root : pathlib.Path
        ``root``, ready for :func:`load_dataset`.

    Raises
    ------
    TypeError
        If ``dataset`` is not a Dataset, or a slice is not 2-D uint8.
    ValueError
        If its class names are not :data:`CLASSES`, two slices of one class share a
        file name, or a name is not a plain file name.
    FileExistsError
        If the dataset folder exists and ``overwrite`` is False.

    See Also
    --------
    load_dataset : Read it back (names and labels round-trip; pixels are JPEG).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ctkidney.data import make_dataset, save_dataset
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = save_dataset(make_dataset(1, size=32, rng=0), tmp)
    ...     folder = root / "CT-KIDNEY-DATASET-Normal-Cyst-Tumor-Stone"
    ...     files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.*"))
    >>> for name in files:
    ...     print(name)
    Cyst/Cyst- (1).jpg
    Normal/Normal- (1).jpg
    Stone/Stone- (1).jpg
    Tumor/Tumor- (1).jpg
    kidneyData.csv
    """
    if not isinstance(dataset, Dataset):
        raise TypeError(f"dataset must be a ctkidney.data.Dataset, got {type(dataset).__name__}")
    root = _check_path(root, "root")
    quality = check_scalar(quality, "quality", low=1, high=100, integer=True)
    if tuple(dataset.class_names) != CLASSES:
        raise ValueError(f"dataset.class_names must be {CLASSES} for the Kaggle layout, "
                         f"got {dataset.class_names}")
    files = []
    taken = set()
    for i, (label, name) in enumerate(zip(dataset.labels, dataset.names)):
        file_name = _file_name(name, f"dataset.names[{i}]")
        key = (int(label), file_name.lower())
        if key in taken:
            raise ValueError(f"dataset.names[{i}]: two {CLASSES[label]} slices would both be "
                             f"written as {file_name!r}")
        taken.add(key)
        files.append(file_name)

    root.mkdir(parents=True, exist_ok=True)
    target = root / DATASET_DIR
    if target.exists() and not overwrite:
        raise FileExistsError(f"{str(target)!r} exists; pass overwrite=True to replace it")
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".ctkidney-save-"))
    try:
        for cls in CLASSES:
            (staging / cls).mkdir()
        rows = []
        for i, (label, file_name) in enumerate(zip(dataset.labels, files)):
            image = dataset.image(i)
            if image.dtype != np.uint8 or image.ndim != 2:
                raise TypeError(f"slice {i} ({dataset.names[i]!r}) must be a 2-D uint8 image "
                                f"for JPEG, got shape {image.shape} and dtype {image.dtype}")
            ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
            if not ok:
                raise ValueError(f"slice {i} ({dataset.names[i]!r}) could not be JPEG-encoded")
            cls = CLASSES[label]
            buf.tofile(staging / cls / file_name)
            rows.append([i, Path(file_name).stem, f"{cls}/{file_name}", cls, int(label), cls])
        with open(staging / CSV_NAME, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(_CSV_COLUMNS)
            writer.writerows(rows)
        if target.exists():
            old = Path(tempfile.mkdtemp(dir=root, prefix=".ctkidney-old-"))
            os.replace(target, old / DATASET_DIR)
            os.replace(staging, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return root
