"""Numba kernels of the watershed of :mod:`ctkidney.segmentation._watershed`: the
bucket-queue priority flood (on the flat indices of padded images and volumes), and
the radix-sort dense ranking that turns grey values into its levels.

Kernels take contiguous arrays and scalars and do no validation.
"""

import numpy as np

from ctkidney._shared.jit import jit

__all__ = ["_dense_rank_kernel", "_watershed_flat_kernel"]


@jit
def _watershed_flat_kernel(levels, n_levels, labels, mask, offsets):
    """Priority-flood watershed with a bucket queue over flat indices, O(N +
    n_levels), for images and volumes.

    ``levels`` (integer levels ``0 .. n_levels - 1``), ``labels`` (int32 markers,
    filled in place) and ``mask`` are flat views of arrays padded with a border
    where ``mask`` is False, so ``p + offsets`` never leaves the array for a
    flooded ``p``. Markers enter in raster order; a neighbour enters at least at
    its parent's level (scikit-image >= 0.20: equal claims on a basin are shared
    by age), so the current level never decreases; within a level elements leave
    in the order they entered, which is the (value, age) order of scikit-image's
    heap. ``offsets`` in raster order give scikit-image's neighbour order.
    """
    # Bucket v is a linked list through ``nxt`` that starts at a sentinel node,
    # ``n + v``: its first element is ``nxt[n + v]`` and ``tail[v]`` is its last
    # node (the sentinel when empty), so a push is two stores and no branch.
    n = levels.shape[0]
    nxt = np.full(n + n_levels, -1, np.int64)
    tail = np.arange(n, n + n_levels).astype(np.int64)
    level = n_levels
    count = 0
    for p in range(n):
        if labels[p] != 0:
            v = levels[p]
            nxt[tail[v]] = p
            tail[v] = p
            count += 1
            if v < level:
                level = v
    while count > 0:
        while nxt[n + level] < 0:
            level += 1
        p = nxt[n + level]
        nxt[n + level] = nxt[p]
        if nxt[p] < 0:
            tail[level] = n + level
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
            nxt[tail[v]] = q  # nxt[q] is still -1: q enters the queue once
            tail[v] = q
            count += 1
    return labels


@jit
def _float_key(bits, sign):
    # IEEE-754 bits -> unsigned key with the same order as the float values.
    if bits & sign:
        return ~bits
    return bits | sign


@jit
def _dense_rank_kernel(bits, n_bits):
    """Dense ranks (0 = smallest) of floats given as their raw IEEE bits.

    ``bits`` is the uint32 (float32) or uint64 (float64) view of values without
    NaN, with -0.0 already turned into +0.0. An LSD radix sort with 11-bit digits
    over order-preserving keys; equal values share a rank. Returns (ranks int32,
    number of distinct values).
    """
    n = bits.shape[0]
    sign = bits.dtype.type(1) << bits.dtype.type(n_bits - 1)
    keys = np.empty(n, bits.dtype)
    for i in range(n):
        keys[i] = _float_key(bits[i], sign)
    order = np.arange(n)
    buffer = np.empty(n, np.int64)
    counts = np.empty(2049, np.int64)
    mask = bits.dtype.type(0x7FF)
    for shift in range(0, n_bits, 11):
        counts[:] = 0
        step = bits.dtype.type(shift)
        for i in range(n):
            counts[((keys[i] >> step) & mask) + 1] += 1
        for b in range(2048):
            counts[b + 1] += counts[b]
        for i in range(n):
            j = order[i]
            digit = (keys[j] >> step) & mask
            buffer[counts[digit]] = j
            counts[digit] += 1
        order, buffer = buffer, order
    ranks = np.empty(n, np.int32)
    rank = 0
    ranks[order[0]] = 0
    for i in range(1, n):
        if keys[order[i]] != keys[order[i - 1]]:
            rank += 1
        ranks[order[i]] = rank
    return ranks, rank + 1
