"""Window-robust slice features for a classifier without a network: where the kidney
region's grey levels sit within the slice's own body, and its texture as local
binary patterns, which no monotone change of the grey levels alters. No TensorFlow."""

import cv2
import numpy as np

from ctkidney.models._shortcut import _slices
from ctkidney.models._slices import _body_mask, kidney_region

__all__ = ["FEATURE_MODEL", "SLICE_FEATURES", "fit_feature_model", "slice_features",
           "smote_options"]

#: Settings of :func:`slice_features`: the side in pixels the kidney crop is
#: resized to (``crop_px``); the body percentiles (``body_percentiles``) and the
#: crop percentiles (``crop_percentiles``), both expressed relative to the body's
#: median and its 5-95 percentile spread; the bins of the crop's within-body rank
#: histogram (``rank_bins``); the local binary patterns as (points, radius in
#: pixels of the crop) pairs (``lbp``) and the number of equal bands of body rank
#: their histograms are split into (``lbp_rank_bands``).
SLICE_FEATURES = {"crop_px": 96,
                  "body_percentiles": (1, 5, 10, 25, 75, 90, 95, 99),
                  "crop_percentiles": (10, 25, 50, 75, 90),
                  "rank_bins": 16,
                  "lbp": ((8, 1), (8, 3)),
                  "lbp_rank_bands": 4}


def _uint8(image):
    """The slice on the 0..255 scale as uint8 (uint16 scaled by its range)."""
    if image.dtype == np.uint8:
        return image
    x = image.astype(np.float64)
    if image.dtype == np.uint16:
        x *= 255 / 65535
    return np.round(np.clip(x, 0, 255)).astype(np.uint8)


def _body_ranks(u8, body):
    """Each body pixel's mid-rank among the body's pixels, in (0, 1); 0 outside."""
    values, inverse, counts = np.unique(u8[body], return_inverse=True, return_counts=True)
    mid = (np.cumsum(counts) - counts / 2) / body.sum()
    out = np.zeros(u8.shape, np.float32)
    out[body] = mid[inverse]
    return out


def _one(image, settings):
    from skimage.feature import local_binary_pattern

    u8 = _uint8(image)
    body = _body_mask(u8)
    if body.sum() < 16:
        body = np.ones(u8.shape, bool)
    ranks = _body_ranks(u8, body)
    top, bottom, left, right = kidney_region(u8)
    side = (settings["crop_px"],) * 2
    crop_rank = cv2.resize(ranks[top:bottom, left:right], side, interpolation=cv2.INTER_AREA)
    crop = cv2.resize(u8[top:bottom, left:right], side, interpolation=cv2.INTER_AREA)
    inside = cv2.resize(body[top:bottom, left:right].astype(np.uint8), side,
                        interpolation=cv2.INTER_NEAREST).astype(bool)
    if inside.sum() < 16:
        inside[:] = True
    # Grey levels relative to the body's median and 5-95 % spread: a change of window
    # level and width leaves them as they are, a gamma change nearly so.
    lo, median, hi = np.percentile(u8[body], (5, 50, 95))
    spread = max(float(hi - lo), 1.0)
    parts = [(np.percentile(u8[body], settings["body_percentiles"]) - median) / spread,
             (np.percentile(crop[inside], settings["crop_percentiles"]) - median) / spread]
    # Ranks within the body: unchanged by any monotone change of the grey levels.
    counts, _ = np.histogram(crop_rank[inside], bins=settings["rank_bins"], range=(0, 1))
    parts.append(counts / inside.sum())
    bands = settings["lbp_rank_bands"]
    band = np.minimum((crop_rank * bands).astype(np.int64), bands - 1)
    for points, radius in settings["lbp"]:
        codes = local_binary_pattern(crop, points, radius, method="uniform").astype(np.int64)
        n_codes = points + 2
        joint = np.bincount((codes * bands + band)[inside], minlength=n_codes * bands)
        parts.append(joint[: n_codes * bands] / inside.sum())
    return np.concatenate(parts)


def slice_features(images):
    """Features of CT slices that a change of display window barely moves.

    For each slice: the body (:func:`kidney_region`'s largest bright component) and
    the kidney crop (:func:`kidney_region`, resized to ``crop_px``); then

    * the body's grey-level percentiles and the crop's, relative to the body's
      median and 5-95 percentile spread (window level and width cancel out; this
      is where contrast enhancement shows: enhanced kidneys and vessels sit
      higher in the body's distribution);
    * the histogram of the crop's pixels' ranks within the body (unchanged by any
      monotone change of the grey levels);
    * uniform local binary patterns of the crop (scikit-image,
      ``method="uniform"``) at two radii, counted separately in bands of body
      rank: texture that no monotone change of the grey levels alters.

    The features of :class:`SliceClassifier`'s default ``model="recommended"``.

    Parameters
    ----------
    images : (N, H, W) ndarray or sequence of 2-D ndarrays
        uint8, uint16 or float (0..255 scale) slices, any size. Never modified.

    Returns
    -------
    features : (N, F) float64 ndarray
        One row per slice; ``F`` is 109 with the default :data:`SLICE_FEATURES`.

    Raises
    ------
    TypeError, ValueError
        For images that are not 2-D slices of a supported dtype, or hold NaN.

    See Also
    --------
    SliceClassifier, random_window, histogram_features

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.models import random_window, slice_features
    >>> rng = np.random.default_rng(0)
    >>> images = rng.integers(40, 200, (2, 64, 64)).astype(np.uint8)
    >>> f = slice_features(images)
    >>> f.shape, f.dtype
    ((2, 109), dtype('float64'))
    """
    return features_of(_slices(images))


def features_of(slices):
    """:func:`slice_features` of slices already validated (by ``_slices``)."""
    return np.stack([_one(image, SLICE_FEATURES) for image in slices])


def smote_options(y):
    """``method`` and ``k_neighbors`` for SMOTE on integer labels ``y``: at most 5
    neighbours and fewer than the smallest class holds; random oversampling when a
    class has a single sample."""
    k = min(5, int(np.bincount(y).min()) - 1)
    return {"method": "smote" if k >= 1 else "random", "k_neighbors": max(k, 1)}


#: The classifier of ``SliceClassifier(model="recommended")``: L2-regularised logistic
#: regression on standardised :func:`slice_features` (inverse regularisation
#: strength ``C``), trained on each slice plus ``window_copies`` copies of it under a
#: random window (:func:`random_window`) when ``augment`` is on.
FEATURE_MODEL = {"C": 0.1, "window_copies": 2}


def fit_feature_model(slices, y, *, balance, augment, seed):
    """A fitted scikit-learn pipeline (scaler, logistic regression) on the features
    of the validated ``slices`` (plus randomly windowed copies when ``augment``), balanced as
    ``balance`` says: None, class weights, or SMOTE on the features."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from ctkidney.models._slices import random_window

    x = features_of(slices)
    y = np.asarray(y)
    if augment:
        generator = np.random.default_rng(seed)
        copies = [features_of([random_window(s, rng=generator) for s in slices])
                  for _ in range(FEATURE_MODEL["window_copies"])]
        x = np.concatenate([x] + copies)
        y = np.concatenate([y] * (1 + len(copies)))
    if balance in ("smote", "smote_embeddings"):
        from ctkidney.balancing import smote

        x, y = smote(x, y, **smote_options(y), rng=seed)
    model = make_pipeline(
        StandardScaler(),
        LogisticRegression(C=FEATURE_MODEL["C"], max_iter=5000,
                           class_weight="balanced" if balance == "class_weight" else None))
    model.fit(x, y)
    return model, x, y
