"""The shortcut audit: how well the classes can be told apart by the grey-level
histogram alone (window and contrast phase, no anatomy). No TensorFlow here."""

import dataclasses
import warnings

import numpy as np

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_image, check_memory, check_scalar, rng_to_seed
from ctkidney.metrics import ClassificationSummary

__all__ = ["SHORTCUT_BINS", "ShortcutSummary", "histogram_features", "shortcut_baseline"]

#: Bins of the grey-level histogram that :func:`shortcut_baseline` sees.
SHORTCUT_BINS = 32

_DTYPE_TOP = {np.dtype(np.uint8): 256.0, np.dtype(np.uint16): 65536.0}


def _class_labels(labels, n):
    """``labels`` as a 1-D array of ``n`` integer or string class labels; floats
    (NaN would become a class), objects and mixed types are refused."""
    y = np.asarray(labels)
    if y.dtype.kind not in "biuUS":
        raise TypeError(f"labels must be integer or string class labels, got dtype {y.dtype}")
    if y.ndim != 1 or len(y) != n:
        raise ValueError(f"labels must be 1-D with one label per slice ({n}), "
                         f"got shape {y.shape}")
    return y


def _slices(images, name="images"):
    """A list of validated 2-D slices from an (N, H, W) array or a sequence."""
    if isinstance(images, np.ndarray):
        if images.ndim != 3:
            raise ValueError(f"{name} must be a stack (N, H, W) or a sequence of 2-D slices, "
                             f"got an array of shape {images.shape}")
        items = list(images)
    elif isinstance(images, (list, tuple)):
        items = list(images)
    else:
        raise TypeError(f"{name} must be an (N, H, W) array or a sequence of 2-D arrays, got "
                        f"{type(images).__name__}")
    if not items:
        raise ValueError(f"{name} must not be empty")
    return [check_image(item, f"{name}[{i}]") for i, item in enumerate(items)]


def histogram_features(images, *, bins=SHORTCUT_BINS):
    """The normalised grey-level histogram of each slice: window and phase, no anatomy.

    Parameters
    ----------
    images : (N, H, W) ndarray or sequence of 2-D ndarrays
        uint8, uint16 or float (0..255 scale) slices, any size. Never modified.
    bins : int, optional
        Number of equal bins over the dtype's range (0..256 for uint8 and float,
        0..65536 for uint16). Default 32.

    Returns
    -------
    features : (N, bins) float64 ndarray
        Each row sums to 1 (values outside the range are clipped into the end bins).

    Raises
    ------
    TypeError, ValueError
        For bad images, or ``bins`` below 2 or too large for memory.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.models import histogram_features
    >>> f = histogram_features(np.zeros((2, 8, 8), np.uint8), bins=4)
    >>> f.tolist()
    [[1.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]]
    """
    return _histograms(_slices(images), bins)


def _histograms(slices, bins):
    """:func:`histogram_features` of slices already validated (by :func:`_slices`)."""
    bins = check_scalar(bins, "bins", low=2, integer=True)
    check_memory(8 * len(slices) * bins, "bins", bins)
    out = np.empty((len(slices), bins), np.float64)
    for i, image in enumerate(slices):
        top = _DTYPE_TOP.get(image.dtype, 256.0)
        x = np.clip(image.astype(np.float64).ravel(), 0, top - 1e-6)
        counts, _ = np.histogram(x, bins=int(bins), range=(0.0, top))
        out[i] = counts / x.size
    return out


@dataclasses.dataclass(frozen=True)
class ShortcutSummary(ClassificationSummary):
    """A :class:`~ctkidney.metrics.ClassificationSummary` of the shortcut's
    out-of-fold predictions, pooled over the folds of a grouped cross-validation,
    with the accuracy of each fold.

    Attributes
    ----------
    fold_accuracy : list of float
        Accuracy on the test groups of each fold (one entry for a single split).
    interval : tuple of float
        ``(low, high)``: the 95 % interval of :attr:`accuracy` over the tested
        groups (:func:`ctkidney.metrics.accuracy_interval`, whole groups
        resampled). Empty for a summary made without it.
    test_groups : int
        Number of groups tested (0 without an interval).
    """

    fold_accuracy: list = dataclasses.field(default_factory=list)
    interval: tuple = ()
    test_groups: int = 0

    @property
    def accuracy_mean(self):
        """Mean of :attr:`fold_accuracy` (float)."""
        return float(np.mean(self.fold_accuracy))

    @property
    def accuracy_sd(self):
        """Standard deviation of :attr:`fold_accuracy` over the folds (float; 0 for
        one split)."""
        return float(np.std(self.fold_accuracy))

    def to_dict(self):
        """The summary, the fold accuracies, their mean and sd, and the accuracy's
        interval (dict)."""
        return {**super().to_dict(), "fold_accuracy": list(self.fold_accuracy),
                "accuracy_mean": self.accuracy_mean, "accuracy_sd": self.accuracy_sd,
                "interval_95": list(self.interval), "test_groups": self.test_groups}


def _test_sets(y, groups, cv, test_size, seed):
    """The test indices of each grouped split: ``cv`` folds of
    ``StratifiedGroupKFold`` (no more than there are groups, nor slices in the
    smallest class, which scikit-learn refuses), or one split."""
    from sklearn.model_selection import StratifiedGroupKFold

    from ctkidney.data import split

    n_folds = 0 if cv is None else min(cv, len(np.unique(groups)),
                                       int(np.unique(y, return_counts=True)[1].min()))
    if n_folds < 2:
        return [split(y, test_size=test_size, rng=seed, groups=groups)]
    folds = StratifiedGroupKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        # Fewer groups of a class than folds: scikit-learn warns, the folds stay valid.
        warnings.simplefilter("ignore", UserWarning)
        return list(folds.split(np.zeros(len(y)), y, groups))


@fill_doc
def shortcut_baseline(images, labels, *, groups=None, rng=None, cv=5, test_size=0.25,
                      class_names=None):
    """Accuracy of a classifier that sees only each slice's grey-level histogram.

    A 32-bin intensity histogram per slice (:func:`histogram_features`) and
    scikit-learn's ``HistGradientBoostingClassifier`` (balanced class weights),
    trained and tested on grouped splits: by default a grouped 5-fold
    cross-validation (``StratifiedGroupKFold``), whose out-of-fold predictions
    are pooled, so every slice is tested once; with ``cv=None`` one grouped,
    stratified split (:func:`ctkidney.data.split`). It has no notion of anatomy:
    whatever accuracy it reaches comes from the window, the contrast phase and the
    scanner, which in the Kaggle CT kidney data differ by class (Normal and Tumor
    slices look enhanced, Cyst and Stone slices plain). Print it next to a model's
    accuracy to see how much of that accuracy the shortcut alone explains. Needs
    no TensorFlow.

    Parameters
    ----------
    images : (N, H, W) ndarray or sequence of 2-D ndarrays
        The slices (uint8, uint16 or float in the 0..255 scale), any size. Never
        modified.
    labels : (N,) array_like of int or str
        Class of each slice.
    groups : (N,) array_like of int, optional
        Patient (or series) of each slice; every group goes wholly to train or to
        test. Default: :func:`ctkidney.data.group_near_duplicates` of the images.
    %(rng)s
    cv : int or None, optional
        Number of folds of the grouped cross-validation (at most the number of
        groups and of slices in the smallest class; one split of ``test_size``
        when that is below 2), or None for one grouped split of ``test_size``. Default 5: on few
        patients one split swings with the seed (0.22-0.55 on the real Kaggle
        development slices), the pooled folds much less.
    test_size : float, optional
        Fraction of the slices in the test set when ``cv`` is None. Default 0.25.
    class_names : sequence of str, optional
        Names of the classes for the summary. Default: :data:`ctkidney.data.CLASSES`
        for integer labels 0..3 (all four present), else the labels themselves.

    Returns
    -------
    summary : ShortcutSummary
        A :class:`~ctkidney.metrics.ClassificationSummary` (accuracy, balanced
        accuracy, per-class sensitivity and specificity and the confusion matrix)
        of the test predictions, pooled over the folds, with ``fold_accuracy``
        (one entry per fold) and its ``accuracy_mean`` and ``accuracy_sd``, and
        the pooled accuracy's 95 %% ``interval`` over the ``test_groups`` groups
        tested (:func:`ctkidney.metrics.accuracy_interval`).

    Raises
    ------
    TypeError, ValueError
        For bad images, labels, groups (e.g. of the wrong length, or a single
        group: no grouped split exists) or ``cv``.

    See Also
    --------
    random_window : The window change under which this shortcut falls apart.
    SliceClassifier

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.models import shortcut_baseline
    >>> rng = np.random.default_rng(0)
    >>> labels = np.repeat([0, 1], 40)
    >>> images = rng.integers(0, 100, (80, 16, 16)).astype(np.uint8)
    >>> images[labels == 1] += 100   # class 1 is brighter: a pure window shortcut
    >>> summary = shortcut_baseline(images, labels, groups=np.arange(80) // 4, rng=0,
    ...                             class_names=["dark", "bright"])
    >>> summary.accuracy, summary.n_samples, len(summary.fold_accuracy)
    (1.0, 80, 5)
    >>> summary.interval, summary.test_groups
    ((1.0, 1.0), 20)
    """
    from sklearn.ensemble import HistGradientBoostingClassifier

    from ctkidney.data import CLASSES, group_near_duplicates
    from ctkidney.metrics import accuracy_interval, classification_summary

    slices = _slices(images)
    features = _histograms(slices, SHORTCUT_BINS)
    y = _class_labels(labels, len(features))
    if cv is not None:
        cv = check_scalar(cv, "cv", low=2, integer=True)
    given = groups is not None
    if not given:
        groups = group_near_duplicates(slices)
    groups = np.asarray(groups)
    if groups.shape != y.shape:
        raise ValueError(f"groups must have one entry per slice ({len(y)}), got shape "
                         f"{groups.shape}")
    if len(np.unique(groups)) < 2:
        raise ValueError("groups must hold at least 2 groups for a grouped split, got one"
                         if given else "images: all are near-duplicates of one another "
                         "(one group), so no grouped split exists; pass groups")
    seed = rng_to_seed(rng)
    tested, predicted, fold_accuracy = [], [], []
    for train, test in _test_sets(y, groups, cv, test_size, seed):
        model = HistGradientBoostingClassifier(max_iter=150, learning_rate=0.1,
                                               class_weight="balanced", random_state=seed)
        model.fit(features[train], y[train])
        guess = model.predict(features[test])
        tested.append(test)
        predicted.append(guess)
        fold_accuracy.append(float(np.mean(guess == y[test])))
    tested, predicted = np.concatenate(tested), np.concatenate(predicted)
    if (class_names is None and y.dtype.kind in "iu" and y.min() >= 0
            and y.max() == len(CLASSES) - 1):
        class_names = CLASSES
    pooled = classification_summary(y[tested], predicted, class_names=class_names)
    # Group ids of any kind (floats too) as integer codes, in the same order.
    codes = np.unique(groups, return_inverse=True)[1].ravel()
    interval = accuracy_interval(y[tested], predicted, groups=codes[tested], rng=seed)
    return ShortcutSummary(**dataclasses.asdict(pooled), fold_accuracy=fold_accuracy,
                           interval=(interval.low, interval.high),
                           test_groups=interval.n_groups)
