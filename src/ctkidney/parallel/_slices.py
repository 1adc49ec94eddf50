"""``map_slices``: a 2-D function over the slices of a volume, on Dask."""

import numpy as np

from ctkidney._shared.validation import check_array, check_scalar
from ctkidney.parallel._map import map_images

__all__ = ["map_slices"]


def map_slices(func, volume, *, axis=0, batch_size=None, scheduler=None, num_workers=None,
               progress=False, **kwargs):
    """Apply a 2-D function to every slice of a volume, in parallel, and stack the
    results back into a volume.

    The answer for functions that stay 2-D (CLAHE, the segmentation recipes, the
    2-D-only restoration filters, ...): ``map_slices(clahe, hu)`` is
    ``np.stack([clahe(s) for s in hu])``, computed by :func:`map_images` on local
    threads (by default), processes or a Dask cluster.

    Parameters
    ----------
    func : callable
        Per-slice function ``func(slice, **kwargs)`` that returns an array (or a
        scalar); it must not modify its input.
    volume : (Z, Y, X) ndarray or ctkidney.data.Volume
        The volume. Never modified.
    axis : {0, 1, 2}, optional
        The axis the slices are taken across: 0 (default) gives the axial slices of
        a volume in DESIGN's convention, 1 coronal and 2 sagittal ones.
    batch_size, scheduler, num_workers
        As :func:`map_images`.
    progress : bool, optional
        Show a progress bar. Default False.
    **kwargs
        Passed to ``func`` with every slice.

    Returns
    -------
    result : ndarray or Volume
        The per-slice results stacked along ``axis``: for a function that maps a
        slice to an array of the same shape, an array of the volume's shape (with
        the results' dtype). Given a :class:`~ctkidney.data.Volume` and such a
        function, a ``Volume`` with the same spacing and origin. A scalar per slice
        gives a 1-D array.

    Raises
    ------
    TypeError
        If ``func`` is not callable or ``volume`` is not an array or a Volume.
    ValueError
        If the array is not 3-D or is empty, or ``axis`` is not 0, 1 or 2; if the
        slices' results differ in shape or dtype (they cannot be stacked).
    Exception
        The first exception ``func`` raised, noted with the slice's index (the rest
        of the work is cancelled).

    See Also
    --------
    map_images : the same over a stack of independent images.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.data import Volume
    >>> from ctkidney.enhancement import clahe
    >>> from ctkidney.parallel import map_slices
    >>> vol = Volume(np.random.default_rng(0).integers(0, 255, (4, 32, 32), dtype=np.uint8),
    ...              (3.0, 0.8, 0.8), (0.0, 0.0, 0.0))
    >>> out = map_slices(clahe, vol, tile_grid=(2, 2))
    >>> type(out).__name__, out.hu.shape, out.spacing
    ('Volume', (4, 32, 32), (3.0, 0.8, 0.8))
    >>> map_slices(np.mean, vol.hu, axis=1, scheduler="sync").shape
    (32,)
    """
    if not callable(func):
        raise TypeError(f"func must be callable, got {func!r}")
    from ctkidney.data import Volume

    record = volume if isinstance(volume, Volume) else None
    array = volume.hu if record is not None else volume
    array = check_array(array, "volume", "a 3-D array or a Volume", ndim=3)
    axis = check_scalar(axis, "axis", low=0, high=2, integer=True)
    stack = np.moveaxis(array, axis, 0)
    results = map_images(func, stack, batch_size=batch_size, scheduler=scheduler,
                         num_workers=num_workers, progress=progress, strict=True, **kwargs)
    if not isinstance(results, np.ndarray):
        raise ValueError("the slices' results differ in shape or dtype and cannot be "
                         "stacked; use map_images for a list")
    if results.ndim == 1:
        return results
    out = np.ascontiguousarray(np.moveaxis(results, 0, axis))
    if record is not None and out.shape == array.shape:
        return Volume(out, record.spacing, record.origin)
    return out
