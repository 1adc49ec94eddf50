"""Sorting networks for the window filters.

A sorting network is a fixed list of compare-exchange pairs ``(a, b)``, ``a < b``,
after which wire ``a`` holds the smaller value. Because the list does not depend on
the data, the Numba kernels apply each pair to a whole image row at once: branch
free and vectorised, which beats any data-dependent sort on small windows.
"""

from functools import lru_cache

import numpy as np

__all__ = ["batcher_pairs", "pruned_pairs"]


@lru_cache(maxsize=None)
def batcher_pairs(n):
    """Batcher's odd-even merge sort network for ``n`` wires, as an ``(m, 2)`` int64
    array (Knuth, TAOCP vol. 3, 5.3.4)."""
    pairs = []
    p = 1
    while p < n:
        k = p
        while k >= 1:
            for j in range(k % p, n - k, 2 * k):
                for i in range(min(k, n - j - k)):
                    if (i + j) // (2 * p) == (i + j + k) // (2 * p):
                        pairs.append((i + j, i + j + k))
            k //= 2
        p *= 2
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)


@lru_cache(maxsize=None)
def pruned_pairs(n, outputs):
    """The pairs of :func:`batcher_pairs` that the wires ``outputs`` (a tuple)
    depend on, with flags ``(a, b, need_min, need_max)``: a pair whose min (or
    max) output is never read again is not computed."""
    needed = set(outputs)
    kept = []
    for a, b in batcher_pairs(n)[::-1]:
        need_min, need_max = int(a) in needed, int(b) in needed
        if need_min or need_max:
            kept.append((a, b, need_min, need_max))
            needed.update((int(a), int(b)))
    return np.array(kept[::-1], dtype=np.int64).reshape(-1, 4)
