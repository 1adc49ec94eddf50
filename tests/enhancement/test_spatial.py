"""Spatial filters against scipy.ndimage (every mode, every dtype) and scikit-image."""

import numpy as np
import pytest
import scipy.ndimage as ndi
from skimage.filters import unsharp_mask as sk_unsharp_mask

from ctkidney._shared.validation import response_dtype, saturate
from ctkidney.enhancement import (
    convolve,
    correlate,
    gaussian_filter,
    laplacian,
    mean_filter,
    sharpen_laplacian,
    unsharp_mask,
)

from .conftest import MODES, random_image

KERNELS = {
    "5x5": np.arange(25.0).reshape(5, 5) - 12.0,
    "3x4 even": np.array([[1.0, -2.0, 0.5, 3.0], [0.0, 1.0, 2.0, -1.0], [4.0, 0.0, 1.0, 1.0]]),
    "1x2": np.array([[1.0, -1.0]]),
    "2x1": np.array([[2.0], [-1.0]]),
    "1x1": np.array([[2.5]]),
}


def assert_response(ours, expected, image):
    assert ours.dtype == response_dtype(image.dtype)
    if ours.dtype == np.float64:
        np.testing.assert_allclose(ours, expected, rtol=1e-9, atol=1e-9 * np.abs(expected).max())
    else:
        np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-5 * np.abs(expected).max())


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(KERNELS))
def test_correlate_and_convolve_match_scipy_float64(mode, name):
    image = random_image(np.float64, (17, 22), seed=1)
    kernel = KERNELS[name]
    for ours, theirs in ((correlate, ndi.correlate), (convolve, ndi.convolve)):
        result = ours(image, kernel, mode=mode, cval=7.5)
        expected = theirs(image, kernel, mode=mode, cval=7.5)
        assert_response(result, expected, image)


@pytest.mark.parametrize("mode", MODES)
def test_correlate_and_convolve_every_dtype(mode, dtype):
    image = random_image(dtype, (19, 16), seed=2)
    kernel = KERNELS["3x4 even"]
    for ours, theirs in ((correlate, ndi.correlate), (convolve, ndi.convolve)):
        expected = theirs(image.astype(np.float64), kernel, mode=mode, cval=-3.0)
        assert_response(ours(image, kernel, mode=mode, cval=-3.0), expected, image)


@pytest.mark.parametrize("mode", MODES)
def test_kernel_larger_than_image(mode):
    image = random_image(np.float64, (4, 3), seed=3)
    kernel = np.arange(63.0).reshape(9, 7)
    for ours, theirs in ((correlate, ndi.correlate), (convolve, ndi.convolve)):
        expected = theirs(image, kernel, mode=mode, cval=1.0)
        assert_response(ours(image, kernel, mode=mode, cval=1.0), expected, image)


def test_convolve_flips_asymmetric_kernel():
    image = np.zeros((5, 5))
    image[2, 2] = 1.0
    kernel = np.arange(9.0).reshape(3, 3)
    np.testing.assert_array_equal(convolve(image, kernel)[1:4, 1:4], kernel)
    np.testing.assert_array_equal(correlate(image, kernel)[1:4, 1:4], kernel[::-1, ::-1])
    symmetric = np.array([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]])
    np.testing.assert_allclose(convolve(image, symmetric), correlate(image, symmetric))


def test_large_kernel_dft_path_float64():
    # cv2.filter2D switches to a DFT for large kernels: still within 1e-9.
    image = random_image(np.float64, (64, 70), seed=4)
    kernel = np.random.default_rng(0).normal(size=(15, 13))
    assert_response(correlate(image, kernel), ndi.correlate(image, kernel), image)


def assert_image(result, expected, dtype, rtol64=1e-9):
    """Image-to-image rule: same dtype; floats close to the float64 oracle,
    integers equal to the oracle rounded half to even and saturated."""
    assert result.dtype == dtype
    if dtype.kind == "f":
        rtol = rtol64 if dtype == np.float64 else 1e-5
        np.testing.assert_allclose(result, expected, rtol=rtol, atol=rtol * 3072)
    else:
        np.testing.assert_array_equal(result, saturate(expected, dtype))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("size", [1, 3, (5, 3), (3, 7)])
def test_mean_filter_matches_uniform_filter(mode, size, dtype):
    image = random_image(dtype, (21, 18), seed=5)
    result = mean_filter(image, size, mode=mode, cval=2.0)
    expected = ndi.uniform_filter(image.astype(np.float64), size, mode=mode, cval=2.0)
    assert_image(result, expected, dtype)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sigma", [0.7, 1.5, (2.0, 0.0), (0.5, 3.0)])
def test_gaussian_filter_matches_scipy(mode, sigma, dtype):
    image = random_image(dtype, (20, 25), seed=6)
    result = gaussian_filter(image, sigma, mode=mode, cval=-1.0)
    expected = ndi.gaussian_filter(image.astype(np.float64), sigma, mode=mode, cval=-1.0)
    assert_image(result, expected, dtype, rtol64=1e-6)


def test_gaussian_filter_truncate_and_zero_sigma():
    image = random_image(np.float64, (30, 30), seed=7)
    np.testing.assert_allclose(gaussian_filter(image, 2.0, truncate=1.5),
                               ndi.gaussian_filter(image, 2.0, truncate=1.5), rtol=1e-9)
    np.testing.assert_array_equal(gaussian_filter(image, 0), image)
    # A kernel wider than the image still follows scipy.
    small = image[:3, :5]
    np.testing.assert_allclose(gaussian_filter(small, 4.0, mode="mirror"),
                               ndi.gaussian_filter(small, 4.0, mode="mirror"), rtol=1e-9)


@pytest.mark.parametrize("mode", MODES)
def test_laplacian_matches_scipy(mode, dtype):
    image = random_image(dtype, (16, 13), seed=8)
    expected = ndi.laplace(image.astype(np.float64), mode=mode, cval=4.0)
    assert_response(laplacian(image, mode=mode, cval=4.0), expected, image)


@pytest.mark.parametrize("mode", MODES)
def test_sharpen_laplacian_is_image_minus_laplacian(mode, dtype):
    image = random_image(dtype, (16, 13), seed=9)
    f = image.astype(np.float64)
    expected = f - ndi.laplace(f, mode=mode, cval=4.0) / 3  # no .5 ties
    result = sharpen_laplacian(image, alpha=1 / 3, mode=mode, cval=4.0)
    assert_image(result, expected, dtype)


def test_sharpen_laplacian_alpha_zero_is_identity(dtype):
    image = random_image(dtype, (9, 9), seed=10)
    np.testing.assert_array_equal(sharpen_laplacian(image, alpha=0.0), image)


@pytest.mark.parametrize("mode", MODES)
def test_unsharp_mask_formula(mode, dtype):
    image = random_image(dtype, (18, 14), seed=11)
    f = image.astype(np.float64)
    expected = f + 1.5 * (f - ndi.gaussian_filter(f, 1.2, mode=mode, cval=3.0))
    result = unsharp_mask(image, sigma=1.2, amount=1.5, mode=mode, cval=3.0)
    assert_image(result, expected, dtype)


def test_unsharp_mask_matches_scikit_image():
    image = random_image(np.float64, (32, 32), seed=12)
    expected = sk_unsharp_mask(image, radius=2.0, amount=0.8, preserve_range=True)
    np.testing.assert_allclose(unsharp_mask(image, sigma=2.0, amount=0.8), expected,
                               rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("mode", ["reflect", "mirror", "constant"])
def test_filters_on_ct_sample(ct_sample, mode):
    f = ct_sample.astype(np.float64)
    np.testing.assert_array_equal(
        gaussian_filter(ct_sample, 1.3, mode=mode),
        saturate(ndi.gaussian_filter(f, 1.3, mode=mode), np.int16))
    np.testing.assert_allclose(convolve(f, KERNELS["5x5"], mode=mode),
                               ndi.convolve(f, KERNELS["5x5"], mode=mode), rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(laplacian(f, mode=mode), ndi.laplace(f, mode=mode), atol=1e-9)


def test_filters_on_phantom(phantom):
    image = phantom.image
    f = image.astype(np.float64)
    np.testing.assert_array_equal(mean_filter(image, 5),
                                  saturate(ndi.uniform_filter(f, 5), np.uint8))
    np.testing.assert_array_equal(gaussian_filter(image, 2.0),
                                  saturate(ndi.gaussian_filter(f, 2.0), np.uint8))
    hu = phantom.hu
    np.testing.assert_allclose(gaussian_filter(hu, 1.0), ndi.gaussian_filter(hu, 1.0),
                               rtol=1e-5, atol=1e-2)


def test_inputs_not_mutated():
    image = random_image(np.uint8, (12, 12), seed=13)
    kernel = np.ones((3, 3))
    before, kernel_before = image.copy(), kernel.copy()
    for func in (lambda: convolve(image, kernel),
                 lambda: correlate(image, kernel, mode="constant", cval=5),
                 lambda: mean_filter(image), lambda: gaussian_filter(image, 1.0),
                 lambda: laplacian(image), lambda: sharpen_laplacian(image),
                 lambda: unsharp_mask(image)):
        func()
        np.testing.assert_array_equal(image, before)
        np.testing.assert_array_equal(kernel, kernel_before)


def test_non_contiguous_input():
    image = random_image(np.float64, (20, 30), seed=14)[::2, ::3]
    assert_response(correlate(image, KERNELS["5x5"]), ndi.correlate(image, KERNELS["5x5"]), image)
    np.testing.assert_allclose(gaussian_filter(image.T, 1.0), ndi.gaussian_filter(image.T, 1.0),
                               rtol=1e-9)
