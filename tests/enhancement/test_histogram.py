"""equalize_hist and match_hist against OpenCV, scikit-image and a slow reference."""

import cv2
import numpy as np
import pytest
from skimage import exposure

from ctkidney._shared.validation import saturate
from ctkidney.enhancement import equalize_hist, match_hist

from . import naive
from .conftest import random_image


def test_equalize_uint8_within_one_of_opencv(rng):
    for image in (rng.integers(0, 256, (64, 80)).astype(np.uint8),
                  rng.normal(90, 20, (128, 128)).clip(0, 255).astype(np.uint8),
                  rng.integers(17, 40, (33, 7)).astype(np.uint8)):
        ours = equalize_hist(image)
        theirs = cv2.equalizeHist(image)
        assert ours.dtype == np.uint8
        assert np.abs(ours.astype(int) - theirs).max() <= 1


def test_equalize_uint8_phantom_and_mask_all_true(phantom):
    image = phantom.image
    ours = equalize_hist(image)
    assert np.abs(ours.astype(int) - cv2.equalizeHist(image)).max() <= 1
    np.testing.assert_array_equal(equalize_hist(image, mask=np.ones(image.shape, bool)), ours)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16])
def test_equalize_integers_match_reference(dtype):
    image = random_image(dtype, (12, 15), seed=3)
    expected = naive.equalize_levels(
        image, out_range=(0, np.iinfo(dtype).max) if np.dtype(dtype).kind == "u" else None)
    np.testing.assert_array_equal(equalize_hist(image), saturate(expected, dtype))


def test_equalize_uint16_stays_uint16_full_range():
    image = random_image(np.uint16, (40, 40), seed=4)
    out = equalize_hist(image)
    assert out.dtype == np.uint16
    assert out.min() == 0 and out.max() == 65535


def test_equalize_int16_keeps_hu_range(ct_sample):
    ct_sample = ct_sample[::3, ::3]
    out = equalize_hist(ct_sample)
    assert out.dtype == np.int16
    assert out.min() == ct_sample.min() and out.max() == ct_sample.max()
    np.testing.assert_array_equal(out, saturate(naive.equalize_levels(ct_sample), np.int16))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("nbins", [16, 256])
def test_equalize_float_matches_scikit_image(dtype, nbins, ct_sample):
    image = ct_sample.astype(dtype) + np.float32(0.25)
    lo, hi = float(image.min()), float(image.max())
    expected = lo + (hi - lo) * exposure.equalize_hist(image.astype(np.float64), nbins=nbins)
    out = equalize_hist(image, nbins=nbins)
    assert out.dtype == dtype
    np.testing.assert_allclose(out, expected, rtol=1e-5 if dtype == np.float32 else 1e-12)


def test_equalize_mask_restricts_histogram(phantom):
    image = phantom.image
    mask = phantom.kidney_mask
    out = equalize_hist(image, mask=mask)
    np.testing.assert_array_equal(out, saturate(naive.equalize_levels(image, mask, (0, 255)),
                                                np.uint8))
    # Inside the mask the full range is used; outside, darker pixels go to 0.
    assert out[mask].min() == 0 and out[mask].max() == 255
    darker = image < image[mask].min()
    assert darker.any() and (out[darker] == 0).all()
    hu = phantom.hu.astype(np.float64)
    lo, hi = hu.min(), hu.max()
    expected = lo + (hi - lo) * exposure.equalize_hist(hu, nbins=64, mask=mask)
    np.testing.assert_allclose(equalize_hist(hu, nbins=64, mask=mask), expected, rtol=1e-12)


def test_equalize_constant_image_unchanged(dtype):
    image = np.full((5, 6), 7, dtype)
    np.testing.assert_array_equal(equalize_hist(image), image)
    if dtype == np.uint8:
        np.testing.assert_array_equal(cv2.equalizeHist(image), image)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16, np.float32, np.float64])
def test_match_hist_follows_scikit_image(dtype, ct_sample):
    image = random_image(dtype, (30, 20), seed=5)
    reference = ct_sample[:50, :60].astype(dtype) if dtype != np.uint8 else \
        random_image(np.uint8, (25, 25), seed=6) // 2
    expected = exposure.match_histograms(image, reference)
    out = match_hist(image, reference)
    assert out.dtype == dtype
    if np.dtype(dtype).kind == "f":
        np.testing.assert_allclose(out, expected, rtol=1e-6)
    else:
        np.testing.assert_array_equal(out, saturate(expected.astype(np.float64), dtype))


def test_match_hist_mixed_dtypes_and_identity(phantom, ct_sample):
    out = match_hist(phantom.image, ct_sample)
    assert out.dtype == np.uint8
    expected = exposure.match_histograms(phantom.image.astype(np.float64),
                                         ct_sample.astype(np.float64))
    np.testing.assert_array_equal(out, saturate(expected, np.uint8))
    for image in (phantom.image, phantom.hu, ct_sample):
        np.testing.assert_array_equal(match_hist(image, image), image)


def test_histogram_inputs_not_mutated(phantom):
    image, mask = phantom.image.copy(), phantom.kidney_mask.copy()
    equalize_hist(image, mask=mask)
    match_hist(image, phantom.hu)
    np.testing.assert_array_equal(image, phantom.image)
    np.testing.assert_array_equal(mask, phantom.kidney_mask)
