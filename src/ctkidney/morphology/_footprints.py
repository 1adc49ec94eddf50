"""Structuring elements (footprints) and their normalisation."""

import numpy as np

from ctkidney._shared.validation import check_footprint, check_scalar
from ctkidney.morphology._docs import fill_morph_doc

__all__ = ["cross", "diamond", "disk", "rectangle", "square"]

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


@fill_morph_doc
def disk(radius):
    """Disk-shaped footprint, identical to :func:`skimage.morphology.disk`.

    Parameters
    ----------
    %(radius)s

    Returns
    -------
    footprint : (2r+1, 2r+1) bool ndarray
        True where ``x**2 + y**2 <= radius**2``.

    Raises
    ------
    %(radius_raises)s

    See Also
    --------
    diamond, square

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


@fill_morph_doc
def diamond(radius):
    """Diamond-shaped footprint (city-block ball), identical to
    :func:`skimage.morphology.diamond`.

    Parameters
    ----------
    %(radius)s

    Returns
    -------
    footprint : (2r+1, 2r+1) bool ndarray
        True where ``|x| + |y| <= radius``.

    Raises
    ------
    %(radius_raises)s

    See Also
    --------
    disk, cross

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
    square

    Examples
    --------
    >>> from ctkidney.morphology import rectangle
    >>> rectangle(2, 3).shape
    (2, 3)
    """
    rows = _side(rows, "rows", 1)
    cols = _side(cols, "cols", 1)
    return np.ones((rows, cols), dtype=bool)


def square(width):
    """Square footprint of ``width`` x ``width`` True pixels.

    Parameters
    ----------
    width : int
        Side length, ``>= 1``.

    Returns
    -------
    footprint : (width, width) bool ndarray
        All True.

    Raises
    ------
    TypeError
        If ``width`` is not an integer.
    ValueError
        If ``width`` is smaller than 1 or larger than 4095.

    See Also
    --------
    rectangle, disk

    Examples
    --------
    >>> from ctkidney.morphology import square
    >>> square(3).sum()
    np.int64(9)
    """
    width = _side(width, "width", 1)
    return np.ones((width, width), dtype=bool)


def cross(width):
    """Plus-shaped footprint: the middle row and middle column of a square.

    ``cross(3)`` is the default footprint of every operator (4-connectivity).

    Parameters
    ----------
    width : int
        Odd side length, ``>= 1``.

    Returns
    -------
    footprint : (width, width) bool ndarray
        True on the middle row and the middle column.

    Raises
    ------
    TypeError
        If ``width`` is not an integer.
    ValueError
        If ``width`` is smaller than 1, even or larger than 4095.

    See Also
    --------
    diamond, square

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


def normalize_footprint(footprint, name="footprint"):
    """Validate ``footprint`` (None: 3x3 cross) and pad even sides at the front so
    that the result is odd-sized and its centre is the anchor.

    This is scikit-image's convention for the greyscale operators
    (``pad_footprint(..., pad_end=False)``): along an even side of length ``2k``
    the offsets run from ``-(k - 1)`` to ``k``.
    """
    if footprint is None:
        return cross(3)
    footprint = check_footprint(footprint, name)
    pad = [((1, 0) if side % 2 == 0 else (0, 0)) for side in footprint.shape]
    if any(p != (0, 0) for p in pad):
        footprint = np.pad(footprint, pad)
    return np.ascontiguousarray(footprint)


def mirror(footprint):
    """The footprint reflected through its centre (odd-sized input)."""
    return np.ascontiguousarray(footprint[::-1, ::-1])
