"""Slice-level preprocessing for classifiers that must not lean on the display window:
a crop around the kidneys, per-slice intensity standardisation and random window
changes (for augmentation and for testing robustness). No TensorFlow here."""

import cv2
import numpy as np

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_image, check_rng, check_scalar

__all__ = [
    "KIDNEY_REGION",
    "WINDOW_JITTER",
    "kidney_region",
    "random_window",
    "standardize_slice",
]

#: The random window change of :func:`random_window`: the level moves by up to
#: ``level_frac`` of the grey range, the width is scaled by a factor in
#: ``width_factor``, and a gamma in ``gamma`` is applied (log-uniform draws).
WINDOW_JITTER = {"level_frac": 0.15, "width_factor": (0.8, 1.25), "gamma": (0.8, 1.25)}

#: The box of :func:`kidney_region`, as fractions of the body's bounding box:
#: axial slices (body wider than tall) keep ``axial_width_frac`` of the body's
#: width and ``axial_height_frac`` of its height around the spine; coronal slices
#: (body taller than wide) keep ``coronal_width_frac`` of the width around the spine
#: and the rows from ``coronal_rows_frac[0]`` to ``coronal_rows_frac[1]`` of the
#: body's height. ``bright_percentile`` picks the bone (spine) pixels inside the body.
KIDNEY_REGION = {"axial_width_frac": 0.8, "axial_height_frac": 0.6,
                 "coronal_width_frac": 0.8, "coronal_rows_frac": (0.15, 0.75),
                 "bright_percentile": 98.5, "spine_column_frac": 0.2}


def _as_uint8(image):
    x = np.asarray(image, dtype=np.float64)  # float32 near its largest: no overflow
    lo, hi = float(x.min()), float(x.max())
    if hi <= lo:
        return np.zeros(x.shape, np.uint8)
    return np.round((x - lo) * (255.0 / (hi - lo))).astype(np.uint8)


def _body_mask(u8):
    """The body of a uint8 slice: the largest 8-connected component above the
    midpoint of the darkest grey level (air) and Otsu's threshold (all False when
    there is none). Measured from the air's level, not from 0: a window whose level
    lifts the air above black does not turn the whole slice into body."""
    otsu, _ = cv2.threshold(u8, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    air = float(u8.min())
    body = (u8 > max(air + 1.0, air + 0.5 * (otsu - air))).astype(np.uint8)
    n, lab, stats, _ = cv2.connectedComponentsWithStats(body, connectivity=8)
    if n <= 1:
        return np.zeros(u8.shape, bool)
    return lab == 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))


@fill_doc
def kidney_region(image):
    """The box of a CT slice that holds the kidneys: around the spine, inside the body.

    The body is the largest component above the midpoint of the air's grey level
    and Otsu's threshold; the spine is the largest component of its brightest
    pixels (``bright_percentile``) near the
    body's midline. Axial slices (body wider than tall) keep a box centred on the
    spine; coronal slices keep the middle rows of the body around the spine (see
    :data:`KIDNEY_REGION`). Without a body or a spine the box falls back to the
    body's (or the image's) centre. A crop, not a segmentation: it only trims what
    cannot hold a kidney (air, table, most of the chest and pelvis), so a classifier
    spends its pixels on the kidneys.

    Parameters
    ----------
    %(slice)s

    Returns
    -------
    box : (int, int, int, int)
        ``(top, bottom, left, right)``: the crop is ``image[top:bottom, left:right]``,
        never empty.

    %(slice_raises)s

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.models import kidney_region
    >>> image = np.zeros((100, 100), np.uint8)
    >>> image[30:70, 10:90] = 100   # an axial body, wider than tall
    >>> image[55:65, 45:55] = 250   # the spine
    >>> kidney_region(image)
    (48, 72, 18, 82)
    """
    image = check_image(image, "image")
    u8 = _as_uint8(image)
    h, w = u8.shape
    inside = _body_mask(u8)
    if not inside.any():
        return 0, h, 0, w
    rows, cols = np.flatnonzero(inside.any(1)), np.flatnonzero(inside.any(0))
    c0, r0 = int(cols[0]), int(rows[0])
    bw, bh = int(cols[-1]) - c0 + 1, int(rows[-1]) - r0 + 1
    cy, cx = r0 + bh / 2, c0 + bw / 2
    hi = np.percentile(u8[inside], KIDNEY_REGION["bright_percentile"])
    bright = ((u8 >= hi) & inside).astype(np.uint8)
    n2, _, stats2, centres = cv2.connectedComponentsWithStats(bright, connectivity=8)
    if n2 > 1:
        near = np.abs(centres[1:, 0] - cx) < KIDNEY_REGION["spine_column_frac"] * bw
        area = stats2[1:, cv2.CC_STAT_AREA] * near
        if area.max() > 0:
            j = 1 + int(np.argmax(area))
            cx, spine_y = centres[j]
            if bw >= bh:
                cy = spine_y
    if bw >= bh:  # axial
        ch = KIDNEY_REGION["axial_height_frac"] * bh
        cw = KIDNEY_REGION["axial_width_frac"] * bw
    else:  # coronal: the middle rows of the body hold the kidneys
        start, stop = KIDNEY_REGION["coronal_rows_frac"]
        ch = (stop - start) * bh
        cy = r0 + (start + stop) / 2 * bh
        cw = KIDNEY_REGION["coronal_width_frac"] * bw
    ch, cw = max(2, int(round(ch))), max(2, int(round(cw)))
    ch, cw = min(ch, h), min(cw, w)
    top = int(np.clip(round(cy - ch / 2), 0, h - ch))
    left = int(np.clip(round(cx - cw / 2), 0, w - cw))
    return top, top + ch, left, left + cw


@fill_doc
def standardize_slice(image):
    """Per-slice intensity standardisation that ignores the display window.

    Subtracts the median of the body (pixels above the slice's 5th percentile,
    so that the air around it does not count) and divides by the spread between
    its 5th and 95th percentiles. A change of window level and width is an affine
    change of the grey values, which this undoes (up to clipping); a gamma change
    is undone to first order.

    Parameters
    ----------
    %(slice)s

    Returns
    -------
    out : (H, W) float32 ndarray
        Body median 0, 5-95 percentile spread 1, clipped to [-4, 4]. A constant
        slice gives zeros.

    %(slice_raises)s

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.models import standardize_slice
    >>> image = np.tile(np.arange(0, 200, 2, dtype=np.uint8), (8, 1))
    >>> a, b = standardize_slice(image), standardize_slice(image // 2 + 30)
    >>> a.dtype, bool(np.allclose(a, b, atol=0.02))
    (dtype('float32'), True)
    """
    image = check_image(image, "image")
    # float64: float32 would overflow to inf on float64 images beyond 3.4e38.
    x = image.astype(np.float64)
    floor = np.percentile(x, 5)
    body = x[x > floor]
    if body.size < 16:
        body = x.ravel()
    lo, med, hi = np.percentile(body, [5, 50, 95])
    spread = float(hi - lo)
    if spread <= 0:
        spread = float(x.max() - x.min())
    if spread <= 0:
        return np.zeros(x.shape, np.float32)
    return np.clip((x - med) / spread, -4, 4).astype(np.float32)


@fill_doc
def random_window(images, *, rng=None, level_frac=None, width_factor=None, gamma=None):
    """Change the display window of each slice at random: level, width and gamma.

    Each slice, scaled to [0, 1] by its dtype's range (uint8: 255, uint16: 65535,
    float: taken as 0..255), gets ``y = clip((x - 0.5 - dl) / s + 0.5, 0, 1) ** g``
    with a level shift ``dl ~ U(-level_frac, level_frac)``, a width factor ``s`` and
    a gamma ``g`` drawn log-uniformly from their ranges (:data:`WINDOW_JITTER`), and is
    scaled back. This is how one CT slice looks under another site's window and
    contrast settings: a classifier that reads only the grey-level histogram
    (:func:`shortcut_baseline`) does not survive it; one that sees anatomy should.

    Parameters
    ----------
    images : (N, H, W) ndarray or (H, W) ndarray
        uint8, uint16 or float (0..255) slices. Never modified.
    %(rng)s
    level_frac : float, optional
        Largest level shift, as a fraction of the grey range. Default 0.15.
    width_factor : (float, float), optional
        Range of the width factor. Default (0.8, 1.25).
    gamma : (float, float), optional
        Range of the gamma. Default (0.8, 1.25).

    Returns
    -------
    out : ndarray
        Same shape and dtype as ``images``.

    Raises
    ------
    TypeError, ValueError
        For bad images or ranges.

    See Also
    --------
    shortcut_baseline : Accuracy from the grey-level histogram alone.
    SliceClassifier : Trains with this augmentation.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.models import random_window
    >>> slices = np.tile(np.arange(256, dtype=np.uint8), (2, 4, 1))
    >>> out = random_window(slices, rng=0)
    >>> out.shape, out.dtype, bool((out != slices).any())
    ((2, 4, 256), dtype('uint8'), True)
    """
    array = np.asarray(images)
    single = array.ndim == 2
    stack = check_image(array[None] if single else array, "images", ndim=3)
    level = WINDOW_JITTER["level_frac"] if level_frac is None else level_frac
    level = check_scalar(level, "level_frac", low=0, high=0.5)
    widths = _check_range(width_factor, "width_factor", WINDOW_JITTER["width_factor"])
    gammas = _check_range(gamma, "gamma", WINDOW_JITTER["gamma"])
    generator = check_rng(rng)
    n = len(stack)
    dl = generator.uniform(-level, level, n)
    s = np.exp(generator.uniform(*np.log(widths), n))
    g = np.exp(generator.uniform(*np.log(gammas), n))
    scale = {np.dtype(np.uint8): 255.0, np.dtype(np.uint16): 65535.0}.get(stack.dtype, 255.0)
    with np.errstate(over="ignore"):  # float64 beyond float32: +-inf, clipped below
        x = stack.astype(np.float32) / np.float32(scale)
    x = np.clip((x - 0.5 - dl[:, None, None]) / s[:, None, None] + 0.5, 0, 1)
    x = x ** g[:, None, None].astype(np.float32) * np.float32(scale)
    if stack.dtype.kind in "ui":
        x = np.round(x)
    out = x.astype(stack.dtype)
    return out[0] if single else out


def _check_range(value, name, default):
    if value is None:
        return default
    if (not isinstance(value, (tuple, list)) or len(value) != 2):
        raise TypeError(f"{name} must be a (low, high) pair, got {value!r}")
    low = check_scalar(value[0], f"{name}[0]", low=0, low_open=True)
    high = check_scalar(value[1], f"{name}[1]", low=low)
    return float(low), float(high)
