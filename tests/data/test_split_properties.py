import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ctkidney.data import split

cases = st.integers(4, 60).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 3), min_size=n, max_size=n),
    st.lists(st.integers(0, 12), min_size=n, max_size=n),
    st.floats(0.1, 0.9), st.integers(0, 1000)))


@settings(max_examples=50)
@given(cases)
def test_split_partitions_and_never_straddles(case):
    labels, groups, test_size, seed = case
    labels, groups = np.array(labels), np.array(groups)
    train, test = split(labels, test_size=test_size, rng=seed, groups=groups)
    assert np.array_equal(np.sort(np.concatenate([train, test])), np.arange(labels.size))
    assert set(groups[train]).isdisjoint(groups[test])


@settings(max_examples=50)
@given(st.lists(st.integers(1, 30), min_size=1, max_size=4), st.floats(0.1, 0.9),
       st.integers(0, 1000))
def test_split_stratified_without_groups(counts, test_size, seed):
    labels = np.repeat(np.arange(len(counts)), counts)
    train, test = split(labels, test_size=test_size, rng=seed)
    got = np.bincount(labels[test], minlength=len(counts))
    for cls, n in enumerate(counts):
        target = round(test_size * n)
        if n >= 2:
            target = min(max(target, 1), n - 1)  # one slice on each side
        assert got[cls] == target
