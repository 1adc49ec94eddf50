"""Numba kernels of the exact Euclidean distance transform (Felzenszwalb & Huttenlocher's
lower envelope of parabolas, row then column passes).

Kernels take contiguous arrays and scalars and do no validation.
"""

import numpy as np

from ctkidney._shared.jit import jit

__all__ = ["_edt_kernel"]


@jit
def _edt_1d(f, n, scale, d, v, z):
    # Felzenszwalb & Huttenlocher lower envelope of parabolas scale*(q - p)^2 + f[p].
    # Parabolas with f = inf (no background yet) are skipped.
    k = -1
    for q in range(n):
        if f[q] == np.inf:
            continue
        if k < 0:
            k = 0
            v[0] = q
            z[0] = -np.inf
            z[1] = np.inf
            continue
        while True:
            p = v[k]
            s = ((f[q] + scale * q * q) - (f[p] + scale * p * p)) / (2.0 * scale * (q - p))
            if s <= z[k]:
                k -= 1
                if k < 0:
                    break
            else:
                break
        k += 1
        v[k] = q
        if k == 0:
            z[0] = -np.inf
        else:
            z[k] = s
        z[k + 1] = np.inf
    if k < 0:
        for q in range(n):
            d[q] = np.inf
        return
    j = 0
    for q in range(n):
        while z[j + 1] < q:
            j += 1
        diff = q - v[j]
        d[q] = scale * diff * diff + f[v[j]]


@jit
def _edt_kernel(mask, row_scale, col_scale, out):
    """Exact squared Euclidean distance of each True pixel to the nearest False one.

    Pass 1: the distance along each column, by a downward and an upward sweep
    over whole rows (cache friendly). Pass 2: Felzenszwalb-Huttenlocher lower
    envelope along each row (serial: threads cost more than the O(N) work at
    512 x 512). ``row_scale``/``col_scale``
    are the squared pixel spacings. ``out`` (float64) receives squared distances;
    inf where the mask has no False pixel at all.
    """
    rows, cols = mask.shape
    vert = np.empty((rows, cols), np.float64)
    for c in range(cols):
        vert[0, c] = np.inf if mask[0, c] else 0.0
    for r in range(1, rows):
        for c in range(cols):
            vert[r, c] = vert[r - 1, c] + 1.0 if mask[r, c] else 0.0
    for r in range(rows - 2, -1, -1):
        for c in range(cols):
            below = vert[r + 1, c] + 1.0
            if below < vert[r, c]:
                vert[r, c] = below
    f = np.empty(cols, np.float64)
    d = np.empty(cols, np.float64)
    v = np.empty(cols, np.int64)
    z = np.empty(cols + 1, np.float64)
    for r in range(rows):
        for c in range(cols):
            g = vert[r, c]
            f[c] = g * g * row_scale
        _edt_1d(f, cols, col_scale, d, v, z)
        for c in range(cols):
            out[r, c] = d[c]
    return out
