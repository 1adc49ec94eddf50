"""Invariants of mse, psnr and ssim: identity, symmetry, ranges, no mutation."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ctkidney.metrics import mse, psnr, ssim
from tests.strategies import images

SPAN = 5000.0  # covers the value ranges of tests.strategies for every dtype


@st.composite
def image_pairs(draw, min_side=1, max_side=20):
    first = draw(images(min_side=min_side, max_side=max_side))
    second = draw(images(first.dtype.type, min_side=min_side, max_side=max_side)
                  .filter(lambda a: a.shape == first.shape)
                  | st.just(first[::-1, ::-1].copy()))
    return first, second


@st.composite
def ssim_settings(draw, shape):
    side = min(shape)
    win_size = draw(st.sampled_from([w for w in (3, 5, 7, 9) if w <= side]))
    gaussian = draw(st.booleans())
    return {"win_size": win_size, "gaussian_weights": gaussian,
            "sigma": draw(st.sampled_from([0.5, 1.0, 1.5, 2.5])),
            "use_sample_covariance": draw(st.booleans()), "data_range": SPAN}


@given(image_pairs(min_side=3), st.data())
@settings(max_examples=40)
def test_ssim_identity_symmetry_range_and_purity(pair, data):
    x, y = pair
    kw = data.draw(ssim_settings(x.shape))
    x0, y0 = x.copy(), y.copy()
    assert ssim(x, x, **kw) == 1.0
    forward, smap = ssim(x, y, full=True, **kw)
    backward = ssim(y, x, **kw)
    assert math.isclose(forward, backward, rel_tol=0, abs_tol=1e-12)
    assert -1.0 - 1e-12 <= forward <= 1.0 + 1e-12
    assert np.all(np.abs(smap) <= 1.0 + 1e-12)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)


@given(image_pairs())
@settings(max_examples=40)
def test_mse_psnr_symmetry_range_and_purity(pair):
    x, y = pair
    x0, y0 = x.copy(), y.copy()
    error = mse(x, y)
    assert type(error) is float
    assert error >= 0.0 and mse(y, x) == error
    assert mse(x, x) == 0.0
    value = psnr(x, y, data_range=SPAN)
    assert value == psnr(y, x, data_range=SPAN)
    assert (value == math.inf) == (error == 0.0)
    assert psnr(x, x, data_range=SPAN) == math.inf
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)


@given(images(np.uint8, min_side=7, max_side=20), st.integers(1, 60))
@settings(max_examples=25)
def test_more_noise_lowers_psnr(image, amplitude):
    rng = np.random.default_rng(0)
    noise = rng.choice([-1, 1], image.shape)
    small = np.clip(image.astype(int) + noise * amplitude, 0, 255).astype(np.uint8)
    large = np.clip(image.astype(int) + noise * 2 * amplitude, 0, 255).astype(np.uint8)
    if mse(image, small) > 0:
        assert psnr(image, large) <= psnr(image, small)
