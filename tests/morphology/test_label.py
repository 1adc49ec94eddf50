import numpy as np
import pytest
import scipy.ndimage as ndi
import skimage.morphology as skm

from ctkidney.morphology import keep_largest, label, remove_small_objects
from ctkidney.morphology._label import _label


def _masks(rng, count=40):
    for _ in range(count):
        shape = tuple(rng.integers(1, 40, 2))
        yield rng.random(shape) < rng.uniform(0.1, 0.9)


@pytest.mark.parametrize("backend", ["auto", "numba"])
@pytest.mark.parametrize("connectivity", [1, 2])
def test_label_equals_scipy_including_numbering(rng, connectivity, backend):
    structure = ndi.generate_binary_structure(2, connectivity)
    for mask in _masks(rng, 150):
        labels, count = _label(mask, connectivity, backend)
        expected, expected_count = ndi.label(mask, structure)
        assert labels.dtype == np.int32
        assert isinstance(count, int) and count == expected_count
        np.testing.assert_array_equal(labels, expected)


@pytest.mark.parametrize("connectivity", [1, 2])
def test_label_numbering_on_large_masks(connectivity):
    # Large enough for OpenCV to label in parallel stripes.
    rng = np.random.default_rng(3)
    structure = ndi.generate_binary_structure(2, connectivity)
    for density in (0.3, 0.5, 0.6):
        mask = rng.random((600, 700)) < density
        labels, count = label(mask, connectivity=connectivity)
        expected, expected_count = ndi.label(mask, structure)
        assert count == expected_count
        np.testing.assert_array_equal(labels, expected)
        np.testing.assert_array_equal(_label(mask, connectivity, "numba")[0], expected)


def test_label_edge_cases():
    labels, count = label(np.zeros((4, 4), dtype=bool))
    assert count == 0 and not labels.any()
    labels, count = label(np.ones((3, 5), dtype=bool))
    assert count == 1 and (labels == 1).all()
    checker = np.indices((6, 6)).sum(axis=0) % 2 == 0
    assert label(checker)[1] == 18
    assert label(checker, connectivity=2)[1] == 1
    # A U shape joins late: both arms must get the same label.
    u = np.array([[1, 0, 1], [1, 0, 1], [1, 1, 1]], dtype=bool)
    assert label(u)[1] == 1


def test_label_accepts_zero_one_arrays():
    mask = np.array([[0, 1], [1, 0]], dtype=np.uint8)
    assert label(mask)[1] == 2
    assert label(mask.astype(float), connectivity=2)[1] == 1


def test_label_refuses_non_masks():
    with pytest.raises(ValueError, match="mask"):
        label(np.array([[0, 2], [1, 0]]))
    with pytest.raises(TypeError, match="mask"):
        label(np.array([["a"]]))
    with pytest.raises(ValueError, match="mask"):
        label(np.zeros((2, 2, 2, 2), dtype=bool))
    with pytest.raises(ValueError, match="mask"):
        label(np.zeros((0, 3), dtype=bool))
    with pytest.raises(ValueError, match="connectivity"):
        label(np.zeros((2, 2), dtype=bool), connectivity=3)
    with pytest.raises(TypeError, match="connectivity"):
        label(np.zeros((2, 2), dtype=bool), connectivity="4")


@pytest.mark.parametrize("connectivity", [1, 2])
def test_remove_small_objects_equals_skimage(rng, connectivity):
    for mask in _masks(rng, 25):
        min_size = int(rng.integers(0, 12))
        got = remove_small_objects(mask, min_size, connectivity=connectivity)
        # scikit-image 0.26: max_size removes sizes <= max_size.
        expected = skm.remove_small_objects(mask, max_size=min_size - 1,
                                            connectivity=connectivity)
        assert got.dtype == bool
        np.testing.assert_array_equal(got, expected)


def test_remove_small_objects_threshold_is_exclusive():
    mask = np.array([[1, 1, 0, 1]], dtype=bool)
    np.testing.assert_array_equal(remove_small_objects(mask, 2), [[1, 1, 0, 0]])
    np.testing.assert_array_equal(remove_small_objects(mask, 3), [[0, 0, 0, 0]])
    np.testing.assert_array_equal(remove_small_objects(mask, 0), mask)
    with pytest.raises(ValueError, match="min_size"):
        remove_small_objects(mask, -1)
    with pytest.raises(TypeError, match="min_size"):
        remove_small_objects(mask, 2.5)


def test_keep_largest(rng):
    for mask in _masks(rng, 25):
        for connectivity in (1, 2):
            got = keep_largest(mask, connectivity=connectivity)
            labels, count = ndi.label(mask, ndi.generate_binary_structure(2, connectivity))
            if count == 0:
                assert not got.any()
                continue
            sizes = np.bincount(labels.ravel())[1:]
            np.testing.assert_array_equal(got, labels == 1 + np.argmax(sizes))
    tie = np.array([[1, 0, 1]], dtype=bool)
    np.testing.assert_array_equal(keep_largest(tie), [[1, 0, 0]])
    with pytest.raises(ValueError, match="mask"):
        keep_largest(np.array([[3]]))
