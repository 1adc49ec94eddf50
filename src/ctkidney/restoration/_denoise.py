"""Noise estimation and identification, and :func:`denoise`: the filter that suits
each noise kind, with its parameters estimated from the image."""

import cv2
import numpy as np
from scipy import ndimage as ndi

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import (
    check_choice,
    check_image,
    check_scalar,
    dtype_range,
    saturate,
)
from ctkidney.restoration._adaptive import adaptive_median
from ctkidney.restoration._frequency import find_periodic_peaks, remove_periodic_noise
from ctkidney.restoration._noise import NOISE_KINDS

__all__ = ["denoise", "estimate_noise_sigma", "identify_noise"]

#: Immerkaer's kernel: the difference of two Laplacians, blind to planes and to
#: second-order trends; on white noise of deviation s its output has deviation 6s.
_IMMERKAER = np.array([[1.0, -2.0, 1.0], [-2.0, 4.0, -2.0], [1.0, -2.0, 1.0]])

#: Mean / standard deviation of the one-sided noises: exponential (1), gamma
#: with the default shape 2 (sqrt 2) and Rayleigh (sqrt(pi / (4 - pi))).
_BIAS_PER_SIGMA = {"exponential": 1.0, "gamma": np.sqrt(2.0),
                   "rayleigh": np.sqrt(np.pi / (4.0 - np.pi))}


def _unclipped(image):
    # Pixels whose 3x3 neighbourhood holds no value at the integer dtype's limits:
    # there the noise was not clipped and the statistics are honest.
    if image.dtype.kind not in "ui":
        return np.ones(image.shape, bool)
    lo, hi = dtype_range(image.dtype)
    clipped = (image <= lo) | (image >= hi)
    return ~ndi.binary_dilation(clipped, np.ones((3, 3), bool))


def _residual_mask(image):
    mask = _unclipped(image)
    mask[[0, -1], :] = False
    mask[:, [0, -1]] = False
    if mask.sum() < 16:
        mask = np.zeros(image.shape, bool)
        mask[1:-1, 1:-1] = True
    return mask


@fill_doc
def estimate_noise_sigma(image):
    """Estimate the standard deviation of additive white noise in ``image``.

    Parameters
    ----------
    %(image)s
        At least 3x3.

    Returns
    -------
    sigma : float
        The estimated noise deviation, in the image's units.

    Raises
    ------
    TypeError
        For an unsupported dtype.
    ValueError
        For an image smaller than 3x3 or NaN/inf in the image.

    See Also
    --------
    denoise, adaptive_local_filter

    Notes
    -----
    Immerkaer's method made robust: the image is filtered with
    ``[[1, -2, 1], [-2, 4, -2], [1, -2, 1]]`` (which cancels planes and smooth
    trends and multiplies white noise's deviation by 6), and
    :math:`\\hat\\sigma = \\operatorname{median}|r| / (0.6745 \\cdot 6)`, the
    median absolute deviation of a Gaussian. The median ignores the few large
    responses at edges. For integer images, pixels next to values at the
    dtype's limits are left out, since the noise there was clipped. Within a few
    percent for Gaussian noise on smooth images; textured images read a little
    high.

    References
    ----------
    .. [1] J. Immerkaer, "Fast noise variance estimation", Computer Vision and
       Image Understanding 64(2), 1996.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import add_gaussian_noise, estimate_noise_sigma
    >>> image = np.full((128, 128), 100.0)
    >>> round(estimate_noise_sigma(add_gaussian_noise(image, sigma=10, rng=0)))
    10
    """
    image = check_image(image)
    if min(image.shape) < 3:
        raise ValueError(f"image must be at least 3x3, got shape {image.shape}")
    response = ndi.correlate(image.astype(np.float64), _IMMERKAER, mode="reflect")
    residual = response[_residual_mask(image)]
    return float(np.median(np.abs(residual)) / (0.6745 * 6.0))


def _neighbour_residual(image):
    # The pixel minus the mean of its 8 neighbours: mostly the pixel's own noise
    # (weight 1 against 1/8 each), so the noise's skew survives in it.
    values = image.astype(np.float64)
    ring = np.ones((3, 3)) / 8.0
    ring[1, 1] = 0.0
    return (values - ndi.correlate(values, ring, mode="reflect"))[_residual_mask(image)]


def _impulse_fraction(image):
    # Pixels at the extremes (dtype limits, or the float image's range) that stand
    # out from their 3x3 median by more than a quarter of the range.
    lo, hi = _range(image)
    extreme = (image == lo) | (image == hi)
    if not extreme.any() or hi == lo:
        return 0.0
    median = ndi.median_filter(image, size=3, mode="reflect").astype(np.float64)
    isolated = extreme & (np.abs(image.astype(np.float64) - median) > (hi - lo) / 4)
    return float(isolated.mean())


def _quantile_skew(values):
    q10, q50, q90 = np.percentile(values, [10, 50, 90])
    spread = q90 - q10
    return 0.0 if spread == 0 else float((q90 + q10 - 2 * q50) / spread)


def _intensity_dependence(image):
    # The exponent b of variance ~ mean^b between dim and bright pixels: about 1
    # for Poisson noise (variance proportional to the mean), about 0 for noise
    # that ignores the intensity.
    values = image.astype(np.float64)
    local_mean = ndi.uniform_filter(values, 3, mode="reflect")
    response = np.abs(ndi.correlate(values, _IMMERKAER, mode="reflect"))
    mask = _residual_mask(image) & (local_mean > 0)
    means, resp = local_mean[mask], response[mask]
    if means.size < 64:
        return 0.0
    lo_cut, hi_cut = np.percentile(means, [25, 75])
    dim, bright = resp[means <= lo_cut], resp[means >= hi_cut]
    if hi_cut <= 1.2 * lo_cut or np.median(dim) == 0 or np.median(bright) == 0:
        return 0.0
    variance_ratio = (np.median(bright) / np.median(dim)) ** 2
    mean_ratio = np.median(means[means >= hi_cut]) / np.median(means[means <= lo_cut])
    return float(np.log(variance_ratio) / np.log(mean_ratio))


#: Thresholds of :func:`identify_noise` (see its Notes).
IMPULSE_FRACTION = 0.005
SKEW_ONE_SIDED = 0.07
SKEW_EXPONENTIAL = 0.28
SKEW_GAMMA = 0.19
TAIL_UNIFORM = 2.45
POISSON_DEPENDENCE = 0.5


@fill_doc
def identify_noise(image):
    """Guess which of :data:`NOISE_KINDS` corrupts ``image``.

    Parameters
    ----------
    %(image)s

    Returns
    -------
    kind : str
        One of ``'impulse'``, ``'periodic'``, ``'exponential'``, ``'gamma'``,
        ``'rayleigh'``, ``'poisson'``, ``'uniform'``, ``'gaussian'``.

    Raises
    ------
    TypeError
        For an unsupported dtype.
    ValueError
        For an image smaller than 3x3 or NaN/inf in the image.

    See Also
    --------
    denoise, find_periodic_peaks, estimate_noise_sigma

    Notes
    -----
    The tests run in this order:

    1. **impulse**: more than 0.5%% of the pixels sit at the dtype's limits (the
       image's range for floats) and differ from their 3x3 median by more than
       a quarter of that range.
    2. **periodic**: :func:`find_periodic_peaks` finds a peak.
    3. The residual ``r`` = pixel minus the mean of its 8 neighbours is taken on
       pixels away from clipped values. Its quantile skewness
       :math:`(q_{90} + q_{10} - 2 q_{50}) / (q_{90} - q_{10})` is near 0 for
       symmetric noise and positive for one-sided noise: above 0.28
       **exponential**, above 0.19 **gamma**, above 0.07 **rayleigh**.
    4. **poisson** if the noise variance grows with the intensity (the variance
       ratio of bright to dim pixels, over their intensity ratio, above 0.5).
    5. **uniform** if the residual's tails are short:
       :math:`(q_{97.5} - q_{2.5}) / (q_{75} - q_{25}) < 2.45` (2.9 for a
       Gaussian); else **gaussian**.

    Clean images come out as ``'gaussian'`` (weak noise); :func:`denoise` then
    does little harm, since its strength follows the estimated deviation.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import add_noise, identify_noise
    >>> y, x = np.mgrid[0:128, 0:128]
    >>> image = (60 + 0.5 * x + 0.3 * y).astype(np.uint8)
    >>> identify_noise(add_noise(image, "impulse", rng=0))
    'impulse'
    >>> identify_noise(add_noise(image, "periodic", rng=0))
    'periodic'
    >>> identify_noise(add_noise(image, "exponential", rng=0))
    'exponential'
    """
    image = check_image(image)
    if min(image.shape) < 3:
        raise ValueError(f"image must be at least 3x3, got shape {image.shape}")
    if _impulse_fraction(image) > IMPULSE_FRACTION:
        return "impulse"
    if find_periodic_peaks(image):
        return "periodic"
    residual = _neighbour_residual(image)
    if residual.size < 16:
        return "gaussian"
    skew = _quantile_skew(residual)
    if skew > SKEW_EXPONENTIAL:
        return "exponential"
    if skew > SKEW_GAMMA:
        return "gamma"
    if skew > SKEW_ONE_SIDED:
        return "rayleigh"
    if _intensity_dependence(image) > POISSON_DEPENDENCE:
        return "poisson"
    q = np.percentile(residual, [2.5, 25, 75, 97.5])
    if q[2] > q[1] and (q[3] - q[0]) / (q[2] - q[1]) < TAIL_UNIFORM:
        return "uniform"
    return "gaussian"


def _nl_means(values, sigma, lo, hi):
    """Non-local means of float ``values`` with noise deviation ``sigma``.

    OpenCV's fast implementation on an 8-bit copy when 8 bits hold the range at
    a step of at most one unit (8-bit images, the Anscombe domain), else
    scikit-image's on the float values."""
    if sigma <= 0:
        return values
    scale = 255.0 / max(hi - lo, 1e-12)
    if scale >= 1.0:
        eight_bit = np.clip(np.rint((values - lo) * scale), 0, 255).astype(np.uint8)
        out = cv2.fastNlMeansDenoising(eight_bit, None, h=float(NLM_H * sigma * scale),
                                       templateWindowSize=NLM_TEMPLATE,
                                       searchWindowSize=NLM_SEARCH)
        return out.astype(np.float64) / scale + lo
    from skimage.restoration import denoise_nl_means

    return denoise_nl_means(values, h=SKIMAGE_NLM_H * sigma, sigma=sigma, patch_size=5,
                            patch_distance=6, fast_mode=True, preserve_range=True)


#: Non-local means settings (h = NLM_H * sigma), tuned on 8-bit CT slices.
NLM_H = 1.2
NLM_TEMPLATE = 5
NLM_SEARCH = 11
SKIMAGE_NLM_H = 0.7
#: Peak threshold of :func:`find_periodic_peaks` when the noise is known to be
#: periodic (the default 1.2 guards ``'auto'`` against false alarms).
KNOWN_PERIODIC_THRESHOLD = 0.7


def _range(image):
    if image.dtype.kind in "ui":
        return dtype_range(image.dtype)
    return float(image.min()), float(image.max())


def _poisson_scale(image):
    # Counts per grey level: the Immerkaer response's variance (36 x the noise
    # variance) against the local mean, fitted through the origin.
    values = image.astype(np.float64)
    local_mean = ndi.uniform_filter(values, 3, mode="reflect")
    response = ndi.correlate(values, _IMMERKAER, mode="reflect")
    mask = _residual_mask(image) & (local_mean > 0)
    means, resp = local_mean[mask], response[mask]
    # Robust: the median of r^2 / (36 * 0.455 * mean), 0.455 = median of chi2(1).
    ratio = np.median(resp * resp / (36.0 * 0.4549 * np.maximum(means, 1e-12)))
    return 1.0 / ratio if ratio > 0 else 1.0


def _anscombe_denoise(image, values):
    scale = _poisson_scale(image)
    counts = np.maximum(values * scale, 0.0)
    stabilised = 2.0 * np.sqrt(counts + 3.0 / 8.0)
    lo, hi = float(stabilised.min()), float(stabilised.max())
    smooth = _nl_means(stabilised, 1.0, lo, hi)
    # Makitalo & Foi's closed-form approximation of the exact unbiased inverse.
    y = np.maximum(smooth, 1e-6)
    inverse = (0.25 * y ** 2 + 0.25 * np.sqrt(1.5) / y - 11.0 / 8.0 / y ** 2
               + 5.0 / 8.0 * np.sqrt(1.5) / y ** 3 - 0.125)
    return np.maximum(inverse, 0.0) / scale


def _switching_median(image):
    # Replace only the pixels that look like impulses (at the extremes) by the
    # adaptive median; every other pixel is kept as it is.
    lo, hi = _range(image)
    candidates = (image == lo) | (image == hi)
    out = image.copy()
    out[candidates] = adaptive_median(image, max_size=7)[candidates]
    return out


@fill_doc
def denoise(image, noise="auto", *, sigma=None):
    """Remove noise with the filter that suits its kind.

    Parameters
    ----------
    %(image)s
    noise : str, optional
        ``'auto'`` (default: :func:`identify_noise` decides) or one of
        :data:`NOISE_KINDS`.
    sigma : float, optional
        Noise standard deviation for the additive kinds. Default: estimated with
        :func:`estimate_noise_sigma`.

    Returns
    -------
    out : ndarray
        The denoised image. %(same_dtype)s

    Raises
    ------
    TypeError
        For an unsupported dtype or a non-numeric sigma.
    ValueError
        For an unknown noise kind, a negative sigma, an image smaller than 3x3,
        or NaN/inf in the image.

    See Also
    --------
    identify_noise, estimate_noise_sigma, adaptive_median, remove_periodic_noise

    Notes
    -----
    - **impulse**: a switching median: pixels at the extremes (salt and pepper
      values) are replaced by the :func:`adaptive_median` (``max_size=7``); the
      others are kept.
    - **periodic**: :func:`remove_periodic_noise` with ``method='subtract'``;
      when no peak passes the detection threshold (1.2), the strongest peak
      above 0.7 is taken, since the noise is known to be there.
    - **gaussian**, **uniform**: non-local means: OpenCV's
      ``fastNlMeansDenoising`` (5x5 patches, 11x11 search, ``h = 1.2 sigma``)
      where 8 bits hold the image's range at a step of at most one unit (uint8
      images), else scikit-image's ``denoise_nl_means`` (5x5 patches, 13x13
      search, ``h = 0.7 sigma``, with the ``sigma`` correction).
    - **poisson**: the Anscombe transform :math:`2\\sqrt{x\\,s + 3/8}` (``s``,
      counts per grey level, estimated from how the noise variance grows with
      the intensity) makes the noise Gaussian with unit deviation; non-local
      means; then Makitalo & Foi's unbiased inverse.
    - **exponential**, **gamma**, **rayleigh**: the noise is one-sided, so its
      mean biases the image. The bias (``sigma`` times the distribution's
      mean-to-deviation ratio: 1, :math:`\\sqrt 2` for gamma of shape 2, and
      1.913) is subtracted, then non-local means smooth what is left.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import add_noise, denoise
    >>> y, x = np.mgrid[0:96, 0:96]
    >>> clean = (60 + x + 0.5 * y).astype(np.uint8)
    >>> noisy = add_noise(clean, "impulse", amount=0.2, rng=0)
    >>> err = lambda a: float(np.abs(a.astype(int) - clean).mean())
    >>> round(err(noisy)), err(denoise(noisy)) < 1
    (26, True)
    """
    image = check_image(image)
    noise = check_choice(noise, "noise", ("auto",) + NOISE_KINDS)
    if min(image.shape) < 3:
        raise ValueError(f"image must be at least 3x3, got shape {image.shape}")
    if sigma is not None:
        sigma = check_scalar(sigma, "sigma", low=0)
    if noise == "auto":
        noise = identify_noise(image)
    if noise == "impulse":
        return _switching_median(image)
    if noise == "periodic":
        peaks = find_periodic_peaks(image)
        if not peaks:
            # Told the noise is there: take the strongest weaker peak, only one,
            # since every spurious sinusoid fitted and subtracted costs.
            peaks = find_periodic_peaks(image, threshold=KNOWN_PERIODIC_THRESHOLD)[:1]
        return remove_periodic_noise(image, method="subtract", peaks=peaks)
    values = image.astype(np.float64)
    if noise == "poisson":
        if image.min() < 0:
            values = values - image.min()
            return saturate(_anscombe_denoise(image, values) + image.min(), image.dtype)
        return saturate(_anscombe_denoise(image, values), image.dtype)
    if sigma is None:
        sigma = estimate_noise_sigma(image)
    if noise in _BIAS_PER_SIGMA:
        values = values - _BIAS_PER_SIGMA[noise] * sigma
    lo, hi = _range(image)
    return saturate(_nl_means(values, sigma, lo, hi), image.dtype)
