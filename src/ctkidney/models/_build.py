"""The seed study's CNN, and keras.applications backbones with the seed's head."""

import numbers
import os
from pathlib import Path

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_choice, check_memory, check_scalar, rng_to_seed
from ctkidney.models._backend import import_keras, model_name
from ctkidney.models._prepare import check_model

__all__ = ["build_cnn", "build_head", "build_mobilenet", "build_vgg16", "build_vgg19",
           "unfreeze"]

_APPLICATIONS = {"vgg16": "VGG16", "vgg19": "VGG19", "mobilenet": "MobileNetV2"}
_POOLINGS = ("max", "avg")
HEAD_START = "head_flatten"


def _check_input_shape(input_shape, *, min_size, channels):
    if (not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3
            or not all(isinstance(v, numbers.Integral) and not isinstance(v, bool)
                       for v in input_shape)):
        raise TypeError(f"input_shape must be a (rows, cols, channels) tuple of ints, "
                        f"got {input_shape!r}")
    rows, cols, chans = (int(v) for v in input_shape)
    if rows < min_size or cols < min_size:
        raise ValueError(f"input_shape must be at least {min_size}x{min_size}, got {input_shape!r}")
    if chans not in channels:
        raise ValueError(f"input_shape must have {' or '.join(map(str, channels))} channels, "
                         f"got {input_shape!r}")
    # float32 activations of one image in a 64-channel first block.
    check_memory(4 * 64 * rows * cols, "input_shape", input_shape)
    return rows, cols, chans


def _check_classes(n_classes, n_inputs=512):
    """``n_classes`` (>= 2), with the float32 weights of a Dense layer from
    ``n_inputs`` features bounded by the machine's memory."""
    n_classes = check_scalar(n_classes, "n_classes", low=2, integer=True)
    return check_memory(4 * n_inputs * n_classes, "n_classes", n_classes)


def _check_weights(weights):
    if weights is None or weights == "imagenet":
        return weights
    if not isinstance(weights, (str, os.PathLike)):
        raise TypeError(f"weights must be None, 'imagenet' or a path, got {weights!r}")
    path = Path(weights)
    if not path.is_file():
        raise FileNotFoundError(f"weights file not found: {path}")
    return str(path)


def _seed_weights(keras, rng):
    # Keras draws initial weights from its global seed: set it from rng when given.
    if rng is not None:
        keras.utils.set_random_seed(rng_to_seed(rng))


def _head(keras, x, n_classes, *, flatten=True):
    # The seed's head: Flatten -> Dense(512, relu) -> BatchNorm -> Dropout(0.5) -> softmax.
    layers = keras.layers
    if flatten:
        x = layers.Flatten(name=HEAD_START)(x)
    x = layers.Dense(512, activation="relu", name="head_dense")(x)
    x = layers.BatchNormalization(name="head_bn")(x)
    x = layers.Dropout(0.5, name="head_dropout")(x)
    return layers.Dense(n_classes, activation="softmax", name="predictions")(x)


@fill_doc
def build_cnn(input_shape=(150, 150, 3), *, n_classes=4, rng=None):
    """The seed study's small CNN.

    Conv2D(32, 3x3, relu) -> MaxPool(2) -> Conv2D(32, 3x3, relu) -> MaxPool(2) ->
    Flatten -> Dense(128, relu) -> Dense(n_classes, softmax): 5,319,204 parameters
    at 150x150x3. Inputs are scaled to [0, 1] by :func:`prepare`.

    Parameters
    ----------
    input_shape : (int, int, int), optional
        ``(rows, cols, channels)``, at least 10x10, 1 or 3 channels. Default
        ``(150, 150, 3)``.
    n_classes : int, optional
        Number of classes. Default 4 (Cyst, Normal, Stone, Tumor).
    %(weights_rng)s

    Returns
    -------
    model : keras.Model
        Uncompiled; :func:`train` compiles it. Its name is ``"ctkidney_cnn"``.

    Raises
    ------
    ImportError
        Without TensorFlow (``pip install "ctkidney[models]"``).
    TypeError, ValueError
        For a bad ``input_shape`` or ``n_classes``.

    See Also
    --------
    build_vgg16 : VGG16 backbone with the same head.
    build_vgg19 : VGG19 backbone with the same head.
    build_mobilenet : MobileNetV2 backbone with the same head.

    Examples
    --------
    >>> from ctkidney.models import build_cnn
    >>> build_cnn().count_params()
    5319204
    """
    keras = import_keras()
    shape = _check_input_shape(input_shape, min_size=10, channels=(1, 3))
    n_classes = _check_classes(n_classes, 128)
    flat = 32 * (((shape[0] - 2) // 2 - 2) // 2) * (((shape[1] - 2) // 2 - 2) // 2)
    check_memory(4 * 128 * flat, "input_shape", input_shape)  # the Dense(128) weights
    _seed_weights(keras, rng)
    layers = keras.layers
    inputs = keras.Input(shape, name="image")
    x = layers.Conv2D(32, 3, activation="relu", name="conv1")(inputs)
    x = layers.MaxPooling2D(2, name="pool1")(x)
    x = layers.Conv2D(32, 3, activation="relu", name="conv2")(x)
    x = layers.MaxPooling2D(2, name="pool2")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(128, activation="relu", name="dense")(x)
    outputs = layers.Dense(n_classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name=model_name("cnn"))


def _build_transfer(kind, input_shape, n_classes, weights, freeze, pooling, rng):
    keras = import_keras()
    shape = _check_input_shape(input_shape, min_size=32, channels=(3,))
    n_classes = _check_classes(n_classes)
    weights = _check_weights(weights)
    if pooling is not None:
        check_choice(pooling, "pooling", _POOLINGS)
    if not isinstance(freeze, bool):
        raise TypeError(f"freeze must be True or False, got {freeze!r}")
    _seed_weights(keras, rng)
    application = getattr(keras.applications, _APPLICATIONS[kind])
    backbone = application(include_top=False, weights=weights, input_shape=shape,
                           pooling=pooling)
    outputs = _head(keras, backbone.output, n_classes)
    model = keras.Model(backbone.input, outputs, name=model_name(kind))
    for layer in backbone_layers(model):
        layer.trainable = not freeze
    return model


def _transfer_builder(kind, app, summary, note):
    """The public ``build_<kind>``: one signature and one docstring for the three
    Keras applications, which differ only in the backbone and the study's number."""

    def build(input_shape=(150, 150, 3), *, n_classes=4, weights=None, freeze=True,
              pooling="max", rng=None):
        return _build_transfer(kind, input_shape, n_classes, weights, freeze, pooling, rng)

    build.__name__ = build.__qualname__ = f"build_{kind}"
    build.__doc__ = f"{summary}\n\n    %(transfer_model)s\n    "
    return fill_doc(app=app, kind=kind, func=build.__name__, note=note)(build)


build_vgg16 = _transfer_builder(
    "vgg16", "VGG16", "VGG16 transfer-learning classifier.",
    "The dataset paper reports 98.20% accuracy for VGG16.")
build_vgg19 = _transfer_builder(
    "vgg19", "VGG19", 'VGG19 transfer-learning classifier (the seed study\'s "VGG").',
    "The seed study reports 93.1% validation accuracy.")
build_mobilenet = _transfer_builder(
    "mobilenet", "MobileNetV2", "MobileNetV2 transfer-learning classifier.",
    "The seed study reports 97.0% validation accuracy.")


@fill_doc
def build_head(n_features, *, n_classes=4, rng=None):
    """The seed's classification head alone, for backbone embeddings.

    Dense(512, relu) -> BatchNormalization -> Dropout(0.5) -> Dense(n_classes,
    softmax) on ``(n_features,)`` inputs: train it on the (possibly SMOTE-balanced)
    output of :func:`embed`.

    Parameters
    ----------
    n_features : int
        Length of an embedding (e.g. 512 for VGG with pooling, 1280 for
        MobileNetV2).
    n_classes : int, optional
        Number of classes. Default 4.
    %(weights_rng)s

    Returns
    -------
    model : keras.Model
        Uncompiled, named ``"ctkidney_head"``.

    Raises
    ------
    ImportError
        Without TensorFlow.
    TypeError, ValueError
        For a bad argument.

    See Also
    --------
    embed : Backbone features to train this head on.
    ctkidney.balancing.smote : SMOTE on a feature matrix, e.g. these embeddings.

    Examples
    --------
    >>> from ctkidney.models import build_head
    >>> build_head(512).count_params()
    266756
    """
    keras = import_keras()
    n_features = check_scalar(n_features, "n_features", low=1, integer=True)
    check_memory(4 * 512 * n_features, "n_features", n_features)
    n_classes = _check_classes(n_classes)
    _seed_weights(keras, rng)
    inputs = keras.Input((n_features,), name="embedding")
    return keras.Model(inputs, _head(keras, inputs, n_classes, flatten=False),
                       name="ctkidney_head")


def backbone_layers(model):
    """The layers of a transfer model before its head (input layer excluded)."""
    names = [layer.name for layer in model.layers]
    if HEAD_START not in names:
        raise ValueError(f"model {model.name!r} has no backbone (build it with build_vgg16, "
                         "build_vgg19 or build_mobilenet)")
    keras = import_keras()
    return [layer for layer in model.layers[: names.index(HEAD_START)]
            if not isinstance(layer, keras.layers.InputLayer)]


def unfreeze(model, n_layers=None, *, learning_rate=1e-5):
    """Make the last ``n_layers`` backbone layers trainable, for fine-tuning.

    BatchNormalization layers stay frozen (in inference mode), as Keras's
    transfer-learning guide advises, so that their statistics are not wrecked by
    small batches. The model is changed in place and recompiled with
    ``Adam(learning_rate)``, because Keras only sees a change of trainable weights
    at compile time.

    Parameters
    ----------
    model : keras.Model
        A model from :func:`build_vgg16`, :func:`build_vgg19` or
        :func:`build_mobilenet`.
    n_layers : int, optional
        How many layers to unfreeze, counted from the end of the backbone.
        Default: all of them.
    learning_rate : float, optional
        Learning rate of the new optimizer; small, so that fine-tuning does not
        destroy the pretrained features. Default 1e-5.

    Returns
    -------
    model : keras.Model
        The same model.

    Raises
    ------
    ImportError
        Without TensorFlow.
    ValueError
        For a model without a backbone or a bad ``n_layers``.

    Examples
    --------
    >>> from ctkidney.models import build_vgg16, unfreeze
    >>> model = build_vgg16((32, 32, 3))
    >>> len(unfreeze(model, 3).trainable_weights)  # block5_conv3 (+ 2 poolings) + head
    8
    """
    keras = import_keras()
    check_model(model)
    layers = backbone_layers(model)
    if n_layers is None:
        n_layers = len(layers)
    n_layers = check_scalar(n_layers, "n_layers", low=0, high=len(layers), integer=True)
    for k, layer in enumerate(layers):
        thaw = k >= len(layers) - n_layers
        layer.trainable = thaw and not isinstance(layer, keras.layers.BatchNormalization)
    learning_rate = check_scalar(learning_rate, "learning_rate", low=0, low_open=True)
    compile_model(model, learning_rate)
    return model


def compile_model(model, learning_rate):
    keras = import_keras()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
