"""Watershed and Euclidean distance transform of volumes."""

import numpy as np
from scipy import ndimage as ndi

from ctkidney._shared.validation import check_image, check_mask, check_scalar
from ctkidney._shared.volume import check_spacing
from ctkidney.segmentation._markers import _check_markers, _grey_levels
from ctkidney.segmentation._priority_flood import priority_flood

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
    return priority_flood(levels, n_levels, markers, mask,
                          ndi.generate_binary_structure(3, rank))
