"""window, stretch_contrast, gamma_correct and log_transform against their formulas
and scikit-image."""

import numpy as np
import pytest
from skimage import exposure

from ctkidney._shared.validation import saturate
from ctkidney.enhancement import WINDOWS, gamma_correct, log_transform, stretch_contrast, window

from .conftest import random_image


def test_window_presets():
    assert dict(WINDOWS) == {"abdomen": (40.0, 400.0), "soft_tissue": (50.0, 350.0),
                             "bone": (400.0, 1800.0), "kidney_stone": (300.0, 1500.0)}
    with pytest.raises(TypeError):
        WINDOWS["lung"] = (-600, 1500)


@pytest.mark.parametrize("name", sorted(WINDOWS))
def test_window_formula(name, ct_sample):
    level, width = WINDOWS[name]
    t = np.clip((ct_sample - (level - width / 2)) / width, 0, 1)
    np.testing.assert_array_equal(window(ct_sample, level=level, width=width),
                                  saturate(255 * t, np.uint8))
    np.testing.assert_array_equal(window(ct_sample, level=level, width=width, out_dtype=np.uint16),
                                  saturate(65535 * t, np.uint16))
    out = window(ct_sample, level=level, width=width, out_dtype=np.float32)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, t, rtol=1e-6)


def test_window_end_points():
    hu = np.array([[-161.0, -160.0, 40.0, 240.0, 241.0]])
    np.testing.assert_array_equal(window(hu, level=40, width=400), [[0, 0, 128, 255, 255]])
    np.testing.assert_array_equal(window(hu, level=40, width=400, out_dtype=np.float64),
                                  [[0.0, 0.0, 0.5, 1.0, 1.0]])


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16, np.float32, np.float64])
def test_stretch_contrast_matches_rescale_intensity(dtype):
    image = random_image(dtype, (20, 20), seed=1)
    lo, hi = np.percentile(image, (2, 98))
    if np.dtype(dtype).kind == "u":
        out_range = (0.0, float(np.iinfo(dtype).max))
    else:
        out_range = (float(image.min()), float(image.max()))
    expected = exposure.rescale_intensity(image.astype(np.float64), in_range=(lo, hi),
                                          out_range=out_range)
    out = stretch_contrast(image)
    assert out.dtype == dtype
    if np.dtype(dtype).kind == "f":
        np.testing.assert_allclose(out, expected, rtol=1e-6)
    else:
        np.testing.assert_array_equal(out, saturate(expected, dtype))


def test_stretch_contrast_values_and_image_range(phantom):
    hu = phantom.hu
    out = stretch_contrast(hu, in_range=(-160, 240), percentiles=False, out_range=(0, 1))
    np.testing.assert_allclose(out, window(hu, level=40, width=400, out_dtype=np.float32),
                               atol=1e-6)
    image = phantom.image // 2 + 20
    out = stretch_contrast(image, in_range="image")
    assert out.min() == 0 and out.max() == 255
    flat = np.full((4, 4), 9, np.uint8)
    np.testing.assert_array_equal(stretch_contrast(flat), np.zeros_like(flat))


def test_gamma_matches_adjust_gamma_uint8():
    image = np.arange(256, dtype=np.uint8).reshape(16, 16)
    for gamma in (0.4, 1.0, 2.2):
        np.testing.assert_array_equal(gamma_correct(image, gamma),
                                      exposure.adjust_gamma(image, gamma))
    np.testing.assert_array_equal(gamma_correct(image, 1.0), image)


@pytest.mark.parametrize("dtype", [np.uint16, np.int16, np.float32, np.float64])
def test_gamma_formula_other_dtypes(dtype):
    image = random_image(dtype, (15, 15), seed=2)
    if np.dtype(dtype).kind == "u":
        lo, hi = 0.0, float(np.iinfo(dtype).max)
    else:
        lo, hi = float(image.min()), float(image.max())
    expected = lo + 0.9 * (hi - lo) * ((image.astype(np.float64) - lo) / (hi - lo)) ** 0.5
    out = gamma_correct(image, 0.5, gain=0.9)
    assert out.dtype == dtype
    if np.dtype(dtype).kind == "f":
        np.testing.assert_allclose(out, expected, rtol=1e-6)
    else:
        np.testing.assert_array_equal(out, saturate(expected, dtype))


def test_log_transform_gonzalez_uint8_and_dtype_independence():
    image = np.arange(256, dtype=np.uint8).reshape(16, 16)
    expected = 255 / np.log(256) * np.log1p(image.astype(np.float64))
    np.testing.assert_array_equal(log_transform(image), saturate(expected, np.uint8))
    as_float = log_transform(image.astype(np.float64))
    np.testing.assert_allclose(as_float, expected, rtol=1e-12)
    hu = image.astype(np.int16) * 4 - 1000
    np.testing.assert_array_equal(log_transform(hu), saturate(expected * 4 - 1000, np.int16))


def test_point_transforms_monotone_and_pure(ct_sample):
    order = np.argsort(ct_sample, axis=None, kind="stable")
    before = ct_sample.copy()
    for out in (window(ct_sample, level=40, width=400), stretch_contrast(ct_sample),
                gamma_correct(ct_sample, 0.7), log_transform(ct_sample)):
        assert np.all(np.diff(out.ravel()[order].astype(np.int64)) >= 0)
    np.testing.assert_array_equal(ct_sample, before)


def test_constant_images_unchanged():
    for dtype in (np.int16, np.float64):
        image = np.full((3, 3), -50, dtype)
        np.testing.assert_array_equal(gamma_correct(image, 2.0), image)
        np.testing.assert_array_equal(log_transform(image), image)
