"""Greyscale and binary erosion, dilation, opening, closing, gradient and top-hats."""

import cv2
import numpy as np

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_image
from ctkidney._shared.volume import check_ndim
from ctkidney.morphology._footprints import mirror, normalize_footprint
from ctkidney.morphology._kernels import _chord_erosion_kernel, _rect_erosion_kernel
from ctkidney.morphology._planes import by_planes

__all__ = ["black_tophat", "closing", "dilation", "erosion", "gradient", "opening",
           "white_tophat"]


def check_morph_image(image, name="image"):
    """Validate an operator's input: bool or a supported grey dtype, 2-D or 3-D."""
    return check_ndim(check_image(image, name, allow_bool=True, ndim=None), name)


def _top(dtype):
    # The identity of min for the dtype (a bool mask is worked on as uint8 0/1).
    if dtype.kind == "b":
        return 1
    if dtype.kind == "f":
        return np.inf
    return np.iinfo(dtype).max


def _bottom(dtype):
    if dtype.kind == "b":
        return 0
    if dtype.kind == "f":
        return -np.inf
    return np.iinfo(dtype).min


def _chords(footprint):
    """Horizontal runs of an odd footprint, as arrays for ``_chord_erosion_kernel``:
    row, first column, and the length as ``2**level + shift``; plus the number of
    doubling levels."""
    rows, starts, lengths = [], [], []
    for r, line in enumerate(footprint):
        padded = np.concatenate(([False], line, [False])).astype(np.int8)
        edges = np.flatnonzero(np.diff(padded))
        rows += [r] * (len(edges) // 2)
        starts += list(edges[::2])
        lengths += list(edges[1::2] - edges[::2])
    lengths = np.asarray(lengths, dtype=np.int64)
    levels = np.floor(np.log2(lengths)).astype(np.int64)
    return (np.asarray(rows, dtype=np.int64), np.asarray(starts, dtype=np.int64),
            levels, lengths - (1 << levels), int(levels.max()) + 1)


def _erode_numba(image, footprint):
    work = image.view(np.uint8) if image.dtype.kind == "b" else image
    ry, rx = footprint.shape[0] // 2, footprint.shape[1] // 2
    padded = np.pad(np.ascontiguousarray(work), ((ry, ry), (rx, rx)),
                    constant_values=_top(image.dtype))
    out = np.empty(work.shape, dtype=work.dtype)
    if footprint.all():
        _rect_erosion_kernel(padded, footprint.shape[0], footprint.shape[1], out)
    else:
        _chord_erosion_kernel(padded, *_chords(footprint), out)
    return out.view(bool) if image.dtype.kind == "b" else out


def _reverse(image):
    # An exact order-reversing bijection: ~x for integers and bool-as-uint8 (0/1
    # becomes 255/254), -x for floats. dilation(x) = reverse(erosion(reverse(x))).
    if image.dtype.kind == "f":
        return np.negative(image)
    work = image.view(np.uint8) if image.dtype.kind == "b" else image
    return np.invert(work)


def _dilate_numba(image, footprint):
    if image.dtype.kind == "b":
        flipped = _reverse(image)  # 255 (False) / 254 (True); uint8 max pads
        ry, rx = footprint.shape[0] // 2, footprint.shape[1] // 2
        padded = np.pad(flipped, ((ry, ry), (rx, rx)), constant_values=255)
        out = np.empty(flipped.shape, dtype=np.uint8)
        if footprint.all():
            _rect_erosion_kernel(padded, footprint.shape[0], footprint.shape[1], out)
        else:
            _chord_erosion_kernel(padded, *_chords(footprint), out)
        return np.invert(out).view(bool)
    return _reverse(_erode_numba(_reverse(image), footprint))


def _opencv(func, image, footprint, border):
    work = np.ascontiguousarray(image)
    work = work.view(np.uint8) if image.dtype.kind == "b" else work
    out = func(work, footprint.view(np.uint8), borderType=cv2.BORDER_CONSTANT,
               borderValue=border)
    return out.view(bool) if image.dtype.kind == "b" else out


def _min_or_max(image, footprint, backend, minimum):
    """Erosion (``minimum=True``) or dilation of a validated image or volume by a
    normalised (odd) footprint: plane by plane for a volume, else OpenCV or the
    Numba kernels (``backend``: 'auto', 'opencv' or 'numba')."""
    pad = _top(image.dtype) if minimum else _bottom(image.dtype)
    if image.ndim == 3:
        return by_planes(image, footprint, _erode if minimum else _dilate,
                         np.minimum if minimum else np.maximum, pad)
    if backend == "opencv" or (backend == "auto" and _opencv_ok(image, footprint)):
        return _opencv(cv2.erode if minimum else cv2.dilate, image, footprint, float(pad))
    return (_erode_numba if minimum else _dilate_numba)(image, footprint)


def _erode(image, footprint, backend="auto"):
    """Erosion of a validated image or volume by a normalised (odd) footprint."""
    return _min_or_max(image, footprint, backend, minimum=True)


def _dilate(image, footprint, backend="auto"):
    """Dilation of a validated image or volume by a normalised (odd) footprint."""
    return _min_or_max(image, footprint, backend, minimum=False)


def _opencv_ok(image, footprint):
    """Whether OpenCV is the faster of two exact paths.

    OpenCV's erode/dilate with a constant border at the dtype's extreme and the
    centre anchor compute exactly scikit-image's result for every supported dtype
    and footprint (tested against scikit-image and the Numba kernels). Its
    separable SIMD path wins for rectangles and small footprints; the Numba chord
    kernel wins for large non-rectangular footprints (from 21 pixels wide for
    8-bit data, 11 for 16- and 32-bit) and for float64 beyond 5x5, where OpenCV
    has no vector path (measured on 512x512 images, see the benchmarks).
    """
    side = max(footprint.shape)
    if image.dtype == np.float64:
        return side <= 5
    if footprint.all():
        return True
    return side < (21 if image.dtype.itemsize == 1 else 11)


def _subtract(a, b):
    """``a - b`` saturated to the dtype (bool: ``a and not b``)."""
    if a.dtype.kind == "b":
        return a & ~b
    if a.dtype.kind == "f":
        return a - b
    info = np.iinfo(a.dtype)
    diff = a.astype(np.int64) - b.astype(np.int64)
    return np.clip(diff, info.min, info.max).astype(a.dtype)


@fill_doc(name="erosion", result="eroded", result_note="", other="dilation",
          other_extremum="maximum", composite="opening",
          composite_summary="Erosion, then dilation: removes small bright details.",
          identity=", for bool\ninput too (whose even-sized footprints scikit-image's "
                   "``binary_erosion``\ncentres differently).")
def erosion(image, footprint=None):
    """Morphological erosion: the minimum over the footprint's neighbourhood.

    %(erode_dilate)s

    Rectangles are separable: a van Herk/Gil-Werman running minimum down the rows,
    O(1) per pixel, then doubling tables along them. Other footprints are split
    into horizontal chords, each the minimum of two power-of-two runs from the
    doubling tables (Urbach & Wilkinson). OpenCV's ``erode``, which gives the
    identical result, is called where it is faster (rectangles, small footprints).

    References
    ----------
    .. [1] M. van Herk, "A fast algorithm for local minimum and maximum filters on
       rectangular and octagonal kernels", Pattern Recognit. Lett. 13 (1992).
    .. [2] E. R. Urbach and M. H. F. Wilkinson, "Efficient 2-D grayscale morphological
       transformations with arbitrary flat structuring elements", IEEE Trans. Image
       Process. 17 (2008).

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.morphology import erosion, square
    >>> image = np.zeros((5, 5), dtype=np.uint8)
    >>> image[1:4, 1:4] = 7
    >>> erosion(image, square(3))
    array([[0, 0, 0, 0, 0],
           [0, 0, 0, 0, 0],
           [0, 0, 7, 0, 0],
           [0, 0, 0, 0, 0],
           [0, 0, 0, 0, 0]], dtype=uint8)
    """
    image = check_morph_image(image)
    return _erode(image, normalize_footprint(footprint, ndim=image.ndim))


@fill_doc(name="dilation", result="dilated", result_note="", other="erosion",
          other_extremum="minimum", composite="closing",
          composite_summary="Dilation, then erosion: fills small dark details.",
          identity=" and to\nOpenCV's ``dilate``: the footprint is used as the "
                   "neighbourhood, as given. The\ntextbook dilation by ``B`` (Gonzalez "
                   "& Woods), like ``scipy.ndimage`` and\nscikit-image's "
                   "``binary_dilation``, reflects the footprint: it is\n"
                   "``dilation(image, B[::-1, ::-1])``. For symmetric footprints they "
                   "all agree.")
def dilation(image, footprint=None):
    """Morphological dilation: the maximum over the footprint's neighbourhood.

    %(erode_dilate)s

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.morphology import dilation
    >>> mask = np.zeros((3, 5), dtype=bool)
    >>> mask[1, 2] = True
    >>> dilation(mask).astype(int)
    array([[0, 0, 1, 0, 0],
           [0, 1, 1, 1, 0],
           [0, 0, 1, 0, 0]])
    """
    image = check_morph_image(image)
    return _dilate(image, normalize_footprint(footprint, ndim=image.ndim))


@fill_doc(name="opening", result="opened", result_note="", other="closing",
          other_summary="Dilation, then erosion: fills small dark details.",
          tophat_name="white_tophat", detail="Bright", see_also="",
          note="The opening is idempotent and, for a footprint that holds its centre,\n"
               "never above the image.")
def opening(image, footprint=None):
    """Morphological opening: erosion, then dilation by the reflected footprint.

    Removes bright details (foreground specks) smaller than the footprint.

    %(open_close)s

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.morphology import opening, square
    >>> mask = np.zeros((5, 6), dtype=bool)
    >>> mask[1:4, 1:4] = True
    >>> mask[2, 5] = True                    # a speck
    >>> opening(mask, square(3)).astype(int)
    array([[0, 0, 0, 0, 0, 0],
           [0, 1, 1, 1, 0, 0],
           [0, 1, 1, 1, 0, 0],
           [0, 1, 1, 1, 0, 0],
           [0, 0, 0, 0, 0, 0]])
    """
    image = check_morph_image(image)
    footprint = normalize_footprint(footprint, ndim=image.ndim)
    return _dilate(_erode(image, footprint), mirror(footprint))


@fill_doc(name="closing", result="closed", result_note="", other="opening",
          other_summary="Erosion, then dilation: removes small bright details.",
          tophat_name="black_tophat", detail="Dark",
          see_also="\nfill_holes : Fill the background regions that do not reach the border.",
          note="Because outside pixels are ignored, a closing does not erode objects\n"
               "that touch the border.")
def closing(image, footprint=None):
    """Morphological closing: dilation, then erosion by the reflected footprint.

    Fills dark details (holes, gaps) smaller than the footprint.

    %(open_close)s

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.morphology import closing, square
    >>> mask = np.ones((5, 5), dtype=bool)
    >>> mask[2, 2] = False                   # a one-pixel hole
    >>> bool(closing(mask, square(3)).all())
    True
    """
    image = check_morph_image(image)
    footprint = normalize_footprint(footprint, ndim=image.ndim)
    return _erode(_dilate(image, footprint), mirror(footprint))


@fill_doc(result="gradient",
          result_note=": integers saturate\n(int16 differences above 32767 are "
                      "clipped), floats are exact, and for a\nbool mask it is "
                      "``dilation & ~erosion`` (the thick boundary)")
def gradient(image, footprint=None):
    """Morphological gradient: dilation minus erosion.

    %(operator)s

    See Also
    --------
    boundary : Inner boundary of a mask.
    dilation : The maximum over the footprint.
    erosion : The minimum over the footprint.

    Notes
    -----
    The same as :func:`skimage.filters.rank.gradient` for uint8 images (which is
    restricted to unsigned integers), computed for every supported dtype.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.morphology import gradient
    >>> image = np.array([[0, 0, 0, 9, 9, 9]], dtype=np.uint8)
    >>> gradient(image)
    array([[0, 0, 9, 9, 0, 0]], dtype=uint8)
    """
    image = check_morph_image(image)
    footprint = normalize_footprint(footprint, ndim=image.ndim)
    return _subtract(_dilate(image, footprint), _erode(image, footprint))


@fill_doc(name="white_tophat", operation="opening", detail="bright",
          result="tophat", result_note="; integer\ndifferences saturate, bool gives "
                                       "``image & ~opening``",
          other="black_tophat", other_detail="Dark",
          operation_summary="Erosion, then dilation: removes small bright details.",
          note=" Then the opening\nnever exceeds the image and no saturation happens.",
          dtype="uint8", background="10", spot="60", height="50")
def white_tophat(image, footprint=None):
    """White top-hat: the image minus its opening (bright details smaller than the
    footprint).

    %(tophat)s
    """
    image = check_morph_image(image)
    footprint = normalize_footprint(footprint, ndim=image.ndim)
    return _subtract(image, _dilate(_erode(image, footprint), mirror(footprint)))


@fill_doc(name="black_tophat", operation="closing", detail="dark",
          result="tophat", result_note="; integer\ndifferences saturate, bool gives "
                                       "``closing & ~image``",
          other="white_tophat", other_detail="Bright",
          operation_summary="Dilation, then erosion: fills small dark details.",
          note="", dtype="int16", background="50", spot="-20", height="70")
def black_tophat(image, footprint=None):
    """Black top-hat: the closing minus the image (dark details smaller than the
    footprint, made bright).

    %(tophat)s
    """
    image = check_morph_image(image)
    footprint = normalize_footprint(footprint, ndim=image.ndim)
    return _subtract(_erode(_dilate(image, footprint), mirror(footprint)), image)

