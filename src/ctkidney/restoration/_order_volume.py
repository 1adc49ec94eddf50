"""Median, minimum and maximum filters of volumes, with scipy.ndimage's borders."""

import numbers

import cv2
import numpy as np

from ctkidney._shared.border import check_border, pad
from ctkidney.restoration._networks import pruned_pairs
from ctkidney.restoration._volume_kernels import _network_rank_volume_kernel

__all__ = ["check_volume_size", "extreme_volume", "median_volume"]


def check_volume_size(volume, size, mode, cval, name="size"):
    """``size`` as three odd positive ints (an int is a cube), the mode and cval."""
    if isinstance(size, (numbers.Integral, np.integer)) and not isinstance(size, bool):
        sizes = (int(size),) * 3
    elif isinstance(size, (tuple, list)) and len(size) == 3:
        sizes = tuple(size)
    else:
        raise TypeError(f"{name} must be an odd int or a (slices, rows, cols) triple for a "
                        f"volume, got {size!r}")
    for s, n in zip(sizes, volume.shape):
        if isinstance(s, bool) or not isinstance(s, (numbers.Integral, np.integer)):
            raise TypeError(f"{name} must contain ints, got {size!r}")
        if s < 1 or s % 2 == 0:
            raise ValueError(f"{name} must be odd and positive, got {size!r}")
        if s > 2 * n + 1:
            raise ValueError(f"{name} must be at most 2 * the volume's side + 1, got {size!r} "
                             f"for shape {volume.shape}")
    return (tuple(int(s) for s in sizes),) + check_border(mode, cval)


def median_volume(volume, size, mode, cval):
    """scipy.ndimage.median_filter of a volume: the middle of each window's values,
    by a pruned Batcher network run across whole rows (exact for every dtype)."""
    if size == (1, 1, 1):
        return volume.copy()
    n = size[0] * size[1] * size[2]
    rank = n // 2
    out = np.empty(volume.shape, volume.dtype)
    _network_rank_volume_kernel(pad(volume, [s // 2 for s in size], mode, cval), *size,
                                pruned_pairs(n, (rank,)), rank, out)
    return out


def extreme_volume(volume, size, mode, cval, op):
    """Minimum (``op=np.minimum``) or maximum filter of a volume: OpenCV's erode or
    dilate with the in-plane rectangle on each padded slice, then a running
    extreme over the slices (a box is separable)."""
    padded = pad(volume, [s // 2 for s in size], mode, cval)
    kz, ky, kx = size
    nz, ny, nx = volume.shape
    plane = cv2.erode if op is np.minimum else cv2.dilate
    kernel = np.ones((ky, kx), np.uint8)
    flat = np.empty((padded.shape[0], ny, nx), volume.dtype)
    for z in range(padded.shape[0]):
        work = padded[z]
        out = plane(work, kernel, borderType=cv2.BORDER_REPLICATE) if (ky, kx) != (1, 1) \
            else work
        flat[z] = out[ky // 2:ky // 2 + ny, kx // 2:kx // 2 + nx]
    result = flat[0:nz].copy()
    for a in range(1, kz):
        op(result, flat[a:a + nz], out=result)
    return result
