"""Gaussian smoothing of volumes, and of images with a physical sigma."""

import math
import numbers

import numpy as np

from ctkidney._shared.border import check_border
from ctkidney._shared.linear import correlate_separable, gaussian_kernel1d
from ctkidney._shared.validation import check_image, check_memory, check_scalar, saturate
from ctkidney._shared.volume import check_ndim, check_spacing

__all__ = ["gaussian_nd"]


def _check_sigmas(sigma, ndim, spacing):
    if isinstance(sigma, (tuple, list)):
        if len(sigma) != ndim:
            raise TypeError(f"sigma must be a number or a sequence of {ndim} (one per axis), "
                            f"got {sigma!r}")
        values = sigma
    elif isinstance(sigma, numbers.Real) and not isinstance(sigma, (bool, np.bool_)):
        values = (sigma,) * ndim
    else:
        raise TypeError(f"sigma must be a number or a sequence of {ndim}, got {sigma!r}")
    values = [check_scalar(s, "sigma", low=0, finite=True) for s in values]
    if spacing is None:
        return values
    return [s / d for s, d in zip(values, check_spacing(spacing, ndim))]


def _check_reach(shape, sigmas, truncate, spacing):
    """Refuse a Gaussian whose padded volume would not fit in memory (the 2-D
    ``gaussian_filter`` rule, per axis, sigmas in voxels)."""
    name = "sigma * truncate" + (" / spacing" if spacing is not None else "")
    reaches = [truncate * s for s in sigmas]
    if not all(math.isfinite(r) for r in reaches):
        raise ValueError(f"{name} must be finite, got {reaches!r} voxels")
    padded = 1
    for n, r in zip(shape, reaches):
        padded *= n + 2 * int(r + 0.5)
    check_memory(8 * padded, name, max(reaches))


def gaussian_nd(image, sigma, *, spacing, mode, cval, truncate):
    """scipy.ndimage.gaussian_filter of an image or a volume, ``sigma`` in pixels, or
    in mm when ``spacing`` is given; the dtype rule of ``gaussian_filter``."""
    image = check_ndim(check_image(image, ndim=None), "image")
    sigmas = _check_sigmas(sigma, image.ndim, spacing)
    truncate = check_scalar(truncate, "truncate", low=0, low_open=True, finite=True)
    mode, cval = check_border(mode, cval)
    _check_reach(image.shape, sigmas, truncate, spacing)
    if max(sigmas) <= 1e-15:
        return image.copy()
    # Accumulate in float64 for every dtype and round once, as the 2-D path and
    # scipy do (float32 work was up to 1 ulp off scipy on volumes).
    dtype = np.dtype(np.float64)
    kernels = [gaussian_kernel1d(s, truncate) for s in sigmas]
    if image.ndim == 2:
        out = correlate_separable(image, kernels[0], kernels[1], mode, cval, dtype)
        return saturate(out, image.dtype, copy=False)
    nz, ny, nx = image.shape
    work = np.ascontiguousarray(image, dtype=dtype)
    if kernels[0].size > 1:
        # Along the slices: the volume as a (Z, Y*X) image filtered down its columns.
        work = correlate_separable(work.reshape(nz, ny * nx), kernels[0], np.ones(1), mode,
                                   cval, dtype).reshape(nz, ny, nx)
    if kernels[1].size > 1 or kernels[2].size > 1:
        work = np.stack([correlate_separable(work[z], kernels[1], kernels[2], mode, cval,
                                             dtype) for z in range(nz)])
    return saturate(work, image.dtype, copy=False)
