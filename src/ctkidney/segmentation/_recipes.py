"""Kidney and lesion recipes: classical compositions of the library's own functions.

The recipes work on the abdominal-window grey scale (level 40 HU, width 400 HU),
in which the Kaggle slices were saved: an 8-bit input is used as is, HU input is
windowed first. On that scale fat is about 25-60, water 102, unenhanced renal
parenchyma about 120-130, enhanced parenchyma up to about 230, and bone and
stones saturate at 255.
"""

import math

import numpy as np

from ctkidney import morphology
from ctkidney._shared.validation import check_choice, check_image, check_mask
from ctkidney.enhancement import gaussian_filter, window
from ctkidney.segmentation._cluster import kmeans
from ctkidney.segmentation._edges import edge_segment, sobel
from ctkidney.segmentation._region import region_grow
from ctkidney.segmentation._threshold import threshold_otsu
from ctkidney.segmentation._watershed import distance_transform, watershed

__all__ = ["LESION_KINDS", "segment_kidney", "segment_lesion"]

#: Lesion kinds of :func:`segment_lesion`.
LESION_KINDS = ("Stone", "Cyst", "Tumor")

#: The abdominal window of the Kaggle slices (level, width) in HU.
_WINDOW = (40.0, 400.0)


def _grey(hu):
    """A Hounsfield value on the abdominal-window 8-bit scale."""
    level, width = _WINDOW
    return (hu - (level - width / 2)) * 255.0 / width


_AIR = _grey(-140.0)      # below fat: outside the body
_SOFT = _grey(-35.0)      # halfway between fat and water-like tissue
_SOFT_MAX = _grey(-5.0)   # kidney threshold never above this: cysts (0-20 HU) stay in
_BONE = _grey(235.0)      # saturated: cortical bone, stones


def _windowed(image):
    """The slice on the abdominal-window 8-bit scale (uint8 in: unchanged)."""
    image = check_image(image)
    if image.dtype == np.uint8:
        return image
    level, width = _WINDOW
    return window(image, level=level, width=width)


def _smooth(grey, sigma):
    return gaussian_filter(grey.astype(np.float32), sigma)


def _anatomy(grey):
    """Smoothed slice, body mask, spine centre (row, col) and pixel size (mm)."""
    smooth = _smooth(grey, 1.0)
    body = morphology.keep_largest(morphology.fill_holes(smooth > _AIR))
    rows, cols = np.nonzero(body)
    if rows.size == 0:
        return smooth, body, (grey.shape[0] / 2, grey.shape[1] / 2), 1.0
    # An adult abdomen is about 30 cm wide (26-36 cm): the pixel size follows.
    width = cols.max() - cols.min() + 1
    mm = 296.0 / width
    # The vertebra is the widest bone component (body, arch and processes span
    # 35-60 mm), wider than an enhanced aorta.
    labels, count = morphology.label((smooth > _BONE) & body, connectivity=2)
    if count:
        rows, cols = np.nonzero(labels)
        ids = labels[rows, cols]
        left = np.full(count + 1, labels.shape[1])
        right = np.full(count + 1, -1)
        np.minimum.at(left, ids, cols)
        np.maximum.at(right, ids, cols)
        spine = labels == int(np.argmax(right - left))
        rows, cols = np.nonzero(spine)
        return smooth, body, (rows.mean(), cols.mean()), mm
    # No vertebra in view: it lies behind the body's centre.
    return smooth, body, (rows.mean() + 0.25 * width, cols.mean()), mm


def segment_kidney(image):
    """Both kidneys of an axial abdominal CT slice, as a bool mask.

    Steps (all library functions):

    1. Put the slice on the abdominal-window grey scale
       (:func:`ctkidney.enhancement.window` for HU input).
    2. Body: the slice smoothed (:func:`ctkidney.enhancement.gaussian_filter`)
       above air, holes filled, largest component
       (:func:`ctkidney.morphology.fill_holes`,
       :func:`~ctkidney.morphology.keep_largest`); the pixel size follows from its
       width (an abdomen is about 30 cm wide).
    3. Spine: the widest saturated (bone) component
       (:func:`~ctkidney.morphology.label`), the anatomical reference.
    4. Soft tissue: the slice smoothed over about 1.5 mm, above the fat/water
       midpoint (-35 HU), minus bone, minus thin dark valleys (perirenal fat
       squeezed to a few pixels, found by :func:`~ctkidney.morphology.black_tophat`).
    5. Cores: the tissue eroded by a 3 mm disc (:func:`~ctkidney.morphology.erosion`,
       :func:`~ctkidney.morphology.disk`), labelled; each core takes back its
       tissue by :func:`watershed` on the negated :func:`distance_transform`, so
       that bridges split at their necks.
    6. Kidneys: on each side of the spine, the core regions with a kidney's
       area (3.5-40 cm^2) are scored by how far their centroid lies from where
       kidneys lie (about 70 mm lateral to the vertebra) and their area from
       15 cm^2; a region of muscle density (43-63 HU on average: psoas,
       paraspinal muscles) pays a penalty, one of enhanced parenchyma (above
       90 HU on average, or over a fifth of it: the rim of parenchyma around
       a large mass) gains a bonus. The search is repeated with 5 mm cores,
       without water-density blobs below 16 HU (a cyst bulging onto a
       neighbour), with 7.5 mm cores, and with 5 mm cores without blobs below
       27 HU, each pass paying a little more (at pixels coarser than 2 mm a
       later pass only searches a side no earlier one found). The two kidneys
       are chosen together: the pair of candidates (or a missing side, at a
       high cost) with the lowest sum of scores plus their mismatch in
       parenchymal density (the 90th percentile, which a lesion does not pull
       down; both kidneys share the contrast phase) and in depth.
    7. Refinement: each kidney is re-thresholded, within one pixel of it, at the
       midpoint between its parenchyma and its perirenal fat (at most -5 HU, so
       cysts stay in). An opening by a 1.3 mm disc
       (:func:`~ctkidney.morphology.opening`) cuts the necks that join slivers
       of a neighbour across thin fat; the largest part connected to the
       kidney's core is kept (:func:`~ctkidney.morphology.reconstruction`,
       :func:`~ctkidney.morphology.keep_largest`) and takes back the pixel the
       opening shaved off its contour.
    8. Water-density blobs (cysts: below 27 HU, opened by a 2 mm disc; at pixels
       coarser than 2 mm, below 16 HU and opened by a 2.5 mm disc) touching a
       kidney join it, refined alike.
    9. Holes in a kidney, and notches in its outline that a 2 mm closing
       (:func:`~ctkidney.morphology.closing`) bridges (at least 5 mm^2), are
       filled unless they hold fat (below -5 HU on average): a small cyst
       that step 4 cut out as a dark valley
       (:func:`~ctkidney.morphology.fill_holes`).

    Parameters
    ----------
    image : (M, N) ndarray
        uint8 slice in the abdominal window (as the Kaggle data), or a HU map
        (int16, float32 or float64). Never modified.

    Returns
    -------
    mask : (M, N) bool ndarray
        Both kidneys (parenchyma and any lesion in it; not the fat of the renal
        sinus). Empty if no kidney-like region is found.

    Raises
    ------
    TypeError
        If ``image`` has an unsupported dtype.
    ValueError
        If ``image`` is not 2-D, is empty or holds NaN/inf.

    See Also
    --------
    segment_lesion

    Notes
    -----
    The recipe is tuned to the anatomy of :func:`ctkidney.data.make_phantom`
    (and of real slices at the level of the renal hila) and does not use any
    ground truth. Measured quality is in the user guide
    (:doc:`/guide/segmentation`).

    Examples
    --------
    >>> from ctkidney.data import make_phantom
    >>> from ctkidney.metrics import iou
    >>> from ctkidney.segmentation import segment_kidney
    >>> p = make_phantom("Normal", size=256, rng=3)
    >>> mask = segment_kidney(p.image)
    >>> mask.dtype, iou(p.kidney_mask, mask) > 0.8
    (dtype('bool'), True)
    """
    grey = _windowed(image)
    return _kidney_mask(grey)


def _kidney_mask(grey):
    _, body, spine, mm = _anatomy(grey)
    px = 1.0 / mm  # pixels per millimetre
    # Smooth over about 1.5 mm: enough against noise, thin enough for fat rims.
    smooth = _smooth(grey, float(np.clip(1.5 * px, 0.5, 1.5)))
    bone = morphology.dilation(smooth > _BONE, morphology.disk(1))
    tissue = (smooth > _SOFT) & body & ~bone
    # Thin fat bands (perirenal fat squeezed to a few pixels) are dark valleys:
    # a black top-hat finds them even where blur and noise lift them above fat.
    valleys = morphology.black_tophat(smooth, morphology.disk(max(2, int(round(3.0 * px)))))
    tissue &= ~(valleys > 20.0)
    out = np.zeros(grey.shape, bool)
    # Cores: erosion cuts the bridges left across the perirenal fat; a cyst that
    # bulges out of the kidney can make a wide bridge, hence the larger radii,
    # and the searches without water-density blobs (cysts, 0-20 HU).
    water = _water(grey, px)
    cysts = _water(grey, px, _CYST_HU, 1.0, _CYST_GROW) if px >= _FINE_PX else water
    removed = {"none": np.zeros(grey.shape, bool), "water": water, "cysts": water | cysts}
    options = {-1.0: [], 1.0: []}
    for step, (radius_mm, without) in enumerate(_PASSES):
        radius = max(1, int(round(radius_mm * px)))
        candidates = tissue & ~removed[without]
        for side, found in _kidney_candidates(candidates, spine, mm, radius, smooth).items():
            # At pixels coarser than 2 mm the coarser passes mostly find decoys:
            # they only search a side that no earlier pass found.
            if px < _FINE_PX and options[side]:
                continue
            options[side] += [(c[0] + step * _PASS_COST,) + c[1:] + (radius,)
                              for c in found]
    found = _pair(options)
    fine = _smooth(grey, 0.6)
    for value in found.values():
        if value is not None:
            region, radius = value
            kidney = _refine_kidney(fine, tissue, region, radius, px)
            # A cyst bulging out of the kidney: add the water blobs it touches,
            # their contour refined alike.
            cyst = morphology.reconstruction(
                morphology.dilation(region | kidney, morphology.disk(1)) & cysts, cysts)
            if cyst.any():
                both = _refine_kidney(fine, tissue, region | kidney | cyst, radius, px,
                                      largest=True)
                kidney |= both & morphology.dilation(cyst, morphology.disk(1))
            out |= _fill_dense_gaps(kidney, smooth, px)
    return out


# Gaps in a kidney's outline up to this wide (mm) are filled unless they hold fat.
_GAP_MM = 2.0
# Smaller notches (mm^2) are the partial-volume pixels of the contour.
_GAP_MIN_MM2 = 5.0


def _fill_dense_gaps(kidney, smooth, px):
    """Fill a kidney's holes and notches that are not fat (a small cyst cut out)."""
    holes = morphology.fill_holes(kidney) & ~kidney
    closed = morphology.closing(kidney, morphology.disk(max(1, int(round(_GAP_MM * px)))))
    notches = morphology.fill_holes(closed | kidney) & ~kidney & ~holes
    # Small notches are the partial-volume pixels of the contour, not a cyst.
    return kidney | _dense(holes, smooth, 0) | _dense(notches, smooth, _GAP_MIN_MM2 * px * px)


def _label_means(labels, count, values):
    """Pixel count and mean of ``values`` of each label 0..count."""
    flat = labels.ravel()
    sizes = np.bincount(flat, minlength=count + 1).astype(np.float64)
    return sizes, np.bincount(flat, values.ravel(), minlength=count + 1) / np.maximum(sizes, 1)


def _dense(mask, smooth, min_size):
    """The components of ``mask`` at least ``min_size`` pixels whose mean is not fat."""
    labels, count = morphology.label(mask)
    if count == 0:
        return mask
    sizes, means = _label_means(labels, count, smooth)
    keep = (means > _SOFT_MAX) & (sizes >= min_size)
    keep[0] = False
    return keep[labels]


# A cyst bulging out of the kidney: blobs below this density (HU), at least
# twice this radius (mm) across, touching the kidney join it.
_CYST_HU = 27.0
_CYST_GROW = 2.0
# Pixels per mm below which (pixels over 2 mm) rims of fat are too thin to
# tell a bulging cyst from partial volume.
_FINE_PX = 0.5


def _water(grey, px, upper=16.0, sigma=1.5, radius=2.5):
    """Blobs of water density (-30..``upper`` HU) at least ``2 radius`` mm across."""
    smooth = _smooth(grey, sigma)
    water = (smooth > _grey(-30.0)) & (smooth < _grey(upper))
    return morphology.opening(water, morphology.disk(max(1, int(round(radius * px)))))


# A kidney is a bean (about 1.5:1); an abdominal wall is a thin arc.
_MAX_ELONGATION = 3.0
# Muscles (psoas, paraspinal; 45-60 HU) are the usual decoys of a kidney, which
# is darker (plain phase, cysts) or much brighter (enhanced): a candidate whose
# mean lies in this band (HU) pays this much on its score, one above 90 HU
# (enhanced parenchyma) gains the bonus.
_MUSCLE = (43.0, 63.0)
_MUSCLE_PENALTY = 0.5
_BRIGHT_HU = 90.0
_BRIGHT_SHARE = 0.2
_PARENCHYMA_PERCENTILE = 90.0
_BRIGHT_BONUS = 1.0


def _kidney_candidates(tissue, spine, mm, radius, smooth):
    """The few most kidney-like tissue regions on each side of the spine, best first."""
    spine_r, spine_c = spine
    cores, count = morphology.label(morphology.erosion(tissue, morphology.disk(radius)))
    if count == 0:
        return {-1.0: [], 1.0: []}
    # Each core takes back the tissue around it; bridges split at their necks.
    distance = distance_transform(tissue)
    distance[np.isinf(distance)] = 0.0  # tissue everywhere (a uniform image): flat
    regions = watershed(-distance, cores, mask=tissue)
    near = morphology.dilation(cores > 0, morphology.disk(radius + 1))
    labels = np.where(near, regions, 0)
    areas = np.bincount(labels.ravel(), minlength=count + 1).astype(np.float64)
    rr, cc = np.indices(tissue.shape)
    safe = np.maximum(areas, 1)
    flat = labels.ravel()
    cy = np.bincount(flat, rr.ravel(), minlength=count + 1) / safe
    cx = np.bincount(flat, cc.ravel(), minlength=count + 1) / safe
    # Elongation from the second moments: a kidney is a bean (about 1.5:1), not
    # the thin arc of an abdominal wall.
    syy = np.bincount(flat, (rr * rr).ravel(), minlength=count + 1) / safe - cy * cy
    sxx = np.bincount(flat, (cc * cc).ravel(), minlength=count + 1) / safe - cx * cx
    sxy = np.bincount(flat, (rr * cc).ravel(), minlength=count + 1) / safe - cx * cy
    spread = np.sqrt(np.maximum((sxx - syy) ** 2 + 4 * sxy * sxy, 0.0))
    major, minor = (sxx + syy + spread) / 2, np.maximum((sxx + syy - spread) / 2, 1e-9)
    elongation = np.sqrt(np.maximum(major, 0.0) / minor)
    area_mm = areas * mm * mm
    mean = np.bincount(flat, smooth.ravel(), minlength=count + 1) / safe
    # Enhanced parenchyma: the whole region, or the rim of one that a mass fills.
    share = np.bincount(flat, (smooth > _grey(_BRIGHT_HU)).ravel(), minlength=count + 1) / safe
    bright = (mean > _grey(_BRIGHT_HU)) | (share >= _BRIGHT_SHARE)
    muscle = (mean > _grey(_MUSCLE[0])) & (mean < _grey(_MUSCLE[1])) & ~bright
    result = {}
    for side in (-1.0, 1.0):
        found = []
        for i in range(1, count + 1):
            if not 350.0 <= area_mm[i] <= 4000.0:
                continue
            dx = (cx[i] - spine_c) * mm * side
            dy = (cy[i] - spine_r) * mm
            if dx <= 30.0 or elongation[i] > _MAX_ELONGATION:
                continue
            # Kidneys: 60-80 mm lateral to the vertebra's centroid, a little in
            # front of it, 10-25 cm^2 in this plane.
            score = math.hypot(math.hypot((dx - 70.0) / 18.0, (dy + 10.0) / 40.0),
                               math.log(area_mm[i] / 1500.0) / 0.6)
            if muscle[i]:
                score += _MUSCLE_PENALTY
            elif bright[i]:
                score -= _BRIGHT_BONUS
            if score < _MAX_SCORE:
                found.append((score, i, float(dy)))
        found.sort(key=lambda c: c[0])
        # The parenchyma's density, even beside a lesion: the 90th percentile
        # (a large hypodense mass or cyst would pull the median down).
        result[side] = [(score, labels == i,
                         float(np.percentile(smooth[labels == i], _PARENCHYMA_PERCENTILE)), dy)
                        for score, i, dy in found[:_KEEP]]
    return result


# Each pass of the kidney search: core radius (mm), and the water-density blobs
# (a cyst bulging onto a neighbour) taken out of the tissue first: none, those
# below 16 HU, or also those below 27 HU (see _water).
_PASSES = ((3.0, "none"), (5.0, "none"), (3.0, "water"), (7.5, "none"), (5.0, "cysts"))
# A candidate scoring above this is no kidney; the best few of each pass and
# side compete.
_MAX_SCORE = 2.5
_KEEP = 3
# Both kidneys of a slice share the contrast phase and lie at about the same
# depth: the pair's mismatch in parenchymal density (grey levels; the 90th
# percentile, which a lesion does not pull down) and in depth (mm) adds to its score (not
# the area: a tumour enlarges one kidney), as does a missing side; a later,
# coarser pass pays a little.
_PAIR_DENSITY = 25.0
_PAIR_DEPTH = 30.0
_PAIR_WEIGHT = 0.5
_PASS_COST = 0.3
_MISSING = 4.0


def _pair(options):
    """The pair of candidates (one per side, or none) that best forms two kidneys."""
    left = options[-1.0] + [None]
    right = options[1.0] + [None]
    best, best_cost = (None, None), np.inf
    for a in left:
        for b in right:
            cost = (a[0] if a else _MISSING) + (b[0] if b else _MISSING)
            if a and b:
                cost += _PAIR_WEIGHT * math.hypot((a[2] - b[2]) / _PAIR_DENSITY,
                                                  (a[3] - b[3]) / _PAIR_DEPTH)
            if cost < best_cost:
                best, best_cost = (a, b), cost
    # Each kept candidate: (score, region, parenchymal density, depth, radius).
    return {side: (c[1], c[4]) if c else None for side, c in zip((-1.0, 1.0), best)}


_OPEN_MM = 1.3


def _refine_kidney(smooth, tissue, kidney, radius, px, largest=True):
    """Re-threshold a kidney at the midpoint between its parenchyma and its fat."""
    footprint = morphology.disk(radius)
    core = morphology.erosion(kidney, footprint)
    ring = morphology.dilation(kidney, morphology.disk(radius + 2)) & ~morphology.dilation(
        kidney, footprint)
    inside = float(np.median(smooth[core])) if core.any() else float(np.median(smooth[kidney]))
    fat = float(np.median(smooth[ring & ~tissue])) if (ring & ~tissue).any() else _grey(-100.0)
    level = min(0.5 * (inside + fat), _SOFT_MAX)
    zone = morphology.dilation(kidney, morphology.disk(1))
    refined = (smooth > level) & zone & ~(smooth > _BONE)
    # Keep what is connected to the kidney's core, not slivers of a neighbour
    # (abdominal wall, muscle) that the region took across a thin fat band.
    # An opening cuts the thin necks that join such slivers; what it shaved off
    # the kidney's own contour comes back within one pixel.
    cut = int(round(_OPEN_MM * px))
    opened = morphology.opening(refined, morphology.disk(cut)) if cut else refined
    seeds = opened & core
    if not seeds.any():
        return morphology.keep_largest(refined & kidney)
    kept = morphology.reconstruction(seeds, opened)
    if largest:
        kept = morphology.keep_largest(kept)
    return refined & morphology.dilation(kept, morphology.disk(1))


def segment_lesion(image, kind, *, kidney_mask=None, method=None):
    """The lesion of one kind ("Stone", "Cyst" or "Tumor") inside the kidneys.

    Steps (all library functions), after :func:`segment_kidney` when no
    ``kidney_mask`` is given:

    * **Stone**: the search zone is the kidney closed by a 16 mm disc (the renal
      sinus, where most stones lie) and dilated by 2 mm. Candidates are pixels of
      the slice smoothed by 0.5 px brighter than the parenchyma by 25 grey levels
      (and than 140 HU), labelled (8-connected). A blob is a stone when its peak
      stands above the median of a 5 mm ring by 40 grey levels, or by 60 % of
      the room left below saturation (a bright enhanced kidney leaves a stone
      little contrast in the window), and when it saturates at least 3 pixels
      around its peak or stands 25 grey levels above its ring on the slice
      smoothed over one pixel, and when its brightness summed over it and the
      pixel around it, above the median of a ring 2-4 pixels out, is at least
      20 times the pixel noise (a robust deviation of the slice from its
      Gaussian smoothing inside the kidney): isolated noise does none of
      this. Each stone is
      delineated from its peak at half its contrast, or for stones beyond the
      window just below saturation (20 grey levels, at most a tenth of the room
      between background and saturation) (``method='region'``:
      :func:`region_grow`), and dropped if larger than 60 mm^2.
    * **Cyst**: water-density blobs (below 27 HU, opened by a 2 mm disc)
      touching the kidney join it first, as a cyst may bulge out of the kidney
      (not at pixels coarser than 2 mm, where rims of fat are too thin). Then
      the steps below, with the lesion's core inside the given kidney; the
      result, opened by a 1.3 mm disc, is replaced by the ellipse of its
      centroid and second moments (cysts are round or oval).
    * **Cyst**, and **Tumor** in an enhanced kidney: the kidney is smoothed by
      normalised convolution (:func:`ctkidney.enhancement.gaussian_filter` of
      the slice inside the kidney over that of the mask), so that the fat
      around it does not darken its rim. Two classes of the smoothed
      kidney by :func:`threshold_otsu`; the dark part, opened by a 2 mm disc,
      labelled; the component with the most darkness (area times depth below
      the rest of the kidney; for a cyst, counted inside the given kidney only)
      is the lesion's core and the rest is parenchyma. The lesion is
      delineated by the family named by ``method`` (default ``'watershed'``: a
      :func:`watershed` of the :func:`sobel` magnitude from three markers, lesion
      core, parenchyma and outside; ``'threshold'``: below the midpoint of the two
      levels, connected to the core; ``'region'``: :func:`region_grow` from the
      core; ``'kmeans'``: the dark one of two :func:`kmeans` clusters;
      ``'edge'``: the :func:`edge_segment` regions around the core).
    * **Tumor**: the kidney is enhanced when the 90th percentile of its
      density (its parenchyma's, even beside a large hypodense mass) is above
      100 HU. In an unenhanced kidney a tumour is close to the parenchyma's
      density: the kidney opened by an 11 mm disc keeps the thick, round mass
      and drops the parenchyma, a band about 1 cm thick around the sinus
      (:func:`~ctkidney.morphology.opening`); the largest part is the tumour,
      whatever ``method``, if it is denser than the rest of the kidneys by 4
      grey levels (the mass is 12 HU or more denser). If nothing is left (a
      small mass), most of the kidney is, or the part is not denser (a slice
      near a pole, without sinus, is thick all over), the brighter region is
      taken instead, with the steps of the cyst on the negative image.

    Parameters
    ----------
    image : (M, N) ndarray
        uint8 slice in the abdominal window, or a HU map. Never modified.
    kind : {'Stone', 'Cyst', 'Tumor'}
        The lesion to find (the class of the slice).
    kidney_mask : (M, N) bool ndarray, optional
        The kidneys; default :func:`segment_kidney` of the image.
    method : {None, 'threshold', 'kmeans', 'region', 'watershed', 'edge'}, optional
        The family that delineates the lesion. Default (None): the best one for
        the kind (region growing for stones, watershed for cysts and tumours).
        Unenhanced tumours are found by their shape whatever the method.

    Returns
    -------
    mask : (M, N) bool ndarray
        The lesion (all stones for ``'Stone'``). Empty if none is found.

    Raises
    ------
    TypeError
        If ``image`` has an unsupported dtype.
    ValueError
        If ``kind`` or ``method`` is unknown, or ``kidney_mask`` has another shape.

    See Also
    --------
    segment_kidney

    Examples
    --------
    >>> from ctkidney.data import make_phantom
    >>> from ctkidney.segmentation import segment_lesion
    >>> p = make_phantom("Cyst", size=256, rng=1)
    >>> segment_lesion(p.image, "Cyst").dtype
    dtype('bool')
    """
    grey = _windowed(image)
    kind = check_choice(kind, "kind", LESION_KINDS)
    if method is not None:
        check_choice(method, "method", ("threshold", "kmeans", "region", "watershed", "edge"))
    if kidney_mask is None:
        kidney_mask = _kidney_mask(grey)
    else:
        kidney_mask = check_mask(kidney_mask, "kidney_mask", shape=grey.shape)
    if not kidney_mask.any():
        return np.zeros(grey.shape, bool)
    return _LESIONS[kind](grey, kidney_mask, method)


# How far below saturation the edge of a saturated stone is taken (grey levels),
# at most this share of the room between the background and saturation.
_STONE_MARGIN = 20.0
_STONE_MARGIN_SHARE = 0.1
# Smoothing (pixels) of the slice a stone is delineated on.
_STONE_SIGMA = 0.5
# Contrast a stone's peak needs over its ring: 40 grey levels, or 60 % of the
# room left below saturation (bright enhanced parenchyma leaves little).
_STONE_CONTRAST = 40.0
_STONE_CONTRAST_SHARE = 0.6
# A stone saturates at least 3 pixels around its peak, or stands 25 grey levels
# above its ring on the slice smoothed over one pixel; noise on bright
# parenchyma does neither.
_STONE_SATURATED = 3
_STONE_DETECT_CONTRAST = 25.0
# A stone's brightness summed over it and the pixel around it, above its ring,
# is at least this many times the pixel noise (noise peaks on bright enhanced
# parenchyma pass the contrast tests, but hold little excess in all).
_STONE_EXCESS = 20.0


def _stones(grey, kidney, method):
    """Bright compact blobs in or beside the kidney (renal sinus included)."""
    mm = _pixel_size(grey)
    px = 1.0 / mm
    fine = _smooth(grey, _STONE_SIGMA)
    detect = _smooth(grey, 1.0)
    # The renal sinus (fat, where most stones lie) is inside the kidney's hull.
    hull = morphology.closing(kidney, morphology.disk(max(2, int(round(16.0 * px)))))
    zone = morphology.dilation(hull, morphology.disk(max(1, int(round(2.0 * px)))))
    parenchyma = float(np.median(fine[kidney]))
    seeds = zone & (fine > max(parenchyma + 25.0, _grey(140.0)))
    out = np.zeros(grey.shape, bool)
    labels, count = morphology.label(seeds, connectivity=2)
    noise = _noise_level(grey, detect, kidney & ~morphology.dilation(seeds, morphology.disk(3)))
    ring_outer = morphology.disk(max(3, int(round(5.0 * px))))
    size = ring_outer.shape[0] // 2
    near_seeds = morphology.dilation(seeds, morphology.disk(1))
    for i in range(1, count + 1):
        blob = labels == i
        peak_index = int(np.argmax(np.where(blob, fine, -np.inf)))
        r, c = divmod(peak_index, grey.shape[1])
        peak = float(fine[r, c])
        # Local background: the median of a ring around the peak, off the seeds.
        r0, r1 = max(r - size, 0), min(r + size + 1, grey.shape[0])
        c0, c1 = max(c - size, 0), min(c + size + 1, grey.shape[1])
        window_ = fine[r0:r1, c0:c1]
        ring = ~near_seeds[r0:r1, c0:c1]
        base = float(np.median(window_[ring])) if ring.any() else parenchyma
        if peak - base < min(_STONE_CONTRAST, _STONE_CONTRAST_SHARE * (255.0 - base)):
            continue
        level = _stone_level(peak, base)
        grown = np.zeros(grey.shape, bool)
        grown[r0:r1, c0:c1] = _delineate_bright(window_, (r - r0, c - c0), level, base,
                                                method)
        if grown.sum() * mm * mm > 60.0:  # a stone is at most ~8 mm across here
            continue
        saturated = int((grey[max(r - 1, 0):r + 2, max(c - 1, 0):c + 2] >= 250).sum())
        ring_level = float(np.median(detect[r0:r1, c0:c1][ring])) if ring.any() else parenchyma
        if (saturated < _STONE_SATURATED
                and float(detect[r, c]) - ring_level < _STONE_DETECT_CONTRAST):
            continue
        if _excess(grey, grown) < _STONE_EXCESS * noise:
            continue
        out |= grown
    return out & zone


def _stone_level(peak, base):
    """The grey level at which a stone of this peak over this background is cut.

    The edge is at half the stone's contrast, which lies beyond the window for
    all but the faintest stones: then the saturated part is the stone.
    """
    margin = min(_STONE_MARGIN, _STONE_MARGIN_SHARE * (255.0 - base))
    return max(0.5 * (peak + base), min(peak, 255.0) - margin)


def _noise_level(grey, smooth, where):
    """Robust standard deviation of ``grey - smooth`` over ``where`` (grey levels)."""
    if not where.any():
        return 0.0
    residual = grey[where].astype(np.float64) - smooth[where]
    return 1.4826 * float(np.median(np.abs(residual - np.median(residual))))


def _excess(grey, blob):
    """The blob's brightness summed above the median of a ring 2-4 pixels around it."""
    near = morphology.dilation(blob, morphology.disk(1))
    ring = morphology.dilation(blob, morphology.disk(4)) & ~morphology.dilation(
        blob, morphology.disk(2))
    base = float(np.median(grey[ring])) if ring.any() else 0.0
    return float(np.sum(grey[near] - base))


def _delineate_bright(patch, peak, level, base, method):
    """The bright blob at ``peak`` in ``patch``, cut at ``level``, by one family."""
    method = "region" if method is None else method
    top = float(patch[peak])
    if method == "region":
        return region_grow(patch, peak, tolerance=top - level, connectivity=2)
    if method == "threshold":
        candidate = patch >= level
    elif method == "kmeans":
        labels, _ = kmeans(patch, 2)
        candidate = labels == 1
    elif method == "watershed":
        markers = np.zeros(patch.shape, np.int32)
        markers[patch >= min(top, level + 0.5 * (top - level))] = 1
        markers[patch <= base + 0.25 * (top - base)] = 2
        candidate = watershed(sobel(patch), markers) == 1
    else:
        candidate = edge_segment(patch, sigma=0.7, low=0.2 * (top - base),
                                 high=0.4 * (top - base), closing=1, min_size=1)
    seed = np.zeros(patch.shape, bool)
    seed[peak] = True
    return morphology.reconstruction(seed & candidate, candidate) | seed


def _pixel_size(grey):
    return _anatomy(grey)[3]


# A cyst's outline is opened by a disc of this radius (mm) before its ellipse
# is fitted.
_CYST_OPEN_MM = 1.3

# An opened kidney keeping more than this share is a pole slice, not a mass.
_MASS_MAX = 0.8
# ... and denser than the rest of the kidneys by this much (grey levels, ~6 HU).
_MASS_DENSER = 4.0
# Kidneys whose parenchyma (90th percentile) is denser than this (HU) are enhanced.
_ENHANCED_HU = 100.0


def _tumour(grey, kidney, method):
    """A tumour: hypodense in an enhanced kidney, else the kidney's thick bulge."""
    px = 1.0 / _pixel_size(grey)
    # The parenchyma's density, even beside a large mass: enhanced (120-200 HU)
    # or not (30-40 HU; a tumour is at most 70 HU).
    if np.percentile(grey[kidney], _PARENCHYMA_PERCENTILE) >= _grey(_ENHANCED_HU):
        return _dark_lesion(grey, kidney, method, px)
    # Unenhanced, a tumour is close to the parenchyma's density; but it is a thick,
    # round mass, while the parenchyma is a band about 1 cm thick around the
    # renal sinus: an opening by a 11 mm disc keeps the mass only.
    mass = morphology.keep_largest(
        morphology.opening(kidney, morphology.disk(max(1, int(round(11.0 * px))))))
    # The mass is also denser than the parenchyma (by 12 HU or more in this
    # phase); a kidney cut near its pole (no sinus, so thick all over) is not.
    rest = kidney & ~mass
    if (mass.any() and mass.sum() < _MASS_MAX * kidney.sum() and rest.any()
            and np.mean(grey[mass]) - np.median(grey[rest]) >= _MASS_DENSER):
        return mass
    # A mass smaller than the disc, or a kidney cut near its pole (no sinus, so
    # all of it is thick): fall back on density, as the mass is denser than the
    # parenchyma in the plain phase.
    return _dark_lesion(grey, kidney, method, px, bright=True)


def _cyst(grey, kidney, method):
    """A cyst: the water-density region inside the kidney, as an ellipse."""
    px = 1.0 / _pixel_size(grey)
    given = kidney
    if px >= _FINE_PX:
        # A cyst may bulge out of the kidney (and out of a kidney mask found by
        # segment_kidney): water-density blobs touching the kidney join it.
        water = _water(grey, px, _CYST_HU, 1.0, _CYST_GROW)
        kidney = kidney | morphology.reconstruction(
            morphology.dilation(kidney, morphology.disk(1)) & water, water)
    # The cyst's core lies in the kidney, not in a blob beside it.
    lesion = _dark_lesion(grey, kidney, method, px, within=given)
    if lesion.sum() >= 5:
        cut = int(round(_CYST_OPEN_MM * px))
        opened = morphology.opening(lesion, morphology.disk(cut)) if cut else lesion
        lesion = _moment_ellipse(morphology.keep_largest(opened if opened.sum() >= 5 else lesion))
    return lesion


def _moment_ellipse(mask):
    """The ellipse with the centroid and second moments of ``mask``."""
    rows, cols = np.nonzero(mask)
    cy, cx = rows.mean(), cols.mean()
    dy, dx = rows - cy, cols - cx
    # A uniform ellipse of semi-axes a, b has variances a^2/4, b^2/4 (+1/12 for
    # the pixel grid) along its axes.
    cov = np.array([[np.mean(dy * dy), np.mean(dy * dx)], [np.mean(dy * dx), np.mean(dx * dx)]])
    cov -= np.eye(2) / 12.0
    if np.linalg.det(cov) <= 0:
        return mask
    inv = np.linalg.inv(cov)
    rr, cc = np.indices(mask.shape)
    rr = rr - cy
    cc = cc - cx
    quad = inv[0, 0] * rr * rr + 2 * inv[0, 1] * rr * cc + inv[1, 1] * cc * cc
    return quad <= 4.0


def _dark_lesion(grey, kidney, method, px, bright=False, within=None):
    """The darker (or, with ``bright``, brighter) region inside the kidney."""
    sigma = max(1.0, 1.0 * px)
    # Normalised convolution inside the kidney: the fat around it (and in the
    # sinus) does not darken the kidney's rim, which would pass for a cyst.
    weight = _smooth(kidney.astype(np.float32), sigma)
    smooth = np.where(kidney, _smooth(np.where(kidney, grey, 0).astype(np.float32), sigma)
                      / np.maximum(weight, 1e-3), _smooth(grey, sigma))
    if bright:
        # The same steps on the negative: the lesion is the dark class there.
        smooth = 255.0 - smooth
    core = morphology.erosion(kidney, morphology.disk(1))
    if core.sum() < 8:
        return np.zeros(grey.shape, bool)
    values = smooth[core]
    # Two intensity classes inside the kidney: lesion (dark) and parenchyma.
    cut = threshold_otsu(values.reshape(1, -1))
    dark = core & (smooth <= cut)
    dark = morphology.opening(dark, morphology.disk(max(1, int(round(2.0 * px)))))
    if within is not None:
        inner = morphology.erosion(within, morphology.disk(1))
        dark = morphology.reconstruction(dark & inner, dark)
    if not dark.any():
        return np.zeros(grey.shape, bool)
    # The lesion's core: the dark component with the most darkness (its area
    # times its depth below the rest of the kidney), not merely the largest.
    labels, count = morphology.label(dark)
    flat = labels.ravel()
    sizes, means = (v[1:] for v in _label_means(labels, count, smooth))
    light = core & ~dark
    reference = float(np.median(smooth[light])) if light.any() else float(cut)
    # Darkness counts inside the given kidney only: a water-density rim beside
    # it (partial volume against fat) is not the cyst.
    weight = sizes if within is None else np.bincount(
        flat, inner.ravel().astype(np.float64), minlength=count + 1)[1:]
    lesion_core = labels == int(np.argmax(weight * (reference - means))) + 1
    rest = core & ~morphology.dilation(dark, morphology.disk(1))
    inside = float(np.median(smooth[lesion_core]))
    parenchyma = float(np.median(smooth[rest])) if rest.any() else float(cut)
    level = 0.5 * (inside + parenchyma)
    method = "watershed" if method is None else method
    if method == "threshold":
        candidate = kidney & (smooth <= level)
        return morphology.reconstruction(lesion_core & candidate, candidate)
    if method == "region":
        seed = np.unravel_index(int(np.argmin(np.abs(np.where(lesion_core, smooth, np.inf)
                                                      - inside))), grey.shape)
        grown = region_grow(smooth, seed, tolerance=0.5 * abs(parenchyma - inside))
        return grown & kidney
    if method == "kmeans":
        labels, centers = kmeans(smooth[kidney].reshape(1, -1), 2)
        candidate = np.zeros(grey.shape, bool)
        candidate[kidney] = labels.ravel() == 0
        return morphology.reconstruction(lesion_core & candidate, candidate)
    if method == "watershed":
        markers = np.zeros(grey.shape, np.int32)
        markers[morphology.erosion(lesion_core, morphology.disk(1))] = 1
        markers[rest] = 2
        markers[~morphology.dilation(kidney, morphology.disk(1))] = 3
        labels = watershed(sobel(smooth), markers)
        return (labels == 1) & kidney
    # edge: closed Canny contours inside the kidney, around the dark core.
    regions = edge_segment(smooth, sigma=1.0, low=0.25 * abs(parenchyma - inside),
                           high=0.5 * abs(parenchyma - inside), closing=1, min_size=4)
    regions &= kidney
    return morphology.reconstruction(lesion_core & regions, regions) | lesion_core


_LESIONS = {"Stone": _stones, "Cyst": _cyst, "Tumor": _tumour}
