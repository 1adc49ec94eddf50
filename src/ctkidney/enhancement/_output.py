"""Output conversion shared by the enhancement functions (the dtype rule)."""

import numpy as np

from ctkidney._shared.validation import dtype_range
from ctkidney.enhancement._kernels import _saturate_kernel

__all__ = ["as_image_dtype", "output_range"]


def as_image_dtype(values, dtype):
    """Cast float ``values`` to the image ``dtype``: integers are rounded half to
    even and saturated (the same result as ``_shared.validation.saturate``, fused
    into one pass); floats are cast without clipping."""
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return np.asarray(values, dtype=dtype)
    low, high = dtype_range(dtype)
    out = np.empty(values.shape, dtype)
    _saturate_kernel(np.ascontiguousarray(values), float(low), float(high), out)
    return out


def output_range(image):
    """Default output range of an intensity mapping.

    Unsigned integers (8- and 16-bit grey levels) fill their whole dtype range, as
    OpenCV does; int16 and float images carry physical units (HU), so their output
    stays in their own data range ``[min, max]``.
    """
    if image.dtype.kind == "u":
        return tuple(float(v) for v in dtype_range(image.dtype))
    return float(image.min()), float(image.max())
