"""Region growing from seeds: fixed tolerance (flood fill) or confidence-connected."""

import numpy as np

from ctkidney._shared._kernels import _flood_kernel
from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_choice, check_image, check_scalar
from ctkidney.segmentation._region_kernels import _region_stats_kernel

__all__ = ["region_grow"]


def check_seeds(seeds, shape, name="seeds"):
    """Return seeds as two int64 arrays (rows, cols), refusing seeds off the image.

    ``seeds`` is one ``(row, col)`` pair or a sequence of pairs.
    """
    if isinstance(seeds, (str, bytes)) or seeds is None:
        raise TypeError(f"{name} must be a (row, col) pair or a sequence of pairs, got {seeds!r}")
    array = np.asarray(seeds)
    if array.dtype == object or array.dtype.kind not in "ui" and not (
        array.dtype.kind == "f" and np.all(np.mod(array, 1) == 0)
    ):
        raise TypeError(f"{name} must hold integer (row, col) coordinates, got {seeds!r}")
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2 or array.shape[1] != 2 or array.shape[0] == 0:
        raise ValueError(f"{name} must be a (row, col) pair or an (n, 2) array, got {seeds!r}")
    # Checked in the seeds' own dtype: a cast first would wrap 2**63 to -2**63.
    rows, cols = array[:, 0], array[:, 1]
    bad = (rows < 0) | (rows >= shape[0]) | (cols < 0) | (cols >= shape[1])
    if bad.any():
        first = tuple(v.item() for v in array[np.flatnonzero(bad)[0]])
        raise ValueError(f"{name} must lie inside the image of shape {shape}, got {first}")
    return (np.ascontiguousarray(rows, dtype=np.int64),
            np.ascontiguousarray(cols, dtype=np.int64))


def _flood(image, rows, cols, lows, highs, connectivity):
    out = np.zeros(image.shape, np.uint8)
    _flood_kernel(image, rows * image.shape[1] + cols, np.asarray(lows, np.float64),
                  np.asarray(highs, np.float64), connectivity == 2, out)
    return out.view(bool)


@fill_doc
def region_grow(image, seeds, *, tolerance=None, connectivity=1, method="fixed",
                multiplier=2.5, n_iter=4, radius=1):
    """Grow regions from seed pixels over connected pixels of similar value.

    Parameters
    ----------
    %(image)s
    seeds : (row, col) or sequence of (row, col)
        One or more seed pixels. Each grows its own region; the result is their
        union.
    tolerance : float, optional
        ``method='fixed'``: a pixel joins a seed's region when it is connected to
        the seed and ``|value - seed value| <= tolerance``. Default 0 (the
        seed's exact value, as a flood fill).
    connectivity : {1, 2}, optional
        1: 4-connected neighbours (default); 2: 8-connected.
    method : {'fixed', 'confidence'}, optional
        ``'fixed'`` (default) is scikit-image's ``flood``. ``'confidence'`` is
        ITK's ConfidenceConnected: the interval is ``mean +- multiplier * std``
        of the seeds' ``(2 radius + 1)`` neighbourhoods, then re-estimated from
        the grown region ``n_iter`` times. All seeds share one interval.
    multiplier : float, optional
        Width of the confidence interval in standard deviations. Default 2.5.
    n_iter : int, optional
        Re-estimations of the interval from the region. Default 4.
    radius : int, optional
        Radius of the neighbourhood of each seed that gives the first estimate.
        Default 1.

    Returns
    -------
    mask : (M, N) bool ndarray
        The grown region(s). Every seed whose own value lies in its interval is
        inside (always true for ``'fixed'``).

    Raises
    ------
    TypeError
        If ``image`` has an unsupported dtype or ``seeds`` is not integer pairs.
    ValueError
        If a seed lies outside the image, ``tolerance`` is negative, or another
        parameter is out of range.

    See Also
    --------
    watershed : Marker-controlled flooding.
    threshold : Pixels brighter than a value.

    Notes
    -----
    Breadth-first flood fill in a Numba kernel. ``'fixed'`` gives the same mask as
    ``skimage.segmentation.flood(image, seed, tolerance=tolerance,
    connectivity=connectivity)`` for each seed, combined by logical or.

    References
    ----------
    .. [1] R. Adams, L. Bischof, "Seeded region growing", IEEE Trans. Pattern
           Anal. Mach. Intell. 16(6), 641-647, 1994.
    .. [2] ITK, ``ConfidenceConnectedImageFilter``.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.segmentation import region_grow
    >>> image = np.array([[10, 11, 50],
    ...                   [12, 60, 52],
    ...                   [13, 14, 51]], np.uint8)
    >>> region_grow(image, (0, 0), tolerance=5).astype(int)
    array([[1, 1, 0],
           [1, 0, 0],
           [1, 1, 0]])
    >>> region_grow(image, [(0, 0), (0, 2)], tolerance=2).astype(int)
    array([[1, 1, 1],
           [1, 0, 1],
           [0, 0, 1]])
    """
    image = check_image(image)
    rows, cols = check_seeds(seeds, image.shape)
    if isinstance(connectivity, bool) or connectivity not in (1, 2):
        raise ValueError(f"connectivity must be 1 or 2, got {connectivity!r}")
    method = check_choice(method, "method", ("fixed", "confidence"))
    if method == "fixed":
        tolerance = 0.0 if tolerance is None else check_scalar(tolerance, "tolerance", low=0)
        seed_values = image[rows, cols].astype(np.float64)
        return _flood(image, rows, cols, seed_values - tolerance, seed_values + tolerance,
                      connectivity)
    if tolerance is not None:
        raise ValueError("tolerance is for method='fixed'; 'confidence' uses multiplier")
    multiplier = check_scalar(multiplier, "multiplier", low=0)
    n_iter = check_scalar(n_iter, "n_iter", low=0, integer=True)
    radius = check_scalar(radius, "radius", low=0, integer=True)
    work = image.astype(np.float64)
    region = np.zeros(image.shape, bool)
    for r, c in zip(rows, cols):
        region[max(r - radius, 0):r + radius + 1, max(c - radius, 0):c + radius + 1] = True
    mask = region
    for _ in range(n_iter + 1):
        mean, std, _ = _region_stats_kernel(work, region)
        lo, hi = mean - multiplier * std, mean + multiplier * std
        n_seeds = rows.size
        mask = _flood(work, rows, cols, np.full(n_seeds, lo), np.full(n_seeds, hi),
                      connectivity)
        if not mask.any() or np.array_equal(mask, region):
            break
        region = mask
    return mask
