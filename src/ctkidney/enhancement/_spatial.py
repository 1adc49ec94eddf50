"""Spatial filters: convolution/correlation, smoothing and sharpening."""

import numpy as np

from ctkidney._shared.border import check_border
from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.linear import box_mean, correlate_2d, gaussian, work_dtype
from ctkidney._shared.validation import (
    check_image,
    check_memory,
    check_scalar,
    check_size,
    near_float32_max,
    response_dtype,
    saturate,
)
from ctkidney.enhancement._volume import gaussian_nd

__all__ = [
    "convolve",
    "correlate",
    "gaussian_filter",
    "laplacian",
    "mean_filter",
    "sharpen_laplacian",
    "unsharp_mask",
]

_LAPLACE_KERNEL = np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])


def _check_kernel(kernel):
    if kernel is None or isinstance(kernel, (str, bytes)):
        raise TypeError(f"kernel must be a 2-D array of real numbers, got {kernel!r}")
    kernel = np.asarray(kernel)
    if kernel.dtype == bool or kernel.dtype.kind not in "uif":
        raise TypeError(f"kernel must hold real numbers, got dtype {kernel.dtype}")
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be 2-D, got shape {kernel.shape}")
    if kernel.size == 0:
        raise ValueError(f"kernel must not be empty, got shape {kernel.shape}")
    kernel = kernel.astype(np.float64)
    if not np.isfinite(kernel).all():
        raise ValueError("kernel must not contain NaN or inf")
    return kernel


def _check_sigma(sigma, name="sigma"):
    values = sigma if isinstance(sigma, (tuple, list)) else (sigma, sigma)
    if len(values) != 2:
        raise TypeError(f"{name} must be a number or a (rows, cols) pair, got {sigma!r}")
    return tuple(check_scalar(s, name, low=0, finite=True) for s in values)


def _check_reach(image, sigma, truncate):
    """Refuse a Gaussian whose padded image would not fit in memory."""
    radius = int(truncate * max(sigma) + 0.5)
    check_memory(8 * (image.shape[0] + 2 * radius) * (image.shape[1] + 2 * radius),
                 "sigma * truncate", max(sigma) * truncate)


def _kernel_filter(image, kernel, mode, cval, *, flip):
    """Correlation, or convolution (``flip``): the flipped kernel with scipy's
    origin, ``(size - 1) // 2``, which differs from ``size // 2`` for even sizes."""
    image = check_image(image)
    kernel = _check_kernel(kernel)
    mode, cval = check_border(mode, cval)
    if flip:
        kernel = np.ascontiguousarray(kernel[::-1, ::-1])
        anchor = ((kernel.shape[0] - 1) // 2, (kernel.shape[1] - 1) // 2)
    else:
        anchor = (kernel.shape[0] // 2, kernel.shape[1] // 2)
    return correlate_2d(image, kernel, anchor, mode, cval, response_dtype(image.dtype))


@fill_doc(name="correlate", other="convolve", other_summary="the same with the kernel flipped.",
          origin="")
def correlate(image, kernel, *, mode="reflect", cval=0.0):
    """2-D correlation: ``out[i, j] = sum(kernel[m, n] * image[i + m - cm, j + n - cn])``.

    The kernel is slid over the image as it is, not flipped (compare
    :func:`convolve`). Its origin ``(cm, cn)`` is its centre, ``shape // 2``.

    %(kernel_filter)s
    """
    return _kernel_filter(image, kernel, mode, cval, flip=False)


@fill_doc(name="convolve", other="correlate", other_summary="the same without flipping.",
          origin="\nEven-sized kernels have scipy's origin: the flipped kernel's origin is\n"
                 "``(size - 1) // 2`` along each axis.")
def convolve(image, kernel, *, mode="reflect", cval=0.0):
    """2-D convolution: correlation with the kernel flipped in both axes.

    For a symmetric kernel convolution and correlation agree; for an asymmetric
    one (a derivative, a motion blur) they differ: convolving an impulse
    reproduces the kernel, correlating it gives the kernel flipped.

    %(kernel_filter)s
    """
    return _kernel_filter(image, kernel, mode, cval, flip=True)


@fill_doc
def mean_filter(image, size=3, *, mode="reflect", cval=0.0):
    """Arithmetic mean (box) filter over a ``size`` window.

    %(window_params)s

    Returns
    -------
    smoothed : (M, N) ndarray
        %(same_dtype)s

    Raises
    ------
    TypeError
        If ``image`` has an unsupported dtype or ``size`` is not an int or pair.
    ValueError
        If ``image`` is not 2-D, is empty or holds NaN/inf, ``size`` is even or not
        positive, or ``mode`` is unknown.

    See Also
    --------
    gaussian_filter : smoother, with less ringing.
    scipy.ndimage.uniform_filter : the oracle.

    Notes
    -----
    Equals ``scipy.ndimage.uniform_filter(image.astype(float), size, mode=mode,
    cval=cval)``, rounded half to even and saturated for integer images, rounded
    once to float32 for float32 images: every dtype is filtered in float64.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.enhancement import mean_filter
    >>> image = np.array([[0, 0, 0], [0, 90, 0], [0, 0, 0]], dtype=np.uint8)
    >>> mean_filter(image, 3, mode="constant")
    array([[10, 10, 10],
           [10, 10, 10],
           [10, 10, 10]], dtype=uint8)
    """
    image = check_image(image)
    rows, cols = check_size(size)
    mode, cval = check_border(mode, cval)
    return box_mean(image, (rows, cols), mode, cval)


@fill_doc
def gaussian_filter(image, sigma, *, mode="reflect", cval=0.0, truncate=4.0, spacing=None):
    """Gaussian smoothing of an image or a volume.

    Parameters
    ----------
    %(image)s
        Takes volumes: a (Z, Y, X) array is smoothed in 3-D.
    sigma : float or sequence of float
        Standard deviation, >= 0, one for every axis or one per axis (``(rows,
        cols)``, or ``(slices, rows, cols)`` for a volume). In pixels, or in mm
        when ``spacing`` is given. 0 leaves that axis unfiltered.
    %(mode)s
    %(cval)s
    truncate : float, optional
        The kernel is cut at ``truncate`` standard deviations (radius
        ``int(truncate * sigma + 0.5)``). Default 4.0.
    spacing : float or sequence of float, optional
        Pixel (voxel) size in mm along each axis, e.g. ``Volume.spacing``. When
        given, ``sigma`` is in mm and becomes ``sigma / spacing`` pixels per axis,
        so that anisotropic CT voxels are smoothed by the same physical amount.

    Returns
    -------
    smoothed : ndarray
        The shape of ``image``. %(same_dtype)s

    Raises
    ------
    TypeError
        If ``image`` has an unsupported dtype or ``sigma`` is not a number or pair.
    ValueError
        If ``image`` is not 2-D or 3-D, is empty or holds NaN/inf, ``sigma < 0``,
        ``truncate <= 0``, ``mode`` is unknown or ``spacing`` is not positive.

    See Also
    --------
    mean_filter, unsharp_mask
    scipy.ndimage.gaussian_filter : the oracle; the same sampled kernel.

    Notes
    -----
    Equals ``scipy.ndimage.gaussian_filter(image.astype(float), sigma,
    mode=mode, cval=cval, truncate=truncate)`` (separable, normalized sampled
    Gaussian), rounded half to even and saturated for integer images, rounded
    once to float32 for float32 images: every dtype is filtered in float64. A
    volume is filtered along the slices first (OpenCV down the columns of the
    volume seen as a ``(Z, Y*X)`` image), then slice by slice in-plane.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.enhancement import gaussian_filter
    >>> image = np.zeros((5, 5))
    >>> image[2, 2] = 1.0
    >>> gaussian_filter(image, 1.0)[2].round(4)
    array([0.0233, 0.0966, 0.1592, 0.0966, 0.0233])
    """
    if np.ndim(image) == 3 or spacing is not None:
        return gaussian_nd(image, sigma, spacing=spacing, mode=mode, cval=cval,
                           truncate=truncate)
    image = check_image(image)
    sigma = _check_sigma(sigma)
    truncate = check_scalar(truncate, "truncate", low=0, low_open=True, finite=True)
    mode, cval = check_border(mode, cval)
    _check_reach(image, sigma, truncate)
    if max(sigma) <= 1e-15:
        return image.copy()
    # Accumulate in float64 for every dtype and round once, as scipy does for float32.
    out = gaussian(image, sigma, truncate, mode, cval, np.dtype(np.float64))
    return saturate(out, image.dtype, copy=False)


@fill_doc
def laplacian(image, *, mode="reflect", cval=0.0):
    """Discrete Laplacian, the 4-neighbour kernel ``[[0, 1, 0], [1, -4, 1], [0, 1, 0]]``.

    Parameters
    ----------
    %(image)s
    %(mode)s
    %(cval)s

    %(response)s

    Raises
    ------
    %(dtype_error)s
    ValueError
        If ``image`` is not 2-D, is empty or holds NaN/inf, or ``mode`` is unknown.

    See Also
    --------
    sharpen_laplacian : the image minus its Laplacian.
    scipy.ndimage.laplace : the oracle.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.enhancement import laplacian
    >>> image = np.zeros((3, 3), dtype=np.uint8)
    >>> image[1, 1] = 1
    >>> laplacian(image, mode="constant")
    array([[ 0.,  1.,  0.],
           [ 1., -4.,  1.],
           [ 0.,  1.,  0.]], dtype=float32)
    """
    image = check_image(image)
    mode, cval = check_border(mode, cval)
    return correlate_2d(image, _LAPLACE_KERNEL, (1, 1), mode, cval, response_dtype(image.dtype))


@fill_doc(bad_type="``alpha`` is not a number", bad_value="``alpha < 0``")
def sharpen_laplacian(image, *, alpha=1.0, mode="reflect", cval=0.0):
    """Laplacian sharpening: ``image - alpha * laplacian(image)``.

    Parameters
    ----------
    %(image)s
    alpha : float, optional
        Strength, >= 0. Default 1 (Gonzalez & Woods' ``g = f - laplacian(f)``).
    %(sharpen_end)s

    See Also
    --------
    laplacian : The 4-neighbour Laplacian response.
    unsharp_mask : Sharpening by a Gaussian high-pass.

    Notes
    -----
    With the negative-centre kernel of :func:`laplacian` the sharpened image is
    ``f - alpha * laplacian(f)``, i.e. the kernel ``[[0, -a, 0], [-a, 1 + 4a,
    -a], [0, -a, 0]]``.

    References
    ----------
    .. [1] %(gonzalez_woods)s, section 3.6.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.enhancement import sharpen_laplacian
    >>> image = np.array([[10, 10, 10, 50, 50, 50]] * 3, dtype=np.uint8)
    >>> sharpen_laplacian(image)[1]
    array([10, 10,  0, 90, 50, 50], dtype=uint8)
    """
    image = check_image(image)
    alpha = check_scalar(alpha, "alpha", low=0, finite=True)
    mode, cval = check_border(mode, cval)
    kernel = -alpha * _LAPLACE_KERNEL
    kernel[1, 1] += 1.0
    out = correlate_2d(image, kernel, (1, 1), mode, cval, work_dtype(image.dtype))
    return saturate(out, image.dtype, copy=False)


@fill_doc(bad_type="``sigma``/``amount`` are not numbers",
          bad_value="``sigma < 0``, ``amount < 0``")
def unsharp_mask(image, *, sigma=1.0, amount=1.0, mode="reflect", cval=0.0):
    """Unsharp masking: ``image + amount * (image - gaussian_filter(image, sigma))``.

    Parameters
    ----------
    %(image)s
    sigma : float or (float, float), optional
        Standard deviation of the blur, >= 0. Default 1.
    amount : float, optional
        Gain of the detail (mask), >= 0. 1 is unsharp masking; above 1,
        highboost filtering. Default 1.
    %(sharpen_end)s

    See Also
    --------
    gaussian_filter, sharpen_laplacian
    skimage.filters.unsharp_mask : the same with ``preserve_range=True``.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.enhancement import unsharp_mask
    >>> image = np.array([[10, 10, 10, 50, 50, 50]] * 3, dtype=np.uint8)
    >>> unsharp_mask(image, sigma=1.0, amount=1.0)[1]
    array([10,  8,  0, 62, 52, 50], dtype=uint8)
    """
    image = check_image(image)
    sigma = _check_sigma(sigma)
    _check_reach(image, sigma, 4.0)
    amount = check_scalar(amount, "amount", low=0, finite=True)
    mode, cval = check_border(mode, cval)
    # The difference of two values near float32's largest overflows: such images
    # are worked in float64.
    dtype = np.float64 if near_float32_max(image, 4, cval) else work_dtype(image.dtype)
    blurred = gaussian(image, sigma, 4.0, mode, cval, dtype)
    values = image.astype(dtype)
    with np.errstate(over="ignore"):  # a huge amount: +-inf, saturated
        return saturate(values + amount * (values - blurred), image.dtype, copy=False)
