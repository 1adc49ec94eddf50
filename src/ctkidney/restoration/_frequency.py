"""Frequency-domain restoration: notch and band reject filters, automatic
periodic-noise removal, Wiener and constrained least-squares deconvolution.

Frequencies are in cycles/pixel (``numpy.fft.fftfreq``): ``fx`` along columns,
``fy`` along rows, each in ``[-0.5, 0.5]``. The filters work on the periodic
(circular) extension of the image, as the DFT does.
"""

import numpy as np
from scipy import ndimage as ndi

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import (
    check_choice,
    check_image,
    check_scalar,
    dtype_range,
    saturate,
)
from ctkidney.restoration._noise import check_frequencies

__all__ = ["band_reject", "cls_deconvolve", "find_periodic_peaks", "notch_reject",
           "remove_periodic_noise", "wiener_deconvolve"]

KINDS = ("ideal", "butterworth", "gaussian")


def _grid(shape):
    fy = np.fft.fftfreq(shape[0])[:, None]
    fx = np.fft.fftfreq(shape[1])[None, :]
    return fx, fy


def _apply(image, transfer):
    spectrum = np.fft.fft2(image.astype(np.float64))
    return saturate(np.fft.ifft2(spectrum * transfer).real, image.dtype)


def _check_kind(kind, order):
    kind = check_choice(kind, "kind", KINDS)
    order = check_scalar(order, "order", low=0, low_open=True)
    return kind, order


def _highpass(dist, radius, kind, order):
    if kind == "ideal":
        return (dist > radius).astype(np.float64)
    if kind == "butterworth":
        with np.errstate(divide="ignore"):
            return 1.0 / (1.0 + (radius / dist) ** (2 * order))
    return 1.0 - np.exp(-0.5 * (dist / radius) ** 2)


def notch_transfer(shape, centers, radius, kind="butterworth", order=2):
    """Transfer function of :func:`notch_reject` (float64, DFT layout)."""
    fx, fy = _grid(shape)
    transfer = np.ones(shape)
    for cx, cy in centers:
        transfer *= _highpass(np.hypot(fx - cx, fy - cy), radius, kind, order)
        transfer *= _highpass(np.hypot(fx + cx, fy + cy), radius, kind, order)
    return transfer


@fill_doc(shape="notch", bad_type=" or malformed ``centers``",
          bad_value=("centres outside ``[-0.5, 0.5]``, a non-positive radius or order, "
                     "an unknown kind,"))
def notch_reject(image, centers, *, radius=0.02, kind="butterworth", order=2):
    """Notch reject filter: remove the frequencies around ``centers`` (and their
    mirror images).

    Parameters
    ----------
    %(image)s
    centers : (fx, fy) or sequence of (fx, fy)
        Notch centres in cycles/pixel. The symmetric notch at ``(-fx, -fy)`` is
        added automatically, so the result stays real.
    radius : float, optional
        Notch radius :math:`D_0` in cycles/pixel (``> 0``). Default 0.02.
    %(reject_filter)s

    See Also
    --------
    remove_periodic_noise : Find periodic noise in the spectrum and remove it.
    band_reject : Remove a ring of frequencies.

    Notes
    -----
    The product of highpass filters centred on each notch and its mirror
    (Gonzalez & Woods, 4th ed., eq. 4-151), :math:`H = \\prod_k H_k H_{-k}`,
    with :math:`D_k` the distance to centre :math:`k`: ideal :math:`H_k = 0`
    for :math:`D_k \\le D_0`, else 1; Butterworth :math:`H_k = 1 / (1 + (D_0 /
    D_k)^{2n})`; Gaussian :math:`H_k = 1 - e^{-D_k^2 / 2 D_0^2}`.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import add_periodic_noise, notch_reject
    >>> clean = np.full((64, 64), 100.0)
    >>> noisy = add_periodic_noise(clean, amplitude=10, frequencies=(0.125, 0.0))
    >>> out = notch_reject(noisy, (0.125, 0.0), radius=0.02, kind="ideal")
    >>> round(float(np.abs(out - clean).max()), 6)
    0.0
    """
    image = check_image(image)
    centers = check_frequencies(centers, "centers")
    radius = check_scalar(radius, "radius", low=0, low_open=True)
    kind, order = _check_kind(kind, order)
    return _apply(image, notch_transfer(image.shape, centers, radius, kind, order))


@fill_doc(shape="band", bad_type=" or non-numeric parameters",
          bad_value="a non-positive radius, width or order, an unknown kind,")
def band_reject(image, radius, width, *, kind="butterworth", order=2):
    """Band reject filter: remove a ring of frequencies of radius ``radius``.

    Parameters
    ----------
    %(image)s
    radius : float
        Centre radius :math:`C_0` of the band, cycles/pixel (``> 0``).
    width : float
        Width :math:`W` of the band, cycles/pixel (``> 0``).
    %(reject_filter)s

    See Also
    --------
    notch_reject : Remove the frequencies around given centres.

    Notes
    -----
    With :math:`D` the distance to the origin (Gonzalez & Woods, 4.10 and 5.4):
    ideal :math:`H = 0` for :math:`C_0 - W/2 \\le D \\le C_0 + W/2`;
    Butterworth :math:`H = 1 / (1 + (DW / (D^2 - C_0^2))^{2n})`; Gaussian
    :math:`H = 1 - e^{-((D^2 - C_0^2) / DW)^2}`.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import add_periodic_noise, band_reject
    >>> clean = np.full((64, 64), 50.0)
    >>> noisy = add_periodic_noise(clean, amplitude=5, frequencies=[(0.25, 0), (0, 0.25)])
    >>> out = band_reject(noisy, 0.25, 0.05, kind="ideal")
    >>> round(float(np.abs(out - clean).max()), 6)
    0.0
    """
    image = check_image(image)
    radius = check_scalar(radius, "radius", low=0, low_open=True)
    width = check_scalar(width, "width", low=0, low_open=True)
    kind, order = _check_kind(kind, order)
    fx, fy = _grid(image.shape)
    dist = np.hypot(fx, fy)
    if kind == "ideal":
        transfer = ~((dist >= radius - width / 2) & (dist <= radius + width / 2))
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            core = dist * width / (dist * dist - radius * radius)
            if kind == "butterworth":
                # |core|: a real (not even-integer) order of a negative core is NaN.
                transfer = 1.0 / (1.0 + np.abs(core) ** (2 * order))
                transfer[~np.isfinite(core)] = 0.0
            else:
                transfer = 1.0 - np.exp(-1.0 / (core * core))
        transfer[dist == 0] = 1.0
    return _apply(image, transfer.astype(np.float64))


def _windowed(image):
    # The mean-free image under a Hann window, which keeps the image's borders and
    # strong edges from smearing into lines that look like peaks.
    values = image.astype(np.float64)
    window = np.outer(np.hanning(image.shape[0]), np.hanning(image.shape[1]))
    return (values - values.mean()) * window


def _peak_bins(image, threshold, min_frequency):
    rows, cols = image.shape
    if rows < 8 or cols < 8:
        return [], None, None
    windowed = _windowed(image)
    power = np.abs(np.fft.fft2(windowed)) ** 2
    # Power averaged over 3x3 bins: a windowed sinusoid fills them, while the
    # image's own (random-phase) spectrum averages down to its trend.
    smooth = 0.5 * np.log(ndi.uniform_filter(power, size=3, mode="wrap") + 1e-300)
    excess = smooth - ndi.median_filter(smooth, size=9, mode="wrap")
    fx, fy = _grid(image.shape)
    local_max = excess >= ndi.maximum_filter(excess, size=3, mode="wrap")
    far = np.hypot(fx, fy) >= min_frequency
    half_plane = (fy > 0) | ((fy == 0) & (fx > 0))
    found = np.argwhere((excess > threshold) & local_max & far & half_plane)
    return [tuple(int(v) for v in b) for b in found], windowed, excess


def _refine(windowed, row, col):
    # Sub-bin peak position: maximise the magnitude of the windowed image's DTFT
    # on ever finer 5x5 grids around the bin (the transform is separable, so one
    # evaluation costs one pass over the image).
    rows, cols = windowed.shape
    y = np.arange(rows)
    x = np.arange(cols)

    def magnitude(fx, fy):
        return abs(np.exp(-2j * np.pi * fy * y) @ windowed @ np.exp(-2j * np.pi * fx * x))

    fy0 = np.fft.fftfreq(rows)[row]
    fx0 = np.fft.fftfreq(cols)[col]
    step_y, step_x = 0.5 / rows, 0.5 / cols
    for _ in range(4):
        candidates = [(magnitude(fx0 + a * step_x, fy0 + b * step_y), fx0 + a * step_x,
                       fy0 + b * step_y) for a in (-2, -1, 0, 1, 2) for b in (-2, -1, 0, 1, 2)]
        _, fx0, fy0 = max(candidates)
        step_y, step_x = step_y / 4, step_x / 4
    # The DTFT has period 1: a peak refined past the Nyquist frequency (-0.50003)
    # is the same peak inside [-0.5, 0.5].
    return float(_wrap(fx0)), float(_wrap(fy0))


def _wrap(f):
    """``f`` wrapped into ``[-0.5, 0.5]`` (period 1)."""
    return f if -0.5 <= f <= 0.5 else (f + 0.5) % 1.0 - 0.5


@fill_doc(bad_type="",
          bad_value="a non-positive threshold, a negative ``min_frequency``")
def find_periodic_peaks(image, *, threshold=1.2, min_frequency=0.04):
    """Find the spectral peaks of periodic noise.

    Parameters
    ----------
    %(image)s
    threshold : float, optional
        How far above its surroundings a peak must stand, in natural-log units of
        the magnitude (default 1.2: about 3.3 times the local median). ``> 0``.
    min_frequency : float, optional
        Peaks closer than this to DC (cycles/pixel) are ignored: the image itself
        lives there. Default 0.04 (checked after the sub-bin refinement).

    Returns
    -------
    peaks : list of (float, float)
        ``(fx, fy)`` of each peak in cycles/pixel, one per symmetric pair (the one
        with ``fy > 0``, or ``fy = 0`` and ``fx > 0``), refined to a fraction of a
        frequency bin; strongest first.

    %(restoration_raises)s

    See Also
    --------
    remove_periodic_noise : Find periodic noise in the spectrum and remove it.

    Notes
    -----
    The power spectrum of the Hann-windowed, mean-free image is averaged over 3x3
    bins (a windowed sinusoid fills them; the image's own spectrum averages to
    its trend) and compared, as log magnitude, with its own 9x9 running median;
    peaks are local maxima that exceed that background by ``threshold`` away
    from DC. On 8-bit CT slices without periodic noise the excess stays below
    about 1 (any size, any of the other noise kinds); a sine of amplitude 20 at
    0.1 cycles/pixel stands about 1.4 above it on a 128x128 slice, more on larger
    ones. A real image's spectrum is
    conjugate-symmetric, so peaks come in pairs at :math:`\\pm(f_x, f_y)`; one of
    each pair is returned. Images smaller than 8x8 have no peaks.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import add_periodic_noise, find_periodic_peaks
    >>> rng = np.random.default_rng(0)
    >>> image = rng.normal(100, 2, (128, 128))
    >>> noisy = add_periodic_noise(image, amplitude=20, frequencies=(0.1, 0.05))
    >>> [(round(fx, 2), round(fy, 2)) for fx, fy in find_periodic_peaks(noisy)]
    [(0.1, 0.05)]
    """
    image = check_image(image)
    threshold = check_scalar(threshold, "threshold", low=0, low_open=True)
    min_frequency = check_scalar(min_frequency, "min_frequency", low=0)
    bins, windowed, excess = _peak_bins(image, threshold, min_frequency)
    bins.sort(key=lambda b: -excess[b])
    kept = []
    near = 1.5 / min(image.shape)  # one sinusoid can light two adjacent bins
    for r, c in bins:
        fx, fy = _refine(windowed, r, c)
        if np.hypot(fx, fy) >= min_frequency and all(
                np.hypot(fx - kx, fy - ky) > near for kx, ky in kept):
            kept.append((fx, fy))
    return kept


def _fit_sinusoids(image, peaks):
    # Least-squares amplitudes of cos/sin at each peak frequency, fitted on the
    # pixels that were not clipped; returns the fitted noise on the whole grid.
    values = image.astype(np.float64)
    rows, cols = image.shape
    y, x = np.mgrid[0:rows, 0:cols].astype(np.float64)
    clipped = np.zeros(image.shape, bool)
    if image.dtype.kind in "ui":
        lo, hi = dtype_range(image.dtype)
        clipped = (image <= lo) | (image >= hi)
    # Fit away from clipped pixels: next to them the kept pixels are only those
    # where the noise was positive (or negative), which would bias the fit.
    fit = ~ndi.binary_dilation(clipped, np.ones((11, 11), bool))
    if fit.sum() < 4 * len(peaks) + 1:
        fit = ~clipped if (~clipped).sum() >= 4 * len(peaks) + 1 else np.ones(image.shape, bool)
    basis = [np.ones(image.shape)]
    for fx, fy in peaks:
        angle = 2 * np.pi * (fx * x + fy * y)
        basis += [np.cos(angle), np.sin(angle)]
    design = np.stack([b[fit] for b in basis], axis=1)
    coef, *_ = np.linalg.lstsq(design, values[fit], rcond=None)
    noise = sum(c * b for c, b in zip(coef[1:], basis[1:]))
    return noise, ~clipped


@fill_doc(bad_type="",
          bad_value=("an unknown method or kind, bad detection settings, peaks outside "
                     "``[-0.5, 0.5]``, a non-positive radius,"))
def remove_periodic_noise(image, *, method="notch", peaks=None, threshold=1.2,
                          min_frequency=0.04, radius=None, kind="gaussian"):
    """Find periodic noise in the spectrum and remove it.

    Parameters
    ----------
    %(image)s
    method : {'notch', 'subtract'}, optional
        ``'notch'`` (default) applies a notch reject filter at each peak found by
        :func:`find_periodic_peaks`. ``'subtract'`` fits a sinusoid at each peak
        (least squares, on the pixels that were not clipped) and subtracts it,
        which removes the noise without touching the rest of the spectrum.
    peaks : sequence of (fx, fy), optional
        The noise frequencies in cycles/pixel, if known. Default: those found by
        :func:`find_periodic_peaks`.
    threshold, min_frequency : float, optional
        Peak detection settings, as in :func:`find_periodic_peaks` (ignored when
        ``peaks`` is given).
    radius : float, optional
        Notch radius in cycles/pixel (``'notch'`` only). Default: two frequency
        bins, ``2 / min(rows, cols)``.
    kind : {'ideal', 'butterworth', 'gaussian'}, optional
        Notch profile (``'notch'`` only). Default ``'gaussian'``.

    Returns
    -------
    out : ndarray
        The image without its periodic noise (unchanged when no peak is found).
        %(same_dtype)s

    %(restoration_raises)s

    See Also
    --------
    find_periodic_peaks : Find the spectral peaks of periodic noise.
    notch_reject : Remove the frequencies around given centres.
    add_periodic_noise : Add a sum of 2-D sine waves.

    Notes
    -----
    With ``'subtract'``, integer pixels at the dtype's minimum or maximum were
    clipped when the noise was added: they are left as they are, since the noise
    there cannot be recovered, and the fit uses only pixels at least 5 pixels
    away from them (next to clipped areas only one sign of the noise survives,
    which would bias the fit).

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.restoration import add_periodic_noise, remove_periodic_noise
    >>> rng = np.random.default_rng(0)
    >>> clean = rng.normal(100, 2, (128, 128))
    >>> noisy = add_periodic_noise(clean, amplitude=20, frequencies=(0.1, 0.05))
    >>> rms = lambda a: float(np.sqrt(np.mean((a - clean) ** 2)))
    >>> round(rms(noisy), 1), rms(remove_periodic_noise(noisy)) < 5
    (14.1, True)
    >>> rms(remove_periodic_noise(noisy, method="subtract")) < 2.5
    True
    """
    image = check_image(image)
    method = check_choice(method, "method", ("notch", "subtract"))
    kind = check_choice(kind, "kind", KINDS)
    if radius is not None:
        radius = check_scalar(radius, "radius", low=0, low_open=True)
    if peaks is None:
        peaks = find_periodic_peaks(image, threshold=threshold, min_frequency=min_frequency)
    elif len(peaks):
        peaks = [tuple(p) for p in check_frequencies(peaks, "peaks")]
    if len(peaks) == 0:
        return image.copy()
    if method == "notch":
        if radius is None:
            radius = 2.0 / min(image.shape)
        transfer = notch_transfer(image.shape, peaks, radius, kind, 2)
        transfer[0, 0] = 1.0  # never touch the mean
        return _apply(image, transfer)
    noise, keep = _fit_sinusoids(image, peaks)
    restored = image.astype(np.float64) - noise
    restored[~keep] = image[~keep]
    return saturate(restored, image.dtype)


def psf_to_otf(psf, shape):
    """The DFT of ``psf`` zero-padded to ``shape`` with its centre moved to the
    origin (MATLAB's psf2otf; scikit-image's ``ir2tf`` layout)."""
    padded = np.zeros(shape)
    rows = (np.arange(psf.shape[0]) - psf.shape[0] // 2) % shape[0]
    cols = (np.arange(psf.shape[1]) - psf.shape[1] // 2) % shape[1]
    # Accumulate, so a kernel larger than a tiny image wraps around (circularly).
    np.add.at(padded, (rows[:, None], cols[None, :]), psf)
    return np.fft.fft2(padded)


def _check_psf(psf, shape):
    psf = check_image(psf, "psf")
    if psf.shape[0] > shape[0] or psf.shape[1] > shape[1]:
        raise ValueError(f"psf must not be larger than the image {shape}, got {psf.shape}")
    return psf.astype(np.float64)


def _deconvolve(image, psf, penalty):
    otf = psf_to_otf(psf, image.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        inverse = np.conj(otf) / (np.abs(otf) ** 2 + penalty)
    inverse[~np.isfinite(inverse)] = 0.0
    return _apply(image, inverse)


@fill_doc(weight="k", weight_text="Noise-to-signal power ratio",
          other="cls_deconvolve : Constrained least-squares deconvolution.")
def wiener_deconvolve(image, psf, *, k=0.01):
    """Wiener deconvolution with a constant noise-to-signal ratio ``k``.

    %(deconvolve)s

    Notes
    -----
    :math:`\\hat F = \\frac{H^*}{|H|^2 + K} G` (Gonzalez & Woods, 5.8), with the
    blur taken as circular (the DFT's periodic extension). Frequencies where the
    filter is undefined (``H = 0`` and ``k = 0``) are set to 0.

    %(deconvolve_examples)s
    """
    image = check_image(image)
    psf = _check_psf(psf, image.shape)
    k = check_scalar(k, "k", low=0)
    return _deconvolve(image, psf, k)


#: The Laplacian regulariser of constrained least squares.
LAPLACIAN = np.array([[0.0, -1.0, 0.0], [-1.0, 4.0, -1.0], [0.0, -1.0, 0.0]])


@fill_doc(weight="gamma", weight_text="Weight of the smoothness constraint",
          other="wiener_deconvolve : Wiener deconvolution.")
def cls_deconvolve(image, psf, *, gamma=0.01):
    """Constrained least-squares deconvolution with the Laplacian regulariser.

    %(deconvolve)s

    Notes
    -----
    :math:`\\hat F = \\frac{H^*}{|H|^2 + \\gamma |P|^2} G` with :math:`P` the DFT
    of the Laplacian ``[[0, -1, 0], [-1, 4, -1], [0, -1, 0]]`` (Gonzalez & Woods,
    5.9); circular blur. The same as ``skimage.restoration.wiener(image, psf,
    balance=gamma, clip=False)``, whose default regulariser is this Laplacian.

    %(deconvolve_examples)s
    """
    image = check_image(image)
    psf = _check_psf(psf, image.shape)
    gamma = check_scalar(gamma, "gamma", low=0)
    penalty = gamma * np.abs(psf_to_otf(LAPLACIAN, image.shape)) ** 2
    return _deconvolve(image, psf, penalty)
