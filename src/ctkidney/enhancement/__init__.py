"""Image enhancement: HU windowing, histogram, spatial and frequency-domain filters.

Point transforms (:func:`window`, :func:`stretch_contrast`, :func:`gamma_correct`,
:func:`log_transform`), histogram operations (:func:`equalize_hist`,
:func:`match_hist`, :func:`clahe`), spatial filters (:func:`convolve`,
:func:`correlate`, :func:`mean_filter`, :func:`gaussian_filter`, :func:`laplacian`,
:func:`sharpen_laplacian`, :func:`unsharp_mask`) and frequency-domain filters
(:func:`lowpass`, :func:`highpass`). Image-to-image functions keep the dtype;
responses (convolution, Laplacian, high-pass) are float.
"""

from ctkidney.enhancement._clahe import clahe
from ctkidney.enhancement._frequency import highpass, lowpass
from ctkidney.enhancement._histogram import equalize_hist, match_hist
from ctkidney.enhancement._intensity import gamma_correct, log_transform, stretch_contrast
from ctkidney.enhancement._spatial import (
    convolve,
    correlate,
    gaussian_filter,
    laplacian,
    mean_filter,
    sharpen_laplacian,
    unsharp_mask,
)
from ctkidney.enhancement._window import WINDOWS, window

__all__ = [
    "WINDOWS",
    "clahe",
    "convolve",
    "correlate",
    "equalize_hist",
    "gamma_correct",
    "gaussian_filter",
    "highpass",
    "laplacian",
    "log_transform",
    "lowpass",
    "match_hist",
    "mean_filter",
    "sharpen_laplacian",
    "stretch_contrast",
    "unsharp_mask",
    "window",
]
