"""Connected components: labelling and size filters."""

import cv2
import numpy as np

from ctkidney._shared.validation import check_mask, check_scalar
from ctkidney.morphology._docs import fill_morph_doc
from ctkidney.morphology._kernels import _label_kernel

__all__ = ["keep_largest", "label", "remove_small_objects"]


def _check_connectivity(connectivity):
    connectivity = check_scalar(connectivity, "connectivity", integer=True)
    if connectivity not in (1, 2):
        raise ValueError(f"connectivity must be 1 (4-neighbour) or 2 (8-neighbour), "
                         f"got {connectivity!r}")
    return connectivity


def _label(mask, connectivity, backend="auto"):
    """Labels and count of a bool mask. OpenCV's Wu/SAUF labelling (also when it
    runs in parallel stripes) numbers components by their first pixel in raster
    order, exactly as scipy and our Numba kernel do (tested), and is faster."""
    work = np.ascontiguousarray(mask).view(np.uint8)
    if backend == "auto" or backend == "opencv":
        count, labels = cv2.connectedComponentsWithAlgorithm(
            work, 8 if connectivity == 2 else 4, cv2.CV_32S, cv2.CCL_WU)
        return labels, int(count) - 1
    labels = np.zeros(mask.shape, dtype=np.int32)
    count = _label_kernel(work, connectivity == 2, labels)
    return labels, int(count)


@fill_morph_doc
def label(mask, *, connectivity=1):
    """Label the connected components of a mask.

    Parameters
    ----------
    %(mask)s
    %(connectivity)s

    Returns
    -------
    labels : (M, N) int32 ndarray
        0 on the background, ``1 .. count`` on the components, numbered in the
        raster order of their first pixel.
    count : int
        Number of components.

    Raises
    ------
    TypeError
        If ``mask`` is not boolean-like or ``connectivity`` is not an integer.
    ValueError
        If ``mask`` holds values other than 0 and 1, is not 2-D or is empty, or
        ``connectivity`` is not 1 or 2.

    See Also
    --------
    remove_small_objects, keep_largest

    Notes
    -----
    Identical to :func:`scipy.ndimage.label` with the structure of
    ``scipy.ndimage.generate_binary_structure(2, connectivity)``, numbering
    included: components are numbered in the raster order of their first pixel.
    OpenCV's ``connectedComponents`` (Wu's scan) does the work; a Numba two-pass
    union-find labelling (unions keep the smaller provisional label as root, so the
    roots come out in raster order) gives the same result and is tested against
    it.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.morphology import label
    >>> mask = np.array([[1, 0, 0, 1],
    ...                  [0, 1, 0, 1]], dtype=bool)
    >>> labels, count = label(mask)
    >>> labels
    array([[1, 0, 0, 2],
           [0, 3, 0, 2]], dtype=int32)
    >>> count
    3
    >>> label(mask, connectivity=2)[1]
    2
    """
    mask = check_mask(mask)
    connectivity = _check_connectivity(connectivity)
    return _label(mask, connectivity)


def _component_sizes(mask, connectivity):
    labels, count = _label(mask, connectivity)
    return labels, np.bincount(labels.ravel(), minlength=count + 1)


@fill_morph_doc
def remove_small_objects(mask, min_size, *, connectivity=1):
    """Remove the connected components smaller than ``min_size`` pixels.

    Parameters
    ----------
    %(mask)s
    min_size : int
        Components with fewer pixels are removed; ``>= 0``.
    %(connectivity)s

    Returns
    -------
    cleaned : (M, N) bool ndarray
        The mask without its small components.

    Raises
    ------
    TypeError
        If ``mask`` is not boolean-like or ``min_size`` is not an integer.
    ValueError
        If ``mask`` is not a 2-D 0/1 array or ``min_size`` is negative.

    See Also
    --------
    label, keep_largest

    Notes
    -----
    Same as :func:`skimage.morphology.remove_small_objects` on a bool mask with the
    same ``min_size`` and ``connectivity``.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.morphology import remove_small_objects
    >>> mask = np.array([[1, 1, 0, 0, 1],
    ...                  [1, 1, 0, 0, 0]], dtype=bool)
    >>> remove_small_objects(mask, 2).astype(int)
    array([[1, 1, 0, 0, 0],
           [1, 1, 0, 0, 0]])
    """
    mask = check_mask(mask)
    min_size = check_scalar(min_size, "min_size", low=0, integer=True)
    connectivity = _check_connectivity(connectivity)
    labels, sizes = _component_sizes(mask, connectivity)
    keep = sizes >= min_size
    keep[0] = False
    return keep[labels]


@fill_morph_doc
def keep_largest(mask, *, connectivity=1):
    """Keep only the largest connected component of a mask.

    Parameters
    ----------
    %(mask)s
    %(connectivity)s

    Returns
    -------
    largest : (M, N) bool ndarray
        The largest component (ties: the first in raster order); all False for an
        empty mask.

    Raises
    ------
    TypeError, ValueError
        As :func:`label`.

    See Also
    --------
    label, remove_small_objects

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.morphology import keep_largest
    >>> mask = np.array([[1, 0, 1, 1],
    ...                  [0, 0, 1, 1]], dtype=bool)
    >>> keep_largest(mask).astype(int)
    array([[0, 0, 1, 1],
           [0, 0, 1, 1]])
    """
    mask = check_mask(mask)
    connectivity = _check_connectivity(connectivity)
    labels, sizes = _component_sizes(mask, connectivity)
    if sizes.shape[0] == 1:
        return np.zeros(mask.shape, dtype=bool)
    return labels == 1 + int(np.argmax(sizes[1:]))
