"""clahe against OpenCV's CLAHE, and its Numba path against a slow reference."""

import cv2
import numpy as np
import pytest

from ctkidney.enhancement import clahe
from ctkidney.enhancement._clahe import clahe_levels

from . import naive


def opencv_clahe(image, clip_limit, grid):
    return cv2.createCLAHE(clipLimit=clip_limit, tileGridSize=(grid[1], grid[0])).apply(image)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
@pytest.mark.parametrize("grid", [(8, 8), (3, 5)])
def test_clahe_is_opencv_for_unsigned(dtype, grid, rng):
    image = rng.integers(0, 200 if dtype == np.uint8 else 4000, (64, 75)).astype(dtype)
    out = clahe(image, clip_limit=3.0, tile_grid=grid)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out, opencv_clahe(image, 3.0, grid))


@pytest.mark.parametrize("clip_limit", [0.0, 1.0, 2.0, 40.0])
@pytest.mark.parametrize("shape,grid", [((64, 64), (8, 8)), ((50, 37), (4, 3)), ((16, 21), (8, 8)),
                                        ((48, 30), (2, 5))])
def test_numba_path_within_one_grey_level_of_opencv(clip_limit, shape, grid, rng):
    # The Numba kernels on uint8 grey levels (maps rounded like OpenCV's uint8
    # tables) agree with cv2 to one grey level: OpenCV interpolates in float32.
    image = rng.normal(100, 30, shape).clip(0, 255).astype(np.uint8)
    ours = clahe_levels(image.astype(np.int32), 256, clip_limit, grid, rounded=True)
    theirs = opencv_clahe(image, clip_limit, grid).astype(np.float64)
    assert np.abs(np.rint(ours) - theirs).max() <= 1
    assert np.mean(np.rint(ours) == theirs) > 0.99


@pytest.mark.parametrize("clip_limit", [0.0, 2.5])
def test_numba_path_matches_slow_reference(clip_limit, rng):
    levels = rng.integers(0, 32, (20, 27)).astype(np.int32)
    ours = clahe_levels(levels, 32, clip_limit, (3, 4), rounded=False)
    np.testing.assert_allclose(ours, naive.clahe_opencv_float(levels, 32, clip_limit, (3, 4)),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_clahe_of_grey_levels_is_opencv_within_one(dtype, phantom):
    image = phantom.image
    assert image.min() == 0 and image.max() == 255
    out = clahe(image.astype(dtype), clip_limit=2.0, tile_grid=(8, 8), nbins=256)
    assert out.dtype == dtype
    assert np.abs(out - opencv_clahe(image, 2.0, (8, 8))).max() <= 1.0


def test_int16_and_float_hu_stay_in_range(ct_sample, phantom):
    out = clahe(ct_sample, clip_limit=2.0)
    assert out.dtype == np.int16
    assert out.min() >= ct_sample.min() and out.max() <= ct_sample.max()
    hu = phantom.hu
    out = clahe(hu, nbins=512)
    assert out.dtype == hu.dtype and out.min() >= hu.min() - 1e-3 and out.max() <= hu.max() + 1e-3
    # CLAHE raises local contrast: a larger spread inside the kidney.
    kidney = phantom.kidney_mask
    assert out[kidney].std() > hu[kidney].std()


def test_constant_images(rng):
    for dtype in (np.int16, np.float32):
        image = np.full((16, 16), 5, dtype)
        np.testing.assert_array_equal(clahe(image), image)


def test_clahe_does_not_mutate(phantom):
    image = phantom.hu.copy()
    clahe(image)
    np.testing.assert_array_equal(image, phantom.hu)


def test_int_tile_grid_and_small_images(rng):
    image = rng.integers(0, 256, (9, 10)).astype(np.uint8)
    np.testing.assert_array_equal(clahe(image, tile_grid=3), opencv_clahe(image, 2.0, (3, 3)))
    with pytest.raises(ValueError, match="tile_grid"):
        clahe(image, tile_grid=(10, 2))
