"""lowpass/highpass against the padded-FFT reference, and their invariants."""

import numpy as np
import pytest

from ctkidney._shared.validation import saturate
from ctkidney.enhancement import highpass, lowpass
from ctkidney.enhancement._frequency import _transfer

from . import naive
from .conftest import random_image

KINDS = ("gaussian", "ideal", "butterworth")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("cutoff", [0.03, 0.15, 0.5])
def test_matches_mirror_padded_fft(kind, cutoff):
    image = random_image(np.float64, (24, 31), seed=1)
    for high, func in ((False, lowpass), (True, highpass)):
        expected = naive.frequency_filter_padded(image, cutoff, kind, 3, high)
        np.testing.assert_allclose(func(image, cutoff, kind=kind, order=3), expected,
                                   rtol=1e-9, atol=1e-9 * np.abs(image).max())


@pytest.mark.parametrize("kind", KINDS)
def test_lowpass_plus_highpass_is_identity_and_mean_kept(kind, ct_sample):
    image = ct_sample.astype(np.float64)
    low = lowpass(image, 0.08, kind=kind)
    high = highpass(image, 0.08, kind=kind)
    np.testing.assert_allclose(low + high, image, atol=1e-9)
    assert low.mean() == pytest.approx(image.mean(), rel=1e-12)
    assert abs(high.mean()) < 1e-9


def test_dtype_rule(dtype):
    image = random_image(dtype, (16, 20), seed=2)
    low = lowpass(image, 0.2)
    assert low.dtype == dtype
    high = highpass(image, 0.2)
    assert high.dtype == (np.float64 if dtype == np.float64 else np.float32)
    expected = naive.frequency_filter_padded(image, 0.2, "gaussian", 2)
    if dtype.kind == "f":
        np.testing.assert_allclose(low, expected, rtol=1e-4, atol=1e-2)
    else:
        assert np.abs(low.astype(np.float64) - saturate(expected, dtype)).max() <= 1


def test_lowpass_smooths_phantom(phantom):
    image = phantom.image
    smooth = lowpass(image, 0.05, kind="butterworth", order=2)
    assert np.abs(np.diff(smooth.astype(float), axis=1)).mean() < \
        np.abs(np.diff(image.astype(float), axis=1)).mean()
    # Float images keep the mean (uint8 clips the ringing below 0, raising it).
    hu = phantom.hu
    assert lowpass(hu, 0.05).mean(dtype=np.float64) == pytest.approx(hu.mean(dtype=np.float64),
                                                                      rel=1e-5)


def test_ideal_cutoff_half_passes_every_frequency_along_an_axis():
    # Frequencies on the axes reach 0.5 at most; only the corners exceed it.
    image = np.tile(random_image(np.float64, (1, 12), seed=3), (10, 1))
    np.testing.assert_allclose(lowpass(image, 0.5, kind="ideal"), image, atol=1e-9)


def test_transfer_cached_and_read_only():
    _transfer.cache_clear()
    image = random_image(np.float32, (12, 12), seed=4)
    lowpass(image, 0.1)
    lowpass(image, 0.1)
    assert _transfer.cache_info().hits >= 1
    h = _transfer((12, 12), "gaussian", 0.1, 2.0, False, "<f4")
    assert not h.flags.writeable
    with pytest.raises(ValueError):
        h[0, 0] = 2


def test_not_mutated():
    image = random_image(np.uint16, (9, 9), seed=5)
    before = image.copy()
    lowpass(image, 0.1)
    highpass(image, 0.1)
    np.testing.assert_array_equal(image, before)
