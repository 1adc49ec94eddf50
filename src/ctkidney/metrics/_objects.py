"""Object-level detection scores: precision, recall and F1 over connected objects."""

import numbers
from typing import NamedTuple

import numpy as np
from scipy import ndimage

from ctkidney._shared.validation import check_mask, check_same_shape

__all__ = ["ObjectDetection", "object_detection"]


class ObjectDetection(NamedTuple):
    """Object-level scores of :func:`object_detection` (Python floats and ints)."""

    #: Share of predicted objects that come within the tolerance of a true one.
    precision: float
    #: Share of true objects that some predicted object comes within the tolerance of.
    recall: float
    #: Harmonic mean of precision and recall.
    f1: float
    #: Number of connected objects in the ground truth.
    n_truth: int
    #: Number of connected objects in the prediction.
    n_pred: int


def _hits(objects, count, other_near):
    """How many of the ``count`` labelled objects overlap ``other_near``."""
    if count == 0:
        return 0
    touched = np.unique(objects[other_near & (objects > 0)])
    return int(touched.size)


def object_detection(truth, pred, *, tolerance=2):
    """Precision, recall and F1 over the connected objects of two masks.

    Objects are the 8-connected components of each mask. A true object is
    *found* when some predicted pixel lies within ``tolerance`` pixels of it
    (chessboard distance: the object grown by a ``2 tolerance + 1`` square); a
    predicted object is *correct* when some true pixel lies within ``tolerance``
    pixels of it. Recall is the share of true objects found, precision the share
    of predicted objects that are correct. For stones, which are a few pixels
    across, this says whether each stone was found, which IoU cannot.

    Parameters
    ----------
    truth : (M, N) bool ndarray
        Ground-truth mask (integer or float arrays holding only 0 and 1 are
        accepted). Never modified.
    pred : (M, N) bool ndarray
        Predicted mask, the same shape.
    tolerance : int, optional
        How many pixels apart an object and the other mask may be and still
        count as a match (0: they must overlap). Default 2.

    Returns
    -------
    ObjectDetection
        ``(precision, recall, f1, n_truth, n_pred)``. With no true object,
        recall is 1.0; with no predicted object, precision is 1.0 (nothing
        claimed, nothing wrong); so two empty masks score 1.0 throughout, and an
        empty prediction of a non-empty truth scores F1 0.0. F1 is 0.0 when
        precision and recall are both 0.

    Raises
    ------
    TypeError
        For a non-numeric mask or a non-integer ``tolerance``.
    ValueError
        For masks that are not 2-D, empty, of different shapes or not 0/1, or a
        negative ``tolerance``.

    See Also
    --------
    iou : Pixel overlap of two masks.
    dice : Pixel Dice of two masks.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.metrics import object_detection
    >>> truth = np.zeros((20, 20), bool); truth[2:4, 2:4] = True; truth[10:12, 10:12] = True
    >>> pred = np.zeros((20, 20), bool); pred[4, 4] = True; pred[17, 2] = True
    >>> object_detection(truth, pred)
    ObjectDetection(precision=0.5, recall=0.5, f1=0.5, n_truth=2, n_pred=2)
    """
    truth = check_mask(truth, "truth")
    pred = check_mask(pred, "pred")
    check_same_shape(truth, pred, ("truth", "pred"))
    if isinstance(tolerance, bool) or not isinstance(tolerance, numbers.Integral):
        raise TypeError(f"tolerance must be an integer, got {type(tolerance).__name__}")
    if tolerance < 0:
        raise ValueError(f"tolerance must be >= 0, got {tolerance}")
    # A square wider than twice the image reaches every pixel from any pixel: a
    # larger tolerance changes nothing (and 10**9 must not allocate its square).
    tolerance = min(int(tolerance), max(truth.shape))
    eight = np.ones((3, 3), bool)
    truth_objects, n_truth = ndimage.label(truth, structure=eight)
    pred_objects, n_pred = ndimage.label(pred, structure=eight)
    if tolerance:
        # Dilation by the (2 tolerance + 1) square, as a separable maximum filter
        # (the outside is background).
        size = 2 * tolerance + 1
        truth_near = ndimage.maximum_filter(truth, size=size, mode="constant", cval=0)
        pred_near = ndimage.maximum_filter(pred, size=size, mode="constant", cval=0)
    else:
        truth_near, pred_near = truth, pred
    found = _hits(truth_objects, n_truth, pred_near)
    correct = _hits(pred_objects, n_pred, truth_near)
    recall = found / n_truth if n_truth else 1.0
    precision = correct / n_pred if n_pred else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ObjectDetection(float(precision), float(recall), float(f1), int(n_truth), int(n_pred))
