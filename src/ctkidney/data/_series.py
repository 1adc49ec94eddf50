"""DICOM series: a folder of single-frame slices read into one :class:`Volume`."""

import functools
import struct
import warnings
from pathlib import Path

import numpy as np

from ctkidney._shared.validation import check_choice
from ctkidney.data._io import _check_path, _listing, _rescale, read_dicom, rescaled_bounds
from ctkidney.data._volume import Volume

__all__ = ["DUPLICATE_TOLERANCE_MM", "GAP_TOLERANCE_FRACTION", "OBLIQUE_TOLERANCE_DEG",
           "read_series"]

#: Slices whose positions along the slice normal differ by less than this share one
#: position (duplicates).
DUPLICATE_TOLERANCE_MM = 0.01
#: A gap between neighbouring slices that differs from the median gap by more than
#: this fraction of it is uneven (missing slices, a second acquisition, a bad file).
GAP_TOLERANCE_FRACTION = 0.05
#: Direction cosines more than this many degrees from an anatomical axis make a
#: series oblique (it is still read, mapped to the nearest axes, with a warning).
OBLIQUE_TOLERANCE_DEG = 1.0
#: Largest difference between two slices' direction cosines that still counts as
#: the same orientation.
_ORIENTATION_TOLERANCE = 1e-3

#: The elements read_series needs; parsing only these (pydicom's ``specific_tags``)
#: skips the rest of each header.
_TAGS = ("SeriesInstanceUID", "ImageOrientationPatient", "ImagePositionPatient",
         "PixelSpacing", "Rows", "Columns", "NumberOfFrames", "RescaleSlope",
         "RescaleIntercept", "PhotometricInterpretation", "BitsAllocated", "BitsStored",
         "HighBit", "PixelRepresentation", "SamplesPerPixel", "PlanarConfiguration",
         "SpacingBetweenSlices", "SliceThickness", "PixelData", "FloatPixelData",
         "DoubleFloatPixelData", "ExtendedOffsetTable", "ExtendedOffsetTableLengths")

#: Elements larger than this (the pixel data) are read only when the stack is filled.
_DEFER_BYTES = 65536

#: The elements every slice of one stack shares. pydicom converts an element only
#: when it is read, so the slices are grouped by these elements' stored bytes, and
#: each group's first file is converted and checked for all of them.
_SHARED = ("ImageOrientationPatient", "PixelSpacing", "Rows", "Columns", "NumberOfFrames",
           "RescaleSlope", "RescaleIntercept", "PhotometricInterpretation",
           "BitsAllocated", "BitsStored", "PixelRepresentation", "SamplesPerPixel")

_READ_ERRORS = (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError,
                IndexError, struct.error)


def _floats(ds, keyword, count, where):
    value = ds.get(keyword, None)
    if value is None:
        raise ValueError(f"DICOM file {where!r} has no {keyword}: its place in the "
                         "series is unknown")
    try:
        out = np.array([float(v) for v in value], dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"DICOM file {where!r} has a malformed {keyword} {value!r}") from exc
    if out.shape != (count,) or not np.isfinite(out).all():
        raise ValueError(f"DICOM file {where!r} has a malformed {keyword} {value!r}")
    return out


@functools.lru_cache(maxsize=None)
def _tag(keyword):
    from pydicom.tag import Tag

    return Tag(keyword)


def _stored(ds, keyword):
    """``keyword``'s value as the file stores it (bytes, before pydicom converts
    it; the converted value's repr once it has been), or None when absent."""
    element = ds.get_item(_tag(keyword))
    if element is None:
        return None
    value = element.value
    return value if isinstance(value, bytes) else repr(value)


def _shared_keys(items):
    """Each slice's group (by the ``id`` of its dataset): the stored bytes of its
    :data:`_SHARED` elements and its transfer syntax."""
    keys = {}
    for _, ds in items:
        meta = getattr(ds, "file_meta", None)
        keys[id(ds)] = (None if meta is None else _stored(meta, "TransferSyntaxUID"),
                        *(_stored(ds, keyword) for keyword in _SHARED))
    return keys


def _distinct(items, keys):
    """The first item of each group of ``items`` (``keys`` from :func:`_shared_keys`):
    what holds for it holds for its group."""
    firsts = {}
    for path, ds in items:
        firsts.setdefault(keys[id(ds)], (path, ds))
    return list(firsts.values())


def _position(ds, where):
    """``ImagePositionPatient`` as three floats: parsed from its stored decimal
    strings (pydicom's conversion costs more than the rest of the per-slice work),
    through pydicom when they are not plain finite numbers."""
    raw = _stored(ds, "ImagePositionPatient")
    if isinstance(raw, bytes):
        try:
            out = np.array([float(v) for v in raw.split(b"\\")], dtype=np.float64)
        except ValueError:
            out = None
        if out is not None and out.shape == (3,) and np.isfinite(out).all():
            return out
    return _floats(ds, "ImagePositionPatient", 3, where)


def _scan(folder):
    """Every DICOM image file of ``folder`` as ``(path, dataset)``, pixels not yet
    decoded. Files that are not DICOM, and DICOM files without an image (DICOMDIR,
    reports), are skipped (with a warning naming those whose name ends in
    ``.dcm``); a DICOM file that cannot be parsed is an error."""
    import pydicom
    from pydicom.errors import InvalidDicomError

    found, passed_over = [], []
    for path in sorted(p for p in folder.iterdir()
                       if p.is_file() and not p.name.startswith(".")):
        # A file named as DICOM that is none, or holds no image, is left out but
        # named: a slice lost to a broken download would otherwise only show as a
        # gap in the series.
        named = path.suffix.lower() in (".dcm", ".dicom")
        try:
            # Pixel data is read later, one slice at a time, straight into the stack.
            ds = pydicom.dcmread(path, specific_tags=list(_TAGS), defer_size=_DEFER_BYTES)
        except InvalidDicomError:
            if named:
                passed_over.append(f"{path.name} (not a DICOM file)")
            continue
        except _READ_ERRORS as exc:
            raise ValueError(f"cannot read DICOM file {str(path)!r}: {exc}") from exc
        if "PixelData" in ds:
            found.append((path, ds))
        elif named:
            passed_over.append(f"{path.name} (no image)")
    if passed_over:
        warnings.warn(f"{len(passed_over)} file(s) in {str(folder)!r} named as DICOM "
                      f"left out: {_listing(passed_over)}", UserWarning, stacklevel=3)
    return found


def _select_series(found, series, where):
    uids, by_uid = {}, {}
    for path, ds in found:
        stored = _stored(ds, "SeriesInstanceUID")
        if stored not in uids:  # one conversion per stored value
            uids[stored] = str(ds.get("SeriesInstanceUID", ""))
        by_uid.setdefault(uids[stored], []).append((path, ds))
    if series is not None:
        if series not in by_uid:
            raise ValueError(f"series {series!r} is not in folder {where!r}; it holds "
                             f"{sorted(by_uid)}")
        return by_uid[series]
    if len(by_uid) > 1:
        listing = "; ".join(f"{uid or '(no SeriesInstanceUID)'}: {len(items)} files, e.g. "
                            f"{items[0][0].name}" for uid, items in sorted(by_uid.items()))
        raise ValueError(f"folder {where!r} holds {len(by_uid)} DICOM series ({listing}); "
                         "choose one with series=<SeriesInstanceUID>")
    return next(iter(by_uid.values()))


def _geometry(items, keys):
    """Orientation (row and column direction cosines), pixel spacing and shape,
    checked to agree across the slices, and each slice's position."""
    first_path, first = items[0]
    iop = _floats(first, "ImageOrientationPatient", 6, str(first_path))
    spacing = _floats(first, "PixelSpacing", 2, str(first_path))
    if not (spacing > 0).all():
        raise ValueError(f"DICOM file {str(first_path)!r} has a PixelSpacing that is not "
                         f"positive: {spacing.tolist()}")
    shape = (int(first.get("Rows", 0)), int(first.get("Columns", 0)))
    for path, ds in _distinct(items, keys):
        where = str(path)
        if int(ds.get("NumberOfFrames", 1) or 1) != 1:
            raise ValueError(f"DICOM file {where!r} holds several frames; read_series "
                             "reads series of single-frame slices")
        if np.abs(_floats(ds, "ImageOrientationPatient", 6, where) - iop).max() \
                > _ORIENTATION_TOLERANCE:
            raise ValueError(f"DICOM file {where!r} has another ImageOrientationPatient "
                             f"than {first_path.name}: the slices are not one stack")
        if np.abs(_floats(ds, "PixelSpacing", 2, where) - spacing).max() > 1e-6 or \
                (int(ds.get("Rows", 0)), int(ds.get("Columns", 0))) != shape:
            raise ValueError(f"DICOM file {where!r} has another size or PixelSpacing "
                             f"than {first_path.name}")
    positions = np.array([_position(ds, str(path)) for path, ds in items]).reshape(-1, 3)
    return iop[:3], iop[3:], spacing, positions


def _drop_duplicates(items, depth, duplicates, where):
    """Items and depths with one slice per position (duplicates kept in file order)."""
    same = np.flatnonzero(np.diff(depth) < DUPLICATE_TOLERANCE_MM)
    if same.size == 0:
        return items, depth
    groups = {}
    for k in same:
        groups.setdefault(float(depth[k]), set()).update((k, k + 1))
    listing = "; ".join(
        " and ".join(items[k][0].name for k in sorted(ks)) + f" at {pos:g} mm"
        for pos, ks in groups.items())
    if duplicates == "raise":
        raise ValueError(f"DICOM series in {where!r} has slices that share a position "
                         f"({listing}); pass duplicates='first' to keep the first file "
                         "of each position")
    warnings.warn(f"DICOM series in {where!r}: dropped duplicate slices ({listing}), "
                  "keeping the first file of each position", UserWarning, stacklevel=3)
    keep = np.ones(len(items), dtype=bool)
    keep[same + 1] = False
    return [it for it, k in zip(items, keep) if k], depth[keep]


def _slice_gap(items, depth, gaps, where):
    """The slice spacing (the median gap), after checking the gaps are even."""
    if len(items) == 1:
        ds = items[0][1]
        for keyword in ("SpacingBetweenSlices", "SliceThickness"):
            try:
                value = float(ds.get(keyword, 0) or 0)
            except (TypeError, ValueError):
                value = 0.0
            if value > 0:
                return value
        return 1.0
    diffs = np.diff(depth)
    gap = float(np.median(diffs))
    odd = np.flatnonzero(np.abs(diffs - gap) > GAP_TOLERANCE_FRACTION * gap)
    if odd.size and gaps != "ignore":
        listing = "; ".join(f"{diffs[k]:g} mm between {items[k][0].name} and "
                            f"{items[k + 1][0].name}" for k in odd[:5])
        more = f" and {odd.size - 5} more" if odd.size > 5 else ""
        message = (f"DICOM series in {where!r} has uneven slice gaps (median {gap:g} mm; "
                   f"{listing}{more}): slices may be missing; the volume uses {gap:g} mm")
        if gaps == "raise":
            raise ValueError(message)
        warnings.warn(message, UserWarning, stacklevel=3)
    return gap


def _check_decoder(items, keys, where):
    from pydicom.pixels import get_decoder

    checked = set()
    for path, ds in _distinct(items, keys):
        meta = getattr(ds, "file_meta", None)
        syntax = meta.get("TransferSyntaxUID", None) if meta is not None else None
        if syntax is None or syntax in checked or not syntax.is_compressed:
            continue
        checked.add(syntax)
        try:
            available = get_decoder(syntax).is_available
        except NotImplementedError:
            available = False
        if not available:
            raise ImportError(
                f"DICOM file {str(path)!r} is compressed ({syntax.name}) and no decoder "
                "for it is installed. Install the pylibjpeg plugins with: "
                "pip install \"ctkidney[dicom]\"")


#: Transfer syntaxes whose pixels are the raw little-endian samples.
_RAW_SYNTAXES = ("1.2.840.10008.1.2", "1.2.840.10008.1.2.1")


def _raw_layout(ds):
    """``(dtype, bits_stored)`` when the slice's pixels can be taken straight from
    its bytes (uncompressed little-endian, one 8- or 16-bit sample), else None."""
    meta = getattr(ds, "file_meta", None)
    syntax = meta.get("TransferSyntaxUID", None) if meta is not None else None
    if syntax not in _RAW_SYNTAXES or int(ds.get("SamplesPerPixel", 1) or 1) != 1:
        return None
    bits = int(ds.get("BitsAllocated", 0) or 0)
    if bits not in (8, 16):
        return None
    stored = int(ds.get("BitsStored", bits) or bits)
    signed = int(ds.get("PixelRepresentation", 0) or 0) == 1
    if not 1 <= stored <= bits:
        return None
    return np.dtype(f"<{'i' if signed else 'u'}{bits // 8}"), stored


def _read_deferred_into(path, ds, out, size):
    """Read the pixel data that ``_scan`` deferred straight from the file into
    ``out`` (``size`` bytes, native byte order). False when it is not deferred or
    declares fewer bytes than ``size``: the caller then reads it through pydicom
    (and reports a short one)."""
    try:
        element = ds.get_item("PixelData", keep_deferred=True)
    except TypeError:  # a pydicom without keep_deferred
        return False
    tell = getattr(element, "value_tell", None)  # only a raw element has one
    if tell is None or element.value is not None or not size <= element.length < 0xFFFFFFFF:
        return False
    with open(path, "rb") as file:
        file.seek(tell)
        got = file.readinto(memoryview(out).cast("B"))
    if got < size:  # the file ends before the length its element declares
        raise ValueError(f"DICOM file {str(path)!r} has truncated pixel data "
                         f"({got} bytes for {out.shape[0]}x{out.shape[1]} pixels)")
    return True


def _pixels(items, keys):
    """The stored pixel values of every slice, stacked (no rescale), or None when
    the slices do not share one pixel dtype.

    Uncompressed little-endian slices are copied straight from their bytes into the
    stack, with pydicom's treatment of ``BitsStored`` (high bits masked off, or the
    sign extended) done once on the whole stack; other slices are decoded by
    pydicom (``pixel_array``)."""
    layouts = {_raw_layout(ds) for _, ds in _distinct(items, keys)}
    rows, cols = int(items[0][1].Rows), int(items[0][1].Columns)
    if len(layouts) == 1 and None not in layouts:
        dtype, stored = layouts.pop()
        stack = np.empty((len(items), rows, cols), dtype=dtype.newbyteorder("="))
        count = rows * cols
        size = count * dtype.itemsize
        for k, (path, ds) in enumerate(items):
            if dtype.isnative and _read_deferred_into(path, ds, stack[k], size):
                continue
            raw = ds.PixelData
            if len(raw) < size:
                raise ValueError(f"DICOM file {str(path)!r} has truncated pixel data "
                                 f"({len(raw)} bytes for {rows}x{cols} pixels)")
            stack[k] = np.frombuffer(raw, dtype=dtype, count=count).reshape(rows, cols)
        shift = dtype.itemsize * 8 - stored
        if shift and dtype.kind == "u":
            stack &= (1 << stored) - 1
        elif shift:
            stack <<= shift
            stack >>= shift
        return stack
    first = None
    stack = None
    for k, (path, ds) in enumerate(items):
        try:
            pixels = ds.pixel_array
        except Exception as exc:  # pydicom raises many types for broken pixel data
            raise ValueError(f"cannot decode the pixels of DICOM file {str(path)!r}: "
                             f"{exc}") from exc
        if pixels.ndim != 2:
            raise ValueError(f"DICOM file {str(path)!r} must hold one grayscale frame, "
                             f"got pixel data of shape {pixels.shape}")
        if stack is None:
            first = pixels.dtype
            stack = np.empty((len(items),) + pixels.shape, dtype=first)
        elif pixels.dtype != first:
            return None
        stack[k] = pixels
    return stack


def _to_hu(items, keys):
    """Hounsfield units of the slices, read_dicom's dtype rule over the whole stack."""
    rescales = {(_rescale(ds, "RescaleSlope", 1.0, str(p)),
                 _rescale(ds, "RescaleIntercept", 0.0, str(p)),
                 str(ds.get("PhotometricInterpretation", "MONOCHROME2")).upper())
                for p, ds in _distinct(items, keys)}
    stack = _pixels(items, keys) if len(rescales) == 1 else None
    slope, intercept, photometric = next(iter(rescales))
    if stack is None or photometric != "MONOCHROME2" or slope == 0.0 \
            or stack.dtype.kind not in "ui":
        # Rare cases (per-slice rescale, MONOCHROME1, float pixels): slice by slice.
        slices = [read_dicom(p) for p, _ in items]
        dtype = np.result_type(*slices)
        return np.stack(slices).astype(np.int16 if dtype == np.int16 else np.float32)
    lo, hi = int(stack.min()), int(stack.max())
    bounds = rescaled_bounds(lo, hi, slope, intercept, f"series {str(Path(items[0][0]).parent)}")
    if slope.is_integer() and intercept.is_integer():
        if bounds[0] >= -32768 and bounds[1] <= 32767:
            if stack.dtype == np.int16 and max(abs(lo), abs(hi)) * abs(slope) <= 32767:
                out = stack  # in place: ours, and every step stays in range
            else:
                out = stack.astype(np.int32)
            if slope != 1:
                out *= int(slope)
            if intercept != 0:
                out += int(intercept)
            return out.astype(np.int16, copy=False)
    if max(abs(slope), abs(intercept)) > float(np.finfo(np.float32).max):
        # Only for pixels that are all 0 (rescaled_bounds refuses the rest).
        return (stack * slope + intercept).astype(np.float32)
    return (stack * np.float32(slope) + np.float32(intercept)).astype(np.float32)


def _to_convention(hu, axes, spacing, corner):
    """Transpose and flip ``hu`` (axes along ``axes``, LPS unit vectors) to
    DESIGN's convention: axis 0 toward +z (superior), 1 toward +y (posterior),
    2 toward +x (the patient's left)."""
    component = np.abs(axes).argmax(axis=1)
    if sorted(component.tolist()) != [0, 1, 2]:
        raise ValueError("the slice orientation is degenerate (two image axes point "
                         "along one anatomical axis)")
    perm = [int(np.flatnonzero(component == target)[0]) for target in (2, 1, 0)]
    flips = [axes[a, t] < 0 for a, t in zip(perm, (2, 1, 0))]
    cosines = [abs(axes[a, t]) for a, t in zip(perm, (2, 1, 0))]
    hu = hu.transpose(perm)
    index = [0, 0, 0]
    for new_axis, (a, flip) in enumerate(zip(perm, flips)):
        if flip:
            hu = np.flip(hu, axis=new_axis)
            index[a] = hu.shape[new_axis] - 1
    origin = corner(index)
    tilt = float(np.degrees(np.arccos(np.clip(min(cosines), -1.0, 1.0))))
    return (np.ascontiguousarray(hu), tuple(float(spacing[a]) for a in perm),
            (float(origin[2]), float(origin[1]), float(origin[0])), tilt)


def read_series(folder, *, series=None, duplicates="raise", gaps="warn"):
    """Read a folder of DICOM slices as one :class:`Volume` in Hounsfield units.

    The slices are sorted by their position along the slice normal
    (``ImageOrientationPatient`` x ``ImagePositionPatient``), not by file name or
    ``InstanceNumber``, and rescaled to HU with ``RescaleSlope`` and
    ``RescaleIntercept`` (as :func:`read_dicom`). The axes are then transposed and
    flipped (never resampled) to DESIGN's convention: slices inferior to superior,
    anterior up, the patient's right on the image's left. Sagittal and coronal
    series come out as axial volumes.

    Parameters
    ----------
    folder : str or path-like
        A folder of single-frame DICOM files (not searched recursively). Files that
        are not DICOM, hidden files and DICOM files without pixels are skipped.
    series : str, optional
        The ``SeriesInstanceUID`` to read when the folder holds several series.
    duplicates : {'raise', 'first'}, optional
        Slices that share one position: ``'raise'`` (default) refuses the series,
        naming the files; ``'first'`` keeps the first file (by name) of each
        position and warns.
    gaps : {'warn', 'raise', 'ignore'}, optional
        Uneven gaps between slices (missing slices; more than
        ``GAP_TOLERANCE_FRACTION`` off the median gap): ``'warn'`` (default) reads
        the volume with the median gap as slice spacing and issues a
        ``UserWarning`` naming the files on both sides of each odd gap;
        ``'raise'`` refuses the series; ``'ignore'`` says nothing.

    Returns
    -------
    volume : Volume
        ``hu`` (Z, Y, X): int16 when slope and intercept are integers and the
        values fit int16, else float32. ``spacing`` ``(dz, dy, dx)`` in mm: the
        median gap between slice positions (``SpacingBetweenSlices`` or
        ``SliceThickness`` for a single slice) and ``PixelSpacing``. ``origin``:
        the LPS position of voxel ``[0, 0, 0]`` in ``(z, y, x)`` order.

    Raises
    ------
    TypeError
        If ``folder`` is not a str or path-like.
    ValueError
        If the folder is missing or holds no DICOM image; holds several series and
        ``series`` is not given (the message lists them); a slice lacks its
        position or orientation, has another orientation, size or pixel spacing
        than the others, holds several frames or cannot be decoded; slices share a
        position (``duplicates='raise'``); gaps are uneven (``gaps='raise'``).
        The message names the files.
    ImportError
        If the slices are compressed (JPEG 2000, JPEG-LS, JPEG, RLE) and no
        decoder is installed: ``pip install "ctkidney[dicom]"``.

    Warns
    -----
    UserWarning
        For uneven gaps (``gaps='warn'``), dropped duplicates
        (``duplicates='first'``), and an oblique series (more than
        ``OBLIQUE_TOLERANCE_DEG`` off the anatomical axes: mapped to the nearest
        axes without resampling).

    See Also
    --------
    read_dicom : one slice.
    read_nifti, write_nifti

    Examples
    --------
    >>> import tempfile, pathlib, warnings
    >>> from pydicom.data import get_testdata_file
    >>> import pydicom
    >>> from ctkidney.data import read_series
    >>> ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for k in range(3):   # three slices 2 mm apart, written out of order
    ...         ds.ImagePositionPatient = [0, 0, -2.0 * k]
    ...         ds.SOPInstanceUID = pydicom.uid.generate_uid()
    ...         ds.save_as(pathlib.Path(tmp) / f"s{k}.dcm")
    ...     vol = read_series(tmp)
    >>> vol.hu.shape, vol.hu.dtype, vol.spacing
    ((3, 128, 128), dtype('int16'), (2.0, 0.661468, 0.661468))
    >>> vol.origin[0]     # the lowest slice first (z toward the head)
    -4.0
    """
    folder = _check_path(folder, "folder")
    duplicates = check_choice(duplicates, "duplicates", ("raise", "first"))
    gaps = check_choice(gaps, "gaps", ("warn", "raise", "ignore"))
    if series is not None and not isinstance(series, str):
        raise TypeError(f"series must be a SeriesInstanceUID string, got {series!r}")
    where = str(folder)
    if not folder.is_dir():
        raise ValueError(f"folder {where!r} is not a directory")
    found = _scan(folder)
    if not found:
        raise ValueError(f"folder {where!r} holds no DICOM image files")
    items = _select_series(found, series, where)
    keys = _shared_keys(items)
    row_dir, col_dir, pixel_spacing, positions = _geometry(items, keys)
    normal = np.cross(row_dir, col_dir)
    if not np.isclose(np.linalg.norm(normal), 1.0, atol=1e-2):
        raise ValueError(f"DICOM file {str(items[0][0])!r} has an invalid "
                         "ImageOrientationPatient (not two unit vectors at right angles)")
    depth = positions @ normal
    order = np.argsort(depth, kind="stable")
    items = [items[k] for k in order]
    positions, depth = positions[order], depth[order]
    keep_positions = {id(ds): pos for (_, ds), pos in zip(items, positions)}
    items, depth = _drop_duplicates(items, depth, duplicates, where)
    dz = _slice_gap(items, depth, gaps, where)
    _check_decoder(items, keys, where)
    hu = _to_hu(items, keys)
    # Array axes (k, j, i) point along the normal, the column and the row direction.
    axes = np.array([normal, col_dir, row_dir])
    dy, dx = (float(s) for s in pixel_spacing)
    first = keep_positions[id(items[0][1])]
    last = keep_positions[id(items[-1][1])]

    def corner(index):
        base = last if index[0] else first
        return base + index[1] * dy * col_dir + index[2] * dx * row_dir

    hu, spacing, origin, tilt = _to_convention(hu, axes, (dz, dy, dx), corner)
    if tilt > OBLIQUE_TOLERANCE_DEG:
        warnings.warn(f"DICOM series in {where!r} is oblique ({tilt:.1f} degrees off the "
                      "anatomical axes): its axes were mapped to the nearest ones, "
                      "without resampling", UserWarning, stacklevel=2)
    return Volume(hu, spacing, origin)
