"""Every validation branch of the enhancement functions refuses bad input with a
clear error naming the argument."""

import numpy as np
import pytest

from ctkidney.enhancement import (
    clahe,
    convolve,
    correlate,
    equalize_hist,
    gamma_correct,
    gaussian_filter,
    highpass,
    laplacian,
    log_transform,
    lowpass,
    match_hist,
    mean_filter,
    sharpen_laplacian,
    stretch_contrast,
    unsharp_mask,
    window,
)

GOOD = np.arange(64, dtype=np.float64).reshape(8, 8)

#: One call per public function with the image as the only varying input.
IMAGE_CALLS = {
    "window": lambda im: window(im, level=40, width=400),
    "equalize_hist": equalize_hist,
    "match_hist": lambda im: match_hist(im, GOOD),
    "match_hist reference": lambda im: match_hist(GOOD, im),
    "clahe": lambda im: clahe(im, tile_grid=(2, 2)),
    "stretch_contrast": stretch_contrast,
    "gamma_correct": lambda im: gamma_correct(im, 0.5),
    "log_transform": log_transform,
    "convolve": lambda im: convolve(im, np.ones((3, 3))),
    "correlate": lambda im: correlate(im, np.ones((3, 3))),
    "mean_filter": mean_filter,
    "gaussian_filter": lambda im: gaussian_filter(im, 1.0),
    "laplacian": laplacian,
    "sharpen_laplacian": sharpen_laplacian,
    "unsharp_mask": unsharp_mask,
    "lowpass": lambda im: lowpass(im, 0.1),
    "highpass": lambda im: highpass(im, 0.1),
}

#: The functions that take volumes too (DESIGN: their docstrings say so).
VOLUME_CALLS = {"gaussian_filter", "window"}

BAD_IMAGES = {
    "nan": (np.where(GOOD > 10, GOOD, np.nan), ValueError, "NaN"),
    "inf": (np.where(GOOD > 10, GOOD, np.inf), ValueError, "NaN or inf"),
    "1-D": (np.arange(5.0), ValueError, "2-D"),
    "3-D": (np.zeros((2, 4, 4)), ValueError, "2-D"),
    "empty": (np.zeros((0, 4)), ValueError, "empty"),
    "complex": (GOOD.astype(complex), TypeError, "dtype"),
    "int64": (GOOD.astype(np.int64), TypeError, "dtype"),
    "bool": (GOOD > 3, TypeError, "dtype"),
    "string": ("image.png", TypeError, "NumPy array"),
}


@pytest.mark.parametrize("bad", sorted(BAD_IMAGES))
@pytest.mark.parametrize("func", sorted(IMAGE_CALLS))
def test_bad_images_refused(func, bad):
    image, error, message = BAD_IMAGES[bad]
    if bad == "3-D" and func in VOLUME_CALLS:
        image = np.zeros((2, 2, 4, 4))  # these take volumes: 4-D is the bad case
    with pytest.raises(error, match=message):
        IMAGE_CALLS[func](image)


@pytest.mark.parametrize("size,error", [(2, ValueError), (0, ValueError), (-3, ValueError),
                                        ((3, 4), ValueError), (3.0, TypeError),
                                        ((3, 3, 3), TypeError), ("3", TypeError)])
def test_mean_filter_size(size, error):
    with pytest.raises(error, match="size"):
        mean_filter(GOOD, size)


@pytest.mark.parametrize("call", [
    lambda: gaussian_filter(GOOD, -1.0),
    lambda: gaussian_filter(GOOD, (1.0, -0.5)),
    lambda: gaussian_filter(GOOD, np.inf),
    lambda: unsharp_mask(GOOD, sigma=-0.1),
])
def test_negative_sigma(call):
    with pytest.raises(ValueError, match="sigma"):
        call()


def test_sigma_type():
    with pytest.raises(TypeError, match="sigma"):
        gaussian_filter(GOOD, "wide")
    with pytest.raises(TypeError, match="sigma"):
        gaussian_filter(GOOD, (1.0, 2.0, 3.0))


@pytest.mark.parametrize("cutoff,error", [(0.0, ValueError), (-0.1, ValueError),
                                          (0.51, ValueError), (np.nan, ValueError),
                                          ("0.1", TypeError)])
@pytest.mark.parametrize("func", [lowpass, highpass])
def test_cutoff_outside_range(func, cutoff, error):
    with pytest.raises(error, match="cutoff"):
        func(GOOD, cutoff)


@pytest.mark.parametrize("func", [lowpass, highpass])
def test_kind_and_order(func):
    with pytest.raises(ValueError, match="kind"):
        func(GOOD, 0.1, kind="box")
    with pytest.raises(ValueError, match="order"):
        func(GOOD, 0.1, kind="butterworth", order=0)


@pytest.mark.parametrize("width", [0, -10, np.inf])
def test_window_width(width):
    with pytest.raises(ValueError, match="width"):
        window(GOOD, level=40, width=width)


def test_window_level_and_out_dtype():
    with pytest.raises(ValueError, match="level"):
        window(GOOD, level=np.inf, width=400)
    with pytest.raises(TypeError, match="out_dtype"):
        window(GOOD, level=40, width=400, out_dtype=np.int32)
    with pytest.raises(TypeError, match="out_dtype"):
        window(GOOD, level=40, width=400, out_dtype="not a dtype")


@pytest.mark.parametrize("kernel,error,message", [
    (np.ones(3), ValueError, "2-D"),
    (np.ones((3, 3, 1)), ValueError, "2-D"),
    (np.ones((0, 3)), ValueError, "empty"),
    (np.full((3, 3), np.nan), ValueError, "NaN"),
    (np.ones((3, 3), complex), TypeError, "real"),
    (np.ones((3, 3), bool), TypeError, "real"),
    (None, TypeError, "kernel"),
    ("box", TypeError, "kernel"),
])
@pytest.mark.parametrize("func", [convolve, correlate])
def test_bad_kernel(func, kernel, error, message):
    with pytest.raises(error, match=message):
        func(GOOD, kernel)


@pytest.mark.parametrize("func", [convolve, correlate, mean_filter, laplacian, sharpen_laplacian,
                                  unsharp_mask])
def test_bad_mode_and_cval(func):
    args = (np.ones((3, 3)),) if func in (convolve, correlate) else ()
    with pytest.raises(ValueError, match="mode"):
        func(GOOD, *args, mode="periodic")
    with pytest.raises(ValueError, match="cval"):
        func(GOOD, *args, mode="constant", cval=np.nan)
    with pytest.raises(TypeError, match="cval"):
        func(GOOD, *args, mode="constant", cval="zero")


def test_gaussian_truncate():
    with pytest.raises(ValueError, match="truncate"):
        gaussian_filter(GOOD, 1.0, truncate=0)


def test_sharpening_strengths():
    with pytest.raises(ValueError, match="alpha"):
        sharpen_laplacian(GOOD, alpha=-1)
    with pytest.raises(ValueError, match="amount"):
        unsharp_mask(GOOD, amount=-0.5)


def test_equalize_hist_mask_and_nbins():
    with pytest.raises(ValueError, match="mask"):
        equalize_hist(GOOD, mask=np.ones((4, 4), bool))
    with pytest.raises(ValueError, match="mask"):
        equalize_hist(GOOD, mask=np.zeros((8, 8), bool))
    with pytest.raises(TypeError, match="mask"):
        equalize_hist(GOOD, mask=np.full((8, 8), "yes"))
    with pytest.raises(ValueError, match="nbins"):
        equalize_hist(GOOD, nbins=1)
    with pytest.raises(TypeError, match="nbins"):
        equalize_hist(GOOD, nbins=2.5)


def test_clahe_parameters():
    with pytest.raises(ValueError, match="clip_limit"):
        clahe(GOOD, clip_limit=-1)
    with pytest.raises(ValueError, match="clip_limit"):
        clahe(GOOD, clip_limit=np.inf)
    with pytest.raises(ValueError, match="tile_grid"):
        clahe(GOOD, tile_grid=(0, 2))
    with pytest.raises(TypeError, match="tile_grid"):
        clahe(GOOD, tile_grid=(2, 2, 2))
    with pytest.raises(ValueError, match="tile_grid"):
        clahe(GOOD[:1], tile_grid=(1, 1))
    with pytest.raises(ValueError, match="nbins"):
        clahe(GOOD, nbins=1)


def test_point_transform_parameters():
    with pytest.raises(ValueError, match="gamma"):
        gamma_correct(GOOD, 0)
    with pytest.raises(ValueError, match="gamma"):
        gamma_correct(GOOD, np.inf)
    with pytest.raises(ValueError, match="gain"):
        gamma_correct(GOOD, 1.0, gain=-1)
    with pytest.raises(TypeError, match="in_range"):
        stretch_contrast(GOOD, in_range=(1, 2, 3))
    with pytest.raises(ValueError, match="in_range"):
        stretch_contrast(GOOD, in_range="dtype")
    with pytest.raises(ValueError, match="in_range"):
        stretch_contrast(GOOD, in_range=(98, 2))
    with pytest.raises(ValueError, match="in_range"):
        stretch_contrast(GOOD, in_range=(-5, 50))
    with pytest.raises(ValueError, match="out_range"):
        stretch_contrast(GOOD, out_range=(0, np.inf))


@pytest.mark.parametrize("call,name", [
    (lambda: sharpen_laplacian(GOOD, alpha=np.inf), "alpha"),
    (lambda: unsharp_mask(GOOD, amount=np.inf), "amount"),
    (lambda: gaussian_filter(GOOD, 1.0, truncate=np.inf), "truncate"),
    (lambda: gamma_correct(GOOD, 1.0, gain=np.inf), "gain"),
    (lambda: lowpass(GOOD, 0.1, order=np.inf), "order"),
])
def test_infinite_parameters(call, name):
    with pytest.raises(ValueError, match=name):
        call()
