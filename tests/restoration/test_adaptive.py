import numpy as np
import pytest
from scipy import ndimage as ndi

from ctkidney.restoration import adaptive_local_filter, adaptive_median, add_impulse_noise

from . import naive
from .conftest import MODES, random_image


@pytest.mark.parametrize("dtype", (np.uint8, np.int16, np.float32, np.float64))
@pytest.mark.parametrize("mode", MODES)
def test_adaptive_median_equals_textbook(dtype, mode, rng):
    # Few grey levels and dense impulses make every level of the algorithm run.
    image = add_impulse_noise(random_image(rng, (17, 21), dtype, 0, 6), amount=0.35, rng=1)
    for max_size in (3, 5, 7, 9):
        np.testing.assert_array_equal(
            adaptive_median(image, max_size=max_size, mode=mode, cval=2),
            naive.adaptive_median(image, max_size, mode, image.dtype.type(2)),
            err_msg=f"max_size={max_size}")


def test_adaptive_median_on_dense_noise(rng):
    clean = np.add.outer(np.arange(64), np.arange(64)).astype(np.uint8) + 40
    noisy = add_impulse_noise(clean, amount=0.4, rng=2)
    np.testing.assert_array_equal(adaptive_median(noisy, max_size=7),
                                  naive.adaptive_median(noisy, 7))
    assert np.abs(adaptive_median(noisy).astype(int) - clean).mean() < 2


def test_adaptive_median_refuses_bad_max_size():
    image = np.zeros((8, 8), np.uint8)
    with pytest.raises(ValueError, match="max_size"):
        adaptive_median(image, max_size=1)
    with pytest.raises(ValueError, match="max_size"):
        adaptive_median(image, max_size=6)
    with pytest.raises(ValueError, match="max_size"):
        adaptive_median(image, max_size=19)
    with pytest.raises(TypeError, match="max_size"):
        adaptive_median(image, max_size=5.5)
    with pytest.raises(ValueError, match="mode"):
        adaptive_median(image, mode="symmetric")


@pytest.mark.parametrize("mode", MODES)
def test_adaptive_local_filter_closed_form(mode, rng):
    image = rng.normal(100, 20, (30, 25))
    noise_var = 150.0
    mean = ndi.uniform_filter(image, 5, mode=mode, cval=1.0)
    var = ndi.uniform_filter(image ** 2, 5, mode=mode, cval=1.0) - mean ** 2
    ratio = np.minimum(noise_var / np.maximum(var, 1e-300), 1.0)
    expected = image - ratio * (image - mean)
    got = adaptive_local_filter(image, 5, noise_var=noise_var, mode=mode, cval=1.0)
    np.testing.assert_allclose(got, expected, rtol=1e-8, atol=1e-8)


def test_adaptive_local_filter_limits(rng):
    image = rng.integers(0, 255, (20, 20)).astype(np.uint8)
    np.testing.assert_array_equal(adaptive_local_filter(image, 3, noise_var=0.0), image)
    # Noise larger than any local variance: the local mean.
    np.testing.assert_array_equal(adaptive_local_filter(image, 3, noise_var=1e9),
                                  np.rint(ndi.uniform_filter(image.astype(float), 3)))
    flat = np.full((6, 6), 7.0)
    np.testing.assert_array_equal(adaptive_local_filter(flat, 3, noise_var=4.0), flat)
    # Default noise variance: estimated.
    assert adaptive_local_filter(image, 3).dtype == np.uint8


def test_adaptive_local_filter_refuses_bad_noise_var():
    with pytest.raises(ValueError, match="noise_var"):
        adaptive_local_filter(np.ones((5, 5)), 3, noise_var=-1.0)
    with pytest.raises(ValueError, match="noise_var"):
        adaptive_local_filter(np.ones((5, 5)), 3, noise_var=np.nan)
    with pytest.raises(ValueError, match="size"):
        adaptive_local_filter(np.ones((5, 5)), 4, noise_var=1.0)



@pytest.mark.parametrize("mode", MODES)
def test_adaptive_local_filter_huge_values_scale(mode, rng):
    # Squares of values beyond ~1.3e154 overflow float64. The filter is homogeneous,
    # f(s x; s^2 v, s c) = s f(x; v, c), and must keep that there instead of returning
    # inf or refusing a squared cval the caller never passed.
    image = rng.normal(100, 20, (16, 18))
    s = 2.0 ** 510                       # values ~3e155: their squares overflow
    small = adaptive_local_filter(image, 5, noise_var=10.0, mode=mode, cval=3.0)
    big = adaptive_local_filter(image * s, 5, noise_var=10.0 * s * s, mode=mode,
                                cval=3.0 * s)
    assert np.isfinite(big).all()
    np.testing.assert_allclose(big / s, small, rtol=1e-12)
