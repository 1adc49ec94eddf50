import numba
import numpy as np
import pytest
from scipy import ndimage as ndi

from ctkidney._shared.border import pad
from ctkidney.restoration import (
    _kernels,
    alpha_trimmed_mean,
    max_filter,
    median_filter,
    midpoint_filter,
    min_filter,
)
from ctkidney.restoration._networks import batcher_pairs, pruned_pairs

from .conftest import DTYPES, MODES, random_image

SIZES = (1, 3, 5, 7, 9, (3, 5), (5, 1))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("ours, theirs", [(median_filter, ndi.median_filter),
                                          (min_filter, ndi.minimum_filter),
                                          (max_filter, ndi.maximum_filter)])
def test_rank_filters_equal_scipy_exactly(ours, theirs, dtype, mode, rng):
    low = -150 if dtype in (np.int16, np.float32, np.float64) else 0
    image = random_image(rng, (23, 17), dtype, low=low)
    for size in SIZES:
        expected = theirs(image, size=size, mode=mode, cval=3)
        got = ours(image, size, mode=mode, cval=3)
        assert got.dtype == image.dtype
        np.testing.assert_array_equal(got, expected, err_msg=f"size={size}")


@pytest.mark.parametrize("dtype", (np.uint8, np.uint16, np.float32))
def test_median_opencv_paths_on_large_images(dtype, rng):
    # 3x3/5x5 go through OpenCV: check them on an image larger than the tiny ones.
    image = random_image(rng, (64, 80), dtype)
    for size in (3, 5, 7):
        for mode in ("reflect", "nearest", "constant"):
            np.testing.assert_array_equal(median_filter(image, size, mode=mode),
                                          ndi.median_filter(image, size, mode=mode))


def test_median_extreme_values_int16_and_uint16():
    # The sign-bit flip must keep the order across the whole int16 range.
    values = np.array([-32768, -1, 0, 1, 32767, -200, 200, 5, -5], dtype=np.int16)
    image = np.resize(values, (12, 12)).astype(np.int16)
    for size in (3, 5):
        np.testing.assert_array_equal(median_filter(image, size),
                                      ndi.median_filter(image, size))
    wide = np.resize(np.array([0, 65535, 1, 40000, 3], np.uint16), (9, 11))
    np.testing.assert_array_equal(median_filter(wide, 3), ndi.median_filter(wide, 3))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode", MODES)
def test_alpha_trimmed_equals_generic_filter(dtype, mode, rng):
    image = random_image(rng, (13, 11), dtype)
    for size, d in ((3, 0), (3, 2), (3, 8), (5, 4), ((3, 5), 6), (9, 10)):
        n = np.prod(size if isinstance(size, tuple) else (size, size))
        expected = ndi.generic_filter(image.astype(float),
                                      lambda v, d=d, n=n: np.sort(v)[d // 2:n - d // 2].mean(),
                                      size=size, mode=mode, cval=3)
        got = alpha_trimmed_mean(image, size, d=d, mode=mode, cval=3)
        assert got.dtype == image.dtype
        if image.dtype.kind == "f":
            np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-4)
        else:
            np.testing.assert_array_equal(got, np.rint(expected))


def test_alpha_trimmed_extremes_are_mean_and_median(rng):
    image = random_image(rng, (20, 20), np.float64)
    np.testing.assert_allclose(alpha_trimmed_mean(image, 3, d=0),
                               ndi.uniform_filter(image, 3), atol=1e-9)
    np.testing.assert_array_equal(alpha_trimmed_mean(image, 3, d=8),
                                  ndi.median_filter(image, 3))


@pytest.mark.parametrize("dtype", DTYPES)
def test_midpoint_is_half_min_plus_max(dtype, rng):
    image = random_image(rng, (15, 12), dtype)
    low = ndi.minimum_filter(image, 3).astype(float)
    high = ndi.maximum_filter(image, 3).astype(float)
    expected = (low + high) / 2
    got = midpoint_filter(image, 3)
    assert got.dtype == image.dtype
    if image.dtype.kind == "f":
        np.testing.assert_allclose(got, expected, rtol=1e-6)
    else:
        np.testing.assert_array_equal(got, np.rint(expected))


def test_batcher_networks_sort():
    rng = np.random.default_rng(1)
    for n in (2, 3, 9, 15, 25, 49):
        pairs = batcher_pairs(n)
        for _ in range(50):
            x = rng.integers(0, 6, n)
            y = x.copy()
            for a, b in pairs:
                if y[a] > y[b]:
                    y[a], y[b] = y[b], y[a]
            np.testing.assert_array_equal(y, np.sort(x))


def _run_serial_and_parallel(kernel, *args):
    threads = numba.get_num_threads()
    results = []
    for count in (1, threads):
        numba.set_num_threads(count)
        try:
            out = np.zeros_like(args[-1])
            kernel(*args[:-1], out)
            results.append(out)
        finally:
            numba.set_num_threads(threads)
    return results


def test_parallel_kernels_equal_serial(rng):
    image = random_image(rng, (70, 45), np.float64)
    padded = pad(image, (2, 2), "reflect")
    out = np.empty(image.shape)
    cases = [
        (_kernels._network_rank_kernel, padded, 5, 5, pruned_pairs(25, (12,)), 12, out),
        (_kernels._rank_kernel, pad(image, (5, 5), "reflect"), 11, 11, 60, out),
        (_kernels._alpha_trimmed_kernel, pad(image, (5, 5), "reflect"), 11, 11, 10, out),
        (_kernels._network_trimmed_kernel, padded, 5, 5,
         pruned_pairs(25, tuple(range(2, 23))), 2, 23, False, out),
        (_kernels._network_trimmed_kernel, padded, 5, 5,
         pruned_pairs(25, (0, 1, 23, 24)), 2, 23, True, out),
        (_kernels._alpha_trimmed_hist_kernel, pad(image.astype(np.uint8), (5, 5), "reflect"),
         11, 11, 10, out),
        (_kernels._power_mean_kernel, padded, 5, 5, _kernels.GEOMETRIC, 1.0, 1.0, np.empty(0),
         np.empty(0), 0.0, 0.0, False, out),
    ]
    for kernel, *args in cases:
        serial, parallel = _run_serial_and_parallel(kernel, *args)
        np.testing.assert_array_equal(serial, parallel, err_msg=str(kernel))


@pytest.mark.parametrize("func", [median_filter, min_filter, max_filter, midpoint_filter,
                                  alpha_trimmed_mean])
def test_order_filters_refuse_bad_windows(func):
    image = np.zeros((5, 5), np.uint8)
    with pytest.raises(ValueError, match="size"):
        func(image, 4)
    with pytest.raises(ValueError, match="size"):
        func(image, 13)
    with pytest.raises(TypeError, match="size"):
        func(image, 3.0)
    with pytest.raises(ValueError, match="mode"):
        func(image, 3, mode="edge")
    with pytest.raises(ValueError, match="NaN"):
        func(np.array([[np.nan, 1.0], [1.0, 1.0]]), 3)
    with pytest.raises(TypeError, match="dtype"):
        func(np.zeros((4, 4), np.int64), 3)


def test_alpha_trimmed_refuses_bad_d():
    image = np.zeros((5, 5), np.uint8)
    for d in (-2, 9, 10):
        with pytest.raises(ValueError, match="d must be"):
            alpha_trimmed_mean(image, 3, d=d)
    with pytest.raises(ValueError, match="even"):
        alpha_trimmed_mean(image, 3, d=3)
    with pytest.raises(TypeError, match="d must be"):
        alpha_trimmed_mean(image, 3, d=2.5)
