"""iou, dice and mean_iou against scikit-learn and by hand, and bad input."""

import numpy as np
import pytest
from sklearn.metrics import f1_score, jaccard_score

from ctkidney.metrics import dice, iou, mean_iou


def _masks(seed, shape=(20, 30), p=0.3):
    rng = np.random.default_rng(seed)
    return rng.random(shape) < p, rng.random(shape) < p


@pytest.mark.parametrize("seed", range(5))
def test_iou_and_dice_match_sklearn(seed):
    truth, pred = _masks(seed, p=0.1 + 0.15 * seed)
    got_iou, got_dice = iou(truth, pred), dice(truth, pred)
    assert type(got_iou) is float and type(got_dice) is float
    assert got_iou == pytest.approx(jaccard_score(truth.ravel(), pred.ravel()), rel=1e-12)
    assert got_dice == pytest.approx(f1_score(truth.ravel(), pred.ravel()), rel=1e-12)


def test_iou_and_dice_by_hand():
    truth = np.zeros((4, 4), bool)
    truth[:2, :2] = True           # 4 pixels
    pred = np.zeros((4, 4), bool)
    pred[1:3, 1:3] = True          # 4 pixels, 1 shared
    assert iou(truth, pred) == pytest.approx(1 / 7)
    assert dice(truth, pred) == pytest.approx(2 / 8)


def test_empty_masks():
    empty = np.zeros((5, 5), bool)
    full = np.ones((5, 5), bool)
    assert iou(empty, empty) == 1.0 and dice(empty, empty) == 1.0
    assert iou(empty, full) == 0.0 and dice(full, empty) == 0.0


def test_zero_one_integer_and_float_masks_are_accepted():
    truth, pred = _masks(7)
    assert iou(truth.astype(np.uint8), pred.astype(float)) == iou(truth, pred)
    assert dice(truth.astype(np.int32), pred) == dice(truth, pred)


@pytest.mark.parametrize("seed", range(4))
def test_mean_iou_matches_sklearn_macro_jaccard(seed):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 4, (16, 18))
    pred = np.where(rng.random(truth.shape) < 0.7, truth, rng.integers(0, 5, truth.shape))
    present = np.union1d(truth, pred)
    expected = jaccard_score(truth.ravel(), pred.ravel(), labels=present, average="macro")
    assert mean_iou(truth, pred) == pytest.approx(expected, rel=1e-12)
    foreground = present[present > 0]
    assert mean_iou(truth, pred, labels=foreground) == pytest.approx(
        jaccard_score(truth.ravel(), pred.ravel(), labels=foreground, average="macro"),
        rel=1e-12)


def test_mean_iou_equals_mean_of_binary_ious():
    truth = np.array([[0, 0, 1, 1], [0, 0, 2, 2]], np.int32)
    pred = np.array([[0, 0, 1, 2], [0, 0, 2, 2]], np.uint8)  # dtypes may differ
    per_label = [iou(truth == k, pred == k) for k in (0, 1, 2)]
    assert mean_iou(truth, pred) == pytest.approx(np.mean(per_label))
    # A listed label present in neither image counts as a perfect 1.0.
    assert mean_iou(truth, pred, labels=[1, 7]) == pytest.approx((per_label[1] + 1.0) / 2)


def test_mean_iou_of_bool_and_negative_labels():
    truth = np.array([[True, False], [False, False]])
    assert mean_iou(truth, truth) == 1.0
    assert mean_iou(truth, ~truth, labels=[1]) == 0.0
    negative = np.array([[-1, 0], [3, 3]])
    assert mean_iou(negative, negative) == 1.0


BAD_MASKS = [
    (None, TypeError, "must be a boolean array"),
    ("mask", TypeError, "must be a boolean array"),
    (np.array([["a", "b"]]), TypeError, "must be a boolean mask"),
    (np.array([[0, 2], [1, 0]]), ValueError, r"must be a boolean mask \(only 0 and 1\)"),
    (np.array([[0.5, 1.0], [1.0, 0.0]]), ValueError, r"must be a boolean mask \(only 0 and 1\)"),
    (np.zeros(4, bool), ValueError, "must be 2-D or 3-D"),
    (np.zeros((2, 2, 1, 1), bool), ValueError, "must be 2-D or 3-D"),
    (np.zeros((0, 2), bool), ValueError, "must not be empty"),
]


@pytest.mark.parametrize("func", [iou, dice])
@pytest.mark.parametrize("bad, exc, match", BAD_MASKS)
def test_bad_masks_are_refused(func, bad, exc, match):
    good = np.zeros((2, 2), bool)
    with pytest.raises(exc, match="truth " + match):
        func(bad, good)
    with pytest.raises(exc, match="pred " + match):
        func(good, bad)


@pytest.mark.parametrize("func", [iou, dice])
def test_mask_shape_mismatch(func):
    with pytest.raises(ValueError, match="truth and pred must have the same shape"):
        func(np.zeros((2, 2), bool), np.zeros((2, 3), bool))


BAD_LABEL_IMAGES = [
    (None, TypeError, "must be an integer label image"),
    ("labels", TypeError, "must be an integer label image"),
    (np.zeros((2, 2)), TypeError,
     "must be an integer \\(or bool\\) label image, got dtype float64"),
    (np.zeros(4, int), ValueError, "must be 2-D"),
    (np.zeros((0, 3), int), ValueError, "must not be empty"),
]


@pytest.mark.parametrize("bad, exc, match", BAD_LABEL_IMAGES)
def test_bad_label_images(bad, exc, match):
    good = np.zeros((2, 2), int)
    with pytest.raises(exc, match="truth_labels " + match):
        mean_iou(bad, good)
    with pytest.raises(exc, match="pred_labels " + match):
        mean_iou(good, bad)


def test_label_image_shape_mismatch():
    with pytest.raises(ValueError, match="truth_labels and pred_labels must have the same"):
        mean_iou(np.zeros((2, 2), int), np.zeros((3, 2), int))


@pytest.mark.parametrize("labels, exc, match", [
    (3, TypeError, "labels must be a 1-D sequence"),
    ("12", TypeError, "labels must be a 1-D sequence"),
    ([[1, 2]], TypeError, "labels must be a 1-D sequence"),
    ([1.0, 2.0], TypeError, "labels must contain ints"),
    ([True], TypeError, "labels must contain ints"),
    ([], ValueError, "labels must not be empty"),
    ([1, 2, 1], ValueError, "labels must not repeat"),
])
def test_bad_labels(labels, exc, match):
    image = np.zeros((2, 2), int)
    with pytest.raises(exc, match=match):
        mean_iou(image, image, labels=labels)
