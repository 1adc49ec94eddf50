"""Global and local thresholds: Otsu, multi-Otsu, fixed value, local mean/Gaussian."""

import numpy as np
from scipy import ndimage as ndi

from ctkidney._shared.border import check_border
from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.linear import gaussian
from ctkidney._shared.validation import (
    check_choice,
    check_image,
    check_memory,
    check_scalar,
    check_size,
)
from ctkidney.segmentation._threshold_kernels import _multiotsu_kernel

__all__ = ["threshold", "threshold_local", "threshold_multiotsu", "threshold_otsu"]


def check_nbins(nbins, name="nbins"):
    """An int >= 2 whose histogram and its cumulative sums (about eight float64
    arrays of ``nbins``) fit in memory."""
    nbins = check_scalar(nbins, name, low=2, integer=True)
    return check_memory(64 * nbins, name, nbins)


def _histogram(image, nbins):
    """Counts and bin centres, as scikit-image's ``histogram(source_range='image')``.

    Integer images get one bin per integer value between the minimum and the
    maximum; float images ``nbins`` equal bins over their range.
    """
    if image.dtype.kind in "ui":
        lo = int(image.min())
        counts = np.bincount((image.ravel().astype(np.int64) - lo))
        centers = np.arange(lo, lo + counts.size, dtype=np.float64)
        return counts.astype(np.float64), centers
    return _float_histogram(image, nbins)


def _float_histogram(image, nbins):
    """Counts and centres of ``nbins`` equal bins over the image's range.

    A range too narrow for ``nbins`` distinct float64 edges (subnormal values)
    is refused, naming the argument, as numpy would refuse it without.
    """
    lo, hi = float(image.min()), float(image.max())
    if hi == lo:
        # One grey level, in the first bin (numpy would widen the range by 0.5,
        # which a value beyond 2**53 cannot hold).
        counts = np.zeros(nbins)
        counts[0] = image.size
        return counts, np.full(nbins, lo)
    edges = np.linspace(lo, hi, nbins + 1)
    if np.any(edges[:-1] >= edges[1:]):
        raise ValueError(f"image: its values span {hi - lo:g}, too narrow a range for "
                         f"{nbins} histogram bins (nbins); rescale the image or lower nbins")
    counts, edges = np.histogram(image.astype(np.float64), bins=nbins, range=(lo, hi))
    return counts.astype(np.float64), (edges[:-1] + edges[1:]) / 2.0


@fill_doc
def threshold_otsu(image, *, nbins=256):
    """Otsu's threshold: the grey level that maximises the between-class variance.

    Parameters
    ----------
    %(image)s
    nbins : int, optional
        Number of histogram bins for float images (integer images use one bin per
        integer value). Default 256.

    Returns
    -------
    threshold : float
        Pixels ``> threshold`` are the bright class. A constant image returns its
        value.

    Raises
    ------
    %(dtype_error)s
    ValueError
        If ``image`` is not 2-D, is empty or holds NaN/inf, or its float values
        span too narrow a range for ``nbins`` distinct bins (subnormal steps).

    See Also
    --------
    threshold : Pixels brighter than a value.
    threshold_multiotsu : Several Otsu thresholds.
    threshold_local : A threshold per pixel from its neighbourhood.

    Notes
    -----
    The same value as :func:`skimage.filters.threshold_otsu` (bin centres of the
    same histogram).

    References
    ----------
    .. [1] N. Otsu, "A threshold selection method from gray-level histograms",
           IEEE Trans. Syst. Man Cybern. 9(1), 62-66, 1979.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.segmentation import threshold_otsu
    >>> image = np.array([[10, 10, 200], [10, 200, 200]], np.uint8)
    >>> threshold_otsu(image)
    10.0
    """
    image = check_image(image)
    nbins = check_nbins(nbins)
    first = image.flat[0]
    if np.all(image == first):
        return float(first)
    counts, centers = _histogram(image, nbins)
    weight1 = np.cumsum(counts)
    weight2 = np.cumsum(counts[::-1])[::-1]
    # The threshold does not change when the grey levels are scaled: measured in
    # units of the largest, the sums and the squared differences cannot overflow.
    unit = max(abs(centers[0]), abs(centers[-1])) or 1.0
    scaled = centers / unit
    with np.errstate(invalid="ignore", divide="ignore"):
        mean1 = np.cumsum(counts * scaled) / weight1
        mean2 = (np.cumsum((counts * scaled)[::-1]) / weight2[::-1])[::-1]
    variance = weight1[:-1] * weight2[1:] * (mean1[:-1] - mean2[1:]) ** 2
    return float(centers[int(np.nanargmax(variance))])



@fill_doc
def threshold_multiotsu(image, *, classes=3, nbins=256):
    """Multi-level Otsu: ``classes - 1`` thresholds maximising between-class variance.

    Parameters
    ----------
    %(image)s
    classes : int, optional
        Number of classes (2 to 5). Default 3.
    nbins : int, optional
        Histogram bins. Integer images with more distinct levels than ``nbins``
        and float images are binned into ``nbins`` equal bins. Default 256.

    Returns
    -------
    thresholds : (classes - 1,) float64 ndarray
        Increasing thresholds; class ``i`` holds ``thresholds[i-1] < v <= thresholds[i]``
        (``numpy.digitize(image, thresholds, right=True)`` gives the class labels).

    Raises
    ------
    %(dtype_error)s
    ValueError
        If ``classes`` is outside 2..5, the image has fewer grey levels than
        ``classes``, or its float values span too narrow a range for ``nbins``
        distinct bins (subnormal steps).

    See Also
    --------
    threshold_otsu : One global threshold.

    Notes
    -----
    An exact search by dynamic programming over the histogram, O(classes * bins^2).
    It gives the thresholds of :func:`skimage.filters.threshold_multiotsu`.

    References
    ----------
    .. [1] P.-S. Liao, T.-S. Chen, P.-C. Chung, "A fast algorithm for multilevel
           thresholding", J. Inf. Sci. Eng. 17(5), 713-727, 2001.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.segmentation import threshold_multiotsu
    >>> image = np.repeat(np.array([0, 0, 100, 100, 200, 200], np.uint8), 2).reshape(3, 4)
    >>> threshold_multiotsu(image, classes=3)
    array([  0., 100.])
    """
    image = check_image(image)
    classes = check_scalar(classes, "classes", low=2, high=5, integer=True)
    nbins = check_nbins(nbins)
    if image.dtype.kind in "ui" and int(image.max()) - int(image.min()) + 1 <= nbins:
        counts, centers = _histogram(image, nbins)
    else:
        counts, centers = _float_histogram(image, nbins)
    keep = counts > 0
    if keep.sum() < classes:
        raise ValueError(
            f"image must have at least classes={classes} grey levels, got {int(keep.sum())}"
        )
    # Only occupied bins can carry a threshold (as scikit-image's search).
    counts, centers = counts[keep], centers[keep]
    idx = _multiotsu_kernel(counts, centers, classes)
    return centers[idx].astype(np.float64)


@fill_doc
def threshold(image, value):
    """Binary mask of the pixels brighter than ``value``.

    Parameters
    ----------
    %(image)s
    value : float
        Threshold in the image's own units (grey levels or HU).

    Returns
    -------
    mask : (M, N) bool ndarray
        ``image > value``.

    Raises
    ------
    TypeError
        If ``image`` has an unsupported dtype or ``value`` is not a number.
    ValueError
        If ``value`` is NaN.

    See Also
    --------
    threshold_otsu : One global threshold.
    threshold_local : A threshold per pixel from its neighbourhood.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.segmentation import threshold
    >>> threshold(np.array([[1, 5], [9, 2]], np.uint8), 4).astype(int)
    array([[0, 1],
           [1, 0]])
    """
    image = check_image(image)
    value = check_scalar(value, "value")
    return image > value



@fill_doc
def threshold_local(image, block_size, *, offset=0.0, method="mean", mode="reflect",
                    cval=0.0):
    """Adaptive threshold: each pixel against the mean (or Gaussian mean) around it.

    Parameters
    ----------
    %(image)s
    block_size : int
        Odd side of the neighbourhood.
    offset : float, optional
        Subtracted from the local mean: a pixel is foreground if
        ``image > local_mean - offset``. Default 0.
    method : {'mean', 'gaussian'}, optional
        Box mean, or Gaussian weights with ``sigma = (block_size - 1) / 6``.
    %(mode)s
    %(cval)s

    Returns
    -------
    mask : (M, N) bool ndarray
        Foreground pixels.

    Raises
    ------
    TypeError
        If ``image`` has an unsupported dtype or ``block_size`` is not an int.
    ValueError
        If ``block_size`` is even or < 1, or ``method``/``mode`` is unknown.

    See Also
    --------
    threshold_otsu : One global threshold.

    Notes
    -----
    ``image > skimage.filters.threshold_local(image, block_size, method,
    offset=offset, mode=mode)``, computed in float64.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.segmentation import threshold_local
    >>> image = np.tile(np.array([10, 50, 10, 90], np.uint8), (4, 1))
    >>> threshold_local(image, 3).astype(int)[0]
    array([0, 1, 0, 1])
    """
    image = check_image(image)
    block_size = check_size(block_size, "block_size")
    offset = check_scalar(offset, "offset")
    method = check_choice(method, "method", ("mean", "gaussian"))
    mode, cval = check_border(mode, cval)
    if method == "mean":
        local = ndi.uniform_filter(image.astype(np.float64), block_size, mode=mode, cval=cval)
    else:
        sigma = tuple((b - 1) / 6.0 for b in block_size)
        local = gaussian(image, sigma, 4.0, mode, cval, np.dtype(np.float64))
    return image > local - offset
