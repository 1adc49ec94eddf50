"""Border extension with scipy.ndimage's ``mode`` names, translated in one place.

scipy.ndimage maps its mode names to its C codes in one function
(``_ni_support._extend_mode_to_code``); this module is that function here. It
holds the one table from a scipy mode to OpenCV's border flag (and to
:func:`numpy.pad`'s name for volumes and over-long windows), the one check of
``mode`` and ``cval``, and the padding that serves the modes OpenCV's filters lack.

A window filter that reaches ``(top, bottom)`` rows and ``(left, right)`` columns
outside the pixel it computes can pad the image by that much the way scipy's
``mode`` says, filter the padded array and crop it back (:func:`pad`,
:func:`crop`): any library routine that is exact on the interior of the padded
array (OpenCV's medianBlur, erode, boxFilter, filter2D) then gives exactly the
scipy.ndimage result for every mode.
"""

import numbers

import cv2
import numpy as np

from ctkidney._shared.validation import MODES, check_mode, check_scalar

__all__ = ["CV2_BORDERS", "MODES", "NUMPY_PAD_MODES", "check_border", "crop", "cv2_border",
           "pad", "saturate_cval"]

#: scipy.ndimage mode -> OpenCV border flag. ``BORDER_REFLECT`` repeats the edge
#: pixel (``d c b a | a b c d``), ``BORDER_REFLECT_101`` does not (``d c b | a b c d``).
#: OpenCV's filters (``filter2D``, ``sepFilter2D``, ``GaussianBlur``) refuse
#: ``BORDER_WRAP`` and take no border value: :func:`cv2_border` says when to pad.
CV2_BORDERS = {
    "reflect": cv2.BORDER_REFLECT,
    "mirror": cv2.BORDER_REFLECT_101,
    "nearest": cv2.BORDER_REPLICATE,
    "wrap": cv2.BORDER_WRAP,
    "constant": cv2.BORDER_CONSTANT,
}

#: scipy.ndimage mode -> :func:`numpy.pad` mode.
NUMPY_PAD_MODES = {"reflect": "symmetric", "mirror": "reflect", "nearest": "edge",
                   "wrap": "wrap", "constant": "constant"}


def check_border(mode, cval):
    """Validate a border: ``(mode, cval)`` as a known mode name and a float.

    One rule for every filter: ``mode`` must be one of :data:`MODES` (else
    ``ValueError`` naming ``mode``); ``cval`` must be a real number (else
    ``TypeError`` naming ``cval``) and finite (NaN, +-inf and numbers too large for
    a float raise ``ValueError`` naming ``cval``), whatever the mode.
    """
    return check_mode(mode), check_scalar(cval, "cval")


def saturate_cval(cval, dtype):
    """``cval`` as a value of ``dtype`` (integers: rounded half to even, saturated)."""
    dtype = np.dtype(dtype)
    if dtype.kind in "ui":
        info = np.iinfo(dtype)
        return dtype.type(np.clip(np.rint(cval), info.min, info.max))
    return dtype.type(cval)


def _reach_pairs(reach, ndim):
    """``reach`` (an int, one int per axis, or ``(before, after)`` per axis) as pairs."""
    # isinstance, not np.ndim (10x slower): this runs on every call of the fastest filters.
    if isinstance(reach, numbers.Integral):
        return ((int(reach), int(reach)),) * ndim
    pairs = []
    for r in reach:
        pairs.append((int(r), int(r)) if isinstance(r, numbers.Integral)
                     else (int(r[0]), int(r[1])))
    return tuple(pairs)


def cv2_border(mode, cval, reach, shape):
    """The OpenCV border flag under which a filter that reaches ``reach`` outside
    each pixel computes scipy's ``mode`` directly, or ``None`` when the image must
    be padded first with :func:`pad`: ``'wrap'``, ``'constant'`` with a non-zero
    ``cval`` (OpenCV's filters take no border value), and reaches as long as the
    image (where OpenCV's reflections are not scipy's)."""
    pairs = _reach_pairs(reach, len(shape))
    if mode == "wrap" or (mode == "constant" and cval != 0) \
            or any(max(p) >= n for p, n in zip(pairs, shape)):
        return None
    return CV2_BORDERS[mode]


def pad(image, reach, mode, cval=0.0):
    """Extend ``image`` by ``reach`` on each side with scipy's ``mode``.

    ``reach`` is an int, one int per axis (the same on both sides), or a
    ``(before, after)`` pair per axis. ``cval`` is cast to the image's dtype
    (:func:`saturate_cval`). Returns a C-contiguous array of the image's dtype.
    OpenCV's ``copyMakeBorder`` pads a 2-D image whose sides are longer than the
    reach; :func:`numpy.pad` (slower) the rest, with the same values.
    """
    pairs = _reach_pairs(reach, image.ndim)
    if not any(a or b for a, b in pairs):
        return np.ascontiguousarray(image)
    if image.ndim == 2:
        (top, bottom), (left, right) = pairs
        rows, cols = image.shape
        if max(top, bottom) < rows and max(left, right) < cols:
            fill = float(saturate_cval(cval, image.dtype)) if mode == "constant" else 0.0
            return cv2.copyMakeBorder(np.ascontiguousarray(image), top, bottom, left, right,
                                      CV2_BORDERS[mode], value=fill)
    kwargs = {"constant_values": saturate_cval(cval, image.dtype)} if mode == "constant" else {}
    return np.ascontiguousarray(np.pad(image, pairs, NUMPY_PAD_MODES[mode], **kwargs))


def crop(padded, reach, shape):
    """The interior of ``padded`` (the inverse of :func:`pad`)."""
    pairs = _reach_pairs(reach, len(shape))
    return padded[tuple(slice(p[0], p[0] + n) for p, n in zip(pairs, shape))]
