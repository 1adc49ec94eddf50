"""The one linear engine: scipy's Gaussian kernel, and the one Gaussian smoothing."""

import ast
from pathlib import Path

import numpy as np
import pytest
from scipy import ndimage as ndi
from scipy.ndimage import _filters

import ctkidney
from ctkidney._shared.linear import gaussian, gaussian_kernel1d

SRC = Path(ctkidney.__file__).parent


@pytest.mark.parametrize("sigma", [0.3, 0.5, 1.0, 1.5, 2.0, 3.7, 10.0])
@pytest.mark.parametrize("truncate", [3.5, 4.0, 1.0])
def test_gaussian_kernel_is_scipys_bit_for_bit(sigma, truncate):
    radius = int(truncate * sigma + 0.5)
    expected = _filters._gaussian_kernel1d(sigma, 0, radius)[::-1]
    np.testing.assert_array_equal(gaussian_kernel1d(sigma, truncate), expected)


def test_gaussian_kernel_of_zero_sigma_is_identity():
    assert gaussian_kernel1d(0.0, 4.0).tolist() == [1.0]
    assert gaussian_kernel1d(1e-300, 4.0).tolist() == [1.0]


@pytest.mark.parametrize("mode", ["reflect", "nearest", "mirror", "wrap", "constant"])
@pytest.mark.parametrize("sigma", [(1.0, 1.0), (2.0, 0.5), (0.0, 1.5)])
def test_gaussian_is_scipys(mode, sigma):
    image = np.random.default_rng(3).normal(size=(19, 23))
    out = gaussian(image, sigma, 4.0, mode, 1.5, np.dtype(np.float64))
    expected = ndi.gaussian_filter(image, sigma, mode=mode, cval=1.5)
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


def _gaussian_calls(path):
    """Calls that build or apply a Gaussian outside the one engine."""
    names = {"GaussianBlur", "getGaussianKernel", "gaussian_filter", "gaussian_filter1d"}
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in names and isinstance(node.func.value, ast.Name) \
                and node.func.value.id in {"cv2", "ndi", "ndimage", "scipy"}:
            found.append(node.lineno)
    return found


def test_smoothing_goes_through_the_one_gaussian():
    # The phantom generator's blurs model a scanner, not a filter the user calls,
    # and its images are pinned by PHANTOM_VERSION; orientation is owned elsewhere.
    exempt = {"data/_anatomy.py", "data/_patient.py", "data/_orientation.py"}
    calls = {str(p.relative_to(SRC)): lines for p in sorted(SRC.rglob("*.py"))
             if str(p.relative_to(SRC)) not in exempt and (lines := _gaussian_calls(p))}
    assert calls == {}


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16, np.float32, np.float64])
@pytest.mark.parametrize("mode", ["reflect", "nearest", "mirror", "wrap", "constant"])
def test_mean_filter_and_arithmetic_mean_are_one_filter(dtype, mode):
    from ctkidney.enhancement import mean_filter
    from ctkidney.restoration import arithmetic_mean

    rng = np.random.default_rng(1)
    image = (rng.random((17, 21)) * 300 - (100 if dtype in (np.int16, np.float32, np.float64)
                                           else 0)).astype(dtype)
    for size in (1, 3, (5, 3)):
        np.testing.assert_array_equal(arithmetic_mean(image, size, mode=mode, cval=2.0),
                                      mean_filter(image, size, mode=mode, cval=2.0))
    # The one difference: arithmetic_mean casts cval to the image's dtype first.
    cval = -3.7
    cast = float(np.clip(np.rint(cval), *((np.iinfo(dtype).min, np.iinfo(dtype).max)
                                          if np.dtype(dtype).kind in "ui" else (cval, cval))))
    cast = float(np.dtype(dtype).type(cast))
    np.testing.assert_array_equal(arithmetic_mean(image, 3, mode=mode, cval=cval),
                                  mean_filter(image, 3, mode=mode, cval=cast))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_box_mean_keeps_flat_regions_and_huge_values(dtype):
    from ctkidney.enhancement import mean_filter
    from ctkidney.restoration import arithmetic_mean

    # Integer-valued (and other exactly summed) flat regions keep their value exactly.
    flat = np.full((9, 8), 7.25, dtype)
    for func in (mean_filter, arithmetic_mean):
        np.testing.assert_array_equal(func(flat, 3), flat)
        np.testing.assert_array_equal(func(flat, (5, 7)), flat)
        np.testing.assert_array_equal(func(flat - 7.25 + 7, 3), flat - 7.25 + 7)
    huge = np.full((20, 20), np.finfo(dtype).max / 2, dtype)
    out = mean_filter(huge, 15)
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out, huge, rtol=1e-6)
