"""Classification summary: accuracy, per-class precision, recall (sensitivity),
specificity, F1 and the confusion matrix."""

import dataclasses

import numpy as np

from ctkidney._shared.validation import check_array

__all__ = ["ClassificationSummary", "classification_summary"]

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
    y_true = _check_targets(y_true, "y_true")
    y_pred = _check_targets(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must have the same length, got "
                         f"{y_true.size} and {y_pred.size}")
    if (y_true.dtype.kind == "U") != (y_pred.dtype.kind == "U"):
        raise TypeError(f"y_true and y_pred must both hold ints or both strings, got "
                        f"dtypes {y_true.dtype} and {y_pred.dtype}")
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
