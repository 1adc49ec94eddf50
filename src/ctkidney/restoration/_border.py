"""Border extension with scipy.ndimage semantics, shared by every window filter.

A window filter of half-size ``(r, c)`` pads the image by ``(r, c)`` the way
scipy.ndimage's ``mode`` says, then reads only the padded array: its output at
``(i, j)`` is a function of ``padded[i:i + 2r + 1, j:j + 2c + 1]``. Any library
routine that is exact on the interior of the padded array (OpenCV's medianBlur,
erode, boxFilter) therefore gives exactly the scipy.ndimage result for every mode
once its output is cropped back.
"""

import cv2
import numpy as np

from ctkidney._shared.validation import check_image, check_mode, check_scalar, check_size

__all__ = ["check_window", "crop", "pad", "saturate_cval"]

_NUMPY_MODE = {"reflect": "symmetric", "mirror": "reflect", "nearest": "edge",
               "wrap": "wrap", "constant": "constant"}
_CV2_BORDER = {"reflect": cv2.BORDER_REFLECT, "mirror": cv2.BORDER_REFLECT_101,
               "nearest": cv2.BORDER_REPLICATE, "wrap": cv2.BORDER_WRAP,
               "constant": cv2.BORDER_CONSTANT}


def saturate_cval(cval, dtype):
    """``cval`` as a value of ``dtype`` (integers: rounded half to even, saturated)."""
    dtype = np.dtype(dtype)
    if dtype.kind in "ui":
        info = np.iinfo(dtype)
        return dtype.type(np.clip(np.rint(cval), info.min, info.max))
    return dtype.type(cval)


def check_window(image, size, mode, cval, *, name="size"):
    """Validate the common arguments of a window filter.

    Returns ``(image, (rows, cols), mode, cval)``. A window side may not exceed
    ``2 * side + 1`` of the image: a larger window only sees more copies of the
    extended border, which is almost surely a mistake.
    """
    image = check_image(image)
    size = check_size(size, name)
    for s, n, axis in zip(size, image.shape, ("rows", "cols")):
        if s > 2 * n + 1:
            raise ValueError(
                f"{name} must be at most 2 * image {axis} + 1 = {2 * n + 1}, got {s}"
            )
    mode = check_mode(mode)
    cval = check_scalar(cval, "cval")
    return image, size, mode, cval


def pad(image, half, mode, cval=0.0):
    """Pad ``image`` by ``half = (rows, cols)`` on each side with scipy's ``mode``.

    Returns a C-contiguous array of the image's dtype.
    """
    pr, pc = half
    rows, cols = image.shape
    if pr == 0 and pc == 0:
        return np.ascontiguousarray(image)
    fill = saturate_cval(cval, image.dtype)
    if pr < rows and pc < cols:
        src = np.ascontiguousarray(image)
        return cv2.copyMakeBorder(src, pr, pr, pc, pc, _CV2_BORDER[mode], value=float(fill))
    kwargs = {"constant_values": fill} if mode == "constant" else {}
    return np.ascontiguousarray(np.pad(image, ((pr, pr), (pc, pc)), _NUMPY_MODE[mode], **kwargs))


def crop(padded, half, shape):
    """The interior of ``padded`` (inverse of :func:`pad`)."""
    pr, pc = half
    return padded[pr:pr + shape[0], pc:pc + shape[1]]
