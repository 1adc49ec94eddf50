import numpy as np
import pytest
from scipy import ndimage as ndi
from skimage.restoration import wiener

from ctkidney.restoration import (
    add_periodic_noise,
    band_reject,
    cls_deconvolve,
    find_periodic_peaks,
    notch_reject,
    remove_periodic_noise,
    wiener_deconvolve,
)


@pytest.fixture
def smooth(rng):
    y, x = np.mgrid[0:128, 0:128]
    bump = 30 * np.exp(-((x - 60) ** 2 + (y - 70) ** 2) / 800.0)
    return 100 + bump + rng.normal(0, 1, (128, 128))


@pytest.mark.parametrize("kind", ["ideal", "butterworth", "gaussian"])
def test_notch_reject_removes_an_on_grid_sinusoid(kind, smooth):
    noisy = add_periodic_noise(smooth, amplitude=15, frequencies=(0.125, 0.0625))
    out = notch_reject(noisy, [(0.125, 0.0625)], radius=0.02, kind=kind, order=4)
    assert np.sqrt(np.mean((out - smooth) ** 2)) < 1.5
    assert np.sqrt(np.mean((noisy - smooth) ** 2)) > 10


def test_notch_transfer_is_symmetric_product():
    from ctkidney.restoration._frequency import notch_transfer

    transfer = notch_transfer((32, 32), [(0.25, 0.125)], 0.05, "ideal")
    # Zero at the centre and its mirror, one elsewhere, and conjugate-symmetric.
    assert transfer[4, 8] == 0 and transfer[-4, -8] == 0
    assert transfer[0, 0] == 1
    np.testing.assert_array_equal(transfer, np.roll(transfer[::-1, ::-1], 1, axis=(0, 1)))


@pytest.mark.parametrize("kind", ["ideal", "butterworth", "gaussian"])
def test_band_reject_removes_a_ring(kind, smooth):
    noisy = add_periodic_noise(smooth, amplitude=10, frequencies=[(0.25, 0), (0, 0.25)])
    out = band_reject(noisy, 0.25, 0.05, kind=kind, order=4)
    assert np.sqrt(np.mean((out - smooth) ** 2)) < 1.5
    assert out.dtype == smooth.dtype


def test_frequency_filters_keep_integer_dtype(smooth):
    image = np.clip(smooth, 0, 255).astype(np.uint8)
    assert notch_reject(image, (0.1, 0.1)).dtype == np.uint8
    assert band_reject(image, 0.2, 0.05).dtype == np.uint8


def test_find_periodic_peaks(smooth):
    assert find_periodic_peaks(smooth) == []
    noisy = add_periodic_noise(smooth, amplitude=[20, 12], frequencies=[(0.1, 0.05),
                                                                         (-0.2, 0.3)])
    peaks = find_periodic_peaks(noisy)
    assert len(peaks) == 2
    for (fx, fy), truth in zip(peaks, [(0.1, 0.05), (-0.2, 0.3)]):
        # One of each symmetric pair, with fy > 0.
        assert fy > 0
        assert np.hypot(fx - truth[0], fy - truth[1]) < 2e-3
    assert find_periodic_peaks(np.zeros((4, 4))) == []


def test_remove_periodic_noise_methods(smooth):
    noisy = add_periodic_noise(smooth, amplitude=20, frequencies=(0.1, 0.05))
    rms = lambda a: np.sqrt(np.mean((a - smooth) ** 2))  # noqa: E731
    assert rms(noisy) > 14
    assert rms(remove_periodic_noise(noisy)) < 5
    assert rms(remove_periodic_noise(noisy, method="subtract")) < 2.5
    assert rms(remove_periodic_noise(noisy, method="subtract", peaks=[(0.1, 0.05)])) < 1.2
    np.testing.assert_array_equal(remove_periodic_noise(smooth), smooth)


def test_remove_periodic_noise_keeps_clipped_pixels():
    clean = np.zeros((96, 96), np.uint8)
    clean[20:76, 20:76] = 120
    noisy = add_periodic_noise(clean, amplitude=20, frequencies=(0.1, 0.05))
    out = remove_periodic_noise(noisy, method="subtract")
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(out[noisy == 0], 0)
    inner = slice(30, 66)
    assert np.abs(out[inner, inner].astype(int) - 120).mean() < 1.5


@pytest.mark.parametrize("shape", [(40, 30), (33, 64)])
def test_deconvolution_equals_scikit_image(shape, rng):
    image = rng.random(shape)
    psf = np.outer([1, 4, 6, 4, 1], [1, 2, 1]) / 64.0
    blurred = ndi.convolve(image, psf, mode="wrap")
    for balance in (1e-4, 1e-2, 0.5):
        np.testing.assert_allclose(cls_deconvolve(blurred, psf, gamma=balance),
                                   wiener(blurred, psf, balance, clip=False), atol=1e-10)
        np.testing.assert_allclose(wiener_deconvolve(blurred, psf, k=balance),
                                   wiener(blurred, psf, balance, reg=np.ones((1, 1)),
                                          clip=False), atol=1e-10)


def test_deconvolution_inverts_a_circular_blur(rng):
    image = rng.random((32, 32))
    psf = np.full((3, 3), 1 / 9)
    blurred = ndi.convolve(image, psf, mode="wrap")
    restored = wiener_deconvolve(blurred, psf, k=1e-9)
    assert np.abs(restored - image).max() < 0.05
    assert cls_deconvolve(np.ones((2, 2)), np.ones((1, 1)), gamma=0.5).shape == (2, 2)


def test_frequency_bad_input(smooth):
    with pytest.raises(ValueError, match="radius"):
        notch_reject(smooth, (0.1, 0.1), radius=0)
    with pytest.raises(ValueError, match="kind"):
        notch_reject(smooth, (0.1, 0.1), kind="box")
    with pytest.raises(ValueError, match="order"):
        band_reject(smooth, 0.2, 0.1, order=0)
    with pytest.raises(ValueError, match="width"):
        band_reject(smooth, 0.2, -0.1)
    with pytest.raises(ValueError, match="centers"):
        notch_reject(smooth, (0.8, 0.1))
    with pytest.raises(ValueError, match="method"):
        remove_periodic_noise(smooth, method="fit")
    with pytest.raises(ValueError, match="threshold"):
        find_periodic_peaks(smooth, threshold=0)
    with pytest.raises(ValueError, match="psf"):
        wiener_deconvolve(np.ones((4, 4)), np.ones((5, 5)))
    with pytest.raises(ValueError, match="k"):
        wiener_deconvolve(smooth, np.ones((3, 3)), k=-1)
    with pytest.raises(ValueError, match="gamma"):
        cls_deconvolve(smooth, np.ones((3, 3)), gamma=np.nan)
    with pytest.raises(ValueError, match="NaN"):
        cls_deconvolve(smooth, np.full((3, 3), np.nan))
