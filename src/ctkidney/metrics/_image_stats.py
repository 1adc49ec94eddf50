"""No-reference image statistics: contrast-to-noise ratio and grey-level entropy."""

import math

import numpy as np

from ctkidney._shared.ranges import to_unit
from ctkidney._shared.validation import check_image, check_mask, check_memory, check_scalar

__all__ = ["contrast_to_noise", "entropy"]

#: Equal-width bins of a float image's histogram when ``bins`` is not given.
FLOAT_BINS = 256


def _region(image, mask, name):
    mask = check_mask(mask, name, shape=image.shape)
    values = image[mask]
    if values.size == 0:
        raise ValueError(f"{name} must select at least one pixel, got an all-False mask")
    return values.astype(np.float64)


def contrast_to_noise(image, roi, background):
    """Contrast-to-noise ratio (CNR) of a region against a background.

    Parameters
    ----------
    image : (M, N) ndarray
        Image: uint8, uint16, int16 (HU), float32 or float64. Never modified.
    roi : (M, N) bool ndarray
        Mask of the region of interest (e.g. a lesion).
    background : (M, N) bool ndarray
        Mask of the reference tissue whose mean is the baseline and whose spread is
        the noise (e.g. the surrounding parenchyma). It may overlap ``roi``, though
        it usually should not.

    Returns
    -------
    float
        ``|mean(image[roi]) - mean(image[background])| / std(image[background])``
        with the population standard deviation (``ddof=0``), computed in float64,
        a Python float >= 0. When the background has no spread at all, the result
        is ``inf`` if the means differ and ``0.0`` if they do not (no contrast).

    Raises
    ------
    TypeError
        For an unsupported image dtype or non-numeric masks.
    ValueError
        For an image that is not 2-D, empty or holds NaN/inf; masks of another shape
        or with values other than 0 and 1; an all-False ``roi`` or ``background``.

    See Also
    --------
    entropy : Shannon entropy of the grey-level histogram.
    ssim : Mean structural similarity of two images.

    Notes
    -----
    CNR is a ratio of the image's own units, so it is unchanged by a linear
    intensity map ``a * image + b`` (``a != 0``) and can compare enhancement
    methods whose outputs live on different scales. Unlike SSIM it rewards making
    a lesion stand out, and it punishes amplified noise.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.metrics import contrast_to_noise
    >>> image = np.array([[8, 12, 50], [12, 8, 54]], dtype=np.uint8)
    >>> roi = image > 40
    >>> contrast_to_noise(image, roi, ~roi)
    21.0
    """
    image = check_image(image)
    signal = _region(image, roi, "roi")
    reference = _region(image, background, "background")
    top = max(float(np.abs(signal).max()), float(np.abs(reference).max()))
    if top > 1e100 or 0.0 < top < 1e-100:
        # The ratio does not change when both regions are scaled alike; near 1e300
        # the sums and squares of the mean and std would overflow, near 1e-160
        # underflow.
        signal, reference = signal / top, reference / top
    contrast = abs(float(signal.mean()) - float(reference.mean()))
    noise = float(reference.std())
    if noise == 0.0:
        return math.inf if contrast > 0.0 else 0.0
    return contrast / noise


def entropy(image, *, bins=None):
    """Shannon entropy, in bits, of an image's grey-level histogram.

    Parameters
    ----------
    image : (M, N) ndarray
        Image: bool, uint8, uint16, int16, float32 or float64. Never modified.
    bins : int, optional
        Default (None): for integer and bool images one bin per grey level, which
        gives scikit-image's ``shannon_entropy``; for float images 256 equal-width
        bins spanning ``[image.min(), image.max()]``. An int: that many equal-width
        bins spanning ``[image.min(), image.max()]``, for any dtype.

    Returns
    -------
    float
        ``-sum(p * log2(p))`` over the non-empty bins with ``p`` the fraction of
        pixels in each, a Python float in ``[0, log2(number of bins)]``; 0.0 for a
        constant image.

    Raises
    ------
    TypeError
        For an unsupported dtype or a non-integer ``bins``.
    ValueError
        For an image that is not 2-D, empty or holds NaN/inf, or ``bins < 1``.

    See Also
    --------
    contrast_to_noise : Contrast-to-noise ratio of a region.
    skimage.measure.shannon_entropy : The oracle.

    Notes
    -----
    scikit-image's ``shannon_entropy`` counts each distinct value as a bin, also
    for floats, where it then mostly measures the number of pixels (a noisy float
    image has all values distinct: ``log2(M * N)`` bits). The 256 bins used here for
    floats make the entropy of an image and of its float rescaling comparable.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.metrics import entropy
    >>> entropy(np.array([[0, 0], [255, 255]], dtype=np.uint8))
    1.0
    >>> entropy(np.array([[0, 1], [2, 3]], dtype=np.uint8))
    2.0
    >>> entropy(np.zeros((3, 3)))
    0.0
    """
    image = check_image(image, allow_bool=True)
    if bins is not None:
        bins = check_scalar(bins, "bins", low=1, integer=True)
        check_memory(16 * bins, "bins", bins)
    if bins is None and image.dtype.kind != "f":
        if image.dtype == np.uint8 or image.dtype == bool:
            counts = np.bincount(image.ravel().view(np.uint8), minlength=2)
        else:
            counts = np.unique(image, return_counts=True)[1]
    else:
        low, high = float(image.min()), float(image.max())
        if low == high:
            return 0.0
        # Bin on [0, 1]: float32 values near 3e38 overflow np.histogram's own scaling.
        counts, _ = np.histogram(to_unit(image, low, high), bins=bins or FLOAT_BINS,
                                 range=(0.0, 1.0))
    counts = counts[counts > 0]
    p = counts / counts.sum()
    return float(max(0.0, -np.sum(p * np.log2(p))))

