"""Classification summary: accuracy, per-class precision, recall (sensitivity),
specificity, F1 and the confusion matrix; the accuracy's interval over groups of
samples."""

import dataclasses
from typing import NamedTuple

import numpy as np

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_array, check_rng, check_scalar

__all__ = ["AccuracyInterval", "ClassificationSummary", "accuracy_interval",
           "classification_summary"]

_PER_CLASS = ("precision", "recall", "specificity", "f1")


def _ratio(numerator, denominator):
    # zero_division=0: an undefined ratio (0 / 0) is reported as 0.0, without warning.
    return float(numerator / denominator) if denominator else 0.0


@dataclasses.dataclass(frozen=True)
class ClassificationSummary:
    """Accuracy and per-class scores of a classifier, from its confusion matrix.

    Made by :func:`classification_summary`. Lists are in class order (the order of
    ``class_names``). Ratios whose denominator is zero are 0.0 (scikit-learn's
    ``zero_division=0``).

    Attributes
    ----------
    class_names : list of str
        Name of each class.
    labels : list of int or str
        The label value of each class in ``y_true``/``y_pred``.
    accuracy : float
        Fraction of samples predicted correctly.
    precision : list of float
        ``TP / (TP + FP)`` per class: of the samples predicted as the class, the
        fraction that are.
    recall : list of float
        ``TP / (TP + FN)`` per class, the sensitivity (true-positive rate): of the
        samples of the class, the fraction found.
    specificity : list of float
        ``TN / (TN + FP)`` per class (true-negative rate, one class against the
        rest): of the samples of the other classes, the fraction not predicted as
        this class.
    f1 : list of float
        ``2 TP / (2 TP + FP + FN)`` per class, the harmonic mean of precision and
        recall.
    support : list of int
        Number of samples of each class in ``y_true``.
    confusion_matrix : list of list of int
        ``confusion_matrix[i][j]``: samples of class ``i`` predicted as class ``j``
        (rows true, columns predicted).
    """

    class_names: list
    labels: list
    accuracy: float
    precision: list
    recall: list
    specificity: list
    f1: list
    support: list
    confusion_matrix: list

    @property
    def n_samples(self):
        """Number of samples (int)."""
        return int(sum(self.support))

    @property
    def sensitivity(self):
        """Per-class sensitivity, the same as :attr:`recall` (list of float)."""
        return self.recall

    @property
    def macro(self):
        """Unweighted means over the classes of precision, recall, specificity and
        F1 (dict of float), as scikit-learn's ``average="macro"``."""
        return {name: float(np.mean(getattr(self, name))) for name in _PER_CLASS}

    @property
    def balanced_accuracy(self):
        """Mean recall over the classes present in ``y_true`` (float), as
        scikit-learn's ``balanced_accuracy_score``: robust to class imbalance."""
        present = [r for r, s in zip(self.recall, self.support) if s > 0]
        return float(np.mean(present))

    def to_dict(self):
        """The summary as JSON-able built-in types (dict)."""
        per_class = {
            name: {**{key: getattr(self, key)[k] for key in _PER_CLASS},
                   "support": self.support[k]}
            for k, name in enumerate(self.class_names)
        }
        return {
            "class_names": list(self.class_names),
            "labels": list(self.labels),
            "n_samples": self.n_samples,
            "accuracy": self.accuracy,
            "balanced_accuracy": self.balanced_accuracy,
            "per_class": per_class,
            "macro": self.macro,
            "confusion_matrix": [list(row) for row in self.confusion_matrix],
        }

    def table(self, digits=3):
        """A plain-text report: per-class scores, macro averages, accuracy and the
        confusion matrix (str)."""
        names = [str(n) for n in self.class_names]
        first = max(len("balanced accuracy"), *(len(n) for n in names))
        heads = ("precision", "recall", "specificity", "f1", "support")
        width = max(len(h) for h in heads)
        lines = [" " * first + "".join(f" {h:>{width}}" for h in heads)]

        def row(label, values, support):
            cells = "".join(f" {v:>{width}.{digits}f}" for v in values)
            return f"{label:<{first}}{cells} {support:>{width}d}"

        for k, name in enumerate(names):
            values = [getattr(self, key)[k] for key in _PER_CLASS]
            lines.append(row(name, values, self.support[k]))
        lines.append("")
        lines.append(row("macro avg", list(self.macro.values()), self.n_samples))
        for label, value in (("accuracy", self.accuracy),
                             ("balanced accuracy", self.balanced_accuracy)):
            lines.append(f"{label:<{first}}{'':>{3 * (width + 1)}} {value:>{width}.{digits}f} "
                         f"{self.n_samples:>{width}d}")
        lines.append("")
        lines.append("confusion matrix (rows: true class, columns: predicted class)")
        cell = max(max(len(n) for n in names), len(str(self.n_samples)))
        lines.append(" " * first + "".join(f" {n:>{cell}}" for n in names))
        for name, counts in zip(names, self.confusion_matrix):
            lines.append(f"{name:<{first}}" + "".join(f" {c:>{cell}d}" for c in counts))
        return "\n".join(lines)

    def __str__(self):
        return self.table()


def _check_targets(values, name):
    array = check_array(values, name, "a 1-D sequence of class labels", ndim=1)
    if array.dtype == bool:
        array = array.astype(np.int64)
    if array.dtype.kind not in "uiU":
        raise TypeError(
            f"{name} must hold integer class indices or strings, got dtype {array.dtype}"
            + (" (convert with .astype(int))" if array.dtype.kind == "f" else "")
        )
    return array


def _check_pair(y_true, y_pred):
    """``y_true`` and ``y_pred`` checked as labels of the same kind and length."""
    y_true = _check_targets(y_true, "y_true")
    y_pred = _check_targets(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must have the same length, got "
                         f"{y_true.size} and {y_pred.size}")
    if (y_true.dtype.kind == "U") != (y_pred.dtype.kind == "U"):
        raise TypeError(f"y_true and y_pred must both hold ints or both strings, got "
                        f"dtypes {y_true.dtype} and {y_pred.dtype}")
    return y_true, y_pred


def _check_class_names(class_names):
    if isinstance(class_names, (str, bytes)):
        raise TypeError(f"class_names must be a sequence of str, got {class_names!r}")
    names = list(class_names)
    if not names or not all(isinstance(n, str) for n in names):
        raise TypeError(f"class_names must be a non-empty sequence of str, got {names!r}")
    if len(set(names)) != len(names):
        raise ValueError(f"class_names must be unique, got {names!r}")
    return names


def _class_labels(y_true, y_pred, class_names):
    """The label value and the name of each class, in class order."""
    if class_names is None:
        labels = np.union1d(y_true, y_pred).tolist()
        return labels, [str(v) for v in labels]
    names = _check_class_names(class_names)
    if y_true.dtype.kind == "U":
        labels = names
    else:
        labels = list(range(len(names)))
    for array, name in ((y_true, "y_true"), (y_pred, "y_pred")):
        unknown = np.setdiff1d(array, labels)
        if unknown.size:
            expected = (f"indices 0..{len(names) - 1}" if array.dtype.kind != "U"
                        else f"one of {names}")
            raise ValueError(f"{name} holds labels that are not classes ({expected}): "
                             f"{unknown[:5].tolist()}")
    return labels, names


def classification_summary(y_true, y_pred, *, class_names=None):
    """Accuracy and per-class precision, recall (sensitivity), specificity and F1.

    Parameters
    ----------
    y_true : (n,) array_like of int or str
        True class of each sample: integer class indices, or class names. Never
        modified.
    y_pred : (n,) array_like of int or str
        Predicted class of each sample, the same kind as ``y_true``.
    class_names : sequence of str, optional
        Names of the classes, in class order (e.g. ``ctkidney.data.CLASSES``).
        With integer labels, class ``k`` is ``class_names[k]`` and every label must
        be in ``0 .. len(class_names) - 1``; with string labels, every label must be
        one of the names. Classes that never occur still get a row (all zeros).
        Default: the sorted labels that occur in ``y_true`` or ``y_pred``, named by
        ``str(label)``.

    Returns
    -------
    ClassificationSummary
        ``accuracy`` (float); per-class lists ``precision``, ``recall``,
        ``specificity``, ``f1`` (float) and ``support`` (int); the
        ``confusion_matrix`` (list of lists of int, rows true, columns predicted);
        also ``macro``, ``balanced_accuracy``, ``to_dict()`` and a text ``table()``
        (its ``str``).

    Raises
    ------
    TypeError
        For float, 2-D-object or mixed int/str labels, or ``class_names`` that are
        not a sequence of str.
    ValueError
        For empty or non-1-D label arrays, arrays of different lengths, labels that
        are not classes, or repeated ``class_names``.

    See Also
    --------
    sklearn.metrics.classification_report : The same scores as text.
    sklearn.metrics.confusion_matrix : The matrix the scores come from.

    Notes
    -----
    Each class is scored one-against-the-rest from the confusion matrix ``C``:
    ``TP = C[k, k]``, ``FP = sum(C[:, k]) - TP``, ``FN = sum(C[k, :]) - TP`` and
    ``TN = n - TP - FP - FN``. Sensitivity is the recall ``TP / (TP + FN)`` and
    specificity ``TN / (TN + FP)``, the pair reported by clinical studies (and by
    the seed study); scikit-learn has no specificity. A ratio with a zero
    denominator (a class never predicted, never present, or the only class) is 0.0
    and raises no warning, as with scikit-learn's ``zero_division=0``. The values
    equal scikit-learn's ``precision_recall_fscore_support(..., labels=...,
    zero_division=0)``, ``confusion_matrix`` and ``accuracy_score``.

    Examples
    --------
    >>> from ctkidney.metrics import classification_summary
    >>> s = classification_summary([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0],
    ...                            class_names=["Cyst", "Normal", "Stone"])
    >>> round(s.accuracy, 4)
    0.6667
    >>> [round(v, 3) for v in s.recall]        # sensitivity
    [0.5, 1.0, 0.5]
    >>> [round(v, 3) for v in s.specificity]
    [0.75, 0.75, 1.0]
    >>> s.confusion_matrix
    [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    >>> print(s)  # doctest: +NORMALIZE_WHITESPACE
                        precision    recall specificity        f1   support
    Cyst                    0.500     0.500       0.750     0.500         2
    Normal                  0.667     1.000       0.750     0.800         2
    Stone                   1.000     0.500       1.000     0.667         2
    <BLANKLINE>
    macro avg               0.722     0.667       0.833     0.656         6
    accuracy                                                0.667         6
    balanced accuracy                                       0.667         6
    <BLANKLINE>
    confusion matrix (rows: true class, columns: predicted class)
                        Cyst Normal  Stone
    Cyst                   1      1      0
    Normal                 0      2      0
    Stone                  1      0      1
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    labels, names = _class_labels(y_true, y_pred, class_names)
    n_classes = len(labels)
    order = np.asarray(labels)
    sorter = np.argsort(order, kind="stable")
    true_idx = sorter[np.searchsorted(order, y_true, sorter=sorter)]
    pred_idx = sorter[np.searchsorted(order, y_pred, sorter=sorter)]
    confusion = np.bincount(true_idx * n_classes + pred_idx,
                            minlength=n_classes * n_classes).reshape(n_classes, n_classes)
    n = int(y_true.size)
    tp = np.diag(confusion)
    predicted = confusion.sum(axis=0)
    actual = confusion.sum(axis=1)
    fp = predicted - tp
    fn = actual - tp
    tn = n - tp - fp - fn
    return ClassificationSummary(
        class_names=list(names),
        labels=[v.item() if isinstance(v, np.generic) else v for v in labels],
        accuracy=float(tp.sum() / n),
        precision=[_ratio(tp[k], predicted[k]) for k in range(n_classes)],
        recall=[_ratio(tp[k], actual[k]) for k in range(n_classes)],
        specificity=[_ratio(tn[k], tn[k] + fp[k]) for k in range(n_classes)],
        f1=[_ratio(2 * tp[k], 2 * tp[k] + fp[k] + fn[k]) for k in range(n_classes)],
        support=[int(s) for s in actual],
        confusion_matrix=confusion.astype(int).tolist(),
    )


#: Most resamples :func:`accuracy_interval` draws (more adds nothing a percentile
#: can show, and costs memory: 8 bytes each).
MAX_RESAMPLES = 1_000_000


class AccuracyInterval(NamedTuple):
    """An accuracy and its bootstrap interval, from :func:`accuracy_interval`
    (Python floats and ints)."""

    #: Fraction of samples predicted correctly.
    accuracy: float
    #: Lower end of the interval.
    low: float
    #: Upper end of the interval.
    high: float
    #: Number of groups (of samples, without ``groups``) the resamples draw from.
    n_groups: int


def _check_groups(groups, n):
    array = check_array(groups, "groups", "a 1-D sequence of group ids", ndim=1)
    if array.dtype.kind not in "biuU":
        raise TypeError(f"groups must hold integer or string ids, got dtype {array.dtype}")
    if array.size != n:
        raise ValueError(f"groups must have one id per sample ({n}), got {array.size}")
    return array


@fill_doc
def accuracy_interval(y_true, y_pred, *, groups=None, level=0.95, resamples=2000, rng=None):
    """Accuracy with a bootstrap interval that respects groups of samples.

    Slices of one patient's series are not independent: neighbouring slices are
    near-duplicates and are right or wrong together. An interval that resamples
    slices one by one is then far too narrow. With ``groups`` (patient ids, or
    :func:`ctkidney.data.group_near_duplicates`) each resample draws as many
    groups as there are, with replacement, each with all its samples (a cluster
    bootstrap), and the interval is the central ``level`` share of the resampled
    accuracies (percentile method).

    Parameters
    ----------
    y_true : (n,) array_like of int or str
        True class of each sample. Never modified.
    y_pred : (n,) array_like of int or str
        Predicted class of each sample, the same kind as ``y_true``.
    groups : (n,) array_like of int or str, optional
        Group of each sample. Default: every sample its own group (the ordinary
        bootstrap).
    level : float, optional
        Coverage of the interval, in (0, 1). Default 0.95.
    resamples : int, optional
        Number of bootstrap resamples, 1 to 1,000,000 (the time grows with
        ``resamples`` times the number of groups). Default 2000.
    %(rng)s

    Returns
    -------
    AccuracyInterval
        ``accuracy``, ``low`` and ``high`` (float, in [0, 1]; ``low <= high``) and
        ``n_groups`` (int).

    Raises
    ------
    TypeError
        For float or mixed int/str labels or group ids.
    ValueError
        For empty or non-1-D arrays, arrays of different lengths, ``level`` outside
        (0, 1) or ``resamples`` outside 1 to 1,000,000.

    See Also
    --------
    classification_summary : The accuracy and the per-class scores.
    ctkidney.data.group_near_duplicates : Groups of near-duplicate slices.

    Notes
    -----
    A resample's accuracy is the number of correct samples in its drawn groups
    over their number of samples, so a large group weighs by its size, as in the
    accuracy itself. Duplicating samples inside their groups leaves the interval
    as it is; splitting a group into independent samples narrows it. With few
    groups the interval is wide and coarse (with ``k`` groups a resample can take
    only a few distinct values): that is the honest answer, not a defect.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.metrics import accuracy_interval
    >>> y_true = np.repeat([0, 1, 0, 1], 10)          # 4 series of 10 slices
    >>> y_pred = np.repeat([0, 1, 1, 1], 10)          # one series wrong
    >>> r = accuracy_interval(y_true, y_pred, groups=np.repeat([0, 1, 2, 3], 10), rng=0)
    >>> r.accuracy, r.n_groups
    (0.75, 4)
    >>> round(r.low, 2), round(r.high, 2)             # four groups tell little
    (0.25, 1.0)
    >>> r = accuracy_interval(y_true, y_pred, rng=0)  # 40 "independent" slices
    >>> round(r.low, 2), round(r.high, 2)
    (0.6, 0.88)
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    level = check_scalar(level, "level", low=0, high=1, low_open=True, high_open=True)
    resamples = check_scalar(resamples, "resamples", low=1, high=MAX_RESAMPLES, integer=True)
    generator = check_rng(rng)
    correct = (y_true == y_pred).astype(np.float64)
    if groups is None:
        inverse = np.arange(correct.size)
    else:
        inverse = np.unique(_check_groups(groups, correct.size), return_inverse=True)[1]
    hits = np.bincount(inverse, weights=correct)
    sizes = np.bincount(inverse).astype(np.float64)
    n_groups = hits.size
    accuracies = np.empty(resamples)
    # In chunks: a resample is one row of n_groups draws.
    chunk = max(1, 2**22 // n_groups)
    for start in range(0, resamples, chunk):
        draws = generator.integers(0, n_groups, (min(chunk, resamples - start), n_groups))
        accuracies[start:start + len(draws)] = hits[draws].sum(axis=1) / sizes[draws].sum(axis=1)
    tail = 50.0 * (1.0 - level)
    low, high = np.percentile(accuracies, (tail, 100.0 - tail))
    return AccuracyInterval(float(correct.mean()), float(low), float(high), int(n_groups))
