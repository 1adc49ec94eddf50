"""Morphological reconstruction (Vincent's hybrid algorithm)."""

import numpy as np

from ctkidney._shared.validation import IMAGE_DTYPES, check_choice, check_image, check_same_shape
from ctkidney._shared.volume import check_ndim
from ctkidney.morphology._footprints import normalize_footprint
from ctkidney.morphology._kernels import _reconstruction_kernel
from ctkidney.morphology._operators import _bottom, _reverse
from ctkidney.morphology._reconstruction_volume import reconstruct_volume

__all__ = ["reconstruction"]


def _common_dtype(seed, mask):
    if seed.dtype.kind == "b" and mask.dtype.kind == "b":
        return np.dtype(bool)
    dtype = np.result_type(seed.dtype, mask.dtype)
    return dtype if dtype in [np.dtype(d) for d in IMAGE_DTYPES] else np.dtype(np.float64)


def reconstruction(seed, mask, *, method="dilation", footprint=None):
    """Morphological reconstruction of ``seed`` under (or above) ``mask``.

    By dilation, the seed is dilated again and again, each time clipped by the
    mask, until nothing changes: every regional maximum of the mask that the seed
    touches is recovered, the others are flattened. By erosion, the dual.

    Parameters
    ----------
    seed : (M, N) or (Z, Y, X) ndarray
        The marker: bool, uint8, uint16, int16, float32 or float64. Takes
        volumes (then ``footprint`` is 3-D, default the 3x3x3 cube). For
        ``method='dilation'`` it must be ``<= mask`` everywhere, for ``'erosion'``
        ``>= mask``. Never modified.
    mask : ndarray
        The limit, same shape as ``seed``. Never modified.
    method : {'dilation', 'erosion'}, optional
        Reconstruction by dilation (default) or by erosion.
    footprint : (P, Q) or (P, Q, R) bool ndarray, optional
        The neighbourhood of the propagation, with odd sides (its centre is the
        pixel; even sides have no centre and are refused, as by scikit-image).
        Default: a 3x3 square (8-connectivity), scikit-image's default; in 3-D
        the 3x3x3 cube.

    Returns
    -------
    reconstructed : ndarray
        The common dtype of ``seed`` and ``mask`` (``numpy.result_type``; float64
        when that is not a supported dtype; bool for two bool inputs). The values
        are values of ``seed`` or ``mask``, so the cast is exact.

    Raises
    ------
    TypeError
        If an input has an unsupported dtype.
    ValueError
        If the shapes differ, an input is not 2-D or 3-D, is empty or holds NaN/inf,
        ``method`` is unknown, ``footprint`` has an even side, or ``seed > mask``
        somewhere for
        ``method='dilation'`` (``seed < mask`` for ``'erosion'``).

    See Also
    --------
    fill_holes : Fill the background regions that do not reach the border.
    dilation : The maximum over the footprint.

    Notes
    -----
    Same result as :func:`skimage.morphology.reconstruction`, with Vincent's hybrid
    algorithm: a forward and a backward raster scan, then a FIFO queue that
    propagates the remaining changes, so each pixel is visited a few times instead
    of once per iteration.

    References
    ----------
    .. [1] L. Vincent, "Morphological grayscale reconstruction in image analysis:
       applications and efficient algorithms", IEEE Trans. Image Process. 2(2),
       1993.

    Examples
    --------
    Keep the bright peaks that a seed touches:

    >>> import numpy as np
    >>> from ctkidney.morphology import reconstruction
    >>> mask = np.array([[0, 5, 5, 0, 0, 8, 8, 0]], dtype=np.uint8)
    >>> seed = np.zeros_like(mask)
    >>> seed[0, 1] = 3
    >>> reconstruction(seed, mask)
    array([[0, 3, 3, 0, 0, 0, 0, 0]], dtype=uint8)
    >>> seed[0, 1] = 5
    >>> reconstruction(seed, mask)
    array([[0, 5, 5, 0, 0, 0, 0, 0]], dtype=uint8)
    """
    seed = check_ndim(check_image(seed, "seed", allow_bool=True, ndim=None), "seed")
    mask = check_ndim(check_image(mask, "mask", allow_bool=True, ndim=None), "mask")
    check_same_shape(seed, mask, ("seed", "mask"))
    method = check_choice(method, "method", ("dilation", "erosion"))
    if footprint is not None and any(side % 2 == 0 for side in np.shape(footprint)):
        raise ValueError(f"footprint must have odd sides (a centre), got shape "
                         f"{np.shape(footprint)}")
    footprint = normalize_footprint(np.ones((3,) * seed.ndim, bool) if footprint is None
                                    else footprint, ndim=seed.ndim)
    dtype = _common_dtype(seed, mask)
    seed = seed.astype(dtype)
    mask = mask.astype(dtype)
    if method == "dilation":
        if (seed > mask).any():
            raise ValueError("seed must be <= mask everywhere for method='dilation'")
    elif (seed < mask).any():
        raise ValueError("seed must be >= mask everywhere for method='erosion'")
    if method == "erosion":
        # By duality: reverse the order, reconstruct by dilation, reverse back.
        out = _reverse(_reconstruct(_reverse(seed), _reverse(mask), footprint))
    else:
        work = (lambda x: x.view(np.uint8)) if dtype.kind == "b" else (lambda x: x)
        out = _reconstruct(work(seed), work(mask), footprint)
    return out.view(bool) if dtype.kind == "b" else out


def _reconstruct(seed, mask, footprint):
    if seed.ndim == 3:
        return reconstruct_volume(seed, mask, footprint, _bottom(seed.dtype))
    # seed, mask: same dtype and shape (reversed already for erosion); bool as uint8.
    top, left = footprint.shape[0] // 2, footprint.shape[1] // 2
    bottom = _bottom(seed.dtype)
    pad = ((top, top), (left, left))
    marker = np.pad(seed, pad, constant_values=bottom)
    limit = np.pad(mask, pad, constant_values=bottom)
    rows, cols = np.nonzero(footprint)
    # scikit-image propagates from p to p + offset; the kernel pulls into p from
    # p + offset, so it gets the reflected offsets.
    dy, dx = top - rows, left - cols
    keep = (dy != 0) | (dx != 0)
    dy, dx = dy[keep], dx[keep]
    flat = np.sort((dy * marker.shape[1] + dx).astype(np.int64))  # memory order
    before = flat < 0
    _reconstruction_kernel(marker.ravel(), limit.ravel(), top, left, *seed.shape,
                           flat[before], flat[~before], flat)
    return np.ascontiguousarray(marker[top:top + seed.shape[0], left:left + seed.shape[1]])
