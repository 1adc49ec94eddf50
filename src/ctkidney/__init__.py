"""ctkidney: CT kidney image analysis.

Enhancement, restoration, segmentation, morphology, metrics, class balancing and
transfer-learning models for CT kidney slices, plus ``ctkidney study``, which
reproduces the classic study of the Kaggle "CT KIDNEY DATASET: Normal-Cyst-Tumor
and Stone" end to end.

Subpackages are imported on first use, so ``import ctkidney`` stays cheap and never
imports TensorFlow or Dask::

    import ctkidney
    ctkidney.metrics.psnr(a, b)   # loads ctkidney.metrics here
"""

import importlib

__version__ = "0.1.0"

_SUBPACKAGES = (
    "balancing",
    "data",
    "enhancement",
    "metrics",
    "models",
    "morphology",
    "parallel",
    "restoration",
    "segmentation",
    "study",
)

__all__ = ["__version__", *_SUBPACKAGES]


def __getattr__(name):
    # PEP 562: load a subpackage the first time it is touched.
    if name in _SUBPACKAGES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
