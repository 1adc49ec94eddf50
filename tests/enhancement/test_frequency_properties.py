"""Property tests: frequency-domain filters and point transforms."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ctkidney.enhancement import (
    gamma_correct,
    highpass,
    log_transform,
    lowpass,
    stretch_contrast,
    window,
)
from tests.strategies import images

KINDS = st.sampled_from(["gaussian", "ideal", "butterworth"])
CUTOFFS = st.floats(0.01, 0.5)


@settings(max_examples=40)
@given(images(dtype=np.float64), CUTOFFS, KINDS, st.floats(0.5, 6))
def test_lowpass_plus_highpass_is_identity(image, cutoff, kind, order):
    low = lowpass(image, cutoff, kind=kind, order=order)
    high = highpass(image, cutoff, kind=kind, order=order)
    scale = 1 + np.abs(image).max()
    np.testing.assert_allclose(low + high, image, atol=1e-9 * scale)
    assert abs(low.mean() - image.mean()) <= 1e-9 * scale


@settings(max_examples=40)
@given(images(), CUTOFFS, KINDS)
def test_frequency_dtype_rule(image, cutoff, kind):
    before = image.copy()
    assert lowpass(image, cutoff, kind=kind).dtype == image.dtype
    assert highpass(image, cutoff, kind=kind).dtype == (
        np.float64 if image.dtype == np.float64 else np.float32)
    np.testing.assert_array_equal(image, before)


@settings(max_examples=40)
@given(images(), st.floats(-1000, 3000), st.floats(1, 4000),
       st.sampled_from([np.uint8, np.uint16, np.float32, np.float64]))
def test_window_output_in_range(image, level, width, out_dtype):
    out = window(image, level=level, width=width, out_dtype=out_dtype)
    assert out.dtype == out_dtype and out.shape == image.shape
    high = 1 if np.dtype(out_dtype).kind == "f" else np.iinfo(out_dtype).max
    assert out.min() >= 0 and out.max() <= high


@settings(max_examples=40)
@given(images(), st.floats(0.1, 5))
def test_point_transforms_keep_dtype_and_stay_monotone(image, gamma):
    order = np.argsort(image, axis=None, kind="stable")
    for out in (gamma_correct(image, gamma), log_transform(image), stretch_contrast(image)):
        assert out.dtype == image.dtype
        assert np.all(np.diff(out.ravel()[order].astype(np.float64)) >= 0)
