"""Surface metrics of 2-D and 3-D segmentations in mm: Hausdorff distance (HD95),
surface Dice at a tolerance (the KiTS/Nikolov score) and volume in mL."""

import math

import numpy as np

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_mask, check_scalar
from ctkidney._shared.volume import check_spacing
from ctkidney.metrics._overlap import check_mask_pair

__all__ = ["hausdorff", "surface_dice", "volume_ml"]

def _surfaces(truth, pred, spacing):
    """The surface voxels of both validated masks, and the validated spacing."""
    truth, pred = check_mask_pair(truth, pred)
    spacing = check_spacing(spacing, truth.ndim)
    return surface_voxels(truth), surface_voxels(pred), spacing


def surface_voxels(mask):
    """Coordinates (K, ndim) of the voxels of ``mask`` that touch the background
    along an axis (face neighbours; outside the array counts as background): the
    mask minus its erosion by the 6-neighbourhood (4 in 2-D)."""
    if not mask.any():
        return np.empty((0, mask.ndim), dtype=np.intp)
    # Work on the bounding box only, padded by one background voxel.
    lo, hi = [], []
    for ax in range(mask.ndim):
        present = np.flatnonzero(mask.any(axis=tuple(a for a in range(mask.ndim) if a != ax)))
        lo.append(int(present[0]))
        hi.append(int(present[-1]))
    box = np.pad(mask[tuple(slice(a, b + 1) for a, b in zip(lo, hi))], 1)
    interior = box.copy()
    core = tuple(slice(1, -1) for _ in range(mask.ndim))
    for ax in range(mask.ndim):
        for shift in (-1, 1):
            shifted = tuple(slice(1 + shift, box.shape[a] - 1 + shift) if a == ax
                            else slice(1, -1) for a in range(mask.ndim))
            interior[core] &= box[shifted]
    edge = box[core] & ~interior[core]
    return np.argwhere(edge) + np.asarray(lo)


def _directed(points_from, points_to, spacing):
    """Distance in mm from each point of ``points_from`` to the nearest of
    ``points_to`` (exact Euclidean, a k-d tree over the surface voxels)."""
    from scipy.spatial import cKDTree

    # Distances scale with the spacing: measured with the largest spacing as the
    # unit, so that the squares in the tree cannot overflow for a huge one.
    unit = max(spacing)
    scale = np.asarray(spacing) / unit
    tree = cKDTree(points_to * scale)
    distances, _ = tree.query(points_from * scale, k=1, workers=-1)
    with np.errstate(over="ignore"):  # beyond 1.8e308 mm: inf
        return distances * unit


@fill_doc
def hausdorff(truth, pred, *, percentile=95, spacing=None):
    """Hausdorff distance between the surfaces of two masks, in mm (HD95 by default).

    The surface of a mask is its voxels that touch the background through a face
    (outside the array is background). For each surface voxel of one mask the
    distance to the nearest surface voxel of the other is measured (centre to
    centre, scaled by ``spacing``); the score is the larger of the two directed
    ``percentile``-th percentiles, as in MONAI's ``compute_hausdorff_distance`` and
    the KiTS and Medical Segmentation Decathlon evaluations.

    Parameters
    ----------
    %(truth_pred)s
    percentile : float, optional
        In [0, 100]. 95 (default) is the robust HD95; 100 is the classic
        (maximum) Hausdorff distance. Percentiles interpolate linearly
        (``numpy.percentile``).
    %(spacing)s

    Returns
    -------
    float
        The distance in mm (in voxels without ``spacing``), a Python float: 0.0
        when both masks are empty, ``inf`` when exactly one is (no surface to reach).

    Raises
    ------
    TypeError
        For non-mask input or a non-numeric ``percentile`` or ``spacing``.
    ValueError
        For masks that are not 2-D or 3-D, empty arrays or different shapes, a
        ``percentile`` outside [0, 100], or a non-positive ``spacing`` or one with
        the wrong number of entries.

    See Also
    --------
    surface_dice : Fraction of the surfaces within a tolerance.
    dice : Dice coefficient of two masks.

    Notes
    -----
    The nearest-surface distances come from a k-d tree over the surface voxels
    only (``scipy.spatial.cKDTree``), which is exact and needs no distance
    transform of the whole volume. With ``percentile=100`` the result equals
    SimpleITK's ``HausdorffDistanceImageFilter`` whenever the farthest voxel lies
    on a surface (the usual case; that filter measures from every voxel of each
    mask to the other mask).

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.metrics import hausdorff
    >>> truth = np.zeros((8, 8, 8), bool); truth[2:6, 2:6, 2:6] = True
    >>> pred = np.zeros((8, 8, 8), bool); pred[2:6, 2:6, 3:7] = True
    >>> hausdorff(truth, pred, percentile=100, spacing=(3.0, 0.5, 0.5))
    0.5
    >>> hausdorff(truth, np.zeros_like(truth))
    inf
    """
    a, b, spacing = _surfaces(truth, pred, spacing)
    percentile = check_scalar(percentile, "percentile", low=0, high=100)
    if len(a) == 0 or len(b) == 0:
        return 0.0 if len(a) == len(b) else float("inf")
    return float(max(np.percentile(_directed(a, b, spacing), percentile),
                     np.percentile(_directed(b, a, spacing), percentile)))


@fill_doc
def surface_dice(truth, pred, *, tolerance, spacing=None):
    """Surface Dice (normalised surface distance) at a tolerance in mm.

    The fraction of both surfaces that lies within ``tolerance`` of the other
    surface: ``(|{a in dA : d(a, dB) <= tol}| + |{b in dB : d(b, dA) <= tol}|) /
    (|dA| + |dB|)``, with the surfaces and distances of :func:`hausdorff`. This is
    the surface Dice of Nikolov et al. used by the KiTS challenges, counting
    surface voxels (MONAI's ``compute_surface_dice`` without sub-voxels) instead of
    weighting them by surfel area.

    Parameters
    ----------
    %(truth_pred)s
    tolerance : float
        Largest distance (mm, or voxels without ``spacing``) at which a surface
        voxel counts as matched; ``>= 0``.
    %(spacing)s

    Returns
    -------
    float
        In [0, 1], a Python float: 1.0 when both masks are empty, 0.0 when exactly
        one is.

    Raises
    ------
    TypeError, ValueError
        As :func:`hausdorff`, and for a negative or non-finite ``tolerance``.

    See Also
    --------
    hausdorff : Percentile distance between the surfaces, in mm.
    dice : Dice coefficient of two masks.

    References
    ----------
    .. [1] S. Nikolov et al., "Clinically applicable segmentation of head and neck
       anatomy for radiotherapy: deep learning algorithm development and validation
       study", J. Med. Internet Res. 23 (2021).

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.metrics import surface_dice
    >>> truth = np.zeros((8, 8, 8), bool); truth[2:6, 2:6, 2:6] = True
    >>> pred = np.zeros((8, 8, 8), bool); pred[2:6, 2:6, 3:7] = True
    >>> surface_dice(truth, pred, tolerance=1.0, spacing=(3.0, 0.5, 0.5))
    1.0
    >>> round(surface_dice(truth, pred, tolerance=0.0), 4)
    0.6429
    """
    a, b, spacing = _surfaces(truth, pred, spacing)
    tolerance = check_scalar(tolerance, "tolerance", low=0, finite=True)
    if len(a) == 0 or len(b) == 0:
        return 1.0 if len(a) == len(b) else 0.0
    # A tiny slack so that distances equal to the tolerance, computed through
    # different roundings, count as within it.
    limit = tolerance * (1 + 1e-12) + 1e-12 * min(spacing)
    hits = (np.count_nonzero(_directed(a, b, spacing) <= limit)
            + np.count_nonzero(_directed(b, a, spacing) <= limit))
    return float(hits / (len(a) + len(b)))


def volume_ml(mask, spacing):
    """Volume of a 3-D mask in millilitres.

    Parameters
    ----------
    mask : (Z, Y, X) bool ndarray
        The segmented region (0/1 integer or float arrays are accepted). Never
        modified. Takes volumes only.
    spacing : float or (float, float, float)
        Voxel size ``(dz, dy, dx)`` in mm (required: a voxel count means nothing
        without it).

    Returns
    -------
    float
        ``count * dz * dy * dx / 1000``, a Python float; 0.0 for an empty mask.

    Raises
    ------
    TypeError
        For non-mask input or a non-numeric ``spacing``.
    ValueError
        For a mask that is not 3-D or is empty (no voxels at all), or a
        non-positive ``spacing``.

    See Also
    --------
    ctkidney.data.read_series : reads the spacing of a DICOM series.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.metrics import volume_ml
    >>> mask = np.zeros((10, 20, 20), bool); mask[:, :10, :10] = True
    >>> volume_ml(mask, (2.0, 1.0, 1.0))
    2.0
    """
    mask = check_mask(mask, "mask", ndim=3)
    if spacing is None:
        raise TypeError("spacing must be given (mm per voxel along z, y, x), got None")
    dz, dy, dx = check_spacing(spacing, 3)
    count = int(np.count_nonzero(mask))
    volume = count * dz * dy * dx / 1000.0
    if count and not 0.0 < volume < math.inf:
        # A product that overflows or underflows on the way: in logarithms (a
        # volume beyond the largest float is inf).
        log_volume = sum(math.log(v) for v in (count, dz, dy, dx)) - math.log(1000.0)
        volume = math.exp(log_volume) if log_volume < 709.0 else math.inf
    return float(volume)

