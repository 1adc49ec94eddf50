"""Training, prediction, evaluation and embeddings."""

import math
import numbers

import numpy as np

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_rng, check_scalar
from ctkidney.models._backend import import_keras, import_tf, quiet_retracing
from ctkidney.models._build import HEAD_START, compile_model
from ctkidney.models._prepare import model_inputs

__all__ = ["embed", "evaluate", "predict", "train"]

#: The seed's augmentation (Keras ImageDataGenerator-like): rotation in degrees,
#: translation and zoom as fractions of the image size.
AUGMENTATION = {"rotation": 15.0, "shift": 0.1, "zoom": 0.1}


def _check_labels(model, labels, n, name="labels"):
    n_classes = model.output_shape[-1]
    y = np.asarray(labels)
    if y.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integer class indices, got dtype {y.dtype}")
    if y.ndim != 1 or len(y) != n:
        raise ValueError(f"{name} must be 1-D with one label per image ({n}), got shape {y.shape}")
    if y.min() < 0 or y.max() >= n_classes:
        raise ValueError(f"{name} must lie in [0, {n_classes - 1}] for this model, "
                         f"got {y.min()}..{y.max()}")
    return y.astype(np.int32)


def _augment(tf, images, seed, step):
    """One random affine map per image (rotation, zoom, shift about the centre),
    drawn statelessly from ``(seed, step)`` so that runs repeat exactly."""
    r = tf.random.stateless_uniform(tf.stack([tf.shape(images)[0], 4]),
                                    seed=tf.stack([tf.constant(seed, tf.int64), step]),
                                    minval=-1.0, maxval=1.0)
    rows = tf.cast(tf.shape(images)[1], tf.float32)
    cols = tf.cast(tf.shape(images)[2], tf.float32)
    angle = r[:, 0] * (AUGMENTATION["rotation"] * math.pi / 180)
    scale = 1.0 + r[:, 1] * AUGMENTATION["zoom"]
    tx = r[:, 2] * AUGMENTATION["shift"] * cols
    ty = r[:, 3] * AUGMENTATION["shift"] * rows
    cos, sin = tf.cos(angle) / scale, tf.sin(angle) / scale
    cx, cy = (cols - 1) / 2, (rows - 1) / 2
    # Output pixel p samples the input at R(angle) / scale (p - c) + c - t.
    zeros = tf.zeros_like(cos)
    transforms = tf.stack([cos, -sin, cx - cos * cx + sin * cy - tx,
                           sin, cos, cy - sin * cx - cos * cy - ty, zeros, zeros], axis=1)
    return tf.raw_ops.ImageProjectiveTransformV3(
        images=images, transforms=transforms, output_shape=tf.shape(images)[1:3],
        fill_value=0.0, interpolation="BILINEAR", fill_mode="NEAREST")


def _training_data(tf, x, y, w, *, batch_size, seed, augment):
    ds = tf.data.Dataset.from_tensor_slices((x, y, w))
    ds = ds.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size).repeat()
    if augment:
        # enumerate() runs on across epochs (repeat), so each batch gets new draws.
        ds = ds.enumerate().map(
            lambda step, batch: (_augment(tf, batch[0], seed, step), batch[1], batch[2]),
            num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return ds.prefetch(tf.data.AUTOTUNE)


def _split_validation(y, fraction, seed):
    from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit

    counts = np.bincount(y)
    n_val = math.ceil(fraction * len(y))
    stratify = counts[counts > 0].min() >= 2 and n_val >= np.count_nonzero(counts) \
        and len(y) - n_val >= np.count_nonzero(counts)
    splitter = (StratifiedShuffleSplit if stratify else ShuffleSplit)(
        n_splits=1, test_size=fraction, random_state=seed)
    return next(splitter.split(np.zeros(len(y)), y))


def _class_weight_vector(class_weight, y, n_classes):
    w = np.ones(n_classes, np.float32)
    if class_weight is None:
        return w[y]
    if isinstance(class_weight, str):
        if class_weight != "balanced":
            raise ValueError("class_weight must be None, 'balanced' or a dict, got "
                             f"{class_weight!r}")
        from ctkidney.balancing import class_weights

        class_weight = class_weights(y)
    if not isinstance(class_weight, dict):
        raise TypeError(f"class_weight must be None, 'balanced' or a dict, got {class_weight!r}")
    for key, value in class_weight.items():
        if not isinstance(key, numbers.Integral) or not 0 <= key < n_classes:
            raise ValueError(f"class_weight keys must be class indices in [0, {n_classes - 1}], "
                             f"got {key!r}")
        w[int(key)] = check_scalar(value, f"class_weight[{key}]", low=0)
    return w[y]


@fill_doc
def train(model, images, labels, *, epochs=10, batch_size=32, validation=0.2,
          class_weight=None, augment=True, rng=None, callbacks=None, patience=3,
          learning_rate=1e-3, verbose=0):
    """Train a model with the seed's augmentation and early stopping.

    Compiles the model first if needed (Adam, sparse categorical cross-entropy,
    accuracy). Batches come from a ``tf.data`` pipeline that shuffles each epoch
    and, with ``augment``, applies a random rotation (+/-15 degrees), translation
    (+/-10%%) and zoom (+/-10%%) to every image, as the seed's
    ``ImageDataGenerator``. Training stops when the validation loss has not improved
    for ``patience`` epochs, and the best weights are restored.

    Parameters
    ----------
    model : keras.Model
        A model from :func:`build_cnn`, :func:`build_vgg16`, ... or
        :func:`build_head`. Trained in place.
    images : ndarray
        Raw slices ``(N, H, W)`` (prepared with :func:`prepare` for this model), or
        float32 inputs of the model's input shape (used as they are; embeddings
        for a head).
    labels : (N,) array_like of int
        Class indices in ``[0, n_classes)``.
    epochs : int, optional
        Most epochs to run. Default 10.
    batch_size : int, optional
        Default 32.
    validation : float, (images, labels) or None, optional
        A fraction of ``images`` held out (stratified, drawn from ``rng``), or a
        separate validation set, or ``None`` (early stopping then watches the
        training loss). Default 0.2. With CT slices, hold out whole patients or
        near-duplicate groups (:func:`ctkidney.data.split`) rather than a random
        fraction, or the validation accuracy is optimistic.
    class_weight : None, 'balanced' or dict, optional
        Weights of the classes in the loss: ``'balanced'`` uses
        :func:`ctkidney.balancing.class_weights`. Default None.
    augment : bool, optional
        Apply the random affine augmentation to image inputs (not to
        embeddings). Default True.
    %(rng)s
        Python's, NumPy's and TensorFlow's global seeds are set from it
        (``keras.utils.set_random_seed``), as are the shuffling, the validation
        split and the augmentation.
    callbacks : list of keras.callbacks.Callback, optional
        Extra callbacks (early stopping is always added).
    patience : int, optional
        Epochs without improvement before stopping. Default 3.
    learning_rate : float, optional
        Adam's learning rate when the model is compiled here. Default 1e-3.
    verbose : int, optional
        Keras's ``fit`` verbosity. Default 0 (silent).

    Returns
    -------
    history : keras.callbacks.History
        ``history.history`` maps ``'loss'``, ``'accuracy'`` (and ``'val_loss'``,
        ``'val_accuracy'``) to one float per epoch.

    Raises
    ------
    ImportError
        Without TensorFlow.
    TypeError, ValueError
        For bad images, labels that do not match the images or the model's
        classes, or bad options.

    See Also
    --------
    prepare : Resize slices and apply the network's preprocessing.
    evaluate : Accuracy, sensitivity and specificity on held-out slices.
    ctkidney.balancing.oversample : Balance the classes before training.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.models import build_cnn, train
    >>> rng = np.random.default_rng(0)
    >>> images = rng.integers(0, 256, (16, 24, 24), dtype=np.uint8)
    >>> labels = np.arange(16) %% 2
    >>> model = build_cnn((24, 24, 3), n_classes=2)
    >>> history = train(model, images, labels, epochs=2, batch_size=8, rng=0)
    >>> sorted(history.history)
    ['accuracy', 'loss', 'val_accuracy', 'val_loss']
    """
    keras = import_keras()
    tf = import_tf()
    x = model_inputs(model, images)
    y = _check_labels(model, labels, len(x))
    epochs = check_scalar(epochs, "epochs", low=1, integer=True)
    batch_size = check_scalar(batch_size, "batch_size", low=1, integer=True)
    patience = check_scalar(patience, "patience", low=0, integer=True)
    if not isinstance(augment, bool):
        raise TypeError(f"augment must be True or False, got {augment!r}")
    generator = check_rng(rng)
    seed = int(generator.integers(0, 2**31 - 1))
    keras.utils.set_random_seed(seed)

    val_data = None
    if isinstance(validation, tuple):
        if len(validation) != 2:
            raise ValueError("validation must be a fraction or an (images, labels) pair")
        xv = model_inputs(model, validation[0], "validation images")
        val_data = (xv, _check_labels(model, validation[1], len(xv), "validation labels"))
    elif validation is not None and validation != 0:
        fraction = check_scalar(validation, "validation", low=0, high=1, low_open=True,
                                high_open=True)
        train_idx, val_idx = _split_validation(y, fraction, seed)
        val_data = (x[val_idx], y[val_idx])
        x, y = x[train_idx], y[train_idx]

    w = _class_weight_vector(class_weight, y, model.output_shape[-1])
    if not getattr(model, "compiled", False) or model.optimizer is None:
        compile_model(model, check_scalar(learning_rate, "learning_rate", low=0, low_open=True))
    batch_size = min(batch_size, len(x))
    data = _training_data(tf, x, y, w, batch_size=batch_size, seed=seed,
                          augment=augment and x.ndim == 4)
    monitor = "val_loss" if val_data is not None else "loss"
    stop = keras.callbacks.EarlyStopping(monitor=monitor, patience=patience,
                                         restore_best_weights=True)
    with quiet_retracing():
        return model.fit(data, epochs=epochs, steps_per_epoch=math.ceil(len(x) / batch_size),
                         validation_data=val_data, validation_batch_size=batch_size,
                         callbacks=[stop, *(callbacks or [])], shuffle=False, verbose=verbose)


def _check_batch_size(batch_size):
    return check_scalar(batch_size, "batch_size", low=1, integer=True)


def predict(model, images, *, batch_size=32):
    """Class probabilities.

    Parameters
    ----------
    model : keras.Model
        A trained classifier.
    images : ndarray
        Raw slices ``(N, H, W)`` or prepared inputs, as in :func:`train`.
    batch_size : int, optional
        Default 32.

    Returns
    -------
    probabilities : (N, n_classes) float32 ndarray
        Rows sum to 1.

    Raises
    ------
    ImportError
        Without TensorFlow.
    TypeError, ValueError
        For bad images.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.models import build_cnn, predict
    >>> p = predict(build_cnn((16, 16, 3)), np.zeros((3, 16, 16), np.uint8))
    >>> p.shape, p.dtype, bool(np.allclose(p.sum(1), 1))
    ((3, 4), dtype('float32'), True)
    """
    import_keras()
    x = model_inputs(model, images)
    with quiet_retracing():
        out = model.predict(x, batch_size=_check_batch_size(batch_size), verbose=0)
    return np.asarray(out, dtype=np.float32)


def evaluate(model, images, labels, *, batch_size=32, class_names=None):
    """Accuracy, per-class sensitivity and specificity, and the confusion matrix.

    Parameters
    ----------
    model : keras.Model
        A trained classifier.
    images : ndarray
        Raw slices or prepared inputs, as in :func:`train`.
    labels : (N,) array_like of int
        True class indices.
    batch_size : int, optional
        Default 32.
    class_names : sequence of str, optional
        Names of the classes. Default: :data:`ctkidney.data.CLASSES` for a
        4-class model, else ``"0"``, ``"1"``, ...

    Returns
    -------
    summary : ctkidney.metrics.ClassificationSummary
        :func:`ctkidney.metrics.classification_summary` of the true labels and the
        most probable classes (every class of the model has a row).

    Raises
    ------
    ImportError
        Without TensorFlow.
    TypeError, ValueError
        For bad images or labels.

    See Also
    --------
    ctkidney.metrics.classification_summary : The same scores from labels.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.models import build_cnn, evaluate
    >>> summary = evaluate(build_cnn((16, 16, 3)), np.zeros((4, 16, 16), np.uint8),
    ...                    [0, 1, 2, 3])
    >>> summary.accuracy, summary.class_names
    (0.25, ['Cyst', 'Normal', 'Stone', 'Tumor'])
    """
    from ctkidney.metrics import classification_summary

    import_keras()
    x = model_inputs(model, images)
    y = _check_labels(model, labels, len(x))
    pred = predict(model, x, batch_size=batch_size).argmax(axis=1)
    if class_names is None:
        from ctkidney.data import CLASSES

        n_classes = model.output_shape[-1]
        class_names = CLASSES if n_classes == len(CLASSES) else [str(k) for k in range(n_classes)]
    return classification_summary(y, pred, class_names=class_names)


def embed(model, images, *, batch_size=32, layer=None):
    """Features from the layer before a model's head, e.g. to SMOTE them.

    For a transfer model these are the pooled backbone features (512 values for
    the VGGs, 1280 for MobileNetV2 with pooling); for the CNN, the 128 values of
    its hidden dense layer.

    Parameters
    ----------
    model : keras.Model
        A model from :mod:`ctkidney.models` (or any model, with ``layer``).
    images : ndarray
        Raw slices or prepared inputs, as in :func:`train`.
    batch_size : int, optional
        Default 32.
    layer : str, optional
        Name of the layer whose output to return. Default: the input of the head
        (transfer models) or of the last layer.

    Returns
    -------
    features : (N, F) float32 ndarray

    Raises
    ------
    ImportError
        Without TensorFlow.
    ValueError
        For bad images or an unknown layer.

    See Also
    --------
    build_head : The classification head alone.
    ctkidney.balancing.smote : SMOTE on a feature matrix, e.g. these embeddings.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.models import build_mobilenet, embed
    >>> model = build_mobilenet((32, 32, 3))
    >>> embed(model, np.zeros((2, 32, 32), np.uint8)).shape
    (2, 1280)
    """
    keras = import_keras()
    x = model_inputs(model, images)
    names = [item.name for item in model.layers]
    if layer is None:
        start = model.get_layer(HEAD_START) if HEAD_START in names else model.layers[-1]
        output = start.input
    elif layer in names:
        output = model.get_layer(layer).output
    else:
        raise ValueError(f"layer {layer!r} is not in model {model.name!r}")
    extractor = keras.Model(model.input, output)
    with quiet_retracing():
        out = extractor.predict(x, batch_size=_check_batch_size(batch_size), verbose=0)
    return np.asarray(out, dtype=np.float32).reshape(len(x), -1)
