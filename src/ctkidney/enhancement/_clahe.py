"""Contrast-limited adaptive histogram equalization (CLAHE)."""

import cv2
import numpy as np

from ctkidney._shared.ranges import from_unit, to_levels
from ctkidney._shared.validation import check_image, check_scalar, saturate
from ctkidney.enhancement._kernels import _clahe_interpolate_kernel, _clahe_tile_luts_kernel

__all__ = ["clahe"]


def _check_tile_grid(tile_grid, shape):
    if isinstance(tile_grid, (int, np.integer)) and not isinstance(tile_grid, bool):
        tile_grid = (tile_grid, tile_grid)
    if not isinstance(tile_grid, (tuple, list)) or len(tile_grid) != 2:
        raise TypeError(f"tile_grid must be an int or a (rows, cols) pair, got {tile_grid!r}")
    grid = tuple(check_scalar(t, "tile_grid", low=1, integer=True) for t in tile_grid)
    for side, tiles in zip(shape, grid):
        if side < max(tiles, 2):
            raise ValueError(
                f"tile_grid {grid} needs an image of at least {max(tiles, 2)} pixels per "
                f"side, got shape {shape}")
    return grid


def _pad_to_grid(levels, grid):
    """Pad at the bottom and right to a multiple of the grid, as OpenCV does
    (``BORDER_REFLECT_101``; both sides are padded as soon as one is not a
    multiple, one full tile on a side that already was)."""
    rows, cols = levels.shape
    if rows % grid[0] == 0 and cols % grid[1] == 0:
        return levels
    return np.pad(levels, ((0, grid[0] - rows % grid[0]), (0, grid[1] - cols % grid[1])),
                  mode="reflect")


def clahe_levels(levels, nbins, clip_limit, grid, *, rounded):
    """CLAHE of an image of bin indices (int32 in ``[0, nbins)``), as float64 in
    ``[0, nbins - 1]``: the OpenCV algorithm, in Numba."""
    padded = np.ascontiguousarray(_pad_to_grid(levels, grid))
    tile_h, tile_w = padded.shape[0] // grid[0], padded.shape[1] // grid[1]
    area = tile_h * tile_w
    limit = max(int(clip_limit * area / nbins), 1) if clip_limit > 0 else 0
    luts = _clahe_tile_luts_kernel(padded, grid[0], grid[1], nbins, limit,
                                   (nbins - 1) / area, rounded)
    out = np.empty(levels.shape, np.float64)
    _clahe_interpolate_kernel(np.ascontiguousarray(levels), luts, grid[0], grid[1], tile_h,
                              tile_w, out)
    return out


def clahe(image, *, clip_limit=2.0, tile_grid=(8, 8), nbins=256):
    """Contrast-limited adaptive histogram equalization (OpenCV's CLAHE).

    The image is cut into a grid of tiles; each tile's histogram is clipped at
    ``clip_limit`` times the mean bin count, the excess is spread over all bins,
    and each pixel is mapped by bilinear interpolation between the equalization
    maps of its four nearest tiles.

    Parameters
    ----------
    image : (M, N) ndarray
        Input image: uint8, uint16, int16 (HU), float32 or float64. Never modified.
    clip_limit : float, optional
        Contrast limit, OpenCV's ``clipLimit``: a bin holds at most
        ``clip_limit * tile_area / nbins`` counts. 0 turns clipping off (plain
        adaptive equalization). Default 2.0.
    tile_grid : int or (int, int), optional
        Number of tiles ``(rows, cols)``. Default ``(8, 8)``. (OpenCV's
        ``tileGridSize`` is ``(cols, rows)``.)
    nbins : int, optional
        Histogram bins for int16 and float images (default 256). uint8 and
        uint16 images use one bin per grey level (256 and 65536), as OpenCV.

    Returns
    -------
    equalized : (M, N) ndarray
        Same dtype as ``image``. uint8/uint16 results fill the dtype's range;
        int16 and float results stay in the image's ``[min, max]``.

    Raises
    ------
    TypeError
        If ``image`` has an unsupported dtype, or ``tile_grid`` or ``nbins`` are
        not ints.
    ValueError
        If ``image`` is not 2-D, is empty or holds NaN/inf, ``clip_limit < 0``,
        ``nbins < 2``, ``tile_grid`` is not positive, or the image has fewer
        pixels per side than tiles (or fewer than 2).

    See Also
    --------
    equalize_hist : global equalization.

    Notes
    -----
    uint8 and uint16 images are passed to ``cv2.createCLAHE(clip_limit,
    (cols, rows)).apply``: the result is OpenCV's, exactly. int16 and float
    images are quantized to ``nbins`` evenly spaced levels over their
    ``[min, max]`` (nearest level), the same algorithm runs in Numba (same
    clipping, redistribution, ``BORDER_REFLECT_101`` padding to a multiple of the
    grid and tile-centre interpolation) without rounding the tile maps, and the
    result is mapped back to ``[min, max]``. On a uint8-valued float image with
    ``nbins=256`` it is within one grey level of OpenCV's. A constant int16 or
    float image is returned unchanged.

    References
    ----------
    .. [1] K. Zuiderveld, "Contrast limited adaptive histogram equalization",
       Graphics Gems IV, 1994, pp. 474-485.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.enhancement import clahe
    >>> image = np.tile(np.arange(64, dtype=np.uint8), (64, 1))
    >>> out = clahe(image, clip_limit=2.0, tile_grid=(2, 2))
    >>> out.dtype, out.shape, int(out.min()), int(out.max())
    (dtype('uint8'), (64, 64), 3, 112)
    >>> hu = np.linspace(-100, 300, 64 * 64).reshape(64, 64)
    >>> out = clahe(hu, tile_grid=(2, 2))
    >>> out.dtype, bool(out.min() >= -100 and out.max() <= 300)
    (dtype('float64'), True)
    """
    image = check_image(image)
    clip_limit = check_scalar(clip_limit, "clip_limit", low=0, finite=True)
    nbins = check_scalar(nbins, "nbins", low=2, integer=True)
    grid = _check_tile_grid(tile_grid, image.shape)
    if image.dtype in (np.uint8, np.uint16):
        operator = cv2.createCLAHE(clipLimit=clip_limit, tileGridSize=(grid[1], grid[0]))
        return operator.apply(np.ascontiguousarray(image))
    low, high = float(image.min()), float(image.max())
    if low == high:
        return image.copy()
    levels = to_levels(image, low, high, nbins)
    out = clahe_levels(levels, nbins, clip_limit, grid, rounded=False)
    return saturate(from_unit(out / (nbins - 1), low, high), image.dtype, copy=False)
