"""Numba kernels of :mod:`ctkidney.segmentation`, re-exported by family.

The kernels live in ``_<family>_kernels.py`` modules (cluster, region, watershed,
distance, edge, threshold); this module only re-exports them for the importers
that have not moved to the family modules yet. Import from the family modules.
"""

from ctkidney.segmentation._cluster_kernels import (
    _kmeans_exact_kernel,
    _kmeans_kernel,
    _kmeans_lloyd_kernel,
    _kmeans_pp_kernel,
)
from ctkidney.segmentation._distance_kernels import _edt_kernel
from ctkidney.segmentation._edge_kernels import (
    _canny_nms_kernel,
    _hysteresis_kernel,
)
from ctkidney.segmentation._region_kernels import (
    _flood_kernel,
    _region_stats_kernel,
)
from ctkidney.segmentation._threshold_kernels import _multiotsu_kernel
from ctkidney.segmentation._watershed_kernels import (
    _dense_rank_kernel,
    _watershed_bucket_kernel,
)

__all__ = [
    "_canny_nms_kernel",
    "_dense_rank_kernel",
    "_edt_kernel",
    "_flood_kernel",
    "_hysteresis_kernel",
    "_kmeans_exact_kernel",
    "_kmeans_kernel",
    "_kmeans_lloyd_kernel",
    "_kmeans_pp_kernel",
    "_multiotsu_kernel",
    "_region_stats_kernel",
    "_watershed_bucket_kernel",
]
