"""Numba kernels of the segmentation functions on volumes."""

import numpy as np

from ctkidney._shared.jit import jit

__all__ = ["_watershed_flat_kernel"]


@jit
def _watershed_flat_kernel(levels, n_levels, labels, mask, offsets):
    """Priority-flood watershed with a bucket queue over flat indices, O(N).

    ``levels`` (integer levels ``0 .. n_levels - 1``), ``labels`` (int32 markers,
    filled in place) and ``mask`` are flat views of arrays padded with a border
    where ``mask`` is False, so ``p + offsets`` never leaves the array for a
    flooded ``p``. Same order as the 2-D kernel: markers enter in raster order,
    a neighbour enters at least at its parent's level, FIFO within a level.
    """
    n = levels.shape[0]
    nxt = np.full(n, -1, np.int64)
    head = np.full(n_levels, -1, np.int64)
    tail = np.full(n_levels, -1, np.int64)
    level = n_levels
    count = 0
    for p in range(n):
        if labels[p] != 0:
            v = levels[p]
            if tail[v] < 0:
                head[v] = p
            else:
                nxt[tail[v]] = p
            tail[v] = p
            count += 1
            if v < level:
                level = v
    while count > 0:
        while head[level] < 0:
            level += 1
        p = head[level]
        head[level] = nxt[p]
        if head[level] < 0:
            tail[level] = -1
        count -= 1
        lab = labels[p]
        for i in range(offsets.shape[0]):
            q = p + offsets[i]
            if labels[q] != 0 or not mask[q]:
                continue
            labels[q] = lab
            v = levels[q]
            if v < level:
                v = level
            nxt[q] = -1
            if tail[v] < 0:
                head[v] = q
            else:
                nxt[tail[v]] = q
            tail[v] = q
            count += 1
    return labels
