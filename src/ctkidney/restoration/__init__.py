"""Noise models, restoration filters, periodic-noise removal and deconvolution."""

from ctkidney.restoration._means import (
    arithmetic_mean,
    contraharmonic_mean,
    geometric_mean,
    harmonic_mean,
)
from ctkidney.restoration._order import (
    alpha_trimmed_mean,
    max_filter,
    median_filter,
    midpoint_filter,
    min_filter,
)

__all__ = [
    "alpha_trimmed_mean",
    "arithmetic_mean",
    "contraharmonic_mean",
    "geometric_mean",
    "harmonic_mean",
    "max_filter",
    "median_filter",
    "midpoint_filter",
    "min_filter",
]
