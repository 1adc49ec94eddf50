"""Invariants of the five families on arbitrary images (hypothesis)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ctkidney.segmentation import (
    canny,
    distance_transform,
    kmeans,
    region_grow,
    segment,
    threshold_local,
    threshold_otsu,
    watershed,
)
from tests.strategies import images, masks

SETTINGS = settings(max_examples=30)


@SETTINGS
@given(images(), st.integers(1, 5))
def test_kmeans_labels_consistent(image, k):
    before = image.copy()
    labels, centers = kmeans(image, k, rng=0)
    np.testing.assert_array_equal(image, before)
    assert labels.dtype == np.int32 and labels.shape == image.shape
    assert centers.shape == (k,) and np.all(np.diff(centers) >= 0)
    distance = np.abs(image[..., None].astype(np.float64) - centers)
    chosen = np.take_along_axis(distance, labels[..., None], -1)[..., 0]
    np.testing.assert_allclose(chosen, distance.min(-1), rtol=1e-9, atol=1e-9)


@SETTINGS
@given(images(), st.data())
def test_region_grow_contains_seeds(image, data):
    rows, cols = image.shape
    seeds = data.draw(st.lists(st.tuples(st.integers(0, rows - 1), st.integers(0, cols - 1)),
                               min_size=1, max_size=3))
    tolerance = data.draw(st.floats(0, 500))
    before = image.copy()
    mask = region_grow(image, seeds, tolerance=tolerance)
    np.testing.assert_array_equal(image, before)
    assert mask.dtype == bool
    for seed in seeds:
        assert mask[seed]
    # Monotone in the tolerance.
    assert (mask <= region_grow(image, seeds, tolerance=tolerance + 10)).all()


@SETTINGS
@given(images(), st.data(), st.sampled_from([1, 2]))
def test_watershed_keeps_every_marker(image, data, connectivity):
    rows, cols = image.shape
    n = data.draw(st.integers(1, 4))
    markers = np.zeros(image.shape, np.int32)
    for i in range(n):
        markers[data.draw(st.integers(0, rows - 1)), data.draw(st.integers(0, cols - 1))] = i + 1
    before, marker_copy = image.copy(), markers.copy()
    labels = watershed(image, markers, connectivity=connectivity)
    np.testing.assert_array_equal(image, before)
    np.testing.assert_array_equal(markers, marker_copy)
    assert labels.dtype == np.int32
    present = marker_copy > 0
    np.testing.assert_array_equal(labels[present], marker_copy[present])
    assert set(np.unique(labels)) == set(np.unique(marker_copy[present]))


@SETTINGS
@given(masks())
def test_distance_transform_properties(mask):
    distance = distance_transform(mask)
    assert distance.dtype == np.float32
    if (~mask).any():
        assert (distance[~mask] == 0).all() and (distance[mask] >= 1).all()


@SETTINGS
@given(images(min_side=3))
def test_masks_are_bool(image):
    before = image.copy()
    assert canny(image).dtype == bool
    assert threshold_local(image, 3).dtype == bool
    assert segment(image, "otsu").dtype == bool
    assert isinstance(threshold_otsu(image), float)
    assert segment(image, "watershed").dtype == np.int32
    np.testing.assert_array_equal(image, before)
