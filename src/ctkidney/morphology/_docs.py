"""Parameter text shared by the morphology docstrings (on top of
:mod:`ctkidney._shared.docstrings`)."""

from ctkidney._shared.docstrings import DOCS, _indent_like

__all__ = ["fill_morph_doc"]

_MORPH_DOCS = {
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
    "operator_raises": """\
TypeError
    If ``image`` has an unsupported dtype or ``footprint`` is not boolean-like.
ValueError
    If ``image`` is not 2-D or 3-D, is empty or holds NaN/inf, or ``footprint`` is
    empty, all False or has another number of dimensions than ``image``.""",
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
