"""Marker-controlled watershed, exact Euclidean distance transform, and markers at
distance maxima to split touching objects."""

import numpy as np
from scipy import ndimage as ndi

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_image, check_mask, check_scalar
from ctkidney._shared.volume import check_ndim
from ctkidney.segmentation._distance_kernels import _edt_kernel
from ctkidney.segmentation._markers import _check_markers, _grey_levels
from ctkidney.segmentation._priority_flood import priority_flood

__all__ = ["distance_transform", "watershed", "watershed_markers"]


def check_connectivity(connectivity, name="connectivity"):
    """Return ``connectivity`` if it is 1 (4-neighbours) or 2 (8-neighbours)."""
    if isinstance(connectivity, (bool, np.bool_)) or connectivity not in (1, 2):
        raise ValueError(f"{name} must be 1 or 2, got {connectivity!r}")
    return int(connectivity)


@fill_doc
def watershed(image, markers, *, mask=None, connectivity=1):
    """Marker-controlled watershed: flood ``image`` from the markers in order of value.

    Parameters
    ----------
    %(image)s
        Usually a gradient magnitude or a negated distance transform. Takes
        volumes: a (Z, Y, X) array is flooded in 3-D.
    markers : int ndarray or bool ndarray
        Seeds, the shape of ``image``: pixels > 0 carry their label; 0 is
        unlabelled. A bool array is labelled by connected components first.
    mask : bool ndarray, optional
        Only pixels where ``mask`` is True are flooded; the rest get label 0
        (markers outside the mask are dropped).
    connectivity : {1, 2}, optional
        1: 4-neighbours (default, as scikit-image); 2: 8-neighbours. For a volume
        1, 2 or 3 (6, 18 or 26 neighbours; the counts are accepted too).

    Returns
    -------
    labels : int32 ndarray
        Every pixel reachable from a marker inside ``mask`` gets that marker's
        label; every marker keeps its own label.

    Raises
    ------
    TypeError
        If ``image`` or ``markers`` has an unsupported dtype.
    ValueError
        If ``markers`` or ``mask`` has another shape than ``image``, markers are
        negative, or ``connectivity`` is not 1 or 2.

    See Also
    --------
    watershed_markers : Markers at the maxima of the distance transform.
    distance_transform : Exact Euclidean distance to the background.

    Notes
    -----
    A priority flood (Meyer's algorithm): the markers enter a priority queue;
    the lowest pixel leaves first, and labels each unlabelled neighbour, which
    enters the queue with its own value. Ties leave first in, first out, which
    is scikit-image's order, so the labels equal scikit-image's except where
    equal-valued plateaus are split among markers. A neighbour enters the queue
    at least at its parent's level (as scikit-image >= 0.20 does), so the queue
    never goes back down and a bucket queue of FIFO lists does the job in O(N):
    one bucket per grey level for uint8 (and int16/uint16), one per distinct value
    for floats (ranked first by a radix sort of their bits).

    References
    ----------
    .. [1] F. Meyer, "Topographic distance and watershed lines", Signal
           Processing 38(1), 113-125, 1994.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.segmentation import watershed
    >>> image = np.array([[0, 1, 5, 1, 0]], np.uint8).repeat(2, axis=0)
    >>> markers = np.zeros(image.shape, np.int32)
    >>> markers[:, 0], markers[:, 4] = 1, 2
    >>> watershed(image, markers)
    array([[1, 1, 1, 2, 2],
           [1, 1, 1, 2, 2]], dtype=int32)
    """
    if np.ndim(image) > 3:
        check_ndim(image, "image")  # 2-D or 3-D: a 4-D image is told so
    if np.ndim(image) == 3:
        from ctkidney.segmentation._watershed_volume import watershed_volume

        return watershed_volume(image, markers, mask=mask, connectivity=connectivity)
    image = check_image(image)
    markers = _check_markers(markers, image.shape)
    connectivity = check_connectivity(connectivity)
    if mask is None:
        mask = np.ones(image.shape, bool)
    else:
        mask = check_mask(mask, shape=image.shape)
    levels, n_levels = _grey_levels(image)
    return priority_flood(levels, n_levels, markers, mask,
                          ndi.generate_binary_structure(2, connectivity))


#: Accepted pixel spacings of :func:`distance_transform`, mm (or pixels).
_SAMPLING_RANGE = {"low": 1e-30, "high": 1e30}


def distance_transform(mask, *, sampling=None, spacing=None):
    """Exact Euclidean distance of every True pixel (voxel) to the nearest False one.

    Parameters
    ----------
    mask : (M, N) or (Z, Y, X) bool ndarray
        Objects (True) on background (False). Takes volumes.
    sampling : float or sequence of float, optional
        The former name of ``spacing``; give one or the other.
    spacing : float or sequence of float, optional
        Pixel (voxel) size along each axis in mm, e.g. ``Volume.spacing``
        (``(dz, dy, dx)``), within ``[1e-30, 1e30]`` (so that squared distances
        stay finite and exact enough, and distances fit in float32). Default 1:
        distances in pixels.

    Returns
    -------
    distance : float32 ndarray
        0 on background. If the mask has no background pixel at all, every value
        is ``inf``.

    Raises
    ------
    TypeError
        If ``mask`` is not a boolean (or 0/1) array.
    ValueError
        If ``mask`` is not 2-D or 3-D or ``spacing`` is outside ``[1e-30, 1e30]``
        (``[1e-12, 1e12]`` for a volume, whose distances are squared in float32).

    See Also
    --------
    watershed_markers : Markers at the maxima of the distance transform.

    Notes
    -----
    Felzenszwalb and Huttenlocher's separable algorithm: a 1-D squared distance
    along each column, then the lower envelope of parabolas along each row,
    O(N) in total. The same distances as
    :func:`scipy.ndimage.distance_transform_edt` (which returns float64).
    Volumes go to the ``edt`` package (the same algorithm, multi-pass in C++).

    References
    ----------
    .. [1] P. F. Felzenszwalb, D. P. Huttenlocher, "Distance transforms of sampled
           functions", Theory of Computing 8, 415-428, 2012.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.segmentation import distance_transform
    >>> mask = np.ones((3, 5), bool)
    >>> mask[1, 0] = False
    >>> distance_transform(mask).round(3)
    array([[1.   , 1.414, 2.236, 3.162, 4.123],
           [0.   , 1.   , 2.   , 3.   , 4.   ],
           [1.   , 1.414, 2.236, 3.162, 4.123]], dtype=float32)

    In a volume with 3 mm slices and 0.8 mm pixels, distances are in mm:

    >>> volume = np.ones((3, 1, 4), bool)
    >>> volume[0] = False
    >>> distance_transform(volume, spacing=(3.0, 0.8, 0.8))[:, 0, 0]
    array([0., 3., 6.], dtype=float32)
    """
    name = "sampling"
    if spacing is not None:
        if sampling is not None:
            raise TypeError("give spacing or its former name sampling, not both")
        sampling, name = spacing, "spacing"
    if np.ndim(mask) > 3:
        check_ndim(mask, "mask")
    if np.ndim(mask) == 3:
        from ctkidney.segmentation._watershed_volume import distance_volume

        return distance_volume(mask, sampling, name)
    mask = check_mask(mask)
    if sampling is None:
        row_step = col_step = 1.0
    elif np.ndim(sampling) == 0:
        row_step = col_step = check_scalar(sampling, name, **_SAMPLING_RANGE)
    else:
        if len(sampling) != 2:
            raise ValueError(f"{name} must be a float or a pair, got {sampling!r}")
        row_step = check_scalar(sampling[0], name, **_SAMPLING_RANGE)
        col_step = check_scalar(sampling[1], name, **_SAMPLING_RANGE)
    squared = np.empty(mask.shape, np.float64)
    _edt_kernel(np.ascontiguousarray(mask), row_step * row_step, col_step * col_step, squared)
    return np.sqrt(squared).astype(np.float32)


def watershed_markers(mask, *, min_distance=3, sampling=None):
    """Markers at the maxima of the distance transform, to split touching objects.

    Parameters
    ----------
    mask : (M, N) bool ndarray
        Objects to split.
    min_distance : int, optional
        A maximum must be the largest distance within a ``(2 min_distance + 1)``
        square around it; maxima closer than that merge into one marker. Default 3.
    sampling : float or (float, float), optional
        Pixel spacing, passed to :func:`distance_transform`.

    Returns
    -------
    markers : (M, N) int32 ndarray
        Labels ``1 .. n`` on each maximum (a plateau or cluster of maxima is one
        label), 0 elsewhere. Every object of ``mask`` gets at least one marker.

    Raises
    ------
    TypeError
        If ``mask`` is not boolean or ``min_distance`` is not an int.
    ValueError
        If ``min_distance < 1``.

    See Also
    --------
    watershed : Marker-controlled flooding.
    distance_transform : Exact Euclidean distance to the background.

    Notes
    -----
    Split touching objects with
    ``watershed(-distance_transform(mask), watershed_markers(mask), mask=mask)``.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.segmentation import distance_transform, watershed, watershed_markers
    >>> yy, xx = np.mgrid[:20, :32]
    >>> mask = ((yy - 10) ** 2 + (xx - 9) ** 2 < 49) | ((yy - 10) ** 2 + (xx - 21) ** 2 < 49)
    >>> markers = watershed_markers(mask, min_distance=4)
    >>> int(markers.max())
    2
    >>> labels = watershed(-distance_transform(mask), markers, mask=mask)
    >>> np.unique(labels).tolist()
    [0, 1, 2]
    """
    mask = check_mask(mask)
    min_distance = check_scalar(min_distance, "min_distance", low=1, integer=True)
    # Windows of twice the image cover all of it: larger ones change nothing.
    min_distance = min(min_distance, 2 * max(mask.shape) + 1)
    distance = distance_transform(mask, sampling=sampling)
    if not np.isfinite(distance).all():
        # No background at all: the whole image is one object with one centre.
        markers = np.zeros(mask.shape, np.int32)
        markers[mask.shape[0] // 2, mask.shape[1] // 2] = 1
        return markers
    size = 2 * min_distance + 1
    peaks = mask & (distance == ndi.maximum_filter(distance, size=size, mode="constant",
                                                   cval=0.0))
    # Group maxima closer than min_distance into one marker.
    grouped = ndi.binary_dilation(peaks, np.ones((min_distance, min_distance), bool)) & mask
    labels, count = ndi.label(grouped, np.ones((3, 3), bool))
    markers = np.where(peaks, labels, 0).astype(np.int32)
    # Every object gets a marker: objects without a peak get one at their maximum.
    objects, n_objects = ndi.label(mask, np.ones((3, 3), bool))
    if n_objects:
        has = np.zeros(n_objects + 1, bool)
        has[objects[markers > 0]] = True
        for obj in np.flatnonzero(~has[1:]) + 1:
            where = objects == obj
            flat = np.argmax(np.where(where, distance, -1.0))
            count += 1
            markers.flat[flat] = count
    _, markers = np.unique(markers, return_inverse=True)
    return markers.reshape(mask.shape).astype(np.int32)
