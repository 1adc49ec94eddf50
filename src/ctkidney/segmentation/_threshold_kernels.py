"""Numba kernels of thresholding of :mod:`ctkidney.segmentation._threshold`: the exact
multi-Otsu dynamic programme.

Kernels take contiguous arrays and scalars and do no validation.
"""

import numpy as np

from ctkidney._shared.jit import jit

__all__ = ["_multiotsu_kernel"]


@jit
def _multiotsu_kernel(counts, centers, classes):
    """Exact multi-Otsu by dynamic programming over histogram bins.

    Maximises sum_k S_k^2 / W_k (S: weighted sum, W: weight of class k), which is
    the between-class variance up to constants. Returns the indices of the last
    bin of each of the first ``classes - 1`` classes.
    """
    n = counts.shape[0]
    cw = np.zeros(n + 1, np.float64)
    cs = np.zeros(n + 1, np.float64)
    for i in range(n):
        cw[i + 1] = cw[i] + counts[i]
        cs[i + 1] = cs[i] + counts[i] * centers[i]
    best = np.full((classes, n), -np.inf)
    arg = np.zeros((classes, n), np.int64)
    for i in range(n):
        w = cw[i + 1]
        if w > 0:
            best[0, i] = cs[i + 1] * cs[i + 1] / w
    for k in range(1, classes):
        for i in range(k, n):
            for j in range(k - 1, i):
                if best[k - 1, j] == -np.inf:
                    continue
                w = cw[i + 1] - cw[j + 1]
                if w <= 0:
                    continue
                s = cs[i + 1] - cs[j + 1]
                val = best[k - 1, j] + s * s / w
                if val > best[k, i]:
                    best[k, i] = val
                    arg[k, i] = j
    idx = np.empty(classes - 1, np.int64)
    i = n - 1
    for k in range(classes - 1, 0, -1):
        i = arg[k, i]
        idx[k - 1] = i
    return idx
