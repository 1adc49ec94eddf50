"""The marker-controlled priority flood behind :func:`watershed` (images and
volumes alike): arrays padded by one pixel that is never flooded, so the kernel
works on flat indices without bounds checks."""

import numpy as np

from ctkidney.segmentation._watershed_kernels import _watershed_flat_kernel

__all__ = ["priority_flood"]


def priority_flood(levels, n_levels, markers, mask, structure):
    """Watershed labels (int32, the shape of ``levels``) of integer ``levels``
    ``0 .. n_levels - 1`` flooded from ``markers`` within ``mask``, with the
    neighbours of ``structure`` (scipy's neighbourhood, centre ignored) visited in
    raster order."""
    # C order throughout: the kernel writes into labels.ravel(), which must be a
    # view (np.pad keeps a Fortran-ordered input Fortran-ordered).
    labels = np.pad(np.ascontiguousarray(markers, dtype=np.int32), 1)
    flood = np.pad(np.ascontiguousarray(mask), 1)
    labels[~flood] = 0
    centre = (1,) * labels.ndim
    steps = np.array(labels.strides) // labels.itemsize
    offsets = np.array([np.dot(np.subtract(index, centre), steps)
                        for index in zip(*np.nonzero(structure)) if index != centre],
                       dtype=np.int64)
    offsets.sort()  # raster order, as scikit-image's neighbour order
    flat = labels.reshape(-1)
    if not np.shares_memory(flat, labels):  # pragma: no cover - guarded above
        raise RuntimeError("priority_flood: labels must be C-contiguous")
    _watershed_flat_kernel(np.ascontiguousarray(np.pad(levels, 1)).ravel(), n_levels, flat,
                           flood.ravel(), offsets)
    return np.ascontiguousarray(labels[(slice(1, -1),) * labels.ndim])
