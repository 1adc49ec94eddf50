"""Hypothesis strategies shared by the property tests."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

IMAGE_DTYPES = (np.uint8, np.uint16, np.int16, np.float32, np.float64)

#: Value ranges drawn for each dtype (floats: HU-like, finite).
_ELEMENTS = {
    np.uint8: st.integers(0, 255),
    np.uint16: st.integers(0, 65535),
    np.int16: st.integers(-1024, 3071),
    np.float32: st.floats(-1024, 3071, width=32),
    np.float64: st.floats(-1024, 3071),
}


def shapes(min_side=1, max_side=24):
    return hnp.array_shapes(min_dims=2, max_dims=2, min_side=min_side, max_side=max_side)


def images(dtype=None, *, min_side=1, max_side=24):
    """2-D images of one of the supported dtypes (or the given one)."""
    dtypes = st.sampled_from(IMAGE_DTYPES) if dtype is None else st.just(dtype)
    return dtypes.flatmap(
        lambda dt: hnp.arrays(dt, shapes(min_side, max_side), elements=_ELEMENTS[dt])
    )


def masks(*, min_side=1, max_side=24):
    """2-D bool masks."""
    return hnp.arrays(bool, shapes(min_side, max_side), elements=st.booleans())


def odd_sizes(max_size=7):
    return st.integers(0, (max_size - 1) // 2).map(lambda k: 2 * k + 1)
