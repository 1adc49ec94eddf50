"""The one border translation: the mode table, the check and the padding."""

import ast
import math
from pathlib import Path

import cv2
import numpy as np
import pytest
from scipy import ndimage as ndi

import ctkidney
from ctkidney._shared import border
from ctkidney._shared.validation import MODES

SRC = Path(ctkidney.__file__).parent
BORDER_MODULE = SRC / "_shared" / "border.py"


def _mode_tables(path):
    """Dict literals in ``path`` keyed by a scipy mode name, or holding an OpenCV
    ``BORDER_*`` flag as a value: a translation of ``mode``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Dict):
            continue
        keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
        flags = [v for v in node.values
                 if isinstance(v, ast.Attribute) and v.attr.startswith("BORDER_")]
        if flags or keys & {"mirror", "wrap"} and keys & {"reflect", "nearest"}:
            found.append(node.lineno)
    return found


def test_only_shared_border_translates_mode():
    tables = {str(p.relative_to(SRC)): lines for p in sorted(SRC.rglob("*.py"))
              if p != BORDER_MODULE and (lines := _mode_tables(p))}
    assert tables == {}, f"mode tables outside _shared/border.py: {tables}"
    assert len(_mode_tables(BORDER_MODULE)) == 2  # OpenCV flags, numpy.pad names


def test_tables_cover_every_mode():
    assert set(border.CV2_BORDERS) == set(MODES) == set(border.NUMPY_PAD_MODES)
    assert border.CV2_BORDERS["reflect"] == cv2.BORDER_REFLECT
    assert border.CV2_BORDERS["mirror"] == cv2.BORDER_REFLECT_101


@pytest.mark.parametrize("mode", MODES)
def test_check_border_accepts(mode):
    assert border.check_border(mode, 2) == (mode, 2.0)
    assert isinstance(border.check_border(mode, np.float32(1.5))[1], float)


@pytest.mark.parametrize("mode, cval, error, name", [
    ("periodic", 0.0, ValueError, "mode"),
    (None, 0.0, ValueError, "mode"),
    ("reflect", "zero", TypeError, "cval"),
    ("reflect", True, TypeError, "cval"),
    ("reflect", None, TypeError, "cval"),
    ("reflect", 1j, TypeError, "cval"),
    ("constant", math.nan, ValueError, "cval"),
    ("constant", math.inf, ValueError, "cval"),
    ("reflect", -math.inf, ValueError, "cval"),
    ("constant", 10 ** 400, ValueError, "cval"),
])
def test_check_border_refuses_naming_the_argument(mode, cval, error, name):
    with pytest.raises(error, match=name):
        border.check_border(mode, cval)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shape", [(6, 7), (3, 4), (1, 5)])
@pytest.mark.parametrize("reach", [0, 1, (2, 1), ((1, 3), (0, 2)), 5])
def test_pad_is_scipys_extension(mode, shape, reach):
    rng = np.random.default_rng(0)
    image = rng.normal(size=shape)
    pairs = border._reach_pairs(reach, 2)
    padded = border.pad(image, reach, mode, 2.5)
    assert padded.flags.c_contiguous and padded.dtype == image.dtype
    assert padded.shape == tuple(n + a + b for n, (a, b) in zip(shape, pairs))
    np.testing.assert_array_equal(border.crop(padded, reach, shape), image)
    # Each padded value, read through scipy's own extension: a one-hot kernel at
    # offset (di, dj) correlates the image with the value scipy puts there.
    for di in range(-pairs[0][0], pairs[0][1] + 1):
        for dj in range(-pairs[1][0], pairs[1][1] + 1):
            kernel = np.zeros((2 * abs(di) + 1, 2 * abs(dj) + 1))
            kernel[abs(di) + di, abs(dj) + dj] = 1.0
            shifted = ndi.correlate(image, kernel, mode=mode, cval=2.5)
            window = padded[pairs[0][0] + di:pairs[0][0] + di + shape[0],
                            pairs[1][0] + dj:pairs[1][0] + dj + shape[1]]
            np.testing.assert_array_equal(window, shifted)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16, np.float32, np.float64])
def test_pad_matches_numpy_pad(mode, dtype):
    image = (np.arange(20).reshape(4, 5) * 7).astype(dtype)
    for reach in ((1, 2), (3, 4), (6, 9)):
        cval = -3.6 if mode == "constant" else 0.0
        kwargs = {"constant_values": border.saturate_cval(cval, dtype)} \
            if mode == "constant" else {}
        expected = np.pad(image, [(r, r) for r in reach], border.NUMPY_PAD_MODES[mode],
                          **kwargs)
        np.testing.assert_array_equal(border.pad(image, reach, mode, cval), expected)


def test_pad_volume_and_cval_saturation():
    volume = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    out = border.pad(volume, (1, 1, 1), "constant", 300.4)
    assert out.shape == (4, 5, 6) and out[0, 0, 0] == 255
    np.testing.assert_array_equal(border.pad(volume, (1, 2, 1), "wrap", 0.0),
                                  np.pad(volume, ((1, 1), (2, 2), (1, 1)), "wrap"))
    assert border.saturate_cval(-1.5, np.int16) == -2
    assert border.saturate_cval(2.5, np.uint8) == 2
    assert border.saturate_cval(-7.0, np.uint16) == 0
    assert border.saturate_cval(0.1, np.float32) == np.float32(0.1)


def test_cv2_border_says_when_to_pad():
    assert border.cv2_border("reflect", 0.0, 2, (5, 5)) == cv2.BORDER_REFLECT
    assert border.cv2_border("constant", 0.0, 2, (5, 5)) == cv2.BORDER_CONSTANT
    assert border.cv2_border("constant", 1.0, 2, (5, 5)) is None
    assert border.cv2_border("wrap", 0.0, 2, (5, 5)) is None
    assert border.cv2_border("mirror", 0.0, ((0, 5), (1, 1)), (5, 9)) is None
    assert border.cv2_border("nearest", 0.0, ((0, 4), (1, 1)), (5, 9)) == cv2.BORDER_REPLICATE
