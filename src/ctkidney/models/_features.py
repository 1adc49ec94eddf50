"""Window-robust slice features for a classifier without a network: where the kidney
region's grey levels sit within the slice's own body, its texture as local binary
patterns, which no monotone change of the grey levels alters, and what the
segmentation recipes find in the kidneys. No TensorFlow."""

import os
from concurrent.futures import ThreadPoolExecutor

import cv2
import numpy as np

from ctkidney import morphology
from ctkidney.data import resize
from ctkidney.models._shortcut import _slices
from ctkidney.models._slices import _body_mask, kidney_region
from ctkidney.parallel._threads import worker_threads
from ctkidney.segmentation._recipe_params import RECIPE_PARAMS
from ctkidney.segmentation._recipes import recipe_masks

__all__ = ["FEATURE_MODEL", "SLICE_FEATURES", "fit_feature_model", "slice_features",
           "smote_options"]

#: Settings of :func:`slice_features`: the side in pixels the kidney crop is
#: resized to (``crop_px``); the body percentiles (``body_percentiles``) and the
#: crop percentiles (``crop_percentiles``), both expressed relative to the body's
#: median and its 5-95 percentile spread; the bins of the crop's within-body rank
#: histogram (``rank_bins``); the local binary patterns as (points, radius in
#: pixels of the crop) pairs (``lbp``) and the number of equal bands of body rank
#: their histograms are split into (``lbp_rank_bands``). The recipe block: the side
#: in pixels a larger slice is brought down to before the recipes read it
#: (``recipe_px``), the kidney's percentiles (``kidney_percentiles``), the radius of
#: the surroundings a bright peak is measured against (``peak_surround_mm``) and of
#: the disc whose mean finds the darkest spot (``dark_disc_mm``).
SLICE_FEATURES = {"crop_px": 96,
                  "body_percentiles": (1, 5, 10, 25, 75, 90, 95, 99),
                  "crop_percentiles": (10, 25, 50, 75, 90),
                  "rank_bins": 16,
                  "lbp": ((8, 1), (8, 3)),
                  "lbp_rank_bands": 4,
                  "recipe_px": 256,
                  "kidney_percentiles": (1, 5, 10, 25, 50, 75, 90, 95, 99),
                  "peak_surround_mm": 5.0,
                  "dark_disc_mm": 3.0}

#: Number of features of the recipe block (see :func:`slice_features`).
_N_RECIPE = 2 + len(SLICE_FEATURES["kidney_percentiles"]) + 5 + 3 + 2 * 6 + 1


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
    parts.append(_recipe_part(u8, settings))
    return np.concatenate(parts)


def _recipe_part(u8, settings):
    """The recipe block of :func:`slice_features` (zeros where the recipes find no
    kidney). Grey levels are in fat-to-soft-tissue steps, areas in mm^2."""
    out = np.zeros(_N_RECIPE)
    side = settings["recipe_px"]
    if max(u8.shape) > side:
        factor = side / max(u8.shape)
        u8 = resize(u8, (max(1, round(u8.shape[0] * factor)), max(1, round(u8.shape[1] * factor))))
    found = recipe_masks(u8)
    if found is None or found[1].sum() < 2:
        return out
    s, kidney, lesions = found
    smooth, step, mm2 = s.smooth, s.step, s.mm * s.mm
    values = smooth[kidney]
    median = float(np.median(values))
    parts = [[1.0, np.log1p(kidney.sum() * mm2)],
             (np.percentile(values, settings["kidney_percentiles"]) - s.soft) / step]
    # A bright peak over the median of its surroundings (a stone, stone or not by
    # the recipe's rules), the darkest disc inside the kidney (a cyst, a tumour),
    # and the share of the kidney nearer water than soft tissue.
    radius = s.radius(settings["peak_surround_mm"], 2)
    fine = np.clip(np.rint(smooth), 0, 255).astype(np.uint8)
    surround = cv2.medianBlur(fine, 2 * radius + 1).astype(np.float32)
    hull = morphology.dilation(kidney, morphology.disk(s.radius(RECIPE_PARAMS.stone_zone_mm)))
    disc = morphology.disk(s.radius(settings["dark_disc_mm"]))
    weights = disc.astype(np.float32) / disc.sum()
    mean = cv2.filter2D(smooth, -1, weights, borderType=cv2.BORDER_REFLECT)
    inner = morphology.erosion(kidney, disc)
    darkest = float(mean[inner].min()) if inner.any() else median
    water = s.level(0.5 * (1.0 + RECIPE_PARAMS.water_steps))
    parts.append([(float(s.grey[kidney].max()) - median) / step,
                  float((smooth - surround)[hull].max()) / step,
                  (darkest - median) / step, (darkest - s.soft) / step,
                  float(np.mean(values < water))])
    stones = lesions["Stone"]
    _, n_stones = morphology.label(stones)
    parts.append([min(n_stones, RECIPE_PARAMS.stone_max_count),
                  np.log1p(stones.sum() * mm2),
                  (float(s.grey[stones].max()) - median) / step if n_stones else 0.0])
    for kind in ("Cyst", "Tumor"):
        parts.append(_region_part(lesions[kind], kidney, smooth, s.soft, step, mm2, median))
    parts.append([float(s.plane == "axial")])
    return np.concatenate(parts)


def _region_part(region, kidney, smooth, soft, step, mm2, median):
    """Six numbers on a cyst or tumour mask: its share of the kidney, its area, its
    median against the rest of the kidney and against soft tissue, its spread, and
    the roundness of its largest part (area over the disc through its farthest
    pixel)."""
    area = int(region.sum())
    if area == 0:
        return np.zeros(6)
    rest = kidney & ~region
    values = smooth[region]
    inside = float(np.median(values))
    labels, _ = morphology.label(region)
    largest = labels == np.argmax(np.bincount(labels.ravel())[1:]) + 1
    rows, cols = np.nonzero(largest)
    reach = float(((rows - rows.mean()) ** 2 + (cols - cols.mean()) ** 2).max()) + 1.0
    return np.array([area / kidney.sum(), np.log1p(area * mm2),
                     (inside - (float(np.median(smooth[rest])) if rest.any() else median)) / step,
                     (inside - soft) / step, float(np.std(values)) / step,
                     largest.sum() / (np.pi * reach)])


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
      rank: texture that no monotone change of the grey levels alters;
    * what the segmentation recipes find (:func:`ctkidney.segmentation.segment_kidney`
      and :func:`~ctkidney.segmentation.segment_lesion` for each kind, on the slice
      brought down to ``recipe_px`` when larger), with grey levels in the recipes'
      own unit (the step from fat to soft tissue, measured on the slice) and areas
      in mm^2: whether a kidney is found, its area and its grey-level percentiles;
      its brightest pixel, the highest peak over its surroundings
      (``peak_surround_mm``), its darkest disc (``dark_disc_mm``) against its median
      and against soft tissue, and the share of it nearer water than soft tissue;
      the number, area and brightness of the stones; the share of the kidney, area,
      contrast, spread and roundness of the cyst and of the tumour; and whether the
      slice is axial. Zeros where no kidney is found.

    The features of :class:`SliceClassifier`'s default ``model="recommended"``.
    Slices are read on a thread per core.

    Parameters
    ----------
    images : (N, H, W) ndarray or sequence of 2-D ndarrays
        uint8, uint16 or float (0..255 scale) slices, any size. Never modified.

    Returns
    -------
    features : (N, F) float64 ndarray
        One row per slice; ``F`` is 141 with the default :data:`SLICE_FEATURES`
        (109 of the body and the crop, then 32 of the recipes).

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
    ((2, 141), dtype('float64'))
    """
    return features_of(_slices(images))


def features_of(slices):
    """:func:`slice_features` of slices already validated (by ``_slices``), on a
    thread per core under the workers' threading policy (OpenCV on one thread, the
    Numba kernels serial: ``ctkidney.parallel._threads.worker_threads``)."""
    workers = min(len(slices), os.cpu_count() or 1)
    if workers < 2:
        return np.stack([_one(image, SLICE_FEATURES) for image in slices])

    def one(image):
        with worker_threads():
            return _one(image, SLICE_FEATURES)

    with ThreadPoolExecutor(workers) as pool:
        return np.stack(list(pool.map(one, slices)))


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
