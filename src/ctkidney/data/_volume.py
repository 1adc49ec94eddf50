"""Volumes: the ``Volume`` record and NIfTI in and out (through nibabel).

Every volume in ctkidney follows one convention (DESIGN.md): the array is
``(slices, rows, columns)``; slices run from inferior to superior, rows from anterior
to posterior (anterior up) and columns from the patient's right to the patient's left
(the patient's right on the image's left), so that each slice looks like an axial
slice on a radiologist's screen. In DICOM's patient coordinates (LPS: x toward the
patient's left, y toward posterior, z toward the head) the three array axes point
along +z, +y and +x.
"""

import math
import warnings
import zlib
from typing import NamedTuple

import numpy as np

from ctkidney._shared.files import atomic_path
from ctkidney._shared.validation import check_memory
from ctkidney._shared.volume import finite_floats
from ctkidney.data._io import _check_path

__all__ = ["Volume", "read_nifti", "write_nifti"]

#: The convention as NIfTI/nibabel axis codes (the direction each array axis points to).
AXCODES = ("S", "P", "L")


class Volume(NamedTuple):
    """A CT volume in DESIGN's convention.

    Attributes
    ----------
    hu : (Z, Y, X) ndarray
        Voxel values, Hounsfield units for CT (int16 when integral and in range,
        else float32). Slices inferior to superior, rows anterior to posterior,
        columns from the patient's right to the patient's left.
    spacing : (float, float, float)
        ``(dz, dy, dx)``: distance between the centres of neighbouring voxels along
        each array axis, in mm.
    origin : (float, float, float)
        Position of the centre of voxel ``[0, 0, 0]`` in DICOM patient coordinates
        (LPS), in mm, in the array's axis order: ``(z, y, x)`` (head-ward,
        posterior-ward, left-ward).

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.data import Volume
    >>> vol = Volume(np.zeros((2, 3, 4), np.int16), (2.5, 0.7, 0.7), (0.0, 0.0, 0.0))
    >>> vol.spacing
    (2.5, 0.7, 0.7)
    >>> hu, spacing, origin = vol
    """

    hu: np.ndarray
    spacing: tuple
    origin: tuple


def _check_triple(value, name, *, positive):
    if (isinstance(value, (str, bytes)) or not hasattr(value, "__len__")
            or len(value) != 3):
        raise TypeError(f"{name} must be a sequence of 3 numbers, got {value!r}")
    return finite_floats(value, name, value, positive=positive)


def _integral_to_int16(values):
    """int16 when ``values`` are integers that fit it, else float32 (read_dicom's rule)."""
    if values.dtype.kind in "uib":
        if values.size and (values.min() < -32768 or values.max() > 32767):
            return values.astype(np.float32)
        return values.astype(np.int16, copy=False)
    return values.astype(np.float32, copy=False)


def read_nifti(path):
    """Read a NIfTI-1/2 volume (``.nii`` or ``.nii.gz``) in ctkidney's convention.

    The voxel axes are brought to the closest of DESIGN's orientation (slices
    inferior to superior, anterior up, the patient's right on the image's left) by
    transposes and flips only, without resampling, whatever the file's own
    orientation (RAS, LPS, coronal, ...). The file's scaling (``scl_slope``,
    ``scl_inter``) is applied.

    Parameters
    ----------
    path : str or path-like
        The NIfTI file.

    Returns
    -------
    volume : Volume
        ``hu`` is int16 when the file stores integers that fit int16 without a
        scaling (CT in HU, label maps), else float32 (scaled or float data);
        ``spacing`` in mm along the array axes; ``origin`` in LPS mm, in
        ``(z, y, x)`` order.

    Raises
    ------
    TypeError
        If ``path`` is not a str or path-like.
    ValueError
        If the file is missing or is not a 3-D NIfTI image (4-D images with one
        volume are accepted), or holds complex or RGB voxels, naming the file.

    See Also
    --------
    write_nifti : Write a Volume as a NIfTI-1 file.
    read_series : Read a folder of DICOM slices as a Volume.

    Notes
    -----
    The affine (sform when set, else qform) gives each voxel axis's direction; an
    oblique acquisition is mapped to its nearest anatomical axes
    (``nibabel.orientations.io_orientation``). Spacing is the length of each affine
    column.

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np
    >>> from ctkidney.data import Volume, read_nifti, write_nifti
    >>> vol = Volume(np.arange(24, dtype=np.int16).reshape(2, 3, 4), (3.0, 0.8, 0.8),
    ...              (-100.0, 20.0, -150.0))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_nifti(vol, pathlib.Path(tmp) / "ct.nii.gz")
    ...     back = read_nifti(pathlib.Path(tmp) / "ct.nii.gz")
    >>> bool((back.hu == vol.hu).all()), back.spacing, back.origin
    (True, (3.0, 0.8, 0.8), (-100.0, 20.0, -150.0))
    """
    path = _check_path(path)
    import nibabel as nib  # a core dependency, imported on use (import ctkidney stays cheap)
    where = str(path)
    try:
        image = nib.load(path)
    except (OSError, EOFError, ValueError, nib.filebasedimages.ImageFileError) as exc:
        raise ValueError(f"cannot read NIfTI file {where!r} (path): {exc}") from exc
    shape = image.shape
    if len(shape) == 4 and shape[3] == 1:
        image = image.slicer[..., 0]
    elif len(shape) != 3:
        raise ValueError(f"NIfTI file {where!r} must hold a 3-D volume, got shape {shape}")
    stored = image.get_data_dtype()
    if stored.kind not in "biuf":  # complex (MR phase data), RGB or structured voxels
        raise ValueError(f"NIfTI file {where!r} (path) holds {stored} voxels; a CT "
                         f"volume holds real numbers (HU)")
    # A header may claim more voxels than the file holds, or than memory allows.
    check_memory(math.prod(image.shape) * max(stored.itemsize, 2),
                 "path", where)
    orientation = nib.orientations
    try:
        start = orientation.io_orientation(image.affine)
        image = image.as_reoriented(orientation.ornt_transform(
            start, orientation.axcodes2ornt(AXCODES)))
        data = np.asanyarray(image.dataobj)
    except (OSError, EOFError, ValueError, zlib.error, np.linalg.LinAlgError,
            nib.spatialimages.HeaderDataError) as exc:  # truncated gzip, NaN affine etc.
        raise ValueError(f"cannot read the voxels of NIfTI file {where!r} (path): "
                         f"{exc}") from exc
    hu = np.ascontiguousarray(_integral_to_int16(np.asarray(data)))
    if hu.dtype.kind == "f":
        bad = hu.size - int(np.count_nonzero(np.isfinite(hu)))
        if bad:
            # Kept as stored (a mask of missing data, say), but named: every
            # ctkidney filter refuses NaN and inf.
            warnings.warn(f"NIfTI file {where!r} holds {bad} NaN or inf voxel(s)",
                          UserWarning, stacklevel=2)
    affine = image.affine
    spacing = tuple(float(s) for s in np.sqrt((affine[:3, :3] ** 2).sum(axis=0)))
    ras = affine[:3, 3]
    lps = (-float(ras[0]), -float(ras[1]), float(ras[2]))
    return Volume(hu, spacing, (lps[2], lps[1], lps[0]))


def _check_volume(volume, name="volume"):
    if not isinstance(volume, tuple) or len(volume) != 3:
        raise TypeError(f"{name} must be a Volume (hu, spacing, origin), got "
                        f"{type(volume).__name__}")
    hu, spacing, origin = volume
    hu = np.asarray(hu)
    if hu.ndim != 3 or hu.size == 0:
        raise ValueError(f"{name}.hu must be a non-empty 3-D array, got shape {hu.shape}")
    if hu.dtype == bool:
        hu = hu.astype(np.uint8)
    if hu.dtype.kind not in "uif":
        raise TypeError(f"{name}.hu must be numeric, got dtype {hu.dtype}")
    if hu.dtype == np.float16:  # no NIfTI data type: stored exactly as float32
        hu = hu.astype(np.float32)
    elif hu.dtype.kind in "ui" and hu.dtype.itemsize == 8:
        # 64-bit integers (np.asarray of a list) are not portable NIfTI: int32
        # holds any CT or label value exactly.
        if hu.min() < -2**31 or hu.max() >= 2**31:
            raise ValueError(f"{name}.hu must fit in 32-bit integers, got values in "
                             f"[{hu.min()}, {hu.max()}]")
        hu = hu.astype(np.int32)
    spacing = _check_triple(spacing, f"{name}.spacing", positive=True)
    origin = _check_triple(origin, f"{name}.origin", positive=False)
    return hu, spacing, origin


def write_nifti(volume, path):
    """Write a :class:`Volume` as a NIfTI-1 file in RAS orientation.

    The voxels are stored in the orientation most NIfTI tools expect (RAS: first
    axis toward the patient's right, then anterior, then superior) with an affine
    that places them where ``volume`` says; :func:`read_nifti` brings them back to
    ctkidney's convention, so a round trip keeps values, spacing and origin.

    Parameters
    ----------
    volume : Volume
        ``(hu, spacing, origin)`` as returned by :func:`read_series` or
        :func:`read_nifti` (any ``(Z, Y, X)`` numeric array; bool masks are written
        as uint8, float16 as float32, 64-bit integers as int32). Never modified.
    path : str or path-like
        Output file, ``.nii`` or ``.nii.gz`` (compressed); written whole (to a
        temporary name beside it, then renamed).

    Returns
    -------
    None

    Raises
    ------
    TypeError
        For a ``volume`` that is not a ``(hu, spacing, origin)`` triple or a
        non-numeric array, or a bad ``path``.
    ValueError
        For an array that is not 3-D or is empty, 64-bit integers beyond int32, a
        non-positive or non-finite spacing, a non-finite origin, a ``path`` that
        is not a ``.nii`` or ``.nii.gz`` file name, or a file that cannot be
        written.

    See Also
    --------
    read_nifti : Read a NIfTI volume in ctkidney's convention.

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np
    >>> import nibabel as nib
    >>> from ctkidney.data import Volume, write_nifti
    >>> vol = Volume(np.zeros((2, 3, 4), np.int16), (3.0, 0.8, 0.8), (0.0, 0.0, 0.0))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_nifti(vol, pathlib.Path(tmp) / "ct.nii")
    ...     image = nib.load(pathlib.Path(tmp) / "ct.nii")
    ...     codes, shape = nib.aff2axcodes(image.affine), image.shape
    >>> codes, shape
    (('R', 'A', 'S'), (4, 3, 2))
    """
    hu, (dz, dy, dx), (oz, oy, ox) = _check_volume(volume)
    path = _check_path(path)
    name = path.name.lower()
    suffix = ".nii.gz" if name.endswith(".nii.gz") else ".nii" if name.endswith(".nii") else None
    if suffix is None or path.is_dir():
        raise ValueError(f"path must name a .nii or .nii.gz file, got {str(path)!r}")
    import nibabel as nib  # a core dependency, imported on use (import ctkidney stays cheap)
    nz, ny, nx = hu.shape
    # RAS voxel [0, 0, 0] is our voxel [0, Y-1, X-1] (rightmost, most anterior).
    lps = np.array([ox + (nx - 1) * dx, oy + (ny - 1) * dy, oz])
    if not np.isfinite(lps).all():
        raise ValueError(f"volume.origin {(oz, oy, ox)} and volume.spacing {(dz, dy, dx)} "
                         "place the voxels beyond the largest float")
    affine = np.diag([dx, dy, dz, 1.0])
    affine[:3, 3] = (-lps[0], -lps[1], lps[2])
    data = np.ascontiguousarray(hu[:, ::-1, ::-1].transpose(2, 1, 0))
    image = nib.Nifti1Image(data, affine)
    image.header.set_xyzt_units("mm")
    image.set_sform(affine, code=1)
    image.set_qform(affine, code=1)
    try:
        with atomic_path(path, suffix=suffix) as tmp:
            nib.save(image, tmp)
    except OSError as exc:
        raise ValueError(f"cannot write NIfTI file {str(path)!r} (path): {exc}") from exc
