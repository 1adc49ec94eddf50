"""Numba kernels of the shared helpers."""

import numpy as np

from ctkidney._shared.jit import jit

__all__ = ["_saturate_kernel"]


@jit
def _saturate_kernel(values, low, high, out):
    """Round half to even and clip to ``[low, high]`` (OpenCV ``saturate_cast``)."""
    rows, cols = values.shape
    for i in range(rows):
        for j in range(cols):
            v = np.rint(values[i, j])
            if v < low:
                v = low
            elif v > high:
                v = high
            out[i, j] = v
