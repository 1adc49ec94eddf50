"""Oversampling of images and feature matrices with imbalanced-learn, and class weights."""

import numbers
from collections import Counter

import numpy as np

from ctkidney._shared.docstrings import fill_doc
from ctkidney._shared.validation import (
    check_choice,
    check_image,
    check_scalar,
    rng_to_seed,
    saturate,
)
from ctkidney.balancing._memory import check_fits

__all__ = ["OVERSAMPLING_METHODS", "class_weights", "oversample", "smote"]

#: Oversampling methods: imbalanced-learn's SMOTE, BorderlineSMOTE, ADASYN and
#: RandomOverSampler.
OVERSAMPLING_METHODS = ("smote", "borderline", "adasyn", "random")

_MEMORY_ADVICE = (
    "Oversample smaller images, a part of the data, or embeddings "
    "(ctkidney.models.embed + ctkidney.balancing.smote), or use "
    "ctkidney.balancing.class_weights instead."
)


def _check_labels(labels, n, name="labels"):
    if isinstance(labels, (str, bytes)) or labels is None:
        raise TypeError(f"{name} must be a 1-D array of class labels, got {labels!r}")
    y = np.asarray(labels)
    if y.dtype.kind not in "iuUSO" or y.dtype == object and not all(
        isinstance(v, (str, numbers.Integral)) for v in y.ravel()
    ):
        raise TypeError(f"{name} must hold integer or string class labels, got dtype {y.dtype}")
    if y.dtype == object:  # imbalanced-learn refuses object arrays: give it ints or str
        integers = all(isinstance(v, numbers.Integral) for v in y.ravel())
        y = y.astype(np.int64 if integers else str)
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {y.shape}")
    if len(y) != n:
        raise ValueError(f"{name} must have one label per sample ({n}), got {len(y)}")
    if len(np.unique(y)) < 2:
        raise ValueError(f"{name} must contain at least two classes, got {np.unique(y).tolist()}")
    return y


def _targets(y, sampling_strategy):
    """``{class: number of samples to add}`` as imbalanced-learn will compute it."""
    from imblearn.utils import check_sampling_strategy

    if isinstance(sampling_strategy, bool) or not (
            isinstance(sampling_strategy, (str, dict, numbers.Real))
            or callable(sampling_strategy)):
        raise TypeError("sampling_strategy must be a str, a float, a dict or a callable, "
                        f"got {sampling_strategy!r}")
    try:
        targets = check_sampling_strategy(sampling_strategy, y, "over-sampling")
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise ValueError(f"sampling_strategy={sampling_strategy!r} is not valid here: "
                         f"{exc}") from exc
    return {(c.item() if isinstance(c, np.generic) else c): n for c, n in targets.items()}


def _check_neighbours(y, targets, k_neighbors, method):
    counts = Counter(y.tolist())
    small = {c: counts[c] for c, add in targets.items() if add > 0 and counts[c] <= k_neighbors}
    if small:
        listing = ", ".join(f"{c!r} ({n})" for c, n in small.items())
        raise ValueError(
            f"method={method!r} interpolates between a sample and its k_neighbors={k_neighbors} "
            f"nearest neighbours of the same class, so each class to oversample needs at least "
            f"k_neighbors + 1 = {k_neighbors + 1} samples; too small: {listing}. Lower "
            f"k_neighbors or use method='random'."
        )


def _sampler(method, k_neighbors, sampling_strategy, seed):
    from imblearn.over_sampling import ADASYN, SMOTE, BorderlineSMOTE, RandomOverSampler

    if method == "random":
        return RandomOverSampler(sampling_strategy=sampling_strategy, random_state=seed)
    if method == "adasyn":
        return ADASYN(sampling_strategy=sampling_strategy, n_neighbors=k_neighbors,
                      random_state=seed)
    cls = SMOTE if method == "smote" else BorderlineSMOTE
    return cls(sampling_strategy=sampling_strategy, k_neighbors=k_neighbors, random_state=seed)


def _fit_resample(sampler, X, y, method):
    try:
        return sampler.fit_resample(X, y)
    except RuntimeError as exc:  # ADASYN: a class with no majority-class neighbour
        raise ValueError(
            f"method={method!r} could not oversample: {exc} Use method='smote' or 'random'."
        ) from exc


def _check_method(method, k_neighbors):
    check_choice(method, "method", OVERSAMPLING_METHODS)
    return check_scalar(k_neighbors, "k_neighbors", low=1, integer=True)


def _estimate_bytes(n, n_features, targets, method, item_in, item_work):
    """Peak bytes of a resampling: the float copy given to imbalanced-learn, its
    stacked result, the float64 temporaries of one class's interpolation (three
    arrays of that class's new samples) and the final cast."""
    n_new = sum(targets.values())
    n_out = n + n_new
    if method == "random":
        return n_out * n_features * item_in
    largest = max(targets.values(), default=0)
    return n_features * (item_work * (n + n_out) + 3 * 8 * largest + item_in * n_out)


@fill_doc
def oversample(images, labels, *, method="smote", k_neighbors=5, sampling_strategy="auto",
               rng=None, max_memory=None):
    """Oversample the minority classes of an image stack.

    The images are flattened, resampled with imbalanced-learn and reshaped. The
    originals come first, unchanged; the new images follow, class by class.

    Parameters
    ----------
    images : (N, H, W) or (N, H, W, C) ndarray
        The image stack: uint8, uint16, int16, float32 or float64. Never modified.
    labels : (N,) array_like of int or str
        Class of each image.
    method : {'smote', 'borderline', 'adasyn', 'random'}, optional
        ``'smote'`` (default): SMOTE, a new image is ``a + u (b - a)`` for an image
        ``a``, one of its ``k_neighbors`` nearest same-class neighbours ``b`` and
        ``u ~ U(0, 1)``. ``'borderline'``: Borderline-SMOTE-1, which only interpolates
        from images near other classes (it may add fewer images than asked when no
        image of a class is in danger). ``'adasyn'``: ADASYN, more new images where
        the class is hard to learn. ``'random'``: copies of randomly drawn images.
    k_neighbors : int, optional
        Same-class neighbours used by the SMOTE family (ADASYN's ``n_neighbors``).
        Each class to oversample needs at least ``k_neighbors + 1`` images.
        Ignored by ``'random'``. Default 5.
    sampling_strategy : str, float or dict, optional
        How many images each class gets, with imbalanced-learn's meaning:
        ``'auto'`` (default) brings every class up to the majority class.
    %(rng)s
        It is turned into an integer ``random_state`` for imbalanced-learn.
    max_memory : int, optional
        Refuse the call (``MemoryError``) when the estimated peak memory exceeds
        this many bytes. Default: the memory available now.

    Returns
    -------
    images : (M, H, W) or (M, H, W, C) ndarray
        The originals followed by the new images, in the input dtype. Integer
        images are rounded half to even and saturated.
    labels : (M,) ndarray
        Their labels, in the dtype of ``labels``.

    Raises
    ------
    TypeError
        For an unsupported dtype or non-integer labels.
    ValueError
        For a length mismatch, fewer than 3 dimensions (1-D or 2-D input: use
        :func:`smote` for feature matrices), NaN or inf, a single class, or a class
        smaller than ``k_neighbors + 1``.
    MemoryError
        When the resampling would not fit in memory.

    See Also
    --------
    smote : The same for feature matrices, such as backbone embeddings.
    class_weights : Balancing through the loss instead of new samples.

    Notes
    -----
    SMOTE on raw pixels is weak: the average of two CT slices is not a CT slice
    (two kidneys at different heights blend into a ghost). It is supported
    because the classic study did it. SMOTE on backbone embeddings
    (:func:`ctkidney.models.embed`, then :func:`smote`) or class weights are the
    better choices.

    The work runs in float32 (float64 for float64 input). Oversampling the
    12,446 Kaggle slices at 150x150 grey to 4 x 5,077 = 20,308 images needs
    about 5 GiB at the peak (a float32 copy of the input and of the result, plus
    float64 temporaries for the 3,700 new Stone slices) and returns 457 MB of
    uint8; with three channels every figure triples (about 15 GiB).

    References
    ----------
    .. [1] N. V. Chawla et al., "SMOTE: Synthetic Minority Over-sampling
           Technique", JAIR 16, 2002.
    .. [2] H. Han et al., "Borderline-SMOTE", ICIC 2005.
    .. [3] H. He et al., "ADASYN", IJCNN 2008.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.balancing import oversample
    >>> rng = np.random.default_rng(0)
    >>> images = rng.integers(0, 256, size=(14, 8, 8), dtype=np.uint8)
    >>> labels = np.array([0] * 10 + [1] * 4)
    >>> out, y = oversample(images, labels, k_neighbors=3, rng=0)
    >>> out.shape, out.dtype, np.bincount(y).tolist()
    ((20, 8, 8), dtype('uint8'), [10, 10])
    >>> bool((out[:14] == images).all())
    True
    """
    k_neighbors = _check_method(method, k_neighbors)
    images = check_image(images, "images", ndim=None)
    if images.ndim not in (3, 4):
        raise ValueError(
            f"images must be a stack (N, H, W) or (N, H, W, C), got shape {images.shape}; "
            "use ctkidney.balancing.smote for (N, features) matrices"
        )
    y = _check_labels(labels, len(images))
    targets = _targets(y, sampling_strategy)
    if method != "random":
        _check_neighbours(y, targets, k_neighbors, method)
    n = len(images)
    n_features = int(np.prod(images.shape[1:]))
    work = np.float64 if images.dtype == np.float64 else np.float32
    needed = _estimate_bytes(n, n_features, targets, method, images.dtype.itemsize,
                             np.dtype(work).itemsize)
    check_fits(needed, max_memory, what=f"oversample(method={method!r})",
               advice=_MEMORY_ADVICE)
    seed = rng_to_seed(rng)
    sampler = _sampler(method, k_neighbors, sampling_strategy, seed)
    if method == "random":
        # Resample indices only: the same draw as on the pixels, without copying them.
        _fit_resample(sampler, np.arange(n).reshape(-1, 1), y, method)
        idx = sampler.sample_indices_
        return images[idx], y[idx]
    flat = images.reshape(n, n_features).astype(work)
    X_res, y_res = _fit_resample(sampler, flat, y, method)
    del flat
    new = saturate(X_res[n:], images.dtype).reshape((-1,) + images.shape[1:])
    return np.concatenate([images, new]), np.concatenate([y, y_res[n:].astype(y.dtype)])


@fill_doc
def smote(X, y, *, method="smote", k_neighbors=5, sampling_strategy="auto", rng=None,
          max_memory=None):
    """Oversample a feature matrix (SMOTE and friends), e.g. backbone embeddings.

    The result equals imbalanced-learn's ``SMOTE(k_neighbors=k_neighbors,
    random_state=seed).fit_resample(X, y)`` where ``seed`` is drawn from ``rng``
    with :func:`ctkidney._shared.validation.rng_to_seed`.

    Parameters
    ----------
    X : (N, F) ndarray
        Features: float32 or float64 (other real dtypes are converted to
        float64). Never modified.
    y : (N,) array_like of int or str
        Class of each row.
    method : {'smote', 'borderline', 'adasyn', 'random'}, optional
        As in :func:`oversample`. Default ``'smote'``.
    k_neighbors : int, optional
        Same-class neighbours of the SMOTE family. Default 5.
    sampling_strategy : str, float or dict, optional
        imbalanced-learn's meaning; default ``'auto'``.
    %(rng)s
    max_memory : int, optional
        Byte limit, as in :func:`oversample`. Default: the memory available now.

    Returns
    -------
    X : (M, F) ndarray
        The original rows followed by the new ones; float32 for float32 input,
        float64 otherwise.
    y : (M,) ndarray
        Their labels, in the dtype of ``y``.

    Raises
    ------
    TypeError, ValueError, MemoryError
        As in :func:`oversample`; ``X`` must be 2-D.

    See Also
    --------
    oversample : The same for image stacks.
    ctkidney.models.embed : Backbone embeddings to oversample.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.balancing import smote
    >>> X = np.arange(24, dtype=np.float64).reshape(12, 2)
    >>> y = np.array([0] * 8 + [1] * 4)
    >>> Xr, yr = smote(X, y, k_neighbors=2, rng=1)
    >>> Xr.shape, Xr.dtype, np.bincount(yr).tolist()
    ((16, 2), dtype('float64'), [8, 8])
    """
    k_neighbors = _check_method(method, k_neighbors)
    if isinstance(X, np.ndarray) and X.dtype.kind in "iub":
        X = X.astype(np.float64)
    X = check_image(X, "X", dtypes=(np.float32, np.float64), ndim=None)
    if X.ndim != 2:
        raise ValueError(
            f"X must be a 2-D (N, features) matrix, got shape {X.shape}; "
            "use ctkidney.balancing.oversample for image stacks"
        )
    y = _check_labels(y, len(X), "y")
    targets = _targets(y, sampling_strategy)
    if method != "random":
        _check_neighbours(y, targets, k_neighbors, method)
    needed = _estimate_bytes(len(X), X.shape[1], targets, method, X.dtype.itemsize,
                             X.dtype.itemsize)
    check_fits(needed, max_memory, what=f"smote(method={method!r})", advice=_MEMORY_ADVICE)
    sampler = _sampler(method, k_neighbors, sampling_strategy, rng_to_seed(rng))
    X_res, y_res = _fit_resample(sampler, X, y, method)
    return X_res, np.asarray(y_res).astype(y.dtype, copy=False)


def class_weights(labels):
    """Balanced class weights, ready for Keras's ``class_weight``.

    The weight of class ``c`` is ``n_samples / (n_classes * count(c))``, as
    scikit-learn's ``compute_class_weight("balanced", ...)``.

    Parameters
    ----------
    labels : (N,) array_like of int or str
        Class of each sample.

    Returns
    -------
    weights : dict
        ``{label: weight}`` with Python ``int`` (or ``str``) keys and ``float``
        values, in sorted label order.

    Raises
    ------
    TypeError
        For labels that are not integers or strings.
    ValueError
        For empty or non-1-D labels.

    See Also
    --------
    oversample : Oversample the minority classes of an image stack.
    smote : SMOTE and friends on a feature matrix.

    Examples
    --------
    >>> from ctkidney.balancing import class_weights
    >>> class_weights([0, 0, 0, 1])
    {0: 0.6666666666666666, 1: 2.0}
    """
    if isinstance(labels, (str, bytes)) or labels is None:
        raise TypeError(f"labels must be a 1-D array of class labels, got {labels!r}")
    y = np.asarray(labels)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"labels must be a non-empty 1-D array, got shape {y.shape}")
    if y.dtype.kind not in "iuUS":
        raise TypeError(f"labels must hold integer or string class labels, got dtype {y.dtype}")
    classes, counts = np.unique(y, return_counts=True)
    weights = len(y) / (len(classes) * counts)
    return {c.item(): float(w) for c, w in zip(classes, weights)}
