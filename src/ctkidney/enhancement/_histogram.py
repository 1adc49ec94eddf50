"""Global histogram operations: equalization and matching."""

import numpy as np

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.ranges import from_unit, to_unit
from ctkidney._shared.validation import check_image, check_mask, check_scalar, saturate
from ctkidney.enhancement._kernels import (
    _apply_lut_kernel,
    _histogram_kernel,
    _masked_histogram_kernel,
)
from ctkidney.enhancement._output import output_range

__all__ = ["equalize_hist", "match_hist"]


def _level_counts(image, mask=None):
    """Histogram of an integer image with one bin per grey level over its range.

    Returns ``(counts, offset)``: ``counts[k]`` pixels have value ``offset + k``.
    """
    offset = int(image.min())
    nbins = int(image.max()) - offset + 1
    image = np.ascontiguousarray(image)
    if mask is None:
        return _histogram_kernel(image, offset, nbins), offset
    return _masked_histogram_kernel(image, np.ascontiguousarray(mask), offset, nbins), offset


def _apply_lut(image, lut, offset):
    out = np.empty(image.shape, lut.dtype)
    _apply_lut_kernel(np.ascontiguousarray(image), lut, offset, out)
    return out


@fill_doc
def equalize_hist(image, *, nbins=256, mask=None):
    """Histogram equalization: map grey levels through their cumulative distribution.

    Parameters
    ----------
    image : (M, N) ndarray
        Input image: uint8, uint16, int16 (HU), float32 or float64. Never modified.
    nbins : int, optional
        Number of histogram bins for float images (default 256), spread over the
        data range. Integer images always use one bin per grey level, exactly, as
        OpenCV and scikit-image do.
    mask : (M, N) bool ndarray, optional
        Only pixels where ``mask`` is True (for example the body, leaving out the
        air around it) make the histogram. The resulting map is applied to every
        pixel: pixels outside the mask that are darker (brighter) than every
        masked pixel go to the lowest (highest) output value.

    Returns
    -------
    equalized : (M, N) ndarray
        Same dtype as ``image``. uint8 and uint16 results fill the dtype's range
        (0..255, 0..65535); int16 and float results stay in the image's own
        ``[min, max]`` (HU stay HU).

    Raises
    ------
    TypeError
        If ``image`` has an unsupported dtype, ``nbins`` is not an int or ``mask``
        is not boolean.
    ValueError
        If ``image`` is not 2-D, is empty or holds NaN/inf, ``nbins < 2``, or
        ``mask`` has another shape or selects no pixel.

    See Also
    --------
    clahe : local (tile-wise) equalization with a contrast limit.
    match_hist : map to another image's histogram instead of a flat one.

    Notes
    -----
    Integer images follow OpenCV's ``equalizeHist``: with ``cdf`` the cumulative
    count and ``cdf_min`` the count of the darkest (masked) level, level ``v``
    maps to ``lo + (cdf(v) - cdf_min) / (n - cdf_min) * (hi - lo)``, rounded half
    to even, so the darkest level goes to ``lo`` and the brightest to ``hi``. On
    uint8 this is within one grey level of ``cv2.equalizeHist`` (OpenCV rounds a
    float32 product). Float images follow ``skimage.exposure.equalize_hist``: the
    normalized cumulative histogram of ``nbins`` bins, linearly interpolated at
    the bin centres, scaled to ``[min, max]``. An image that is constant (inside
    the mask) is returned unchanged. The map is monotone non-decreasing.

    References
    ----------
    .. [1] %(gonzalez_woods)s, section 3.3.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.enhancement import equalize_hist
    >>> image = np.array([[50, 50, 51], [52, 52, 60]], dtype=np.uint8)
    >>> equalize_hist(image)
    array([[  0,   0,  64],
           [191, 191, 255]], dtype=uint8)
    >>> equalize_hist(image.astype(np.float32), nbins=8).round(1)
    array([[55. , 55. , 56. ],
           [58.3, 58.3, 60. ]], dtype=float32)
    """
    image = check_image(image)
    nbins = check_scalar(nbins, "nbins", low=2, integer=True)
    if mask is not None:
        mask = check_mask(mask, shape=image.shape)
        if not mask.any():
            raise ValueError("mask must select at least one pixel")
    low, high = output_range(image)
    if image.dtype.kind == "f":
        values = image if mask is None else image[mask]
        a, b = float(values.min()), float(values.max())
        if a == b:
            return image.copy()
        # Bin on [0, 1]: float32 values near 3e38 overflow np.histogram's own scaling.
        counts, edges = np.histogram(to_unit(values, a, b), bins=nbins, range=(0.0, 1.0))
        cdf = np.cumsum(counts) / counts.sum()
        centers = (edges[:-1] + edges[1:]) / 2
        mapped = np.interp(to_unit(image, a, b).ravel(), centers, cdf).reshape(image.shape)
        return saturate(from_unit(mapped, low, high), image.dtype, copy=False)
    counts, offset = _level_counts(image, mask)
    cdf = np.cumsum(counts)
    total = int(cdf[-1])
    cdf_min = int(counts[np.flatnonzero(counts)[0]])
    if cdf_min == total:
        return image.copy()
    scaled = np.maximum(cdf - cdf_min, 0) * ((high - low) / (total - cdf_min)) + low
    lut = saturate(scaled, image.dtype, copy=False)
    return _apply_lut(image, lut, offset)


def _quantiles(array):
    """Distinct values of ``array``, their cumulative quantiles and, for each
    pixel, a way to look its value up (integer: level offset; float: inverse)."""
    if array.dtype.kind in "ui":
        counts, offset = _level_counts(array)
        present = np.flatnonzero(counts)
        return present + offset, np.cumsum(counts[present]) / array.size, (counts, offset)
    values, inverse, counts = np.unique(array.ravel(), return_inverse=True, return_counts=True)
    return values, np.cumsum(counts) / array.size, inverse


def match_hist(image, reference):
    """Histogram matching (specification): give ``image`` the grey-level
    distribution of ``reference``.

    Parameters
    ----------
    image : (M, N) ndarray
        Input image: uint8, uint16, int16 (HU), float32 or float64. Never modified.
    reference : (P, Q) ndarray
        Image whose histogram is wanted, any supported dtype and any shape.

    Returns
    -------
    matched : (M, N) ndarray
        Same dtype as ``image`` (integers rounded half to even and saturated).

    Raises
    ------
    TypeError
        If ``image`` or ``reference`` has an unsupported dtype.
    ValueError
        If either is not 2-D, is empty or holds NaN/inf.

    See Also
    --------
    equalize_hist : matching to a flat histogram.

    Notes
    -----
    Follows ``skimage.exposure.match_histograms``: each distinct value of
    ``image`` at cumulative quantile ``q`` becomes the value of ``reference`` at
    quantile ``q``, linearly interpolated between ``reference``'s distinct
    values. The map is monotone non-decreasing, and matching an image to itself
    returns it unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.enhancement import match_hist
    >>> image = np.array([[0, 1], [2, 3]], dtype=np.uint8)
    >>> reference = np.array([[10, 20], [30, 200]], dtype=np.uint8)
    >>> match_hist(image, reference)
    array([[ 10,  20],
           [ 30, 200]], dtype=uint8)
    >>> bool((match_hist(reference, reference) == reference).all())
    True
    """
    image = check_image(image)
    reference = check_image(reference, "reference")
    _, src_quantiles, lookup = _quantiles(image)
    ref_values, ref_quantiles, _ = _quantiles(reference)
    mapped = np.interp(src_quantiles, ref_quantiles, ref_values.astype(np.float64))
    if image.dtype.kind in "ui":
        counts, offset = lookup
        levels = np.zeros(counts.size, np.float64)
        levels[counts > 0] = mapped
        lut = saturate(levels, image.dtype, copy=False)
        return _apply_lut(image, lut, offset)
    return saturate(mapped[lookup].reshape(image.shape), image.dtype, copy=False)
