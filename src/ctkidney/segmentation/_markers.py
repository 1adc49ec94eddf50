"""Markers and grey levels shared by the 2-D and the volume watershed."""

import numpy as np
from scipy import ndimage as ndi

from ctkidney.segmentation._watershed_kernels import _dense_rank_kernel


def _check_markers(markers, shape):
    if isinstance(markers, (str, bytes)) or markers is None:
        raise TypeError(f"markers must be an integer label array, got {markers!r}")
    markers = np.asarray(markers)
    if markers.dtype == bool:
        labels, _ = ndi.label(markers)
        markers = labels
    elif markers.dtype.kind not in "ui":
        raise TypeError(f"markers must be an integer label array, got dtype {markers.dtype}")
    if markers.shape != tuple(shape):
        raise ValueError(
            f"markers must have the image's shape {tuple(shape)}, got {markers.shape}"
        )
    if markers.size and markers.min() < 0:
        raise ValueError("markers must be non-negative labels (0 = unlabelled)")
    if markers.size and markers.max() > np.iinfo(np.int32).max:
        raise ValueError("markers must fit in int32")
    return markers


def _grey_levels(image):
    """Integer levels preserving the order of the grey values, and their count."""
    if image.dtype == np.uint8:
        return np.ascontiguousarray(image), 256
    if image.dtype.kind in "ui":
        lo = int(image.min())
        levels = (image.astype(np.int32) - lo)
        return np.ascontiguousarray(levels), int(levels.max()) + 1
    # Floats: dense ranks, by a radix sort of their bits (+0.0 added first so
    # that -0.0 and +0.0 are one value).
    flat = np.ascontiguousarray(image).ravel() + image.dtype.type(0.0)
    unsigned = np.uint32 if image.dtype == np.float32 else np.uint64
    levels, count = _dense_rank_kernel(flat.view(unsigned), 8 * flat.itemsize)
    return levels.reshape(image.shape), int(count)
