"""Property tests: spatial filters keep the dtype rule and never mutate."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ctkidney._shared.validation import response_dtype
from ctkidney.enhancement import (
    convolve,
    correlate,
    gaussian_filter,
    laplacian,
    mean_filter,
    sharpen_laplacian,
    unsharp_mask,
)
from tests.strategies import images, odd_sizes

MODES = st.sampled_from(["reflect", "nearest", "mirror", "wrap", "constant"])
KERNELS = hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=5),
                     elements=st.floats(-4, 4))


@settings(max_examples=40)
@given(images(), KERNELS, MODES)
def test_convolve_is_correlate_with_flipped_odd_kernel(image, kernel, mode):
    before = image.copy()
    out = convolve(image, kernel, mode=mode)
    assert out.dtype == response_dtype(image.dtype) and out.shape == image.shape
    if all(s % 2 for s in kernel.shape):
        flipped = correlate(image, kernel[::-1, ::-1], mode=mode)
        np.testing.assert_allclose(out, flipped, rtol=1e-5, atol=1e-3)
    np.testing.assert_array_equal(image, before)


@settings(max_examples=40)
@given(images(), odd_sizes(), st.floats(0, 3), MODES)
def test_smoothing_keeps_dtype_and_range(image, size, sigma, mode):
    before = image.copy()
    cval = float(image.flat[0])  # a border value inside the image's range
    for out in (mean_filter(image, size, mode=mode, cval=cval),
                gaussian_filter(image, sigma, mode=mode, cval=cval)):
        assert out.dtype == image.dtype and out.shape == image.shape
        # A normalized non-negative kernel never leaves the image's range.
        tol = 1e-3 * (1 + np.abs(image.astype(np.float64)).max())
        assert out.min() >= image.min() - tol and out.max() <= image.max() + tol
    np.testing.assert_array_equal(image, before)


@settings(max_examples=40)
@given(images(), st.floats(0, 2), MODES)
def test_sharpening_dtype_rule(image, strength, mode):
    assert laplacian(image, mode=mode).dtype == response_dtype(image.dtype)
    assert sharpen_laplacian(image, alpha=strength, mode=mode).dtype == image.dtype
    assert unsharp_mask(image, amount=strength, mode=mode).dtype == image.dtype


@settings(max_examples=30)
@given(images(min_side=2))
def test_constant_image_has_zero_laplacian(image):
    flat = np.full_like(image, image.flat[0])
    np.testing.assert_allclose(laplacian(flat, mode="reflect"), 0, atol=1e-3)
