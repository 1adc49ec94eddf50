"""accuracy_interval against a slow sample-by-sample cluster bootstrap, its
invariants (groups, not samples, set the width) and its errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score

from ctkidney.metrics import AccuracyInterval, accuracy_interval


def _reference(y_true, y_pred, groups, level, resamples, seed):
    """Each resample gathers the samples of its drawn groups, one group at a time."""
    y_true, y_pred, groups = map(np.asarray, (y_true, y_pred, groups))
    ids = np.unique(groups)
    draws = np.random.default_rng(seed).integers(0, len(ids), (resamples, len(ids)))
    accuracies = []
    for draw in draws:
        picked = np.concatenate([np.flatnonzero(groups == ids[i]) for i in draw])
        accuracies.append(np.mean(y_true[picked] == y_pred[picked]))
    tail = 50 * (1 - level)
    return np.percentile(accuracies, (tail, 100 - tail))


def _series(seed=3):
    rng = np.random.default_rng(seed)
    groups = np.repeat(np.arange(7), [1, 5, 2, 9, 3, 1, 4])
    y_true = rng.integers(0, 3, groups.size)
    y_pred = np.where(rng.random(groups.size) < 0.6, y_true, (y_true + 1) % 3)
    return y_true, y_pred, groups


@pytest.mark.parametrize("level", [0.95, 0.8, 0.5])
def test_matches_a_slow_cluster_bootstrap(level):
    y_true, y_pred, groups = _series()
    got = accuracy_interval(y_true, y_pred, groups=groups, level=level, resamples=400, rng=7)
    low, high = _reference(y_true, y_pred, groups, level, 400, 7)
    assert isinstance(got, AccuracyInterval) and got.n_groups == 7
    np.testing.assert_allclose((got.low, got.high), (low, high), rtol=0, atol=1e-12)
    assert got.accuracy == accuracy_score(y_true, y_pred)
    assert all(type(v) is float for v in got[:3]) and type(got.n_groups) is int


def test_without_groups_every_sample_is_its_own_group():
    y_true, y_pred, _ = _series()
    alone = accuracy_interval(y_true, y_pred, resamples=300, rng=1)
    assert alone == accuracy_interval(y_true, y_pred, groups=np.arange(y_true.size),
                                      resamples=300, rng=1)
    assert alone.n_groups == y_true.size


def test_groups_not_samples_set_the_width():
    y_true, y_pred, groups = _series()
    base = accuracy_interval(y_true, y_pred, groups=groups, rng=0)
    # Ten copies of every sample inside its own group: the same interval.
    copies = accuracy_interval(np.repeat(y_true, 10), np.repeat(y_pred, 10),
                               groups=np.repeat(groups, 10), rng=0)
    assert copies == base
    # The copies read as independent samples: far narrower.
    independent = accuracy_interval(np.repeat(y_true, 10), np.repeat(y_pred, 10), rng=0)
    assert independent.high - independent.low < 0.5 * (base.high - base.low)


def test_levels_nest_and_extremes_are_exact():
    y_true, y_pred, groups = _series()
    wide = accuracy_interval(y_true, y_pred, groups=groups, level=0.95, rng=2)
    narrow = accuracy_interval(y_true, y_pred, groups=groups, level=0.5, rng=2)
    assert wide.low <= narrow.low <= narrow.high <= wide.high
    assert accuracy_interval([1, 1, 2], [1, 1, 2], groups=[0, 0, 1], rng=0)[:3] == (1.0, 1.0, 1.0)
    assert accuracy_interval([1, 1], [2, 2], rng=0)[:3] == (0.0, 0.0, 0.0)
    # One group: every resample is that group.
    one = accuracy_interval([0, 1, 1, 0], [0, 1, 0, 0], groups=["a"] * 4, rng=0)
    assert one == (0.75, 0.75, 0.75, 1)


def test_strings_read_only_inputs_and_no_mutation():
    y_true = np.array(["Cyst", "Stone", "Cyst", "Tumor"])
    y_pred = np.array(["Cyst", "Cyst", "Cyst", "Tumor"])
    groups = np.array(["p1", "p1", "p2", "p3"])
    for a in (y_true, y_pred, groups):
        a.flags.writeable = False
    before = [a.copy() for a in (y_true, y_pred, groups)]
    r = accuracy_interval(y_true, y_pred, groups=groups, resamples=50, rng=0)
    assert r.accuracy == 0.75 and r.n_groups == 3
    for a, b in zip((y_true, y_pred, groups), before):
        np.testing.assert_array_equal(a, b)


def test_many_groups_are_drawn_in_chunks():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 2, 50_000)
    y_pred = np.where(rng.random(50_000) < 0.8, y_true, 1 - y_true)
    r = accuracy_interval(y_true, y_pred, resamples=200, rng=0)
    assert r.n_groups == 50_000 and r.low < r.accuracy < r.high
    assert r.high - r.low < 0.02  # 50,000 independent samples pin it down


@pytest.mark.parametrize("kwargs, error, match", [
    ({"y_pred": [0, 1]}, ValueError, "same length"),
    ({"groups": [0, 1]}, ValueError, "groups must have one id per sample"),
    ({"groups": [0.5, 1.0, 2.0]}, TypeError, "groups must hold integer or string"),
    ({"groups": [[0, 1, 2]]}, ValueError, "groups"),
    ({"y_true": [0.0, 1.0, 1.0]}, TypeError, "y_true"),
    ({"y_pred": ["a", "b", "c"]}, TypeError, "both hold ints or both strings"),
    ({"level": 1.0}, ValueError, "level"),
    ({"level": 0}, ValueError, "level"),
    ({"level": float("nan")}, ValueError, "level"),
    ({"resamples": 0}, ValueError, "resamples"),
    ({"resamples": 10**9}, ValueError, "resamples"),
    ({"resamples": 2.5}, TypeError, "resamples"),
    ({"rng": "seed"}, TypeError, "rng"),
])
def test_bad_input_names_the_argument(kwargs, error, match):
    args = {"y_true": [0, 1, 1], "y_pred": [0, 1, 0], "groups": None, "level": 0.95,
            "resamples": 10, "rng": 0}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        accuracy_interval(args.pop("y_true"), args.pop("y_pred"), **args)


def test_empty_labels_are_refused():
    with pytest.raises(ValueError, match="y_true"):
        accuracy_interval([], [])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 5)), min_size=1, max_size=40),
       st.integers(0, 2**32 - 1))
def test_interval_lies_in_the_unit_range_and_is_reproducible(samples, seed):
    correct = np.array([c for c, _ in samples])
    groups = np.array([g for _, g in samples])
    y_true = np.zeros(correct.size, int)
    y_pred = np.where(correct, 0, 1)
    r = accuracy_interval(y_true, y_pred, groups=groups, resamples=100, rng=seed)
    assert 0.0 <= r.low <= r.high <= 1.0
    assert r.n_groups == np.unique(groups).size
    assert r == accuracy_interval(y_true, y_pred, groups=groups, resamples=100, rng=seed)
    # Groups whose samples are all right or all wrong alike: no spread at all.
    if correct.all() or not correct.any():
        assert r.low == r.high == r.accuracy
