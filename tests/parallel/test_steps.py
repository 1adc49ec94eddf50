"""The step registry and the --steps parser."""

import importlib

import numpy as np
import pytest

from ctkidney.parallel import STEPS, Pipeline, parse_steps
from ctkidney.parallel._steps import resolve_step


def test_registry_imports_nothing_heavy():
    import subprocess
    import sys

    code = ("import sys, ctkidney.parallel._steps\n"
            "print([m for m in sys.modules if m.startswith(('ctkidney.restoration', "
            "'ctkidney.enhancement', 'numba', 'cv2', 'dask'))])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name", sorted(STEPS))
def test_every_step_resolves_to_a_library_function(name):
    module_name, attr = STEPS[name].rsplit(".", 1)
    assert module_name in ("ctkidney.restoration", "ctkidney.enhancement")
    func = resolve_step(name)
    assert func is getattr(importlib.import_module(module_name), attr)
    assert resolve_step(attr) is func  # the function's own name works too


@pytest.mark.parametrize("name", ["median", "clahe", "equalize", "gaussian:sigma=1",
                                  "unsharp", "adaptive_median", "mean", "stretch",
                                  "window:level=128:width=200", "gamma:gamma=0.5"])
def test_common_steps_keep_uint8(name):
    image = np.random.default_rng(0).integers(0, 256, (32, 32), dtype=np.uint8)
    out = parse_steps(name)(image)
    assert out.shape == image.shape and out.dtype == np.uint8


def test_default_pipeline_is_median_then_clahe():
    from ctkidney.enhancement import clahe
    from ctkidney.restoration import median_filter

    pipe = parse_steps("median,clahe")
    assert pipe.steps == ((median_filter, {}), (clahe, {}))
    image = np.random.default_rng(1).integers(0, 256, (64, 64), dtype=np.uint8)
    np.testing.assert_array_equal(pipe(image), clahe(median_filter(image)))


@pytest.mark.parametrize("spec, expected", [
    ("median:size=5", [("median_filter", {"size": 5})]),
    ("median:size=5,clahe:clip_limit=3,tile_grid=4x4",
     [("median_filter", {"size": 5}), ("clahe", {"clip_limit": 3, "tile_grid": (4, 4)})]),
    ("clahe:clip_limit=1.5:tile_grid=(2, 3)",
     [("clahe", {"clip_limit": 1.5, "tile_grid": (2, 3)})]),
    (" median , clahe ,", [("median_filter", {}), ("clahe", {})]),
    ("median:mode=nearest", [("median_filter", {"mode": "nearest"})]),
    ("median:mode='wrap'", [("median_filter", {"mode": "wrap"})]),
    (["median:size=3", "clahe"], [("median_filter", {"size": 3}), ("clahe", {})]),
    ("median_filter", [("median_filter", {})]),
])
def test_parse(spec, expected):
    pipe = parse_steps(spec)
    assert isinstance(pipe, Pipeline)
    assert [(f.__name__, p) for f, p in pipe.steps] == expected


@pytest.mark.parametrize("spec, exc, match", [
    ("", ValueError, "no steps given"),
    (" , ", ValueError, "no steps given"),
    ("blur", ValueError, "unknown step 'blur'; available steps: median"),
    ("size=3,median", ValueError, "comes before any step"),
    ("median:size", ValueError, "key=value"),
    ("median:3=size", ValueError, "key=value"),
    ("median:sise=3", ValueError, "step 'median' does not take sise; its parameters are: "
                                  "size"),
    ("gaussian", ValueError, r"step 'gaussian' needs sigma \(write gaussian:sigma=\.\.\.\)"),
    ("window:level=40", ValueError, "needs width"),
    (3, TypeError, "steps must be a str"),
    ([3], TypeError, "steps must be a str"),
])
def test_bad_specs(spec, exc, match):
    with pytest.raises(exc, match=match):
        parse_steps(spec)


def test_missing_function_is_an_import_error(monkeypatch):
    monkeypatch.setitem(STEPS, "future", "ctkidney.enhancement.not_written_yet")
    with pytest.raises(ImportError, match="needs ctkidney.enhancement.not_written_yet"):
        parse_steps("future")


def test_resolve_step_needs_a_str():
    with pytest.raises(TypeError, match="step name must be a str"):
        resolve_step(None)
