"""The eight noise models of Gonzalez & Woods (ch. 5), with numpy's distribution
conventions, and :func:`add_noise` to pick one by name."""

import math

import numpy as np

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import (
    check_choice,
    check_float_array,
    check_image,
    check_rng,
    check_scalar,
    dtype_range,
    saturate,
)

__all__ = ["DEFAULT_NOISE_LEVELS", "NOISE_KINDS", "add_exponential_noise", "add_gamma_noise",
           "add_gaussian_noise", "add_impulse_noise", "add_noise", "add_periodic_noise",
           "add_poisson_noise", "add_rayleigh_noise", "add_uniform_noise"]

#: The noise kinds known to :func:`add_noise` and :func:`denoise`.
NOISE_KINDS = ("gaussian", "impulse", "poisson", "exponential", "gamma", "rayleigh",
               "uniform", "periodic")

#: The study's default noise levels for 8-bit images; :func:`add_noise` fills in
#: any parameter not given from here.
DEFAULT_NOISE_LEVELS = {
    "gaussian": {"sigma": 10.0},
    "impulse": {"amount": 0.10},
    "poisson": {"scale": 1.0},
    "exponential": {"scale": 8.0},
    "gamma": {"shape": 2.0, "scale": 4.0},
    "rayleigh": {"scale": 8.0},
    "uniform": {"low": -15.0, "high": 15.0},
    "periodic": {"amplitude": 20.0, "frequencies": [(0.1, 0.05)]},
}

def _additive(image, noise):
    # The sum in float64, stored back in the image's dtype.
    return saturate(image.astype(np.float64) + noise, image.dtype)


def _add_scaled(image, scale, rng, distribution):
    # The one-sided noises of one parameter, numpy's ``scale``: exponential, Rayleigh.
    image = check_image(image)
    scale = check_scalar(scale, "scale", low=0)
    return _additive(image, distribution(check_rng(rng), scale, image.shape))


@fill_doc(bad_type=" or non-numeric parameters",
          bad_value="a negative ``sigma``, NaN parameters")
def add_gaussian_noise(image, *, sigma, mean=0.0, rng=None):
    """Add Gaussian noise with standard deviation ``sigma`` and mean ``mean``.

    Parameters
    ----------
    %(image)s
    sigma : float
        Standard deviation, in the image's units (``>= 0``).
    mean : float, optional
        Mean of the noise. Default 0.
    %(rng)s

    %(noise_returns)s

    See Also
    --------
    add_noise : Add noise of a named kind.
    add_uniform_noise : Noise drawn uniformly from an interval.
    estimate_noise_sigma : Estimate the noise's standard deviation.

    Notes
    -----
    :math:`p(z) = \\frac{1}{\\sqrt{2\\pi}\\sigma} e^{-(z - \\mu)^2 / 2\\sigma^2}`,
    drawn with ``rng.normal(mean, sigma)``.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import add_gaussian_noise
    >>> image = np.full((64, 64), 100, dtype=np.uint8)
    >>> noisy = add_gaussian_noise(image, sigma=10, rng=0)
    >>> noisy.dtype, round(float(noisy.std()))
    (dtype('uint8'), 10)
    """
    image = check_image(image)
    sigma = check_scalar(sigma, "sigma", low=0)
    mean = check_scalar(mean, "mean")
    return _additive(image, check_rng(rng).normal(mean, sigma, image.shape))


@fill_doc(bad_type=" or non-numeric parameters",
          bad_value="``amount`` or ``salt_ratio`` outside ``[0, 1]``")
def add_impulse_noise(image, *, amount, salt_ratio=0.5, rng=None):
    """Add impulse (salt-and-pepper) noise.

    Parameters
    ----------
    %(image)s
    amount : float
        Probability that a pixel is hit, in ``[0, 1]``.
    salt_ratio : float, optional
        Probability that a hit pixel is salt rather than pepper, in ``[0, 1]``.
        Default 0.5.
    %(rng)s

    %(noise_returns)s

    See Also
    --------
    add_noise : Add noise of a named kind.
    median_filter : The middle value of the window.
    adaptive_median : Median filter for dense impulse noise.

    Notes
    -----
    Each pixel is hit independently with probability ``amount``; a hit becomes
    salt with probability ``salt_ratio``. Salt and pepper are the dtype's maximum
    and minimum for integer images (255 and 0 for uint8), and the image's own
    maximum and minimum for float images.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import add_impulse_noise
    >>> noisy = add_impulse_noise(np.full((100, 100), 128, np.uint8), amount=0.1, rng=0)
    >>> sorted(np.unique(noisy).tolist()), round(float((noisy != 128).mean()), 2)
    ([0, 128, 255], 0.1)
    """
    image = check_image(image)
    amount = check_scalar(amount, "amount", low=0, high=1)
    salt_ratio = check_scalar(salt_ratio, "salt_ratio", low=0, high=1)
    rng = check_rng(rng)
    if image.dtype.kind in "ui":
        pepper, salt = dtype_range(image.dtype)
    else:
        pepper, salt = image.min(), image.max()
    hit = rng.random(image.shape) < amount
    is_salt = rng.random(image.shape) < salt_ratio
    noisy = image.copy()
    noisy[hit & is_salt] = salt
    noisy[hit & ~is_salt] = pepper
    return noisy


@fill_doc(bad_type=" or a non-numeric ``scale``",
          bad_value="``scale <= 0``, a negative pixel")
def add_poisson_noise(image, *, scale=1.0, rng=None):
    """Add Poisson (shot) noise: counts ``pixel * scale``, divided back by ``scale``.

    Parameters
    ----------
    %(image)s
        Must be non-negative.
    scale : float, optional
        Counts per grey level (``> 0``): larger means less noise. Default 1.
    %(rng)s

    %(noise_returns)s

    See Also
    --------
    add_noise : Add noise of a named kind.
    denoise : Remove noise with the filter that suits its kind.

    Notes
    -----
    The result is ``rng.poisson(image * scale) / scale``: its mean is the pixel and
    its variance ``pixel / scale``.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import add_poisson_noise
    >>> noisy = add_poisson_noise(np.full((100, 100), 100.0), scale=1.0, rng=0)
    >>> round(float(noisy.mean())), round(float(noisy.var()), -1)
    (100, 100.0)
    """
    image = check_image(image)
    scale = check_scalar(scale, "scale", low=0, low_open=True)
    if image.min() < 0:
        raise ValueError(f"image must be non-negative for Poisson noise, got a minimum "
                         f"of {image.min()}")
    lam = image.astype(np.float64) * scale
    if lam.max() > _MAX_POISSON_MEAN:
        raise ValueError(f"image * scale must be at most {_MAX_POISSON_MEAN:g} (NumPy's "
                         f"largest Poisson mean), got {lam.max():g}: lower scale")
    counts = check_rng(rng).poisson(lam)
    return saturate(counts / scale, image.dtype)


@fill_doc(bad_type=" or a non-numeric ``scale``",
          bad_value="a negative ``scale``")
def add_exponential_noise(image, *, scale, rng=None):
    """Add one-sided exponential noise of mean ``scale``.

    Parameters
    ----------
    %(image)s
    scale : float
        Mean (and standard deviation) of the noise, ``>= 0`` (numpy's ``scale``).
    %(rng)s

    %(noise_returns)s

    See Also
    --------
    add_gamma_noise : One-sided gamma (Erlang) noise.
    add_rayleigh_noise : One-sided Rayleigh noise.
    denoise : Remove noise with the filter that suits its kind.

    Notes
    -----
    :math:`p(z) = a e^{-a z}` for :math:`z \\ge 0`, with :math:`a = 1 /
    \\text{scale}`: mean ``scale``, variance ``scale**2``. The noise is
    non-negative and added (Gonzalez & Woods, 5.2), so it brightens the image by
    ``scale`` on average.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import add_exponential_noise
    >>> noisy = add_exponential_noise(np.zeros((100, 100)), scale=8, rng=0)
    >>> round(float(noisy.mean())), bool(noisy.min() >= 0)
    (8, True)
    """
    return _add_scaled(image, scale, rng, np.random.Generator.exponential)


@fill_doc(bad_type=" or non-numeric parameters",
          bad_value="``shape <= 0``, a negative ``scale``")
def add_gamma_noise(image, *, shape, scale, rng=None):
    """Add one-sided gamma (Erlang) noise.

    Parameters
    ----------
    %(image)s
    shape : float
        Shape ``k > 0`` (an integer gives the Erlang distribution).
    scale : float
        Scale ``theta >= 0``; mean ``shape * scale``, variance ``shape * scale**2``.
    %(rng)s

    %(noise_returns)s

    See Also
    --------
    add_exponential_noise : One-sided exponential noise.
    add_rayleigh_noise : One-sided Rayleigh noise.
    denoise : Remove noise with the filter that suits its kind.

    Notes
    -----
    :math:`p(z) = \\frac{z^{k-1} e^{-z/\\theta}}{\\Gamma(k)\\theta^k}` for
    :math:`z \\ge 0`, drawn with ``rng.gamma(shape, scale)`` (Gonzalez & Woods
    write :math:`b = k` and :math:`a = 1/\\theta`). One-sided and additive.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import add_gamma_noise
    >>> noisy = add_gamma_noise(np.zeros((100, 100)), shape=2, scale=4, rng=0)
    >>> round(float(noisy.mean())), round(float(noisy.var()), -1)
    (8, 30.0)
    """
    image = check_image(image)
    shape = check_scalar(shape, "shape", low=0, low_open=True)
    scale = check_scalar(scale, "scale", low=0)
    return _additive(image, check_rng(rng).gamma(shape, scale, image.shape))


@fill_doc(bad_type=" or a non-numeric ``scale``",
          bad_value="a negative ``scale``")
def add_rayleigh_noise(image, *, scale, rng=None):
    """Add one-sided Rayleigh noise.

    Parameters
    ----------
    %(image)s
    scale : float
        Mode of the distribution, ``>= 0`` (numpy's ``scale``).
    %(rng)s

    %(noise_returns)s

    See Also
    --------
    add_exponential_noise : One-sided exponential noise.
    add_gamma_noise : One-sided gamma (Erlang) noise.
    denoise : Remove noise with the filter that suits its kind.

    Notes
    -----
    :math:`p(z) = \\frac{z}{s^2} e^{-z^2 / 2s^2}` for :math:`z \\ge 0`: mean
    :math:`s\\sqrt{\\pi/2}`, variance :math:`(4 - \\pi) s^2 / 2`. (Gonzalez &
    Woods' form with offset :math:`a` is this one shifted by :math:`a`.) One-sided
    and additive.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import add_rayleigh_noise
    >>> noisy = add_rayleigh_noise(np.zeros((100, 100)), scale=8, rng=0)
    >>> round(float(noisy.mean()))
    10
    """
    return _add_scaled(image, scale, rng, np.random.Generator.rayleigh)


@fill_doc(bad_type=" or non-numeric bounds",
          bad_value="``low > high``, NaN bounds")
def add_uniform_noise(image, *, low, high, rng=None):
    """Add noise drawn uniformly from ``[low, high)``.

    Parameters
    ----------
    %(image)s
    low, high : float
        Bounds of the noise, ``low <= high``, in the image's units.
    %(rng)s

    %(noise_returns)s

    See Also
    --------
    add_gaussian_noise : Gaussian noise.
    midpoint_filter : Halfway between the window's extremes.

    Notes
    -----
    Mean ``(low + high) / 2``, variance ``(high - low)**2 / 12``; drawn with
    ``rng.uniform(low, high)``.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import add_uniform_noise
    >>> noisy = add_uniform_noise(np.zeros((100, 100)), low=-15, high=15, rng=0)
    >>> bool(noisy.min() >= -15 and noisy.max() < 15), round(float(noisy.std()), 1)
    (True, 8.7)
    """
    image = check_image(image)
    low = check_scalar(low, "low")
    high = check_scalar(high, "high")
    if low > high:
        raise ValueError(f"low must be <= high, got low={low} and high={high}")
    generator = check_rng(rng)
    if math.isfinite(high - low):
        return _additive(image, generator.uniform(low, high, image.shape))
    # numpy refuses a width beyond the largest float: the same draws, weighted.
    u = generator.random(image.shape)
    return _additive(image, (1.0 - u) * low + u * high)


def _per_frequency(value, name, count):
    values = np.atleast_1d(check_float_array(value, name))
    if values.ndim != 1 or len(values) not in (1, count):
        raise ValueError(f"{name} must be a number or one number per frequency ({count}), "
                         f"got {value!r}")
    if not np.isfinite(values).all():
        raise ValueError(f"{name} must be finite, got {value!r}")
    return np.broadcast_to(values, (count,))


def check_frequencies(frequencies, name="frequencies"):
    """``frequencies`` as an ``(n, 2)`` float array of ``(fx, fy)`` in cycles/pixel,
    each within ``[-0.5, 0.5]``."""
    if isinstance(frequencies, (str, bytes)) or frequencies is None:
        raise TypeError(f"{name} must be a list of (fx, fy) pairs, got {frequencies!r}")
    array = check_float_array(frequencies, name)
    if array.ndim == 1 and array.shape == (2,):
        array = array[None, :]
    if array.ndim != 2 or array.shape[1] != 2 or len(array) == 0:
        raise ValueError(f"{name} must be a non-empty list of (fx, fy) pairs, "
                         f"got {frequencies!r}")
    if not np.isfinite(array).all() or np.abs(array).max() > 0.5:
        raise ValueError(f"{name} must lie in [-0.5, 0.5] cycles/pixel, got {frequencies!r}")
    return array


#: NumPy's Generator.poisson refuses larger means.
_MAX_POISSON_MEAN = 1e18


@fill_doc(bad_type=" or malformed ``frequencies``",
          bad_value=("a negative amplitude, frequencies outside ``[-0.5, 0.5]``, "
                           "a length mismatch"))
def add_periodic_noise(image, *, amplitude, frequencies, phase=0.0, rng=None):
    """Add periodic (sinusoidal) noise: a sum of 2-D sine waves.

    Parameters
    ----------
    %(image)s
    amplitude : float or sequence of float
        Amplitude of each wave (one for all, or one per frequency), ``>= 0``.
    frequencies : (fx, fy) or sequence of (fx, fy)
        Frequencies in cycles/pixel along columns (``fx``) and rows (``fy``), each
        within ``[-0.5, 0.5]``.
    phase : float, sequence of float or None, optional
        Phase of each wave in radians. Default 0. ``None`` draws each phase
        uniformly from ``[0, 2 pi)`` with ``rng``.
    %(rng)s
        Only used when ``phase`` is None.

    %(noise_returns)s

    See Also
    --------
    remove_periodic_noise : Find periodic noise in the spectrum and remove it.
    notch_reject : Remove the frequencies around given centres.

    Notes
    -----
    :math:`\\eta(x, y) = \\sum_k A_k \\sin(2\\pi (f_{x,k} x + f_{y,k} y) +
    \\varphi_k)`, with ``x`` the column and ``y`` the row index. Each wave shows
    as a pair of spikes at :math:`\\pm(f_x, f_y)` in the spectrum.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import add_periodic_noise
    >>> noisy = add_periodic_noise(np.zeros((1, 8)), amplitude=1, frequencies=(0.25, 0))
    >>> noisy.round(3)
    array([[ 0.,  1.,  0., -1.,  0.,  1.,  0., -1.]])
    """
    image = check_image(image)
    freqs = check_frequencies(frequencies)
    amplitudes = _per_frequency(amplitude, "amplitude", len(freqs))
    if (amplitudes < 0).any():
        raise ValueError(f"amplitude must be >= 0, got {amplitude!r}")
    if phase is None:
        phases = check_rng(rng).uniform(0, 2 * np.pi, len(freqs))
    else:
        phases = _per_frequency(phase, "phase", len(freqs))
    rows, cols = image.shape
    y = np.arange(rows, dtype=np.float64)[:, None]
    x = np.arange(cols, dtype=np.float64)[None, :]
    noise = np.zeros(image.shape)
    for (fx, fy), a, p in zip(freqs, amplitudes, phases):
        noise += a * np.sin(2 * np.pi * (fx * x + fy * y) + p)
    return _additive(image, noise)


_ADDERS = {
    "gaussian": add_gaussian_noise,
    "impulse": add_impulse_noise,
    "poisson": add_poisson_noise,
    "exponential": add_exponential_noise,
    "gamma": add_gamma_noise,
    "rayleigh": add_rayleigh_noise,
    "uniform": add_uniform_noise,
    "periodic": add_periodic_noise,
}


@fill_doc
def add_noise(image, kind, *, rng=None, **params):
    """Add noise of the named ``kind``; parameters not given take the study's
    8-bit defaults (:data:`DEFAULT_NOISE_LEVELS`).

    Parameters
    ----------
    %(image)s
    kind : str
        One of :data:`NOISE_KINDS`: ``'gaussian'``, ``'impulse'``, ``'poisson'``,
        ``'exponential'``, ``'gamma'``, ``'rayleigh'``, ``'uniform'``,
        ``'periodic'``.
    %(rng)s
    **params
        Parameters of the matching ``add_<kind>_noise`` function.

    Returns
    -------
    noisy : ndarray
        The noisy image, with the dtype of ``image``.

    Raises
    ------
    TypeError
        For a parameter the kind does not take, or as the kind's function does.
    ValueError
        For an unknown ``kind``, or as the kind's function does.

    See Also
    --------
    NOISE_KINDS : The names ``kind`` takes.
    denoise : Remove noise with the filter that suits its kind.

    Notes
    -----
    The defaults are: Gaussian ``sigma=10``; impulse ``amount=0.1``; Poisson
    ``scale=1``; exponential ``scale=8``; gamma ``shape=2, scale=4``; Rayleigh
    ``scale=8``; uniform ``low=-15, high=15``; periodic ``amplitude=20`` at
    ``(fx, fy) = (0.1, 0.05)``.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import add_noise
    >>> image = np.full((50, 50), 100, dtype=np.uint8)
    >>> round(float(add_noise(image, "gaussian", sigma=5, rng=1).std()))
    5
    >>> round(float(add_noise(image, "exponential", rng=1).mean()))
    108
    """
    kind = check_choice(kind, "kind", NOISE_KINDS)
    func = _ADDERS[kind]
    full = {**DEFAULT_NOISE_LEVELS[kind], **params}
    return func(image, rng=rng, **full)
