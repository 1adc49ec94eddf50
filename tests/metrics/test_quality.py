"""mse, psnr and ssim against scikit-image, a naive reference, and bad input."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from skimage.metrics import mean_squared_error as sk_mse
from skimage.metrics import peak_signal_noise_ratio as sk_psnr
from skimage.metrics import structural_similarity as sk_ssim

from ctkidney.metrics import mse, psnr, ssim
from ctkidney.metrics._kernels import _reflect_indices_kernel

from . import naive
from .conftest import DTYPES, image_pair

# Explicit data_range for skimage calls, so that it never warns about inferring one.
SPAN = {np.uint8: 255.0, np.uint16: 65535.0, np.int16: 65535.0,
        np.float32: 3000.0, np.float64: 3000.0}


def _as64(*arrays):
    return [a.astype(np.float64) for a in arrays]


# ---------------------------------------------------------------- kernels

@pytest.mark.parametrize("n, radius", [(1, 0), (1, 3), (2, 5), (5, 2), (5, 4), (6, 13),
                                       (9, 3)])
def test_reflect_indices_match_scipy_reflect(n, radius):
    assert_allclose(_reflect_indices_kernel(n, radius), naive.reflect_indices(n, radius))


@pytest.mark.parametrize("win_size", [3, 5, 7])
@pytest.mark.parametrize("use_sample_covariance", [True, False])
def test_ssim_map_matches_naive_windows(win_size, use_sample_covariance):
    x, y = image_pair(np.uint8, (13, 17), seed=3)
    _, ours = ssim(x, y, win_size=win_size, use_sample_covariance=use_sample_covariance,
                   full=True)
    ref = naive.ssim_map(x, y, win_size=win_size, data_range=255,
                         use_sample_covariance=use_sample_covariance)
    assert_allclose(ours, ref, rtol=0, atol=1e-12)


# ---------------------------------------------------------------- mse

@pytest.mark.parametrize("dtype", DTYPES)
def test_mse_matches_skimage(dtype):
    x, y = image_pair(dtype, seed=1)
    expected = sk_mse(*_as64(x, y))
    got = mse(x, y)
    assert type(got) is float
    assert got == pytest.approx(expected, rel=1e-12)
    if np.dtype(dtype) != np.float32:  # skimage differences float32 in float32
        assert got == pytest.approx(sk_mse(x, y), rel=1e-12)


def test_mse_mixed_dtypes_and_layouts():
    x, y = image_pair(np.float64, (40, 30), seed=2)
    xf = np.asfortranarray(x)
    assert mse(xf[::2, 1::3], y[::2, 1::3].astype(np.float32)) == pytest.approx(
        sk_mse(x[::2, 1::3], y[::2, 1::3].astype(np.float32).astype(np.float64)), rel=1e-12)


def test_mse_identical_is_zero(pair_u8):
    assert mse(pair_u8[0], pair_u8[0]) == 0.0


# ---------------------------------------------------------------- psnr

@pytest.mark.parametrize("dtype", DTYPES)
def test_psnr_matches_skimage_with_data_range(dtype):
    x, y = image_pair(dtype, seed=4)
    expected = sk_psnr(*_as64(x, y), data_range=SPAN[dtype])
    got = psnr(x, y, data_range=SPAN[dtype])
    assert type(got) is float
    assert got == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("dtype, offset", [(np.uint8, 0), (np.uint16, 0), (np.int16, 0),
                                           (np.int16, -1024)])
def test_psnr_infers_data_range_like_skimage(dtype, offset):
    rng = np.random.default_rng(5)
    x = rng.integers(0, 3000 if dtype != np.uint8 else 255, (16, 16)).astype(dtype)
    x = (x.astype(np.int64) + offset).astype(dtype)
    y = x.copy()
    y[::3] = (y[::3].astype(np.int64) // 2).astype(dtype)
    # skimage takes the dtype max for non-negative images, else the full span.
    assert psnr(x, y) == pytest.approx(sk_psnr(x, y), rel=1e-12)


def test_psnr_identical_is_inf(pair_u8):
    assert psnr(pair_u8[0], pair_u8[0]) == math.inf
    assert psnr(pair_u8[0].astype(float), pair_u8[0].astype(float), data_range=1.0) == math.inf


# ---------------------------------------------------------------- ssim

@pytest.mark.parametrize("dtype", [np.uint8, np.float64])
@pytest.mark.parametrize("win_size", [3, 5, 7, 11])
@pytest.mark.parametrize("use_sample_covariance", [True, False])
def test_ssim_uniform_matches_skimage(dtype, win_size, use_sample_covariance):
    x, y = image_pair(dtype, seed=6)
    kw = {"win_size": win_size, "use_sample_covariance": use_sample_covariance,
          "data_range": SPAN[dtype]}
    exp_mean, exp_map = sk_ssim(x, y, full=True, **kw)
    got_mean, got_map = ssim(x, y, full=True, **kw)
    assert type(got_mean) is float
    assert got_map.dtype == np.float64 and got_map.shape == x.shape
    assert got_mean == pytest.approx(exp_mean, abs=1e-12)
    assert_allclose(got_map, exp_map, rtol=0, atol=1e-12)
    assert ssim(x, y, **kw) == got_mean


@pytest.mark.parametrize("dtype", [np.uint8, np.float64])
@pytest.mark.parametrize("sigma, win_size", [(1.5, None), (1.5, 7), (0.8, None),
                                             (0.8, 9), (3.0, None), (4.0, 5)])
@pytest.mark.parametrize("use_sample_covariance", [True, False])
def test_ssim_gaussian_matches_skimage(dtype, sigma, win_size, use_sample_covariance):
    # sigma=3 and 4: the Gaussian radius (11, 14) exceeds half the image's short side,
    # so scipy's 'reflect' rule folds more than once.
    x, y = image_pair(dtype, (23, 26), seed=7)
    kw = {"win_size": win_size, "use_sample_covariance": use_sample_covariance,
          "data_range": SPAN[dtype], "gaussian_weights": True, "sigma": sigma}
    exp_mean, exp_map = sk_ssim(x, y, full=True, **kw)
    got_mean, got_map = ssim(x, y, full=True, **kw)
    assert got_mean == pytest.approx(exp_mean, abs=1e-12)
    assert_allclose(got_map, exp_map, rtol=0, atol=1e-12)


def test_ssim_wang_settings_match_skimage_defaults_for_gaussian():
    x, y = image_pair(np.uint8, (40, 40), seed=8)
    expected = sk_ssim(x, y, gaussian_weights=True, use_sample_covariance=False)
    assert ssim(x, y, gaussian_weights=True, use_sample_covariance=False) == pytest.approx(
        expected, abs=1e-12)


@pytest.mark.parametrize("dtype", [np.uint16, np.int16])
def test_ssim_infers_data_range_like_skimage(dtype):
    x, y = image_pair(dtype, seed=9)
    with pytest.warns(UserWarning, match="data_range"):
        expected = sk_ssim(x, y)  # skimage warns, then uses the dtype's full span
    assert ssim(x, y) == pytest.approx(expected, abs=1e-12)


def test_ssim_uint8_default_settings_match_skimage(pair_u8):
    x, y = pair_u8
    assert ssim(x, y) == pytest.approx(sk_ssim(x, y), abs=1e-12)


@pytest.mark.parametrize("gaussian_weights", [False, True])
def test_ssim_float32_is_computed_in_float64(gaussian_weights):
    x, y = image_pair(np.float32, (30, 30), seed=10)
    kw = {"data_range": 3000.0, "gaussian_weights": gaussian_weights}
    got_mean, got_map = ssim(x, y, full=True, **kw)
    exp_mean, exp_map = sk_ssim(*_as64(x, y), full=True, **kw)
    assert got_mean == pytest.approx(exp_mean, abs=1e-12)
    assert_allclose(got_map, exp_map, rtol=0, atol=1e-12)
    # skimage's own float32 arithmetic agrees to float32 rounding.
    f32_mean, f32_map = sk_ssim(x, y, full=True, **kw)
    assert got_mean == pytest.approx(f32_mean, abs=1e-6)
    assert_allclose(got_map, f32_map, rtol=0, atol=1e-5)


def test_ssim_mixed_dtypes_with_data_range():
    x, y = image_pair(np.uint8, seed=11)
    yf = y.astype(np.float64)
    assert ssim(x, yf, data_range=255) == pytest.approx(sk_ssim(x, yf, data_range=255),
                                                        abs=1e-12)


def test_ssim_non_contiguous_views():
    x, y = image_pair(np.float64, (60, 50), seed=12)
    xv, yv = np.asfortranarray(x)[::2, ::-1], y[::2, ::-1]
    assert ssim(xv, yv, data_range=3000) == pytest.approx(
        sk_ssim(np.ascontiguousarray(xv), np.ascontiguousarray(yv), data_range=3000),
        abs=1e-12)


def test_ssim_window_as_large_as_the_image():
    x, y = image_pair(np.uint8, (7, 9), seed=13)
    assert ssim(x, y, win_size=7) == pytest.approx(sk_ssim(x, y, win_size=7), abs=1e-12)


@pytest.mark.parametrize("height", [5, 63, 64, 65, 130])
def test_ssim_gaussian_bands_equal_the_serial_twin(height):
    # The parallel bands warm their own ring buffers and add the rows' sums in row
    # order: the same bits as the serial twin, for any band split and thread count.
    import numba

    from ctkidney._shared.jit import ParallelKernel
    from ctkidney._shared.linear import gaussian_kernel1d
    from ctkidney.metrics._kernels import SSIM_BAND_ROWS, _ssim_gaussian_kernel

    assert isinstance(_ssim_gaussian_kernel, ParallelKernel)
    assert SSIM_BAND_ROWS < 65
    rng = np.random.default_rng(height)
    x = rng.random((height, 37))
    y = np.clip(x + rng.normal(0, 0.1, x.shape), 0, 1)
    weights = gaussian_kernel1d(1.5, 3.5)  # 11 taps, as ssim's default sigma gives
    args = (x, y, weights, 5, 1.0, 1e-4, 9e-4)
    serial_map = np.empty(x.shape)
    serial = _ssim_gaussian_kernel.serial(*args, serial_map, True)
    threads = numba.get_num_threads()
    try:
        for n in {1, threads}:
            numba.set_num_threads(n)
            parallel_map = np.empty(x.shape)
            assert _ssim_gaussian_kernel.parallel(*args, parallel_map, True) == serial
            np.testing.assert_array_equal(parallel_map, serial_map)
    finally:
        numba.set_num_threads(threads)


def test_ssim_gaussian_from_map_images_threads_equals_the_loop():
    from ctkidney.parallel import map_images

    # Each image holds a pair side by side: the reference left, the other right.
    rng = np.random.default_rng(5)
    pairs = rng.integers(0, 256, (6, 80, 180)).astype(np.uint8)

    def score(pair):
        return np.array([ssim(pair[:, :90], pair[:, 90:], gaussian_weights=True, sigma=1.5,
                              use_sample_covariance=False, data_range=255)])

    expected = np.stack([score(p) for p in pairs])
    out = map_images(score, pairs, num_workers=2, batch_size=1, progress=False)
    np.testing.assert_array_equal(out, expected)


def test_ssim_large_offset_keeps_precision():
    # A small signal on a large constant: the moment differences cancel badly.
    rng = np.random.default_rng(14)
    x = 1e4 + rng.normal(0, 1, (64, 64))
    y = x + rng.normal(0, 0.3, x.shape)
    ref = naive.ssim_map(x, y, win_size=7, data_range=1.0)[3:-3, 3:-3].mean()
    assert ssim(x, y, data_range=1.0) == pytest.approx(ref, abs=1e-6)


# ---------------------------------------------------------------- bad input

BAD_IMAGES = [
    (None, TypeError, "must be a NumPy array"),
    ("image.png", TypeError, "must be a NumPy array"),
    (np.zeros((8, 8), np.int64), TypeError, "must have dtype"),
    (np.zeros((8, 8), bool), TypeError, "must have dtype"),
    (np.zeros((8, 8), np.complex128), TypeError, "must have dtype"),
    (np.zeros(64, np.uint8), ValueError, "must be 2-D"),
    (np.zeros((8, 8, 3), np.uint8), ValueError, "must be 2-D"),
    (np.zeros((0, 8), np.uint8), ValueError, "must not be empty"),
    (np.full((8, 8), np.nan), ValueError, "must not contain NaN or inf"),
    (np.full((8, 8), np.inf, np.float32), ValueError, "must not contain NaN or inf"),
]

FUNCS = [mse, lambda a, b: psnr(a, b, data_range=1.0), lambda a, b: ssim(a, b, data_range=1.0)]


@pytest.mark.parametrize("func", FUNCS, ids=["mse", "psnr", "ssim"])
@pytest.mark.parametrize("bad, exc, match", BAD_IMAGES)
def test_bad_images_are_refused(func, bad, exc, match):
    good = np.zeros((8, 8), np.float64)
    with pytest.raises(exc, match="reference " + match):
        func(bad, good)
    with pytest.raises(exc, match="image " + match):
        func(good, bad)


@pytest.mark.parametrize("func", FUNCS, ids=["mse", "psnr", "ssim"])
def test_shape_mismatch_is_refused(func):
    with pytest.raises(ValueError, match="reference and image must have the same shape"):
        func(np.zeros((8, 8)), np.zeros((8, 9)))


@pytest.mark.parametrize("func", [psnr, ssim])
@pytest.mark.parametrize("dtypes", [(np.float64, np.float64), (np.float32, np.float32),
                                    (np.uint8, np.float64), (np.float32, np.uint8)])
def test_float_input_requires_data_range(func, dtypes):
    a = np.zeros((8, 8), dtypes[0])
    b = np.ones((8, 8), dtypes[1])
    with pytest.raises(ValueError, match="data_range is required for floating-point"):
        func(a, b)


@pytest.mark.parametrize("func", [psnr, ssim])
def test_mixed_integer_dtypes_require_data_range(func):
    with pytest.raises(ValueError, match="different dtypes"):
        func(np.zeros((8, 8), np.uint8), np.zeros((8, 8), np.uint16))


@pytest.mark.parametrize("func", [psnr, ssim])
@pytest.mark.parametrize("data_range, exc, match", [
    (0, ValueError, "data_range must be > 0"),
    (-1.0, ValueError, "data_range must be > 0"),
    (np.inf, ValueError, "data_range must be finite"),
    (np.nan, ValueError, "data_range must not be NaN"),
    ("255", TypeError, "data_range must be a real number"),
    (True, TypeError, "data_range must be a real number"),
])
def test_bad_data_range(func, data_range, exc, match):
    a = np.zeros((8, 8), np.uint8)
    with pytest.raises(exc, match=match):
        func(a, a, data_range=data_range)


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"win_size": 4}, ValueError, "win_size must be odd"),
    ({"win_size": 1}, ValueError, "win_size must be >= 3"),
    ({"win_size": -3}, ValueError, "win_size must be >= 3"),
    ({"win_size": 9}, ValueError, "win_size must be at most the shorter image side"),
    ({"win_size": 7.5}, TypeError, "win_size must be an integer"),
    ({"win_size": "7"}, TypeError, "win_size must be an integer"),
    ({"gaussian_weights": True}, ValueError,
     r"at most the shorter image side, got 11 \(the default for sigma=1.5"),
    ({"sigma": 0.0, "gaussian_weights": True, "win_size": 3}, ValueError, "sigma must be > 0"),
    ({"sigma": -1.0}, ValueError, "sigma must be > 0"),
    ({"sigma": np.inf}, ValueError, "sigma must be finite"),
    ({"sigma": None}, TypeError, "sigma must be a real number"),
    ({"gaussian_weights": 1}, TypeError, "gaussian_weights must be True or False"),
    ({"use_sample_covariance": "no"}, TypeError, "use_sample_covariance must be True"),
    ({"full": None}, TypeError, "full must be True or False"),
])
def test_bad_ssim_parameters(kwargs, exc, match):
    a = np.zeros((8, 12), np.uint8)
    with pytest.raises(exc, match=match):
        ssim(a, a, **kwargs)


def test_ssim_default_window_larger_than_the_image():
    a = np.zeros((5, 12), np.uint8)
    with pytest.raises(ValueError, match=r"got 7 \(the default; pass a smaller one\)"):
        ssim(a, a)
    assert ssim(a, a, win_size=5) == 1.0


def test_ssim_accepts_integral_float_win_size(pair_u8):
    x, y = pair_u8
    assert ssim(x, y, win_size=5.0) == ssim(x, y, win_size=5)
