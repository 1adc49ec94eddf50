"""Fuzz every public function: each argument of a valid call, one at a time, is
replaced by NaN/inf, subnormal and huge values, empty, 1x1, 0-d, 1-d, 3-D and 4-D
arrays, non-contiguous, Fortran-ordered, big-endian and read-only arrays, other
dtypes, lists, None, zero/negative/huge scalars, wrong types and unknown options.

Each call must return a valid result (no NaN from finite input; the same result for
a different memory layout of the same values) or raise TypeError/ValueError naming
the argument (or an exception its docstring's Raises section lists), and must not
modify its inputs. The rows live in ``tests/_fuzz_table.py`` (one line per
function), the engine in ``tests/_fuzz.py``. The rows run in child processes with
capped memory, so that a segfault, a hang or a runaway allocation fails the test
instead of killing the run; ``python -m tests._fuzz -v`` runs the same by hand.
"""

import importlib
import inspect

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tests._fuzz import FAILURES, classify, resolve, run_isolated
from tests._fuzz_table import IMG, NOT_FUNCTIONS, TABLE

SUBPACKAGES = ("balancing", "data", "enhancement", "metrics", "models", "morphology",
               "parallel", "restoration", "segmentation", "study")


def public_functions():
    names = []
    for sub in SUBPACKAGES:
        module = importlib.import_module(f"ctkidney.{sub}")
        for name in module.__all__:
            obj = getattr(module, name)
            if callable(obj) and not inspect.isclass(obj):
                names.append(f"{sub}.{name}")
    return names


def test_every_public_function_has_a_fuzz_row():
    functions = set(public_functions())
    rows = {name.split("[")[0] for name in TABLE}  # "sub.func[3d]": a second row
    missing = sorted(functions - rows)
    assert not missing, ("public functions without a row in tests/_fuzz_table.py "
                         f"(add one line each): {missing}")
    stale = sorted(rows - functions)
    assert not stale, f"rows of tests/_fuzz_table.py that are not public functions: {stale}"


def test_every_public_name_is_a_function_or_listed():
    for sub in SUBPACKAGES:
        module = importlib.import_module(f"ctkidney.{sub}")
        for name in module.__all__:
            obj = getattr(module, name)
            if not callable(obj) or inspect.isclass(obj):
                assert f"{sub}.{name}" in NOT_FUNCTIONS, (
                    f"{sub}.{name} is public but neither a function nor in NOT_FUNCTIONS")


def _groups():
    """Rows grouped by subpackage (one child process each); crash-prone rows alone."""
    groups = {}
    for name, spec in TABLE.items():
        key = name if spec.get("_subprocess") else name.split(".")[0]
        groups.setdefault(key, []).append(name)
    return groups


GROUPS = _groups()


def _tensorflow_available():
    try:
        importlib.import_module("tensorflow")
    except ImportError:
        return False
    return True


@pytest.mark.slow
@pytest.mark.parametrize("group", list(GROUPS))
def test_fuzz(group):
    names = GROUPS[group]
    if any(TABLE[n].get("_tf") for n in names) and not _tensorflow_available():
        pytest.skip("TensorFlow is not installed: the models rows need it")
    records = run_isolated(names, hang_s=120.0, memory_gb=12.0)
    assert records, "no mutation ran"
    bad = [r for r in records if r["outcome"] in FAILURES]
    listing = "\n".join(f"{r['func']}({r['arg']}={r['mutation']}): {r['outcome']}: "
                        f"{r['detail'][:200]}" for r in bad)
    assert not bad, f"{len(bad)} of {len(records)} fuzz calls failed:\n{listing}"


# --- random extreme images, in process, for the image functions ---------------------------
_IMAGE_ROWS = sorted(name for name, spec in TABLE.items()
                     if spec.get("image") is IMG and not spec.get("_subprocess")
                     and not spec.get("_cheap"))

# Finite values up to 1e300 in magnitude (float64 sums of values nearer the
# largest float, 1.8e308, overflow in any algorithm: docs/conventions.rst).
_finite = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, width=64)
_extreme = st.sampled_from([0.0, 5e-324, -5e-324, 1e-310, 1e300, -1e300, 3.4e38, -3.4e38, 1.0])


@st.composite
def _extreme_images(draw):
    shape = (32, 32)  # the rows' shape: other array arguments must match it
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    image = draw(hnp.arrays(np.float64, shape, elements=st.one_of(_finite, _extreme),
                            fill=st.one_of(_finite, _extreme)))
    if dtype == np.float32:
        image = np.clip(image, -3.4e38, 3.4e38).astype(np.float32)
    layout = draw(st.sampled_from(["C", "F", "big", "readonly"]))
    if layout == "F":
        image = np.asfortranarray(image)
    elif layout == "big":
        image = image.astype(image.dtype.newbyteorder(">"))
    elif layout == "readonly":
        image.flags.writeable = False
    return image


@pytest.mark.parametrize("name", _IMAGE_ROWS)
@given(image=_extreme_images())
def test_extreme_finite_images(name, image):
    """Any finite float image, however extreme its values or layout: a finite
    result or a ValueError/TypeError naming an argument."""
    func, spec = resolve(name), TABLE[name]
    outcome, detail = classify(name, func, spec, "image", "random", image, None)
    assert outcome in ("ok", "warned", "refused", "documented"), f"{outcome}: {detail}"

