"""Adaptive filters: the adaptive local noise-reduction filter and the adaptive
median filter (Gonzalez & Woods, 5.3)."""

import math

import numpy as np

from ctkidney._shared.border import pad
from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_image, check_scalar, saturate
from ctkidney.restoration import _kernels
from ctkidney.restoration._border import check_window
from ctkidney.restoration._estimate import estimate_noise_sigma
from ctkidney.restoration._means import arithmetic_mean
from ctkidney.restoration._networks import pruned_pairs

__all__ = ["adaptive_local_filter", "adaptive_median"]


@fill_doc(bad_type=" or non-numeric parameters",
          bad_value=("an even or too large size, an unknown mode, a negative or NaN "
                     "``noise_var``,"))
def adaptive_local_filter(image, size=3, *, noise_var=None, mode="reflect", cval=0.0):
    """Adaptive local noise-reduction filter.

    Smooths flat areas towards their local mean and leaves edges (where the local
    variance exceeds the noise variance) nearly untouched.

    Parameters
    ----------
    %(image)s
    %(size)s
    noise_var : float, optional
        Variance of the noise, in squared image units (``>= 0``). Default: the
        square of :func:`estimate_noise_sigma`.
    %(border_filter)s

    See Also
    --------
    arithmetic_mean : The average of the window.
    estimate_noise_sigma : Estimate the noise's standard deviation.
    denoise : Remove noise with the filter that suits its kind.

    Notes
    -----
    :math:`\\hat f = g - \\frac{\\sigma_\\eta^2}{\\sigma_L^2}(g - m_L)`, with the
    local mean :math:`m_L` and variance :math:`\\sigma_L^2` of the window (running
    box sums, float64) and the ratio capped at 1, so where the local variance is
    below the noise variance the output is the local mean.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import adaptive_local_filter
    >>> image = np.array([[10.0, 12.0, 10.0], [12.0, 10.0, 12.0], [10.0, 12.0, 10.0]])
    >>> adaptive_local_filter(image, 3, noise_var=0.0)[1, 1]    # no noise: unchanged
    np.float64(10.0)
    >>> adaptive_local_filter(image, 3, noise_var=100.0, mode="wrap")[1, 1].round(3)
    np.float64(10.889)
    """
    image, size, mode, cval = check_window(image, size, mode, cval)
    sigma = None
    if noise_var is None:
        # Kept as the deviation until the scale is known: near 1e300 its square
        # overflows.
        sigma = estimate_noise_sigma(image)
    else:
        noise_var = check_scalar(noise_var, "noise_var", low=0)
    values = image.astype(np.float64)
    # Squares of values (or of cval) beyond ~1e154 overflow float64: the moments are
    # then taken on values scaled by a power of two (exact), and the noise variance
    # scaled to match.
    scale = 1.0
    top = max(float(np.abs(values).max(initial=0.0)), abs(cval))
    if top > 1e150:
        scale = 2.0 ** math.ceil(math.log2(top))
    scaled, scaled_cval = values / scale, cval / scale
    local_mean = arithmetic_mean(scaled, size, mode=mode, cval=scaled_cval)
    local_sq = arithmetic_mean(scaled * scaled, size, mode=mode,
                               cval=scaled_cval * scaled_cval)
    local_var = np.maximum(local_sq - local_mean * local_mean, 0.0)
    noise_scaled = (sigma / scale) ** 2 if sigma is not None else noise_var / scale / scale
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(local_var > 0, noise_scaled / local_var,
                         1.0 if noise_scaled > 0 else 0.0)
    local_mean = local_mean * scale
    ratio = np.minimum(ratio, 1.0)
    return saturate(values - ratio * (values - local_mean), image.dtype)


@fill_doc(bad_type=" or a non-integer ``max_size``",
          bad_value=("an even ``max_size`` or one below 3, one above twice the image's "
                     "smaller side plus one, an unknown mode,"))
def adaptive_median(image, *, max_size=7, mode="reflect", cval=0.0):
    """Adaptive median filter (Gonzalez & Woods' levels A and B).

    Removes dense impulse noise while keeping the pixels that are not impulses:
    the window grows until its median is not an impulse, and the pixel is kept
    unless it is itself the window's minimum or maximum.

    Parameters
    ----------
    %(image)s
    max_size : int, optional
        Largest window side, odd and ``>= 3``. Default 7.
    %(border_filter)s

    See Also
    --------
    median_filter : The middle value of the window.
    denoise : Remove noise with the filter that suits its kind.

    Notes
    -----
    For each pixel :math:`z_{xy}`, with :math:`z_{min}, z_{med}, z_{max}` of the
    current window :math:`S_{xy}` (3x3 at first):

    - Level A: if :math:`z_{min} < z_{med} < z_{max}` go to level B; else grow
      the window by 2 and repeat while its side is at most ``max_size``; past
      ``max_size`` output :math:`z_{med}`.
    - Level B: if :math:`z_{min} < z_{xy} < z_{max}` output :math:`z_{xy}`, else
      output :math:`z_{med}`.

    The border is extended by ``mode`` (scipy.ndimage meaning). No window is
    sorted on its own up to 7x7: for each window size that some pixel of a row
    still needs, a sorting network pruned to the minimum, median and maximum runs
    across the whole row at once (Numba, vectorised, branch free), so most rows
    stop at 3x3 and every size is computed at most once per row. Beyond 7x7 a
    pixel's sorted window grows by merging in each new ring, sorted on its own.

    References
    ----------
    .. [1] %(gonzalez_woods)s, section 5.3, "Adaptive median filter".

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import adaptive_median
    >>> image = np.random.default_rng(1).integers(90, 110, (5, 5)).astype(np.uint8)
    >>> noisy = image.copy()
    >>> noisy[2, 2] = 255                     # a salt pixel
    >>> out = adaptive_median(noisy)
    >>> int(out[2, 2]), int(np.median(noisy[1:4, 1:4]))
    (102, 102)
    >>> int(out[1, 2]) == int(image[1, 2])    # not an extreme of its window: kept
    True
    """
    image = check_image(image)
    max_size = check_scalar(max_size, "max_size", low=3, integer=True)
    if max_size % 2 == 0:
        raise ValueError(f"max_size must be odd, got {max_size}")
    image, _, mode, cval = check_window(image, max_size, mode, cval, name="max_size")
    half = max_size // 2
    padded = pad(image, (half, half), mode, cval)
    out = np.empty(image.shape, image.dtype)
    pairs, offsets = _level_networks(min(half, NETWORK_LEVELS))
    _kernels._adaptive_median_kernel(padded, half, pairs, offsets, out)
    return out


#: Window half-sizes (1: 3x3 ... 3: 7x7) whose min/median/max come from networks.
NETWORK_LEVELS = 3


def _level_networks(levels):
    """The networks for windows 3x3 .. (2 levels + 1)^2, pruned to min, median and
    max, stacked, with the offsets of each."""
    nets = [pruned_pairs((2 * h + 1) ** 2, (0, (2 * h + 1) ** 2 // 2, (2 * h + 1) ** 2 - 1))
            for h in range(1, levels + 1)]
    offsets = np.cumsum([0] + [len(p) for p in nets]).astype(np.int64)
    return np.ascontiguousarray(np.concatenate(nets)), offsets



