"""Numba kernels of the shared helpers."""

import numpy as np

from ctkidney._shared.jit import jit

__all__ = ["_flood_kernel", "_saturate_kernel"]


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


@jit
def _flood_kernel(image, seeds, lows, highs, eight, out):
    """Flood fill from the flat indices ``seeds`` of the 2-D ``image`` over the
    pixels with ``lows[i] <= value <= highs[i]`` (seed ``i``'s interval),
    4-connected or, with ``eight``, 8-connected.

    ``out`` (uint8, zeros) receives 1 for every reached pixel. A seed whose own
    value lies outside its interval adds nothing (as scikit-image's ``flood``).
    Region growing, the fill-holes flood of the background from the border and
    Canny's hysteresis.
    """
    rows, cols = image.shape
    if eight:
        dr = np.array([-1, -1, -1, 0, 0, 1, 1, 1], np.int64)
        dc = np.array([-1, 0, 1, -1, 1, -1, 0, 1], np.int64)
    else:
        dr = np.array([-1, 0, 0, 1], np.int64)
        dc = np.array([0, -1, 1, 0], np.int64)
    steps = dr * cols + dc
    flat = image.ravel()
    res = out.ravel()
    stack = np.empty(rows * cols, np.int64)
    # Seeds may have different intervals, so "visited" is stamped with a number
    # per interval instead of being cleared between seeds.
    stamp = np.zeros(rows * cols, np.int32)
    mark = 0
    for s in range(seeds.shape[0]):
        lo = lows[s]
        hi = highs[s]
        if s == 0 or lo != lows[s - 1] or hi != highs[s - 1]:
            mark += 1
        p0 = seeds[s]
        v0 = flat[p0]
        if v0 < lo or v0 > hi or stamp[p0] == mark:
            continue
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
            interior = 0 < r < rows - 1 and 0 < c < cols - 1
            for i in range(steps.shape[0]):
                if interior:
                    q = p + steps[i]
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
