"""Watershed and Euclidean distance transform of volumes."""

import numpy as np
from scipy import ndimage as ndi

from ctkidney._shared.validation import check_image, check_mask, check_scalar
from ctkidney._shared.volume import check_spacing
from ctkidney.segmentation._markers import _check_markers, _grey_levels
from ctkidney.segmentation._watershed_kernels import _watershed_flat_kernel

__all__ = ["distance_volume", "watershed_volume"]


#: Voxel spacings ``edt`` measures exactly: it squares distances in float32, so a
#: spacing below 1e-12 would underflow to 0 and one above 1e12 overflow to inf.
SPACING_RANGE = (1e-12, 1e12)


def distance_volume(mask, spacing, name="spacing"):
    """Exact anisotropic Euclidean distance of each True voxel to the nearest False
    voxel (float32; inf everywhere when there is no False voxel), by ``edt``."""
    import edt

    mask = check_mask(mask, ndim=3)
    spacing = check_spacing(spacing, 3, name)
    low, high = SPACING_RANGE
    if not all(low <= s <= high for s in spacing):
        raise ValueError(f"{name} must be in [{low:g}, {high:g}] for a volume, got "
                         f"{spacing!r}")
    if not mask.flags.writeable:  # edt's kernel takes a writeable buffer (it reads only)
        mask = mask.copy()
    return edt.edt(mask, anisotropy=spacing, black_border=False,
                   parallel=1).astype(np.float32, copy=False)


def _check_connectivity_3d(connectivity):
    aliases = {1: 1, 2: 2, 3: 3, 6: 1, 18: 2, 26: 3}
    value = check_scalar(connectivity, "connectivity", integer=True)
    if value not in aliases:
        raise ValueError(f"connectivity must be 1, 2 or 3 (6, 18 or 26 neighbours) for a "
                         f"volume, got {connectivity!r}")
    return aliases[value]


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
    # C order throughout: the kernel writes into labels.ravel(), which must be a
    # view (np.pad keeps a Fortran-ordered input Fortran-ordered).
    labels = np.pad(np.ascontiguousarray(markers, dtype=np.int32), 1)
    flood = np.pad(np.ascontiguousarray(mask), 1)
    labels[~flood] = 0
    shape = labels.shape
    structure = ndi.generate_binary_structure(3, rank)
    structure[1, 1, 1] = False
    dz, dy, dx = (np.nonzero(structure)[a] - 1 for a in range(3))
    offsets = (dz * shape[1] * shape[2] + dy * shape[2] + dx).astype(np.int64)
    # Neighbours in the order of the 2-D kernel: sorted by flat offset.
    offsets.sort()
    flat = labels.reshape(-1)
    if not np.shares_memory(flat, labels):  # pragma: no cover - guarded above
        raise RuntimeError("watershed_volume: labels must be C-contiguous")
    _watershed_flat_kernel(np.ascontiguousarray(np.pad(levels, 1)).ravel(), n_levels, flat,
                           flood.ravel(), offsets)
    return np.ascontiguousarray(labels[1:-1, 1:-1, 1:-1])
