"""Every public function documents its output and has a runnable example (the
examples themselves run as doctests)."""

import importlib
import inspect

import pytest

SUBPACKAGES = ["balancing", "data", "enhancement", "metrics", "models", "morphology",
               "parallel", "restoration", "segmentation", "study"]


def _public_functions():
    for sub in SUBPACKAGES:
        module = importlib.import_module(f"ctkidney.{sub}")
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj):
                yield f"ctkidney.{sub}.{name}", obj


@pytest.mark.parametrize("qualname, func", list(_public_functions()))
def test_public_function_docstring(qualname, func):
    doc = inspect.getdoc(func) or ""
    assert doc, f"{qualname} has no docstring"
    assert "Returns\n-------" in doc or "Yields\n------" in doc, f"{qualname}: no Returns"
    assert "Examples\n--------" in doc and ">>>" in doc, f"{qualname}: no runnable example"


def test_every_subpackage_lists_its_public_names():
    for sub in SUBPACKAGES:
        module = importlib.import_module(f"ctkidney.{sub}")
        assert module.__all__, f"ctkidney.{sub} exports nothing"
        missing = [n for n in module.__all__ if not hasattr(module, n)]
        assert not missing, f"ctkidney.{sub}.__all__ names missing objects: {missing}"
