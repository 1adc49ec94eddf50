"""Edge detectors (Sobel, Prewitt, Canny) and edge-based segmentation."""

import cv2
import numpy as np
from scipy import ndimage as ndi

from ctkidney._shared._kernels import _flood_kernel
from ctkidney._shared.border import check_border
from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.linear import gaussian, gaussian_kernel1d
from ctkidney._shared.validation import (
    check_image,
    check_memory,
    check_scalar,
    dtype_range,
    near_float32_max,
    response_dtype,
    saturate,
)
from ctkidney.segmentation._edge_kernels import _canny_nms_kernel

__all__ = ["canny", "edge_segment", "prewitt", "sobel"]

_SMOOTH = {"sobel": np.array([1.0, 2.0, 1.0]), "prewitt": np.array([1.0, 1.0, 1.0])}


def _gradient(image, kind, axis, mode, cval):
    image = check_image(image)
    mode, cval = check_border(mode, cval)
    if axis is not None and (isinstance(axis, (bool, np.bool_))
                             or not isinstance(axis, (int, np.integer)) or axis not in (0, 1)):
        raise ValueError(f"axis must be None, 0 or 1, got {axis!r}")
    dtype = response_dtype(image.dtype)
    # The kernels' weights sum to 8 in absolute value (16 with the magnitude).
    work = image.astype(np.float64 if near_float32_max(image, 16, cval) else dtype)
    derivative = np.array([-1.0, 0.0, 1.0])

    def along(ax):
        out = ndi.correlate1d(work, derivative, axis=ax, mode=mode, cval=cval)
        return ndi.correlate1d(out, _SMOOTH[kind], axis=1 - ax, mode=mode, cval=cval)

    if axis is not None:
        return saturate(along(axis), dtype, copy=False)
    return saturate(np.hypot(along(0), along(1)), dtype, copy=False)


@fill_doc(name="sobel", smooth="``[1, 2, 1]``", other="prewitt", value="40",
          note=" :func:`skimage.filters.sobel` divides the kernels by 4 and the\n"
               "magnitude by sqrt(2).")
def sobel(image, *, axis=None, mode="reflect", cval=0.0):
    """Sobel gradient: one derivative, or the gradient magnitude.

    %(gradient)s
    """
    return _gradient(image, "sobel", axis, mode, cval)


@fill_doc(name="prewitt", smooth="``[1, 1, 1]``", other="sobel", value="30", note="")
def prewitt(image, *, axis=None, mode="reflect", cval=0.0):
    """Prewitt gradient: one derivative, or the gradient magnitude.

    %(gradient)s
    """
    return _gradient(image, "prewitt", axis, mode, cval)




def _smooth(work, sigma, mode, cval):
    """Gaussian smoothing (the package's one Gaussian, truncate 4). Constant borders
    are normalised by the smoothed mask, as scikit-image's Canny does."""
    if sigma == 0:
        return work.copy()
    if mode != "constant":
        return gaussian(work, (sigma, sigma), 4.0, mode, cval, work.dtype)
    smoothed = gaussian(work - cval, (sigma, sigma), 4.0, "constant", 0.0, work.dtype)
    # The kernel weight that falls inside the image, per row and per column.
    taps = gaussian_kernel1d(sigma, 4.0)
    weight_r = ndi.correlate1d(np.ones(work.shape[0]), taps, mode="constant")
    weight_c = ndi.correlate1d(np.ones(work.shape[1]), taps, mode="constant")
    weight = np.outer(weight_r, weight_c).astype(work.dtype) + np.finfo(work.dtype).eps
    return smoothed / weight + cval


@fill_doc
def canny(image, *, sigma=1.0, low=None, high=None, mode="constant", cval=0.0):
    """Canny edge detector: smoothing, gradient, thin edges, hysteresis.

    Parameters
    ----------
    %(image)s
    sigma : float, optional
        Standard deviation of the Gaussian smoothing, in pixels. Default 1.
    low, high : float, optional
        Hysteresis thresholds on the Sobel gradient magnitude of the smoothed
        image, in the image's units. Default: 10%% and 20%% of the dtype's maximum
        for integer images (as scikit-image), of the image's value range for float
        images.
    %(mode)s
        Default ``'constant'``: the smoothing ignores the outside of the image
        (it is renormalised by the weight inside), as scikit-image.
    %(cval)s

    Returns
    -------
    edges : (M, N) bool ndarray
        One-pixel-wide edges. The outermost ring of pixels is never an edge, and
        a constant image has none.

    Raises
    ------
    %(dtype_error)s
    ValueError
        If ``sigma`` or a threshold is negative, or ``low > high``.

    See Also
    --------
    sobel : The gradient Canny thins.
    edge_segment : Regions enclosed by Canny edges.

    Notes
    -----
    The steps and the thresholds of :func:`skimage.feature.canny`: Gaussian
    smoothing, Sobel derivatives, non-maximum suppression with bilinear
    interpolation of the magnitude along the gradient, then hysteresis (the
    8-connected chains of candidates above ``low`` that hold a pixel above
    ``high``). The smoothing runs in float32 for non-float64 images.

    References
    ----------
    .. [1] J. Canny, "A computational approach to edge detection", IEEE Trans.
           Pattern Anal. Mach. Intell. 8(6), 679-698, 1986.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.segmentation import canny
    >>> image = np.zeros((9, 9), np.uint8)
    >>> image[2:7, 2:7] = 200
    >>> canny(image, sigma=1.0).astype(int)
    array([[0, 0, 0, 0, 0, 0, 0, 0, 0],
           [0, 0, 0, 0, 0, 0, 0, 0, 0],
           [0, 0, 1, 1, 1, 1, 1, 0, 0],
           [0, 0, 1, 0, 0, 0, 1, 0, 0],
           [0, 0, 1, 0, 0, 0, 1, 0, 0],
           [0, 0, 1, 0, 0, 0, 1, 0, 0],
           [0, 0, 1, 1, 1, 1, 1, 0, 0],
           [0, 0, 0, 0, 0, 0, 0, 0, 0],
           [0, 0, 0, 0, 0, 0, 0, 0, 0]])
    """
    image = check_image(image)
    sigma = check_scalar(sigma, "sigma", low=0)
    mode, cval = check_border(mode, cval)
    if image.dtype.kind in "ui":
        scale = float(dtype_range(image.dtype)[1])
    else:
        scale = float(image.max()) - float(image.min())
    low = 0.1 * scale if low is None else check_scalar(low, "low", low=0)
    high = 0.2 * scale if high is None else check_scalar(high, "high", low=0)
    if low > high:
        raise ValueError(f"low must be <= high, got low={low!r} and high={high!r}")
    radius = int(4.0 * sigma + 0.5)  # the smoothing pads the image by this much
    check_memory(8 * (image.shape[0] + 2 * radius) * (image.shape[1] + 2 * radius),
                 "sigma", sigma)
    if image.min() == image.max():
        # A flat image has no edges (scikit-image's test_img_all_ones); its zero
        # range would otherwise make zero default thresholds that keep rounding noise.
        return np.zeros(image.shape, bool)
    dtype = response_dtype(image.dtype)
    smoothed = _smooth(np.ascontiguousarray(image, dtype=dtype), sigma, mode, cval)
    isobel = cv2.Sobel(smoothed, -1, 0, 1, ksize=3, borderType=cv2.BORDER_REFLECT)
    jsobel = cv2.Sobel(smoothed, -1, 1, 0, ksize=3, borderType=cv2.BORDER_REFLECT)
    magnitude = cv2.magnitude(isobel, jsobel)
    nms = np.zeros(image.shape, dtype)
    _canny_nms_kernel(isobel, jsobel, magnitude, low, nms)
    # Hysteresis: the 8-connected chains of non-zero nms that hold a value >= high.
    seeds = np.flatnonzero((nms >= high) & (nms > 0))
    edges = np.zeros(image.shape, np.uint8)
    _flood_kernel(nms, seeds, np.full(seeds.size, np.nextafter(0.0, 1.0)),
                  np.full(seeds.size, np.inf), True, edges)
    return edges.view(np.bool_)


@fill_doc
def edge_segment(image, *, sigma=2.0, low=None, high=None, closing=2, min_size=16):
    """Regions enclosed by Canny edges: close the edge map, then fill it.

    Parameters
    ----------
    %(image)s
    sigma, low, high : optional
        Passed to :func:`canny`. Default sigma 2 (CT noise).
    closing : int, optional
        Radius (pixels) of the disc used to close gaps in the edges. 0 disables
        the closing. Default 2.
    min_size : int, optional
        Filled regions smaller than this many pixels are dropped. Default 16.

    Returns
    -------
    mask : (M, N) bool ndarray
        The filled regions (their edges included).

    Raises
    ------
    %(dtype_error)s
    ValueError
        If a parameter is out of range.

    See Also
    --------
    canny : Canny edge detector.

    Notes
    -----
    The classic edge-based segmentation: edges are closed with a morphological
    closing by a disc, holes (the inside of closed contours) are filled, and
    small regions are removed.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.segmentation import edge_segment
    >>> image = np.zeros((20, 20), np.uint8)
    >>> image[5:15, 5:15] = 200
    >>> mask = edge_segment(image, sigma=1.0)
    >>> bool(mask[10, 10]), bool(mask[1, 1])
    (True, False)
    """
    closing = check_scalar(closing, "closing", low=0, high=2047, integer=True)
    min_size = check_scalar(min_size, "min_size", low=0, integer=True)
    edges = canny(image, sigma=sigma, low=low, high=high)
    if closing:
        yy, xx = np.mgrid[-closing:closing + 1, -closing:closing + 1]
        disc = (yy * yy + xx * xx) <= closing * closing
        # Pad so that edges near the border can close as well.
        padded = np.pad(edges, closing + 1)
        edges = ndi.binary_closing(padded, disc)[closing + 1:-closing - 1,
                                                 closing + 1:-closing - 1]
    filled = ndi.binary_fill_holes(edges)
    labels, count = ndi.label(filled)
    if count and min_size:
        sizes = np.bincount(labels.ravel())
        keep = sizes >= min_size
        keep[0] = False
        filled = keep[labels]
    return filled
