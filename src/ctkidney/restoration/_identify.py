"""Noise identification: which of the noise kinds corrupts an image, from the
share of impulses, periodic peaks, the skew and tails of the residual, and how
its variance grows with the intensity."""

import numpy as np
from scipy import ndimage as ndi

from ctkidney._shared.docstrings import fill_doc
from ctkidney.restoration._estimate import (
    _mean_and_response,
    _range,
    _residual_mask,
    check_noise_image,
)
from ctkidney.restoration._frequency import find_periodic_peaks

__all__ = ["identify_noise"]


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
    means, resp = _mean_and_response(image)
    resp = np.abs(resp)
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

    %(noise_image_raises)s

    See Also
    --------
    denoise : Remove noise with the filter that suits its kind.
    find_periodic_peaks : Find the spectral peaks of periodic noise.
    estimate_noise_sigma : Estimate the noise's standard deviation.

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
    image = check_noise_image(image)
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
