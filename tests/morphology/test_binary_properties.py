import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ctkidney.morphology import (
    boundary,
    fill_holes,
    keep_largest,
    label,
    reconstruction,
    remove_small_objects,
)
from ctkidney.morphology._label import _label
from tests.strategies import images, masks


@settings(max_examples=40)
@given(mask=masks(max_side=20), connectivity=st.sampled_from([1, 2]))
def test_label_properties(mask, connectivity):
    before = mask.copy()
    labels, count = label(mask, connectivity=connectivity)
    np.testing.assert_array_equal(mask, before)
    assert labels.dtype == np.int32
    np.testing.assert_array_equal(labels > 0, mask)
    assert set(np.unique(labels)) - {0} == set(range(1, count + 1))
    np.testing.assert_array_equal(_label(mask, connectivity, "numba")[0], labels)


@settings(max_examples=40)
@given(mask=masks(max_side=20), min_size=st.integers(0, 10))
def test_size_filters_shrink_the_mask(mask, min_size):
    before = mask.copy()
    kept = remove_small_objects(mask, min_size)
    largest = keep_largest(mask)
    np.testing.assert_array_equal(mask, before)
    assert not (kept & ~mask).any() and not (largest & ~mask).any()
    assert label(largest)[1] == (1 if mask.any() else 0)
    np.testing.assert_array_equal(remove_small_objects(kept, min_size), kept)


@settings(max_examples=40)
@given(mask=masks(max_side=20))
def test_fill_holes_and_boundary(mask):
    before = mask.copy()
    filled = fill_holes(mask)
    np.testing.assert_array_equal(mask, before)
    assert not (mask & ~filled).any()
    np.testing.assert_array_equal(fill_holes(filled), filled)
    edge = boundary(mask)
    assert not (edge & ~mask).any()


@settings(max_examples=40)
@given(mask=images(max_side=16), data=st.data())
def test_reconstruction_between_seed_and_mask(mask, data):
    keep = data.draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(keep)
    seed = np.where(rng.random(mask.shape) < 0.2, mask, mask.min()).astype(mask.dtype)
    seed_before, mask_before = seed.copy(), mask.copy()
    out = reconstruction(seed, mask)
    np.testing.assert_array_equal(seed, seed_before)
    np.testing.assert_array_equal(mask, mask_before)
    assert out.dtype == mask.dtype
    assert (seed <= out).all() and (out <= mask).all()
    np.testing.assert_array_equal(reconstruction(out, mask), out)  # idempotent
