"""object_detection against a slow, obvious reference."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import ndimage

from ctkidney.metrics import ObjectDetection, object_detection


def _reference(truth, pred, tolerance):
    """Objects by scipy, distances pixel by pixel (chessboard)."""
    def objects(mask):
        labels, n = ndimage.label(mask, structure=np.ones((3, 3)))
        return [np.argwhere(labels == i) for i in range(1, n + 1)]

    def near(a, b):
        return any(np.abs(p - q).max() <= tolerance for p in a for q in b)

    t, p = objects(truth), objects(pred)
    tp = np.argwhere(pred)
    tt = np.argwhere(truth)
    recall = np.mean([near(o, tp) for o in t]) if t else 1.0
    precision = np.mean([near(o, tt) for o in p]) if p else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, len(t), len(p)


@given(arrays(bool, (12, 12), elements=st.booleans()),
       arrays(bool, (12, 12), elements=st.booleans()), st.integers(0, 3))
def test_matches_reference(truth, pred, tolerance):
    got = object_detection(truth, pred, tolerance=tolerance)
    assert got == pytest.approx(_reference(truth, pred, tolerance))


def test_sparse_masks_match_reference(rng):
    for _ in range(20):
        truth = rng.random((30, 30)) > 0.97
        pred = rng.random((30, 30)) > 0.97
        for tol in (0, 1, 2):
            assert object_detection(truth, pred, tolerance=tol) == pytest.approx(
                _reference(truth, pred, tol))


def test_empty_masks():
    empty = np.zeros((5, 5), bool)
    one = empty.copy()
    one[2, 2] = True
    assert object_detection(empty, empty) == (1.0, 1.0, 1.0, 0, 0)
    assert object_detection(one, empty) == (1.0, 0.0, 0.0, 1, 0)
    assert object_detection(empty, one) == (0.0, 1.0, 0.0, 0, 1)
    assert isinstance(object_detection(one, one), ObjectDetection)


def test_tolerance_and_inputs_unchanged():
    truth = np.zeros((10, 10), bool)
    truth[1, 1] = True
    pred = np.zeros((10, 10), bool)
    pred[1, 4] = True
    before = truth.copy(), pred.copy()
    assert object_detection(truth, pred, tolerance=2).f1 == 0.0
    assert object_detection(truth, pred, tolerance=3).f1 == 1.0
    np.testing.assert_array_equal(truth, before[0])
    np.testing.assert_array_equal(pred, before[1])


def test_bad_input():
    mask = np.zeros((4, 4), bool)
    with pytest.raises(ValueError, match="tolerance"):
        object_detection(mask, mask, tolerance=-1)
    with pytest.raises(TypeError, match="tolerance"):
        object_detection(mask, mask, tolerance=1.5)
    with pytest.raises(ValueError):
        object_detection(mask, np.zeros((3, 3), bool))
    with pytest.raises(TypeError, match="pred"):
        object_detection(mask, "x")


def test_tolerance_beyond_the_image_is_any_distance():
    truth = np.zeros((12, 12), bool)
    truth[1, 1] = True
    pred = np.zeros((12, 12), bool)
    pred[10, 10] = True
    expected = ObjectDetection(1.0, 1.0, 1.0, 1, 1)
    assert object_detection(truth, pred, tolerance=12) == expected
    assert object_detection(truth, pred, tolerance=10**9) == expected
    assert object_detection(truth, pred, tolerance=10**400) == expected
    assert object_detection(truth, pred, tolerance=8).f1 == 0.0
