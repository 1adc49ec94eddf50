"""Numba kernels of region growing of :mod:`ctkidney.segmentation._region`: the flood fill from
seeds, the region statistics, and the pixel neighbourhood that the watershed shares.

Kernels take contiguous arrays and scalars and do no validation.
"""

import math

import numpy as np

from ctkidney._shared.jit import jit

__all__ = ["_flood_kernel", "_neighbour_offsets", "_region_stats_kernel"]


@jit
def _neighbour_offsets(connectivity):
    if connectivity == 1:
        dr = np.array([-1, 0, 0, 1], np.int64)
        dc = np.array([0, -1, 1, 0], np.int64)
    else:
        dr = np.array([-1, -1, -1, 0, 0, 1, 1, 1], np.int64)
        dc = np.array([-1, 0, 1, -1, 1, -1, 0, 1], np.int64)
    return dr, dc


@jit
def _flood_kernel(image, seed_rows, seed_cols, lows, highs, connectivity, out):
    """Flood fill from each seed over pixels with ``lows[s] <= value <= highs[s]``.

    ``out`` (uint8, zeros) receives 1 for every reached pixel. A seed whose own
    value lies outside its interval adds nothing (as scikit-image's ``flood``).
    """
    rows, cols = image.shape
    dr, dc = _neighbour_offsets(connectivity)
    nn = dr.shape[0]
    flat_off = dr * cols + dc
    flat = image.ravel()
    res = out.ravel()
    stack = np.empty(rows * cols, np.int64)
    # Seeds have different intervals, so "visited" is stamped with the seed number
    # instead of being cleared between seeds.
    stamp = np.zeros(rows * cols, np.int32)
    for s in range(seed_rows.shape[0]):
        lo = lows[s]
        hi = highs[s]
        p0 = seed_rows[s] * cols + seed_cols[s]
        v0 = flat[p0]
        if v0 < lo or v0 > hi or stamp[p0] == s + 1:
            continue
        mark = s + 1
        top = 0
        stack[top] = p0
        top += 1
        stamp[p0] = mark
        res[p0] = 1
        while top > 0:
            top -= 1
            p = stack[top]
            r = p // cols
            c = p - r * cols
            interior = r > 0 and r < rows - 1 and c > 0 and c < cols - 1
            for i in range(nn):
                if interior:
                    q = p + flat_off[i]
                else:
                    rr = r + dr[i]
                    cc = c + dc[i]
                    if rr < 0 or rr >= rows or cc < 0 or cc >= cols:
                        continue
                    q = rr * cols + cc
                if stamp[q] == mark:
                    continue
                v = flat[q]
                if v >= lo and v <= hi:
                    stamp[q] = mark
                    res[q] = 1
                    stack[top] = q
                    top += 1
    return out


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
