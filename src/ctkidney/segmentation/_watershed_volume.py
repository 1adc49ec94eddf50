"""Watershed and Euclidean distance transform of volumes."""

import numpy as np
from scipy import ndimage as ndi

from ctkidney._shared.validation import check_image, check_mask, check_scalar
from ctkidney._shared.volume import check_spacing
from ctkidney.segmentation._markers import _check_markers, _grey_levels
from ctkidney.segmentation._watershed_kernels import _watershed_flat_kernel

__all__ = ["distance_volume", "watershed_volume"]


def distance_volume(mask, spacing):
    """Exact anisotropic Euclidean distance of each True voxel to the nearest False
    voxel (float32; inf everywhere when there is no False voxel), by ``edt``."""
    import edt

    mask = check_mask(mask, ndim=3)
    spacing = check_spacing(spacing, 3)
    return edt.edt(np.ascontiguousarray(mask), anisotropy=spacing, black_border=False,
                   parallel=1).astype(np.float32, copy=False)


def _check_connectivity_3d(connectivity):
    aliases = {1: 1, 2: 2, 3: 3, 6: 1, 18: 2, 26: 3}
    if isinstance(connectivity, (bool, np.bool_)) or connectivity not in aliases:
        raise ValueError(f"connectivity must be 1, 2 or 3 (6, 18 or 26 neighbours) for a "
                         f"volume, got {connectivity!r}")
    return aliases[int(check_scalar(connectivity, "connectivity", integer=True))]


def watershed_volume(image, markers, *, mask, connectivity):
    """Marker-controlled watershed of a volume: the 2-D algorithm (priority flood
    with a bucket queue) on flat indices of a volume padded by one voxel that is
    never flooded."""
    image = check_image(image, ndim=3)
    if np.asarray(markers).dtype == bool:
        markers = ndi.label(markers)[0]
    markers = _check_markers(markers, image.shape)
    rank = _check_connectivity_3d(connectivity)
    mask = np.ones(image.shape, bool) if mask is None else \
        check_mask(mask, shape=image.shape, ndim=3)
    levels, n_levels = _grey_levels(image)
    labels = np.pad(np.asarray(markers, dtype=np.int32), 1)
    flood = np.pad(mask, 1)
    labels[~flood] = 0
    shape = labels.shape
    structure = ndi.generate_binary_structure(3, rank)
    structure[1, 1, 1] = False
    dz, dy, dx = (np.nonzero(structure)[a] - 1 for a in range(3))
    offsets = (dz * shape[1] * shape[2] + dy * shape[2] + dx).astype(np.int64)
    # Neighbours in the order of the 2-D kernel: sorted by flat offset.
    offsets.sort()
    _watershed_flat_kernel(np.pad(levels, 1).ravel(), n_levels, labels.ravel(),
                           flood.ravel(), offsets)
    return np.ascontiguousarray(labels[1:-1, 1:-1, 1:-1])
