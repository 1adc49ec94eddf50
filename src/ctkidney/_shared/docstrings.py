"""Shared docstring text, written once and filled into every docstring.

The one way to share docstring text in ctkidney, like scipy.ndimage's
``docfiller``: write ``%(mode)s`` in a docstring and decorate the function with
:func:`fill_doc`. A placeholder may stand on a line of its own, at the indentation
of a parameter entry or of a section, or inside a sentence; each entry is written
here without indentation and its continuation lines take the indentation of the
line the placeholder stands on. A literal ``%`` in a decorated docstring must be
written ``%%``.

Entries may hold placeholders themselves, so that a family of functions (the
noise models, the transfer-learning builders) shares whole sections and only the
words that differ are given per function: ``@fill_doc(name="sobel")`` fills
``%(name)s`` in that docstring and in the entries it uses. Text used by one
subpackage only is kept here too, under that subpackage's heading, so that there
is one dictionary to read.
"""

import textwrap

__all__ = ["DOCS", "fill_doc"]

DOCS = {
    # ---- every subpackage: parameters -------------------------------------
    "image": """\
image : (M, N) ndarray
    Input image: uint8, uint16, int16 (HU), float32 or float64. Never modified.""",
    "mode": """\
mode : {'reflect', 'nearest', 'mirror', 'wrap', 'constant'}, optional
    How the border is extended, with scipy.ndimage meaning: ``'reflect'``
    (default, ``d c b a | a b c d | d c b a``), ``'nearest'`` (``a a a a | a b c d |
    d d d d``), ``'mirror'`` (``d c b | a b c d | c b a``), ``'wrap'`` (``a b c d |
    a b c d | a b c d``) or ``'constant'`` (``k k k k | a b c d | k k k k`` with
    ``k = cval``).""",
    "cval": """\
cval : float, optional
    Value outside the image when ``mode='constant'``. Default 0.""",
    "size": """\
size : int or (int, int), optional
    Odd window size, one int for a square window or ``(rows, cols)``. Default 3.""",
    "rng": """\
rng : None, int or numpy.random.Generator, optional
    Source of randomness, passed through ``numpy.random.default_rng``. The same
    seed gives the same result.""",
    "spacing": """\
spacing : float or sequence of float, optional
    Voxel size in mm along each axis (``(dz, dy, dx)`` for a volume, as
    :class:`ctkidney.data.Volume` carries it). Default ``None``: 1 per axis,
    distances in voxels (a mask carries no spacing to read).""",
    # ---- every subpackage: Returns sentences ------------------------------
    "same_dtype": """\
The output has the dtype of the input. Integer results are rounded and saturated
to the dtype's range; float results are never clipped.""",
    "response_dtype": """\
The output is float64 for float64 input and float32 for every other dtype.""",
    # ---- every subpackage: Raises -----------------------------------------
    "gonzalez_woods": "R. C. Gonzalez and R. E. Woods, *Digital Image Processing*, 4th ed.",
    "response": """\
Returns
-------
response : (M, N) ndarray
    %(response_dtype)s""",
    "dtype_error": """\
TypeError
    If ``image`` has an unsupported dtype.""",
    "image_raises": """\
Raises
------
%(dtype_error)s
ValueError
    If ``image`` is not 2-D, is empty or holds NaN/inf.""",
    # ---- enhancement ------------------------------------------------------
    # The parameters of lowpass and highpass, given transfer (more words on the
    # transfer function, or "").
    "frequency_params": """\
Parameters
----------
%(image)s
cutoff : float
    Cut-off frequency in cycles/pixel, ``0 < cutoff <= 0.5`` (0.5 is the
    Nyquist frequency). For the Gaussian it is the standard deviation of the
    low-pass transfer function, for Butterworth its half-power frequency.
kind : {'gaussian', 'ideal', 'butterworth'}, optional
    Transfer function%(transfer)s. Default ``'gaussian'``.
    The ideal filter rings.
order : float, optional
    Butterworth order, > 0 (ignored by the other kinds). Default 2.""",
    "frequency_notes": """\
The filter works on the image's mirror-symmetric extension (scipy's
``'reflect'`` border): mathematically the same as padding the image with its
mirror image to twice its size on each axis, taking a real FFT, multiplying by
the transfer function and cropping, so there is no wrap-around between
opposite borders. It is computed with a DCT-II (``scipy.fft.dctn``, all
cores), which gives exactly that at a quarter of the padded FFT's size. The
transfer functions of distance ``D`` (cycles/pixel) from the origin are
``exp(-D**2 / (2 cutoff**2))`` (Gaussian), ``1 / (1 + (D / cutoff)**(2
order))`` (Butterworth) and ``D <= cutoff`` (ideal), cached per shape, kind,
cutoff and order. All are 1 at ``D = 0``, so the low-pass keeps the image's
mean exactly, and ``lowpass(x) + highpass(x) == x`` for float images (to
rounding).""",
    # The Raises, See Also, Notes, References and Examples of lowpass and
    # highpass, given other and also (a second See Also line).
    "frequency_end": """\
Raises
------
TypeError
    If ``image`` has an unsupported dtype or ``cutoff``/``order`` are not
    numbers.
ValueError
    If ``image`` is not 2-D, is empty or holds NaN/inf, ``cutoff`` is outside
    ``(0, 0.5]``, ``order <= 0`` or ``kind`` is unknown.

See Also
--------
%(other)s : the complement.
%(also)s

Notes
-----
%(frequency_notes)s

References
----------
.. [1] %(gonzalez_woods)s, sections 4.8-4.9.

Examples
--------
>>> import numpy as np
>>> from ctkidney.enhancement import highpass, lowpass
>>> image = np.zeros((8, 8))
>>> image[:, 4:] = 100.0                     # a vertical edge
>>> lowpass(image, 0.1)[0].round(1)
array([ 1.5,  5.5, 16.9, 37.5, 62.5, 83.1, 94.5, 98.5])
>>> highpass(image, 0.1)[0].round(1)
array([ -1.5,  -5.5, -16.9, -37.5,  37.5,  16.9,   5.5,   1.5])
>>> float(lowpass(image, 0.1).mean())        # the low-pass keeps the mean
50.0
>>> bool(np.allclose(lowpass(image, 0.1) + highpass(image, 0.1), image))
True""",
    # correlate and convolve (the same contract), given name, other, other_summary
    # and origin (a sentence on the origin, or "").
    "kernel_filter": """\
Parameters
----------
%(image)s
kernel : (P, Q) array_like
    Real weights, any size (odd or even).
%(mode)s
%(cval)s

%(response)s

Raises
------
TypeError
    If ``image`` has an unsupported dtype or ``kernel`` is not real.
ValueError
    If ``image`` is not 2-D, is empty or holds NaN/inf, if ``kernel`` is not a
    non-empty, finite 2-D array, or ``mode`` is unknown.

See Also
--------
%(other)s : %(other_summary)s
scipy.ndimage.%(name)s : the oracle; same result, same origin convention.

Notes
-----
Equals ``scipy.ndimage.%(name)s(image.astype(float), kernel, mode=mode,
cval=cval)`` (to rounding; float32 responses accumulate in float32), computed
with ``cv2.filter2D``.%(origin)s

Examples
--------
Correlating an impulse gives the kernel flipped, convolving it the kernel:

>>> import numpy as np
>>> from ctkidney.enhancement import convolve, correlate
>>> image = np.zeros((3, 5), dtype=np.uint8)
>>> image[1, 2] = 1
>>> correlate(image, [[1, 2, 3]], mode="constant")
array([[0., 0., 0., 0., 0.],
       [0., 3., 2., 1., 0.],
       [0., 0., 0., 0., 0.]], dtype=float32)
>>> convolve(image, [[1, 2, 3]], mode="constant")
array([[0., 0., 0., 0., 0.],
       [0., 1., 2., 3., 0.],
       [0., 0., 0., 0., 0.]], dtype=float32)""",
    # The last parameters, the Returns and the Raises of the sharpening filters,
    # given bad_type (what else raises a TypeError) and bad_value.
    "sharpen_end": """\
%(mode)s
%(cval)s

Returns
-------
sharpened : (M, N) ndarray
    %(same_dtype)s

Raises
------
TypeError
    If ``image`` has an unsupported dtype or
    %(bad_type)s.
ValueError
    If ``image`` is not 2-D, is empty or holds NaN/inf, if
    %(bad_value)s, or if ``mode`` is unknown.""",
    # ---- segmentation -----------------------------------------------------
    # Sobel and Prewitt, given name, smooth, other, value and note.
    "gradient": """\
Parameters
----------
%(image)s
axis : {None, 0, 1}, optional
    0: derivative along rows (responds to horizontal edges), 1: along columns;
    None (default): the magnitude ``hypot(d0, d1)``.
%(mode)s
%(cval)s

Returns
-------
response : (M, N) ndarray
    Unnormalised response (kernel ``[-1, 0, 1]`` times %(smooth)s).
    %(response_dtype)s

Raises
------
TypeError
    If ``image`` has an unsupported dtype.
ValueError
    If ``axis`` or ``mode`` is not allowed.

See Also
--------
%(other)s, canny

Notes
-----
``%(name)s(image, axis=a)`` equals ``scipy.ndimage.%(name)s(image, axis=a)`` in
float.%(note)s

Examples
--------
>>> import numpy as np
>>> from ctkidney.segmentation import %(name)s
>>> image = np.zeros((4, 4), np.uint8)
>>> image[:, 2:] = 10
>>> %(name)s(image, axis=1)[0]
array([ 0., %(value)s., %(value)s.,  0.], dtype=float32)""",
    # ---- morphology -------------------------------------------------------
    "morph_image": """\
image : (M, N) or (Z, Y, X) ndarray
    bool mask or uint8, uint16, int16, float32 or float64 image. Takes volumes: a
    3-D array is one volume, worked on with a 3-D footprint. Never modified.""",
    "footprint": """\
footprint : (P, Q) or (P, Q, R) bool ndarray, optional
    Structuring element with as many dimensions as the image (see
    :func:`ctkidney.morphology.disk`, :func:`~ctkidney.morphology.ball`,
    :func:`~ctkidney.morphology.ellipsoid` and friends). Default: the cross of the
    face neighbours (a 3x3 cross, or 6 neighbours in 3-D).""",
    "mask": """\
mask : (M, N) bool ndarray
    Foreground is True (0/1 integer or float arrays are accepted). Never
    modified.""",
    "volume_mask": """\
mask : (M, N) or (Z, Y, X) bool ndarray
    Foreground is True (0/1 integer or float arrays are accepted). Takes volumes.
    Never modified.""",
    "connectivity": """\
connectivity : {1, 2}, optional
    1: 4-neighbour (edge) connectivity (default), 2: 8-neighbour (edges and
    corners).""",
    "volume_connectivity": """\
connectivity : {1, 2, 3}, optional
    As :func:`scipy.ndimage.generate_binary_structure`: 1 (default) joins
    neighbours that share an edge (4 in 2-D) or a face (6 in 3-D), 2 also those
    that share a corner in 2-D (8) or an edge in 3-D (18), 3 every neighbour of a
    volume (26). The neighbour counts 4, 8, 6, 18 and 26 are accepted too.""",
    # The parameters of label and keep_largest.
    "components_params": """\
Parameters
----------
%(volume_mask)s
%(volume_connectivity)s""",
    "operator_raises": """\
Raises
------
TypeError
    If ``image`` has an unsupported dtype or ``footprint`` is not boolean-like.
ValueError
    If ``image`` is not 2-D or 3-D, is empty or holds NaN/inf, or ``footprint`` is
    empty, all False or has another number of dimensions than ``image``.""",
    "operator_semantics": """\
The neighbourhood of pixel ``(r, c)`` is ``{(r + i - ci, c + j - cj) :
footprint[i, j]}`` with the centre ``(ci, cj) = (P // 2, Q // 2)`` once an even
side has been padded with one False row or column at its front (scikit-image's
convention for the greyscale operators). Pixels outside the image are ignored
(erosion pads with the dtype's maximum or +inf, dilation with its minimum or
-inf), as scikit-image's ``mode='ignore'`` and OpenCV's constant border do.""",
    # Parameters, Returns and Raises of the greyscale operators, given result (the
    # name of the output) and result_note (what follows "The shape and dtype of
    # ``image`` (bool stays bool)", or "").
    "operator": """\
Parameters
----------
%(morph_image)s
%(footprint)s

Returns
-------
%(result)s : ndarray
    The shape and dtype of ``image`` (bool stays bool)%(result_note)s.

%(operator_raises)s""",
    # Erosion and dilation, mirror images of each other, up to their own notes:
    # given name, result, other, other_extremum, composite (the opening or closing
    # that starts with it), composite_summary and identity (the end of the first
    # sentence of the notes).
    "erode_dilate": """\
%(operator)s

See Also
--------
%(other)s : The %(other_extremum)s over the footprint.
%(composite)s : %(composite_summary)s

Notes
-----
Identical to :func:`skimage.morphology.%(name)s` with ``mode='ignore'``%(identity)s

%(operator_semantics)s""",
    # Opening and closing, mirror images of each other: given name, result,
    # other, other_summary, tophat_name, detail, see_also (more See Also lines,
    # or "") and note (the rest of the notes).
    "open_close": """\
%(operator)s

See Also
--------
%(other)s : %(other_summary)s
%(tophat_name)s : %(detail)s details smaller than the footprint.%(see_also)s

Notes
-----
Identical to :func:`skimage.morphology.%(name)s` with ``mode='ignore'``.
%(note)s""",
    # The white and black top-hats, mirror images of each other: given name,
    # result_note, operation (opening, closing), detail, other, other_detail,
    # operation_summary, note and the example's dtype, background, spot and height.
    "tophat": """\
%(operator)s

See Also
--------
%(other)s : %(other_detail)s details smaller than the footprint.
%(operation)s : %(operation_summary)s

Notes
-----
Identical to :func:`skimage.morphology.%(name)s` with ``mode='ignore'`` for
footprints that contain their centre.%(note)s

Examples
--------
>>> import numpy as np
>>> from ctkidney.morphology import %(name)s, square
>>> image = np.full((3, 5), %(background)s, dtype=np.%(dtype)s)
>>> image[1, 2] = %(spot)s                     # a small %(detail)s spot
>>> %(name)s(image, square(3))
array([[ 0,  0,  0,  0,  0],
       [ 0,  0, %(height)s,  0,  0],
       [ 0,  0,  0,  0,  0]], dtype=%(dtype)s)""",
    "mask_raises": """\
Raises
------
TypeError
    If ``mask`` is not boolean-like.
ValueError
    If ``mask`` holds values other than 0 and 1, is not 2-D or is empty.""",
    # Parameters, Returns and Raises of disk, diamond and ball, given unit (pixels,
    # voxels), shape, where and limits (the end of the ValueError sentence).
    "radius_footprint": """\
Parameters
----------
radius : int
    Radius in %(unit)s, ``>= 0``. The footprint is ``2 * radius + 1`` wide.

Returns
-------
footprint : %(shape)s bool ndarray
    True where %(where)s.

Raises
------
TypeError
    If ``radius`` is not an integer.
ValueError
    If ``radius`` is negative%(limits)s.""",
    # Parameters, Returns and Raises of square, cross and cube, given length,
    # shape, content and limits (the end of the ValueError sentence).
    "width_footprint": """\
Parameters
----------
width : int
    %(length)s, ``>= 1``.

Returns
-------
footprint : %(shape)s bool ndarray
    %(content)s

Raises
------
TypeError
    If ``width`` is not an integer.
ValueError
    If ``width`` is smaller than 1%(limits)s.""",
    # ---- restoration ------------------------------------------------------
    "noise_returns": """\
Returns
-------
noisy : ndarray
    The noisy image, with the dtype of ``image``. Integer results are rounded
    half to even and saturated to the dtype's range; float results are not
    clipped.

%(restoration_raises)s""",
    # Wiener and constrained least-squares deconvolution, given weight (k, gamma),
    # weight_text and other (the See Also line of the other one).
    "psf": """\
psf : (P, Q) ndarray
    Point spread function (blur kernel), centred at ``(P // 2, Q // 2)``, no
    larger than the image. Usually sums to 1.""",
    "deconvolve": """\
Parameters
----------
%(image)s
%(psf)s
%(weight)s : float, optional
    %(weight_text)s (``>= 0``); 0 gives the
    inverse filter. Default 0.01.

%(deconvolve_returns)s

See Also
--------
%(other)s""",
    "deconvolve_examples": """\
Examples
--------
>>> import numpy as np
>>> from scipy import ndimage as ndi
>>> from ctkidney.restoration import cls_deconvolve, wiener_deconvolve
>>> rng = np.random.default_rng(0)
>>> image = rng.random((32, 32))
>>> psf = np.outer([1, 2, 1], [1, 2, 1]) / 16
>>> blurred = ndi.convolve(image, psf, mode="wrap")
>>> def error(x):
...     return round(float(np.abs(x - image).mean()), 3)
>>> error(blurred)
0.199
>>> error(wiener_deconvolve(blurred, psf, k=1e-4))
0.096
>>> error(cls_deconvolve(blurred, psf, gamma=1e-4))
0.132""",
    "deconvolve_returns": """\
Returns
-------
out : ndarray
    The restored image.
    %(same_dtype)s

Raises
------
TypeError
    For an unsupported dtype of the image or psf.
ValueError
    For a psf larger than the image, a negative or NaN ``%(weight)s``, or NaN/inf.""",
    # The end of notch_reject's and band_reject's parameters and their Returns and
    # Raises, given shape (notch, band), bad_type and bad_value.
    "reject_filter": """\
kind : {'ideal', 'butterworth', 'gaussian'}, optional
    Profile of the %(shape)s. Default ``'butterworth'``.
order : float, optional
    Butterworth order ``n`` (``> 0``). Default 2.

%(filtered)s

%(restoration_raises)s""",
    # The last parameters, Returns and Raises of a restoration filter that has
    # parameters of its own between size and mode (given bad_type and bad_value).
    "border_filter": """\
%(mode)s
%(cval)s

%(filtered)s

%(restoration_raises)s""",
    # The restoration functions' errors, given bad_type (after "an unsupported
    # dtype": " or ...", ", ... or ...", or "") and bad_value.
    "restoration_raises": """\
Raises
------
TypeError
    For an unsupported dtype%(bad_type)s.
ValueError
    For %(bad_value)s or NaN/inf in the image.""",
    "filtered": """\
Returns
-------
out : ndarray
    The filtered image.
    %(same_dtype)s""",
    # Noise statistics need a 3x3 neighbourhood.
    "noise_image_raises": """\
Raises
------
TypeError
    For an unsupported dtype.
ValueError
    For an image smaller than 3x3 or NaN/inf in the image.""",
    "window_params": """\
Parameters
----------
%(image)s
%(size)s
%(mode)s
%(cval)s""",
    "window_filter": """\
%(window_params)s

%(filtered)s

Raises
------
%(window_raises)s""",
    "window_raises": """\
TypeError
    For an unsupported dtype or a non-integer size.
ValueError
    For an even size, a window side above twice the image side plus one, an
    unknown mode, or NaN/inf in the image.""",
    "nonnegative_window_raises": """\
TypeError
    For an unsupported dtype or a non-integer size.
ValueError
    For an even or too large size, an unknown mode, NaN/inf in the image, or a
    negative value in the image (or in ``cval`` with ``mode='constant'``).""",
    # The minimum and maximum filters, given name, extremum (minimum, maximum),
    # other and other_value.
    "extremum_filter": """\
%(window_filter)s

See Also
--------
%(other)s : The %(other_value)s value of the window.
midpoint_filter : Halfway between the window's minimum and maximum.
scipy.ndimage.%(extremum)s_filter : The oracle, equal bit for bit.

Notes
-----
Equal to ``scipy.ndimage.%(extremum)s_filter`` bit for bit: OpenCV's ``erode``
(minimum) or ``dilate`` (maximum) with a rectangular window, on the image padded
the scipy way.

Examples
--------
>>> import numpy as np
>>> from ctkidney.restoration import max_filter, min_filter
>>> row = np.array([[5, 1, 7, 9]], dtype=np.uint8)
>>> min_filter(row, (1, 3))
array([[1, 1, 1, 7]], dtype=uint8)
>>> max_filter(row, (1, 3))
array([[5, 7, 9, 9]], dtype=uint8)""",
    # ---- models -----------------------------------------------------------
    "weights_rng": """\
rng : None, int or numpy.random.Generator, optional
    Seed of the initial weights (Keras's global seed is set from it). Default
    None: Keras's current random state.""",
    # The VGG16, VGG19 and MobileNetV2 builders, given app, kind, func and note.
    "transfer_model": """\
A keras.applications ``%(app)s`` backbone without its top, plus the seed's head:
Flatten -> Dense(512, relu) -> BatchNormalization -> Dropout(0.5) ->
Dense(n_classes, softmax). %(note)s

Parameters
----------
input_shape : (int, int, int), optional
    ``(rows, cols, 3)``, at least 32x32. Default ``(150, 150, 3)``.
n_classes : int, optional
    Number of classes. Default 4.
weights : None, 'imagenet' or path-like, optional
    Backbone weights: ``None`` (random, the default), ``'imagenet'`` (downloaded
    by Keras into ``~/.keras/models`` on first use; needs the network) or the
    path of a backbone weights file, e.g. Keras's ImageNet "notop" file copied
    from another machine, or one saved with ``save_weights`` from the same
    ``keras.applications.%(app)s(include_top=False, pooling=...)``.
freeze : bool, optional
    Freeze the backbone (no trainable weights in it), so that only the head
    learns. Default True. See :func:`unfreeze` for fine-tuning.
pooling : {'max', 'avg'} or None, optional
    Global pooling of the backbone's last feature map; ``None`` flattens the
    whole map. Default ``'max'``.
%(weights_rng)s
    The backbone's initial weights are random only with ``weights=None``.

Returns
-------
model : keras.Model
    Uncompiled, named ``"ctkidney_%(kind)s"``; preprocess its inputs with
    ``prepare(images, model=model)``.

Raises
------
ImportError
    Without TensorFlow (``pip install "ctkidney[models]"``).
TypeError, ValueError
    For a bad argument.
FileNotFoundError
    For a weights path that does not exist.

See Also
--------
build_cnn, prepare, train, unfreeze, embed

Examples
--------
>>> from ctkidney.models import %(func)s
>>> model = %(func)s((32, 32, 3), weights=None)
>>> len(model.trainable_weights)  # frozen backbone + head
6
>>> model.output_shape
(None, 4)""",
    # One CT slice of the models' preprocessing, any real dtype.
    "slice": """\
image : (H, W) ndarray
    One slice, any real dtype. Never modified.""",
    "slice_raises": """\
Raises
------
TypeError, ValueError
    For an image that is not 2-D or holds NaN.""",
    # ---- metrics ----------------------------------------------------------
    "truth_pred": """\
truth : (M, N) or (Z, Y, X) bool ndarray
    Ground-truth mask, an image or a volume (integer or float arrays holding
    only 0 and 1 are accepted). Never modified.
pred : bool ndarray
    Predicted mask, the same shape.""",
    # iou and dice: Parameters, Returns and Raises given formula; Notes and
    # Examples given name.
    "overlap": """\
Parameters
----------
%(truth_pred)s

Returns
-------
float
    ``%(formula)s`` in [0, 1], a Python float; 1.0 when
    both masks are empty (nothing to find, nothing found).

%(truth_pred_raises)s""",
    "overlap_notes": """\
Notes
-----
``iou = dice / (2 - dice)``, so both rank segmentations the same way; IoU
penalises a given error more.

Examples
--------
>>> import numpy as np
>>> from ctkidney.metrics import dice, iou
>>> truth = np.zeros((4, 4), bool); truth[:2, :2] = True
>>> pred = np.zeros((4, 4), bool); pred[:2, :3] = True
>>> dice(truth, pred), round(iou(truth, pred), 4)
(0.8, 0.6667)
>>> %(name)s(np.zeros((2, 2), bool), np.zeros((2, 2), bool))
1.0""",
    "truth_pred_raises": """\
Raises
------
TypeError
    For a non-numeric mask.
ValueError
    For masks that are not 2-D or 3-D, empty (no pixels), of different shapes, or
    hold values other than 0 and 1.""",
}


def _indented(text, indent):
    """``text`` with its continuation lines indented by ``indent``."""
    return textwrap.indent(text, indent)[len(indent):]


class _Entries:
    """The mapping ``%`` reads placeholders from: DOCS plus per-function values,
    each indented for the line it stands on and filled in turn."""

    def __init__(self, values, indent):
        self.values = values
        self.indent = indent

    def __getitem__(self, key):
        text = self.values[key]
        if "%(" in text:
            text = _fill(text, self.values)
        return _indented(text, self.indent)


def _fill(doc, values):
    lines = []
    for line in doc.split("\n"):
        if "%" in line:
            indent = line[: len(line) - len(line.lstrip())]
            line = line % _Entries(values, indent)
        lines.append(line)
    return "\n".join(lines)


def fill_doc(func=None, /, **values):
    """Decorator: replace the ``%(name)s`` placeholders of ``func.__doc__``.

    Use it bare, ``@fill_doc``, to fill from :data:`DOCS`, or with keywords,
    ``@fill_doc(name="sobel")``, to give the words that differ within a family of
    functions (they also fill placeholders inside the DOCS entries used).
    """
    table = {**DOCS, **values}

    def decorate(f):
        if f.__doc__:
            f.__doc__ = _fill(f.__doc__, table)
        return f

    return decorate if func is None else decorate(func)
