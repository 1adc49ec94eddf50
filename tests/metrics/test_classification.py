"""classification_summary against scikit-learn and a hand-computed specificity."""

import json
import warnings

import numpy as np
import pytest
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    confusion_matrix,
    multilabel_confusion_matrix,
    precision_recall_fscore_support,
)

from ctkidney.metrics import ClassificationSummary, classification_summary

CLASSES = ["Cyst", "Normal", "Stone", "Tumor"]


def _predictions(seed, n=200, n_classes=4, accuracy=0.7, never_predicted=None):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, n_classes, n)
    y_pred = np.where(rng.random(n) < accuracy, y_true, rng.integers(0, n_classes, n))
    if never_predicted is not None:
        y_pred[y_pred == never_predicted] = (never_predicted + 1) % n_classes
    return y_true, y_pred


def _hand_specificity(y_true, y_pred, label):
    negatives = y_true != label
    return float(np.mean(y_pred[negatives] != label)) if negatives.any() else 0.0


@pytest.mark.parametrize("seed, never_predicted", [(0, None), (1, None), (2, 3), (3, 0)])
def test_summary_matches_sklearn(seed, never_predicted):
    y_true, y_pred = _predictions(seed, never_predicted=never_predicted)
    labels = list(range(4))
    s = classification_summary(y_true, y_pred, class_names=CLASSES)
    p, r, f, support = precision_recall_fscore_support(y_true, y_pred, labels=labels,
                                                       zero_division=0)
    np.testing.assert_allclose(s.precision, p, rtol=1e-12)
    np.testing.assert_allclose(s.recall, r, rtol=1e-12)
    np.testing.assert_allclose(s.f1, f, rtol=1e-12)
    assert s.support == support.tolist()
    assert s.confusion_matrix == confusion_matrix(y_true, y_pred, labels=labels).tolist()
    assert s.accuracy == pytest.approx(accuracy_score(y_true, y_pred), rel=1e-12)
    assert s.balanced_accuracy == pytest.approx(balanced_accuracy_score(y_true, y_pred),
                                                rel=1e-12)
    for key, average in (("precision", p), ("recall", r), ("f1", f)):
        assert s.macro[key] == pytest.approx(average.mean(), rel=1e-12)
    mcm = multilabel_confusion_matrix(y_true, y_pred, labels=labels)
    tn, fp = mcm[:, 0, 0], mcm[:, 0, 1]
    np.testing.assert_allclose(s.specificity, tn / (tn + fp), rtol=1e-12)
    for k in labels:
        assert s.specificity[k] == pytest.approx(_hand_specificity(y_true, y_pred, k))
    assert s.sensitivity == s.recall
    assert s.n_samples == 200


def test_summary_by_hand():
    s = classification_summary([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0],
                               class_names=["Cyst", "Normal", "Stone"])
    assert s.confusion_matrix == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    assert s.precision == pytest.approx([0.5, 2 / 3, 1.0])
    assert s.recall == pytest.approx([0.5, 1.0, 0.5])
    assert s.specificity == pytest.approx([3 / 4, 3 / 4, 1.0])
    assert s.f1 == pytest.approx([0.5, 0.8, 2 / 3])
    assert s.accuracy == pytest.approx(4 / 6)


def test_absent_classes_get_zero_rows_without_warnings():
    # Class 3 never occurs, class 2 is never predicted: 0.0 where a ratio is 0 / 0.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = classification_summary([0, 1, 2, 0], [0, 1, 1, 0], class_names=CLASSES)
    assert s.support == [2, 1, 1, 0]
    assert s.precision[2] == 0.0 and s.recall[3] == 0.0 and s.f1[3] == 0.0
    assert s.specificity[3] == 1.0  # no false positives among the 4 negatives
    assert s.confusion_matrix[3] == [0, 0, 0, 0]
    assert s.balanced_accuracy == pytest.approx((1 + 1 + 0) / 3)
    only = classification_summary([1, 1], [1, 1])
    assert only.specificity == [0.0]  # no negatives at all: 0 / 0
    assert only.accuracy == 1.0 and only.precision == [1.0]


def test_labels_without_class_names_and_string_labels():
    s = classification_summary(np.array([5, 7, 7, 9]), [5, 7, 9, 9])
    assert s.labels == [5, 7, 9] and s.class_names == ["5", "7", "9"]
    assert all(type(v) is int for v in s.labels)
    named = classification_summary(["Stone", "Cyst", "Cyst"], ["Stone", "Cyst", "Tumor"],
                                   class_names=CLASSES)
    assert named.labels == CLASSES and named.support == [2, 0, 1, 0]
    assert named.confusion_matrix[0] == [1, 0, 0, 1]
    plain = classification_summary(["b", "a"], ["b", "b"])
    assert plain.class_names == ["a", "b"] and plain.confusion_matrix == [[0, 1], [0, 1]]
    flags = classification_summary([True, False, True], [True, True, True])
    assert flags.labels == [0, 1] and flags.accuracy == pytest.approx(2 / 3)


def test_to_dict_is_json_and_complete():
    y_true, y_pred = _predictions(4, n=50)
    s = classification_summary(y_true, y_pred, class_names=CLASSES)
    d = json.loads(json.dumps(s.to_dict()))
    assert d["class_names"] == CLASSES and d["n_samples"] == 50
    assert d["accuracy"] == s.accuracy and d["confusion_matrix"] == s.confusion_matrix
    assert d["per_class"]["Stone"] == {"precision": s.precision[2], "recall": s.recall[2],
                                       "specificity": s.specificity[2], "f1": s.f1[2],
                                       "support": s.support[2]}
    assert d["macro"] == s.macro and d["balanced_accuracy"] == s.balanced_accuracy
    assert isinstance(s, ClassificationSummary)
    assert all(type(v) is float for v in s.precision + s.recall + s.specificity + s.f1)


def test_table_lists_every_class_and_the_matrix():
    s = classification_summary([0, 1, 2, 3], [0, 1, 2, 2], class_names=CLASSES)
    text = str(s)
    assert text == s.table()
    lines = text.splitlines()
    assert lines[0].split() == ["precision", "recall", "specificity", "f1", "support"]
    assert lines[4].split() == ["Tumor", "0.000", "0.000", "1.000", "0.000", "1"]
    assert "confusion matrix (rows: true class, columns: predicted class)" in text
    assert lines[-1].split() == ["Tumor", "0", "0", "1", "0"]
    assert s.table(digits=1).splitlines()[1].split()[1] == "1.0"


@pytest.mark.parametrize("y_true, y_pred, kwargs, exc, match", [
    (None, [0], {}, TypeError, "y_true must be a 1-D sequence"),
    ([0], "0", {}, TypeError, "y_pred must be a 1-D sequence"),
    ([[0, 1]], [[0, 1]], {}, ValueError, "y_true must be 1-D"),
    ([], [], {}, ValueError, "y_true must not be empty"),
    ([0.0, 1.0], [0, 1], {}, TypeError, r"integer class indices or strings.*astype\(int\)"),
    ([0, 1], [object(), 1], {}, TypeError, "y_pred must hold integer class indices"),
    ([0, 1], [0, 1, 1], {}, ValueError, "same length, got 2 and 3"),
    ([0, 1], ["a", "b"], {}, TypeError, "both hold ints or both strings"),
    ([0, 1], [0, 1], {"class_names": "ab"}, TypeError, "class_names must be a sequence"),
    ([0, 1], [0, 1], {"class_names": [0, 1]}, TypeError, "non-empty sequence of str"),
    ([0, 1], [0, 1], {"class_names": []}, TypeError, "non-empty sequence of str"),
    ([0, 1], [0, 1], {"class_names": ["a", "a"]}, ValueError, "class_names must be unique"),
    ([0, 4], [0, 1], {"class_names": CLASSES}, ValueError,
     r"y_true holds labels that are not classes \(indices 0..3\): \[4\]"),
    ([0, 1], [-1, 1], {"class_names": CLASSES}, ValueError, "y_pred holds labels"),
    (["Cyst"], ["Kidney"], {"class_names": CLASSES}, ValueError,
     r"y_pred holds labels that are not classes \(one of"),
])
def test_bad_input(y_true, y_pred, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        classification_summary(y_true, y_pred, **kwargs)
