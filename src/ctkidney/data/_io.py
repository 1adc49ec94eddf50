"""Readers: 8/16-bit image files, DICOM slices in Hounsfield units, and resizing."""

import math
import os
import struct
import warnings
from pathlib import Path

import cv2
import numpy as np

from ctkidney._shared.validation import check_image, check_memory, near_float32_max

__all__ = ["read_dicom", "read_image", "resize"]


def _check_path(path, name="path"):
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name} must be a str or path-like, got {path!r} ({type(path).__name__})")
    if not os.fspath(path):
        raise ValueError(f"{name} must not be empty")
    return Path(path)


# Files (mismatches, unreadable files, files passed over) listed in a message
# before "... and N more".
_MAX_LISTED = 10


def _listing(items):
    """``items`` joined by "; ", the first ``_MAX_LISTED`` of them."""
    shown = "; ".join(items[:_MAX_LISTED])
    more = len(items) - _MAX_LISTED
    return shown + (f"; ... and {more} more" if more > 0 else "")


#: Samples per pixel that OpenCV decodes a PNG into, by the header's colour type
#: (gray, -, RGB, palette, gray + alpha, -, RGBA).
_PNG_CHANNELS = {0: 1, 2: 3, 3: 3, 4: 4, 6: 4}
#: JPEG start-of-frame markers (baseline, progressive, lossless, arithmetic).
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _declared_bytes(data):
    """The bytes OpenCV will allocate to decode a PNG or JPEG file, read off its
    header (``None`` for other formats or a header that makes no sense: OpenCV
    judges those). A header may claim far more pixels than the file holds."""
    head = bytes(data[:8])
    if head == b"\x89PNG\r\n\x1a\n" and bytes(data[12:16]) == b"IHDR" and len(data) >= 26:
        width, height, depth, colour = struct.unpack(">IIBB", bytes(data[16:26]))
        channels = _PNG_CHANNELS.get(colour)
        return None if channels is None else width * height * channels * (2 if depth == 16 else 1)
    if head[:2] != b"\xff\xd8":
        return None
    at = 2
    while at + 9 < len(data):  # markers, each with a two-byte length, up to a frame
        if data[at] != 0xFF:
            return None
        marker = int(data[at + 1])
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in _JPEG_SOF:
            height, width, components = struct.unpack(">HHB", bytes(data[at + 5:at + 10]))
            return width * height * max(components, 1)
        if marker == 0xDA:  # the scan begins: no frame header came before it
            return None
        at += 2 + int.from_bytes(bytes(data[at + 2:at + 4]), "big")
    return None


def read_image(path):
    """Read an image file as a 2-D grayscale array.

    Any format OpenCV decodes (JPEG, PNG, TIFF, BMP, ...) is read with its bit depth
    kept: 8-bit files give uint8, 16-bit files (PNG, TIFF) give uint16. Colour
    images are converted to gray with OpenCV's luma weights (0.299 R + 0.587 G +
    0.114 B); an alpha channel is dropped. The pixels are read as stored: an EXIF
    orientation is not applied, and a multi-page TIFF gives its first page.

    Parameters
    ----------
    path : str or path-like
        The file. Non-ASCII paths work (the bytes are read by NumPy and decoded by
        OpenCV, which sidesteps ``cv2.imread``'s path encoding on Windows).

    Returns
    -------
    image : (M, N) ndarray
        uint8 or uint16.

    Raises
    ------
    TypeError
        If ``path`` is not a str or path-like.
    ValueError
        If the file is missing, empty, not an image, truncated beyond decoding, of
        another bit depth, or a PNG or JPEG whose header claims more pixels than
        memory allows (checked before decoding; the message names the path).

    See Also
    --------
    read_dicom : DICOM slices in Hounsfield units.

    Examples
    --------
    >>> import tempfile, pathlib, cv2, numpy as np
    >>> from ctkidney.data import read_image
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "slice.png"
    ...     _ = cv2.imwrite(str(path), np.full((4, 6, 3), (0, 0, 255), np.uint8))
    ...     image = read_image(path)
    >>> image.shape, image.dtype, int(image[0, 0])
    ((4, 6), dtype('uint8'), 76)
    """
    path = _check_path(path)
    if path.exists() and not path.is_file():
        # A folder, or a FIFO, socket or device: reading one may block forever.
        raise ValueError(f"cannot read image file path={str(path)!r}: not a regular file")
    try:
        data = np.fromfile(path, dtype=np.uint8)
    except OSError as exc:
        raise ValueError(f"cannot read image file path={str(path)!r}: {exc}") from exc
    declared = _declared_bytes(data)
    if declared is not None:  # before OpenCV allocates what the header claims
        check_memory(declared, "path", str(path))
    try:
        image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None
    except cv2.error as exc:  # a header claiming more pixels than OpenCV allows, ...
        reason = getattr(exc, "err", None) or str(exc).strip().splitlines()[-1]
        raise ValueError(f"cannot decode image file {str(path)!r}: OpenCV refused it "
                         f"({reason})") from None
    if image is None:
        raise ValueError(f"cannot decode image file {str(path)!r}: not an image, or corrupt")
    if image.dtype not in (np.uint8, np.uint16):
        raise ValueError(f"image file {str(path)!r} has unsupported sample type {image.dtype} "
                         "(only 8- and 16-bit images are read)")
    if image.ndim == 3:
        code = {3: cv2.COLOR_BGR2GRAY, 4: cv2.COLOR_BGRA2GRAY}.get(image.shape[2])
        image = image[:, :, 0] if code is None else cv2.cvtColor(image, code)
    return np.ascontiguousarray(image)


def resize(image, size):
    """Resize ``image`` to ``size`` (area interpolation shrinking, linear enlarging).

    Parameters
    ----------
    image : (M, N) ndarray
        uint8, uint16, int16, float32 or float64.
    size : int or (int, int)
        Output ``(size, size)`` or ``(rows, cols)``.

    Returns
    -------
    resized : ndarray
        Same dtype as ``image`` (integers rounded and saturated by OpenCV).

    Raises
    ------
    TypeError, ValueError
        For a bad image or size.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.data import resize
    >>> resize(np.arange(16, dtype=np.uint8).reshape(4, 4), 2)
    array([[ 3,  5],
           [11, 13]], dtype=uint8)
    """
    image = check_image(image)
    rows, cols = _check_shape(size)
    if (rows, cols) == image.shape:
        return image.copy()
    shrink = rows * cols < image.shape[0] * image.shape[1]
    interp = cv2.INTER_AREA if shrink else cv2.INTER_LINEAR
    if near_float32_max(image, 4):
        # OpenCV sums float32 in float32: near its largest values the sums overflow;
        # float64 keeps them within the input's range.
        return cv2.resize(image.astype(np.float64), (cols, rows),
                          interpolation=interp).astype(np.float32)
    return cv2.resize(image, (cols, rows), interpolation=interp)


def _check_shape(size, name="size"):
    if isinstance(size, (bool, np.bool_)):
        raise TypeError(f"{name} must be an int or a (rows, cols) pair, got {size!r}")
    if isinstance(size, (int, np.integer)):
        pair = (int(size), int(size))
    elif isinstance(size, (tuple, list)) and len(size) == 2 and all(
            isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in size):
        pair = (int(size[0]), int(size[1]))
    else:
        raise TypeError(f"{name} must be an int or a (rows, cols) pair, got {size!r}")
    if min(pair) < 1:
        raise ValueError(f"{name} must be positive, got {size!r}")
    if max(pair) >= 2**31:
        raise ValueError(f"{name} must be below 2**31 pixels a side (OpenCV's limit), "
                         f"got {size!r}")
    check_memory(8 * pair[0] * pair[1], name, size)
    return pair


def read_dicom(path):
    """Read a DICOM slice in Hounsfield units.

    The stored pixel values are rescaled with ``RescaleSlope`` and
    ``RescaleIntercept`` (defaults 1 and 0), and MONOCHROME1 images (where a high
    value is dark) are inverted first, so that a larger output always means a
    denser tissue.

    Parameters
    ----------
    path : str or path-like
        A single-frame DICOM file.

    Returns
    -------
    hu : (M, N) ndarray
        int16 when slope and intercept are integers and the result fits int16,
        else float32.

    Raises
    ------
    TypeError
        If ``path`` is not a str or path-like.
    ValueError
        If the file is missing, not DICOM, truncated or malformed, has no image,
        or holds several frames or colour samples (the message names the file).

    See Also
    --------
    read_image : 8/16-bit image files.

    Examples
    --------
    >>> from pydicom.data import get_testdata_file
    >>> from ctkidney.data import read_dicom
    >>> hu = read_dicom(get_testdata_file("CT_small.dcm"))
    >>> hu.shape, hu.dtype
    ((128, 128), dtype('int16'))
    """
    path = _check_path(path)
    import pydicom
    from pydicom.errors import InvalidDicomError

    where = str(path)
    errors = (InvalidDicomError, OSError, EOFError, ValueError, KeyError, TypeError,
              AttributeError, IndexError, struct.error)
    try:
        try:
            ds = pydicom.dcmread(path)
        except InvalidDicomError:
            # Older files lack the 128-byte preamble and meta header; read them
            # anyway (a non-DICOM file then fails the PixelData check below).
            with warnings.catch_warnings():  # pydicom warns while guessing
                warnings.simplefilter("ignore")
                ds = pydicom.dcmread(path, force=True)
    except errors as exc:
        raise ValueError(f"cannot read DICOM file path={where!r}: {exc}") from exc
    if "PixelData" not in ds and "FloatPixelData" not in ds \
            and "DoubleFloatPixelData" not in ds:
        raise ValueError(f"DICOM file {where!r} holds no image (no PixelData), or is not "
                         "a DICOM file")
    try:
        pixels = ds.pixel_array
    except Exception as exc:  # pydicom raises many types for broken pixel data
        raise ValueError(f"cannot decode the pixels of DICOM file {where!r}: {exc}") from exc
    if pixels.ndim != 2:
        raise ValueError(f"DICOM file {where!r} must hold one grayscale frame, "
                         f"got pixel data of shape {pixels.shape}")
    photometric = str(ds.get("PhotometricInterpretation", "MONOCHROME2")).upper()
    if photometric not in ("MONOCHROME1", "MONOCHROME2"):
        raise ValueError(f"DICOM file {where!r} is not grayscale "
                         f"(PhotometricInterpretation {photometric})")
    slope = _rescale(ds, "RescaleSlope", 1.0, where)
    intercept = _rescale(ds, "RescaleIntercept", 0.0, where)
    if slope == 0.0:
        raise ValueError(f"DICOM file {where!r} has RescaleSlope 0")
    integral = slope.is_integer() and intercept.is_integer() and pixels.dtype.kind in "ui"
    # Exact integer arithmetic when the result can be int16; float64 otherwise.
    values = pixels.astype(np.int64 if integral else np.float64)
    if photometric == "MONOCHROME1":
        # Invert within the stored range so that dense tissue gets high values.
        if pixels.dtype.kind in "ui":
            bits = int(ds.get("BitsStored", pixels.dtype.itemsize * 8))
            if pixels.dtype.kind == "u":
                lo, hi = 0, 2**bits - 1
            else:
                lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
            values = (lo + hi) - values
        else:
            values = -values
    low, high = rescaled_bounds(values.min(), values.max(), slope, intercept, where)
    if integral and -32768 <= low and high <= 32767:
        if slope != 1.0:
            values *= int(slope)
        if intercept != 0.0:
            values += int(intercept)
        return values.astype(np.int16)
    return (values * slope + intercept).astype(np.float32)


def rescaled_bounds(lo, hi, slope, intercept, where):
    """The least and largest of ``values * slope + intercept`` for stored values
    from ``lo`` to ``hi``, in Python floats (no integer wrap-around); a ValueError
    naming ``where`` if they lie beyond float32, in which the HU are returned."""
    ends = [float(v) * slope + intercept for v in (lo, hi)]
    low, high = min(ends), max(ends)
    if not (math.isfinite(low) and math.isfinite(high)) or \
            max(abs(low), abs(high)) > float(np.finfo(np.float32).max):
        raise ValueError(f"DICOM {where!r}: RescaleSlope {slope:g} and RescaleIntercept "
                         f"{intercept:g} take its values beyond float32 ({low:g} to {high:g})")
    return low, high


def _rescale(ds, keyword, default, where):
    """A rescale value as a finite float (``default`` when absent or empty)."""
    value = ds.get(keyword, None)
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    try:
        value = float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"DICOM file {where!r} has a malformed rescale "
                         f"{keyword} {value!r}") from exc
    if not np.isfinite(value):
        raise ValueError(f"DICOM file {where!r} has a non-finite rescale {keyword} {value}")
    return value
