"""Restoration: the eight noise models of Gonzalez & Woods, the textbook
restoration filters (mean, order-statistic and adaptive), frequency-domain
filters and deconvolution, and :func:`denoise`, which picks the filter that suits
the noise."""

from ctkidney.restoration._adaptive import adaptive_local_filter, adaptive_median
from ctkidney.restoration._denoise import denoise
from ctkidney.restoration._estimate import estimate_noise_sigma
from ctkidney.restoration._frequency import (
    band_reject,
    cls_deconvolve,
    find_periodic_peaks,
    notch_reject,
    remove_periodic_noise,
    wiener_deconvolve,
)
from ctkidney.restoration._identify import identify_noise
from ctkidney.restoration._means import (
    arithmetic_mean,
    contraharmonic_mean,
    geometric_mean,
    harmonic_mean,
)
from ctkidney.restoration._noise import (
    DEFAULT_NOISE_LEVELS,
    NOISE_KINDS,
    add_exponential_noise,
    add_gamma_noise,
    add_gaussian_noise,
    add_impulse_noise,
    add_noise,
    add_periodic_noise,
    add_poisson_noise,
    add_rayleigh_noise,
    add_uniform_noise,
)
from ctkidney.restoration._order import (
    alpha_trimmed_mean,
    max_filter,
    median_filter,
    midpoint_filter,
    min_filter,
)

__all__ = [
    "DEFAULT_NOISE_LEVELS",
    "NOISE_KINDS",
    "adaptive_local_filter",
    "adaptive_median",
    "add_exponential_noise",
    "add_gamma_noise",
    "add_gaussian_noise",
    "add_impulse_noise",
    "add_noise",
    "add_periodic_noise",
    "add_poisson_noise",
    "add_rayleigh_noise",
    "add_uniform_noise",
    "alpha_trimmed_mean",
    "arithmetic_mean",
    "band_reject",
    "cls_deconvolve",
    "contraharmonic_mean",
    "denoise",
    "estimate_noise_sigma",
    "find_periodic_peaks",
    "geometric_mean",
    "harmonic_mean",
    "identify_noise",
    "max_filter",
    "median_filter",
    "midpoint_filter",
    "min_filter",
    "notch_reject",
    "remove_periodic_noise",
    "wiener_deconvolve",
]
