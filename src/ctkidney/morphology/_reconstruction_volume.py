"""Morphological reconstruction of volumes with the 2-D kernel.

``_reconstruction_kernel`` works on a flat padded array with flat neighbour
offsets. A padded volume ``(Z+2, Y+2, X+2)`` read as a tall image of rows of
``X + 2`` voxels is such an array: its "rows" run through every slice in turn,
and the padding rows between slices hold the dtype's minimum in both the marker
and the mask, so they never grow nor make a neighbour grow, as the padding
columns do in 2-D.
"""

import numpy as np

from ctkidney.morphology._kernels import _reconstruction_kernel

__all__ = ["reconstruct_volume"]


def reconstruct_volume(seed, mask, footprint, bottom):
    """Reconstruction by dilation of ``seed`` under ``mask`` (same dtype, 3-D; bool
    as uint8) with an odd 3-D ``footprint``; ``bottom`` is the dtype's minimum."""
    pz, py, px = (side // 2 for side in footprint.shape)
    pad = ((pz, pz), (py, py), (px, px))
    marker = np.pad(seed, pad, constant_values=bottom)
    limit = np.pad(mask, pad, constant_values=bottom)
    nz, ny, nx = seed.shape
    zp, yp, xp = marker.shape
    k, j, i = np.nonzero(footprint)
    # The kernel pulls into p from p + offset: scikit-image's propagation offsets
    # reflected, as in 2-D.
    dz, dy, dx = pz - k, py - j, px - i
    keep = (dz != 0) | (dy != 0) | (dx != 0)
    flat = np.sort((dz[keep] * yp * xp + dy[keep] * xp + dx[keep]).astype(np.int64))
    before = flat < 0
    top = pz * yp + py
    rows = (nz - 1) * yp + ny
    _reconstruction_kernel(marker.ravel(), limit.ravel(), top, px, rows, nx,
                           flat[before], flat[~before], flat)
    return np.ascontiguousarray(marker[pz:pz + nz, py:py + ny, px:px + nx])
