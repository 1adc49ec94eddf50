import cv2
import keras
import numpy as np
import pytest

from ctkidney.models import build_cnn, build_vgg19, prepare


@pytest.mark.parametrize("kind, module", [
    ("vgg16", keras.applications.vgg16), ("vgg19", keras.applications.vgg19),
    ("mobilenet", keras.applications.mobilenet_v2)])
def test_backbone_preprocessing_is_keras(kind, module, rng):
    images = rng.integers(0, 256, (3, 40, 50), dtype=np.uint8)
    before = images.copy()
    x = prepare(images, size=(32, 36), model=kind)
    resized = np.stack([cv2.resize(im.astype(np.float32), (36, 32),
                                   interpolation=cv2.INTER_AREA) for im in images])
    expected = module.preprocess_input(np.repeat(resized[..., None], 3, axis=-1))
    assert x.shape == (3, 32, 36, 3) and x.dtype == np.float32
    np.testing.assert_allclose(x, expected, rtol=1e-6, atol=1e-4)
    np.testing.assert_array_equal(images, before)


def test_cnn_scaling_enlarging_and_channels(rng):
    images = rng.integers(0, 256, (2, 20, 20, 3), dtype=np.uint8)
    x = prepare(images, size=30)
    expected = np.stack([cv2.resize(im.astype(np.float32), (30, 30),
                                    interpolation=cv2.INTER_LINEAR) for im in images]) / 255
    np.testing.assert_allclose(x, expected, rtol=1e-6, atol=1e-6)
    gray = prepare(images[..., :1], size=20)
    np.testing.assert_allclose(gray[..., 0], gray[..., 2])


def test_size_and_channels_from_the_model(rng):
    images = rng.integers(0, 256, (2, 50, 50), dtype=np.uint8)
    assert prepare(images, model=build_vgg19((48, 40, 3))).shape == (2, 48, 40, 3)
    assert prepare(images, model=build_cnn((24, 24, 1))).shape == (2, 24, 24, 1)
    assert prepare(images, model="cnn").shape == (2, 150, 150, 3)


def test_uint16_and_float_scales_agree(rng):
    images = rng.integers(0, 256, (2, 16, 16), dtype=np.uint8)
    a = prepare(images, size=16)
    b = prepare(images.astype(np.uint16) * 257, size=16)
    c = prepare(images.astype(np.float64), size=16)
    np.testing.assert_allclose(a, b, atol=1e-6)
    np.testing.assert_allclose(a, c, atol=1e-6)


def test_bad_input():
    with pytest.raises(TypeError, match="window"):
        prepare(np.zeros((2, 8, 8), np.int16))
    with pytest.raises(TypeError, match="dtype"):
        prepare(np.zeros((2, 8, 8), np.int64))
    with pytest.raises(ValueError, match=r"image\[None\]"):
        prepare(np.zeros((8, 8), np.uint8))
    with pytest.raises(ValueError, match="channels"):
        prepare(np.zeros((2, 8, 8, 2), np.uint8))
    bad = np.zeros((2, 8, 8), np.float32)
    bad[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        prepare(bad)
    with pytest.raises(ValueError, match="model"):
        prepare(np.zeros((2, 8, 8), np.uint8), model="resnet")
    with pytest.raises(ValueError, match="did not build"):
        prepare(np.zeros((2, 8, 8), np.uint8),
                model=keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Flatten()]))
    with pytest.raises(ValueError, match="size"):
        prepare(np.zeros((2, 8, 8), np.uint8), size=0)
    with pytest.raises(TypeError, match="size"):
        prepare(np.zeros((2, 8, 8), np.uint8), size=(8, 8, 8))
