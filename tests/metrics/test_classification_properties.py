"""Invariants of classification_summary: ranges, counts, order independence."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ctkidney.metrics import classification_summary


@st.composite
def label_pairs(draw):
    n = draw(st.integers(1, 40))
    k = draw(st.integers(1, 5))
    ints = st.lists(st.integers(0, k - 1), min_size=n, max_size=n)
    return np.array(draw(ints)), np.array(draw(ints)), k


@given(label_pairs(), st.randoms(use_true_random=False))
@settings(max_examples=50)
def test_summary_invariants(pair, random):
    y_true, y_pred, k = pair
    names = [f"c{i}" for i in range(k)]
    t0, p0 = y_true.copy(), y_pred.copy()
    s = classification_summary(y_true, y_pred, class_names=names)
    matrix = np.array(s.confusion_matrix)
    assert matrix.shape == (k, k) and matrix.sum() == y_true.size
    assert matrix.sum(axis=1).tolist() == s.support
    assert 0.0 <= s.accuracy <= 1.0
    for values in (s.precision, s.recall, s.specificity, s.f1):
        assert len(values) == k and all(0.0 <= v <= 1.0 for v in values)
    assert np.isclose(s.accuracy, np.trace(matrix) / y_true.size)
    order = list(range(y_true.size))
    random.shuffle(order)
    assert classification_summary(y_true[order], y_pred[order], class_names=names) == s
    perfect = classification_summary(y_true, y_true, class_names=names)
    assert perfect.accuracy == 1.0
    assert all(r == 1.0 for r, n in zip(perfect.recall, perfect.support) if n)
    np.testing.assert_array_equal(y_true, t0)
    np.testing.assert_array_equal(y_pred, p0)
