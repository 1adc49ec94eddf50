import inspect

import pytest

from ctkidney._shared.docstrings import DOCS, fill_doc


def test_fill_doc_values_fill_entries_and_nest():
    table = {"outer": "first %(name)s line\n%(inner)s", "inner": "x : int\n    The x."}

    @fill_doc(**table, name="sobel")
    def f():
        """Summary.

        Parameters
        ----------
        %(outer)s
        """

    doc = inspect.getdoc(f)
    assert "Parameters\n----------\nfirst sobel line\nx : int\n    The x." in doc


def test_fill_doc_unknown_placeholder_fails_at_import():
    with pytest.raises(KeyError):
        @fill_doc
        def f():
            """%(no_such_entry)s"""


def test_fill_doc_keeps_escaped_percent():
    @fill_doc
    def f():
        """98%% of the time. %(cval)s"""

    assert f.__doc__.startswith("98% of the time. cval : float")


def test_docs_entries_are_not_indented():
    for key, text in DOCS.items():
        assert not text.startswith(" "), key


def test_no_placeholder_left_unfilled():
    import importlib

    import ctkidney

    for sub in ("data", "enhancement", "restoration", "segmentation", "morphology",
                "metrics", "balancing", "models", "parallel", "study"):
        module = importlib.import_module(f"ctkidney.{sub}")
        for name in getattr(module, "__all__", []):
            doc = getattr(getattr(module, name), "__doc__", None) or ""
            assert "%(" not in doc, f"{sub}.{name}"
    assert ctkidney.__version__
