"""Parameter checks used across the enhancement functions (candidates for
``_shared.validation``)."""

import numpy as np

from ctkidney._shared.validation import check_scalar

__all__ = ["finite_scalar"]


def finite_scalar(value, name, **bounds):
    """``check_scalar`` that also refuses inf (NaN is already refused)."""
    value = check_scalar(value, name, **bounds)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return value
