"""The mean filters: arithmetic, geometric, harmonic and contraharmonic.

The geometric, harmonic and contraharmonic means are O(1) per pixel: the window
sums of a transformed image (their logs, their reciprocals, their powers) come from
running box sums, and a Numba kernel turns the sums into the mean, rounded and
saturated for integers. The arithmetic mean is the box filter of
:func:`ctkidney.enhancement.mean_filter` (one worker, ``_shared.linear.box_mean``).
"""

import numpy as np

from ctkidney._shared.border import pad
from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.linear import box_mean
from ctkidney._shared.validation import check_scalar, dtype_range
from ctkidney.restoration import _kernels
from ctkidney.restoration._border import check_window

__all__ = ["arithmetic_mean", "contraharmonic_mean", "geometric_mean", "harmonic_mean"]


def store_args(dtype):
    """``(lo, hi, is_int)`` for the kernels' saturating store into ``dtype``."""
    dtype = np.dtype(dtype)
    if dtype.kind in "ui":
        lo, hi = dtype_range(dtype)
        return float(lo), float(hi), True
    return 0.0, 0.0, False


def _power_mean(image, size, mode, cval, kind, name, q=1.0):
    image, size, mode, cval = check_window(image, size, mode, cval)
    padded = pad(image, (size[0] // 2, size[1] // 2), mode, cval)
    scale = 1.0
    if kind != _kernels.ARITHMETIC:
        low = padded.min()
        if low < 0:
            raise ValueError(f"{name} needs non-negative values (image and cval); "
                             f"got a minimum of {low}")
        # Powers of x / max (q >= 0; of x / the smallest positive value for q < 0)
        # stay at most 1 for any |q|; the ratio scales back. Reciprocals of
        # x / max for the harmonic mean: subnormal images stay in range.
        top = float(padded.max())
        scale = top if top > 0 and kind != _kernels.GEOMETRIC else 1.0
        if kind == _kernels.CONTRAHARMONIC and q < 0 and top > 0:
            scale = float(padded[padded > 0].min())
    table_num = table_den = np.empty(0)
    if image.dtype in (np.uint8, np.uint16) and padded.size > 4 * 256 ** image.itemsize:
        # Summands looked up by value: one log/power per grey level, not per pixel.
        values = np.arange(256 ** image.itemsize, dtype=image.dtype)[None, :]
        table_num = np.empty(values.shape[1])
        table_den = np.empty(values.shape[1])
        _kernels._transform_values_kernel(values, kind, float(q), scale, table_num, table_den)
    out = np.empty(image.shape, image.dtype)
    _kernels._power_mean_kernel(padded, size[0], size[1], kind, float(q), scale, table_num,
                                table_den, *store_args(image.dtype), out)
    return out


@fill_doc
def arithmetic_mean(image, size=3, *, mode="reflect", cval=0.0):
    """Arithmetic mean filter: the average of the window.

    %(window_filter)s

    See Also
    --------
    geometric_mean : The n-th root of the window's product; keeps more detail.
    harmonic_mean : Good for salt noise, bad for pepper.
    contraharmonic_mean : Removes pepper (``q > 0``) or salt (``q < 0``) noise.
    alpha_trimmed_mean : The mean without the window's extremes.

    Notes
    -----
    :math:`\\hat f(x, y) = \\frac{1}{mn} \\sum_{(s, t) \\in S_{xy}} g(s, t)`, computed
    in float64 by the box filter of :func:`ctkidney.enhancement.mean_filter` (equal to
    ``scipy.ndimage.uniform_filter`` up to float rounding), with ``cval`` first cast
    to the image's dtype as the order-statistic filters do.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import arithmetic_mean
    >>> image = np.array([[0, 0, 0], [0, 90, 0], [0, 0, 0]], dtype=np.uint8)
    >>> arithmetic_mean(image, mode="constant")
    array([[10, 10, 10],
           [10, 10, 10],
           [10, 10, 10]], dtype=uint8)
    """
    image, size, mode, cval = check_window(image, size, mode, cval)
    return box_mean(image, size, mode, cval, cval_in_image_dtype=True)


@fill_doc(window_raises="%(nonnegative_window_raises)s")
def geometric_mean(image, size=3, *, mode="reflect", cval=0.0):
    """Geometric mean filter: the n-th root of the product of the window.

    Smooths like the arithmetic mean but loses less detail (Gonzalez & Woods,
    section 5.3). Works on non-negative images.

    %(window_filter)s

    See Also
    --------
    arithmetic_mean : The average of the window.
    harmonic_mean : Good for salt noise, bad for pepper.
    contraharmonic_mean : Removes pepper (``q > 0``) or salt (``q < 0``) noise.

    Notes
    -----
    :math:`\\hat f = \\left(\\prod_{S_{xy}} g\\right)^{1/mn} =
    \\exp\\left(\\frac{1}{mn} \\sum_{S_{xy}} \\ln g\\right)`, from running box sums
    of the logs. **Zeros:** a window that holds a zero gives 0, as the product
    does (the logs of zeros are left out of the sums and counted separately).

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import geometric_mean
    >>> image = np.array([[1, 4], [16, 64]], dtype=np.uint8)
    >>> geometric_mean(image, 1)
    array([[ 1,  4],
           [16, 64]], dtype=uint8)
    >>> float(geometric_mean(image.astype(float), (1, 3), mode="nearest")[0, 0])
    1.587...
    """
    return _power_mean(image, size, mode, cval, _kernels.GEOMETRIC, "geometric_mean")


@fill_doc(window_raises="%(nonnegative_window_raises)s")
def harmonic_mean(image, size=3, *, mode="reflect", cval=0.0):
    """Harmonic mean filter: the window's count over the sum of reciprocals.

    Good for salt noise and Gaussian-like noise, bad for pepper (Gonzalez & Woods,
    section 5.3). Works on non-negative images.

    %(window_filter)s

    See Also
    --------
    arithmetic_mean : The average of the window.
    geometric_mean : The n-th root of the window's product; keeps more detail.
    contraharmonic_mean : The harmonic mean is its ``q = -1``.

    Notes
    -----
    :math:`\\hat f = mn \\big/ \\sum_{S_{xy}} 1/g`. **Zeros:** a window that holds a
    zero gives 0, the limit of the formula as a value tends to 0.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import harmonic_mean
    >>> image = np.array([[1.0, 2.0, 4.0]])
    >>> harmonic_mean(image, (1, 3), mode="wrap").round(4)
    array([[1.7143, 1.7143, 1.7143]])
    """
    return _power_mean(image, size, mode, cval, _kernels.HARMONIC, "harmonic_mean")


@fill_doc(bad_type=", a non-integer size or a non-real ``q``",
          bad_value=("an even or too large size, an unknown mode, a NaN/inf ``q``, a "
                     "negative value in the image (or ``cval``),"))
def contraharmonic_mean(image, size=3, *, q=1.5, mode="reflect", cval=0.0):
    """Contraharmonic mean filter of order ``q``.

    ``q > 0`` removes pepper noise, ``q < 0`` removes salt noise; ``q = 0`` is the
    arithmetic mean and ``q = -1`` the harmonic mean (Gonzalez & Woods, 5.3).

    Parameters
    ----------
    %(image)s
    %(size)s
    q : float, optional
        Order of the filter (default 1.5). Must be finite.
    %(border_filter)s

    See Also
    --------
    arithmetic_mean : Its ``q = 0``.
    harmonic_mean : Its ``q = -1``.
    median_filter : For impulse noise of both signs at once.

    Notes
    -----
    :math:`\\hat f = \\sum_{S_{xy}} g^{q+1} \\big/ \\sum_{S_{xy}} g^{q}`. The values
    are divided by the image's maximum before the powers are taken (the ratio
    scales back exactly), which keeps large ``|q|`` from overflowing. **Zeros:**
    for ``q < 0`` a window holding a zero gives 0 (the limit of the formula); a
    window of zeros only gives 0 for every ``q``.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import contraharmonic_mean
    >>> image = np.full((3, 3), 100, dtype=np.uint8)
    >>> image[1, 1] = 0                      # a pepper pixel
    >>> int(contraharmonic_mean(image, q=1.5)[1, 1])
    100
    >>> int(contraharmonic_mean(image, q=0.0)[1, 1])   # arithmetic mean
    89
    """
    q = check_scalar(q, "q", finite=True)
    return _power_mean(image, size, mode, cval, _kernels.CONTRAHARMONIC,
                       "contraharmonic_mean", q)
