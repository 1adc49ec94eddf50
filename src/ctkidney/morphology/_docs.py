"""Parameter text shared by the morphology docstrings (on top of
:mod:`ctkidney._shared.docstrings`)."""

from ctkidney._shared.docstrings import DOCS, _indent_like

__all__ = ["fill_morph_doc"]

_MORPH_DOCS = {
    "morph_image": """\
image : (M, N) ndarray
    bool mask or uint8, uint16, int16, float32 or float64 image. Never modified.""",
    "mask": """\
mask : (M, N) bool ndarray
    Foreground is True (0/1 integer or float arrays are accepted). Never
    modified.""",
    "connectivity": """\
connectivity : {1, 2}, optional
    1: 4-neighbour (edge) connectivity (default), 2: 8-neighbour (edges and
    corners).""",
    "operator_raises": """\
TypeError
    If ``image`` has an unsupported dtype or ``footprint`` is not boolean-like.
ValueError
    If ``image`` is not 2-D, is empty or holds NaN/inf, or ``footprint`` is
    empty, all False or not 2-D.""",
    "mask_raises": """\
TypeError
    If ``mask`` is not boolean-like.
ValueError
    If ``mask`` holds values other than 0 and 1, is not 2-D or is empty.""",
    "radius": """\
radius : int
    Radius in pixels, ``>= 0``. The footprint is ``2 * radius + 1`` wide.""",
    "radius_raises": """\
TypeError
    If ``radius`` is not an integer.
ValueError
    If ``radius`` is negative or above 2047 (a footprint wider than 4095).""",
}


def fill_morph_doc(func):
    """Decorator: replace ``%(name)s`` placeholders with the shared texts."""
    doc = func.__doc__
    texts = {**DOCS, **_MORPH_DOCS}
    func.__doc__ = doc % {key: _indent_like(doc, key, text) for key, text in texts.items()}
    return func
