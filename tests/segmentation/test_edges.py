import cv2
import numpy as np
import pytest
from scipy import ndimage as ndi
from skimage import feature

from ctkidney.data import make_phantom
from ctkidney.segmentation import canny, edge_segment, prewitt, sobel


def _f1(a, b):
    total = a.sum() + b.sum()
    return 1.0 if total == 0 else 2.0 * (a & b).sum() / total


@pytest.mark.parametrize("func, ref", [(sobel, ndi.sobel), (prewitt, ndi.prewitt)])
@pytest.mark.parametrize("mode", ["reflect", "nearest", "mirror", "wrap", "constant"])
def test_gradients_match_scipy(blobs, func, ref, mode):
    image = blobs.astype(np.float64)
    for axis in (0, 1):
        np.testing.assert_allclose(func(image, axis=axis, mode=mode, cval=3.0),
                                   ref(image, axis=axis, mode=mode, cval=3.0))
    magnitude = np.hypot(ref(image, 0, mode=mode), ref(image, 1, mode=mode))
    np.testing.assert_allclose(func(image, mode=mode), magnitude)


def test_gradient_dtypes(blobs):
    assert sobel(blobs).dtype == np.float32
    assert prewitt(blobs.astype(np.float64)).dtype == np.float64
    np.testing.assert_allclose(sobel(blobs, axis=1, mode="mirror"),
                               cv2.Sobel(blobs.astype(np.float32), -1, 1, 0, ksize=3,
                                         borderType=cv2.BORDER_REFLECT_101))


@pytest.mark.parametrize("label", [0, 2, 3])
@pytest.mark.parametrize("sigma", [1.0, 2.0])
@pytest.mark.parametrize("mode", ["constant", "reflect", "nearest"])
def test_canny_f1_vs_skimage(label, sigma, mode):
    phantom = make_phantom(label, size=96, rng=label + 10)
    for image, low, high in ((phantom.image, 20, 50), (phantom.hu.astype(np.float64), 60, 150)):
        ours = canny(image, sigma=sigma, low=low, high=high, mode=mode)
        ref = feature.canny(image, sigma, low, high, mode=mode)
        assert ours.dtype == bool
        assert _f1(ours, ref) >= 0.95


def test_canny_default_thresholds_like_skimage():
    image = make_phantom("Cyst", size=96, rng=1).image
    assert _f1(canny(image), feature.canny(image)) >= 0.95


def test_canny_border_never_edge(blobs):
    edges = canny(blobs, sigma=0.5, low=1, high=2)
    assert not edges[0].any() and not edges[-1].any()
    assert not edges[:, 0].any() and not edges[:, -1].any()


def test_edge_segment_fills_square():
    image = np.zeros((30, 30), np.uint8)
    image[8:22, 8:22] = 200
    mask = edge_segment(image, sigma=1.0)
    truth = np.zeros(image.shape, bool)
    truth[8:22, 8:22] = True
    assert (mask & truth).sum() / (mask | truth).sum() > 0.85


def test_bad_input(blobs):
    with pytest.raises(ValueError, match="low must be"):
        canny(blobs, low=10, high=5)
    with pytest.raises(ValueError, match="sigma"):
        canny(blobs, sigma=-1)
    with pytest.raises(ValueError, match="axis"):
        sobel(blobs, axis=2)
    with pytest.raises(ValueError, match="mode"):
        prewitt(blobs, mode="edge")
    with pytest.raises(ValueError, match="closing"):
        edge_segment(blobs, closing=-1)
