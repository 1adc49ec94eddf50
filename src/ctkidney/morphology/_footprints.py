"""Structuring elements (footprints) and their normalisation."""

import numpy as np

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_footprint, check_memory, check_scalar
from ctkidney._shared.volume import check_spacing

__all__ = ["ball", "cross", "cube", "diamond", "disk", "ellipsoid", "rectangle", "square"]

#: Longest side of a footprint, in pixels: larger than any CT slice (the
#: operators visit every footprint pixel for every image pixel).
MAX_FOOTPRINT_SIDE = 4095


def _side(value, name, low, per_side=1, offset=0):
    """An int footprint parameter whose footprint side ``per_side * value + offset``
    stays within :data:`MAX_FOOTPRINT_SIDE`."""
    value = check_scalar(value, name, low=low, integer=True)
    if per_side * value + offset > MAX_FOOTPRINT_SIDE:
        high = (MAX_FOOTPRINT_SIDE - offset) // per_side
        raise ValueError(f"{name} must be at most {high} (a footprint side of at most "
                         f"{MAX_FOOTPRINT_SIDE} pixels), got {value}")
    return value


@fill_doc(unit="pixels", shape="(2r+1, 2r+1)", where="``x**2 + y**2 <= radius**2``",
          limits=" or above 2047 (a footprint wider than 4095)")
def disk(radius):
    """Disk-shaped footprint, identical to :func:`skimage.morphology.disk`.

    %(radius_footprint)s

    See Also
    --------
    diamond : City-block ball footprint.
    square : Square footprint.

    Examples
    --------
    >>> from ctkidney.morphology import disk
    >>> disk(2).astype(int)
    array([[0, 0, 1, 0, 0],
           [0, 1, 1, 1, 0],
           [1, 1, 1, 1, 1],
           [0, 1, 1, 1, 0],
           [0, 0, 1, 0, 0]])
    >>> disk(2).dtype
    dtype('bool')
    """
    radius = _side(radius, "radius", 0, per_side=2, offset=1)
    offsets = np.arange(-radius, radius + 1)
    rows, cols = np.meshgrid(offsets, offsets, indexing="ij")
    return rows**2 + cols**2 <= radius**2


@fill_doc(unit="pixels", shape="(2r+1, 2r+1)", where="``|x| + |y| <= radius``",
          limits=" or above 2047 (a footprint wider than 4095)")
def diamond(radius):
    """Diamond-shaped footprint (city-block ball), identical to
    :func:`skimage.morphology.diamond`.

    %(radius_footprint)s

    See Also
    --------
    disk : Disk footprint.
    cross : Plus-shaped footprint.

    Examples
    --------
    >>> from ctkidney.morphology import diamond
    >>> diamond(1).astype(int)
    array([[0, 1, 0],
           [1, 1, 1],
           [0, 1, 0]])
    """
    radius = _side(radius, "radius", 0, per_side=2, offset=1)
    offsets = np.abs(np.arange(-radius, radius + 1))
    return offsets[:, None] + offsets[None, :] <= radius


def rectangle(rows, cols):
    """Rectangular footprint of ``rows`` x ``cols`` True pixels.

    Parameters
    ----------
    rows, cols : int
        Height and width, ``>= 1``. Even sizes are allowed; their centre is the
        pixel at ``(rows // 2, cols // 2)`` (scikit-image's convention for the
        greyscale operators).

    Returns
    -------
    footprint : (rows, cols) bool ndarray
        All True.

    Raises
    ------
    TypeError
        If a size is not an integer.
    ValueError
        If a size is smaller than 1 or larger than 4095 (``MAX_FOOTPRINT_SIDE``).

    See Also
    --------
    square : Square footprint.

    Examples
    --------
    >>> from ctkidney.morphology import rectangle
    >>> rectangle(2, 3).shape
    (2, 3)
    """
    rows = _side(rows, "rows", 1)
    cols = _side(cols, "cols", 1)
    return np.ones((rows, cols), dtype=bool)


@fill_doc(length="Side length", shape="(width, width)", content="All True.",
          limits=" or larger than 4095")
def square(width):
    """Square footprint of ``width`` x ``width`` True pixels.

    %(width_footprint)s

    See Also
    --------
    rectangle : Rectangular footprint.
    disk : Disk footprint.

    Examples
    --------
    >>> from ctkidney.morphology import square
    >>> square(3).sum()
    np.int64(9)
    """
    width = _side(width, "width", 1)
    return np.ones((width, width), dtype=bool)


@fill_doc(length="Odd side length", shape="(width, width)",
          content="True on the middle row and the middle column.",
          limits=", even or larger than 4095")
def cross(width):
    """Plus-shaped footprint: the middle row and middle column of a square.

    ``cross(3)`` is the default footprint of every operator (4-connectivity).

    %(width_footprint)s

    See Also
    --------
    diamond : City-block ball footprint.
    square : Square footprint.

    Examples
    --------
    >>> from ctkidney.morphology import cross
    >>> cross(3).astype(int)
    array([[0, 1, 0],
           [1, 1, 1],
           [0, 1, 0]])
    """
    width = _side(width, "width", 1)
    if width % 2 == 0:
        raise ValueError(f"width must be odd, got {width}")
    out = np.zeros((width, width), dtype=bool)
    out[width // 2, :] = True
    out[:, width // 2] = True
    return out


@fill_doc(unit="voxels", shape="(2r+1, 2r+1, 2r+1)",
          where="``z**2 + y**2 + x**2 <= radius**2``",
          limits=", makes a side over :data:`MAX_FOOTPRINT_SIDE`\nvoxels, or a "
                 "footprint larger than the memory allowed\n"
                 "(:data:`~ctkidney._shared.validation.MAX_BYTES`)")
def ball(radius):
    """Ball-shaped 3-D footprint, identical to :func:`skimage.morphology.ball`.

    %(radius_footprint)s

    See Also
    --------
    cube, ellipsoid : the ball in mm for anisotropic voxels.

    Examples
    --------
    >>> from ctkidney.morphology import ball
    >>> ball(1).astype(int)[0]
    array([[0, 0, 0],
           [0, 1, 0],
           [0, 0, 0]])
    >>> int(ball(2).sum())
    33
    """
    radius = _side(radius, "radius", 0, per_side=2, offset=1)
    check_memory((2 * radius + 1) ** 3 * 9, "radius", radius)  # int64 sums and the mask
    z, y, x = np.ogrid[-radius:radius + 1, -radius:radius + 1, -radius:radius + 1]
    return z**2 + y**2 + x**2 <= radius**2


@fill_doc(length="Side length", shape="(width, width, width)", content="All True.",
          limits=", over :data:`MAX_FOOTPRINT_SIDE`, or makes\na footprint larger "
                 "than the memory allowed")
def cube(width):
    """Cubic 3-D footprint of ``width`` voxels a side (26-connectivity for 3).

    %(width_footprint)s

    See Also
    --------
    ball : The round 3-D footprint.

    Examples
    --------
    >>> from ctkidney.morphology import cube
    >>> cube(3).shape, int(cube(3).sum())
    ((3, 3, 3), 27)
    """
    width = _side(width, "width", 1)
    check_memory(width ** 3, "width", width)
    return np.ones((width, width, width), dtype=bool)


def ellipsoid(radii_mm, spacing):
    """3-D footprint of the voxels within a physical radius: a ball in mm on
    anisotropic voxels.

    Parameters
    ----------
    radii_mm : float or (float, float, float)
        Radius in mm, one for a ball or ``(rz, ry, rx)``; each ``> 0``.
    spacing : float or (float, float, float)
        Voxel size ``(dz, dy, dx)`` in mm (e.g. ``Volume.spacing``).

    Returns
    -------
    footprint : (P, Q, R) bool ndarray
        True at the offsets ``(k, j, i)`` with ``(k dz / rz)**2 + (j dy / ry)**2 +
        (i dx / rx)**2 <= 1``; ``P = 2 floor(rz / dz) + 1``, and so on, so the
        centre is always included.

    Raises
    ------
    TypeError
        If an argument is not a number or a sequence of 3.
    ValueError
        If a radius or spacing is not positive and finite, or the footprint would
        have a side over :data:`MAX_FOOTPRINT_SIDE` voxels or not fit in the
        memory allowed.

    See Also
    --------
    ball : The same in voxels, for isotropic ones.

    Examples
    --------
    A 3 mm ball on 3 x 0.8 x 0.8 mm voxels reaches one slice up and down:

    >>> from ctkidney.morphology import ellipsoid
    >>> fp = ellipsoid(3.0, (3.0, 0.8, 0.8))
    >>> fp.shape, fp[0].sum(), fp[1].sum()
    ((3, 7, 7), np.int64(1), np.int64(45))
    """
    for value, name in ((radii_mm, "radii_mm"), (spacing, "spacing")):
        if value is None:  # required: None would silently mean 1 mm
            raise TypeError(f"{name} must be a positive number or a sequence of 3, got None")
    radii = check_spacing(radii_mm, 3, "radii_mm")
    spacing = check_spacing(spacing, 3)
    ratios = [r / s for r, s in zip(radii, spacing)]
    limit = (MAX_FOOTPRINT_SIDE - 1) // 2
    if not all(ratio <= limit for ratio in ratios):  # also catches an inf ratio
        raise ValueError(f"radii_mm={radii_mm!r} spans more than {limit} voxels of "
                         f"spacing={spacing!r} (a footprint side of at most "
                         f"{MAX_FOOTPRINT_SIDE} voxels)")
    half = [int(np.floor(ratio + 1e-9)) for ratio in ratios]
    check_memory((2 * half[0] + 1) * (2 * half[1] + 1) * (2 * half[2] + 1) * 9,
                 "radii_mm", radii_mm)  # float64 sums and the mask
    grids = np.ogrid[tuple(slice(-h, h + 1) for h in half)]
    total = sum((g * s / r) ** 2 for g, s, r in zip(grids, spacing, radii))
    return np.ascontiguousarray(total <= 1 + 1e-9)


def _check_footprint_3d(footprint, name):
    if footprint is None or isinstance(footprint, (str, bytes)):
        raise TypeError(f"{name} must be a 3-D boolean array, got {footprint!r}")
    array = np.asarray(footprint)
    if array.dtype != bool:
        if array.dtype.kind not in "uif" or not np.isin(array, (0, 1)).all():
            raise TypeError(f"{name} must be boolean (or only 0 and 1), got dtype {array.dtype}")
        array = array.astype(bool)
    if array.ndim != 3:
        raise ValueError(f"{name} must be 3-D for a volume (see ball, cube, ellipsoid), "
                         f"got shape {array.shape}")
    if not array.any():
        raise ValueError(f"{name} must contain at least one True element")
    return array


def normalize_footprint(footprint, name="footprint", *, ndim=2):
    """Validate ``footprint`` (None: the 3x3 cross, or its 6-neighbour 3-D
    counterpart when ``ndim=3``) and pad even sides at the front so that the result
    is odd-sized and its centre is the anchor.

    This is scikit-image's convention for the greyscale operators
    (``pad_footprint(..., pad_end=False)``): along an even side of length ``2k``
    the offsets run from ``-(k - 1)`` to ``k``.
    """
    if footprint is None:
        return cross(3) if ndim == 2 else ball(1)
    if ndim == 3:
        footprint = _check_footprint_3d(footprint, name)
    else:
        footprint = check_footprint(footprint, name)
    pad = [((1, 0) if side % 2 == 0 else (0, 0)) for side in footprint.shape]
    if any(p != (0, 0) for p in pad):
        footprint = np.pad(footprint, pad)
    return np.ascontiguousarray(footprint)


def mirror(footprint):
    """The footprint reflected through its centre (odd-sized input)."""
    return np.ascontiguousarray(footprint[(slice(None, None, -1),) * footprint.ndim])
