"""Leakage-safe splits: group near-duplicate slices, then split by group.

Consecutive slices of one CT series are nearly identical. A random split puts
neighbours of the same patient on both sides, so a classifier is tested on slices
it has practically seen; that leak is why published accuracies on the Kaggle CT
kidney data reach ~100 %. :func:`group_near_duplicates` links near-identical slices
into groups and :func:`split` keeps every group on one side.
"""

import numbers

import cv2
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import check_image, check_memory, check_rng, check_scalar

__all__ = ["DUPLICATE_THRESHOLD", "group_near_duplicates", "split", "thumbnails"]

#: Default distance below which two slices are near-duplicates (see
#: :func:`group_near_duplicates`): an RMS difference of 0.18 standard deviations
#: between the normalised thumbnails, i.e. a correlation above 0.984.
DUPLICATE_THRESHOLD = 0.18

# Rows of the distance matrix computed at once: bounds memory at _BLOCK * N floats.
_BLOCK = 1024


def _is_dataset(obj):
    """Whether ``obj`` is a :class:`~ctkidney.data.Dataset` (by its interface: this
    module cannot import ``_dataset``, whose lazy ``groups`` imports this module)."""
    return all(hasattr(obj, name) for name in ("image", "labels", "class_names"))


def _iter_images(images):
    """Yield 2-D arrays from a Dataset (read lazily), an (N, H, W) array or a list."""
    if _is_dataset(images):
        for i in range(len(images)):
            yield images.image(i)
        return
    if isinstance(images, np.ndarray) and images.ndim != 3:
        raise ValueError(f"images must be an (N, H, W) array, a sequence of 2-D arrays "
                         f"or a Dataset, got an array of shape {images.shape}")
    if isinstance(images, (str, bytes)) or not hasattr(images, "__len__"):
        raise TypeError(f"images must be an (N, H, W) array, a sequence of 2-D arrays or "
                        f"a Dataset, got {type(images).__name__}")
    for i in range(len(images)):
        yield images[i]


def thumbnails(images, *, size=16):
    """Normalised thumbnails: each slice shrunk to ``size x size`` (area
    interpolation), then shifted to zero mean and scaled to unit standard deviation.

    Parameters
    ----------
    images : (N, H, W) ndarray, sequence of 2-D ndarrays or Dataset
        The slices (a lazy Dataset is read one slice at a time).
    size : int, optional
        Side of the thumbnails. Default 16.

    Returns
    -------
    thumbs : (N, size * size) float32 ndarray
        One row per slice. A constant slice gives a row of zeros.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.data import thumbnails
    >>> t = thumbnails(np.arange(2 * 32 * 32, dtype=np.uint8).reshape(2, 32, 32), size=4)
    >>> t.shape, t.dtype, round(float(t[0].std()), 4)
    ((2, 16), dtype('float32'), 1.0)
    """
    size = check_scalar(size, "size", low=1, integer=True)
    n = len(images) if hasattr(images, "__len__") else 1
    check_memory(4 * size * size * max(n, 1), "size", size)
    rows = []
    for i, image in enumerate(_iter_images(images)):
        image = check_image(image, f"images[{i}]")
        scale = float(np.abs(image).max()) if image.dtype.kind == "f" else 1.0
        if scale > 1e30 or 0.0 < scale < 1e-30:
            # The thumbnail is standardised, so scaling changes nothing but keeps
            # float64 values near 1e300 from overflowing float32, and values near
            # 1e-50 from underflowing to 0 there.
            image = image / scale
        small = cv2.resize(image.astype(np.float32), (size, size), interpolation=cv2.INTER_AREA)
        small = small.reshape(-1) - small.mean()
        std = float(small.std())
        rows.append(small / std if std > 0 else small)
    if not rows:
        return np.zeros((0, size * size), np.float32)
    return np.stack(rows).astype(np.float32)


@fill_doc
def group_near_duplicates(images, *, threshold=DUPLICATE_THRESHOLD, size=16):
    """Group near-identical slices (neighbouring slices of one series).

    Every slice is shrunk to a ``size x size`` thumbnail (area interpolation) and
    normalised to zero mean and unit standard deviation, which discounts window,
    brightness and small shifts. Two slices are near-duplicates when the RMS
    difference of their thumbnails is below ``threshold``; groups are the connected
    components of that relation (single linkage), so a series whose consecutive
    slices are each close to the next forms one group.

    Parameters
    ----------
    images : (N, H, W) ndarray, sequence of 2-D ndarrays or Dataset
        The slices; they may differ in shape. A lazy Dataset is read one slice at a
        time, so 12,000 Kaggle files need little memory.
    threshold : float, optional
        RMS distance of the normalised thumbnails below which two slices are linked,
        in standard deviations. Default :data:`DUPLICATE_THRESHOLD` (0.18). For
        normalised vectors ``d**2 = 2 (1 - r)``, so 0.18 means a Pearson
        correlation above 0.984.
    size : int, optional
        Thumbnail side. Default 16 (256 numbers per slice).

    Returns
    -------
    groups : (N,) int32 ndarray
        Group id per slice, numbered 0, 1, ... in order of first appearance.

    Raises
    ------
    TypeError, ValueError
        For bad images (wrong ndim, empty, NaN), threshold or size.

    See Also
    --------
    split : Stratified train/test split that keeps each group on one side.

    Notes
    -----
    The pairwise distances are computed in blocks of rows with one matrix product
    each (``d**2 = 2 - 2 a.b / n`` for normalised rows), so 12,000 slices take
    seconds and memory stays at a block of the matrix.

    The default threshold was set on the phantoms at 256 x 256: copies of one
    slice shifted by up to 3 pixels, rotated by up to 1 degree and re-noised lie
    within 0.16 of it, while no two of 120 independent phantoms came closer than
    0.19 (1 %% of pairs below 0.32, median 0.58). Raise it to merge more
    aggressively (fewer, larger groups: safer against leakage), lower it to split
    series. Single linkage chains: check the largest group size on new data.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.data import group_near_duplicates, make_phantom
    >>> a = make_phantom("Cyst", size=64, rng=0).image
    >>> b = make_phantom("Cyst", size=64, rng=1).image
    >>> shifted = np.roll(a, 1, axis=1)
    >>> group_near_duplicates([a, b, shifted])
    array([0, 1, 0], dtype=int32)
    """
    threshold = check_scalar(threshold, "threshold", low=0.0)
    return link_thumbnails(thumbnails(images, size=size), threshold)


def link_thumbnails(thumbs, threshold):
    """Group ids of normalised thumbnails (rows) closer than ``threshold`` (RMS)."""
    n, dim = thumbs.shape
    if n == 0:
        return np.zeros(0, np.int32)
    # d^2 = |a|^2 + |b|^2 - 2 a.b, with |row|^2 = dim (or 0 for a constant slice).
    norms = np.einsum("ij,ij->i", thumbs, thumbs)
    limit = threshold * threshold * dim
    labels = np.arange(n)
    for start in range(0, n, _BLOCK):
        block = thumbs[start:start + _BLOCK]
        d2 = norms[start:start + _BLOCK, None] + norms[None, start:] \
            - 2.0 * (block @ thumbs[start:].T)
        rows, cols = np.nonzero(d2 < limit)
        rows = rows + start
        cols = cols + start
        keep = cols > rows
        if not keep.any():
            continue
        # Merge this block's links with the components found so far: each slice is
        # linked to its current representative, so memory never exceeds one block.
        src = np.concatenate([rows[keep], np.arange(n)])
        dst = np.concatenate([cols[keep], labels])
        graph = coo_matrix((np.ones(src.size, np.int8), (src, dst)), shape=(n, n))
        _, comp = connected_components(graph, directed=False)
        # Representative = the smallest index of each component.
        rep = np.full(comp.max() + 1, n)
        np.minimum.at(rep, comp, np.arange(n))
        labels = rep[comp]
    return _renumber(labels)


def _renumber(labels):
    # Ids 0, 1, ... in order of first appearance.
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(first.size, np.int32)
    rank[np.argsort(first)] = np.arange(first.size, dtype=np.int32)
    return rank[inverse.reshape(-1)]


def _check_labels(dataset_or_labels):
    if _is_dataset(dataset_or_labels):
        return dataset_or_labels.labels
    if isinstance(dataset_or_labels, (str, bytes)):
        raise TypeError("dataset_or_labels must be a Dataset or a 1-D array of int labels, "
                        f"got {type(dataset_or_labels).__name__}")
    labels = np.asarray(dataset_or_labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must be 1-D, got shape {labels.shape}")
    if labels.size and labels.dtype.kind not in "iu":
        if labels.dtype.kind == "f" and np.isfinite(labels).all() \
                and (labels == np.round(labels)).all() and np.abs(labels).max() < 2**53:
            labels = labels.astype(np.int64)
        elif labels.dtype.kind in "US" or labels.dtype == object:
            _, labels = np.unique(labels.astype(str), return_inverse=True)
        else:
            raise TypeError(f"labels must be integers or strings, got dtype {labels.dtype}")
    return labels.astype(np.int64)


@fill_doc
def split(dataset_or_labels, *, test_size, rng=None, groups=None):
    """Stratified train/test split that never lets a group straddle the two sides.

    Parameters
    ----------
    dataset_or_labels : Dataset or (N,) array_like
        A Dataset (its labels are used) or the class labels (ints or strings).
    test_size : float or int
        Fraction of slices in the test set (0 < test_size < 1), or their number.
    %(rng)s
    groups : (N,) array_like of int, optional
        Group id per slice, e.g. from :func:`group_near_duplicates` or patient ids.
        Every group goes wholly to train or to test. Default: every slice is its own
        group (a plain stratified split, which leaks on series data).

    Returns
    -------
    train, test : int64 ndarray
        Sorted indices of the two sides; together they cover every slice once.

    Raises
    ------
    TypeError, ValueError
        For labels that are not 1-D ints/strings, a ``test_size`` out of range, or
        ``groups`` of the wrong length.

    See Also
    --------
    group_near_duplicates : The groups that make a split leakage-safe.

    Notes
    -----
    Each group takes the majority class of its slices. Class by class, groups are
    visited in random order and moved to the test side while that brings the
    class's test count closer to ``round(test_size * n_class)``, so every class is
    represented in proportion, as closely as the group sizes allow. A class with
    at least two groups always keeps one group on each side.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.data import split
    >>> labels = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> groups = np.array([0, 0, 1, 1, 2, 3, 4, 5])
    >>> train, test = split(labels, test_size=0.5, rng=0, groups=groups)
    >>> np.bincount(labels[test]).tolist(), len(train) + len(test)
    ([2, 2], 8)
    >>> bool(set(groups[train]).isdisjoint(groups[test]))
    True
    """
    labels = _check_labels(dataset_or_labels)
    n = labels.size
    if n == 0:
        raise ValueError("dataset_or_labels must not be empty")
    if isinstance(test_size, (bool, np.bool_)) or not isinstance(test_size, numbers.Real):
        raise TypeError(f"test_size must be a float in (0, 1) or an int, got {test_size!r}")
    if isinstance(test_size, numbers.Integral):
        test_size = check_scalar(test_size, "test_size", low=1, high=n - 1, integer=True)
        fraction = test_size / n
    else:
        fraction = check_scalar(test_size, "test_size", low=0.0, high=1.0, low_open=True,
                                high_open=True)
    rng = check_rng(rng)
    if groups is None:
        groups = np.arange(n)
    else:
        groups = np.asarray(groups)
        if groups.shape != (n,):
            raise ValueError(f"groups must have one entry per label ({n}), got shape "
                             f"{groups.shape}")
        if groups.dtype.kind not in "iu":
            raise TypeError(f"groups must be integers, got dtype {groups.dtype}")
    group_ids, group_of = np.unique(groups, return_inverse=True)
    group_of = group_of.reshape(-1)
    n_groups = group_ids.size
    sizes = np.bincount(group_of, minlength=n_groups)
    # Majority class of each group.
    _, classes = np.unique(labels, return_inverse=True)  # any ints, even negative
    votes = np.zeros((n_groups, classes.max() + 1), np.int64)
    np.add.at(votes, (group_of, classes.reshape(-1)), 1)
    group_class = votes.argmax(axis=1)

    in_test = np.zeros(n_groups, bool)
    for cls in np.unique(group_class):
        members = np.flatnonzero(group_class == cls)
        members = members[rng.permutation(members.size)]
        target = round(fraction * sizes[members].sum())
        count = 0
        for g in members:
            if abs(count + sizes[g] - target) < abs(count - target):
                in_test[g] = True
                count += sizes[g]
        if members.size >= 2:
            chosen = in_test[members]
            if not chosen.any():
                in_test[members[0]] = True
            elif chosen.all():
                in_test[members[0]] = False
    test_mask = in_test[group_of]
    return np.flatnonzero(~test_mask), np.flatnonzero(test_mask)
