"""Full-reference image-quality metrics: MSE, PSNR and SSIM."""

import math

import numpy as np

from ctkidney._shared.linear import gaussian_kernel1d
from ctkidney._shared.validation import (
    check_image,
    check_same_shape,
    check_scalar,
    dtype_range,
)
from ctkidney.metrics._kernels import (
    _ssim_gaussian_kernel,
    _ssim_uniform_kernel,
    _sum_squared_difference_kernel,
)

__all__ = ["mse", "psnr", "ssim"]

_PAIR_NAMES = ("reference", "image")

#: scikit-image's SSIM uses a Gaussian truncated at 3.5 sigma (an 11-tap filter at
#: sigma=1.5, as in Wang et al. 2004).
_SSIM_TRUNCATE = 3.5


def _check_pair(reference, image):
    reference = check_image(reference, "reference")
    image = check_image(image, "image")
    check_same_shape(reference, image, _PAIR_NAMES)
    return reference, image


def _kernel_inputs(reference, image):
    # The kernels read their input as float64. uint8 pairs (the Kaggle slices) go in
    # as they are; every other pair is converted to float64, which is exact for all
    # supported dtypes, so only two signatures per kernel are ever compiled.
    if reference.dtype == image.dtype == np.uint8:
        return np.ascontiguousarray(reference), np.ascontiguousarray(image)
    return (np.ascontiguousarray(reference, dtype=np.float64),
            np.ascontiguousarray(image, dtype=np.float64))


def _check_bool(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r} ({type(value).__name__})")
    return bool(value)


def _resolve_data_range(reference, image, data_range, *, signed_rule):
    """Validate ``data_range`` or infer it from the integer dtype of the inputs.

    ``signed_rule`` selects PSNR's inference (scikit-image's
    ``peak_signal_noise_ratio``): the dtype's maximum when ``reference`` has no
    negative value, else the dtype's full span. Without it, SSIM's rule: always the
    full span (``max - min`` of the dtype).
    """
    if data_range is not None:
        return check_scalar(data_range, "data_range", low=0, low_open=True, finite=True)
    for array, name in zip((reference, image), _PAIR_NAMES):
        if array.dtype.kind == "f":
            raise ValueError(
                f"data_range is required for floating-point images ({name} has dtype "
                f"{array.dtype}): pass the span of possible values, e.g. "
                "data_range=1.0 for images in [0, 1] or the window width for HU"
            )
    if reference.dtype != image.dtype:
        raise ValueError(
            "data_range is required when reference and image have different dtypes, "
            f"got {reference.dtype} and {image.dtype}"
        )
    low, high = dtype_range(reference.dtype)
    if signed_rule and reference.min() >= 0:
        return float(high)
    return float(high - low)


def mse(reference, image):
    """Mean squared error between two images.

    Parameters
    ----------
    reference : (M, N) ndarray
        Reference image: uint8, uint16, int16, float32 or float64. Never modified.
    image : (M, N) ndarray
        Image to compare, the same shape (any supported dtype).

    Returns
    -------
    float
        ``mean((reference - image) ** 2)``, computed in float64 (a Python float).

    Raises
    ------
    TypeError
        For an unsupported dtype.
    ValueError
        For arrays that are not 2-D, empty, of different shapes, or hold NaN/inf.

    See Also
    --------
    psnr : Peak signal-to-noise ratio in dB.
    ssim : Mean structural similarity of two images.
    skimage.metrics.mean_squared_error : The oracle.

    Notes
    -----
    The same value as scikit-image's ``mean_squared_error``, computed in one pass
    without temporaries (float32 pairs are differenced in float64, where
    scikit-image works in float32).

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.metrics import mse
    >>> a = np.array([[0, 10], [20, 30]], dtype=np.uint8)
    >>> b = np.array([[0, 12], [20, 26]], dtype=np.uint8)
    >>> mse(a, b)
    5.0
    """
    return _mse(*_check_pair(reference, image))


def _mse(reference, image):
    x, y = _kernel_inputs(reference, image)
    return float(_sum_squared_difference_kernel(x, y) / x.size)


def psnr(reference, image, *, data_range=None):
    """Peak signal-to-noise ratio, in decibels.

    Parameters
    ----------
    reference : (M, N) ndarray
        Reference (noise-free) image: uint8, uint16, int16, float32 or float64.
        Never modified.
    image : (M, N) ndarray
        Degraded or restored image, the same shape.
    data_range : float, optional
        Span of possible values (the "peak"). Required for float images and for
        pairs of different dtypes. For integer images it is inferred as
        scikit-image's ``peak_signal_noise_ratio`` does: the dtype's maximum (255
        for uint8, 65535 for uint16, 32767 for int16) when ``reference`` has no
        negative value, else the dtype's full span (65535 for int16). For HU maps
        pass the window width or the span that matters to you.

    Returns
    -------
    float
        ``10 * log10(data_range ** 2 / mse)`` as a Python float; ``inf`` for
        identical images.

    Raises
    ------
    TypeError
        For an unsupported dtype or a non-numeric ``data_range``.
    ValueError
        For arrays that are not 2-D, empty, of different shapes or hold NaN/inf;
        for a float image without ``data_range``; for ``data_range <= 0`` or inf.

    See Also
    --------
    mse : Mean squared error.
    ssim : Mean structural similarity of two images.
    skimage.metrics.peak_signal_noise_ratio : The oracle.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.metrics import psnr
    >>> a = np.full((4, 4), 100, dtype=np.uint8)
    >>> b = a.copy()
    >>> b[0, 0] = 104
    >>> round(psnr(a, b), 3)
    48.131
    >>> psnr(a, a)
    inf
    >>> round(psnr(a / 255.0, b / 255.0, data_range=1.0), 3)
    48.131
    """
    reference, image = _check_pair(reference, image)
    data_range = _resolve_data_range(reference, image, data_range, signed_rule=True)
    error = _mse(reference, image)
    if error == 0.0:
        return math.inf
    if math.isinf(error):
        # Values near 1e300: the squares overflow; mse scales with the square.
        scale = max(float(np.abs(reference).max()), float(np.abs(image).max()))
        log_error = 2 * math.log10(scale) + math.log10(
            _mse(reference / scale, image / scale))
    else:
        log_error = math.log10(error)
    # In decibels of logarithms: data_range ** 2 over- or underflows at 1e+-300.
    return float(20.0 * math.log10(data_range) - 10.0 * log_error)


def ssim(reference, image, *, data_range=None, win_size=None, gaussian_weights=False,
         sigma=1.5, use_sample_covariance=True, full=False):
    """Mean structural similarity index (SSIM) between two images.

    The same results as scikit-image's ``structural_similarity`` with the same
    settings (to about 1e-12), computed by a fused Numba kernel several times faster.

    Parameters
    ----------
    reference : (M, N) ndarray
        Reference image: uint8, uint16, int16, float32 or float64. Never modified.
    image : (M, N) ndarray
        Image to compare, the same shape.
    data_range : float, optional
        Span of possible values, which scales the stabilising constants
        ``C1 = (0.01 * data_range) ** 2`` and ``C2 = (0.03 * data_range) ** 2``.
        Required for float images and for pairs of different dtypes; for integer
        images it is the dtype's full span (255 for uint8, 65535 for uint16 and
        int16), as in scikit-image.
    win_size : int, optional
        Odd side of the window, at least 3 and at most the shorter image side.
        Default (None): 7 for the uniform window; for the Gaussian window
        ``2 * int(3.5 * sigma + 0.5) + 1`` (11 at ``sigma=1.5``), the filter's
        own size. As in scikit-image, with ``gaussian_weights=True`` an explicit
        ``win_size`` does not change the filter (its size follows ``sigma``), only
        the border crop of the mean and the sample-covariance factor.
    gaussian_weights : bool, optional
        False (default): a uniform ``win_size`` x ``win_size`` window. True: a
        Gaussian window of standard deviation ``sigma`` truncated at
        ``3.5 * sigma``.
    sigma : float, optional
        Standard deviation of the Gaussian window (default 1.5). Must be > 0.
    use_sample_covariance : bool, optional
        True (default): (co)variances normalised by ``N - 1`` with
        ``N = win_size ** 2``; False: by ``N``, as Wang et al.
    full : bool, optional
        Also return the SSIM map.

    Returns
    -------
    mssim : float
        Mean of the SSIM map over the image less a border of ``(win_size - 1) // 2``
        pixels (where the window leaves the image), a Python float in [-1, 1].
    ssim_map : (M, N) float64 ndarray
        The full SSIM map, only when ``full=True``.

    Raises
    ------
    TypeError
        For an unsupported dtype, a non-numeric ``data_range``/``sigma``, a
        non-integer ``win_size`` or non-bool flags.
    ValueError
        For arrays that are not 2-D, empty, of different shapes or hold NaN/inf;
        for a float image without ``data_range``; ``data_range <= 0``; an even
        ``win_size``, one below 3 or larger than the image; ``sigma <= 0`` or, with
        ``gaussian_weights``, larger than the shorter image side.

    See Also
    --------
    psnr : Peak signal-to-noise ratio in dB.
    mse : Mean squared error.
    skimage.metrics.structural_similarity : The oracle.

    Notes
    -----
    With local means ``ux, uy``, variances ``vx, vy`` and covariance ``vxy``
    (uniform or Gaussian weights, borders extended with scipy's ``'reflect'``
    rule), the map is::

        S = (2 ux uy + C1) (2 vxy + C2) / ((ux**2 + uy**2 + C1) (vx + vy + C2))

    The defaults are scikit-image's. The implementation of Wang et al. [1]_ is
    ``gaussian_weights=True, use_sample_covariance=False`` (with ``sigma=1.5``,
    an 11 x 11 window) and an explicit ``data_range``.

    Every dtype is computed in float64, so float32 input can differ from
    scikit-image (which filters float32 input in float32) by float32 rounding.

    The kernel sweeps the image once, one output row at a time: the five moment
    filters (x, y, x², y², xy) are fused, the uniform window uses separable
    running sums and the Gaussian window a separable, symmetric convolution.

    References
    ----------
    .. [1] Z. Wang, A. C. Bovik, H. R. Sheikh and E. P. Simoncelli, "Image quality
       assessment: from error visibility to structural similarity", IEEE Trans.
       Image Process. 13(4), 600-612, 2004. https://doi.org/10.1109/TIP.2003.819861

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.metrics import ssim
    >>> rng = np.random.default_rng(0)
    >>> a = rng.integers(0, 256, (32, 32)).astype(np.uint8)
    >>> ssim(a, a)
    1.0
    >>> noisy = np.clip(a + rng.normal(0, 20, a.shape), 0, 255).astype(np.uint8)
    >>> round(ssim(a, noisy), 4)
    0.9679
    >>> value, smap = ssim(a / 255.0, noisy / 255.0, data_range=1.0, full=True)
    >>> smap.shape, smap.dtype
    ((32, 32), dtype('float64'))
    """
    reference, image = _check_pair(reference, image)
    data_range = _resolve_data_range(reference, image, data_range, signed_rule=False)
    gaussian_weights = _check_bool(gaussian_weights, "gaussian_weights")
    use_sample_covariance = _check_bool(use_sample_covariance, "use_sample_covariance")
    full = _check_bool(full, "full")
    sigma = check_scalar(sigma, "sigma", low=0, low_open=True, finite=True)
    if gaussian_weights and sigma > min(reference.shape):
        raise ValueError(f"sigma must be at most the shorter image side with "
                         f"gaussian_weights=True, got {sigma!r} for images of shape "
                         f"{reference.shape}")
    weights = gaussian_kernel1d(sigma, _SSIM_TRUNCATE) if gaussian_weights else None
    implied = ""
    if win_size is None:
        win_size = weights.shape[0] if gaussian_weights else 7
        implied = (f" (the default for sigma={sigma:g}; pass a smaller win_size or sigma)"
                   if gaussian_weights else " (the default; pass a smaller one)")
    win_size = check_scalar(win_size, "win_size", low=3, integer=True)
    if win_size % 2 == 0:
        raise ValueError(f"win_size must be odd, got {win_size}")
    if win_size > min(reference.shape):
        raise ValueError(
            f"win_size must be at most the shorter image side, got {win_size}{implied} "
            f"for images of shape {reference.shape}"
        )

    scale = max(data_range, float(np.abs(reference).max()), float(np.abs(image).max()))
    if scale > 1e100 or scale < 1e-100:
        # SSIM is invariant to scaling the images and data_range together; near
        # 1e300 the squares in the statistics and in c1, c2 would overflow, near
        # 1e-160 (or subnormal) they underflow to 0 and give 0 / 0.
        reference, image, data_range = reference / scale, image / scale, data_range / scale
    count = win_size * win_size
    cov_norm = count / (count - 1) if use_sample_covariance else 1.0
    c1 = (0.01 * data_range) ** 2
    c2 = (0.03 * data_range) ** 2
    pad = (win_size - 1) // 2
    x, y = _kernel_inputs(reference, image)
    ssim_map = np.empty(x.shape if full else (1, 1), dtype=np.float64)
    if gaussian_weights:
        total = _ssim_gaussian_kernel(x, y, weights, pad, cov_norm, c1, c2, ssim_map, full)
    else:
        total = _ssim_uniform_kernel(x, y, pad, pad, cov_norm, c1, c2, ssim_map, full)
    inner = (x.shape[0] - 2 * pad) * (x.shape[1] - 2 * pad)
    mssim = float(total / inner)
    return (mssim, ssim_map) if full else mssim
