"""Enhancement on volumes: gaussian_filter (3-D, sigma in mm) and window."""

import numpy as np
import pytest
from scipy import ndimage as ndi

from ctkidney.enhancement import gaussian_filter, window

MODES = ("reflect", "nearest", "mirror", "wrap", "constant")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sigma", [1.0, (0.5, 1.5, 0.0), (2.0, 0.0, 0.0)])
def test_gaussian_volume_matches_scipy(rng, mode, sigma):
    volume = (rng.normal(size=(7, 12, 13)) * 300).astype(np.float32)
    before = volume.copy()
    out = gaussian_filter(volume, sigma, mode=mode, cval=3.0)
    expected = ndi.gaussian_filter(volume.astype(np.float64), sigma, mode=mode, cval=3.0)
    assert out.dtype == np.float32 and out.shape == volume.shape
    # Accumulated in float64 and rounded once, as the 2-D path: scipy's float32.
    np.testing.assert_array_equal(out, expected.astype(np.float32))
    np.testing.assert_array_equal(volume, before)
    hu = volume.astype(np.int16)
    out = gaussian_filter(hu, sigma, mode=mode, cval=3.0)
    expected = np.rint(ndi.gaussian_filter(hu.astype(np.float64), sigma, mode=mode, cval=3.0))
    assert out.dtype == np.int16
    np.testing.assert_array_equal(out, expected.astype(np.int16))


def test_gaussian_sigma_in_mm_on_anisotropic_voxels(rng):
    volume = rng.normal(size=(9, 14, 15))
    out = gaussian_filter(volume, 2.0, spacing=(2.0, 0.5, 1.0))
    np.testing.assert_allclose(out, ndi.gaussian_filter(volume, (1.0, 4.0, 2.0)), atol=1e-12)
    image = rng.normal(size=(20, 21))
    np.testing.assert_allclose(gaussian_filter(image, 1.5, spacing=0.5),
                               ndi.gaussian_filter(image, 3.0), atol=1e-12)


def test_gaussian_volume_bad_input(rng):
    volume = rng.normal(size=(3, 4, 5))
    with pytest.raises(TypeError, match="sigma"):
        gaussian_filter(volume, (1.0, 1.0))
    with pytest.raises(ValueError, match="spacing"):
        gaussian_filter(volume, 1.0, spacing=(1, 1, 0))
    with pytest.raises(ValueError, match="image must be 2-D"):
        gaussian_filter(rng.normal(size=(2, 2, 2, 2)), 1.0)


def test_window_on_a_volume(rng):
    hu = rng.integers(-1200, 2000, (4, 6, 7)).astype(np.int16)
    out = window(hu, level=40, width=400)
    assert out.shape == hu.shape and out.dtype == np.uint8
    for z in range(hu.shape[0]):
        np.testing.assert_array_equal(out[z], window(hu[z], level=40, width=400))
    np.testing.assert_array_equal(window(hu, level=40, width=400, out_dtype=np.float32)[1],
                                  window(hu[1], level=40, width=400, out_dtype=np.float32))


def test_gaussian_volume_refuses_a_reach_beyond_memory(rng):
    volume = rng.random((4, 8, 8)).astype(np.float32)
    for kwargs in (dict(sigma=1e300), dict(sigma=1.0, truncate=1e300),
                   dict(sigma=1.0, spacing=(1e-300, 1.0, 1.0))):
        sigma = kwargs.pop("sigma")
        with pytest.raises(ValueError, match="sigma"):
            gaussian_filter(volume, sigma, **kwargs)
