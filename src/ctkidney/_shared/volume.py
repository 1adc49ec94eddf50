"""Validation shared by the functions that take volumes: the number of dimensions
and the voxel spacing."""

import numbers
from collections.abc import Mapping

import numpy as np

__all__ = ["check_ndim", "check_spacing", "finite_floats"]


def check_spacing(spacing, ndim, name="spacing", *, default=1.0):
    """Return ``spacing`` as a tuple of ``ndim`` positive floats (mm per voxel).

    ``None`` gives ``default`` along every axis; a single number is used along every
    axis; a sequence must have one entry per axis.
    """
    if spacing is None:
        return (float(default),) * ndim
    if isinstance(spacing, np.ndarray) and spacing.ndim == 0:
        spacing = spacing[()]  # a 0-d array is a number, as np.float32(2) is
    if isinstance(spacing, (bool, np.bool_)) or isinstance(spacing, (str, bytes)):
        raise TypeError(f"{name} must be a positive number or a sequence of {ndim}, "
                        f"got {spacing!r}")
    if isinstance(spacing, (set, frozenset, Mapping)):
        raise TypeError(f"{name} must be a number or a sequence in axis order, got an "
                        f"unordered {type(spacing).__name__}: {spacing!r}")
    if isinstance(spacing, numbers.Real):
        values = (spacing,) * ndim
    else:
        try:
            values = tuple(spacing)
        except TypeError:
            raise TypeError(f"{name} must be a positive number or a sequence of {ndim}, "
                            f"got {spacing!r}") from None
        if len(values) != ndim:
            raise ValueError(f"{name} must have {ndim} entries (one per axis), got "
                             f"{spacing!r}")
    return finite_floats(values, name, spacing, positive=True)


def finite_floats(values, name, shown, *, positive):
    """``values`` as a tuple of finite floats (positive ones if ``positive``).

    The errors name the argument ``name`` and show ``shown`` (what the user passed).
    """
    rule = "positive and finite" if positive else "finite"
    out = []
    for v in values:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
            raise TypeError(f"{name} must hold real numbers, got {shown!r}")
        try:
            v = float(v)
        except OverflowError:  # an int too large for a float (10**400)
            raise ValueError(f"{name} must be {rule}, got a number too large for a "
                             "float") from None
        if not np.isfinite(v) or (positive and v <= 0):
            raise ValueError(f"{name} must be {rule}, got {shown!r}")
        out.append(v)
    return tuple(out)


def check_ndim(array, name, ndims=(2, 3)):
    """Raise ``ValueError`` unless ``array`` has one of ``ndims`` dimensions."""
    if np.ndim(array) not in ndims:
        kinds = " or ".join(f"{n}-D" for n in ndims)
        raise ValueError(f"{name} must be {kinds}, got an array of shape {np.shape(array)}")
    return array

