"""Segmentation: threshold, k-means, region growing, watershed, edges, and kidney/lesion recipes."""

from ctkidney._shared.deprecation import deprecated_aliases
from ctkidney.segmentation._cluster import kmeans
from ctkidney.segmentation._dispatch import SEGMENT_METHODS, segment
from ctkidney.segmentation._edges import canny, edge_segment, prewitt, sobel
from ctkidney.segmentation._recipe_params import RECIPE_PARAMS, RecipeParams
from ctkidney.segmentation._recipes import LESION_KINDS, segment_kidney, segment_lesion
from ctkidney.segmentation._region import region_grow
from ctkidney.segmentation._threshold import (
    threshold,
    threshold_local,
    threshold_multiotsu,
    threshold_otsu,
)
from ctkidney.segmentation._watershed import distance_transform, watershed, watershed_markers

__all__ = [
    "LESION_KINDS",
    "RECIPE_PARAMS",
    "RecipeParams",
    "SEGMENT_METHODS",
    "canny",
    "distance_transform",
    "edge_segment",
    "kmeans",
    "prewitt",
    "region_grow",
    "segment",
    "segment_kidney",
    "segment_lesion",
    "sobel",
    "threshold",
    "threshold_local",
    "threshold_multiotsu",
    "threshold_otsu",
    "watershed",
    "watershed_markers",
]

# ``METHODS`` meant different things in ``balancing`` and here: renamed, kept as an alias.
__getattr__ = deprecated_aliases(__name__, {"METHODS": ("SEGMENT_METHODS", SEGMENT_METHODS)})
