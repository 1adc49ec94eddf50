"""Point (intensity) transforms: contrast stretching, gamma and log."""

import numpy as np

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.ranges import from_unit, to_unit
from ctkidney._shared.validation import check_image, check_scalar, saturate
from ctkidney.enhancement._kernels import _apply_lut_kernel
from ctkidney.enhancement._output import output_range

__all__ = ["gamma_correct", "log_transform", "stretch_contrast"]


def _check_pair(value, name):
    if isinstance(value, (str, bytes)) or np.ndim(value) != 1 or len(value) != 2:
        raise TypeError(f"{name} must be a pair of numbers, got {value!r}")
    return tuple(check_scalar(v, name, finite=True) for v in value)


def _map_unit_interval(image, func):
    """Apply ``func`` (a map of [0, 1], onto itself but for a gain) over the image's
    output range.

    Integer images go through a look-up table over every grey level of the range,
    float images are mapped directly. A constant int16/float image has no range to
    map and is returned unchanged (as a copy).
    """
    low, high = output_range(image)
    if high == low:
        return image.copy()
    if image.dtype.kind == "f":
        # Not clipped to the range: a map beyond 1 (``gain > 1``) goes beyond the
        # image's maximum, as the look-up table does for int16.
        return saturate(from_unit(func(to_unit(image, low, high)), low, high, clip=False),
                        image.dtype, copy=False)
    levels = np.arange(int(low), int(high) + 1, dtype=np.float64)
    mapped = low + (high - low) * func((levels - low) / (high - low))
    lut = saturate(mapped, image.dtype, copy=False)
    out = np.empty_like(image)
    _apply_lut_kernel(np.ascontiguousarray(image), lut, int(low), out)
    return out


@fill_doc
def stretch_contrast(image, *, in_range=(2, 98), out_range=None, percentiles=True):
    """Linear contrast stretching: map ``in_range`` onto ``out_range``.

    Values below (above) ``in_range`` are clipped to the low (high) end of
    ``out_range``.

    Parameters
    ----------
    %(image)s
    in_range : (float, float) or 'image', optional
        The input range. With ``percentiles=True`` (default) a pair of
        percentiles of the image, e.g. ``(2, 98)`` (robust to a few outliers); with
        ``percentiles=False`` a pair of values in the image's units (HU for CT).
        ``'image'`` means the image's ``(min, max)``.
    out_range : (float, float), optional
        The output range, in the output dtype's units. Default: the whole range
        of unsigned integer dtypes (0..255, 0..65535), and the image's own
        ``(min, max)`` for int16 and float images (HU stay HU).
    percentiles : bool, optional
        Whether ``in_range`` holds percentiles (default) or values.

    Returns
    -------
    stretched : (M, N) ndarray
        %(same_dtype)s

    Raises
    ------
    TypeError
        If ``image`` has an unsupported dtype or the ranges are not pairs of
        numbers.
    ValueError
        If ``image`` is not 2-D, is empty or holds NaN/inf, or a range is not
        finite, or percentiles lie outside ``[0, 100]``, or ``in_range`` is
        decreasing.

    See Also
    --------
    window : the same map with a CT level and width.
    equalize_hist : a non-linear, histogram-driven stretch.

    Notes
    -----
    With ``in_range = (a, b)`` and ``out_range = (c, d)`` the map is
    ``c + (clip(x, a, b) - a) * (d - c) / (b - a)``; it equals
    ``skimage.exposure.rescale_intensity(image, in_range=(a, b),
    out_range=(c, d))`` rounded to the input dtype. When ``a == b`` (for example
    a constant image) the map is a step: ``c`` up to ``a`` and ``d`` above it.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.enhancement import stretch_contrast
    >>> image = np.array([[50, 60, 70], [80, 90, 100]], dtype=np.uint8)
    >>> stretch_contrast(image, in_range="image")
    array([[  0,  51, 102],
           [153, 204, 255]], dtype=uint8)
    >>> stretch_contrast(image, in_range=(60, 90), percentiles=False, out_range=(0, 100))
    array([[  0,   0,  33],
           [ 67, 100, 100]], dtype=uint8)
    """
    image = check_image(image)
    if isinstance(in_range, str):
        if in_range != "image":
            raise ValueError(f"in_range must be a pair or 'image', got {in_range!r}")
        a, b = float(image.min()), float(image.max())
    else:
        a, b = _check_pair(in_range, "in_range")
        if a > b:
            raise ValueError(f"in_range must be increasing, got {in_range!r}")
        if percentiles:
            if a < 0 or b > 100:
                raise ValueError(f"in_range percentiles must lie in [0, 100], got {in_range!r}")
            a, b = (float(v) for v in np.percentile(image, (a, b)))
    c, d = output_range(image) if out_range is None else _check_pair(out_range, "out_range")
    values = image.astype(np.float64)
    if b == a:
        out = np.where(values > a, d, c)
    else:
        out = from_unit(to_unit(values, a, b), c, d)
    return saturate(out, image.dtype, copy=False)


@fill_doc
def gamma_correct(image, gamma, *, gain=1.0):
    """Power-law (gamma) transform ``s = gain * r ** gamma`` on the normalized range.

    ``gamma < 1`` brightens dark regions, ``gamma > 1`` darkens bright ones.

    Parameters
    ----------
    %(image)s
    gamma : float
        Exponent, > 0.
    gain : float, optional
        Multiplier of the normalized result, >= 0. Default 1.

    Returns
    -------
    corrected : (M, N) ndarray
        %(same_dtype)s

    Raises
    ------
    TypeError
        If ``image`` has an unsupported dtype or ``gamma`` is not a number.
    ValueError
        If ``image`` is not 2-D, is empty or holds NaN/inf, ``gamma <= 0`` or
        ``gain < 0``.

    See Also
    --------
    log_transform : a stronger brightening of dark values.

    Notes
    -----
    ``r`` is the image normalized to ``[0, 1]`` over its range: the whole dtype
    range for unsigned integers (as ``skimage.exposure.adjust_gamma``, whose
    uint8 result this equals) and the image's ``[min, max]`` for int16 and float
    images, so HU stay HU. A constant int16 or float image is returned unchanged.
    With ``gain > 1`` the result goes beyond the range's top: unsigned images
    saturate at their dtype's maximum, int16 ones at 32767, float ones are not
    clipped.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.enhancement import gamma_correct
    >>> image = np.array([[0, 64, 128, 255]], dtype=np.uint8)
    >>> gamma_correct(image, 0.5)
    array([[  0, 128, 181, 255]], dtype=uint8)
    >>> gamma_correct(np.array([[-100.0, 0.0, 100.0]]), 2.0)
    array([[-100.,  -50.,  100.]])
    """
    image = check_image(image)
    gamma = check_scalar(gamma, "gamma", low=0, low_open=True, finite=True)
    gain = check_scalar(gain, "gain", low=0, finite=True)
    return _map_unit_interval(image, lambda t: gain * t**gamma)


@fill_doc
def log_transform(image):
    """Logarithmic transform ``s = c * log(1 + r)``: expands dark values and
    compresses bright ones.

    Parameters
    ----------
    %(image)s

    Returns
    -------
    transformed : (M, N) ndarray
        %(same_dtype)s

    %(image_raises)s

    See Also
    --------
    gamma_correct : a milder, tunable power law.

    Notes
    -----
    For uint8 this is Gonzalez & Woods' ``s = 255 / log(256) * log(1 + r)``. Every
    other dtype is normalized to ``t`` in ``[0, 1]`` over its range (the dtype
    range for uint16, the image's ``[min, max]`` for int16 and float images) and
    mapped as an 8-bit image would be, ``log(1 + 255 t) / log(256)``, then back to
    the range: the result looks the same whatever the dtype or units.

    References
    ----------
    .. [1] %(gonzalez_woods)s, section 3.2.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.enhancement import log_transform
    >>> log_transform(np.array([[0, 1, 15, 255]], dtype=np.uint8))
    array([[  0,  32, 128, 255]], dtype=uint8)
    """
    image = check_image(image)
    return _map_unit_interval(image, lambda t: np.log1p(255.0 * t) / np.log(256.0))
