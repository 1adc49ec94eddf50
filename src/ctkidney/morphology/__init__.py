"""Binary and greyscale mathematical morphology.

Footprints (:func:`disk`, :func:`square`, :func:`rectangle`, :func:`diamond`,
:func:`cross`; in 3-D :func:`ball`, :func:`cube` and :func:`ellipsoid` in mm), the
greyscale/binary operators (erosion, dilation, opening, closing, gradient, top-hats)
with scikit-image's semantics, and the binary tools built on them (hit-or-miss,
boundary, hole filling, reconstruction, skeleton, labelling). The operators and the
binary tools except hit-or-miss and the skeleton take volumes too.
"""

from ctkidney.morphology._binary import boundary, fill_holes, hit_or_miss, skeletonize
from ctkidney.morphology._footprints import (
    ball,
    cross,
    cube,
    diamond,
    disk,
    ellipsoid,
    rectangle,
    square,
)
from ctkidney.morphology._label import keep_largest, label, remove_small_objects
from ctkidney.morphology._operators import (
    black_tophat,
    closing,
    dilation,
    erosion,
    gradient,
    opening,
    white_tophat,
)
from ctkidney.morphology._reconstruction import reconstruction

__all__ = [
    "ball",
    "black_tophat",
    "boundary",
    "closing",
    "cross",
    "cube",
    "diamond",
    "dilation",
    "disk",
    "ellipsoid",
    "erosion",
    "fill_holes",
    "gradient",
    "hit_or_miss",
    "keep_largest",
    "label",
    "opening",
    "rectangle",
    "reconstruction",
    "remove_small_objects",
    "skeletonize",
    "square",
    "white_tophat",
]
