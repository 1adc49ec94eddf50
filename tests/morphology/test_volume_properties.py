"""Properties of 3-D morphology: duality, ordering, idempotence, labelling."""

import numpy as np
import scipy.ndimage as ndi
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ctkidney.morphology import ball, closing, dilation, ellipsoid, erosion, label, opening

_volumes = arrays(np.int16, st.tuples(st.integers(1, 5), st.integers(1, 7), st.integers(1, 7)),
                  elements=st.integers(-1000, 1000))
_footprints = st.sampled_from([ball(1), ball(2), ellipsoid(2.0, (2.0, 1.0, 0.7)),
                               np.array([[[1, 0], [0, 1]], [[0, 1], [1, 1]]], bool)])


@given(_volumes, _footprints)
def test_duality_and_order(volume, footprint):
    eroded = erosion(volume, footprint)
    np.testing.assert_array_equal(eroded, -dilation(-volume, footprint))
    opened = opening(volume, footprint)
    closed = closing(volume, footprint)
    assert (opened <= volume).all() and (closed >= volume).all()
    np.testing.assert_array_equal(opening(opened, footprint), opened)


@given(arrays(bool, st.tuples(st.integers(1, 5), st.integers(1, 6), st.integers(1, 6))),
       st.sampled_from([1, 2, 3]))
def test_label_counts_like_scipy(mask, connectivity):
    labels, count = label(mask, connectivity=connectivity)
    assert count == ndi.label(mask, ndi.generate_binary_structure(3, connectivity))[1]
    assert ((labels > 0) == mask).all() and labels.max(initial=0) == count
