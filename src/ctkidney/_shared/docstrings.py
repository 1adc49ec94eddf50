"""Shared parameter text, written once and filled into every docstring.

Like scipy.ndimage's docfiller: write ``%(mode)s`` in a docstring (at the indentation
of a parameter entry) and decorate the function with :func:`fill_doc`. A literal
``%`` in a decorated docstring must be written ``%%``.
"""

import textwrap

__all__ = ["DOCS", "fill_doc"]

DOCS = {
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
    "footprint": """\
footprint : (P, Q) bool ndarray, optional
    Structuring element (see :func:`ctkidney.morphology.disk` and friends). Default:
    a 3x3 cross.""",
    "same_dtype": """\
The output has the dtype of the input. Integer results are rounded and saturated
to the dtype's range; float results are never clipped.""",
    "response_dtype": """\
The output is float64 for float64 input and float32 for every other dtype.""",
}


def _indent_like(template, key, text):
    # Re-indent the snippet's continuation lines to the indentation of the line
    # where %(key)s stands in the template (at its start or inline).
    for line in template.splitlines():
        if f"%({key})s" in line:
            stripped = line.lstrip()
            indent = line[: len(line) - len(stripped)]
            return textwrap.indent(text, indent)[len(indent):]
    return text


def fill_doc(func):
    """Decorator: replace ``%(name)s`` placeholders in ``func.__doc__``."""
    doc = func.__doc__
    if doc:
        values = {key: _indent_like(doc, key, text) for key, text in DOCS.items()}
        func.__doc__ = doc % values
    return func
