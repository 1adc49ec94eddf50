"""Watershed and distance transform of volumes against scikit-image and SciPy."""

import numpy as np
import pytest
from scipy import ndimage as ndi
from skimage.segmentation import watershed as sk_watershed

from ctkidney.segmentation import distance_transform, watershed


@pytest.mark.parametrize("connectivity", [1, 2, 3])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.int16])
def test_watershed_volume_matches_skimage(rng, connectivity, dtype):
    image = (rng.random((8, 12, 13)) * 200).astype(dtype)
    markers = np.zeros(image.shape, np.int32)
    markers.flat[rng.choice(image.size, 6, replace=False)] = np.arange(1, 7)
    mask = rng.random(image.shape) < 0.9
    out = watershed(image, markers, mask=mask, connectivity=connectivity)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(
        out, sk_watershed(image, markers, mask=mask, connectivity=connectivity))
    np.testing.assert_array_equal(
        watershed(image, markers), sk_watershed(image, markers))


def test_watershed_volume_splits_touching_balls():
    grid = np.indices((20, 30, 30))
    balls = (((grid - np.array([10, 15, 9])[:, None, None, None]) ** 2).sum(0) < 49) | \
            (((grid - np.array([10, 15, 20])[:, None, None, None]) ** 2).sum(0) < 49)
    distance = distance_transform(balls, spacing=(1.0, 1.0, 1.0))
    markers = np.zeros(balls.shape, np.int32)
    markers[10, 15, 9], markers[10, 15, 20] = 1, 2
    labels = watershed(-distance, markers, mask=balls, connectivity=26)
    assert set(np.unique(labels)) == {0, 1, 2}
    assert labels[10, 15, 5] == 1 and labels[10, 15, 24] == 2


@pytest.mark.parametrize("spacing", [None, 0.7, (3.0, 0.8, 0.7)])
def test_distance_transform_volume_matches_scipy(rng, spacing):
    mask = ndi.gaussian_filter(rng.random((10, 20, 21)), 1.5) > 0.45
    out = distance_transform(mask, spacing=spacing)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, ndi.distance_transform_edt(mask, sampling=spacing),
                               rtol=1e-5, atol=1e-5)
    assert np.isinf(distance_transform(np.ones((2, 3, 4), bool))).all()


def test_distance_transform_spacing_and_sampling(rng):
    mask = rng.random((12, 13)) < 0.7
    np.testing.assert_array_equal(distance_transform(mask, spacing=(2.0, 0.5)),
                                  distance_transform(mask, sampling=(2.0, 0.5)))
    with pytest.raises(TypeError, match="not both"):
        distance_transform(mask, spacing=1.0, sampling=1.0)
    with pytest.raises(ValueError, match="spacing"):
        distance_transform(mask[None], spacing=(1.0, 1.0))
    with pytest.raises(ValueError, match="connectivity"):
        watershed(np.zeros((2, 3, 4)), np.ones((2, 3, 4), np.int32), connectivity=4)


def test_watershed_volume_any_layout_and_bad_connectivity(rng):
    image = (rng.random((6, 9, 10)) * 200).astype(np.uint8)
    markers = np.zeros(image.shape, np.int32)
    markers[0, 0, 0], markers[-1, -1, -1] = 1, 2
    expected = watershed(image, markers)
    assert set(np.unique(expected)) == {1, 2}
    np.testing.assert_array_equal(watershed(image, np.asfortranarray(markers)), expected)
    np.testing.assert_array_equal(watershed(np.asfortranarray(image), markers), expected)
    with pytest.raises(TypeError, match="connectivity"):
        watershed(image, markers, connectivity=[1])


def test_distance_volume_read_only_and_spacing_bounds():
    mask = np.zeros((5, 6, 6), bool)
    mask[1:4, 1:5, 1:5] = True
    expected = distance_transform(mask, spacing=(2.0, 1.0, 1.0))
    mask.flags.writeable = False
    np.testing.assert_array_equal(distance_transform(mask, spacing=(2.0, 1.0, 1.0)), expected)
    for spacing in ((1e-20, 1.0, 1.0), (1e20, 1.0, 1.0)):
        with pytest.raises(ValueError, match="spacing"):
            distance_transform(mask, spacing=spacing)
    with pytest.raises(ValueError, match="sampling"):
        distance_transform(mask, sampling=(0.0, 1.0, 1.0))
