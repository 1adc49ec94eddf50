import warnings

import numpy as np
import pytest
import skimage.morphology as skm

from ctkidney.morphology import (
    black_tophat,
    closing,
    dilation,
    disk,
    erosion,
    gradient,
    opening,
    square,
    white_tophat,
)
from ctkidney.morphology._footprints import normalize_footprint
from ctkidney.morphology._operators import _dilate, _erode

from . import naive
from .conftest import DTYPES, footprint_cases, random_image

FOOTPRINTS = footprint_cases()
DTYPE_NAMES = [np.dtype(d).name for d in DTYPES]


def _saturated(a, b):
    # a - b with the dtype rule (scikit-image wraps integers around instead).
    if a.dtype == bool:
        return a & ~b
    if a.dtype.kind == "f":
        return a - b
    info = np.iinfo(a.dtype)
    return np.clip(a.astype(np.int64) - b, info.min, info.max).astype(a.dtype)


OPERATORS = {
    "erosion": (erosion, skm.erosion),
    "dilation": (dilation, skm.dilation),
    "opening": (opening, skm.opening),
    "closing": (closing, skm.closing),
    "white_tophat": (white_tophat,
                     lambda x, **kw: _saturated(x, skm.opening(x, **kw))),
    "black_tophat": (black_tophat,
                     lambda x, **kw: _saturated(skm.closing(x, **kw), x)),
}


def _has_centre(fp):
    fp = normalize_footprint(fp)
    return bool(fp[fp.shape[0] // 2, fp.shape[1] // 2])



@pytest.mark.parametrize("fp_name", list(FOOTPRINTS))
@pytest.mark.parametrize("dtype", DTYPE_NAMES)
def test_operators_match_skimage(images, dtype, fp_name):
    image = images[dtype]
    fp = FOOTPRINTS[fp_name]
    ref_fp = normalize_footprint(None) if fp is None else fp
    for name, (ours, theirs) in OPERATORS.items():
        if "tophat" in name and not _has_centre(ref_fp):
            continue  # scikit-image wraps around there, we saturate
        got = ours(image, fp)
        expected = theirs(image, footprint=ref_fp, mode="ignore")
        assert got.dtype == image.dtype, name
        np.testing.assert_array_equal(got, expected, err_msg=name)


@pytest.mark.parametrize("fp_name", list(FOOTPRINTS))
@pytest.mark.parametrize("dtype", DTYPE_NAMES)
def test_numba_backend_matches_skimage(images, dtype, fp_name):
    # The public functions call OpenCV where it is exact; the Numba path covers
    # the rest and must match too.
    backend = "numba"
    image = images[dtype]
    fp = FOOTPRINTS[fp_name]
    ref_fp = normalize_footprint(None) if fp is None else fp
    nfp = normalize_footprint(fp)
    np.testing.assert_array_equal(_erode(image, nfp, backend),
                                  skm.erosion(image, ref_fp, mode="ignore"))
    np.testing.assert_array_equal(_dilate(image, nfp, backend),
                                  skm.dilation(image, ref_fp, mode="ignore"))


@pytest.mark.parametrize("shape", [(1, 1), (1, 17), (17, 1), (2, 3), (40, 3)])
@pytest.mark.parametrize("backend", ["numba", "opencv"])
@pytest.mark.parametrize("dtype", DTYPE_NAMES)
def test_tiny_images_with_large_footprints(rng, shape, backend, dtype):
    image = random_image(rng, dtype, shape)
    for fp in (square(15), disk(6), FOOTPRINTS["random14"], FOOTPRINTS["no_centre"]):
        nfp = normalize_footprint(fp)
        np.testing.assert_array_equal(_erode(image, nfp, backend),
                                      skm.erosion(image, fp, mode="ignore"))
        np.testing.assert_array_equal(_dilate(image, nfp, backend),
                                      skm.dilation(image, fp, mode="ignore"))


@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.float32, bool])
@pytest.mark.parametrize("fp_name", ["asym", "random5", "even4x6", "no_centre"])
def test_numba_kernels_match_naive_reference(rng, dtype, fp_name):
    image = random_image(rng, dtype, (9, 12))
    fp = normalize_footprint(FOOTPRINTS[fp_name])
    np.testing.assert_array_equal(_erode(image, fp, "numba"), naive.erosion(image, fp))
    np.testing.assert_array_equal(_dilate(image, fp, "numba"), naive.dilation(image, fp))


@pytest.mark.parametrize("fp_name", ["none", "square3", "disk4", "diamond3", "cross5",
                                     "line1x9", "square15"])
def test_bool_matches_skimage_binary_functions(images, fp_name):
    # For symmetric odd footprints scikit-image's binary_* and grey functions agree.
    warnings.simplefilter("ignore", FutureWarning)  # binary_* deprecated in 0.26
    mask = images["bool"]
    fp = normalize_footprint(FOOTPRINTS[fp_name])
    np.testing.assert_array_equal(erosion(mask, fp), skm.binary_erosion(mask, fp))
    np.testing.assert_array_equal(dilation(mask, fp), skm.binary_dilation(mask, fp))
    np.testing.assert_array_equal(opening(mask, fp), skm.binary_opening(mask, fp))
    np.testing.assert_array_equal(closing(mask, fp), skm.binary_closing(mask, fp))


def test_dilation_uses_the_footprint_as_given():
    # skimage.morphology.dilation and cv2.dilate: out[p] = max image[p + offset];
    # the textbook dilation (scipy, skimage binary_dilation) is the reflection.
    image = np.zeros((1, 5), dtype=np.uint8)
    image[0, 2] = 9
    right = np.array([[0, 0, 1]], dtype=bool)
    np.testing.assert_array_equal(dilation(image, right), [[0, 9, 0, 0, 0]])
    np.testing.assert_array_equal(erosion(image + 1, right), [[1, 10, 1, 1, 255]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        reflected = skm.binary_dilation(image.astype(bool), right)
    np.testing.assert_array_equal(dilation(image.astype(bool), right[:, ::-1]), reflected)


def test_even_footprint_centre_follows_skimage_grey_convention():
    image = np.zeros((4, 4), dtype=np.uint8)
    image[1, 1] = 5
    # 2x2 reaches offsets 0 and +1 (padded at the front).
    expected = np.zeros((4, 4), dtype=np.uint8)
    expected[0:2, 0:2] = 5
    np.testing.assert_array_equal(dilation(image, square(2)), expected)


@pytest.mark.parametrize("dtype", DTYPE_NAMES)
@pytest.mark.parametrize("fp_name", ["none", "disk4", "asym", "even4x6"])
def test_gradient_is_saturated_dilation_minus_erosion(images, dtype, fp_name):
    image = images[dtype]
    fp = FOOTPRINTS[fp_name]
    ref_fp = normalize_footprint(fp)
    dil = skm.dilation(image, ref_fp, mode="ignore")
    ero = skm.erosion(image, ref_fp, mode="ignore")
    if image.dtype == bool:
        expected = dil & ~ero
    elif image.dtype.kind == "f":
        expected = dil - ero
    else:
        info = np.iinfo(image.dtype)
        expected = np.clip(dil.astype(np.int64) - ero, info.min, info.max)
    got = gradient(image, fp)
    assert got.dtype == image.dtype
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16, np.float32, bool])
def test_tophats_equal_skimage_in_range(rng, dtype):
    # No saturation happens for a footprint with its centre and HU-range values.
    image = random_image(rng, dtype, (20, 20))
    if image.dtype == np.int16:
        image = np.clip(image, -1024, 3071)
    for fp in (None, disk(3), FOOTPRINTS["asym"]):
        ref_fp = normalize_footprint(fp)
        np.testing.assert_array_equal(white_tophat(image, fp),
                                      skm.white_tophat(image, ref_fp, mode="ignore"))
        np.testing.assert_array_equal(black_tophat(image, fp),
                                      skm.black_tophat(image, ref_fp, mode="ignore"))


def test_gradient_saturates_int16():
    image = np.array([[-30000, 30000]], dtype=np.int16)
    np.testing.assert_array_equal(gradient(image), [[32767, 32767]])


def test_tophats_saturate_without_centre():
    image = np.array([[0, 9, 0]], dtype=np.uint8)
    fp = np.array([[1, 0, 0]], dtype=bool)
    assert (white_tophat(image, fp) >= 0).all()
    assert white_tophat(image, fp).dtype == np.uint8


@pytest.mark.parametrize("func", [erosion, dilation, opening, closing, gradient,
                                  white_tophat, black_tophat])
def test_bad_input(func):
    image = np.zeros((5, 5), dtype=np.uint8)
    with pytest.raises(TypeError, match="image"):
        func(np.zeros((5, 5), dtype=np.int32))
    with pytest.raises(TypeError, match="image"):
        func("image")
    with pytest.raises(ValueError, match="image"):
        func(np.zeros((5, 5, 2, 2), dtype=np.uint8))
    with pytest.raises(ValueError, match="image"):
        func(np.zeros((0, 5), dtype=np.uint8))
    with pytest.raises(ValueError, match="image"):
        func(np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError, match="footprint"):
        func(image, np.zeros((0, 0), dtype=bool))
    with pytest.raises(ValueError, match="footprint"):
        func(image, np.zeros((3, 3), dtype=bool))
    with pytest.raises(ValueError, match="footprint"):
        func(image, np.ones((3, 3, 3), dtype=bool))
    with pytest.raises(TypeError, match="footprint"):
        func(image, np.full((3, 3), 2))
    with pytest.raises(TypeError, match="footprint"):
        func(image, "disk")


def test_footprint_accepts_zero_one_integers():
    image = np.arange(25, dtype=np.uint8).reshape(5, 5)
    np.testing.assert_array_equal(erosion(image, np.ones((3, 3), dtype=int)),
                                  erosion(image, square(3)))


@pytest.mark.parametrize("dtype", DTYPE_NAMES)
def test_non_contiguous_inputs(images, dtype):
    image = images[dtype]
    for view in (image[::2, ::-1], image.T):
        for func in (erosion, dilation, opening, closing, gradient):
            np.testing.assert_array_equal(func(view, disk(2)),
                                          func(np.ascontiguousarray(view), disk(2)))
        np.testing.assert_array_equal(_erode(view, normalize_footprint(disk(2)), "numba"),
                                      erosion(np.ascontiguousarray(view), disk(2)))
