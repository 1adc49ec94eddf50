"""Numba kernels of the restoration filters on volumes (same contract as
``_kernels``: a padded C-contiguous input, a preallocated unpadded output, no
validation, ``prange`` over independent slices)."""

import numpy as np

from ctkidney._shared.jit import jit, prange
from ctkidney.restoration._kernels import _network_rows

__all__ = ["_network_rank_volume_kernel"]


@jit(parallel=True)
def _network_rank_volume_kernel(padded, kz, ky, kx, pairs, rank, out):
    """``out[z, y, x]`` = the ``rank``-th smallest value of the ``kz x ky x kx``
    window, by a sorting network applied to a whole row of windows at once."""
    nz, ny, nx = out.shape
    for z in prange(nz):
        w = np.empty((kz * ky * kx, nx), padded.dtype)
        for y in range(ny):
            k = 0
            for a in range(kz):
                for b in range(ky):
                    row = padded[z + a, y + b]
                    for c in range(kx):
                        for j in range(nx):
                            w[k, j] = row[j + c]
                        k += 1
            _network_rows(w, pairs)
            for j in range(nx):
                out[z, y, j] = w[rank, j]
