"""Batch and distributed processing of image stacks and datasets (Dask, extra ``dask``).

:func:`map_images` runs a per-image function over an (N, H, W) stack, a list of
images or a :class:`ctkidney.data.Dataset`, on local threads, local processes or a
``dask.distributed`` cluster; :func:`map_slices` runs a 2-D function over the
slices of a volume; :func:`compose` and :func:`parse_steps` build the
pipeline; :func:`preprocess` (the ``ctkidney preprocess`` command) runs one over a
folder tree and writes the results beside it. Importing this package does not
import Dask: only running something does.
"""

from ctkidney.parallel._compose import Pipeline, compose
from ctkidney.parallel._map import ImageError, ImageErrorWarning, map_images
from ctkidney.parallel._preprocess import PreprocessSummary, preprocess
from ctkidney.parallel._slices import map_slices
from ctkidney.parallel._steps import STEPS, parse_steps

__all__ = [
    "STEPS",
    "ImageError",
    "ImageErrorWarning",
    "Pipeline",
    "PreprocessSummary",
    "compose",
    "map_images",
    "map_slices",
    "parse_steps",
    "preprocess",
]
