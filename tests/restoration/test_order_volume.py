"""Median, minimum and maximum filters of volumes against scipy.ndimage."""

import numpy as np
import pytest
from scipy import ndimage as ndi

from ctkidney.restoration import max_filter, median_filter, min_filter

MODES = ("reflect", "nearest", "mirror", "wrap", "constant")
DTYPES = (np.uint8, np.uint16, np.int16, np.float32, np.float64)


def _volume(rng, dtype, shape=(6, 9, 10)):
    if np.dtype(dtype).kind == "f":
        return (rng.normal(size=shape) * 100).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, shape, endpoint=True).astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("size", [3, (1, 3, 5), (3, 1, 1), (5, 3, 3)])
@pytest.mark.parametrize("ours, theirs", [
    (median_filter, ndi.median_filter), (min_filter, ndi.minimum_filter),
    (max_filter, ndi.maximum_filter)])
def test_order_filters_match_scipy_on_volumes(rng, dtype, mode, size, ours, theirs):
    volume = _volume(rng, dtype)
    before = volume.copy()
    out = ours(volume, size, mode=mode, cval=7)
    assert out.dtype == volume.dtype
    np.testing.assert_array_equal(out, theirs(volume, size, mode=mode, cval=7))
    np.testing.assert_array_equal(volume, before)


def test_median_parallel_equals_serial(rng):
    from ctkidney._shared.border import pad
    from ctkidney.restoration._networks import pruned_pairs
    from ctkidney.restoration._volume_kernels import _network_rank_volume_kernel

    volume = _volume(rng, np.uint8, (5, 7, 8))
    padded = pad(volume, (1, 1, 1), "reflect", 0)
    outs = []
    for func in (_network_rank_volume_kernel, _network_rank_volume_kernel.py_func):
        out = np.empty(volume.shape, np.uint8)
        func(padded, 3, 3, 3, pruned_pairs(27, (13,)), 13, out)
        outs.append(out)
    np.testing.assert_array_equal(*outs)


@pytest.mark.parametrize("func", [median_filter, min_filter, max_filter])
def test_volume_size_checked(rng, func):
    volume = _volume(rng, np.uint8)
    with pytest.raises(TypeError, match="size"):
        func(volume, (3, 3))
    with pytest.raises(ValueError, match="odd"):
        func(volume, 4)
    with pytest.raises(ValueError, match="mode"):
        func(volume, 3, mode="edge")
