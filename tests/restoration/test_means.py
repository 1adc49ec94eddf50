import numpy as np
import pytest
from scipy import ndimage as ndi

from ctkidney.restoration import (
    arithmetic_mean,
    contraharmonic_mean,
    geometric_mean,
    harmonic_mean,
)

from .conftest import DTYPES, MODES, random_image


def _closed_form(image, size, mode, cval, kind, q=0.0):
    f = image.astype(np.float64)
    box = lambda a, c: ndi.uniform_filter(a, size, mode=mode, cval=c)  # noqa: E731
    if kind == "arithmetic":
        return box(f, cval)
    if kind == "geometric":
        return np.exp(box(np.log(f), np.log(cval)))
    if kind == "harmonic":
        return 1.0 / box(1.0 / f, 1.0 / cval)
    return box(f ** (q + 1), cval ** (q + 1)) / box(f ** q, cval ** q)


def _check(got, expected, dtype):
    assert got.dtype == dtype
    if np.dtype(dtype).kind == "f":
        rtol = 1e-5 if dtype == np.float32 else 1e-9
        np.testing.assert_allclose(got, expected, rtol=rtol)
    else:
        # Integers: rounded half to even; float summation order may move a value
        # sitting on a .5 boundary by one.
        assert np.abs(got.astype(float) - np.rint(expected)).max() <= 1


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind, func, kwargs", [
    ("arithmetic", arithmetic_mean, {}),
    ("geometric", geometric_mean, {}),
    ("harmonic", harmonic_mean, {}),
    ("contraharmonic", contraharmonic_mean, {"q": 1.5}),
    ("contraharmonic", contraharmonic_mean, {"q": -2.0}),
    ("contraharmonic", contraharmonic_mean, {"q": 0.0}),
])
def test_means_equal_closed_forms(kind, func, kwargs, dtype, mode, rng):
    image = random_image(rng, (21, 18), dtype, low=1, high=250)
    for size in (3, 5, (3, 7)):
        expected = _closed_form(image, size, mode, 2.0, kind, kwargs.get("q", 0.0))
        _check(func(image, size, mode=mode, cval=2.0, **kwargs), expected, image.dtype)


def test_arithmetic_mean_on_negative_hu(rng):
    image = rng.integers(-1024, 3000, (30, 30)).astype(np.int16)
    expected = ndi.uniform_filter(image.astype(float), 5)
    _check(arithmetic_mean(image, 5), expected, np.int16)


def test_zero_conventions():
    image = np.full((5, 5), 100.0)
    image[2, 2] = 0.0
    geo = geometric_mean(image, 3)
    har = harmonic_mean(image, 3)
    # Every window that holds the zero gives 0, the others are untouched.
    holds_zero = ndi.maximum_filter(image == 0, 3)
    np.testing.assert_array_equal(geo[holds_zero], 0.0)
    np.testing.assert_array_equal(har[holds_zero], 0.0)
    np.testing.assert_allclose(geo[~holds_zero], 100.0)
    # q < 0: the limit is 0; q > 0: pepper is filled in.
    np.testing.assert_array_equal(contraharmonic_mean(image, 3, q=-1.5)[holds_zero], 0.0)
    assert contraharmonic_mean(image, 3, q=1.5)[2, 2] == pytest.approx(100.0)
    zeros = np.zeros((4, 4))
    for q in (-1.0, 0.0, 2.0):
        np.testing.assert_array_equal(contraharmonic_mean(zeros, 3, q=q), 0.0)


def test_contraharmonic_large_q_does_not_overflow():
    image = np.array([[1.0, 60000.0, 30000.0]] * 3)
    out = contraharmonic_mean(image, 3, q=80.0, mode="nearest")
    assert np.isfinite(out).all()
    assert out[1, 1] == pytest.approx(60000.0, rel=1e-6)


def test_running_sums_stay_accurate_on_long_rows(rng):
    # Drift of add-and-subtract box sums over a 2000-pixel row stays at rounding level.
    image = rng.uniform(0, 1e4, (4, 2000))
    expected = ndi.uniform_filter(image, 5)
    np.testing.assert_allclose(arithmetic_mean(image, 5), expected, rtol=1e-10)


@pytest.mark.parametrize("func", [geometric_mean, harmonic_mean, contraharmonic_mean])
def test_negative_values_refused(func):
    with pytest.raises(ValueError, match="non-negative"):
        func(np.array([[1.0, -1.0], [2.0, 3.0]]), 3)
    with pytest.raises(ValueError, match="non-negative"):
        func(np.ones((4, 4)), 3, mode="constant", cval=-1.0)


@pytest.mark.parametrize("func", [arithmetic_mean, geometric_mean, harmonic_mean,
                                  contraharmonic_mean])
def test_means_refuse_bad_windows(func):
    image = np.ones((5, 5), np.uint8)
    with pytest.raises(ValueError, match="size"):
        func(image, 2)
    with pytest.raises(ValueError, match="size"):
        func(image, (3, 13))
    with pytest.raises(ValueError, match="NaN"):
        func(np.array([[np.inf, 1.0], [1.0, 1.0]]), 3)
    with pytest.raises(ValueError, match="cval"):
        func(image, 3, cval=np.nan)


def test_contraharmonic_refuses_bad_q():
    image = np.ones((5, 5))
    with pytest.raises(ValueError, match="q"):
        contraharmonic_mean(image, 3, q=np.nan)
    with pytest.raises(ValueError, match="q"):
        contraharmonic_mean(image, 3, q=np.inf)
    with pytest.raises(TypeError, match="q"):
        contraharmonic_mean(image, 3, q="1")
