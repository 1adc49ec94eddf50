"""Intensity k-means: Lloyd's algorithm on the histogram (integers) or the sorted
distinct values (floats), with k-means++ seeding and restarts."""

import math

import numpy as np

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import (
    check_choice,
    check_image,
    check_memory,
    check_rng,
    check_scalar,
)
from ctkidney.segmentation._cluster_kernels import _kmeans_exact_kernel, _kmeans_kernel

__all__ = ["kmeans"]


def _distinct_values(image):
    """Sorted distinct values (float64) and their counts, plus the inverse map."""
    if image.dtype.kind in "ui":
        lo = int(image.min())
        if image.dtype == np.uint8:
            lo = 0
            counts = np.bincount(image.ravel(), minlength=256)
        else:
            counts = np.bincount((image.astype(np.int64) - lo).ravel())
        present = np.flatnonzero(counts)
        return (present + lo).astype(np.float64), counts[present].astype(np.float64)
    values, counts = np.unique(image, return_counts=True)
    return values.astype(np.float64), counts.astype(np.float64)


@fill_doc
def kmeans(image, k, *, rng=None, max_iter=300, n_init=10, tol=0.0, method="exact"):
    """Cluster the grey levels of ``image`` into ``k`` classes (k-means).

    Parameters
    ----------
    %(image)s
    k : int
        Number of clusters, >= 1.
    %(rng)s
        Used by ``method='lloyd'`` only.
    max_iter : int, optional
        Lloyd iterations per run. Default 300.
    n_init : int, optional
        Number of k-means++ restarts; the run with the lowest inertia wins.
        Default 10 (as scikit-learn).
    tol : float, optional
        Stop a run early when the summed squared shift of the centres is at most
        ``tol * var(image)``. Default 0: run until the assignment is stable (one
        iteration is cheap here).
    method : {'exact', 'lloyd'}, optional
        ``'exact'`` (default): the globally optimal clustering by dynamic
        programming. ``'lloyd'``: k-means++ seeding, Lloyd iterations and
        ``n_init`` restarts (the classic algorithm, a local optimum).

    Returns
    -------
    labels : (M, N) int32 ndarray
        Cluster of each pixel, ``0 .. k-1`` in increasing order of centre: label 0
        is the darkest cluster. Each pixel has the label of its nearest centre (a
        tie goes to the darker one).
    centers : (k,) float64 ndarray
        Increasing cluster centres in the image's units. If the image has fewer
        than ``k`` distinct values, the extra centres repeat the largest one and
        stay empty.

    Raises
    ------
    TypeError
        If ``image`` has an unsupported dtype or ``k`` is not an int.
    ValueError
        If ``k < 1`` or another parameter is out of range.

    See Also
    --------
    threshold_multiotsu : the exact optimum of the same criterion on a histogram.

    Notes
    -----
    Pixels with the same value always fall in the same cluster, so the problem is
    a weighted 1-D k-means on the B distinct values (the histogram of an integer
    image), independent of the number of pixels. In 1-D the nearest-centre cells
    are intervals, so:

    * ``'exact'`` finds the optimal partition of the sorted values into ``k``
      intervals by dynamic programming; the optimal split points are monotone, so
      each of the ``k`` layers costs O(B log B) [2]_. Its inertia is never above
      that of ``sklearn.cluster.KMeans`` on the pixels, whatever its ``n_init``.
    * ``'lloyd'`` runs Lloyd's algorithm, where one iteration costs O(k log B)
      with prefix sums. Seeding is greedy k-means++ with ``2 + log(k)`` local
      trials as in scikit-learn, and the best of ``n_init`` runs is kept.

    References
    ----------
    .. [1] D. Arthur, S. Vassilvitskii, "k-means++: the advantages of careful
           seeding", Proc. SODA 2007, 1027-1035.
    .. [2] A. Grønlund et al., "Fast exact k-means, k-medians and Bregman
           divergence clustering in 1D", arXiv:1701.07204, 2017.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.segmentation import kmeans
    >>> image = np.array([[10, 12, 200], [11, 198, 90]], np.uint8)
    >>> labels, centers = kmeans(image, 3, rng=0)
    >>> labels
    array([[0, 0, 2],
           [0, 2, 1]], dtype=int32)
    >>> centers
    array([ 11.,  90., 199.])
    """
    image = check_image(image)
    k = check_scalar(k, "k", low=1, integer=True)
    # Centres, midpoints and search buffers of k float64 values.
    check_memory(32 * k, "k", k)
    max_iter = check_scalar(max_iter, "max_iter", low=1, integer=True)
    n_init = check_scalar(n_init, "n_init", low=1, integer=True)
    tol = check_scalar(tol, "tol", low=0)
    method = check_choice(method, "method", ("exact", "lloyd"))
    generator = check_rng(rng)
    values, counts = _distinct_values(image)
    if method == "exact":
        n_used = min(k, values.size)
        centers = np.empty(k)
        centers[:n_used] = _kmeans_exact_kernel(values, counts, n_used)
        # More centres than distinct values: the spare ones repeat the last
        # (not values[-1], which its cluster's mean may miss by an ulp).
        centers[n_used:] = centers[n_used - 1]
        return _assign(image, centers), centers
    n_trials = 2 + int(math.log(k))
    check_memory(8 * n_init * k * n_trials, "n_init", n_init)
    uniforms = generator.random((n_init, k, n_trials))
    total = counts.sum()
    mean = (values * counts).sum() / total
    variance = (counts * (values - mean) ** 2).sum() / total
    centers, _ = _kmeans_kernel(values, counts, k, uniforms, max_iter, tol * variance)
    return _assign(image, centers), centers


def _assign(image, centers):
    # Nearest centre, ties to the darker one (searchsorted on the midpoints).
    mids = 0.5 * (centers[:-1] + centers[1:])
    if image.dtype == np.uint8:
        lut = np.searchsorted(mids, np.arange(256, dtype=np.float64), side="left")
        labels = lut.astype(np.int32)[image]
    else:
        labels = np.searchsorted(mids, image.astype(np.float64), side="left").astype(np.int32)
    return labels
