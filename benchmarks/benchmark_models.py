"""Classifiers and class balancing: CNN training throughput, inference throughput per
model (150x150, CPU), peak memory of oversampling, and ratios against
imbalanced-learn and scikit-learn. The model numbers are tracked, not targets."""

import time

import numpy as np

SIZE = 150
KAGGLE = {"Cyst": 3709, "Normal": 5077, "Stone": 1377, "Tumor": 2283}


def _kaggle_labels(n):
    """``n`` labels in the Kaggle class proportions (Cyst, Normal, Stone, Tumor)."""
    weights = np.array(list(KAGGLE.values()), float)
    counts = np.floor(weights / weights.sum() * n).astype(int)
    counts[1] += n - counts.sum()
    return np.repeat(np.arange(4), counts)


def _slices(n, size, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, size, size), dtype=np.uint8)


def _throughput(func, n_images, repeats=3):
    best = min(_seconds(func) for _ in range(repeats))
    return n_images / best


def _seconds(func):
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


class CNNTraining:
    """Seed CNN, 150x150x3, batch 32, with the augmentation pipeline: images/s."""

    timeout = 600
    n_images = 128

    def setup(self):
        from ctkidney.models import build_cnn, prepare, train

        self.train = train
        self.model = build_cnn((SIZE, SIZE, 3), rng=0)
        self.x = prepare(_slices(self.n_images, SIZE), model=self.model)
        self.y = _kaggle_labels(self.n_images)
        self._epoch()  # compiles and traces the training step

    def _epoch(self):
        self.train(self.model, self.x, self.y, epochs=1, batch_size=32, validation=None,
                   rng=0)

    def track_train_images_per_second(self):
        return _throughput(self._epoch, self.n_images, repeats=2)

    track_train_images_per_second.unit = "images/s"


class Inference:
    """``predict`` on 150x150 inputs, batch 32: images/s per model."""

    timeout = 600
    params = ["cnn", "vgg16", "vgg19", "mobilenet"]
    param_names = ["model"]
    n_images = 64

    def setup(self, kind):
        from ctkidney import models

        build = {"cnn": models.build_cnn, "vgg16": models.build_vgg16,
                 "vgg19": models.build_vgg19, "mobilenet": models.build_mobilenet}[kind]
        self.predict = models.predict
        self.model = build((SIZE, SIZE, 3), rng=0)
        self.x = models.prepare(_slices(self.n_images, SIZE), model=self.model)
        self.predict(self.model, self.x)  # traces the prediction function

    def track_predict_images_per_second(self, kind):
        return _throughput(lambda: self.predict(self.model, self.x), self.n_images)

    track_predict_images_per_second.unit = "images/s"


class _ClassifierSlices:
    """Slices and labels for the ``SliceClassifier`` throughput suites: 32 slices of
    256x256 per model, at each model's default input size."""

    timeout = 900
    params = ["recommended", "small_cnn", "cnn", "vgg16", "vgg19", "mobilenet"]
    param_names = ["model"]
    n_images = 32

    def setup(self, kind):
        self.images = _slices(self.n_images, 256)
        self.labels = _kaggle_labels(self.n_images)


class SliceClassifierFitThroughput(_ClassifierSlices):
    """Fit throughput (one epoch, with the augmentation) in images/s per model."""

    def track_fit_images_per_second(self, kind):
        from ctkidney.models import SliceClassifier

        return _throughput(lambda: SliceClassifier(kind, epochs=1, rng=0).fit(
            self.images, self.labels), self.n_images, repeats=1)

    track_fit_images_per_second.unit = "images/s"


class SliceClassifierPredictThroughput(_ClassifierSlices):
    """Predict throughput in images/s per model (the model is fitted once, in
    ``setup``)."""

    def setup(self, kind):
        from ctkidney.models import SliceClassifier

        super().setup(kind)
        self.clf = SliceClassifier(kind, epochs=1, rng=0).fit(self.images, self.labels)

    def track_predict_images_per_second(self, kind):
        return _throughput(lambda: self.clf.predict(self.images), self.n_images)

    track_predict_images_per_second.unit = "images/s"


class SliceClassifierFit700:
    """Seconds to fit ``SliceClassifier(model)`` at its defaults on 700 phantom
    slices of 256x256, the size of the real development set (target: at most 300 s
    on 2 cores): the default ``"recommended"`` (no network) and ``"small_cnn"``.
    Phantoms, not noise: the recommended model's recipes take their time on a
    slice with a body and kidneys, and next to none on noise."""

    timeout = 1800
    number = 1
    repeat = 1
    params = ["recommended", "small_cnn"]
    param_names = ["model"]
    n_per_class = 175

    def setup(self, kind):
        from ctkidney.data import make_dataset

        dataset = make_dataset(self.n_per_class, size=256, rng=0)
        self.images = np.stack([dataset.image(i) for i in range(len(dataset.labels))])
        self.labels = dataset.labels

    def track_seconds_fit_700(self, kind):
        from ctkidney.models import SliceClassifier

        return _seconds(lambda: SliceClassifier(kind, rng=0).fit(self.images, self.labels))

    track_seconds_fit_700.unit = "s"


class Oversample:
    """``oversample`` of 2,000 slices of 150x150 uint8 in the Kaggle proportions."""

    timeout = 600
    params = ["smote", "random"]
    param_names = ["method"]

    def setup(self, method):
        self.images = _slices(2000, SIZE)
        self.labels = _kaggle_labels(2000)

    def peakmem_oversample(self, method):
        from ctkidney.balancing import oversample

        oversample(self.images, self.labels, method=method, rng=0)

    def time_oversample(self, method):
        from ctkidney.balancing import oversample

        oversample(self.images, self.labels, method=method, rng=0)


def compare_rows():
    from imblearn.over_sampling import SMOTE, RandomOverSampler
    from sklearn.utils.class_weight import compute_class_weight

    from ctkidney._shared.validation import rng_to_seed
    from ctkidney.balancing import class_weights, oversample, smote

    images = _slices(400, 64)
    labels = _kaggle_labels(400)
    flat = images.reshape(400, -1).astype(np.float32)
    seed = rng_to_seed(0)
    yield {
        "name": "oversample smote 400x64x64 uint8",
        "ours": lambda: oversample(images, labels, rng=0),
        # imbalanced-learn alone on the float32 pixels (no rounding, no reshaping).
        "others": {"imbalanced-learn": lambda: SMOTE(random_state=seed).fit_resample(
            flat, labels)},
        "targets": {"imbalanced-learn": 0.8},
    }
    yield {
        "name": "oversample random 400x64x64 uint8",
        "ours": lambda: oversample(images, labels, method="random", rng=0),
        "others": {"imbalanced-learn": lambda: RandomOverSampler(
            random_state=seed).fit_resample(images.reshape(400, -1), labels)},
        "targets": {"imbalanced-learn": 0.8},
    }
    features = np.random.default_rng(0).normal(size=(2000, 512)).astype(np.float32)
    feature_labels = _kaggle_labels(2000)
    yield {
        "name": "smote embeddings 2000x512 float32",
        "ours": lambda: smote(features, feature_labels, rng=0),
        "others": {"imbalanced-learn": lambda: SMOTE(random_state=seed).fit_resample(
            features, feature_labels)},
        "targets": {"imbalanced-learn": 0.8},
    }
    many = _kaggle_labels(100_000)
    classes = np.arange(4)
    yield {
        "name": "class_weights 100k labels",
        "ours": lambda: class_weights(many),
        "others": {"scikit-learn": lambda: compute_class_weight("balanced", classes=classes,
                                                                y=many)},
        "targets": {"scikit-learn": 0.5},
    }
