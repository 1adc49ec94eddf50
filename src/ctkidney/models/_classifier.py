"""``SliceClassifier``: the CT slice classifiers as one scikit-learn estimator."""

import math
import numbers
import os
from pathlib import Path

import cv2
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from ctkidney._shared.validation import check_rng
from ctkidney.models._backend import KINDS, quiet_retracing
from ctkidney.models._features import features_of, fit_feature_model, smote_options
from ctkidney.models._shortcut import _class_labels, _slices
from ctkidney.models._slices import kidney_region, random_window, standardize_slice

__all__ = ["CLASSIFIER_DEFAULTS", "MODELS", "SliceClassifier"]

#: Names accepted by ``SliceClassifier(model=...)``: the default ``"recommended"``
#: (no network: :func:`slice_features` and logistic regression), ``"small_cnn"`` (a
#: small batch-normalised network on kidney crops) and the seed study's ``KINDS``.
MODELS = ("recommended", "small_cnn") + KINDS
#: The models with a network (and Grad-CAM, weights files, epochs).
_NETWORKS = ("small_cnn",) + KINDS
#: The models without a frozen pretrained backbone (inputs from 16 px; no
#: SMOTE on embeddings).
_OWN = ("recommended", "small_cnn", "cnn")
BALANCES = (None, "class_weight", "smote", "smote_embeddings")

#: Defaults of :class:`SliceClassifier` per model: input side in pixels, training
#: epochs and Adam's initial learning rate (cosine decay to zero over the epochs);
#: None for ``"recommended"``, which has no network (see ``FEATURE_MODEL``).
#: The small CNN's 48 px and 8 epochs scored at least as well under grouped
#: cross-validation on the real development slices as 64 px/15 epochs and 96 px/30
#: epochs (balanced accuracy 0.46 against 0.43 and 0.41; the differences are within
#: the fold-to-fold spread) and fit 700 slices about ten times faster.
CLASSIFIER_DEFAULTS = {
    "recommended": {"size_px": None, "epochs": None, "learning_rate": None},
    "small_cnn": {"size_px": 48, "epochs": 8, "learning_rate": 2e-3},
    "cnn": {"size_px": 150, "epochs": 10, "learning_rate": 1e-3},
    "vgg16": {"size_px": 150, "epochs": 10, "learning_rate": 1e-3},
    "vgg19": {"size_px": 150, "epochs": 10, "learning_rate": 1e-3},
    "mobilenet": {"size_px": 150, "epochs": 10, "learning_rate": 1e-3},
}

#: Random affine augmentation of the training slices (rotation in degrees, shift and
#: zoom as fractions of the side, probability of a left-right flip).
AFFINE = {"rotation_deg": 15.0, "shift_frac": 0.08, "zoom_frac": 0.1, "flip_prob": 0.5}

#: Filters of the small CNN's four convolution blocks.
SMALL_CNN_FILTERS = (16, 32, 64, 128)


def build_small_cnn(input_shape, *, n_classes=4):
    """The ``"small_cnn"`` network: four Conv3x3-BatchNorm-ReLU blocks (the first three
    followed by 2x2 max pooling), global average pooling, dropout and a softmax
    layer. About 100 k weights: small enough for CPU and few patients."""
    from ctkidney.models._backend import import_keras, model_name

    keras = import_keras()
    layers = keras.layers
    inputs = keras.Input(input_shape, name="image")
    x = inputs
    for k, filters in enumerate(SMALL_CNN_FILTERS):
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"conv{k + 1}")(x)
        x = layers.BatchNormalization(name=f"bn{k + 1}")(x)
        x = layers.ReLU(name=f"relu{k + 1}")(x)
        if k < len(SMALL_CNN_FILTERS) - 1:
            x = layers.MaxPooling2D(2, name=f"pool{k + 1}")(x)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    x = layers.Dropout(0.3, name="dropout")(x)
    outputs = layers.Dense(n_classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name=model_name("small_cnn"))


def precise_batch_norm(net, x, batch_size=64):
    """Set every trainable batch-norm layer's running mean and variance to the exact statistics
    of its inputs over ``x`` (clean training inputs), layer after layer.

    Keras's running averages (momentum 0.99) need hundreds of steps to settle and
    lag behind the weights; after a short training on a few hundred slices they
    are so far off that the network predicts one class at inference, although it
    is right in training mode. Recomputing them once ("precise BN") fixes that.
    """
    from ctkidney.models._backend import import_keras

    keras = import_keras()
    for layer in net.layers:
        if not isinstance(layer, keras.layers.BatchNormalization) or not layer.trainable:
            continue
        probe = keras.Model(net.input, layer.input)
        total, total_sq, count = 0.0, 0.0, 0
        for start in range(0, len(x), batch_size):
            out = np.asarray(probe(x[start:start + batch_size], training=False), np.float64)
            out = out.reshape(-1, out.shape[-1])
            total = total + out.sum(0)
            total_sq = total_sq + (out ** 2).sum(0)
            count += len(out)
        mean = total / count
        layer.moving_mean.assign(mean.astype(np.float32))
        layer.moving_variance.assign(np.maximum(total_sq / count - mean ** 2, 0)
                                     .astype(np.float32))


def _check_choice(value, name, choices):
    if not any(value is c or (isinstance(value, str) and value == c) for c in choices):
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; "
                         f"got {value!r}")
    return value


def _check_int(value, name, low):
    if value is None:
        return None
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int or None, got {value!r}")
    if value < low:
        raise ValueError(f"{name} must be at least {low}, got {value}")
    return int(value)


def _affine(stack, rng):
    """One random rotation, zoom, shift and flip per slice (float32 in, same out)."""
    n, rows, cols = stack.shape
    out = np.empty_like(stack)
    angle = rng.uniform(-1, 1, n) * AFFINE["rotation_deg"]
    zoom = 1 + rng.uniform(-1, 1, n) * AFFINE["zoom_frac"]
    shift = rng.uniform(-1, 1, (n, 2)) * AFFINE["shift_frac"] * np.array([cols, rows])
    flip = rng.random(n) < AFFINE["flip_prob"]
    for i in range(n):
        matrix = cv2.getRotationMatrix2D(((cols - 1) / 2, (rows - 1) / 2), angle[i], zoom[i])
        matrix[:, 2] += shift[i]
        warped = cv2.warpAffine(stack[i], matrix, (cols, rows), flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_REPLICATE)
        out[i] = warped[:, ::-1] if flip[i] else warped
    return out


def _batches_class():
    from ctkidney.models._backend import import_keras

    keras = import_keras()

    class Batches(keras.utils.PyDataset):
        """Training batches, shuffled each epoch; with ``augment`` each slice gets a
        new random affine map and window per epoch (one ``fit`` call, one trace)."""

        def __init__(self, owner, base, y, w, batch, kind, generator):
            super().__init__()
            self.owner, self.base, self.y, self.w = owner, base, y, w
            self.batch, self.kind, self.generator = batch, kind, generator
            self.order = generator.permutation(len(y))

        def __len__(self):
            return math.ceil(len(self.y) / self.batch)

        def __getitem__(self, index):
            picked = self.order[index * self.batch: (index + 1) * self.batch]
            if len(picked) < self.batch:  # full batches only: one traced shape
                extra = self.generator.choice(len(self.y), self.batch - len(picked))
                picked = np.concatenate([picked, extra])
            x = self.base[picked]
            if self.owner.augment:
                x = random_window(_affine(x, self.generator), rng=self.generator)
            return self.owner._network_inputs(x, self.kind), self.y[picked], self.w[picked]

        def on_epoch_end(self):
            self.order = self.generator.permutation(len(self.y))

    return Batches


def _Batches(*args):
    return _batches_class()(*args)


class SliceClassifier(ClassifierMixin, BaseEstimator):
    """A CT slice classifier with the scikit-learn interface.

    ``fit(images, labels)`` takes 2-D slices of any size (an ``(N, H, W)`` stack or a
    list of 2-D arrays) and any labels (ints or strings); ``predict``,
    ``predict_proba``, ``score``, ``classes_``, ``get_params``/``set_params`` and
    ``sklearn.base.clone`` work as for any scikit-learn classifier, so it runs in
    ``cross_val_score(clf, images, labels, groups=patients, cv=GroupKFold(5))``.

    ``model="recommended"`` (the default) is the design measured to generalise
    best to new patients on CPU (see the user guide's classification page). It
    has no network and needs no TensorFlow: logistic regression on window-robust
    features of each slice (:func:`slice_features`: the body's and the kidney
    crop's grey levels relative to the body's own median and spread, the crop's
    within-body rank histogram and local binary patterns, and what the
    segmentation recipes find in the kidneys), trained with two randomly windowed
    copies of each slice (:func:`random_window`), so that the display window no
    longer tells the class. Why it is the default: under grouped 5-fold
    cross-validation on the real development slices (26 near-duplicate groups,
    out-of-fold predictions pooled; chance 0.25) its balanced accuracy was 0.62
    against 0.46 for ``"small_cnn"``, and 0.56 against 0.43 after a random window
    change of the test slices. It fits 700 slices of 256x256 in about 120 s on 2
    cores (the recipes take about 0.08 s a slice). On the built-in phantoms
    neither design learns (0.22-0.34), so real CT decided.

    ``model="small_cnn"`` is the best network measured: each slice is cropped to
    the box around the spine that holds the kidneys (:func:`kidney_region`),
    resized to ``size`` pixels and standardised on its own body's median and 5-95
    percentile spread (:func:`standardize_slice`); four Conv-BatchNorm-ReLU
    blocks with global average pooling (no huge Flatten-Dense head); training
    draws a random window, level and gamma per slice per epoch on top of
    rotation, zoom, shift and flips. The seed study's architectures are
    ``"cnn"``, ``"vgg16"``, ``"vgg19"`` and ``"mobilenet"`` (:func:`build_cnn`,
    ...; whole slices, :func:`prepare`'s preprocessing). The networks need
    TensorFlow.

    Parameters
    ----------
    model : {'recommended', 'small_cnn', 'cnn', 'vgg16', 'vgg19', 'mobilenet'}, optional
        The design. Default ``'recommended'``.
    size : int, optional
        Side of the network input in pixels (slices, or their kidney crops, are
        resized to ``size x size``). Default: 48 for ``'small_cnn'``, 150 (the
        seed's) otherwise (:data:`CLASSIFIER_DEFAULTS`). At least 16 (32 for the
        transfer models). Ignored by ``'recommended'`` (:data:`SLICE_FEATURES`).
    epochs : int, optional
        Training epochs (a fixed number; Adam with a cosine-decaying learning
        rate). Default: 8 for ``'small_cnn'``, 10 otherwise. Ignored by
        ``'recommended'``.
    balance : {None, 'class_weight', 'smote', 'smote_embeddings'}, optional
        Class balancing: balanced class weights in the loss
        (:func:`ctkidney.balancing.class_weights`), SMOTE on the resized slices
        (:func:`ctkidney.balancing.oversample`; random oversampling for a class of
        one slice), or SMOTE on the frozen backbone's embeddings with the seed's
        head trained on them (transfer models only). ``'recommended'``: balanced
        class weights in the logistic regression, or SMOTE on the features.
        Default None.
    augment : bool, optional
        Random affine changes and a random window/level/gamma per slice and epoch
        during training (``'recommended'``: two randomly windowed copies of each
        training slice). Default True.
    weights : None, 'imagenet' or path-like, optional
        Initial weights. Transfer models: the backbone's (see
        :func:`build_vgg16`; ``'imagenet'`` needs the network once, or Keras's
        cached file). ``'small_cnn'`` and ``'cnn'``: None or the path of a
        ``.weights.h5`` file saved from the same architecture
        (``clf.model_.save_weights(path)``), to start from. ``'recommended'``:
        None only. Default None (random).
    rng : None, int or numpy.random.Generator, optional
        Seed of the initial weights, the shuffling and the augmentation
        (Keras's global seed is set from it at ``fit``). The same seed gives the
        same model on the same machine.
    batch_size : int, optional
        Default 32. Ignored by ``'recommended'``.

    Attributes
    ----------
    classes_ : ndarray
        The sorted class labels seen by ``fit``.
    model_ : keras.Model or sklearn.pipeline.Pipeline
        The trained network (softmax over ``classes_``); inputs come from
        :meth:`transform`. For ``'recommended'``: the scaler and logistic regression.
    history_ : dict
        ``{'loss': [...], 'accuracy': [...]}``, one value per epoch (one value,
        on the training set, for ``'recommended'``).
    settings_ : dict
        The settings the model was fitted with (defaults resolved): ``kind``,
        ``size``, ``epochs``, ``balance``, ``batch_size``, ``weights``,
        ``learning_rate``.

    Raises
    ------
    ImportError
        At ``fit`` of a network without TensorFlow (``pip install "ctkidney[models]"``);
        never for ``model="recommended"``.

    See Also
    --------
    shortcut_baseline : What the window alone would score.
    random_window : The robustness test for a model's accuracy.
    ctkidney.data.group_near_duplicates : Groups for ``GroupKFold``.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.models import SliceClassifier
    >>> rng = np.random.default_rng(0)
    >>> images = rng.integers(0, 60, (24, 40, 40)).astype(np.uint8)
    >>> labels = np.array(["bright", "dark"] * 12)
    >>> images[labels == "bright", 15:25, 15:25] = 250
    >>> clf = SliceClassifier(rng=0).fit(images, labels)  # model="recommended"
    >>> clf.classes_.tolist(), clf.predict(images[:2]).shape
    (['bright', 'dark'], (2,))
    >>> proba = clf.predict_proba(images)
    >>> proba.shape, proba.dtype, bool(np.allclose(proba.sum(1), 1))
    ((24, 2), dtype('float64'), True)
    """

    def __init__(self, model="recommended", *, size=None, epochs=None, balance=None,
                 augment=True, weights=None, rng=None, batch_size=32):
        self.model = model
        self.size = size
        self.epochs = epochs
        self.balance = balance
        self.augment = augment
        self.weights = weights
        self.rng = rng
        self.batch_size = batch_size

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = True
        tags.non_deterministic = True
        return tags

    # -- parameters -----------------------------------------------------------------

    def _settings(self):
        kind = _check_choice(self.model, "model", MODELS)
        defaults = CLASSIFIER_DEFAULTS[kind]
        low = 16 if kind in _OWN else 32
        size = _check_int(self.size, "size", low)
        epochs = _check_int(self.epochs, "epochs", 1)
        balance = _check_choice(self.balance, "balance", BALANCES)
        if balance == "smote_embeddings" and kind in _OWN:
            raise ValueError("balance='smote_embeddings' needs a frozen backbone: use it with "
                             "model='vgg16', 'vgg19' or 'mobilenet'")
        if not isinstance(self.augment, (bool, np.bool_)):
            raise TypeError(f"augment must be True or False, got {self.augment!r}")
        batch_size = _check_int(self.batch_size, "batch_size", 1)
        weights = self.weights
        if weights is not None:
            if not (weights == "imagenet" or isinstance(weights, (str, os.PathLike))):
                raise TypeError(f"weights must be None, 'imagenet' or a path, got {weights!r}")
            if kind not in _NETWORKS:
                raise ValueError(f"model={kind!r} has no network weights: weights must be "
                                 "None (use 'small_cnn', 'cnn' or a transfer model for "
                                 "initial weights)")
            if weights == "imagenet" and kind in ("small_cnn", "cnn"):
                raise ValueError(f"weights='imagenet' needs a transfer model; model={kind!r} "
                                 "takes None or a weights file")
            if weights != "imagenet" and not Path(weights).is_file():
                raise FileNotFoundError(f"weights file not found: {weights}")
        return {"kind": kind, "size": size or defaults["size_px"],
                "epochs": epochs or defaults["epochs"], "balance": balance,
                "batch_size": batch_size, "weights": weights,
                "learning_rate": defaults["learning_rate"]}

    # -- preprocessing --------------------------------------------------------------

    def _base(self, images, settings):
        """Resized slices (or kidney crops), float32 on the 0..255 scale: (N, s, s)."""
        size = settings["size"]
        crop = settings["kind"] == "small_cnn"
        out = np.empty((len(images), size, size), np.float32)
        for i, image in enumerate(images):
            x = image.astype(np.float32)
            if image.dtype == np.uint16:
                x *= np.float32(255 / 65535)
            if crop:
                top, bottom, left, right = kidney_region(image)
                x = x[top:bottom, left:right]
            shrink = x.shape[0] >= size and x.shape[1] >= size
            out[i] = cv2.resize(x, (size, size),
                                interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)
        return out

    def _network_inputs(self, base, kind):
        if kind == "small_cnn":
            return np.stack([standardize_slice(x) for x in base])[..., None]
        from ctkidney.models._prepare import _preprocess

        x = np.repeat(np.clip(base, 0, 255)[..., None], 3, axis=-1)
        return np.ascontiguousarray(_preprocess(kind, x), dtype=np.float32)

    def transform(self, images):
        """The model inputs of ``images``: for ``'recommended'``, the
        :func:`slice_features`; for the networks, the slices cropped
        (``'small_cnn'``), resized, standardised or preprocessed as for training,
        without augmentation.

        Parameters
        ----------
        images : (N, H, W) ndarray or sequence of 2-D ndarrays
            Slices of any size. Never modified.

        Returns
        -------
        x : (N, size, size, C) float32 ndarray or (N, F) float64 ndarray
            ``C`` is 1 for ``'small_cnn'``, 3 for the seed architectures; the
            ``(N, F)`` features for ``'recommended'``. A fitted classifier uses the
            settings it was fitted with.
        """
        settings = getattr(self, "settings_", None) or self._settings()
        slices = _slices(images)
        if settings["kind"] == "recommended":
            return features_of(slices)
        return self._network_inputs(self._base(slices, settings), settings["kind"])

    # -- training -------------------------------------------------------------------

    def _build(self, settings, n_classes):
        from ctkidney.models._build import build_cnn, build_mobilenet, build_vgg16, build_vgg19

        kind, size, weights = settings["kind"], settings["size"], settings["weights"]
        if kind == "small_cnn":
            net = build_small_cnn((size, size, 1), n_classes=n_classes)
        elif kind == "cnn":
            net = build_cnn((size, size, 3), n_classes=n_classes)
        else:
            builder = {"vgg16": build_vgg16, "vgg19": build_vgg19,
                       "mobilenet": build_mobilenet}[kind]
            return builder((size, size, 3), n_classes=n_classes, weights=weights)
        if weights is not None:
            net.load_weights(str(weights))
        return net

    def _compile(self, net, settings, steps):
        from ctkidney.models._backend import import_keras

        keras = import_keras()
        schedule = keras.optimizers.schedules.CosineDecay(
            settings["learning_rate"], decay_steps=max(1, steps))
        net.compile(optimizer=keras.optimizers.Adam(schedule),
                    loss="sparse_categorical_crossentropy", metrics=["accuracy"])

    def _oversample(self, base, y, seed):
        from ctkidney.balancing import oversample

        return oversample(base, y, **smote_options(y), rng=seed)

    def fit(self, images, labels):
        """Train on slices and their labels.

        Parameters
        ----------
        images : (N, H, W) ndarray or sequence of 2-D ndarrays
            uint8, uint16 or float (0..255 scale) slices, any size. Never modified.
        labels : (N,) array_like of int or str
            Class of each slice; at least two classes.

        Returns
        -------
        self : SliceClassifier

        Raises
        ------
        ImportError
            Without TensorFlow, for the networks (never for ``model='recommended'``).
        TypeError, ValueError
            For bad images, labels or parameters.
        """
        settings = self._settings()
        slices = _slices(images)
        classes, y = np.unique(_class_labels(labels, len(slices)), return_inverse=True)
        if len(classes) < 2:
            raise ValueError(f"labels must hold at least 2 classes, got {classes.tolist()}")
        generator = check_rng(self.rng)
        seed = int(generator.integers(0, 2**31 - 1))
        if settings["kind"] == "recommended":
            self.model_, self.history_ = self._fit_features(slices, y, settings, seed)
        else:
            with quiet_retracing():
                self.model_, self.history_ = self._fit_network(slices, y, len(classes),
                                                               settings, seed, generator)
        self.classes_ = classes
        self.settings_ = settings
        return self

    def _fit_features(self, slices, y, settings, seed):
        model, x, y_fit = fit_feature_model(slices, y, balance=settings["balance"],
                                            augment=bool(self.augment), seed=seed)
        proba = model.predict_proba(x)
        loss = -np.mean(np.log(np.maximum(proba[np.arange(len(y_fit)), y_fit], 1e-12)))
        accuracy = np.mean(np.argmax(proba, axis=1) == y_fit)
        return model, {"loss": [float(loss)], "accuracy": [float(accuracy)]}

    def _fit_network(self, slices, y, n_classes, settings, seed, generator):
        from ctkidney.models._backend import import_keras

        keras = import_keras()
        keras.utils.set_random_seed(seed)
        base = self._base(slices, settings)
        kind, balance = settings["kind"], settings["balance"]
        net = self._build(settings, n_classes)
        if balance == "smote_embeddings":
            return self._fit_embeddings(net, base, y, settings, seed)
        if balance == "smote":
            base, y = self._oversample(base, y, seed)
        weight = np.ones(n_classes, np.float32)
        if balance == "class_weight":
            weight = len(y) / (n_classes * np.bincount(y, minlength=n_classes))
        batch = min(settings["batch_size"], len(y))
        steps = math.ceil(len(y) / batch) * settings["epochs"]
        self._compile(net, settings, steps)
        data = _Batches(self, base, y, weight[y].astype(np.float32), batch, kind, generator)
        run = net.fit(data, epochs=settings["epochs"], shuffle=False, verbose=0)
        history = {key: [float(v) for v in run.history[key]] for key in ("loss", "accuracy")}
        precise_batch_norm(net, self._network_inputs(base, kind))
        return net, history

    def _fit_embeddings(self, net, base, y, settings, seed):
        from ctkidney.balancing import smote
        from ctkidney.models._backend import import_keras
        from ctkidney.models._build import build_head
        from ctkidney.models._train import embed, train

        keras = import_keras()
        x = self._network_inputs(base, settings["kind"])
        features = embed(net, x)
        f_bal, y_bal = smote(features, y, **smote_options(y), rng=seed)
        head = build_head(features.shape[1], n_classes=int(y.max()) + 1, rng=seed)
        run = train(head, f_bal, y_bal, epochs=settings["epochs"],
                    batch_size=settings["batch_size"], validation=None, rng=seed,
                    learning_rate=settings["learning_rate"],
                    patience=settings["epochs"])
        extractor = keras.Model(net.input, net.get_layer("head_flatten").input)
        outputs = head(extractor.output)
        composite = keras.Model(net.input, outputs, name=net.name)
        return composite, {key: [float(v) for v in run.history[key]]
                           for key in ("loss", "accuracy")}

    # -- prediction -----------------------------------------------------------------

    def predict_proba(self, images):
        """Class probabilities, columns in the order of ``classes_``.

        Parameters
        ----------
        images : (N, H, W) ndarray or sequence of 2-D ndarrays
            Slices of any size. Never modified.

        Returns
        -------
        proba : (N, n_classes) float64 ndarray
            Rows sum to 1.
        """
        check_is_fitted(self, "model_")
        slices = _slices(images)
        if self.settings_["kind"] == "recommended":
            out = self.model_.predict_proba(features_of(slices))
        else:
            x = self._network_inputs(self._base(slices, self.settings_), self.settings_["kind"])
            with quiet_retracing():
                out = self.model_.predict(x, batch_size=self.settings_["batch_size"],
                                          verbose=0)
        out = np.asarray(out, np.float64)
        return out / out.sum(axis=1, keepdims=True)

    def predict(self, images):
        """The most probable class of each slice.

        Parameters
        ----------
        images : (N, H, W) ndarray or sequence of 2-D ndarrays
            Slices of any size. Never modified.

        Returns
        -------
        labels : (N,) ndarray
            Entries of ``classes_``.
        """
        proba = self.predict_proba(images)  # raises NotFittedError before classes_ is read
        return self.classes_[np.argmax(proba, axis=1)]

    def score(self, images, labels, sample_weight=None):
        """Accuracy of ``predict(images)`` against ``labels``.

        Parameters
        ----------
        images : (N, H, W) ndarray or sequence of 2-D ndarrays
            Slices of any size. Never modified.
        labels : (N,) array_like
            True classes.
        sample_weight : (N,) array_like, optional
            Weight of each slice.

        Returns
        -------
        accuracy : float
            The (weighted) fraction of slices classified right. On imbalanced
            data, also look at the balanced accuracy
            (:func:`ctkidney.metrics.classification_summary`).
        """
        return super().score(images, labels, sample_weight=sample_weight)

    def grad_cam(self, image, *, class_index=None):
        """Grad-CAM of one slice, in the slice's own frame.

        Parameters
        ----------
        image : (H, W) ndarray
            One slice. Never modified.
        class_index : int, optional
            Index into ``classes_`` of the class to explain. Default: the predicted
            class.

        Returns
        -------
        heatmap : (H, W) float32 ndarray
            Values in [0, 1]; zero outside the kidney crop of ``'small_cnn'``.

        Raises
        ------
        ValueError
            For ``model='recommended'``, which has no network (use
            ``'small_cnn'``, ``'cnn'`` or a transfer model).

        See Also
        --------
        ctkidney.models.grad_cam
        """
        from ctkidney.models._gradcam import grad_cam

        check_is_fitted(self, "model_")
        if self.settings_["kind"] not in _NETWORKS:
            raise ValueError(f"Grad-CAM needs a network: model={self.settings_['kind']!r} "
                             "has none (use 'small_cnn', 'cnn' or a transfer model)")
        (image,) = _slices([image], "image")
        x = self._network_inputs(self._base([image], self.settings_), self.settings_["kind"])
        heat = grad_cam(self.model_, x[0], class_index=class_index)
        out = np.zeros(image.shape, np.float32)
        if self.settings_["kind"] == "small_cnn":
            top, bottom, left, right = kidney_region(image)
        else:
            top, bottom, left, right = 0, image.shape[0], 0, image.shape[1]
        out[top:bottom, left:right] = cv2.resize(heat, (right - left, bottom - top),
                                                 interpolation=cv2.INTER_LINEAR)
        return np.clip(out, 0, 1)
