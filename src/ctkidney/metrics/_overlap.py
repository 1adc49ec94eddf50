"""Overlap metrics for segmentations: IoU (Jaccard), Dice and mean IoU."""

import numbers

import numpy as np

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_mask, check_same_shape
from ctkidney._shared.volume import check_ndim

__all__ = ["dice", "iou", "mean_iou"]


def check_mask_pair(truth, pred):
    """Validate two masks of one shape, 2-D or 3-D (metrics' ``truth`` and ``pred``)."""
    truth = check_ndim(check_mask(truth, "truth", ndim=None), "truth")
    pred = check_ndim(check_mask(pred, "pred", ndim=None), "pred")
    check_same_shape(truth, pred, ("truth", "pred"))
    return truth, pred


def _overlap_counts(truth, pred):
    truth, pred = check_mask_pair(truth, pred)
    both = int(np.count_nonzero(truth & pred))
    return both, int(np.count_nonzero(truth)), int(np.count_nonzero(pred))


@fill_doc(name="iou", formula="|truth & pred| / |truth | pred|")
def iou(truth, pred):
    """Intersection over union (Jaccard index) of two masks.

    %(overlap)s

    See Also
    --------
    dice : Dice coefficient of two masks.
    mean_iou : Mean IoU over the labels of two label images.
    sklearn.metrics.jaccard_score : The oracle on flattened masks.

    %(overlap_notes)s
    """
    both, n_truth, n_pred = _overlap_counts(truth, pred)
    union = n_truth + n_pred - both
    return 1.0 if union == 0 else both / union


@fill_doc(name="dice", formula="2 |truth & pred| / (|truth| + |pred|)")
def dice(truth, pred):
    """Dice similarity coefficient (F1 score) of two masks.

    %(overlap)s

    See Also
    --------
    iou : Intersection over union of two masks.
    sklearn.metrics.f1_score : The oracle on flattened masks.

    %(overlap_notes)s
    """
    both, n_truth, n_pred = _overlap_counts(truth, pred)
    total = n_truth + n_pred
    return 1.0 if total == 0 else 2.0 * both / total


def _check_label_image(labels, name):
    if isinstance(labels, (str, bytes)) or labels is None:
        raise TypeError(f"{name} must be an integer label image, got {labels!r}")
    array = np.asarray(labels)
    if array.dtype != bool and array.dtype.kind not in "ui":
        raise TypeError(f"{name} must be an integer (or bool) label image, got dtype "
                        f"{array.dtype}")
    if array.ndim != 2:
        raise ValueError(f"{name} must be 2-D, got an array of shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    return array


def _check_labels(labels):
    if isinstance(labels, (str, bytes)) or np.ndim(labels) != 1:
        raise TypeError(f"labels must be a 1-D sequence of ints, got {labels!r}")
    values = []
    for value in labels:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
            raise TypeError(f"labels must contain ints, got {value!r}")
        values.append(int(value))
    if not values:
        raise ValueError("labels must not be empty")
    if len(set(values)) != len(values):
        raise ValueError(f"labels must not repeat a value, got {values}")
    return values


def mean_iou(truth_labels, pred_labels, *, labels=None):
    """Mean over labels of the IoU of each label's region.

    Parameters
    ----------
    truth_labels : (M, N) int ndarray
        Ground-truth label image (any integer dtype, or bool). Never modified.
    pred_labels : (M, N) int ndarray
        Predicted label image, the same shape.
    labels : sequence of int, optional
        The labels to average over. Default: every label present in either image,
        the background (0) included, as for semantic segmentation. A listed label
        present in neither image counts as 1.0, like :func:`iou` of two empty
        masks. To leave the background out, list the foreground labels.

    Returns
    -------
    float
        The unweighted mean of ``iou(truth_labels == k, pred_labels == k)`` over the
        labels ``k``, a Python float in [0, 1].

    Raises
    ------
    TypeError
        For a float label image, or ``labels`` that are not ints.
    ValueError
        For label images that are not 2-D, empty or of different shapes; an empty
        ``labels`` or one with repeated values.

    See Also
    --------
    iou : Intersection over union of two masks.
    sklearn.metrics.jaccard_score : The oracle on flattened masks.

    Notes
    -----
    One pass builds the confusion matrix of the labels; the IoU of label ``k`` is
    ``C[k, k] / (sum(C[k, :]) + sum(C[:, k]) - C[k, k])``. For the labels present
    in either image this equals scikit-learn's
    ``jaccard_score(truth.ravel(), pred.ravel(), average="macro")``.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.metrics import mean_iou
    >>> truth = np.array([[0, 0, 1, 1], [0, 0, 2, 2]])
    >>> pred = np.array([[0, 0, 1, 2], [0, 0, 2, 2]])
    >>> round(mean_iou(truth, pred), 4)
    0.7222
    >>> round(mean_iou(truth, pred, labels=[1, 2]), 4)
    0.5833
    """
    truth = _check_label_image(truth_labels, "truth_labels")
    pred = _check_label_image(pred_labels, "pred_labels")
    check_same_shape(truth, pred, ("truth_labels", "pred_labels"))
    if truth.dtype != pred.dtype:
        truth, pred = truth.astype(np.int64), pred.astype(np.int64)
    values, inverse = np.unique(np.concatenate([truth.ravel(), pred.ravel()]),
                                return_inverse=True)
    n = values.size
    inverse = inverse.ravel()
    codes = inverse[: truth.size] * n + inverse[truth.size:]
    confusion = np.bincount(codes, minlength=n * n).reshape(n, n)
    hits = np.diag(confusion)
    unions = confusion.sum(axis=0) + confusion.sum(axis=1) - hits
    per_label = dict(zip(values.tolist(), (hits / unions).tolist()))
    chosen = values.tolist() if labels is None else _check_labels(labels)
    return float(np.mean([per_label.get(k, 1.0) for k in chosen]))
