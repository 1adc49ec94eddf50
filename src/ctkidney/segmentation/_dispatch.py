"""One entry point over the five families: ``segment(image, method, **params)``."""

import inspect

import numpy as np

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_choice, check_image
from ctkidney.segmentation._cluster import kmeans
from ctkidney.segmentation._edges import edge_segment, sobel
from ctkidney.segmentation._region import region_grow
from ctkidney.segmentation._threshold import (
    threshold,
    threshold_local,
    threshold_multiotsu,
    threshold_otsu,
)
from ctkidney.segmentation._watershed import distance_transform, watershed, watershed_markers

__all__ = ["SEGMENT_METHODS", "segment"]

#: Methods of :func:`segment`, family by family.
SEGMENT_METHODS = ("threshold", "otsu", "multiotsu", "local", "kmeans", "region", "watershed",
                   "edge")


def _threshold(image, value=None):
    return threshold(image, threshold_otsu(image) if value is None else value)


def _multiotsu(image, classes=3, nbins=256):
    cuts = threshold_multiotsu(image, classes=classes, nbins=nbins)
    return np.digitize(image, cuts, right=True).astype(np.int32)


def _local(image, block_size=35, offset=0.0, method="mean"):
    return threshold_local(image, block_size, offset=offset, method=method)


def _kmeans(image, k=3, rng=None, **params):
    return kmeans(image, k, rng=rng, **params)[0]


def _region(image, seeds=None, tolerance=None, **params):
    if seeds is None:
        seeds = (image.shape[0] // 2, image.shape[1] // 2)
    if tolerance is None and params.get("method", "fixed") == "fixed":
        tolerance = 0.1 * (float(image.max()) - float(image.min()))
    return region_grow(image, seeds, tolerance=tolerance, **params)


def _watershed(image, markers=None, mask=None, min_distance=5, connectivity=1):
    if markers is None:
        # Split the bright objects: markers at distance maxima of the Otsu mask.
        objects = _threshold(image) if mask is None else np.asarray(mask, bool)
        markers = watershed_markers(objects, min_distance=min_distance)
        return watershed(-distance_transform(objects), markers, mask=objects,
                         connectivity=connectivity)
    return watershed(sobel(image), markers, mask=mask, connectivity=connectivity)


_FUNCS = {"threshold": _threshold, "otsu": _threshold, "multiotsu": _multiotsu,
          "local": _local, "kmeans": _kmeans, "region": _region, "watershed": _watershed,
          "edge": edge_segment}


@fill_doc
def segment(image, method, **params):
    """Segment ``image`` with one of the five families, with sensible defaults.

    Parameters
    ----------
    %(image)s
    method : str
        One of:

        * ``'threshold'``: ``image > value`` (``value``; default Otsu's threshold);
          ``'otsu'`` is the same without ``value``.
        * ``'multiotsu'``: labels ``0 .. classes-1`` from
          :func:`threshold_multiotsu` (``classes=3``, ``nbins``).
        * ``'local'``: :func:`threshold_local` (``block_size=35``, ``offset``,
          ``method``).
        * ``'kmeans'``: the labels of :func:`kmeans` (``k=3``, ``rng``, ...).
        * ``'region'``: :func:`region_grow` (``seeds``, default the centre pixel;
          ``tolerance``, default 10%% of the value range; ``connectivity``,
          ``method``, ...).
        * ``'watershed'``: with ``markers``, :func:`watershed` of the Sobel
          magnitude; without, the Otsu mask (or ``mask``) split at
          distance-transform maxima (``min_distance=5``).
        * ``'edge'``: :func:`edge_segment` (``sigma``, ``low``, ``high``,
          ``closing``, ``min_size``).
    **params
        Keyword arguments of that method.

    Returns
    -------
    result : (M, N) bool or int32 ndarray
        A bool mask (``threshold``, ``otsu``, ``local``, ``region``, ``edge``) or
        int32 labels (``multiotsu``, ``kmeans``, ``watershed``).

    Raises
    ------
    ValueError
        If ``method`` is unknown; otherwise what the method raises.
    TypeError
        If a parameter is not one the method takes.

    See Also
    --------
    segment_kidney : Both kidneys of a CT slice.
    segment_lesion : The lesion of one kind inside the kidneys.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.segmentation import segment
    >>> image = np.array([[10, 10, 200], [10, 200, 200]], np.uint8)
    >>> segment(image, "otsu").astype(int)
    array([[0, 0, 1],
           [0, 1, 1]])
    >>> segment(image, "kmeans", k=2, rng=0)
    array([[0, 0, 1],
           [0, 1, 1]], dtype=int32)
    """
    image = check_image(image)
    method = check_choice(method, "method", SEGMENT_METHODS)
    func = _FUNCS[method]
    parameters = list(inspect.signature(func).parameters.values())[1:]  # after the image
    takes = [p.name for p in parameters if p.kind != p.VAR_KEYWORD]
    unknown = sorted(set(params) - set(takes))
    if unknown and not any(p.kind == p.VAR_KEYWORD for p in parameters):
        raise TypeError(f"segment(method={method!r}) takes no parameter "
                        f"{', '.join(map(repr, unknown))}; it takes {takes}")
    return func(image, **params)
