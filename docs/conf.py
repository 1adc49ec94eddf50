"""Sphinx configuration. The API pages are generated from each subpackage's
``__all__``, so every public name is documented and none can be forgotten."""

import os
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "src"))
os.environ.setdefault("MPLBACKEND", "Agg")

import ctkidney  # noqa: E402

project = "ctkidney"
author = "The ctkidney developers"
copyright = "2026, The ctkidney developers"
version = release = ctkidney.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "matplotlib.sphinxext.plot_directive",
]
# User-guide figures are drawn at build time by ``.. plot::`` blocks.
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 90)]
plot_rcparams = {"figure.autolayout": True}
autosummary_generate = True
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
exclude_patterns = ["_build"]
html_theme = "pydata_sphinx_theme"
html_title = f"ctkidney {version}"
html_static_path = []
templates_path = []
intersphinx_mapping = {}
suppress_warnings = ["config.cache"]

API_PAGES = ["data", "metrics", "enhancement", "restoration", "morphology", "segmentation",
             "balancing", "models", "parallel", "study"]


def _write_api_pages():
    import importlib

    api = HERE / "api"
    api.mkdir(exist_ok=True)
    for name in API_PAGES:
        module = importlib.import_module(f"ctkidney.{name}")
        title = f"ctkidney.{name}"
        lines = [title, "=" * len(title), "", f".. automodule:: {title}", "   :no-members:", ""]
        public = list(getattr(module, "__all__", []))
        if public:
            lines += [".. autosummary::", "   :toctree: generated", "   :nosignatures:", ""]
            lines += [f"   {item}" for item in public]
        text = "\n".join(lines) + "\n"
        page = api / f"{name}.rst"
        if not page.exists() or page.read_text() != text:
            page.write_text(text)


_write_api_pages()
