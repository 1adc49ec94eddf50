"""The study's figures leave matplotlib's global state alone: no backend switch, no
rcParams change, no pyplot figure left open."""

import ast
import importlib
import sys
from pathlib import Path

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")

import ctkidney.study  # noqa: E402

#: Sections drawn through ``ctkidney.study._plotting``.
CONVERTED = ("classification", "dataset", "enhancement", "morphology", "restoration",
             "segmentation")
SECTIONS = Path(ctkidney.study.__file__).parent / "sections"


@pytest.fixture
def foreign_backend():
    """A caller whose backend is not Agg (as in a notebook), restored afterwards."""
    before = matplotlib.get_backend()
    matplotlib.use("svg")
    yield "svg"
    matplotlib.use(before)


def _state():
    params = {k: v for k, v in matplotlib.rcParams.items() if k != "backend_fallback"}
    pyplot = sys.modules.get("matplotlib.pyplot")
    figures = tuple(pyplot.get_fignums()) if pyplot is not None else ()
    return matplotlib.get_backend(), params, figures


def _draw_each_section(tmp_path):
    from ctkidney.data import make_dataset
    from ctkidney.study.sections import dataset, enhancement, morphology, restoration, segmentation

    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (32, 32)).astype(np.uint8)
    mask = np.zeros((32, 32), bool)
    mask[10:20, 8:22] = True
    lesion = np.zeros((32, 32), bool)
    lesion[12:16, 12:16] = True
    dataset._montage(make_dataset(1, size=48, rng=0), tmp_path / "d.png", rng)
    enhancement._figure(tmp_path / "e.png", image, {"same": image}, lesion)
    morphology._figure(tmp_path / "m.png", image, mask, mask ^ lesion)
    restoration._figure(tmp_path / "r.png", [("gaussian", image, image, "median", image,
                                                (20.0, 30.0))])
    segmentation._overlay_figure(tmp_path / "s.png", [("Stone, axial", image, mask, lesion)])
    segmentation._figure(tmp_path / "t.png", [("Stone", image, lesion, {"recipe": mask})])
    return sorted(p.name for p in tmp_path.iterdir() if p.stat().st_size > 0)


def test_sections_keep_backend_and_rcparams(foreign_backend, tmp_path):
    before = _state()
    for name in CONVERTED:
        importlib.reload(importlib.import_module(f"ctkidney.study.sections.{name}"))
    assert _draw_each_section(tmp_path) == ["d.png", "e.png", "m.png", "r.png", "s.png", "t.png"]
    assert _state() == before
    assert matplotlib.get_backend() == foreign_backend


@pytest.mark.parametrize("name", CONVERTED + ("../_plotting",))
def test_no_pyplot_and_no_backend_switch_in_the_source(name):
    tree = ast.parse((SECTIONS / f"{name}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            assert not any("pyplot" in n for n in names), ast.unparse(node)
        if isinstance(node, ast.Attribute):
            assert ast.unparse(node) != "matplotlib.use", name
