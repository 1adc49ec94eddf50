"""contrast_to_noise and entropy: oracles, hand values, invariances, bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from skimage.measure import shannon_entropy

from ctkidney.metrics import contrast_to_noise, entropy
from tests.strategies import images

from .conftest import DTYPES, image_pair


def _regions(shape):
    rows, cols = np.mgrid[0:shape[0], 0:shape[1]]
    roi = (rows - shape[0] / 2) ** 2 + (cols - shape[1] / 2) ** 2 < (min(shape) / 4) ** 2
    background = ~roi & (rows > 1)
    return roi, background


@pytest.mark.parametrize("dtype", DTYPES)
def test_cnr_matches_its_definition(dtype):
    image, _ = image_pair(dtype, (30, 40), seed=1)
    roi, background = _regions(image.shape)
    values = image.astype(np.float64)
    expected = abs(values[roi].mean() - values[background].mean()) / values[background].std()
    got = contrast_to_noise(image, roi, background)
    assert type(got) is float
    assert got == pytest.approx(expected, rel=1e-12)


def test_cnr_by_hand_and_zero_noise():
    image = np.array([[8, 12, 50], [12, 8, 54]], np.int16)
    roi = image > 40
    assert contrast_to_noise(image, roi, ~roi) == pytest.approx(42 / 2)
    flat = np.array([[5, 5, 9]], np.uint8)
    assert contrast_to_noise(flat, flat == 9, flat == 5) == math.inf
    assert contrast_to_noise(flat, flat == 5, flat == 5) == 0.0


@given(st.floats(0.01, 100), st.floats(-1000, 1000), st.booleans())
@settings(max_examples=30)
def test_cnr_is_invariant_to_linear_maps(scale, shift, flip):
    image, _ = image_pair(np.float64, (20, 20), seed=2)
    roi, background = _regions(image.shape)
    factor = -scale if flip else scale
    assert contrast_to_noise(factor * image + shift, roi, background) == pytest.approx(
        contrast_to_noise(image, roi, background), rel=1e-9)


@pytest.mark.parametrize("bad, name, exc, match", [
    (np.zeros((4, 5), bool), "roi", ValueError, "roi must have shape \\(4, 4\\)"),
    (np.full((4, 4), 2), "roi", ValueError, "roi must be a boolean mask"),
    (np.zeros((4, 4), bool), "roi", ValueError, "roi must select at least one pixel"),
    (np.zeros((4, 4), bool), "background", ValueError,
     "background must select at least one pixel"),
    (None, "background", TypeError, "background must be a boolean array"),
])
def test_cnr_bad_masks(bad, name, exc, match):
    image = np.arange(16, dtype=np.uint8).reshape(4, 4)
    masks = {"roi": image > 10, "background": image < 5, name: bad}
    with pytest.raises(exc, match=match):
        contrast_to_noise(image, masks["roi"], masks["background"])


@pytest.mark.parametrize("bad, exc, match", [
    (np.full((4, 4), np.nan), ValueError, "image must not contain NaN"),
    (np.zeros((4, 4, 1)), ValueError, "image must be 2-D"),
    (np.zeros((4, 4), np.int64), TypeError, "image must have dtype"),
])
def test_cnr_bad_image(bad, exc, match):
    mask = np.ones((4, 4), bool)
    with pytest.raises(exc, match=match):
        contrast_to_noise(bad, mask, mask)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16, bool])
def test_entropy_matches_skimage_for_integer_images(dtype):
    image, _ = image_pair(np.uint8 if dtype is bool else dtype, (40, 50), seed=3)
    if dtype is bool:
        image = image > 128
    got = entropy(image)
    assert type(got) is float
    assert got == pytest.approx(shannon_entropy(image), rel=1e-12)


def test_entropy_of_float_images_uses_256_bins():
    image, _ = image_pair(np.float64, (40, 50), seed=4)
    counts, _ = np.histogram(image, bins=256, range=(image.min(), image.max()))
    p = counts[counts > 0] / image.size
    assert entropy(image) == pytest.approx(-(p * np.log2(p)).sum(), rel=1e-12)
    # The bin count is explicit too, for any dtype; a constant image has no entropy.
    quantised = np.repeat(np.arange(4, dtype=np.uint8) * 60, 25).reshape(10, 10)
    assert entropy(quantised, bins=4) == pytest.approx(2.0)
    assert entropy(quantised.astype(np.float32)) == pytest.approx(2.0)
    assert entropy(np.full((3, 3), 7.5)) == 0.0
    assert entropy(np.full((3, 3), 7.5), bins=10) == 0.0


@given(images(max_side=16))
@settings(max_examples=40)
def test_entropy_range_and_purity(image):
    before = image.copy()
    value = entropy(image)
    n_bins = 256 if image.dtype.kind == "f" else len(np.unique(image))
    assert 0.0 <= value <= math.log2(min(n_bins, image.size)) + 1e-12
    np.testing.assert_array_equal(image, before)


@pytest.mark.parametrize("kwargs, image, exc, match", [
    ({"bins": 0}, np.zeros((3, 3)), ValueError, "bins must be >= 1"),
    ({"bins": 2.5}, np.zeros((3, 3)), TypeError, "bins must be an integer"),
    ({"bins": "256"}, np.zeros((3, 3)), TypeError, "bins must be an integer"),
    ({}, np.array([[np.inf, 0.0]]), ValueError, "image must not contain NaN or inf"),
    ({}, np.zeros((0, 3)), ValueError, "image must not be empty"),
    ({}, np.zeros(3), ValueError, "image must be 2-D"),
    ({}, np.zeros((3, 3), np.complex64), TypeError, "image must have dtype"),
])
def test_entropy_bad_input(kwargs, image, exc, match):
    with pytest.raises(exc, match=match):
        entropy(image, **kwargs)
