import keras
import numpy as np
import pytest

from ctkidney.models import (
    build_cnn,
    build_mobilenet,
    build_vgg16,
    build_vgg19,
    grad_cam,
    load_model,
    predict,
    save_model,
    train,
)
from ctkidney.models._gradcam import _last_feature_map


@pytest.mark.parametrize("build, layer", [
    (lambda: build_cnn((32, 32, 3), rng=0), "conv2"),
    (lambda: build_vgg19((32, 32, 3), rng=0), "block5_conv4"),
    (lambda: build_mobilenet((32, 32, 3), rng=0), "out_relu")])
def test_grad_cam_shape_range_and_layer(build, layer, phantoms):
    model = build()
    assert _last_feature_map(keras, model).name == layer
    image = phantoms[0][0]
    for class_index in (None, 3):
        heat = grad_cam(model, image, class_index=class_index)
        assert heat.shape == image.shape and heat.dtype == np.float32
        assert heat.min() >= 0 and heat.max() <= 1


def test_grad_cam_finds_the_evidence():
    # A CNN taught that "bright square" means class 1 looks at the square.
    rng = np.random.default_rng(0)
    images = rng.integers(0, 40, (80, 32, 32), dtype=np.uint8)
    labels = np.arange(80) % 2
    corners = rng.integers(2, 22, (80, 2))
    for im, (r, c), y in zip(images, corners, labels):
        if y:
            im[r:r + 8, c:c + 8] = 255
    model = build_cnn((32, 32, 3), n_classes=2, rng=0)
    train(model, images, labels, epochs=4, batch_size=16, validation=None, augment=False,
          rng=0)
    test = rng.integers(0, 40, (32, 32), dtype=np.uint8)
    test[4:12, 18:26] = 255
    heat = grad_cam(model, test, class_index=1)
    assert heat[4:12, 18:26].mean() > 1.5 * heat.mean()
    assert heat[4:12, 18:26].mean() > heat[20:, :12].mean()


def test_grad_cam_prepared_input_and_bad_input():
    model = build_cnn((32, 32, 3))
    x = np.zeros((32, 32, 3), np.float32)
    assert grad_cam(model, x).shape == (32, 32)
    with pytest.raises(ValueError, match="class_index"):
        grad_cam(model, np.zeros((32, 32), np.uint8), class_index=4)
    with pytest.raises(ValueError, match="layer"):
        grad_cam(model, np.zeros((32, 32), np.uint8), layer="nope")
    with pytest.raises(ValueError, match="one slice"):
        grad_cam(model, np.zeros((2, 32, 32, 3), np.uint8))
    head = keras.Sequential([keras.Input((8,)), keras.layers.Dense(2, activation="softmax")])
    with pytest.raises(ValueError, match="feature map"):
        _last_feature_map(keras, head)


def test_save_load_round_trip(tmp_path, phantoms):
    images, labels = phantoms
    model = build_vgg16((32, 32, 3), rng=0)
    train(model, images, labels, epochs=1, batch_size=16, rng=0)
    path = save_model(model, tmp_path / "vgg16.keras")
    loaded = load_model(path)
    assert loaded.name == "ctkidney_vgg16"
    np.testing.assert_array_equal(predict(loaded, images), predict(model, images))
    assert len(loaded.trainable_weights) == 6
    # The optimizer state is restored too: training can go on where it stopped.
    assert int(loaded.optimizer.iterations) == int(model.optimizer.iterations) > 0


def test_safe_mode_refuses_code(tmp_path):
    inputs = keras.Input((4,))
    outputs = keras.layers.Lambda(lambda t: t * 2)(inputs)
    path = tmp_path / "lambda.keras"
    keras.Model(inputs, outputs).save(path)
    with pytest.raises(ValueError, match="safe_mode"):
        load_model(path)


def test_io_bad_paths(tmp_path):
    model = build_cnn((16, 16, 3))
    with pytest.raises(ValueError, match=".keras"):
        save_model(model, tmp_path / "model.h5")
    with pytest.raises(TypeError, match="path"):
        save_model(model, 3)
    with pytest.raises(FileNotFoundError):
        load_model(tmp_path / "missing.keras")
