import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ctkidney.balancing import class_weights, oversample

dtypes = st.sampled_from([np.uint8, np.uint16, np.int16, np.float32, np.float64])


@settings(max_examples=25)
@given(dtype=dtypes, n_major=st.integers(4, 12), n_minor=st.integers(3, 6),
       method=st.sampled_from(["smote", "random"]), seed=st.integers(0, 2**16))
def test_shape_dtype_counts_and_range(dtype, n_major, n_minor, method, seed):
    rng = np.random.default_rng(seed)
    n = n_major + n_minor
    if np.dtype(dtype).kind == "f":
        images = rng.normal(size=(n, 3, 4)).astype(dtype)
    else:
        info = np.iinfo(dtype)
        images = rng.integers(info.min, info.max, size=(n, 3, 4), endpoint=True).astype(dtype)
    labels = np.array([0] * n_major + [1] * n_minor)
    before = images.copy()
    out, y = oversample(images, labels, method=method, k_neighbors=2, rng=seed)
    np.testing.assert_array_equal(images, before)
    assert out.dtype == images.dtype and out.shape == (len(y), 3, 4)
    counts = np.bincount(y, minlength=2)
    assert counts[0] == counts[1] == max(n_major, n_minor)
    np.testing.assert_array_equal(out[:n], images)
    # New images never leave the range spanned by their class.
    cls = images[labels == 1]
    new = out[n:][y[n:] == 1]
    if len(new):
        assert new.min() >= cls.min() and new.max() <= cls.max()


@settings(max_examples=25)
@given(st.lists(st.integers(0, 4), min_size=1, max_size=40))
def test_class_weights_equalise_totals(labels):
    weights = class_weights(labels)
    counts = {c: labels.count(c) for c in set(labels)}
    totals = [weights[c] * counts[c] for c in counts]
    np.testing.assert_allclose(totals, len(labels) / len(counts))
