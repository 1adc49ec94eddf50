"""Overflow-safe maps between a value range ``[low, high]`` and ``[0, 1]``.

``(x - low) / (high - low)`` overflows to inf (and then NaN) when the range spans
more than the largest float (``-1e308`` to ``1e308``), and quantizing it indexes
out of bounds; ``low + t * (high - low)`` has the same problem on the way back.
These helpers compute in float64, halve the operands when the span overflows,
clip to ``[0, 1]`` and map back as ``(1 - t) * low + t * high``, which cannot
overflow. Subnormal ranges (``high - low`` of 1e-310) work too.
"""

import numpy as np

__all__ = ["from_unit", "to_levels", "to_unit"]


def to_unit(values, low, high):
    """``(values - low) / (high - low)`` in float64, clipped to ``[0, 1]``
    (``low < high``, both finite)."""
    values = np.asarray(values, dtype=np.float64)
    low, high = float(low), float(high)
    span = high - low
    if np.isfinite(span):
        t = (values - low) / span
    else:
        t = (values / 2 - low / 2) / (high / 2 - low / 2)
    return np.clip(t, 0.0, 1.0)


def from_unit(t, low, high, *, clip=True):
    """``low + t * (high - low)`` without overflow, clipped to ``[low, high]``
    unless ``clip`` is False (``low > high`` maps 0 to ``low`` all the same,
    decreasing)."""
    t = np.asarray(t, dtype=np.float64)
    low, high = float(low), float(high)
    with np.errstate(over="ignore"):  # t > 1 near 1e308: +-inf, saturated
        out = (1.0 - t) * low + t * high
    return np.clip(out, min(low, high), max(low, high)) if clip else out


def to_levels(values, low, high, nbins):
    """Nearest of ``nbins`` evenly spaced levels over ``[low, high]``, as int32 in
    ``[0, nbins - 1]`` (safe to index a table of ``nbins`` entries)."""
    levels = np.rint(to_unit(values, low, high) * (nbins - 1))
    return levels.astype(np.int32)
