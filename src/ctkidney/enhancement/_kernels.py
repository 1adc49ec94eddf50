"""Numba kernels of :mod:`ctkidney.enhancement`.

Kernels take contiguous arrays and scalars, do no validation and write into
preallocated outputs; the public functions validate, allocate and dispatch.
"""

import numpy as np

from ctkidney._shared.jit import jit

__all__ = [
    "_apply_lut_kernel",
    "_clahe_interpolate_kernel",
    "_clahe_tile_luts_kernel",
    "_histogram_kernel",
    "_masked_histogram_kernel",
]


@jit
def _histogram_kernel(image, offset, nbins):
    """Counts of ``image - offset`` (integers in ``[0, nbins)``)."""
    hist = np.zeros(nbins, np.int64)
    rows, cols = image.shape
    for i in range(rows):
        for j in range(cols):
            hist[np.int64(image[i, j]) - offset] += 1
    return hist


@jit
def _masked_histogram_kernel(image, mask, offset, nbins):
    """Counts of ``image - offset`` where ``mask`` is True."""
    hist = np.zeros(nbins, np.int64)
    rows, cols = image.shape
    for i in range(rows):
        for j in range(cols):
            if mask[i, j]:
                hist[np.int64(image[i, j]) - offset] += 1
    return hist


@jit
def _apply_lut_kernel(image, lut, offset, out):
    """``out = lut[image - offset]`` for an integer image."""
    rows, cols = image.shape
    for i in range(rows):
        for j in range(cols):
            out[i, j] = lut[np.int64(image[i, j]) - offset]


@jit
def _clahe_tile_luts_kernel(levels, tiles_y, tiles_x, nbins, clip_limit, lut_scale, rounded):
    """OpenCV's CLAHE tile look-up tables.

    ``levels`` (int32, already padded to a multiple of the tile grid) holds bin
    indices in ``[0, nbins)``. Each tile's histogram is clipped at ``clip_limit``
    counts (0: no clipping), the excess is spread over all bins exactly as OpenCV
    does (an even share, then the residual every ``nbins // residual`` bins), and
    the cumulative sum times ``lut_scale`` is the tile's map (rounded half to even
    when ``rounded``, as OpenCV stores it in the image's integer type).
    """
    rows, cols = levels.shape
    tile_h = rows // tiles_y
    tile_w = cols // tiles_x
    luts = np.empty((tiles_y * tiles_x, nbins), np.float64)
    hist = np.empty(nbins, np.int64)
    for ty in range(tiles_y):
        for tx in range(tiles_x):
            hist[:] = 0
            for i in range(ty * tile_h, (ty + 1) * tile_h):
                for j in range(tx * tile_w, (tx + 1) * tile_w):
                    hist[levels[i, j]] += 1
            if clip_limit > 0:
                clipped = 0
                for b in range(nbins):
                    if hist[b] > clip_limit:
                        clipped += hist[b] - clip_limit
                        hist[b] = clip_limit
                batch = clipped // nbins
                residual = clipped - batch * nbins
                for b in range(nbins):
                    hist[b] += batch
                if residual != 0:
                    step = max(nbins // residual, 1)
                    b = 0
                    while b < nbins and residual > 0:
                        hist[b] += 1
                        b += step
                        residual -= 1
            total = 0
            lut = luts[ty * tiles_x + tx]
            for b in range(nbins):
                total += hist[b]
                value = total * lut_scale
                lut[b] = np.rint(value) if rounded else value
    return luts


@jit
def _tile_neighbours(n, tile_size, tiles):
    """For each of ``n`` positions along one axis: the two nearest tiles (clamped
    at the border) and the weight of the second (OpenCV's rule: tile centres at
    ``(t + 0.5) * tile_size``)."""
    first = np.empty(n, np.int64)
    second = np.empty(n, np.int64)
    weight = np.empty(n, np.float64)
    for i in range(n):
        pos = i / tile_size - 0.5
        t = int(np.floor(pos))
        weight[i] = pos - t
        second[i] = min(t + 1, tiles - 1)
        first[i] = max(t, 0)
    return first, second, weight


@jit
def _clahe_interpolate_kernel(levels, luts, tiles_y, tiles_x, tile_h, tile_w, out):
    """Bilinear interpolation between the four nearest tile maps (OpenCV's rule:
    tile centres at ``(t + 0.5) * tile_size``, clamped at the image border)."""
    rows, cols = out.shape
    ty1s, ty2s, yas = _tile_neighbours(rows, tile_h, tiles_y)
    tx1s, tx2s, xas = _tile_neighbours(cols, tile_w, tiles_x)
    for i in range(rows):
        ty1, ty2, ya = ty1s[i], ty2s[i], yas[i]
        for j in range(cols):
            tx1, tx2, xa = tx1s[j], tx2s[j], xas[j]
            b = levels[i, j]
            top = luts[ty1 * tiles_x + tx1, b] * (1.0 - xa) + luts[ty1 * tiles_x + tx2, b] * xa
            bottom = luts[ty2 * tiles_x + tx1, b] * (1.0 - xa) + luts[ty2 * tiles_x + tx2, b] * xa
            out[i, j] = top * (1.0 - ya) + bottom * ya
