"""Property tests: histogram operations."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ctkidney.enhancement import clahe, equalize_hist, match_hist
from tests.strategies import images, masks


def _monotone(image, out):
    order = np.argsort(image, axis=None, kind="stable")
    return np.all(np.diff(out.ravel()[order].astype(np.float64)) >= 0)


@settings(max_examples=40)
@given(images(), st.integers(2, 300))
def test_equalize_is_monotone_keeps_dtype_and_input(image, nbins):
    before = image.copy()
    out = equalize_hist(image, nbins=nbins)
    assert out.dtype == image.dtype and out.shape == image.shape
    assert _monotone(image, out)
    if image.dtype.kind in "if":
        assert out.min() >= image.min() and out.max() <= image.max()
    np.testing.assert_array_equal(image, before)


@settings(max_examples=30)
@given(images(min_side=2, max_side=16), masks(min_side=2, max_side=16))
def test_equalize_with_mask_is_monotone(image, mask):
    mask = np.resize(mask, image.shape)
    mask.flat[0] = True
    out = equalize_hist(image, mask=mask)
    assert out.dtype == image.dtype and _monotone(image, out)


@settings(max_examples=40)
@given(images())
def test_match_hist_of_itself_is_identity(image):
    np.testing.assert_array_equal(match_hist(image, image), image)


@settings(max_examples=30)
@given(images(), images())
def test_match_hist_monotone_in_reference_range(image, reference):
    out = match_hist(image, reference)
    assert out.dtype == image.dtype and _monotone(image, out)
    if image.dtype.kind == "f":
        assert out.min() >= reference.min() - 1e-3 * (1 + abs(float(reference.min())))
        assert out.max() <= reference.max() + 1e-3 * (1 + abs(float(reference.max())))


@settings(max_examples=25)
@given(images(min_side=8, max_side=24), st.floats(0, 5), st.integers(1, 4))
def test_clahe_dtype_and_range(image, clip_limit, tiles):
    out = clahe(image, clip_limit=clip_limit, tile_grid=(tiles, tiles))
    assert out.dtype == image.dtype and out.shape == image.shape
    if image.dtype.kind in "if":
        assert out.min() >= image.min() and out.max() <= image.max()
