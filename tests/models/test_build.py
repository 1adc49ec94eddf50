import keras
import numpy as np
import pytest

from ctkidney.models import (
    build_cnn,
    build_head,
    build_mobilenet,
    build_vgg16,
    build_vgg19,
    unfreeze,
)

BUILDERS = {"vgg16": (build_vgg16, "VGG16"), "vgg19": (build_vgg19, "VGG19"),
            "mobilenet": (build_mobilenet, "MobileNetV2")}


def head_params(n_features, n_classes=4):
    # Dense(512) + BatchNorm(512: gamma, beta, mean, variance) + Dense(n_classes)
    return n_features * 512 + 512 + 4 * 512 + 512 * n_classes + n_classes


def test_cnn_is_the_seed_cnn():
    model = build_cnn()
    assert model.count_params() == 5_319_204
    assert [type(layer).__name__ for layer in model.layers[1:]] == [
        "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense"]
    assert model.output_shape == (None, 4)
    assert model.layers[-1].activation is keras.activations.softmax
    assert build_cnn((150, 150, 1), n_classes=2).count_params() == 5_319_204 - 576 - 258


@pytest.mark.parametrize("kind", sorted(BUILDERS))
@pytest.mark.parametrize("pooling", ["max", None])
def test_backbone_parameter_counts_match_keras_applications(kind, pooling):
    build, app = BUILDERS[kind]
    shape = (48, 48, 3)
    backbone = getattr(keras.applications, app)(include_top=False, weights=None,
                                                  input_shape=shape, pooling=pooling)
    n_features = int(np.prod(backbone.output_shape[1:]))
    model = build(shape, weights=None, pooling=pooling)
    assert model.count_params() == backbone.count_params() + head_params(n_features)
    assert model.name == f"ctkidney_{kind}"


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_frozen_backbone_has_no_trainable_weights(kind):
    build, _ = BUILDERS[kind]
    model = build((32, 32, 3))
    head = {"head_dense", "head_bn", "predictions"}
    trainable = {layer.name for layer in model.layers if layer.trainable_weights}
    assert trainable == head
    assert len(model.trainable_weights) == 6
    free = build((32, 32, 3), freeze=False)
    assert len(free.trainable_weights) > 6
    assert sum(int(np.prod(w.shape)) for w in free.trainable_weights) > \
        sum(int(np.prod(w.shape)) for w in free.non_trainable_weights)


def test_unfreeze_keeps_batchnorm_frozen_and_recompiles():
    model = build_mobilenet((32, 32, 3))
    unfreeze(model, 10)
    thawed = [layer for layer in model.layers[:-5] if layer.trainable_weights]
    assert thawed and all(not isinstance(layer, keras.layers.BatchNormalization)
                          for layer in thawed)
    assert model.compiled
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-5)
    unfreeze(model)
    n_conv = sum(isinstance(layer, (keras.layers.Conv2D, keras.layers.DepthwiseConv2D))
                 for layer in model.layers)
    assert sum(isinstance(layer, (keras.layers.Conv2D, keras.layers.DepthwiseConv2D))
               and layer.trainable for layer in model.layers) == n_conv
    unfreeze(model, 0)
    assert len(model.trainable_weights) == 6
    with pytest.raises(ValueError, match="n_layers"):
        unfreeze(model, 10_000)
    with pytest.raises(ValueError, match="backbone"):
        unfreeze(build_cnn((16, 16, 3)))


def test_weights_from_a_file(tmp_path):
    backbone = keras.applications.MobileNetV2(include_top=False, weights=None,
                                              input_shape=(32, 32, 3), pooling="max")
    path = tmp_path / "backbone.weights.h5"
    backbone.save_weights(path)
    model = build_mobilenet((32, 32, 3), weights=path, rng=7)
    compared = 0
    for layer in backbone.layers:
        if not layer.weights:
            continue
        for a, b in zip(model.get_layer(layer.name).get_weights(), layer.get_weights()):
            np.testing.assert_array_equal(a, b)
            compared += 1
    assert compared == len(backbone.weights)
    with pytest.raises(FileNotFoundError):
        build_vgg16((32, 32, 3), weights=tmp_path / "missing.h5")
    with pytest.raises(TypeError, match="weights"):
        build_vgg16((32, 32, 3), weights=3)


def test_same_rng_same_initial_weights():
    a = build_cnn((16, 16, 3), rng=4).get_weights()
    b = build_cnn((16, 16, 3), rng=4).get_weights()
    c = build_cnn((16, 16, 3), rng=5).get_weights()
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(a[0], c[0])


def test_head():
    head = build_head(1280, n_classes=3)
    assert head.input_shape == (None, 1280) and head.output_shape == (None, 3)
    assert head.count_params() == head_params(1280, 3)


@pytest.mark.parametrize("shape, error", [
    ((31, 64, 3), ValueError), ((64, 64, 1), ValueError), ((64, 64), TypeError),
    ("64x64", TypeError), ((64.0, 64, 3), TypeError)])
def test_bad_input_shape(shape, error):
    with pytest.raises(error, match="input_shape"):
        build_vgg19(shape)


def test_bad_options():
    with pytest.raises(ValueError, match="pooling"):
        build_vgg16((32, 32, 3), pooling="min")
    with pytest.raises(TypeError, match="freeze"):
        build_vgg16((32, 32, 3), freeze="yes")
    with pytest.raises(ValueError, match="n_classes"):
        build_cnn(n_classes=1)
    with pytest.raises(ValueError, match="input_shape"):
        build_cnn((8, 8, 3))
    with pytest.raises(ValueError, match="n_features"):
        build_head(0)
