"""Numba kernel of region growing of :mod:`ctkidney.segmentation._region`: the region
statistics (the flood fill from seeds is :func:`ctkidney._shared._kernels._flood_kernel`).

Kernels take contiguous arrays and scalars and do no validation.
"""

import math

from ctkidney._shared.jit import jit

__all__ = ["_region_stats_kernel"]


@jit
def _region_stats_kernel(image, region):
    """Mean and (population) standard deviation of ``image`` over ``region``."""
    rows, cols = image.shape
    n = 0
    s = 0.0
    for r in range(rows):
        for c in range(cols):
            if region[r, c]:
                n += 1
                s += image[r, c]
    if n == 0:
        return 0.0, 0.0, 0
    mean = s / n
    ss = 0.0
    for r in range(rows):
        for c in range(cols):
            if region[r, c]:
                d = image[r, c] - mean
                ss += d * d
    return mean, math.sqrt(ss / n), n
