import numpy as np
import pytest
from skimage import filters

from ctkidney.segmentation import threshold, threshold_local, threshold_multiotsu, threshold_otsu


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16, np.float32, np.float64])
def test_otsu_matches_skimage(blobs, dtype):
    image = (blobs.astype(np.float64) * 3 - 100).astype(dtype) if dtype == np.int16 else \
        blobs.astype(dtype)
    assert threshold_otsu(image) == pytest.approx(filters.threshold_otsu(image), rel=1e-6)


def test_otsu_constant_image():
    assert threshold_otsu(np.full((3, 3), 7, np.uint8)) == 7.0


@pytest.mark.parametrize("func", [threshold_otsu, threshold_multiotsu])
def test_subnormal_range_is_refused_naming_image(func):
    """A float image whose values differ by one subnormal step has no 256
    distinct bin edges: numpy (and scikit-image) raise "Too many bins for data
    range"; ours names the argument (found by the fuzz test through
    ``segment(method="watershed")``). A range of normal floats still works."""
    image = np.zeros((8, 8))
    image[0, 0] = 5e-324
    with pytest.raises(ValueError, match="image.*nbins"):
        func(image)
    image[0, 0] = 1e-300
    image[1, 1] = 2e-300
    assert np.all(np.isfinite(func(image)))


@pytest.mark.parametrize("classes", [2, 3, 4])
def test_multiotsu_matches_skimage(blobs, classes):
    ours = threshold_multiotsu(blobs, classes=classes)
    np.testing.assert_allclose(ours, filters.threshold_multiotsu(blobs, classes=classes))


def test_multiotsu_float_matches_skimage(blobs):
    image = blobs.astype(np.float64) / 7.0
    ours = threshold_multiotsu(image, classes=3)
    np.testing.assert_allclose(ours, filters.threshold_multiotsu(image, classes=3), rtol=1e-6)


@pytest.mark.parametrize("method", ["mean", "gaussian"])
@pytest.mark.parametrize("block_size", [3, 11, 25])
@pytest.mark.parametrize("mode", ["reflect", "nearest", "constant"])
def test_local_matches_skimage(blobs, method, block_size, mode):
    ours = threshold_local(blobs, block_size, offset=2, method=method, mode=mode)
    ref = blobs > filters.threshold_local(blobs, block_size, method, offset=2, mode=mode)
    assert ours.dtype == bool
    np.testing.assert_array_equal(ours, ref)


def test_threshold_is_strict():
    image = np.array([[1, 2, 3]], np.uint8)
    np.testing.assert_array_equal(threshold(image, 2), [[False, False, True]])


def test_bad_input():
    image = np.zeros((4, 4), np.uint8)
    with pytest.raises(ValueError, match="block_size"):
        threshold_local(image, 4)
    with pytest.raises(ValueError, match="method"):
        threshold_local(image, 3, method="median")
    with pytest.raises(TypeError, match="value"):
        threshold(image, "1")
    with pytest.raises(ValueError, match="classes"):
        threshold_multiotsu(image, classes=1)
    with pytest.raises(ValueError, match="grey levels"):
        threshold_multiotsu(image, classes=3)
    with pytest.raises(TypeError):
        threshold_otsu(image.astype(np.int64))
    with pytest.raises(ValueError):
        threshold_otsu(np.array([[np.nan, 1.0]]))
