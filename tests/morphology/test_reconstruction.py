import numpy as np
import pytest
import skimage.morphology as skm

from ctkidney.morphology import disk, reconstruction

from . import naive
from .conftest import random_image

FOOTPRINTS = {
    "default": None,
    "cross": disk(1),
    "disk2": disk(2),
    "asym": np.array([[0, 0, 0], [0, 1, 1], [0, 1, 0]], dtype=bool),
}


@pytest.mark.parametrize("fp_name", list(FOOTPRINTS))
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16, np.float32, np.float64])
def test_reconstruction_equals_skimage(rng, dtype, fp_name):
    fp = FOOTPRINTS[fp_name]
    for _ in range(6):
        shape = tuple(rng.integers(1, 30, 2))
        mask = random_image(rng, dtype, shape)
        seed = np.where(rng.random(shape) < 0.1, mask, np.min(mask)).astype(dtype)
        got = reconstruction(seed, mask, footprint=fp)
        assert got.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(got, skm.reconstruction(seed, mask, footprint=fp))
        top = np.where(rng.random(shape) < 0.1, mask, np.max(mask)).astype(dtype)
        got = reconstruction(top, mask, method="erosion", footprint=fp)
        np.testing.assert_array_equal(
            got, skm.reconstruction(top, mask, method="erosion", footprint=fp))


def test_reconstruction_matches_naive_iteration(rng):
    for fp in (np.ones((3, 3), bool), FOOTPRINTS["asym"], disk(2)):
        mask = rng.integers(0, 50, (12, 14)).astype(np.uint8)
        seed = np.minimum(mask, rng.integers(0, 50, (12, 14)).astype(np.uint8) // 3)
        np.testing.assert_array_equal(reconstruction(seed, mask, footprint=fp),
                                      naive.reconstruction_by_dilation(seed, mask, fp))


def test_reconstruction_bool_and_mixed_dtypes(rng):
    mask = rng.random((20, 20)) < 0.6
    seed = mask & (rng.random((20, 20)) < 0.05)
    got = reconstruction(seed, mask)
    assert got.dtype == bool
    np.testing.assert_array_equal(got, skm.reconstruction(seed, mask).astype(bool))
    grey = rng.integers(0, 200, (8, 8)).astype(np.uint8)
    low = (grey // 2).astype(np.int16)
    out = reconstruction(low, grey)
    assert out.dtype == np.int16
    out = reconstruction(low.astype(np.uint16), grey.astype(np.int16))
    assert out.dtype == np.float64  # int32 is not a supported dtype


def test_reconstruction_fills_holes_by_erosion():
    image = np.zeros((7, 7), dtype=np.uint8)
    image[1:6, 1:6] = 9
    image[3, 3] = 0  # a hole
    seed = image.copy()
    seed[1:-1, 1:-1] = 255
    filled = reconstruction(seed, image, method="erosion")
    assert filled[3, 3] == 9


def test_reconstruction_bad_input():
    mask = np.ones((4, 4), dtype=np.uint8)
    with pytest.raises(ValueError, match="seed"):
        reconstruction(mask * 2, mask)
    with pytest.raises(ValueError, match="seed"):
        reconstruction(mask * 0, mask, method="erosion")
    with pytest.raises(ValueError, match="method"):
        reconstruction(mask, mask, method="opening")
    with pytest.raises(ValueError, match="shape"):
        reconstruction(mask[:2], mask)
    with pytest.raises(TypeError, match="seed"):
        reconstruction(mask.astype(np.int64), mask)
    with pytest.raises(ValueError, match="footprint"):
        reconstruction(mask, mask, footprint=np.zeros((3, 3)))
    with pytest.raises(ValueError, match="mask"):
        reconstruction(mask.astype(float), np.full((4, 4), np.nan))
