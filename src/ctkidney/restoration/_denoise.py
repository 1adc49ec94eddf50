"""Denoising: :func:`denoise`, the filter that suits each noise kind, with its
parameters estimated from the image (:mod:`._estimate`, :mod:`._identify`)."""

import cv2
import numpy as np

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_choice, check_scalar, saturate
from ctkidney.restoration._adaptive import adaptive_median
from ctkidney.restoration._estimate import (
    _mean_and_response,
    _range,
    check_noise_image,
    estimate_noise_sigma,
)
from ctkidney.restoration._frequency import find_periodic_peaks, remove_periodic_noise
from ctkidney.restoration._identify import identify_noise
from ctkidney.restoration._noise import NOISE_KINDS

__all__ = ["denoise"]

#: Mean / standard deviation of the one-sided noises: exponential (1), gamma
#: with the default shape 2 (sqrt 2) and Rayleigh (sqrt(pi / (4 - pi))).
_BIAS_PER_SIGMA = {"exponential": 1.0, "gamma": np.sqrt(2.0),
                   "rayleigh": np.sqrt(np.pi / (4.0 - np.pi))}


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


def _poisson_scale(image):
    # Counts per grey level: the Immerkaer response's variance (36 x the noise
    # variance) against the local mean, fitted through the origin.
    means, resp = _mean_and_response(image)
    # Robust: the median of r^2 / (36 * 0.455 * mean), 0.455 = median of chi2(1),
    # squared after the division (r^2 overflows for values near 1e300).
    ratio = np.median(np.square(resp / np.sqrt(36.0 * 0.4549 * np.maximum(means, 1e-12))))
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


@fill_doc(bad_type=" or a non-numeric sigma",
          bad_value="an unknown noise kind, a negative sigma, an image smaller than 3x3,")
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

    %(restoration_raises)s

    See Also
    --------
    identify_noise : Guess which noise kind corrupts an image.
    estimate_noise_sigma : Estimate the noise's standard deviation.
    adaptive_median : Median filter for dense impulse noise.
    remove_periodic_noise : Find periodic noise in the spectrum and remove it.

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
    image = check_noise_image(image)
    noise = check_choice(noise, "noise", ("auto",) + NOISE_KINDS)
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
