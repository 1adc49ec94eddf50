"""Input validation: one place, one message style, always naming the argument.

Every public function validates its inputs with these helpers before it allocates
or calls a kernel. Wrong types raise ``TypeError``; wrong shapes, empty arrays,
NaN/inf and out-of-range parameters raise ``ValueError``. Messages read
``"<argument> must be <rule>, got <what was given>"``.
"""

import math
import numbers
import operator
import os

import numpy as np

__all__ = [
    "IMAGE_DTYPES",
    "MAX_BYTES",
    "MODES",
    "check_array",
    "check_choice",
    "check_float_array",
    "check_footprint",
    "check_image",
    "check_mask",
    "check_memory",
    "check_mode",
    "check_rng",
    "check_same_shape",
    "check_scalar",
    "check_size",
    "dtype_range",
    "response_dtype",
    "rng_to_seed",
    "saturate",
]

#: Grey-level dtypes every image function accepts (bool only where stated).
IMAGE_DTYPES = (np.uint8, np.uint16, np.int16, np.float32, np.float64)

#: Border modes, with scipy.ndimage meaning.
MODES = ("reflect", "nearest", "mirror", "wrap", "constant")


def _physical_memory():
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):  # pragma: no cover - non-POSIX
        return 16 * 2**30


#: Largest allocation, in bytes, that a size or count argument may ask for: half
#: this machine's physical memory. Larger requests raise ``ValueError`` up front
#: (naming the argument and the memory it would need) instead of a MemoryError,
#: an OpenCV error, the out-of-memory killer or a machine that swaps for minutes.
MAX_BYTES = _physical_memory() // 2


def _bytes(n):
    if n.bit_length() > 60:
        return f"about 2**{n.bit_length() - 1} bytes"
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.3g} PiB"  # pragma: no cover


def check_memory(nbytes, name, value):
    """Raise ``ValueError`` if ``name=value`` would allocate more than :data:`MAX_BYTES`.

    ``nbytes`` is the size, in bytes, of what the call would allocate (a Python
    int, so that it cannot overflow).
    """
    nbytes = int(nbytes)
    if nbytes > MAX_BYTES:
        raise ValueError(
            f"{name}={value!r} would need {_bytes(nbytes)} of memory, more than the "
            f"{_bytes(MAX_BYTES)} allowed (half this machine's memory)")
    return value


def _describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{value!r} ({type(value).__name__})"


def check_image(image, name="image", *, dtypes=IMAGE_DTYPES, allow_bool=False, ndim=2):
    """Return ``image`` as a validated, C-contiguous, native-byte-order ndarray.

    No copy unless ``image`` is big-endian (on a little-endian machine), Fortran-
    ordered or a non-contiguous view: kernels then always see the same layout.
    Raises ``TypeError`` for a non-numeric, complex or unsupported dtype and
    ``ValueError`` for the wrong number of dimensions, an empty array, or NaN/inf.
    """
    if isinstance(image, (str, bytes)) or image is None:
        raise TypeError(f"{name} must be a NumPy array, got {_describe(image)}")
    array = _native(np.asarray(image))
    allowed = tuple(np.dtype(d) for d in dtypes) + ((np.dtype(bool),) if allow_bool else ())
    if array.dtype not in allowed:
        names = ", ".join(str(d) for d in allowed)
        raise TypeError(f"{name} must have dtype {names}; got dtype {array.dtype}")
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got an array of shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ValueError(f"{name} must not contain NaN or inf")
    return np.ascontiguousarray(array)


def _native(array):
    """``array`` in native byte order (big-endian DICOM pixel data, ``'>f4'``)."""
    if not array.dtype.isnative:
        return array.astype(array.dtype.newbyteorder("="))
    return array


def check_mask(mask, name="mask", *, shape=None, ndim=2):
    """Return ``mask`` as a bool ndarray.

    Accepts bool arrays, and integer or float arrays whose values are only 0 and 1.
    """
    if isinstance(mask, (str, bytes)) or mask is None:
        raise TypeError(f"{name} must be a boolean array, got {_describe(mask)}")
    array = _native(np.asarray(mask))
    if array.dtype.kind != "b":
        if array.dtype.kind not in "uif":
            raise TypeError(f"{name} must be a boolean mask, got dtype {array.dtype}")
        if not np.isin(array, (0, 1)).all():
            raise ValueError(f"{name} must be a boolean mask (only 0 and 1), got other values")
        array = array.astype(bool)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got an array of shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if shape is not None and array.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got {array.shape}")
    return np.ascontiguousarray(array)


def check_array(value, name, what, *, ndim):
    """``value`` as a non-empty ndarray of ``ndim`` dimensions.

    ``TypeError`` for a string, bytes or None (``what`` says what was expected:
    ``"a 1-D sequence of class labels"``), ``ValueError`` for another number of
    dimensions or no elements. The dtype is left to the caller.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be {what}, got {value!r}")
    array = np.asarray(value)
    if array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got an array of shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    return array


def check_same_shape(a, b, names=("image0", "image1")):
    """Raise ``ValueError`` unless ``a`` and ``b`` have the same shape."""
    if np.shape(a) != np.shape(b):
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape, "
            f"got {np.shape(a)} and {np.shape(b)}"
        )


def check_scalar(value, name, *, low=None, high=None, low_open=False, high_open=False,
                 integer=False, finite=True):
    """Return ``value`` as a Python int/float after checking type and range.

    ``low``/``high`` bound the value (closed unless ``low_open``/``high_open``).
    ``bool`` is refused, as are NaN and non-numbers; +-inf and numbers too large
    for a float (``10**400``) are refused unless ``finite=False`` (then such a
    number becomes +-inf).
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        kind = "an integer" if integer else "a real number"
        raise TypeError(f"{name} must be {kind}, got {_describe(value)}")
    if integer:
        if not isinstance(value, numbers.Integral):
            if float(value).is_integer():
                value = int(value)
            else:
                raise TypeError(f"{name} must be an integer, got {value!r}")
        value = operator.index(value)
        if not -2**63 <= value < 2**63:
            shown = value if value.bit_length() <= 128 else (
                f"an integer of {value.bit_length()} bits")
            raise ValueError(f"{name} must fit in a 64-bit integer ([-2**63, 2**63 - 1]), "
                             f"got {shown}")
    else:
        try:
            value = float(value)
        except OverflowError:
            if finite:
                raise ValueError(f"{name} must be finite, got a number too large for a "
                                 f"float ({type(value).__name__})") from None
            value = math.copysign(math.inf, value)
        if np.isnan(value):
            raise ValueError(f"{name} must not be NaN")
        if finite and np.isinf(value):
            raise ValueError(f"{name} must be finite, got {value!r}")
    if low is not None and (value < low or (low_open and value == low)):
        rel = ">" if low_open else ">="
        raise ValueError(f"{name} must be {rel} {low}, got {value!r}")
    if high is not None and (value > high or (high_open and value == high)):
        rel = "<" if high_open else "<="
        raise ValueError(f"{name} must be {rel} {high}, got {value!r}")
    return value


def check_float_array(value, name):
    """``value`` (a number or a nested sequence of numbers) as a float64 array.

    Raises ``TypeError`` for bools, complex numbers, strings and other non-numbers,
    ``ValueError`` for NaN, inf and numbers too large for a float (``10**400``).
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a number or a sequence of numbers, got "
                        f"{_describe(value)}")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged sequences
        raise ValueError(f"{name} must be a number or a regular sequence of numbers, "
                         f"got {value!r}") from exc
    if array.dtype.kind == "O" and all(
            isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_))
            for v in array.ravel()):
        try:
            array = array.astype(np.float64)
        except OverflowError:
            raise ValueError(f"{name} must be finite, got a number too large for a "
                             "float") from None
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers, got {value!r}")
    array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must be finite, got {value!r}")
    return array


def check_choice(value, name, choices):
    """Return ``value`` if it is one of ``choices``, else raise ``ValueError``."""
    if not isinstance(value, str) or value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}; got {value!r}")
    return value


def check_mode(mode, name="mode"):
    """Validate a scipy.ndimage border mode."""
    return check_choice(mode, name, MODES)


def check_size(size, name="size", *, max_size=None):
    """Return a window size as ``(rows, cols)`` of odd positive ints.

    ``size`` is an int or a pair. ``max_size`` (optional) bounds each side.
    """
    if isinstance(size, (numbers.Integral, np.integer)) and not isinstance(size, bool):
        sizes = (int(size), int(size))
    elif isinstance(size, (tuple, list)) and len(size) == 2:
        sizes = tuple(size)
    else:
        raise TypeError(f"{name} must be an odd int or a (rows, cols) pair, got {_describe(size)}")
    out = []
    for s in sizes:
        if isinstance(s, bool) or not isinstance(s, (numbers.Integral, np.integer)):
            raise TypeError(f"{name} must contain ints, got {_describe(s)}")
        s = int(s)
        if s < 1 or s % 2 == 0:
            raise ValueError(f"{name} must be odd and positive, got {size!r}")
        if max_size is not None and s > max_size:
            raise ValueError(f"{name} must be at most {max_size}, got {size!r}")
        out.append(s)
    return tuple(out)


def check_footprint(footprint, name="footprint"):
    """Return ``footprint`` as a 2-D, non-empty bool array."""
    if footprint is None or isinstance(footprint, (str, bytes)):
        raise TypeError(f"{name} must be a 2-D boolean array, got {_describe(footprint)}")
    array = np.asarray(footprint)
    if array.dtype.kind != "b":
        if array.dtype.kind not in "uif" or not np.isin(array, (0, 1)).all():
            raise TypeError(f"{name} must be boolean (or only 0 and 1), got dtype {array.dtype}")
        array = array.astype(bool)
    if array.ndim != 2:
        raise ValueError(f"{name} must be 2-D, got shape {array.shape}")
    if not array.any():
        raise ValueError(f"{name} must contain at least one True element")
    return array


def check_rng(rng, name="rng"):
    """Turn ``rng`` (None, int, SeedSequence or Generator) into a Generator."""
    if isinstance(rng, (bool, np.bool_)) or not (
        rng is None
        or isinstance(rng, (numbers.Integral, np.random.Generator, np.random.SeedSequence,
                            np.random.BitGenerator))
    ):
        raise TypeError(f"{name} must be None, an int or a numpy Generator, got {_describe(rng)}")
    if isinstance(rng, numbers.Integral) and rng < 0:
        raise ValueError(f"{name} must be a non-negative seed, got {rng}")
    return np.random.default_rng(rng)


def rng_to_seed(rng, name="rng"):
    """Draw an int seed from ``rng`` for libraries that take ``random_state``."""
    return int(check_rng(rng, name).integers(0, 2**31 - 1))


def response_dtype(dtype):
    """Float dtype of a response (gradients, convolutions): float64 stays float64,
    everything else gives float32."""
    return np.dtype(np.float64) if np.dtype(dtype) == np.float64 else np.dtype(np.float32)


def near_float32_max(image, factor, *values):
    """Whether a float32 ``image`` (or one of ``values``, such as a ``cval``) lies
    within ``1 / factor`` of float32's largest value: a sum or difference of
    ``factor`` such values may overflow in float32 (inf, then inf - inf = NaN), so
    callers work such images in float64 and saturate the result back."""
    if image.dtype != np.float32 or image.size == 0:
        return False
    big = float(np.finfo(np.float32).max) / factor
    return float(np.abs(image).max()) > big or any(abs(v) > big for v in values)


def dtype_range(dtype):
    """``(min, max)`` representable by an integer dtype (bool: ``(0, 1)``)."""
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return 0, 1
    info = np.iinfo(dtype)
    return int(info.min), int(info.max)


def saturate(values, dtype, *, copy=True):
    """Cast ``values`` to ``dtype`` the way OpenCV's ``saturate_cast`` does.

    Integers are rounded half to even and clipped to the dtype's range (float values
    in one fused pass, without temporaries); floats are cast without clipping (HU
    stay HU; float64 beyond float32's range becomes +-inf, without a warning). The
    result is a new array, unless ``copy=False`` and ``values`` is already a float
    array of ``dtype``: callers that own ``values`` skip the copy.
    """
    dtype = np.dtype(dtype)
    values = np.asarray(values)
    if dtype.kind in "ui":
        if values.dtype.kind in "ui" and np.can_cast(values.dtype, dtype, "safe"):
            return values.astype(dtype)
        lo, hi = dtype_range(dtype)
        if values.dtype.kind == "f":
            from ctkidney._shared._kernels import _saturate_kernel

            out = np.empty(values.shape, dtype)
            _saturate_kernel(np.ascontiguousarray(values).reshape(1, -1), float(lo), float(hi),
                             out.reshape(1, -1))
            return out
        return np.clip(values, lo, hi).astype(dtype)
    if dtype.kind == "b":
        return values.astype(bool)
    with np.errstate(over="ignore"):  # float64 beyond float32's range saturates to inf
        return values.astype(dtype, copy=copy)
