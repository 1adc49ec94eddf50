"""Linear neighbourhood filtering with scipy.ndimage semantics, computed by OpenCV.

``cv2.filter2D``/``cv2.sepFilter2D`` compute the same correlation as
``scipy.ndimage.correlate``/``correlate1d`` about 10x faster. Borders are
translated by :mod:`ctkidney._shared.border`: OpenCV's own border where it is
scipy's, else (``wrap``, ``constant`` with a non-zero ``cval``, kernels as long as
the image) the image is padded first.
"""

import math

import cv2
import numpy as np

from ctkidney._shared.border import crop, cv2_border, pad, saturate_cval
from ctkidney._shared.validation import saturate

__all__ = ["box_mean", "correlate_2d", "correlate_separable", "gaussian", "gaussian_kernel1d",
           "work_dtype"]

_CV_DEPTHS = {np.dtype(np.float32): cv2.CV_32F, np.dtype(np.float64): cv2.CV_64F}
#: Sources OpenCV filters straight into float64.
_CV_SOURCES = tuple(np.dtype(d) for d in (np.uint8, np.uint16, np.int16, np.float32))


def work_dtype(dtype, *, exact_integers=True):
    """Float type to compute in: float64 for float64 input, and for integer input
    when the result is rounded back to integers (so that rounding is exact);
    float32 otherwise."""
    dtype = np.dtype(dtype)
    if dtype == np.float64 or (exact_integers and dtype.kind in "ui"):
        return np.dtype(np.float64)
    return np.dtype(np.float32)


def _run(filter_func, image, dtype, mode, cval, reach, huge_kernel=False):
    """Apply ``filter_func(src, border, work_dtype)``; ``reach = ((top, bottom), (left, right))``
    is how far the kernel reaches outside the pixel it computes.

    A float64 ``dtype`` computes in float64; otherwise the work is float32, or
    float64 when the values or ``cval`` are beyond 1e30 (the float32 sums would
    overflow, and inf - inf is NaN), rounded once to ``dtype`` at the end.
    ``huge_kernel``: the kernel holds weights beyond 1e30, work in float64.
    """
    work = dtype
    if dtype != np.float64 and (huge_kernel or abs(cval) > 1e30
                                or float(np.abs(image).max()) > 1e30):
        work = np.dtype(np.float64)
    border = cv2_border(mode, cval, reach, image.shape)
    if border is not None and work == np.float64 and image.dtype in _CV_SOURCES:
        # OpenCV reads the image in its own type and accumulates in float64
        # (ddepth CV_64F): the float64 result, without a float64 copy (2-3x faster).
        src = np.ascontiguousarray(image)
    else:
        src = np.ascontiguousarray(image, dtype=work)
    if border is None:
        # Pad explicitly (constant: with cval itself, not the image shifted by
        # -cval, which loses the image's precision when |cval| is large).
        padded = pad(src, reach, mode, cval)
        out = crop(filter_func(padded, cv2.BORDER_CONSTANT, work), reach, image.shape)
    else:
        out = filter_func(src, border, work)
    with np.errstate(over="ignore"):
        return np.ascontiguousarray(out, dtype=dtype)


def correlate_2d(image, kernel, anchor, mode, cval, dtype):
    """``scipy.ndimage.correlate`` with the kernel's origin at ``anchor`` (row,
    col), in float ``dtype``."""
    kh, kw = np.shape(kernel)
    reach = ((anchor[0], kh - 1 - anchor[0]), (anchor[1], kw - 1 - anchor[1]))
    big = float(np.abs(kernel).max()) > 1e30

    def run(src, border, work):
        # filter2D, unlike sepFilter2D, has no float32 -> float64 path.
        src = src.astype(work, copy=False)
        return cv2.filter2D(src, _CV_DEPTHS[work], np.asarray(kernel, dtype=work),
                            anchor=(anchor[1], anchor[0]), borderType=border)

    return _run(run, image, np.dtype(dtype), mode, cval, reach, huge_kernel=big)


def correlate_separable(image, kernel_rows, kernel_cols, mode, cval, dtype):
    """Two centred, odd 1-D correlations: ``kernel_rows`` along axis 0 and
    ``kernel_cols`` along axis 1 (``scipy.ndimage.correlate1d`` twice)."""
    reach = ((np.size(kernel_rows) // 2,) * 2, (np.size(kernel_cols) // 2,) * 2)

    def run(src, border, work):
        return cv2.sepFilter2D(src, _CV_DEPTHS[work], np.asarray(kernel_cols, dtype=work),
                               np.asarray(kernel_rows, dtype=work), borderType=border)

    return _run(run, image, np.dtype(dtype), mode, cval, reach)


def gaussian_kernel1d(sigma, truncate):
    """scipy.ndimage's sampled Gaussian (``_gaussian_kernel1d`` of order 0, the same
    arithmetic): radius ``int(truncate * sigma + 0.5)``, weights
    ``exp(-0.5 / sigma**2 * x**2)`` normalized to sum 1 (``[1]`` for ``sigma == 0``)."""
    if sigma <= 1e-15:
        return np.ones(1)
    radius = int(truncate * sigma + 0.5)
    x = np.arange(-radius, radius + 1)
    weights = np.exp(-0.5 / (sigma * sigma) * x ** 2)
    return weights / weights.sum()


def gaussian(image, sigma, truncate, mode, cval, dtype):
    """``scipy.ndimage.gaussian_filter`` of a 2-D image in float ``dtype``: the one
    Gaussian smoothing of the package; ``sigma = (rows, cols)`` in pixels."""
    return correlate_separable(image, gaussian_kernel1d(sigma[0], truncate),
                               gaussian_kernel1d(sigma[1], truncate), mode, cval, dtype)


def box_mean(image, size, mode, cval, *, cval_in_image_dtype=False):
    """The mean over a ``size = (rows, cols)`` window, in the image's dtype: the one
    box filter behind ``enhancement.mean_filter`` and ``restoration.arithmetic_mean``
    (as scipy serves its minimum and maximum filters through ``_min_or_max_filter``).

    ``scipy.ndimage.uniform_filter`` of the image in float64, rounded half to even
    and saturated for integer images, rounded once for float32 images. The two
    public filters differ in one thing, ``cval_in_image_dtype``: ``True`` casts
    ``cval`` to the image's dtype first (:func:`saturate_cval`), as the
    order-statistic filters, which pad in the image's dtype, do.
    """
    rows, cols = size
    dtype = image.dtype
    if cval_in_image_dtype:
        cval = float(saturate_cval(cval, dtype))
    if dtype != np.float64:
        # Rounded to integers or to float32: weights 1/rows and 1/cols (one pass less)
        # round as the exact mean does. The mean of integers lies at least
        # 1 / (2 * area) from a rounding tie; a float32 mean differs only within
        # about 1e-16 of a tie, and a flat float32 region stays exact.
        out = correlate_separable(image, np.full(rows, 1.0 / rows), np.full(cols, 1.0 / cols),
                                  mode, cval, np.dtype(np.float64))
        return saturate(out, dtype, copy=False)
    # Float64: the window sum divided once by the area (not weights 1/area), so that
    # a flat region of integers, HU for instance, keeps its value exactly. Values
    # whose sum could overflow are scaled by a power of two first (exact).
    area = rows * cols
    scale = 1.0
    if max(-float(image.min()), float(image.max()), abs(cval)) * area > 1e300:
        scale = 2.0 ** math.ceil(math.log2(area))
        image = image / scale
        cval = cval / scale
    out = correlate_separable(image, np.ones(rows), np.ones(cols), mode, cval, dtype)
    out /= area
    if scale != 1.0:
        out *= scale
    return out
