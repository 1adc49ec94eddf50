"""Binary tools: hit-or-miss, boundary, hole filling and skeleton."""

import numpy as np

from ctkidney._shared._kernels import _flood_kernel
from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_footprint, check_mask
from ctkidney._shared.volume import check_ndim
from ctkidney.morphology._footprints import normalize_footprint
from ctkidney.morphology._kernels import _hit_or_miss_kernel
from ctkidney.morphology._operators import _erode

__all__ = ["boundary", "fill_holes", "hit_or_miss", "skeletonize"]


def _offsets(structure):
    # scipy.ndimage's origin-0 convention: index i of a side of length s is offset
    # i - s // 2 (even sides reach one pixel further back than forward).
    rows, cols = np.nonzero(structure)
    return ((rows - structure.shape[0] // 2).astype(np.int64),
            (cols - structure.shape[1] // 2).astype(np.int64))


def _check_miss(miss):
    # Like check_footprint, but an all-False structure is a valid "no condition".
    if isinstance(miss, (np.ndarray, list, tuple)):
        array = np.asarray(miss)
        if (array.ndim == 2 and array.size and array.dtype.kind in "biuf"
                and not array.any()):
            return array.astype(bool)
    return check_footprint(miss, "miss")


@fill_doc
def hit_or_miss(mask, hit, miss=None):
    """Hit-or-miss transform: where ``hit`` fits the foreground and ``miss`` fits
    the background.

    Parameters
    ----------
    %(mask)s
    hit : (P, Q) bool ndarray
        Pixels that must be foreground, relative to the centre ``(P // 2, Q // 2)``.
    miss : (R, S) bool ndarray, optional
        Pixels that must be background, relative to its own centre. Default:
        ``~hit``. May be all False (no background condition).

    Returns
    -------
    matches : (M, N) bool ndarray
        True where both conditions hold. Pixels outside the image are background:
        a ``hit`` that reaches outside fails, a ``miss`` there holds.

    Raises
    ------
    TypeError
        If an argument is not boolean-like.
    ValueError
        If ``mask`` is not a 2-D 0/1 array, ``hit`` is empty or all False, or a
        structure is not 2-D.

    See Also
    --------
    erosion : The greyscale erosion; for masks, the same.

    Notes
    -----
    Identical to :func:`scipy.ndimage.binary_hit_or_miss` with its default origins.

    Examples
    --------
    Find isolated pixels (a foreground pixel whose 8 neighbours are background):

    >>> import numpy as np
    >>> from ctkidney.morphology import hit_or_miss
    >>> mask = np.zeros((5, 5), dtype=bool)
    >>> mask[1, 1] = mask[3, 2] = mask[3, 3] = True
    >>> hit = np.zeros((3, 3), dtype=bool)
    >>> hit[1, 1] = True
    >>> np.argwhere(hit_or_miss(mask, hit))
    array([[1, 1]])
    """
    mask = check_mask(mask)
    hit = check_footprint(hit, "hit")
    miss = ~hit if miss is None else _check_miss(miss)
    out = np.empty(mask.shape, dtype=bool)
    _hit_or_miss_kernel(np.ascontiguousarray(mask), *_offsets(hit), *_offsets(miss), out)
    return out


@fill_doc
def boundary(mask, footprint=None):
    """Inner boundary of a mask: the mask minus its erosion.

    Parameters
    ----------
    %(volume_mask)s
    %(footprint)s

    Returns
    -------
    edge : bool ndarray
        The shape of ``mask``: foreground pixels whose footprint neighbourhood
        reaches the background.
        Pixels outside the image are ignored, so an object cut by the image
        border has no boundary along it.

    Raises
    ------
    TypeError, ValueError
        If ``mask`` is not a 2-D or 3-D 0/1 array or ``footprint`` is invalid.

    See Also
    --------
    erosion : The greyscale erosion; for masks, the same.
    gradient : Dilation minus erosion (the thick boundary).

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.morphology import boundary
    >>> mask = np.zeros((5, 5), dtype=bool)
    >>> mask[1:4, 1:4] = True
    >>> boundary(mask).astype(int)
    array([[0, 0, 0, 0, 0],
           [0, 1, 1, 1, 0],
           [0, 1, 0, 1, 0],
           [0, 1, 1, 1, 0],
           [0, 0, 0, 0, 0]])
    """
    mask = check_ndim(check_mask(mask, ndim=None), "mask")
    return mask & ~_erode(mask, normalize_footprint(footprint, ndim=mask.ndim))


@fill_doc
def fill_holes(mask):
    """Fill the holes of a mask: background regions that do not reach the border.

    Parameters
    ----------
    %(volume_mask)s

    Returns
    -------
    filled : bool ndarray
        The mask with every hole set to True.

    Raises
    ------
    TypeError
        If ``mask`` is not boolean-like.
    ValueError
        If ``mask`` holds values other than 0 and 1, is not 2-D or 3-D or is empty.

    See Also
    --------
    closing : Dilation, then erosion: fills small dark details.
    reconstruction : Geodesic reconstruction of a seed under a mask.

    Notes
    -----
    Identical to :func:`scipy.ndimage.binary_fill_holes` (background connectivity
    4): the background is flooded from the image border in linear time, and what
    the flood does not reach is filled. A volume's background is 6-connected
    (scipy's default in 3-D): its components are labelled by connected-components-3d
    and those that touch a face of the volume are the outside.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.morphology import fill_holes
    >>> ring = np.array([[1, 1, 1],
    ...                  [1, 0, 1],
    ...                  [1, 1, 1]], dtype=bool)
    >>> bool(fill_holes(ring).all())
    True
    """
    mask = check_ndim(check_mask(mask, ndim=None), "mask")
    if mask.ndim == 3:
        return _fill_holes_volume(mask)
    # Flood the background from the border (4-connected); the rest is filled.
    mask = np.ascontiguousarray(mask, dtype=np.uint8)
    rr, cc = np.indices(mask.shape, sparse=True)
    border = (rr == 0) | (rr == mask.shape[0] - 1) | (cc == 0) | (cc == mask.shape[1] - 1)
    seeds = np.flatnonzero(border & (mask == 0))
    zeros = np.zeros(seeds.size)
    outside = np.zeros(mask.shape, dtype=np.uint8)
    _flood_kernel(mask, seeds, zeros, zeros, False, outside)
    return outside == 0


def _fill_holes_volume(mask):
    import cc3d

    labels, count = cc3d.connected_components(np.ascontiguousarray(~mask), connectivity=6,
                                              out_dtype=np.uint32, return_N=True)
    faces = np.concatenate([labels[[0, -1]].ravel(), labels[:, [0, -1]].ravel(),
                            labels[:, :, [0, -1]].ravel()])
    outside = np.zeros(int(count) + 1, dtype=bool)
    outside[faces] = True
    outside[0] = False  # the foreground
    return ~outside[labels]


@fill_doc
def skeletonize(mask):
    """One-pixel-wide skeleton of a mask by Zhang & Suen's thinning.

    Parameters
    ----------
    %(mask)s

    Returns
    -------
    skeleton : (M, N) bool ndarray
        The thinned mask.

    %(mask_raises)s

    See Also
    --------
    boundary : Inner boundary of a mask.

    Notes
    -----
    Computed by :func:`skimage.morphology.skeletonize` (2-D: Zhang & Suen), so the
    result is scikit-image's, bit for bit. scikit-image's thinning uses its own
    hard-coded neighbourhood table, which differs from the conditions printed in
    the paper in 25 of the 256 configurations (it also removes, for instance,
    L-shaped corner pixels); no rule reproduces it, so it is not re-implemented
    here. Pixels outside the image are background.

    References
    ----------
    .. [1] T. Y. Zhang and C. Y. Suen, "A fast parallel algorithm for thinning
       digital patterns", Commun. ACM 27(3), 1984.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.morphology import skeletonize
    >>> bar = np.zeros((5, 7), dtype=bool)
    >>> bar[1:4, 1:6] = True
    >>> skeletonize(bar).astype(int)
    array([[0, 0, 0, 0, 0, 0, 0],
           [0, 0, 0, 0, 1, 0, 0],
           [0, 1, 1, 1, 0, 0, 0],
           [0, 0, 0, 0, 0, 0, 0],
           [0, 0, 0, 0, 0, 0, 0]])
    """
    from skimage.morphology import skeletonize as skimage_skeletonize

    mask = check_mask(mask)
    # A copy: scikit-image refuses read-only arrays, and works in place on others.
    return np.asarray(skimage_skeletonize(np.array(mask, dtype=bool, order="C")), dtype=bool)
