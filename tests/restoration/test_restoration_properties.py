import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ctkidney.restoration import (
    NOISE_KINDS,
    adaptive_local_filter,
    adaptive_median,
    add_noise,
    max_filter,
    median_filter,
    min_filter,
)
from tests.strategies import images, odd_sizes

from .conftest import MODES, WINDOW_FILTERS

modes = st.sampled_from(MODES)


@given(images(), odd_sizes(7), modes)
def test_min_le_median_le_max(image, size, mode):
    size = min(size, 2 * min(image.shape) + 1)
    low = min_filter(image, size, mode=mode)
    mid = median_filter(image, size, mode=mode)
    high = max_filter(image, size, mode=mode)
    assert (low <= mid).all() and (mid <= high).all()


@given(st.sampled_from(sorted(WINDOW_FILTERS)), st.sampled_from(
    [np.uint8, np.uint16, np.int16, np.float32, np.float64]), st.integers(1, 200),
    st.integers(1, 12), st.integers(1, 12), odd_sizes(5), modes)
def test_constant_image_is_a_fixed_point(name, dtype, value, rows, cols, size, mode):
    func, kwargs = WINDOW_FILTERS[name]
    image = np.full((rows, cols), value, dtype)
    size = min(size, 2 * min(rows, cols) + 1)
    if name == "alpha_trimmed_mean" and size == 1:
        kwargs = {"d": 0}
    out = func(image, size, mode=mode, cval=float(value), **kwargs)
    assert out.dtype == image.dtype
    np.testing.assert_allclose(out.astype(float), value, rtol=1e-6)
    np.testing.assert_array_equal(adaptive_median(image, mode=mode, cval=float(value))
                                  if min(rows, cols) >= 3
                                  else image, image)
    np.testing.assert_allclose(adaptive_local_filter(image, size, noise_var=4.0, mode=mode,
                                                     cval=float(value)), image, rtol=1e-6)


@given(st.sampled_from(sorted(WINDOW_FILTERS)), images(max_side=16), odd_sizes(5), modes)
@settings(max_examples=40)
def test_filters_keep_dtype_and_never_mutate(name, image, size, mode):
    func, kwargs = WINDOW_FILTERS[name]
    if name in ("geometric_mean", "harmonic_mean") or name.startswith("contraharmonic"):
        image = np.abs(image)
    size = min(size, 2 * min(image.shape) + 1)
    if name == "alpha_trimmed_mean" and size == 1:
        kwargs = {"d": 0}
    before = image.copy()
    out = func(image, size, mode=mode, **kwargs)
    assert out.dtype == image.dtype and out.shape == image.shape
    np.testing.assert_array_equal(image, before)


@given(images(np.uint8, min_side=3, max_side=20), st.integers(0, 2**31 - 1),
       st.sampled_from([3, 5, 7]))
def test_adaptive_median_keeps_pixels_that_are_not_window_extremes(image, seed, max_size):
    # Where the 3x3 window is not saturated (its median is strictly between its
    # extremes) and the pixel is strictly inside them, the pixel is kept.
    noisy = add_noise(image, "impulse", amount=0.2, rng=seed)
    out = adaptive_median(noisy, max_size=max_size)
    padded = np.pad(noisy, 1, mode="symmetric")
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3)).reshape(
        *noisy.shape, 9)
    ordered = np.sort(windows, axis=-1)
    zmin, zmed, zmax = ordered[..., 0], ordered[..., 4], ordered[..., 8]
    keep = (zmin < zmed) & (zmed < zmax) & (zmin < noisy) & (noisy < zmax)
    np.testing.assert_array_equal(out[keep], noisy[keep])


@given(images(min_side=2, max_side=16), st.sampled_from(NOISE_KINDS),
       st.integers(0, 2**31 - 1))
@settings(max_examples=30)
def test_noise_same_rng_same_result_and_dtype(image, kind, seed):
    if kind == "poisson":
        image = np.abs(image)
    before = image.copy()
    first = add_noise(image, kind, rng=seed)
    second = add_noise(image, kind, rng=np.random.default_rng(seed))
    np.testing.assert_array_equal(first, second)
    assert first.dtype == image.dtype
    np.testing.assert_array_equal(image, before)
