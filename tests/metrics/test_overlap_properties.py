"""Invariants of iou, dice and mean_iou: ranges, symmetry, identity, no mutation."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ctkidney.metrics import dice, iou, mean_iou
from tests.strategies import masks


@st.composite
def mask_pairs(draw):
    truth = draw(masks(max_side=16))
    pred = draw(hnp.arrays(bool, truth.shape, elements=st.booleans()))
    return truth, pred


@given(mask_pairs())
@settings(max_examples=50)
def test_iou_dice_range_symmetry_identity(pair):
    truth, pred = pair
    t0, p0 = truth.copy(), pred.copy()
    j, d = iou(truth, pred), dice(truth, pred)
    assert 0.0 <= j <= 1.0 and 0.0 <= d <= 1.0
    assert iou(pred, truth) == j and dice(pred, truth) == d
    assert iou(truth, truth) == 1.0 and dice(pred, pred) == 1.0
    # Dice and IoU are monotone transforms of each other: d = 2j / (1 + j).
    assert np.isclose(d, 2 * j / (1 + j), rtol=0, atol=1e-12)
    np.testing.assert_array_equal(truth, t0)
    np.testing.assert_array_equal(pred, p0)


@given(hnp.arrays(np.int32, hnp.array_shapes(min_dims=2, max_dims=2, max_side=12),
                  elements=st.integers(0, 4)), st.data())
@settings(max_examples=40)
def test_mean_iou_range_symmetry_identity(truth, data):
    pred = data.draw(hnp.arrays(np.int32, truth.shape, elements=st.integers(0, 4)))
    value = mean_iou(truth, pred)
    assert 0.0 <= value <= 1.0
    assert np.isclose(mean_iou(pred, truth), value, rtol=0, atol=1e-12)
    assert mean_iou(truth, truth) == 1.0
    # Renaming the labels consistently changes nothing.
    assert np.isclose(mean_iou(truth + 10, pred + 10), value, rtol=0, atol=1e-12)
