"""Frequency-domain low-pass and high-pass filters."""

import functools
import os

import numpy as np
import scipy.fft

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import (
    check_choice,
    check_image,
    check_scalar,
    response_dtype,
    saturate,
)

__all__ = ["highpass", "lowpass"]

KINDS = ("gaussian", "ideal", "butterworth")

_WORKERS = os.cpu_count() or 1


@functools.lru_cache(maxsize=32)
def _transfer(shape, kind, cutoff, order, high, dtype):
    """Transfer function on the DCT-II frequency grid of ``shape`` (frequency
    ``k / (2 n)`` cycles/pixel for index ``k``), read-only, of ``dtype``."""
    fy = np.arange(shape[0]) / (2.0 * shape[0])
    fx = np.arange(shape[1]) / (2.0 * shape[1])
    # (d / cutoff) ** 2, not d2 / cutoff ** 2: a tiny cutoff squared underflows to 0.
    with np.errstate(over="ignore"):
        r2 = (np.hypot(fy[:, np.newaxis], fx[np.newaxis, :]) / cutoff) ** 2
    if kind == "ideal":
        h = (r2 <= 1.0).astype(np.float64)
    elif kind == "butterworth":
        with np.errstate(over="ignore"):
            h = 1.0 / (1.0 + r2 ** order)
    else:
        h = np.exp(-r2 / 2.0)
    if high:
        h = 1.0 - h
    h = h.astype(dtype)
    h.setflags(write=False)
    return h


def _check(image, cutoff, kind, order):
    image = check_image(image)
    cutoff = check_scalar(cutoff, "cutoff", low=0, low_open=True, high=0.5, finite=True)
    kind = check_choice(kind, "kind", KINDS)
    order = check_scalar(order, "order", low=0, low_open=True, finite=True)
    return image, cutoff, kind, order


def _filter(image, cutoff, kind, order, high):
    dtype = response_dtype(image.dtype)
    work = dtype
    if dtype == np.float32 and float(np.abs(image).max()) > 1e30:
        # The transform's sums of float32 values near 3e38 overflow (inf - inf = NaN).
        work = np.dtype(np.float64)
    spectrum = scipy.fft.dctn(image.astype(work), type=2, norm="ortho", workers=_WORKERS)
    spectrum *= _transfer(image.shape, kind, cutoff, order, high, work.str)
    out = scipy.fft.idctn(spectrum, type=2, norm="ortho", workers=_WORKERS)
    with np.errstate(over="ignore"):
        return out.astype(dtype, copy=False)


@fill_doc(transfer="", other="highpass",
          also="gaussian_filter : the spatial-domain Gaussian.")
def lowpass(image, cutoff, *, kind="gaussian", order=2):
    """Frequency-domain low-pass filter (smoothing).

    %(frequency_params)s

    Returns
    -------
    smoothed : (M, N) ndarray
        Same dtype as ``image``: integer results are rounded half to even and
        saturated; float results are not clipped (computed in float64 for float64
        input, float32 otherwise).

    %(frequency_end)s
    """
    image, cutoff, kind, order = _check(image, cutoff, kind, order)
    return saturate(_filter(image, cutoff, kind, order, False), image.dtype, copy=False)


@fill_doc(transfer=", ``1 - lowpass``'s", other="lowpass",
          also="unsharp_mask : adds a spatial high-pass back to the image.")
def highpass(image, cutoff, *, kind="gaussian", order=2):
    """Frequency-domain high-pass filter: the detail that :func:`lowpass` removes.

    %(frequency_params)s

    Returns
    -------
    response : (M, N) ndarray
        The high-frequency response, zero-mean.
        %(response_dtype)s

    %(frequency_end)s
    """
    image, cutoff, kind, order = _check(image, cutoff, kind, order)
    return _filter(image, cutoff, kind, order, True)

