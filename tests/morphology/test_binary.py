import numpy as np
import pytest
import scipy.ndimage as ndi
import skimage.morphology as skm

from ctkidney.morphology import (
    boundary,
    disk,
    erosion,
    fill_holes,
    hit_or_miss,
    skeletonize,
    square,
)


def _masks(rng, count=40, max_side=40):
    for _ in range(count):
        shape = tuple(rng.integers(1, max_side, 2))
        yield rng.random(shape) < rng.uniform(0.2, 0.8)


def test_fill_holes_equals_scipy(rng):
    for mask in _masks(rng):
        got = fill_holes(mask)
        assert got.dtype == bool
        np.testing.assert_array_equal(got, ndi.binary_fill_holes(mask))


def test_fill_holes_ring_and_border():
    ring = np.zeros((7, 7), dtype=bool)
    ring[1:6, 1:6] = True
    ring[2:5, 2:5] = False
    assert fill_holes(ring)[3, 3]
    open_ring = ring.copy()
    open_ring[0:2, 3] = False  # the hole now reaches the border through a gap
    open_ring[1, 3] = False
    assert not fill_holes(open_ring)[3, 3]


def test_hit_or_miss_equals_scipy(rng):
    for mask in _masks(rng, 60, 20):
        hit = rng.random(tuple(rng.integers(1, 6, 2))) < 0.5
        hit.flat[0] = True
        miss = rng.random(tuple(rng.integers(1, 6, 2))) < 0.3
        np.testing.assert_array_equal(hit_or_miss(mask, hit, miss),
                                      ndi.binary_hit_or_miss(mask, hit, miss))
        np.testing.assert_array_equal(hit_or_miss(mask, hit),
                                      ndi.binary_hit_or_miss(mask, hit))


def test_hit_or_miss_empty_miss_is_plain_erosion_with_false_border(rng):
    mask = rng.random((15, 15)) < 0.7
    hit = square(3)
    expected = ndi.binary_erosion(mask, hit, border_value=0)
    np.testing.assert_array_equal(hit_or_miss(mask, hit, np.zeros((3, 3), bool)), expected)


def test_hit_or_miss_bad_input():
    mask = np.zeros((4, 4), dtype=bool)
    with pytest.raises(ValueError, match="hit"):
        hit_or_miss(mask, np.zeros((3, 3), dtype=bool))
    with pytest.raises(TypeError, match="hit"):
        hit_or_miss(mask, np.full((3, 3), 5))
    with pytest.raises(ValueError, match="miss"):
        hit_or_miss(mask, square(3), np.ones((2, 2, 2), dtype=bool))
    with pytest.raises(ValueError, match="mask"):
        hit_or_miss(np.full((3, 3), 7), square(3))


def test_boundary(rng):
    for mask in _masks(rng, 20):
        for fp in (None, disk(2)):
            expected = mask & ~erosion(mask, fp)
            np.testing.assert_array_equal(boundary(mask, fp), expected)
            np.testing.assert_array_equal(
                boundary(mask, fp),
                mask & ~skm.erosion(mask, disk(1) if fp is None else fp, mode="ignore"))
    with pytest.raises(ValueError, match="mask"):
        boundary(np.full((3, 3), 2))


def test_skeletonize_equals_skimage(rng):
    for mask in _masks(rng, 30):
        got = skeletonize(mask)
        assert got.dtype == bool
        np.testing.assert_array_equal(got, skm.skeletonize(mask))
    with pytest.raises(ValueError, match="mask"):
        skeletonize(np.zeros((2, 2, 2), dtype=bool))
    with pytest.raises(TypeError, match="mask"):
        skeletonize("mask")
