"""Order-statistic filters: median, min, max, midpoint and alpha-trimmed mean.

Median, min and max equal ``scipy.ndimage.median_filter`` / ``minimum_filter`` /
``maximum_filter`` exactly, in every mode and dtype. They pad the image the scipy
way and then call OpenCV where OpenCV is exact on the padded interior (medianBlur:
square windows, uint8 of any size, uint16 and float32 of size 3 and 5; erode and
dilate: every dtype), or a Numba quickselect kernel otherwise.
"""

import cv2
import numpy as np

from ctkidney._shared.border import crop, pad
from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_image, check_scalar, saturate
from ctkidney._shared.volume import check_ndim
from ctkidney.restoration import _kernels
from ctkidney.restoration._border import check_window
from ctkidney.restoration._networks import pruned_pairs
from ctkidney.restoration._order_volume import (
    check_volume_size,
    extreme_volume,
    median_volume,
)

__all__ = ["alpha_trimmed_mean", "max_filter", "median_filter", "midpoint_filter",
           "min_filter"]

def _volume(image):
    """The image as a validated volume, or None for an image of at most 2
    dimensions (the 2-D validation takes it); 4-D and more are refused as neither."""
    if np.ndim(image) <= 2:
        return None
    return check_ndim(check_image(image, ndim=None), "image")


def _half(size):
    return size[0] // 2, size[1] // 2


def _opencv_median_ok(dtype, size):
    k = size[0]
    if size[0] != size[1] or k == 1:
        return False
    return dtype == np.uint8 or (dtype in (np.uint16, np.float32) and k in (3, 5))


def _median(image, size, mode, cval):
    half = _half(size)
    if size == (1, 1):
        return image.copy()
    if image.dtype == np.int16 and _opencv_median_ok(np.dtype(np.uint16), size):
        # Flipping the sign bit maps int16 onto uint16 in the same order.
        flipped = (image.view(np.uint16) ^ np.uint16(0x8000))
        cval = float(np.uint16(np.int16(saturate(cval, np.int16)).view(np.uint16) ^ 0x8000))
        median = _median(flipped, size, mode, cval)
        return (median ^ np.uint16(0x8000)).view(np.int16)
    if _opencv_median_ok(image.dtype, size):
        if mode == "nearest" or (size[0] == 3 and mode == "reflect"):
            # medianBlur replicates the border: scipy's 'nearest', and for a 3x3
            # window also 'reflect' (both repeat the edge pixel once).
            return cv2.medianBlur(np.ascontiguousarray(image), size[0])
        padded = pad(image, half, mode, cval)
        return np.ascontiguousarray(crop(cv2.medianBlur(padded, size[0]), half, image.shape))
    return _rank(image, size, mode, cval, (size[0] * size[1]) // 2)


#: Windows up to this many pixels use sorting networks; larger ones slide.
NETWORK_MAX = 49


def _rank(image, size, mode, cval, rank):
    padded = pad(image, _half(size), mode, cval)
    out = np.empty(image.shape, image.dtype)
    n = size[0] * size[1]
    if n <= NETWORK_MAX:
        pairs = pruned_pairs(n, (rank,))
        _kernels._network_rank_kernel(padded, size[0], size[1], pairs, rank, out)
    else:
        _kernels._rank_kernel(padded, size[0], size[1], rank, out)
    return out


def _extreme(image, size, mode, cval, op):
    half = _half(size)
    padded = pad(image, half, mode, cval)
    kernel = np.ones(size, np.uint8)
    return np.ascontiguousarray(crop(op(padded, kernel), half, image.shape))


def _min_or_max_filter(image, size, mode, cval, minimum):
    """The worker behind min_filter and max_filter (as scipy's
    ``_min_or_max_filter``): an image or a volume, validated here."""
    volume = _volume(image)
    if volume is not None:
        return extreme_volume(volume, *check_volume_size(volume, size, mode, cval),
                              np.minimum if minimum else np.maximum)
    image, size, mode, cval = check_window(image, size, mode, cval)
    return _extreme(image, size, mode, cval, cv2.erode if minimum else cv2.dilate)


@fill_doc
def median_filter(image, size=3, *, mode="reflect", cval=0.0):
    """Median filter: the middle value of the window.

    The classic filter for impulse (salt-and-pepper) noise.

    %(window_filter)s

    See Also
    --------
    adaptive_median : Grows the window where the median is itself an impulse.
    alpha_trimmed_mean : Between the mean and the median.
    scipy.ndimage.median_filter : The oracle, equal bit for bit.

    Notes
    -----
    Equal to ``scipy.ndimage.median_filter(image, size, mode=mode, cval=cval)``,
    bit for bit (``cval`` is first cast to the image's dtype, rounded and
    saturated). Square uint8 windows, and 3x3 and 5x5 uint16, int16 and float32
    windows, run OpenCV's ``medianBlur`` on the image padded the scipy way (int16
    as uint16 with the sign bit flipped, which keeps the order). Other windows of
    up to 49 pixels run a Batcher sorting network across whole rows (Numba,
    branch free); larger ones keep each row's window sorted as it slides.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import median_filter
    >>> image = np.full((3, 3), 50, dtype=np.uint8)
    >>> image[1, 1] = 255                      # a salt pixel
    >>> median_filter(image)
    array([[50, 50, 50],
           [50, 50, 50],
           [50, 50, 50]], dtype=uint8)
    """
    volume = _volume(image)
    if volume is not None:
        return median_volume(volume, *check_volume_size(volume, size, mode, cval))
    image, size, mode, cval = check_window(image, size, mode, cval)
    return _median(image, size, mode, cval)


@fill_doc(extremum="minimum", other="max_filter", other_value="largest")
def min_filter(image, size=3, *, mode="reflect", cval=0.0):
    """Minimum filter: the smallest value of the window (removes salt noise).

    %(extremum_filter)s
    """
    return _min_or_max_filter(image, size, mode, cval, minimum=True)


@fill_doc(extremum="maximum", other="min_filter", other_value="smallest")
def max_filter(image, size=3, *, mode="reflect", cval=0.0):
    """Maximum filter: the largest value of the window (removes pepper noise).

    %(extremum_filter)s
    """
    return _min_or_max_filter(image, size, mode, cval, minimum=False)


@fill_doc
def midpoint_filter(image, size=3, *, mode="reflect", cval=0.0):
    """Midpoint filter: halfway between the window's minimum and maximum.

    Best for randomly distributed, light-tailed noise such as uniform noise.

    %(window_filter)s

    See Also
    --------
    min_filter, max_filter : The two extremes it averages.
    alpha_trimmed_mean : Drops the ``d`` most extreme values and averages the rest.

    Notes
    -----
    :math:`\\hat f = \\tfrac12 (\\min_{S_{xy}} g + \\max_{S_{xy}} g)`, computed in
    float64 (integers then rounded half to even).

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import midpoint_filter
    >>> midpoint_filter(np.array([[2, 9, 4, 3]], dtype=np.uint8), (1, 3), mode="nearest")
    array([[6, 6, 6, 4]], dtype=uint8)
    """
    image, size, mode, cval = check_window(image, size, mode, cval)
    low = _extreme(image, size, mode, cval, cv2.erode).astype(np.float64)
    high = _extreme(image, size, mode, cval, cv2.dilate)
    return saturate((low + high) / 2, image.dtype)


@fill_doc(bad_type=", a non-integer size or ``d``",
          bad_value=("an even or too large size, an unknown mode, a ``d`` that is odd, "
                     "negative or not below the window's pixel count,"))
def alpha_trimmed_mean(image, size=3, *, d=2, mode="reflect", cval=0.0):
    """Alpha-trimmed mean filter: the mean of the window without its ``d / 2``
    smallest and ``d / 2`` largest values.

    Between the arithmetic mean (``d = 0``) and the median (``d = n - 1``); suited
    to a mix of impulse and Gaussian-like noise (Gonzalez & Woods, 5.3).

    Parameters
    ----------
    %(image)s
    %(size)s
    d : int, optional
        Number of values dropped, even, ``0 <= d < rows * cols``. Default 2.
    %(border_filter)s

    See Also
    --------
    arithmetic_mean : The mean of the whole window (``d = 0``).
    median_filter : The middle value (``d = n - 1``).

    Notes
    -----
    Equal (to float rounding) to ``scipy.ndimage.generic_filter(image, lambda v:
    np.sort(v)[d // 2:v.size - d // 2].mean(), size)``. Windows of up to 49
    pixels are sorted by a Batcher network applied across whole rows (Numba,
    branch free); larger uint8 windows use Huang's sliding histogram with two rank
    pointers (exact integer sums), other dtypes a sliding sorted window. Kept
    values are summed in float64.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import alpha_trimmed_mean
    >>> image = np.array([[10, 12, 255, 11, 0]], dtype=np.uint8)
    >>> alpha_trimmed_mean(image, (1, 5), d=2, mode="nearest")
    array([[11, 11, 11,  8,  4]], dtype=uint8)
    """
    image, size, mode, cval = check_window(image, size, mode, cval)
    n = size[0] * size[1]
    d = check_scalar(d, "d", low=0, high=n - 1, integer=True)
    if d % 2:
        raise ValueError(f"d must be even, got {d}")
    padded = pad(image, _half(size), mode, cval)
    means = np.empty(image.shape)
    if n <= NETWORK_MAX:
        lo, hi = d // 2, n - d // 2
        # Place the few dropped values, or the few kept ones, whichever is fewer.
        by_extremes = d < hi - lo
        wires = tuple(range(lo)) + tuple(range(hi, n)) if by_extremes else tuple(range(lo, hi))
        _kernels._network_trimmed_kernel(padded, size[0], size[1], pruned_pairs(n, wires),
                                         lo, hi, by_extremes, means)
    elif image.dtype == np.uint8:
        _kernels._alpha_trimmed_hist_kernel(padded, size[0], size[1], d, means)
    else:
        _kernels._alpha_trimmed_kernel(padded, size[0], size[1], d, means)
    return saturate(means, image.dtype)

