"""Connected components: labelling and size filters."""

import cv2
import numpy as np

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_mask, check_scalar
from ctkidney._shared.volume import check_ndim
from ctkidney.morphology._kernels import _label_kernel

__all__ = ["keep_largest", "label", "remove_small_objects"]


def _check_connectivity(connectivity, ndim=2):
    connectivity = check_scalar(connectivity, "connectivity", integer=True)
    if ndim == 3:
        # scipy's rank (1, 2, 3) or the neighbour count (6, 18, 26).
        aliases = {1: 1, 2: 2, 3: 3, 6: 1, 18: 2, 26: 3}
        if connectivity not in aliases:
            raise ValueError(f"connectivity must be 1, 2 or 3 (6, 18 or 26 neighbours) "
                             f"for a volume, got {connectivity!r}")
        return aliases[connectivity]
    aliases = {1: 1, 2: 2, 4: 1, 8: 2}
    if connectivity not in aliases:
        raise ValueError(f"connectivity must be 1 (4-neighbour) or 2 (8-neighbour), "
                         f"got {connectivity!r}")
    return aliases[connectivity]


def _check_label_mask(mask):
    return check_ndim(check_mask(mask, ndim=None), "mask")


def _label(mask, connectivity, backend="auto"):
    """Labels and count of a bool mask. OpenCV's Wu/SAUF labelling (also when it
    runs in parallel stripes) numbers components by their first pixel in raster
    order, exactly as scipy and our Numba kernel do (tested), and is faster.
    Volumes go to connected-components-3d (cc3d), which numbers them the same way."""
    if mask.ndim == 3 and 1 in mask.shape:
        # A volume one voxel thick (a single slice): its components are those of
        # the 2-D mask, 6-connectivity being 4 and 18 or 26 being 8 there, in the
        # same raster order. cc3d fails on such volumes at 26-connectivity.
        flat = np.squeeze(mask, axis=mask.shape.index(1))
        labels, count = _label(flat, min(connectivity, 2), backend)
        return labels.reshape(mask.shape), count
    if mask.ndim == 3:
        import cc3d

        labels, count = cc3d.connected_components(
            np.ascontiguousarray(mask), connectivity=(6, 18, 26)[connectivity - 1],
            out_dtype=np.uint32, return_N=True)
        count = int(count)
        if count > np.iinfo(np.int32).max:
            raise ValueError(f"mask has {count} components, more than int32 labels hold")
        return labels.view(np.int32), count
    work = np.ascontiguousarray(mask).view(np.uint8)
    if backend == "auto" or backend == "opencv":
        count, labels = cv2.connectedComponentsWithAlgorithm(
            work, 8 if connectivity == 2 else 4, cv2.CV_32S, cv2.CCL_WU)
        return labels, int(count) - 1
    labels = np.zeros(mask.shape, dtype=np.int32)
    count = _label_kernel(work, connectivity == 2, labels)
    return labels, int(count)


@fill_doc
def label(mask, *, connectivity=1):
    """Label the connected components of a mask or a volume.

    %(components_params)s

    Returns
    -------
    labels : int32 ndarray
        The shape of ``mask``: 0 on the background, ``1 .. count`` on the
        components, numbered in the raster order of their first pixel.
    count : int
        Number of components.

    Raises
    ------
    TypeError
        If ``mask`` is not boolean-like or ``connectivity`` is not an integer.
    ValueError
        If ``mask`` holds values other than 0 and 1, is not 2-D or 3-D or is
        empty, or ``connectivity`` is not one of the values above.

    See Also
    --------
    remove_small_objects : Drop the components below a size.
    keep_largest : Keep the largest component only.

    Notes
    -----
    Identical to :func:`scipy.ndimage.label` with the structure of
    ``scipy.ndimage.generate_binary_structure(2, connectivity)``, numbering
    included: components are numbered in the raster order of their first pixel.
    OpenCV's ``connectedComponents`` (Wu's scan) does the work; a Numba two-pass
    union-find labelling (unions keep the smaller provisional label as root, so the
    roots come out in raster order) gives the same result and is tested against
    it. Volumes are labelled by connected-components-3d (``cc3d``), whose
    numbering is scipy's too (tested).

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

    In a volume, two voxels that touch only at a corner are one object with 26
    neighbours (``connectivity=3``):

    >>> volume = np.zeros((2, 2, 2), dtype=bool)
    >>> volume[0, 0, 0] = volume[1, 1, 1] = True
    >>> label(volume)[1], label(volume, connectivity=26)[1]
    (2, 1)
    """
    mask = _check_label_mask(mask)
    connectivity = _check_connectivity(connectivity, mask.ndim)
    return _label(mask, connectivity)


def _component_sizes(mask, connectivity):
    labels, count = _label(mask, connectivity)
    return labels, np.bincount(labels.ravel(), minlength=count + 1)


@fill_doc
def remove_small_objects(mask, min_size, *, connectivity=1):
    """Remove the connected components smaller than ``min_size`` pixels (voxels).

    Parameters
    ----------
    %(volume_mask)s
    min_size : int
        Components with fewer pixels (voxels) are removed; ``>= 0``.
    %(volume_connectivity)s

    Returns
    -------
    cleaned : bool ndarray
        The mask without its small components.

    Raises
    ------
    TypeError
        If ``mask`` is not boolean-like or ``min_size`` is not an integer.
    ValueError
        If ``mask`` is not a 2-D or 3-D 0/1 array or ``min_size`` is negative.

    See Also
    --------
    label : Label the connected components.
    keep_largest : Keep the largest component only.

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
    mask = _check_label_mask(mask)
    min_size = check_scalar(min_size, "min_size", low=0, integer=True)
    connectivity = _check_connectivity(connectivity, mask.ndim)
    labels, sizes = _component_sizes(mask, connectivity)
    keep = sizes >= min_size
    keep[0] = False
    return keep[labels]


@fill_doc
def keep_largest(mask, *, connectivity=1):
    """Keep only the largest connected component of a mask or a volume.

    %(components_params)s

    Returns
    -------
    largest : bool ndarray
        The largest component (ties: the first in raster order); all False for an
        empty mask.

    Raises
    ------
    TypeError, ValueError
        As :func:`label`.

    See Also
    --------
    label : Label the connected components.
    remove_small_objects : Drop the components below a size.

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
    mask = _check_label_mask(mask)
    connectivity = _check_connectivity(connectivity, mask.ndim)
    labels, sizes = _component_sizes(mask, connectivity)
    if sizes.shape[0] == 1:
        return np.zeros(mask.shape, dtype=bool)
    return labels == 1 + int(np.argmax(sizes[1:]))
