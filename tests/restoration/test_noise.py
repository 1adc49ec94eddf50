import numpy as np
import pytest

from ctkidney.restoration import (
    DEFAULT_NOISE_LEVELS,
    NOISE_KINDS,
    add_exponential_noise,
    add_gamma_noise,
    add_gaussian_noise,
    add_impulse_noise,
    add_noise,
    add_periodic_noise,
    add_poisson_noise,
    add_rayleigh_noise,
    add_uniform_noise,
)

N = 400  # 160 000 samples: standard errors well under 1%% of the moments
BASE = np.zeros((N, N))


def _moments(noisy):
    return float(noisy.mean()), float(noisy.var())


@pytest.mark.parametrize("func, params, mean, var", [
    (add_gaussian_noise, {"sigma": 10.0, "mean": 3.0}, 3.0, 100.0),
    (add_exponential_noise, {"scale": 8.0}, 8.0, 64.0),
    (add_gamma_noise, {"shape": 2.0, "scale": 4.0}, 8.0, 32.0),
    (add_rayleigh_noise, {"scale": 8.0}, 8.0 * np.sqrt(np.pi / 2), (4 - np.pi) / 2 * 64.0),
    (add_uniform_noise, {"low": -15.0, "high": 15.0}, 0.0, 900.0 / 12),
])
def test_additive_noise_moments(func, params, mean, var):
    got_mean, got_var = _moments(func(BASE, rng=0, **params))
    # 5 standard errors of the sample mean and variance (fourth moment <= 9 var^2).
    assert abs(got_mean - mean) < 5 * np.sqrt(var / BASE.size)
    assert abs(got_var - var) < 5 * np.sqrt(8 * var ** 2 / BASE.size)


def test_one_sided_noise_is_non_negative():
    for func, params in ((add_exponential_noise, {"scale": 8}), (add_gamma_noise,
                         {"shape": 2, "scale": 4}), (add_rayleigh_noise, {"scale": 8})):
        assert func(BASE[:50], rng=1, **params).min() >= 0


def test_poisson_counts_scale():
    image = np.full((N, N), 50.0)
    for scale in (1.0, 4.0):
        noisy = add_poisson_noise(image, scale=scale, rng=2)
        assert abs(noisy.mean() - 50) < 5 * np.sqrt(50 / scale / image.size)
        assert noisy.var() == pytest.approx(50 / scale, rel=0.03)
        # Values are counts divided by scale.
        np.testing.assert_allclose((noisy * scale) % 1, 0, atol=1e-9)


def test_impulse_values_and_fraction():
    image = np.full((N, N), 100, np.uint8)
    noisy = add_impulse_noise(image, amount=0.2, salt_ratio=0.25, rng=3)
    hit = noisy != 100
    assert set(np.unique(noisy)) == {0, 100, 255}
    assert hit.mean() == pytest.approx(0.2, abs=0.005)
    assert (noisy[hit] == 255).mean() == pytest.approx(0.25, abs=0.01)
    floats = np.linspace(-3.0, 7.0, 400).reshape(20, 20)
    noisy_f = add_impulse_noise(floats, amount=0.5, rng=3)
    assert set(np.unique(noisy_f[noisy_f != floats])) <= {-3.0, 7.0}
    int16 = add_impulse_noise(np.zeros((50, 50), np.int16), amount=0.5, rng=3)
    assert set(np.unique(int16)) == {-32768, 0, 32767}


def test_periodic_formula():
    image = np.zeros((6, 7))
    noisy = add_periodic_noise(image, amplitude=[2.0, 1.0], frequencies=[(0.1, 0.2), (0.3, 0)],
                               phase=[0.5, 1.0])
    y, x = np.mgrid[0:6, 0:7]
    expected = (2 * np.sin(2 * np.pi * (0.1 * x + 0.2 * y) + 0.5)
                + np.sin(2 * np.pi * 0.3 * x + 1.0))
    np.testing.assert_allclose(noisy, expected, atol=1e-12)
    random_phase = add_periodic_noise(image, amplitude=1, frequencies=(0.1, 0), phase=None,
                                      rng=5)
    assert not np.allclose(random_phase, add_periodic_noise(image, amplitude=1,
                                                            frequencies=(0.1, 0)))


@pytest.mark.parametrize("kind", NOISE_KINDS)
def test_add_noise_uses_defaults_and_keeps_dtype(kind):
    image = np.full((40, 40), 120, np.uint8)
    noisy = add_noise(image, kind, rng=7)
    assert noisy.dtype == np.uint8
    func_noisy = {
        "gaussian": add_gaussian_noise, "impulse": add_impulse_noise,
        "poisson": add_poisson_noise, "exponential": add_exponential_noise,
        "gamma": add_gamma_noise, "rayleigh": add_rayleigh_noise,
        "uniform": add_uniform_noise, "periodic": add_periodic_noise,
    }[kind](image, rng=7, **DEFAULT_NOISE_LEVELS[kind])
    np.testing.assert_array_equal(noisy, func_noisy)


def test_integer_results_are_rounded_and_saturated():
    image = np.array([[250, 5]], np.uint8)
    out = add_uniform_noise(image, low=10, high=10.0000001, rng=0)
    np.testing.assert_array_equal(out, [[255, 15]])
    out = add_gaussian_noise(np.array([[0.0]], np.float32), sigma=0, mean=-5.5)
    assert out.dtype == np.float32 and out[0, 0] == -5.5


def test_bad_noise_parameters_are_refused():
    image = np.zeros((4, 4), np.uint8)
    with pytest.raises(ValueError, match="sigma"):
        add_gaussian_noise(image, sigma=-1)
    with pytest.raises(ValueError, match="amount"):
        add_impulse_noise(image, amount=1.5)
    with pytest.raises(ValueError, match="amount"):
        add_impulse_noise(image, amount=-0.1)
    with pytest.raises(ValueError, match="salt_ratio"):
        add_impulse_noise(image, amount=0.1, salt_ratio=2)
    with pytest.raises(ValueError, match="scale"):
        add_poisson_noise(image, scale=0)
    with pytest.raises(ValueError, match="non-negative"):
        add_poisson_noise(np.full((2, 2), -1.0))
    with pytest.raises(ValueError, match="scale"):
        add_exponential_noise(image, scale=-1)
    with pytest.raises(ValueError, match="shape"):
        add_gamma_noise(image, shape=0, scale=1)
    with pytest.raises(ValueError, match="scale"):
        add_gamma_noise(image, shape=1, scale=-1)
    with pytest.raises(ValueError, match="scale"):
        add_rayleigh_noise(image, scale=-2)
    with pytest.raises(ValueError, match="low"):
        add_uniform_noise(image, low=2, high=1)
    with pytest.raises(ValueError, match="amplitude"):
        add_periodic_noise(image, amplitude=-1, frequencies=(0.1, 0))
    with pytest.raises(ValueError, match="frequencies"):
        add_periodic_noise(image, amplitude=1, frequencies=(0.7, 0))
    with pytest.raises(ValueError, match="frequencies"):
        add_periodic_noise(image, amplitude=1, frequencies=[(0.1, 0, 3)])
    with pytest.raises(TypeError, match="frequencies"):
        add_periodic_noise(image, amplitude=1, frequencies="0.1")
    with pytest.raises(ValueError, match="phase"):
        add_periodic_noise(image, amplitude=1, frequencies=(0.1, 0), phase=[1, 2])
    with pytest.raises(ValueError, match="kind"):
        add_noise(image, "speckle")
    with pytest.raises(TypeError):
        add_noise(image, "gaussian", scale=3)
    with pytest.raises(ValueError, match="NaN"):
        add_gaussian_noise(np.array([[np.nan]]), sigma=1)
    with pytest.raises(TypeError, match="rng"):
        add_gaussian_noise(image, sigma=1, rng="seed")
