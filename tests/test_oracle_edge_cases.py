"""The oracles on the inputs their own test suites use and ours missed: flat and
constant images, big-endian and Fortran-ordered arrays, float32 accumulation at
SciPy's tolerance, and the footprints scikit-image refuses."""

import numpy as np
import pytest
import scipy.ndimage as ndi
import skimage.feature
import skimage.morphology

from ctkidney.enhancement import gaussian_filter, mean_filter
from ctkidney.morphology import reconstruction
from ctkidney.restoration import median_filter
from ctkidney.segmentation import canny, distance_transform


# --- canny: a flat image has no edges (scikit-image's test_img_all_ones) -------------------
@pytest.mark.parametrize("image", [
    np.ones((10, 10)),
    np.ones((10, 10), np.float32),
    np.full((32, 32), -1000.0, np.float32),  # a flat HU map of air
    np.full((32, 32), -1000, np.int16),
    np.zeros((16, 16), np.uint8),
    np.full((16, 16), 255, np.uint8),
], ids=["ones", "ones-f32", "air-f32", "air-i16", "zeros-u8", "white-u8"])
@pytest.mark.parametrize("mode", ["constant", "reflect", "nearest"])
def test_canny_flat_image_has_no_edges(image, mode):
    assert not canny(image, mode=mode).any()
    if image.dtype.kind == "f" and mode == "constant":
        assert not skimage.feature.canny(image).any()


def test_canny_flat_image_with_explicit_zero_thresholds():
    assert not canny(np.ones((12, 12)), low=0.0, high=0.0).any()


# --- big-endian input: accepted and converted (scipy's test_byte_order_median) ------------
@pytest.mark.parametrize("dtype", [">f4", ">f8", ">i2", ">u2"])
def test_median_filter_big_endian_matches_scipy(rng, dtype):
    image = rng.integers(0, 1000, (20, 24)).astype(dtype)
    native = image.astype(np.dtype(dtype).newbyteorder("="))
    out = median_filter(image, 3)
    assert out.dtype == native.dtype and out.dtype.isnative
    np.testing.assert_array_equal(out, ndi.median_filter(native, 3, mode="reflect"))
    np.testing.assert_array_equal(out, median_filter(native, 3))


@pytest.mark.parametrize("dtype", [">f4", ">f8", ">i2"])
def test_gaussian_filter_big_endian_and_fortran_match_native(rng, dtype):
    native = (rng.random((18, 21)) * 500).astype(np.dtype(dtype).newbyteorder("="))
    expected = gaussian_filter(native, 1.5)
    np.testing.assert_array_equal(gaussian_filter(native.astype(dtype), 1.5), expected)
    np.testing.assert_array_equal(gaussian_filter(np.asfortranarray(native), 1.5), expected)
    wide = np.zeros((18, 42), native.dtype)
    wide[:, ::2] = native
    np.testing.assert_array_equal(gaussian_filter(wide[:, ::2], 1.5), expected)


def test_reconstruction_fortran_seed_gives_the_c_result(rng):
    mask = rng.integers(0, 100, (15, 17)).astype(np.uint8)
    seed = np.where(rng.random(mask.shape) < 0.1, mask, 0).astype(np.uint8)
    expected = skimage.morphology.reconstruction(seed, mask).astype(np.uint8)
    np.testing.assert_array_equal(reconstruction(np.asfortranarray(seed), mask), expected)
    np.testing.assert_array_equal(reconstruction(seed, np.asfortranarray(mask)), expected)


def test_read_only_inputs_are_accepted(rng):
    from ctkidney.morphology import skeletonize
    mask = rng.random((20, 20)) < 0.5
    mask.flags.writeable = False
    assert skeletonize(mask).shape == mask.shape
    image = rng.random((20, 20)).astype(np.float32)
    image.flags.writeable = False
    assert gaussian_filter(image, 1.0).flags.writeable


# --- float32: accumulate in float64 and round once, as SciPy ------------------------------
@pytest.mark.parametrize("mode", ["reflect", "constant", "nearest", "mirror", "wrap"])
@pytest.mark.parametrize("sigma", [0.7, 2.0, (1.0, 3.0)])
def test_gaussian_filter_float32_within_scipy_rounding(rng, mode, sigma):
    image = (rng.random((40, 37)) * 1000 - 300).astype(np.float32)
    out = gaussian_filter(image, sigma, mode=mode, cval=5.0)
    assert out.dtype == np.float32
    exact = ndi.gaussian_filter(image.astype(np.float64), sigma, mode=mode, cval=5.0)
    # One rounding of the float64 result: within one float32 ulp of it.
    np.testing.assert_array_max_ulp(out, exact.astype(np.float32), maxulp=1)
    # And within SciPy's own float32 result to its tolerance (test_gauss03).
    scipy32 = ndi.gaussian_filter(image, sigma, mode=mode, cval=5.0)
    np.testing.assert_allclose(out, scipy32, rtol=1e-6, atol=1e-4)


@pytest.mark.parametrize("mode", ["reflect", "constant", "nearest", "mirror", "wrap"])
@pytest.mark.parametrize("size", [3, 5, (3, 7)])
def test_mean_filter_float32_within_scipy_rounding(rng, mode, size):
    image = (rng.random((33, 40)) * 1000 - 300).astype(np.float32)
    out = mean_filter(image, size, mode=mode, cval=-2.0)
    assert out.dtype == np.float32
    exact = ndi.uniform_filter(image.astype(np.float64), size, mode=mode, cval=-2.0)
    np.testing.assert_array_max_ulp(out, exact.astype(np.float32), maxulp=1)


# --- footprints: even sides have no centre --------------------------------------------------
@pytest.mark.parametrize("shape", [(2, 2), (4, 3), (3, 4)])
def test_reconstruction_refuses_even_footprints_as_skimage(shape):
    seed = np.zeros((6, 6), np.uint8)
    mask = np.ones((6, 6), np.uint8)
    with pytest.raises(ValueError, match="footprint"):
        reconstruction(seed, mask, footprint=np.ones(shape, bool))
    with pytest.raises(ValueError):
        skimage.morphology.reconstruction(seed, mask, footprint=np.ones(shape, bool))


# --- no internal inf or NaN escapes ----------------------------------------------------------
@pytest.mark.parametrize("image", [np.zeros((2, 2), np.float32), np.zeros((48, 48), np.float32),
                                   np.full((48, 48), 40, np.int16)])
def test_segment_kidney_on_a_uniform_image_finds_nothing(image):
    from ctkidney.segmentation import segment_kidney
    mask = segment_kidney(image)
    assert mask.dtype == bool and not mask.any()


def test_distance_transform_sampling_is_bounded():
    mask = np.zeros((8, 8), bool)
    mask[2:6, 2:6] = True
    assert np.isfinite(distance_transform(mask, sampling=1e30)).all()
    with pytest.raises(ValueError, match="sampling"):
        distance_transform(mask, sampling=1e300)
    with pytest.raises(ValueError, match="sampling"):
        distance_transform(mask, sampling=(1.0, 5e-324))


# --- the defects of issue 15, one line each --------------------------------------------------
def _finite(result):
    return bool(np.isfinite(np.asarray(result, dtype=np.float64)).all())


def test_issue15_finite_results_from_extreme_finite_input(rng):
    from ctkidney.enhancement import (
        clahe,
        convolve,
        correlate,
        equalize_hist,
        highpass,
        laplacian,
        lowpass,
    )
    from ctkidney.metrics import entropy, psnr
    from ctkidney.restoration import band_reject, harmonic_mean
    image = rng.random((24, 24))
    near_max = ((rng.random((24, 24)) - 0.5) * 6e38).astype(np.float32)
    assert _finite(clahe(image * 1e-310, tile_grid=(2, 2)))
    assert _finite(lowpass(image, 1e-300)) and _finite(highpass(image, 1e-300))
    assert _finite(band_reject(image, 0.2, 0.05, order=1e-300))
    for cval in (1e300, -1e300):
        assert not np.isnan(convolve(image.astype(np.float32), np.ones((3, 3)),
                                     mode="constant", cval=cval)).any()
        assert not np.isnan(correlate(image, np.ones((3, 3)), mode="constant", cval=cval)).any()
        assert not np.isnan(laplacian(image, mode="constant", cval=cval)).any()
    assert _finite(distance_transform(image > 0.5, sampling=1e30))
    assert _finite(harmonic_mean(image * 1e-310, 3))
    assert not np.isnan(lowpass(near_max, 0.1)).any()
    assert not np.isnan(highpass(near_max, 0.1)).any()
    assert equalize_hist(near_max).dtype == np.float32
    assert _finite(entropy(near_max))
    assert _finite(psnr(image, image * 0.5, data_range=1e-300))


def test_issue15_errors_name_the_argument():
    from ctkidney.balancing import smote
    from ctkidney.data import make_dataset
    from ctkidney.enhancement import window
    from ctkidney.morphology import disk
    from ctkidney.parallel import parse_steps
    from ctkidney.restoration import add_periodic_noise
    x = np.random.default_rng(0).normal(size=(12, 3))
    y = np.array([0] * 8 + [1] * 4)
    with pytest.raises(TypeError, match="sampling_strategy"):
        smote(x, y, sampling_strategy=None)
    with pytest.raises(ValueError, match="sigma"):
        canny(np.ones((8, 8)), sigma=np.inf)
    with pytest.raises(ValueError, match="n_per_class=1000000000 would need"):
        make_dataset(10**9)
    with pytest.raises(ValueError, match="radius"):
        disk(10**9)
    with pytest.raises(TypeError, match="out_dtype"):
        window(np.zeros((4, 4), np.float32), level=0, width=10, out_dtype=None)
    with pytest.raises(TypeError, match="amplitude"):
        add_periodic_noise(np.zeros((8, 8)), amplitude=True, frequencies=[(0.1, 0.2)])
    with pytest.raises(ValueError, match="size"):
        parse_steps("median:size=")
    with pytest.raises(ValueError, match="clip_limit"):
        from ctkidney.enhancement import clahe
        clahe(np.zeros((8, 8), np.uint8), clip_limit=10**400)


def test_issue15_refined_peaks_stay_within_nyquist():
    from ctkidney.restoration._frequency import _wrap
    assert _wrap(-0.50003) == pytest.approx(0.49997)
    assert _wrap(0.5) == 0.5 and _wrap(-0.5) == -0.5 and _wrap(0.2) == 0.2


# --- a second fuzzing pass (stop 20): finite in, finite out; errors name the argument --------
def test_finite_results_from_extreme_finite_input_second_pass(rng):
    from ctkidney.data import resize
    from ctkidney.enhancement import gamma_correct
    from ctkidney.metrics import contrast_to_noise, hausdorff, ssim, surface_dice, volume_ml
    from ctkidney.restoration import adaptive_local_filter, add_uniform_noise, denoise
    from ctkidney.segmentation import prewitt, sobel
    near_max = ((rng.random((16, 16)) - 0.5) * 6.8e38).astype(np.float32)
    for gradient in (sobel, prewitt):
        for axis in (None, 0, 1):
            out = gradient(near_max, axis=axis)
            assert out.dtype == np.float32 and not np.isnan(out).any()
    # Interpolation never leaves the input's range.
    for size in (3, 5, 37):
        out = resize(near_max, size)
        assert out.dtype == np.float32 and _finite(out)
        assert near_max.min() <= out.min() and out.max() <= near_max.max()
    huge = rng.random((16, 16)) * 1e300
    assert _finite(denoise(huge, "poisson")) and _finite(denoise(huge))
    assert _finite(adaptive_local_filter(huge))
    # Scale-free scores keep their value at any scale.
    a = rng.random((7, 7))
    for scale in (1e-160, 1e-300, 1e160):
        assert ssim(a * scale, a * scale, data_range=scale) == 1.0
        assert ssim(a * scale, a * 0.9 * scale, data_range=scale) == pytest.approx(
            ssim(a, a * 0.9, data_range=1.0), rel=1e-9)
    noise = rng.normal(size=(16, 16))
    roi = np.zeros((16, 16), bool)
    roi[0, 0] = True
    for scale in (1e-200, 1e160, 1e300):
        assert contrast_to_noise(noise * scale, roi, ~roi) == pytest.approx(
            contrast_to_noise(noise, roi, ~roi), rel=1e-9)
    square = np.zeros((10, 10), bool)
    square[2:5, 2:5] = True
    moved = np.roll(square, 4, axis=1)
    assert hausdorff(square, moved, spacing=1e154) == pytest.approx(4e154)
    assert surface_dice(square, moved, tolerance=4e154, spacing=1e154) == 1.0
    cube = np.ones((2, 2, 2), bool)
    assert volume_ml(cube, (1e200, 1e200, 1e-300)) == pytest.approx(8e97)
    assert volume_ml(cube, (2.0, 1.0, 1.0)) == 0.016
    wide = add_uniform_noise(np.zeros((8, 8)), low=-1.7e308, high=1.7e308, rng=0)
    assert _finite(wide) and wide.min() < 0 < wide.max()
    # gamma_correct: a gain above 1 is not clipped for float images, as for int16.
    ramp = np.array([[-100, 0, 100]])
    assert gamma_correct(ramp.astype(np.int16), 1.0, gain=2).tolist() == [[-100, 100, 300]]
    assert gamma_correct(ramp.astype(np.float64), 1.0, gain=2).tolist() == [[-100, 100, 300]]


def test_errors_name_the_argument_second_pass():
    from ctkidney.balancing import smote
    from ctkidney.data import make_phantom
    from ctkidney.models import shortcut_baseline
    from ctkidney.segmentation import segment_kidney, sobel, threshold_multiotsu
    image = make_phantom(3, size=64, rng=0).image
    for spacing in (1e100, 1e-300):
        with pytest.raises(ValueError, match=r"spacing must be within"):
            segment_kidney(image, spacing=spacing)
    with pytest.raises(ValueError, match="spacing"):
        segment_kidney(image, spacing=(-1.0, -1.0))  # its geometric mean is positive
    from ctkidney.segmentation._recipes import _check_spacing
    for mm in (3.0, 0.703125, 0.977):  # square pixels exactly (sqrt(3) * sqrt(3) != 3)
        assert _check_spacing(mm) == mm and _check_spacing((mm, mm)) == mm
    with pytest.raises(ValueError, match="axis"):
        sobel(np.ones((4, 4)), axis=1.0)
    with pytest.raises(ValueError, match="classes=3 grey levels"):
        threshold_multiotsu(np.full((4, 4), 1e20))
    slices = np.random.default_rng(0).integers(0, 255, (16, 16, 16)).astype(np.uint8)
    with pytest.raises(ValueError, match="groups must hold at least 2 groups"):
        shortcut_baseline(slices, np.arange(16) % 4, groups=np.zeros(16, int), rng=0)
    with pytest.raises(ValueError, match="near-duplicates"):
        shortcut_baseline(np.zeros((16, 8, 8), np.uint8), np.arange(16) % 4, rng=0)
    x = np.random.default_rng(0).normal(size=(14, 3))
    y = np.array([0] * 10 + [1] * 4)
    for bad, error in (("abc", TypeError), (1.5, TypeError), (float("nan"), TypeError),
                       (-1, ValueError)):
        with pytest.raises(error, match="max_memory"):
            smote(x, y, k_neighbors=3, max_memory=bad)


def test_messages_show_what_was_passed_second_pass():
    from ctkidney.morphology import remove_small_objects
    from ctkidney.segmentation import region_grow, segment
    image = np.zeros((8, 8), np.uint8)
    with pytest.raises(ValueError, match="seeds must lie inside") as caught:
        region_grow(image, np.array([2**63, 0], np.uint64))
    assert "-9223372036854775808" not in str(caught.value)  # not wrapped by a cast
    assert "9223372036854775808" in str(caught.value)
    with pytest.raises(ValueError, match=r"got 9223372036854775808$"):
        remove_small_objects(image > 0, 2**63)
    with pytest.raises(TypeError, match=r"segment\(method='threshold'\) takes no "
                                        r"parameter 'bogus'; it takes \['value'\]"):
        segment(image, "threshold", bogus=1)


def test_no_overflow_warnings_and_scale_free_results_second_pass(rng):
    import warnings

    from ctkidney.enhancement import unsharp_mask
    from ctkidney.models import kidney_region, random_window
    from ctkidney.segmentation import threshold_otsu
    base = rng.normal(size=(40, 40))
    near_max = ((rng.random((32, 32)) - 0.5) * 6.8e38).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # Otsu's threshold scales with the image (scikit-image's overflows at 1e300
        # and underflows at 1e-200).
        for scale in (1e-200, 1e300):
            assert threshold_otsu(base * scale) == pytest.approx(
                threshold_otsu(base) * scale, rel=1e-9)
        sharpened = unsharp_mask(near_max, sigma=1.0, amount=1.0)
        assert sharpened.dtype == np.float32 and not np.isnan(sharpened).any()
        assert kidney_region(near_max) == kidney_region(near_max.astype(np.float64) / 1e36)
        assert random_window(rng.random((16, 16)) * 1e300, rng=0).dtype == np.float64


# --- a third fuzzing pass (stop 20): volumes, Dataset, the classifier --------------------------
@pytest.mark.parametrize("shape", [(3, 1, 1), (1, 5, 7), (6, 1, 4), (4, 5, 1), (1, 1, 1)])
@pytest.mark.parametrize("connectivity", [1, 2, 3])
def test_label_a_volume_one_voxel_thick_as_scipy(rng, shape, connectivity):
    from ctkidney.morphology import label
    for _ in range(10):
        mask = rng.random(shape) > 0.5
        labels, count = label(mask, connectivity=connectivity)  # cc3d failed at 26
        ref, ref_count = ndi.label(mask, ndi.generate_binary_structure(3, connectivity))
        assert count == ref_count and (labels == ref).all()


def test_dataset_indexing_and_labels_are_checked(monkeypatch):
    import ctkidney._shared.validation as validation
    from ctkidney.data import Dataset, make_dataset
    ds = make_dataset(1, size=32, rng=0)
    assert len(ds.subset([])) == 0  # an empty fold
    with pytest.raises(TypeError, match="indices"):
        ds.subset([1.0])
    for bad in (True, None, 1.0, slice(0, 2)):
        with pytest.raises(TypeError, match="index must be an integer"):
            ds.image(bad)
    with pytest.raises(IndexError, match="index 9 is out of range"):
        ds.image(9)
    assert ds.image(-1).shape == (32, 32)
    with pytest.raises(TypeError, match="labels must be integer"):
        Dataset([0.6, 1.7], images=np.zeros((2, 4, 4), np.uint8))  # was truncated to [0, 1]
    with pytest.raises(ValueError, match="labels must be 1-D"):
        Dataset([[0, 1], [1, 0]], images=np.zeros((4, 4, 4), np.uint8))
    many = Dataset([0] * 50, images=np.zeros((50, 8, 8), np.uint8))
    assert Dataset([], images=np.zeros((0, 4, 4), np.float32)).images(size=8).shape == (0, 8, 8)
    monkeypatch.setattr(validation, "MAX_BYTES", 10_000)
    with pytest.raises(ValueError, match="size=30 would need"):
        many.images(size=30)  # checked for the whole stack, not per slice


def test_tiny_scales_keep_their_answers_third_pass(rng):
    from ctkidney.data import group_near_duplicates
    from ctkidney.metrics import surface_dice
    truth = np.zeros((8, 8, 8), bool)
    truth[2:6, 2:6, 2:6] = True
    pred = np.zeros((8, 8, 8), bool)
    pred[2:6, 2:6, 3:7] = True
    exact = surface_dice(truth, pred, tolerance=0.0)
    assert exact == pytest.approx(0.6429, abs=1e-4)
    assert surface_dice(truth, pred, tolerance=0.0, spacing=1e-12) == exact  # was 1.0
    slices = rng.random((3, 20, 20))
    assert group_near_duplicates(slices * 1e-50).tolist() == [0, 1, 2]  # was [0, 0, 0]


def test_slice_classifier_refuses_float_and_mixed_labels():
    from ctkidney.models import SliceClassifier
    images = np.random.default_rng(0).integers(0, 255, (8, 16, 16)).astype(np.uint8)
    labels = np.arange(8) % 2
    with pytest.raises(TypeError, match="labels must be integer or string"):
        SliceClassifier().fit(images, np.where(labels == 0, np.nan, 1.0))  # NaN a class
    with pytest.raises(TypeError, match="labels must be integer or string"):
        SliceClassifier().fit(images, np.array([0, "a"] * 4, dtype=object))


def test_functions_that_take_volumes_say_so_for_4d_input():
    from ctkidney.restoration import max_filter, median_filter, min_filter
    from ctkidney.segmentation import distance_transform, watershed
    four = np.zeros((1, 4, 6, 5))
    for call in (lambda: median_filter(four), lambda: min_filter(four),
                 lambda: max_filter(four), lambda: distance_transform(four > 0),
                 lambda: watershed(four, np.zeros(four.shape, int))):
        with pytest.raises(ValueError, match="must be 2-D or 3-D"):
            call()
