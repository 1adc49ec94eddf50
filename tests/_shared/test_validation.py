import inspect

import numpy as np
import pytest

from ctkidney._shared import validation as v
from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.optional import optional_import


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16, np.float32, np.float64])
def test_check_image_accepts_supported_dtypes(dtype):
    img = np.zeros((3, 4), dtype)
    assert v.check_image(img) is img


@pytest.mark.parametrize("bad, exc, match", [
    (np.zeros((3, 4), np.int64), TypeError, "image must have dtype"),
    (np.zeros((3, 4), np.complex128), TypeError, "dtype complex128"),
    (np.zeros((3, 4), bool), TypeError, "dtype bool"),
    (np.zeros((3, 4, 2), np.uint8), ValueError, "must be 2-D"),
    (np.zeros((0, 4), np.uint8), ValueError, "must not be empty"),
    (np.array([[1.0, np.nan]]), ValueError, "NaN or inf"),
    (np.array([[1.0, np.inf]], np.float32), ValueError, "NaN or inf"),
    ("image.png", TypeError, "must be a NumPy array"),
    (None, TypeError, "must be a NumPy array"),
])
def test_check_image_refuses(bad, exc, match):
    with pytest.raises(exc, match=match):
        v.check_image(bad)


def test_check_image_names_the_argument():
    with pytest.raises(ValueError, match="^reference must be 2-D"):
        v.check_image(np.zeros(3), "reference")


def test_check_image_bool_when_allowed():
    m = np.zeros((2, 2), bool)
    assert v.check_image(m, allow_bool=True) is m


def test_check_mask():
    assert v.check_mask(np.array([[0, 1]], np.uint8)).dtype == bool
    with pytest.raises(ValueError, match="only 0 and 1"):
        v.check_mask(np.array([[0, 2]]))
    with pytest.raises(TypeError, match="boolean mask"):
        v.check_mask(np.array([["a"]]))
    with pytest.raises(ValueError, match="must have shape"):
        v.check_mask(np.zeros((2, 2), bool), shape=(3, 3))
    with pytest.raises(ValueError, match="must be 2-D"):
        v.check_mask(np.zeros(3, bool))
    with pytest.raises(ValueError, match="empty"):
        v.check_mask(np.zeros((0, 3), bool))
    with pytest.raises(TypeError):
        v.check_mask(None)


def test_check_same_shape():
    v.check_same_shape(np.zeros((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="a and b must have the same shape"):
        v.check_same_shape(np.zeros((2, 3)), np.zeros((3, 2)), ("a", "b"))


def test_check_scalar():
    assert v.check_scalar(2, "x") == 2.0
    assert v.check_scalar(3.0, "n", integer=True) == 3
    with pytest.raises(TypeError, match="x must be a real number"):
        v.check_scalar("1", "x")
    with pytest.raises(TypeError):
        v.check_scalar(True, "x")
    with pytest.raises(ValueError, match="must not be NaN"):
        v.check_scalar(float("nan"), "q")
    with pytest.raises(ValueError, match="sigma must be >= 0"):
        v.check_scalar(-1, "sigma", low=0)
    with pytest.raises(ValueError, match="cutoff must be > 0"):
        v.check_scalar(0, "cutoff", low=0, low_open=True)
    with pytest.raises(ValueError, match="amount must be <= 1"):
        v.check_scalar(1.5, "amount", high=1)
    with pytest.raises(ValueError, match="< 1"):
        v.check_scalar(1, "x", high=1, high_open=True)
    with pytest.raises(TypeError, match="must be an integer"):
        v.check_scalar(2.5, "k", integer=True)
    assert v.check_scalar(float("inf"), "x", finite=False) == float("inf")
    with pytest.raises(ValueError, match="x must be finite"):
        v.check_scalar(float("inf"), "x")
    with pytest.raises(ValueError, match="q must be finite"):
        v.check_scalar(10**400, "q")
    with pytest.raises(ValueError, match="n must fit in a 64-bit integer"):
        v.check_scalar(10**400, "n", integer=True)
    with pytest.raises(ValueError, match="width must be finite"):
        v.check_scalar(float("-inf"), "width", finite=True)


def test_check_choice_and_mode():
    assert v.check_mode("wrap") == "wrap"
    with pytest.raises(ValueError, match="mode must be one of"):
        v.check_mode("edge")
    with pytest.raises(ValueError, match="kind must be one of 'a', 'b'"):
        v.check_choice("c", "kind", ("a", "b"))


def test_check_size():
    assert v.check_size(3) == (3, 3)
    assert v.check_size((1, 5)) == (1, 5)
    assert v.check_size(np.int64(7)) == (7, 7)
    for bad in (2, 0, -3, (3, 4)):
        with pytest.raises(ValueError, match="odd and positive"):
            v.check_size(bad)
    for bad in (3.0, "3", (3,), True, (3, 3.0)):
        with pytest.raises(TypeError):
            v.check_size(bad)
    with pytest.raises(ValueError, match="at most 5"):
        v.check_size(7, max_size=5)


def test_check_footprint():
    assert v.check_footprint([[0, 1], [1, 1]]).dtype == bool
    with pytest.raises(ValueError, match="at least one True"):
        v.check_footprint(np.zeros((3, 3), bool))
    with pytest.raises(ValueError, match="2-D"):
        v.check_footprint(np.ones((3, 3, 3), bool))
    with pytest.raises(TypeError):
        v.check_footprint(np.full((3, 3), 0.5))
    with pytest.raises(TypeError):
        v.check_footprint(None)


def test_check_rng():
    a = v.check_rng(5).integers(0, 1000, 5)
    b = v.check_rng(np.random.default_rng(5)).integers(0, 1000, 5)
    assert (a == b).all()
    assert isinstance(v.check_rng(None), np.random.Generator)
    with pytest.raises(TypeError, match="rng must be None"):
        v.check_rng("seed")
    with pytest.raises(TypeError):
        v.check_rng(1.5)
    with pytest.raises(ValueError):
        v.check_rng(-1)
    assert v.rng_to_seed(3) == v.rng_to_seed(3)


def test_response_dtype_and_range():
    assert v.response_dtype(np.float64) == np.float64
    for dt in (np.uint8, np.uint16, np.int16, np.float32):
        assert v.response_dtype(dt) == np.float32
    assert v.dtype_range(np.int16) == (-32768, 32767)
    assert v.dtype_range(bool) == (0, 1)


def test_saturate_rounds_half_to_even_and_clips():
    values = np.array([-3.0, 0.5, 1.5, 2.49, 254.5, 300.0])
    np.testing.assert_array_equal(v.saturate(values, np.uint8), [0, 0, 2, 2, 254, 255])
    np.testing.assert_array_equal(v.saturate(np.array([70000]), np.int16), [32767])
    big = np.array([1e6], np.float64)
    assert v.saturate(big, np.float32)[0] == 1e6
    src = np.array([1, 2], np.uint8)
    out = v.saturate(src, np.uint8)
    assert out is not src and (out == src).all()
    assert v.saturate(np.array([0.0, 2.0]), bool).tolist() == [False, True]


def test_fill_doc_indents_snippets():
    @fill_doc
    def f():
        """Summary.

        Parameters
        ----------
        %(mode)s
        """

    assert "    mode : {'reflect'" in f.__doc__
    assert "\n            ``'nearest'``" in f.__doc__ or "        (default" in f.__doc__


def test_fill_doc_indents_inline_snippets():
    @fill_doc
    def f():
        """Summary.

        Returns
        -------
        out : ndarray
            The result. %(same_dtype)s
        """

    doc = inspect.getdoc(f)
    assert "Returns\n-------\nout : ndarray" in doc
    assert "\n    to the dtype's range" in doc


def test_optional_import_error_names_the_extra():
    with pytest.raises(ImportError, match=r'pip install "ctkidney\[models\]"'):
        optional_import("tensorflow_definitely_missing_pkg", extra="models")
    assert optional_import("json").dumps([]) == "[]"


def test_check_image_normalises_byte_order_and_layout():
    native = np.arange(12, dtype=np.float32).reshape(3, 4)
    for variant in (native.astype(">f4"), np.asfortranarray(native), native.T.copy().T,
                    np.repeat(native, 2, axis=1)[:, ::2]):
        out = v.check_image(variant)
        assert out.dtype == np.float32 and out.dtype.isnative and out.flags.c_contiguous
        np.testing.assert_array_equal(out, native)
    assert v.check_image(native) is native  # no copy when nothing needs changing
    big = (np.arange(6) % 2).reshape(2, 3).astype(">i2")
    assert v.check_mask(big).dtype == bool


def test_check_memory_names_the_argument_and_the_need():
    assert v.check_memory(1024, "size", 16) == 16
    with pytest.raises(ValueError, match=r"size=1000000000 would need .* of memory"):
        v.check_memory(10**18, "size", 10**9)
    with pytest.raises(ValueError, match=r"radius=.* would need about 2\*\*"):
        v.check_memory(10**400, "radius", 10**200)


def test_check_float_array():
    np.testing.assert_array_equal(v.check_float_array([(0.1, 2)], "f"), [[0.1, 2.0]])
    for bad, error in ((True, TypeError), ([1j], TypeError), (None, TypeError), ("1", TypeError),
                       ([(10**400, 0.2)], ValueError), ([np.nan], ValueError),
                       ([[1, 2], [3]], ValueError)):
        with pytest.raises(error, match="^f "):
            v.check_float_array(bad, "f")


def test_ranges_never_overflow():
    from ctkidney._shared.ranges import from_unit, to_levels, to_unit
    x = np.array([-1e308, 0.0, 1e308])
    np.testing.assert_allclose(to_unit(x, -1e308, 1e308), [0.0, 0.5, 1.0])
    np.testing.assert_allclose(from_unit([0.0, 0.5, 1.0], -1e308, 1e308), x)
    tiny = np.array([0.0, 5e-324, 1e-310])
    levels = to_levels(tiny, 0.0, 1e-310, 256)
    assert levels.min() >= 0 and levels.max() == 255 and levels.dtype == np.int32
    assert from_unit(0.25, 10.0, 0.0) == 7.5  # decreasing ranges map too


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16, np.float32, np.float64])
@pytest.mark.parametrize("work", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(2, 8), (16,), (2, 2, 4)])
def test_saturate_fused_pass_is_rint_and_clip(dtype, work, shape):
    values = np.array([-40000.5, -1.5, -0.5, 0.5, 1.5, 2.5, 254.5, 255.5,
                       256.0, 1e9, 32767.5, 65535.4, 65535.5, 3.49, -3.51, 0.0],
                      dtype=work).reshape(shape)
    out = v.saturate(values, dtype)
    if np.dtype(dtype).kind == "f":
        expected = values.astype(dtype)
    else:
        info = np.iinfo(dtype)
        expected = np.clip(np.rint(values.astype(np.float64)), info.min, info.max).astype(dtype)
    assert out.dtype == np.dtype(dtype) and out.shape == shape
    np.testing.assert_array_equal(out, expected)


def test_saturate_copies_unless_told_not_to():
    values = np.array([1.5, 2.5])
    assert v.saturate(values, np.float64) is not values
    assert v.saturate(values, np.float64, copy=False) is values
    assert v.saturate(np.float64(2.5), np.uint8) == 2


def test_check_spacing_takes_0d_arrays_and_refuses_unordered_collections():
    from ctkidney._shared.volume import check_spacing
    assert check_spacing(np.array(2.0), 3) == (2.0, 2.0, 2.0)  # as np.float64(2.0) is
    assert check_spacing(np.array(2, np.int16), 2) == (2.0, 2.0)
    assert check_spacing(np.array([3.0, 0.8, 0.8]), 3) == (3.0, 0.8, 0.8)
    for unordered in ({3.0, 0.8}, frozenset({3.0, 0.8}), {"z": 3.0, "y": 0.8}):
        with pytest.raises(TypeError, match="spacing must be .* axis order.*unordered"):
            check_spacing(unordered, 2)
    with pytest.raises(TypeError, match="spacing"):
        check_spacing(np.array(1 + 1j), 2)
