import numpy as np
import pytest
from skimage.segmentation import flood

from ctkidney.segmentation import region_grow

from . import naive


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16, np.float32, np.float64])
@pytest.mark.parametrize("connectivity", [1, 2])
@pytest.mark.parametrize("tolerance", [0, 5, 30])
def test_matches_skimage_flood(blobs, dtype, connectivity, tolerance):
    image = blobs.astype(dtype)
    seeds = [(5, 7), (30, 40), (47, 63)]
    ours = region_grow(image, seeds, tolerance=tolerance, connectivity=connectivity)
    ref = np.zeros(image.shape, bool)
    for seed in seeds:
        ref |= flood(image, seed, tolerance=tolerance, connectivity=connectivity)
    np.testing.assert_array_equal(ours, ref)


def test_matches_naive(blobs):
    ours = region_grow(blobs, (10, 10), tolerance=12)
    np.testing.assert_array_equal(ours, naive.flood(blobs, (10, 10), 12, 1))


def test_confidence_connected():
    rng = np.random.default_rng(0)
    image = rng.normal(100, 5, (40, 40))
    image[10:30, 10:30] += 60
    mask = region_grow(image, (20, 20), method="confidence")
    truth = np.zeros(image.shape, bool)
    truth[10:30, 10:30] = True
    assert (mask & truth).sum() / (mask | truth).sum() > 0.95


def test_default_tolerance_is_exact_value():
    image = np.array([[1, 1, 2], [1, 3, 1]], np.uint8)
    np.testing.assert_array_equal(region_grow(image, (0, 0)),
                                  [[True, True, False], [True, False, False]])


def test_bad_input(blobs):
    with pytest.raises(ValueError, match="seeds must lie inside"):
        region_grow(blobs, (48, 0), tolerance=1)
    with pytest.raises(ValueError, match="seeds must lie inside"):
        region_grow(blobs, [(0, 0), (-1, 3)], tolerance=1)
    with pytest.raises(TypeError, match="seeds"):
        region_grow(blobs, "center", tolerance=1)
    with pytest.raises(TypeError, match="seeds"):
        region_grow(blobs, (1.5, 2), tolerance=1)
    with pytest.raises(ValueError, match="seeds must be"):
        region_grow(blobs, (1, 2, 3), tolerance=1)
    with pytest.raises(ValueError, match="tolerance"):
        region_grow(blobs, (1, 2), tolerance=-1)
    with pytest.raises(ValueError, match="connectivity"):
        region_grow(blobs, (1, 2), connectivity=3)
    with pytest.raises(ValueError, match="method"):
        region_grow(blobs, (1, 2), method="otsu")
    with pytest.raises(ValueError, match="tolerance"):
        region_grow(blobs, (1, 2), tolerance=3, method="confidence")
