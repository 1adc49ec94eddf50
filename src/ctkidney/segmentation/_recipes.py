"""Kidney and lesion recipes for real CT slices: classical compositions of the
library's own functions.

The recipes read every slice on its own scale (see
:mod:`ctkidney.segmentation._recipe_params`, where every tunable lives): the
grey levels of fat and of soft tissue are measured inside the body, densities
are positions between them, and sizes are millimetres through the pixel size
(given as ``spacing`` or estimated from the body's width). So they work on the
Kaggle JPEGs, whose window and contrast phase vary by study, on 8-bit slices of
any size (files of HU clipped to [0, 255], whose fat is as black as air,
included) and on HU maps, axial or coronal (:func:`ctkidney.data.orientation`).
"""

import functools
import math
from dataclasses import dataclass, replace

import numpy as np
from scipy import ndimage as ndi

from ctkidney import morphology
from ctkidney._shared.validation import check_choice, check_image, check_mask
from ctkidney._shared.volume import check_spacing
from ctkidney.data._orientation import _plane, body_mask
from ctkidney.enhancement import gaussian_filter, window
from ctkidney.segmentation._cluster import kmeans
from ctkidney.segmentation._edges import edge_segment, sobel
from ctkidney.segmentation._recipe_params import RECIPE_PARAMS as P
from ctkidney.segmentation._region import region_grow
from ctkidney.segmentation._threshold import threshold_otsu
from ctkidney.segmentation._watershed import distance_transform, watershed

__all__ = ["LESION_KINDS", "segment_kidney", "segment_lesion"]

#: Lesion kinds of :func:`segment_lesion`.
LESION_KINDS = ("Stone", "Cyst", "Tumor")

#: The window (level, width) in HU on which a HU map is read.
_WINDOW = (40.0, 400.0)

#: The crop of a whole slice (the default ``box`` of the candidate helpers).
_WHOLE = (slice(None), slice(None))


def _windowed(image):
    """The slice on an 8-bit grey scale (uint8 in: unchanged unless its fat is
    clipped to the level of air, see :func:`_unclip`; HU: abdominal window)."""
    image = check_image(image)
    if image.dtype == np.uint8:
        return _unclip(image)
    level, width = _WINDOW
    return window(image, level=level, width=width)


def _unclip(grey):
    """An 8-bit slice whose fat is clipped to the level of air, back on the
    abdominal window (any other slice: unchanged).

    Files that store HU clipped to [0, 255] (the KiTS19 PNGs) show fat and air
    both at 0, and so does a display window of such a file: no fat peak, no
    fat-to-soft scale to read. Such a slice is recognised by its body's
    outline (the non-zero pixels closed over ``P.clipped_close_share`` of the
    image, holes filled): exact zeros fill at least ``P.clipped_zero_share``
    of it, but no more than ``P.clipped_max_zero_share`` (the body is mostly
    tissue: a window that crushes fat and the darker soft tissue leaves more
    of it black, and is read as it is), and outnumber the pixels between the
    floor and soft tissue (a window that only darkens fat leaves a fat peak
    there; soft tissue is the
    highest peak of the outline's non-zero histogram, and no peak nearer the
    floor is higher), and the pixels within ``P.clipped_low_hu`` above the
    floor number at most ``P.clipped_max_low_share`` of the zeros (fat's
    noise never reaches a cut at 0 HU; a display window whose floor lies in
    fat's noise shows its tail as dark speckle there). Read it so: the floor
    (one grey level below the body's lowest non-zero level, its
    ``P.clipped_floor_percentile``-th percentile: the level the zeros stand
    for) is where the values were cut, ``P.clipped_floor_hu`` (0 HU,
    water), and the top of the 8-bit range stays the top (a file of HU
    clipped to [0, 255] and the abdominal window both end near 250 HU, so
    bone and stones that saturate one saturate the other); the slice is
    mapped linearly between the two onto the abdominal window, the zeros
    inside the outline becoming fat (``P.clipped_fat_hu``) and those outside
    staying air. Read so, soft tissue must come out below
    ``P.clipped_max_soft_hu`` (muscle and organs peak at 30-60 HU); if it
    comes out denser, the floor was not 0 HU but a display window that
    crushed fat, and the slice is read as it is. The recipes then see what they would see on
    the HU map: the
    mapping is exact for a clipped file's abdominal window, and within a few
    grey levels for the file itself.
    """
    nonzero = grey > 0
    radius = max(1, int(round(P.clipped_close_share * min(grey.shape))))
    pad = radius + 1
    closed = morphology.closing(np.pad(nonzero, pad), _disk(radius))
    outline = morphology.fill_holes(closed)[pad:-pad, pad:-pad]
    zeros = outline & ~nonzero
    n_outline = int(outline.sum())
    if (n_outline < 100 or zeros.sum() < P.clipped_zero_share * n_outline
            or zeros.sum() > P.clipped_max_zero_share * n_outline):
        return grey
    values = grey[outline & nonzero].astype(np.int64)
    hist = np.bincount(values, minlength=256)[:int(P.bone_max_grey)].astype(np.float64)
    hist = np.convolve(hist, np.ones(7) / 7.0, mode="same")
    floor = max(float(np.percentile(values, P.clipped_floor_percentile)) - 1.0, 0.0)
    # Soft tissue: the highest peak clear of the floor (a peak at the floor is
    # dark fat that the window did not quite clip: then the zeros are not fat).
    clear = int(min(floor + 0.5 * P.level_gap_grey, hist.size - 1))
    soft = float(clear + np.argmax(hist[clear:]))
    if hist[:clear].max(initial=0.0) > hist[int(soft)]:
        return grey
    between = np.count_nonzero(values <= soft - 0.5 * P.level_gap_grey)
    if zeros.sum() <= between:
        return grey
    # Fat's noise never reaches a cut at 0 HU, so the levels just above the
    # floor hold only water and the edges of organs, few beside the zeros; a
    # display window whose floor lies in fat's noise shows its tail there as
    # a crowd of dark speckle.
    to_hu = (P.clipped_top_hu - P.clipped_floor_hu) / max(255.0 - floor, 1.0)
    low = np.count_nonzero((values - floor) * to_hu <= P.clipped_low_hu)
    if low > P.clipped_max_low_share * zeros.sum():
        return grey
    # Read so, soft tissue must lie where soft tissue lies; if it comes out
    # denser, the floor is not 0 HU (a display window crushed fat): as it is.
    if (soft - floor) * to_hu > P.clipped_max_soft_hu - P.clipped_floor_hu:
        return grey
    # The floor is the cut (P.clipped_floor_hu) and the top stays the top (a
    # file and the window both end near 250 HU): linear in between.
    level, width = _WINDOW
    to_grey = 255.0 / width
    floor_grey = (P.clipped_floor_hu - (level - width / 2)) * to_grey
    fat_grey = (P.clipped_fat_hu - (level - width / 2)) * to_grey
    top_grey = (P.clipped_top_hu - (level - width / 2)) * to_grey
    scaled = floor_grey + (grey.astype(np.float32) - floor) * (
        (top_grey - floor_grey) / max(255.0 - floor, 1.0))
    scaled = np.where(nonzero, scaled, np.where(outline, fat_grey, 0.0))
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def _smooth(grey, sigma):
    return gaussian_filter(grey.astype(np.float32), sigma)


#: Pixel sizes the recipes accept (mm): CT pixels are 0.1-5 mm; outside this range
#: a value is a mistake (metres, or an uninitialised header), and its squares
#: would overflow the areas.
SPACING_RANGE_MM = (1e-3, 1e3)


@functools.lru_cache(maxsize=64)
def _disk(radius):
    """``morphology.disk(radius)``, built once per radius and read-only: the
    recipes ask for the same few radii thousands of times a slice."""
    footprint = morphology.disk(radius)
    footprint.flags.writeable = False
    return footprint


def _check_spacing(spacing):
    if spacing is None:
        return None
    rows, cols = check_spacing(spacing, 2)
    low, high = SPACING_RANGE_MM
    if not low <= min(rows, cols) <= max(rows, cols) <= high:
        raise ValueError(f"spacing must be within [{low:g}, {high:g}] mm, got {spacing!r}")
    # The geometric mean, exact for square pixels (sqrt(3) * sqrt(3) is not 3).
    return rows if rows == cols else math.sqrt(rows * cols)


@dataclass
class _Scene:
    """What the recipes read off a slice before looking for organs."""

    grey: np.ndarray       # uint8 slice
    smooth: np.ndarray     # float32, smoothed over P.smooth_mm
    body: np.ndarray       # bool
    plane: str             # "axial" or "coronal"
    mm: float              # pixel size
    fat: float             # grey level of fat
    soft: float            # grey level of soft tissue
    step: float            # soft - fat
    bone: np.ndarray       # bool: bone (and stones)
    spine: tuple           # (row or None, column)
    edges: np.ndarray = None  # gradient magnitude, in fat-to-soft steps per pixel
    depth: np.ndarray = None  # distance to the body's outline, in pixels
    cortex: np.ndarray = None  # bool: bone read barely smoothed, gaps closed
    white: float = 255.0   # the grey level the display window saturates at

    @property
    def px(self):
        return 1.0 / self.mm

    def radius(self, mm, least=1):
        return max(least, int(round(mm * self.px)))

    def level(self, steps):
        """The grey level ``steps`` fat-to-soft steps above fat."""
        return self.fat + steps * self.step

    @property
    def top(self):
        return _top(self.white)

    @property
    def bone_level(self):
        return min(self.level(1.0 + P.bone_steps), self.top)


def _top(white):
    """The highest grey level read as a density: ``P.bone_max_grey``, as far
    below the slice's own ``white`` as that is below 255."""
    return P.bone_max_grey - (255.0 - white)


def _white(grey, body):
    """The grey level the display window saturates at: the body's brightest
    level if a plateau of pixels sits there (bone, contrast and stones all
    clipped to it: a window whose top maps below 255), else 255."""
    values = grey[body]
    top = int(values.max())
    if top < 255 and np.count_nonzero(values == top) >= P.white_plateau_share * values.size:
        return float(top)
    return 255.0


def _levels(smooth, body, top):
    """Grey levels of fat and soft tissue inside the body (histogram peaks).

    The highest peak of the body's histogram (saturated pixels left out) is
    fat or soft tissue; the other is the highest peak at least
    ``P.level_gap_grey`` below it (then it is fat); failing that, the body's
    ``P.fat_percentile``-th percentile, if it is darker by half that gap; else
    the highest peak above it.
    """
    values = np.clip(smooth[body], 0, 255).astype(np.int64)
    hist = np.bincount(values, minlength=256)[:256].astype(np.float64)
    hist = np.convolve(hist, np.exp(-0.5 * (np.arange(-9, 10) / 3.0) ** 2), mode="same")
    hist = hist[:int(top)]
    inner = hist[1:-1]
    peaks = np.flatnonzero((inner >= hist[:-2]) & (inner > hist[2:])) + 1
    if hist[0] > hist[1]:
        peaks = np.concatenate([[0], peaks])
    top = int(np.argmax(hist))
    gap = P.level_gap_grey
    below = [p for p in peaks if p <= top - gap and hist[p] >= P.level_min_peak_share * hist[top]]
    above = [p for p in peaks if p >= top + gap and hist[p] >= P.level_min_peak_share * hist[top]]
    if below:
        fat = max(below, key=lambda p: hist[p])
        # A lean body with much soft tissue: the highest peak is fat, and a
        # far higher peak above it than below it (gas) is soft tissue.
        if above and hist[max(above, key=lambda p: hist[p])] > P.level_above_ratio * hist[fat]:
            return float(top), float(max(above, key=lambda p: hist[p]))
        return float(fat), float(top)
    # No fat peak (a dark window spreads fat over a shoulder): the darker
    # pixels of the body are fat.
    dark = float(np.percentile(values, P.fat_percentile))
    if dark <= top - 0.5 * gap:
        return dark, float(top)
    if above:
        return float(top), float(max(above, key=lambda p: hist[p]))
    return float(top), float(top + P.default_step_grey)


def _scene(image, spacing, windowed=False):
    grey = image if windowed else _windowed(image)
    spacing = _check_spacing(spacing)
    body = body_mask(grey)
    plane = _plane(body)
    if not body.any():
        return None
    cols = np.flatnonzero(body.any(axis=0))
    mm = spacing
    if mm is None:
        mm = P.body_width_mm / (cols[-1] - cols[0] + 1)
        if plane == "axial" and (cols[0] == 0 or cols[-1] == body.shape[1] - 1):
            # The field of view cuts the flanks: the width seen is too short,
            # and the body's depth (front to back) is the better ruler.
            rows = np.flatnonzero(body.any(axis=1))
            if rows[0] > 0 and rows[-1] < body.shape[0] - 1:
                mm = min(mm, P.body_depth_mm / (rows[-1] - rows[0] + 1))
        mm = float(np.clip(mm, P.min_pixel_mm, P.max_pixel_mm))
    smooth = _smooth(grey, max(0.5, P.smooth_mm / mm))
    inner = morphology.erosion(body, _disk(max(1, int(round(3.0 / mm)))))
    if inner.sum() < 50:
        return None
    white = _white(grey, body)
    fat, soft = _levels(smooth, inner, _top(white))
    scene = _Scene(grey, smooth, body, plane, mm, fat, soft, max(soft - fat, 20.0),
                   np.zeros(grey.shape, bool), (None, 0.0), white=white)
    scene.bone = (smooth >= scene.bone_level) & body
    scene.cortex = _cortical_bone(scene)
    scene.spine = _spine(scene)
    scene.depth = distance_transform(body)
    scene.edges = sobel(_smooth(grey, max(0.5, P.edge_smooth_mm / mm))) / scene.step
    return scene


def _spine(s):
    """The vertebra's centre (axial), or the spine's column (coronal, row None)."""
    rows = np.flatnonzero(s.body.any(axis=1))
    cols = np.flatnonzero(s.body.any(axis=0))
    mid = 0.5 * (cols[0] + cols[-1])
    near = P.spine_midline_mm * s.px
    if s.plane == "coronal":
        band = np.abs(np.arange(s.body.shape[1]) - mid) <= near
        profile = np.convolve(s.bone.sum(axis=0).astype(np.float64),
                              np.ones(s.radius(10.0)), mode="same")
        if profile[band].max() <= 0:
            return None, mid
        return None, float(np.flatnonzero(band)[np.argmax(profile[band])])
    # The vertebra with its marrow (a wide window leaves the marrow below the
    # bone level and only a thin cortex above it), not the brighter aorta.
    labels, count = morphology.label(morphology.fill_holes(s.cortex),
                                     connectivity=2)
    best, best_area = None, P.spine_min_area_mm2 * s.px * s.px
    top, height = rows[0], rows[-1] - rows[0] + 1
    for i in range(1, count + 1):
        rr, cc = np.nonzero(labels == i)
        if rr.size < best_area:
            continue
        cy, cx = rr.mean(), cc.mean()
        if abs(cx - mid) <= near and cy >= top + 0.35 * height:
            best, best_area = (float(cy), float(cx)), rr.size
    if best is None:
        return top + 0.7 * height, mid
    return best


def segment_kidney(image, *, spacing=None):
    """Both kidneys of an axial or coronal abdominal CT slice, as a bool mask.

    Steps (all library functions; every tunable, with its unit, is in
    :class:`~ctkidney.segmentation.RecipeParams`):

    1. Put the slice on an 8-bit grey scale (:func:`ctkidney.enhancement.window`
       at level 40, width 400 for HU input). An 8-bit slice whose fat is
       clipped to the level of air (a file of HU clipped to [0, 255], such as
       the KiTS19 PNGs, or a window of one) is recognised by the exact zeros
       that fill 10-60 % of its body's outline with no fat peak above them
       and no crowd of dark speckle just above black,
       and put back on that window: its lowest non-zero level read as 0 HU,
       its top as 255 HU, the zeros inside the outline as fat (-100 HU),
       unless soft tissue then comes out denser than 100 HU (a display window
       that crushed fat: read as it is).
       Find the body
       (:func:`ctkidney.data.body_mask`) and the plane
       (:func:`ctkidney.data.orientation`).
    2. Pixel size: ``spacing`` if given, else the body's width over 330 mm
       (an adult abdomen measures 280-380 mm flank to flank, so the estimate
       is good to about 15 %); on an axial slice whose field of view cuts
       the flanks (the body touches the image's side), the body's depth over
       240 mm if that gives smaller pixels.
    3. The slice's own scale: the grey levels of fat and of soft tissue are the
       two main peaks of the body's histogram, at least 40 grey levels apart
       (on a dark window that shows no fat peak, fat is the body's 10th
       percentile); densities are read as fat-to-soft steps, so that any
       window and either contrast phase give the same rules.
    4. Bone: 1.3 steps above soft tissue (or near saturation). The spine: on
       an axial slice, the largest bone component (with its marrow) near the
       midline in the body's back two thirds; on a coronal one, the column richest in bone.
    5. Tissue: above half a step (about -25 HU: cysts in, fat out), minus bone
       (not the bone-level pieces of an enhanced kidney's cortex: lateral, in a
       bright region of a kidney's size, below saturation),
       minus what lies within 30 mm of the midline (psoas) or, axial, over
       55 mm behind the vertebra (paraspinal muscles). Cores: the tissue eroded by a 3, 5 or
       7.5 mm disc
       (:func:`~ctkidney.morphology.erosion`), labelled; each takes back its
       tissue by :func:`watershed` on the negated :func:`distance_transform`,
       plus the density edges (:func:`sobel`), so that organs joined by a
       bridge or touching without fat (a kidney against the liver) split. A
       second search runs on the tissue brighter than soft tissue, holes
       filled (an enhanced kidney's cortex rings its medulla; on an axial
       slice the ring, open at the hilum, is filled as if closed), and on a
       coronal slice a third on the tissue darker than 0.95 steps (about
       40 HU), holes filled: an unenhanced kidney is darker than the liver
       or spleen its upper pole lies against. On an axial slice that third
       search runs only for a side whose best region scores poorly (over 1)
       or that has none, when no side's best region is enhanced, and what it
       finds counts only if it scores as a sure kidney of about the typical
       size (at most -0.25): an unenhanced kidney joined to the liver
       without a fat plane, which the first searches lose in its region.
    6. Each region is scored by how far it lies from where a kidney lies
       (axial: 75 mm lateral to the vertebra, a little in front of it;
       coronal: 65 mm lateral to the spine's column, give or take 28 mm),
       by its area (a kidney covers about 18 cm^2 of a slice, a pole's tip
       under 1 cm^2), by the share of a 3 mm ring around it
       that is fat (kidneys lie in perirenal fat, muscles against each other)
       and, when its parenchyma is brighter than soft tissue, a bonus
       (enhancement); a region reaching within 15 mm of the skin (liver,
       spleen, colon against the wall) or riddled with holes and bright dots
       (bowel, oral contrast) pays a penalty, and so does a region whose
       medial side runs on into soft tissue within the 30 mm the search
       leaves out beside the spine (over 5-25 % of its outline: the lateral
       part of a psoas, of bowel or of the liver; a kidney has fat and its
       vessels medially). Elongated arcs (abdominal
       wall), regions ringed by bone (marrow) and regions far from any kidney
       position are refused. On each side of the spine the best region, if
       good enough, is a kidney; or a larger region of another search that
       holds it, scores nearly as well and has more fat in its ring (an
       erosion that cut a kidney with a large tumour in pieces).
    7. Holes and notches up to 2 mm wide are filled unless they hold fat
       (a stone or a small cyst inside the kidney; not the sinus fat). The
       pixels of its 2 px rim that lie less than 40 % of the way from fat to
       the kidney's median, and below water, are mostly fat (partial volume,
       and the smoothing blurs a bright kidney outward): they are trimmed.

    Parameters
    ----------
    image : (M, N) ndarray
        uint8 windowed slice (such as the Kaggle JPEGs, whatever their window
        and phase), or a HU map (int16, float32 or float64), axial or coronal.
        Files that store HU clipped to [0, 255] (the KiTS19 PNGs) can be given
        as they are, or on a display window (step 1). Never modified.
    spacing : float or (float, float), optional
        Pixel size in mm (a pair is reduced to its geometric mean). Default:
        estimated from the body's width, as above.

    Returns
    -------
    mask : (M, N) bool ndarray
        Both kidneys (parenchyma and any lesion in it; not the fat of the renal
        sinus). Empty if no kidney-like region is found.

    Raises
    ------
    TypeError
        If ``image`` has an unsupported dtype or ``spacing`` is not a number.
    ValueError
        If ``image`` is not 2-D, is empty or holds NaN/inf, or ``spacing`` is
        not positive or lies outside [0.001, 1000] mm.

    See Also
    --------
    segment_lesion, ctkidney.data.orientation

    Notes
    -----
    Measured on real slices (KiTS19, the Kaggle stone slices, TotalSegmentator)
    and on phantoms in the user guide (:doc:`/guide/segmentation`); the recipe
    uses no ground truth.

    Examples
    --------
    >>> from ctkidney.data import make_phantom
    >>> from ctkidney.segmentation import segment_kidney
    >>> p = make_phantom("Normal", size=256, rng=3)
    >>> mask = segment_kidney(p.image)
    >>> mask.dtype, mask.shape
    (dtype('bool'), (256, 256))
    """
    scene = _scene(image, spacing)
    if scene is None:
        return np.zeros(np.shape(image), bool)
    return _kidney_mask(scene)


def _kidney_mask(s):
    # The kidney search reads bone without the cortex of enhanced kidneys.
    s = replace(s, bone=_search_bone(s))
    rr, cc = np.indices(s.grey.shape)
    # No kidney pixel lies next to the midline nor (axial) far behind the
    # vertebra: what does is psoas or paraspinal muscle joined to the kidney.
    band = np.abs(cc - s.spine[1]) * s.mm < P.min_lateral_extent_mm
    allowed = s.body & ~band & ~morphology.dilation(s.bone, _disk(1))
    if s.plane == "axial":
        allowed &= (rr - s.spine[0]) * s.mm <= P.axial_max_posterior_extent_mm
    # Soft tissue in the band: what a region cut off by the band runs on to.
    midline = band & s.body & ~s.bone & (s.smooth > s.level(P.tissue_steps))
    found = {-1.0: [], 1.0: []}
    step = 0
    searches = [(low, None) for low in P.tissue_levels_steps]
    # An unenhanced kidney (30-35 HU) is darker than the liver, the spleen and
    # muscle (45-65 HU) it may touch along a contact no erosion cuts.
    unenhanced = (P.tissue_steps, P.unenhanced_max_steps)
    if s.plane == "coronal":
        # On a coronal slice its upper pole lies against the liver or spleen.
        searches.append(unenhanced)
    for low, high in searches:
        step = _search(s, _between(s, allowed, low, high), midline, found, step)
    if s.plane == "axial":
        # On an axial slice only where a side found nothing kidney-like, on an
        # unenhanced slice, and only a sure kidney of about the typical size:
        # the search on the darker tissue also finds bowel, fluid and the
        # dependent part of the liver or spleen.
        best = {side: min(options, key=lambda option: option[0])
                for side, options in found.items() if options}
        weak = [side for side in found
                if side not in best or best[side][0] > P.axial_weak_score]
        if weak and not any(_enhanced(s, region) for _, region, _ in best.values()):
            _search(s, _between(s, allowed, *unenhanced), midline, found, step,
                    sides=weak, max_score=P.axial_unenhanced_max_score)
    out = np.zeros(s.grey.shape, bool)
    for options in found.values():
        if options:
            out |= _trim_rim(s, _fill_dense_gaps(s, _whole_kidney(options)))
    return out


def _between(s, allowed, low, high=None):
    """The ``allowed`` tissue above ``low`` and up to ``high`` steps (``None``:
    no upper level), holes filled above 1 step or below ``high``: the cortex of
    an enhanced kidney is a bright ring around its medulla (on an axial slice a
    ring open at the hilum, filled as if closed: ``P.cortex_gap_mm``), and a dark
    kidney rings its sinus and stones."""
    tissue = allowed & (s.smooth > s.level(low))
    if high is not None:
        tissue &= s.smooth <= s.level(high)
    if low > 1.0 and s.plane == "axial":
        closed = morphology.closing(tissue, _disk(s.radius(P.cortex_gap_mm)))
        tissue |= morphology.fill_holes(closed) & ~closed
    if low > 1.0 or high is not None:
        tissue = allowed & morphology.fill_holes(tissue)
    return tissue


def _search(s, tissue, midline, found, step, sides=(-1.0, 1.0), max_score=None):
    """Add each side's best region in ``tissue`` to ``found`` as ``(score + its
    pass's cost, region, fat share of its ring)``, one pass per erosion radius
    from pass ``step`` on; return the next pass's number.

    Only for ``sides``; with ``max_score``, only a region that scores at most
    that (before the pass's cost) with the typical area's spread above the
    typical area too.
    """
    for radius_mm in P.core_radii_mm:
        candidates = _candidates(s, tissue, s.radius(radius_mm), midline, sides=sides,
                                 strict=max_score is not None)
        for side, (score, region, fat) in candidates.items():
            if max_score is None or score <= max_score:
                found[side].append((score + step * P.pass_cost, region, fat))
        step += 1
    return step


def _enhanced(s, region, box=_WHOLE):
    """Whether ``region`` (a mask of the crop ``box`` of the slice) is enhanced
    parenchyma: its 90th percentile lies ``P.enhanced_steps`` above soft tissue."""
    return np.percentile(s.smooth[box][region], 90) > s.level(1.0 + P.enhanced_steps)


def _whole_kidney(options):
    """The region of the best-scoring ``(score, region, fat share of its ring)``
    option, or the largest option that holds it, scores nearly as well and is
    wrapped in more fat.

    An erosion can split a kidney with a large tumour into pieces, and a piece
    near the typical kidney's size outscores the whole; but the piece's ring runs
    through the tumour, where the whole's runs through perirenal fat. A kidney
    joined to the liver or spleen gains no such fat.
    """
    best, region, fat = min(options, key=lambda option: option[0])
    area = np.count_nonzero(region)
    holders = [(np.count_nonzero(other), other) for score, other, other_fat in options
               if score <= best + P.whole_kidney_margin
               and other_fat >= fat + P.whole_kidney_fat_gain
               and np.count_nonzero(other & region) >= P.whole_kidney_share * area]
    # The best region itself first: a holder must be larger to replace it.
    return max([(area, region), *holders], key=lambda holder: holder[0])[1]


def _search_bone(s):
    """The bone the kidney search leaves out: the scene's, less the kidneys'
    own bright parts.

    An enhanced kidney's cortex (140-250 HU) can pass the bone level (a
    window that saturates below bone, a slice with little fat whose levels
    read low, noise on a cortex just under it), in pieces of any size. A
    bone-level component lateral to the spine may be a kidney, and stays in
    the search (the candidates' scores and the bone-ring test judge it), if
    it is of a kidney's size (``P.bone_kidney_min_area_mm2``), or if it lies
    inside a bright region (``P.enhanced_steps`` above soft tissue: enhanced
    parenchyma) of that size and is not saturated (its median on the smoothed
    slice below the scene's ``top``: noise lifts single pixels of a cortex near
    white to saturation; cortical bone saturates on a soft-tissue window). A
    rib is a small bright region of its own, amid muscle and fat, or saturated;
    the vertebra is medial.
    """
    labels, count = morphology.label(s.bone, connectivity=2)
    if count == 0:
        return s.bone
    flat = labels.ravel()
    sizes = np.bincount(flat, minlength=count + 1).astype(np.float64)
    cols = np.bincount(flat, np.indices(s.bone.shape)[1].ravel(), minlength=count + 1)
    lateral = np.abs(cols / np.maximum(sizes, 1) - s.spine[1]) * s.mm >= P.min_lateral_mm
    lateral[0] = False  # the background
    least = P.bone_kidney_min_area_mm2
    kidney_like = lateral & (sizes * s.mm * s.mm >= least)
    pieces = np.flatnonzero(lateral & ~kidney_like)
    if pieces.size:
        bright, n_bright = morphology.label(
            (s.smooth > s.level(1.0 + P.enhanced_steps)) & s.body, connectivity=2)
        bright_mm2 = np.bincount(bright.ravel(), minlength=n_bright + 1) * s.mm * s.mm
        bright_mm2[0] = 0.0
        # Bone is brighter than enhanced parenchyma: each bone component lies in
        # one bright region (none where the window's top caps bone below that level).
        held_mm2 = np.zeros(count + 1)
        inside = flat > 0
        np.maximum.at(held_mm2, flat[inside], bright_mm2[bright.ravel()[inside]])
        pieces = pieces[held_mm2[pieces] >= least]
        if pieces.size:
            kidney_like[pieces] = np.asarray(ndi.median(s.smooth, labels, pieces)) < s.top
    return s.bone & ~kidney_like[labels]


def _cortical_bone(s):
    """Bone read on the slice barely smoothed (a thin cortex, dimmed below the
    bone level by the smoothing, included), gaps up to ``P.bone_gap_mm`` closed."""
    cortex = (_smooth(s.grey, P.stone_sigma_px) >= s.bone_level) & s.body
    return morphology.closing(cortex | s.bone, _disk(s.radius(P.bone_gap_mm)))


def _candidates(s, tissue, radius, midline, sides=(-1.0, 1.0), strict=False):
    """The best kidney-like tissue region on each of the ``sides`` of the spine
    (-1 left of it in the image, 1 right), with its score and the fat share of
    its ring; ``midline`` is the soft tissue the search leaves out beside the
    spine. With ``strict``, a region larger than the typical kidney gets no
    wider spread (no allowance for a tumour)."""
    spine_r, spine_c = s.spine
    labels, count, crop = _regions(s, tissue, radius)
    if count == 0:
        return {}
    flat = labels[crop].ravel()
    areas = np.bincount(flat, minlength=count + 1).astype(np.float64)
    safe = np.maximum(areas, 1)
    rr, cc = np.indices(labels[crop].shape)
    rr += crop[0].start  # the slice's coordinates: the same sums, bit for bit
    cc += crop[1].start
    cy = np.bincount(flat, rr.ravel(), minlength=count + 1) / safe
    cx = np.bincount(flat, cc.ravel(), minlength=count + 1) / safe
    syy = np.bincount(flat, (rr * rr).ravel(), minlength=count + 1) / safe - cy * cy
    sxx = np.bincount(flat, (cc * cc).ravel(), minlength=count + 1) / safe - cx * cx
    sxy = np.bincount(flat, (rr * cc).ravel(), minlength=count + 1) / safe - cx * cy
    spread = np.sqrt(np.maximum((sxx - syy) ** 2 + 4 * sxy * sxy, 0.0))
    major = (sxx + syy + spread) / 2
    minor = np.maximum((sxx + syy - spread) / 2, 1e-9)
    elongation = np.sqrt(np.maximum(major, 0.0) / minor)
    area_mm2 = areas * s.mm * s.mm
    body_rows = np.flatnonzero(s.body.any(axis=1))
    top, body_height = body_rows[0], body_rows[-1] - body_rows[0] + 1
    free, full = P.midline_contact_share
    # Each region is scored on a crop around it (_around its box): nothing the
    # scoring reads lies farther out, so the crop gives what the whole slice would.
    boxes = ndi.find_objects(labels, max_label=count)
    found = {}
    for i in range(1, count + 1):
        if not P.kidney_min_area_mm2 <= area_mm2[i] <= P.kidney_max_area_mm2:
            continue
        if elongation[i] > P.max_elongation:
            continue
        side = 1.0 if cx[i] >= spine_c else -1.0
        if side not in sides:
            continue
        dx = abs(cx[i] - spine_c) * s.mm
        if dx < P.min_lateral_mm:
            continue
        if s.plane == "axial":
            dy = (cy[i] - spine_r) * s.mm
            if dy > P.axial_max_posterior_mm:
                continue
            place = math.hypot((dx - P.axial_lateral_mm) / P.axial_lateral_spread_mm,
                               (dy - P.axial_depth_mm) / P.axial_depth_spread_mm)
        else:
            height = (cy[i] - top) / body_height - P.coronal_height_share
            place = math.hypot((dx - P.coronal_lateral_mm) / P.coronal_lateral_spread_mm,
                               height / P.coronal_height_spread_share)
        if place > P.max_place:
            continue
        size = math.log(area_mm2[i] / P.kidney_area_mm2)
        size /= (P.kidney_log_area_spread if size < 0 or strict
                 else P.kidney_log_area_spread_large)
        score = math.hypot(place, size)
        if score - P.fat_ring_weight - P.enhanced_bonus >= P.max_score:
            continue
        box = _around(s, boxes[i - 1])
        region = labels[box] == i
        ring = _ring(s, region, box)
        # Bone's own marrow (a vertebra, the iliac wing, a femur) is tissue
        # walled in by bone; a kidney never is.
        if ring.any() and np.mean(s.cortex[box][ring]) > P.max_bone_ring_share:
            continue
        fat = _fat_share(s, ring, box)
        score -= P.fat_ring_weight * fat
        filled = morphology.fill_holes(region)
        holes = filled & ~region
        dots = s.bone[box] & morphology.dilation(filled, _disk(1))
        if (_count_blobs(holes, P.hole_min_area_mm2 * s.px * s.px)
                + _count_blobs(dots, 1) >= P.max_holes):
            score += P.holes_penalty
        if s.depth[box][region].min() * s.mm < P.min_skin_distance_mm:
            score += P.skin_penalty
        outline = np.count_nonzero(region & ~morphology.erosion(region, _disk(1)))
        cut = np.count_nonzero(morphology.dilation(region, _disk(1)) & midline[box])
        score += P.midline_contact_penalty * min(1.0, max(cut / max(outline, 1) - free, 0.0)
                                                 / (full - free))
        if _enhanced(s, region, box):
            score -= P.enhanced_bonus
        if score < P.max_score and (side not in found or score < found[side][0]):
            found[side] = (score, labels == i, fat)
    return found


def _regions(s, tissue, radius):
    """``tissue`` split into regions: its cores (eroded by a disc of ``radius``
    pixels, labelled) each take back their tissue by watershed on the negated
    distance to the tissue's edge (bridges split at their necks) plus the density
    edges (kidney against liver or muscle), within ``radius + 1`` of the core.

    Returns the labels (the slice's shape), their count and the crop they were
    found on (None for no tissue): the tissue's bounding box grown by one pixel,
    cut at the slice's edges. That ring of background is all the erosion, the
    distance transform, the watershed and the dilation read beyond the tissue
    (the erosion reads beyond a crop's edge as tissue), so the crop gives what
    the whole slice would, in less time.
    """
    crop = _bounding_box(tissue, margin=1)
    if crop is None:
        return np.zeros(tissue.shape, np.int32), 0, crop
    inside = tissue[crop]
    cores, count = morphology.label(morphology.erosion(inside, _disk(radius)))
    if count == 0:
        return np.zeros(tissue.shape, cores.dtype), 0, crop
    landscape = -distance_transform(inside) * s.mm
    if P.edge_weight_mm:
        landscape = landscape + P.edge_weight_mm * s.edges[crop]
    regions = watershed(landscape, cores, mask=inside)
    near = morphology.dilation(cores > 0, _disk(radius + 1))
    labels = np.zeros(tissue.shape, regions.dtype)
    labels[crop] = np.where(near, regions, 0)
    return labels, count, crop


def _bounding_box(mask, margin):
    """The crop (a tuple of slices) of ``mask``'s True pixels grown by ``margin``
    pixels, cut at the slice's edges; None for an empty mask."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(mask.any(axis=0))
    return (slice(max(rows[0] - margin, 0), rows[-1] + margin + 1),
            slice(max(cols[0] - margin, 0), cols[-1] + margin + 1))


def _around(s, box):
    """The crop ``box`` (a tuple of slices) grown by the fat ring's radius and two
    pixels (one for the one-pixel dilations, one for ``fill_holes``), cut at the
    slice's edges."""
    margin = s.radius(P.fat_ring_mm) + 2
    return tuple(slice(max(b.start - margin, 0), b.stop + margin) for b in box)


def _ring(s, region, box=_WHOLE):
    """The body's pixels within ``fat_ring_mm`` around ``region`` (a mask of the
    crop ``box`` of the slice, at least the ring's radius inside the crop's edges
    that are not the slice's)."""
    return morphology.dilation(region, _disk(s.radius(P.fat_ring_mm))) & ~region & s.body[box]


def _fat_share(s, ring, box=_WHOLE):
    """The share of ``ring`` (a mask of the crop ``box``) that is fat (0 for an
    empty ring)."""
    return float(np.mean(s.smooth[box][ring] < s.level(P.tissue_steps))) if ring.any() else 0.0


def _count_blobs(mask, min_size):
    """How many connected components of ``mask`` hold at least ``min_size`` pixels."""
    labels, count = morphology.label(mask)
    return int(np.count_nonzero(np.bincount(labels.ravel())[1:] >= min_size))


def _fill_dense_gaps(s, kidney):
    """Fill a kidney's holes and narrow notches that are not fat."""
    holes = morphology.fill_holes(kidney) & ~kidney
    closed = morphology.closing(kidney, _disk(s.radius(P.gap_mm)))
    notches = morphology.fill_holes(closed | kidney) & ~kidney & ~holes
    gaps = holes | notches
    labels, count = morphology.label(gaps)
    if count == 0:
        return kidney
    sizes, means = _label_means(labels, count, s.smooth)
    keep = means > s.level(P.tissue_steps)
    keep[0] = False
    return kidney | keep[labels]


def _trim_rim(s, kidney):
    """The kidney without the pixels of its rim (``P.rim_px`` deep) that are
    mostly fat: whose density lies less than ``P.rim_min_share`` of the way from
    fat to the kidney's own median, and below water (``P.water_steps``: a cyst's
    wall at the outline stays). Partial volume and the smoothing blur a bright
    kidney's outline outward into the fat."""
    core = morphology.erosion(kidney, _disk(P.rim_px))
    if not core.any():
        return kidney
    level = s.fat + P.rim_min_share * (float(np.median(s.smooth[core])) - s.fat)
    # Never above water: the wall of a cyst at the kidney's outline stays.
    level = min(level, s.level(P.water_steps))
    return core | (kidney & (s.smooth > level))


def _label_means(labels, count, values):
    """Pixel count and mean of ``values`` of each label 0..count."""
    flat = labels.ravel()
    sizes = np.bincount(flat, minlength=count + 1).astype(np.float64)
    return sizes, np.bincount(flat, values.ravel(), minlength=count + 1) / np.maximum(sizes, 1)


def segment_lesion(image, kind, *, kidney_mask=None, method=None, spacing=None):
    """The lesion of one kind inside the kidneys of a CT slice, as a bool mask.

    The slice is read on its own scale, as in :func:`segment_kidney` (fat and
    soft-tissue levels, pixel size from ``spacing`` or the body's width; a file
    whose fat is clipped to the level of air put back on the abdominal
    window); every
    tunable is in :class:`~ctkidney.segmentation.RecipeParams`.

    - ``'Stone'``: near-saturated compact blobs in or beside the kidney (within
      4 mm of its hull, which holds the renal sinus and pelvis): a peak at least
      1.2 fat-to-soft steps above soft tissue (and at the bone level; in an
      enhanced kidney also 0.3 steps above its parenchyma), standing 0.8
      steps (and three noise standard deviations) above the median of a 6 mm
      ring around it, delineated at half its contrast but at most 20 grey
      levels below its peak (the edge of a stone that saturates the window is
      where the saturation ends) by the chosen family (region growing by
      default); blobs over 450 mm^2 (a round stone 24 mm across) are bone, long
      thin ones or ones that run out of a 16 mm window around the peak (the
      middle of a saturated plateau) are vessels.
    - ``'Cyst'``: the darker of two intensity classes inside the kidney
      (:func:`threshold_otsu` on the kidney's pixels, smoothed by a normalised
      convolution that ignores the fat around it), opened by a 2 mm disc; the
      component with the most darkness (area times depth) is the cyst's core,
      delineated by the chosen family (watershed by default) and replaced by
      the ellipse of its moments.
    - ``'Tumor'``: in an enhanced kidney (its 90th percentile 0.35 steps above
      soft tissue), the darker region, as for a cyst (without the ellipse), if
      its median lies at least 0.5 steps below the rest of the kidney's;
      otherwise, and in an unenhanced kidney, the kidney's thickest round part
      (kept by an opening by an 11 mm disc, cut at its neck), else the darker
      (enhanced) or brighter (unenhanced) region.

    Parameters
    ----------
    image : (M, N) ndarray
        uint8 windowed slice (or a file of HU clipped to [0, 255]) or a HU map,
        axial or coronal. Never modified.
    kind : {'Stone', 'Cyst', 'Tumor'}
        The lesion to find (the class of the slice).
    kidney_mask : (M, N) bool ndarray, optional
        The kidneys; default :func:`segment_kidney` of the image.
    method : {None, 'threshold', 'kmeans', 'region', 'watershed', 'edge'}, optional
        The family that delineates the lesion. Default (None): the best one for
        the kind (region growing for stones, watershed for cysts and tumours).
    spacing : float or (float, float), optional
        Pixel size in mm; default estimated from the body's width (330 mm),
        or its depth (240 mm) where the field of view cuts the flanks.

    Returns
    -------
    mask : (M, N) bool ndarray
        The lesion (all stones for ``'Stone'``). Empty if none is found.

    Raises
    ------
    TypeError
        If ``image`` has an unsupported dtype or ``spacing`` is not a number.
    ValueError
        If ``kind`` or ``method`` is unknown, ``kidney_mask`` has another shape,
        or ``spacing`` is not positive or lies outside [0.001, 1000] mm.

    See Also
    --------
    segment_kidney
    ctkidney.metrics.object_detection : scores stones as objects.

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
    if kidney_mask is not None:
        kidney_mask = check_mask(kidney_mask, "kidney_mask", shape=grey.shape)
    scene = _scene(grey, spacing, windowed=True)
    if scene is None:
        return np.zeros(grey.shape, bool)
    if kidney_mask is None:
        kidney_mask = _kidney_mask(scene)
    if not kidney_mask.any():
        return np.zeros(grey.shape, bool)
    return _LESIONS[kind](scene, kidney_mask, method)


def _stones(s, kidney, method):
    """Near-saturated compact blobs in or beside the kidney (renal sinus included)."""
    grey = s.grey
    fine = _smooth(grey, P.stone_sigma_px)
    hull = morphology.closing(kidney, _disk(s.radius(16.0, 2)))
    hull = morphology.fill_holes(hull)
    zone = morphology.dilation(hull, _disk(s.radius(P.stone_zone_mm)))
    peak_level = min(s.level(1.0 + P.stone_steps), s.top)
    # In an enhanced kidney, vessels of the sinus are as white as stones, and
    # the parenchyma may pass the stone level: a stone also stands above the
    # enhanced parenchyma, or it merges with it into one blob too large for a
    # stone.
    enhanced = _enhanced_parenchyma(s, kidney)
    if enhanced is not None:
        peak_level = max(peak_level, min(enhanced + P.stone_over_cortex_steps * s.step,
                                         s.top))
    # Seeds on the unsmoothed slice: a stone of one or two pixels loses its
    # peak to any smoothing.
    seeds = np.maximum(fine, grey) >= peak_level
    labels, count = morphology.label(seeds, connectivity=2)
    if count == 0:
        return np.zeros(grey.shape, bool)
    noise = _noise_sigma(s, kidney)
    sizes = np.bincount(labels.ravel(), minlength=count + 1)
    max_px = P.stone_max_area_mm2 * s.px * s.px
    # Bright blobs that reach into the zone and are small (not bone).
    touched = np.unique(labels[zone & seeds])
    out = np.zeros(grey.shape, bool)
    ring_outer = s.radius(P.stone_ring_mm, 3)
    near_seeds = morphology.dilation(seeds, _disk(1))
    for i in touched:
        if i == 0 or sizes[i] > max_px:
            continue
        blob = labels == i
        if (blob & ~zone).sum() > 0.5 * sizes[i]:
            continue
        r, c, peak = _plateau_middle(np.where(blob, fine, -np.inf))
        r0, r1 = max(r - ring_outer, 0), min(r + ring_outer + 1, grey.shape[0])
        c0, c1 = max(c - ring_outer, 0), min(c + ring_outer + 1, grey.shape[1])
        patch = fine[r0:r1, c0:c1]
        ring = ~near_seeds[r0:r1, c0:c1]
        base = float(np.median(patch[ring])) if ring.any() else s.soft
        # In a bright (enhanced) kidney little room is left below saturation.
        if peak - base < max(min(P.stone_contrast_steps * s.step,
                                 P.stone_room_share * (255.0 - base)),
                             P.stone_noise_sigmas * noise):
            continue
        level = _stone_level(peak, base)
        # In an enhanced kidney, a vessel that is compact at half its contrast
        # over the ring may still run on at half its contrast over the
        # parenchyma. (Cut at the parenchyma's own level, the blob grew through
        # the brightest parenchyma, and a stone against it read as a tube or
        # not as that level moved by a fraction of a grey level.)
        if _tubular(s, fine, (r, c), 0.5 * (peak + base)) or (
                enhanced is not None and _tubular(s, fine, (r, c), 0.5 * (peak + enhanced))):
            continue
        # Delineated in a window that holds the whole blob, not only the ring
        # around its peak: a large stone reaches past the ring on the side away
        # from its brightest pixel.
        rows, cols = np.nonzero(blob)  # the peak among them
        d0 = max(rows.min() - ring_outer, 0)
        d1 = min(rows.max() + ring_outer + 1, grey.shape[0])
        e0 = max(cols.min() - ring_outer, 0)
        e1 = min(cols.max() + ring_outer + 1, grey.shape[1])
        grown = np.zeros(grey.shape, bool)
        grown[d0:d1, e0:e1] = _delineate_bright(fine[d0:d1, e0:e1], (r - d0, c - e0), level,
                                                base, method)
        if grown.sum() > max_px:
            continue
        out |= grown
    # Many bright dots in one "kidney" are oral contrast in bowel taken for it.
    parts, n_parts = morphology.label(kidney)
    for i in range(1, n_parts + 1):
        part = morphology.dilation(hull & morphology.dilation(parts == i, _disk(
            s.radius(16.0, 2))), _disk(s.radius(P.stone_zone_mm)))
        if _count_blobs(out & part, 1) > P.stone_max_count:
            out &= ~part
    return out


def _noise_sigma(s, kidney):
    """The slice's noise standard deviation read on ``kidney``: the median
    absolute difference between the slice and its smoothing, times 1.4826 (the
    median is little moved by the kidney's edges)."""
    if not kidney.any():
        return 0.0
    residual = np.abs(s.grey[kidney].astype(np.float32) - s.smooth[kidney])
    return 1.4826 * float(np.median(residual))


def _plateau_middle(values):
    """The pixel of ``values``' maximum nearest the middle of the pixels that
    share it, and that maximum: a stone that saturates the window is a plateau,
    and its first pixel in raster order lies on its upper rim."""
    peak = float(values.max())
    rows, cols = np.nonzero(values == peak)
    nearest = int(np.argmin((rows - rows.mean()) ** 2 + (cols - cols.mean()) ** 2))
    return int(rows[nearest]), int(cols[nearest]), peak


def _enhanced_parenchyma(s, kidney):
    """The kidneys' 90th percentile if it lies ``P.phase_enhanced_steps``
    above soft tissue (contrast-enhanced parenchyma), else None."""
    cortex = float(np.percentile(s.smooth[kidney], 90))
    return cortex if cortex >= s.level(1.0 + P.phase_enhanced_steps) else None


def _tubular(s, fine, peak, level):
    """Whether the bright blob at ``peak``, cut at ``level`` (half its
    contrast), is a tube: a vessel in the renal sinus or a rib, not a stone.

    Stones are compact (oval at most); an enhancing vessel or a rib runs on as
    a long thin band: longer than ``P.stone_tube_min_mm`` and more than
    ``P.stone_max_elongation`` times longer than wide (principal axes of the
    blob, read within twice that length of the peak), or leaves that window.
    """
    reach = s.radius(2.0 * P.stone_tube_min_mm, 3)
    r, c = peak
    r0, c0 = max(r - reach, 0), max(c - reach, 0)
    patch = fine[r0:r + reach + 1, c0:c + reach + 1]
    blob = patch >= level
    seed = np.zeros(patch.shape, bool)
    seed[r - r0, c - c0] = True
    blob = morphology.reconstruction(seed & blob, blob)
    rows, cols = np.nonzero(blob)
    if rows.size < 3:
        return False
    # A stone ends; a vessel runs on out of the window (to the aorta or the
    # cava), wherever the slice cuts it.
    if (rows.min() == 0 and r0 > 0) or (cols.min() == 0 and c0 > 0) or (
            rows.max() == patch.shape[0] - 1 and r0 + patch.shape[0] < fine.shape[0]) or (
            cols.max() == patch.shape[1] - 1 and c0 + patch.shape[1] < fine.shape[1]):
        return True
    cov = np.cov(np.vstack([rows, cols]).astype(np.float64)) + np.eye(2) / 12.0
    minor, major = np.linalg.eigvalsh(cov)
    length_mm = 4.0 * math.sqrt(max(major, 0.0)) * s.mm
    return (length_mm > P.stone_tube_min_mm
            and major > P.stone_max_elongation ** 2 * max(minor, 1e-9))


def _stone_level(peak, base):
    """The grey level at which a stone of this peak over this background is cut.

    The edge is at half the stone's contrast, which lies beyond the window for
    all but the faintest stones: then the saturated part is the stone.
    """
    margin = min(P.stone_margin_grey, P.stone_margin_share * (255.0 - base))
    return max(0.5 * (peak + base), min(peak, 255.0) - margin)


def _tumour(s, kidney, method):
    """A tumour: clearly darker than an enhanced kidney, else the kidney's
    thick bulge (a tumour that enhances nearly as the parenchyma does shows by
    its shape, not its density)."""
    enhanced = _enhanced_parenchyma(s, kidney) is not None
    if enhanced:
        dark = _dark_lesion(s.grey, kidney, method, s.px)
        rest = kidney & ~dark
        if dark.any() and rest.any() and (
                np.median(s.smooth[rest]) - np.median(s.smooth[dark])
                >= P.tumour_min_contrast_steps * s.step):
            return dark
    mass = _thick_part(s, kidney)
    if mass is not None:
        return mass
    return dark if enhanced else _dark_lesion(s.grey, kidney, method, s.px, bright=True)


def _thick_part(s, kidney):
    """The kidney's thickest round part (an unenhanced tumour, of nearly the
    parenchyma's density, shows by its shape), or None.

    The opening of the kidney by a disc of ``P.mass_open_mm`` keeps what is
    thick; of its parts, the one holding the kidney's thickest point (the
    centre of its largest inscribed disc) is the mass, cut from the kidney
    at its neck (a watershed on the negated distance to the kidney's edge),
    if it is not most of the kidneys (``P.mass_max_share``).
    """
    opened = morphology.opening(kidney, _disk(s.radius(P.mass_open_mm)))
    if not opened.any():
        return None
    depth = distance_transform(kidney)
    centre = np.unravel_index(int(np.argmax(np.where(opened, depth, -1.0))), kidney.shape)
    parts, _ = morphology.label(kidney)
    own = parts == parts[centre]
    labels, count = morphology.label(opened & own)
    core = labels == labels[centre]
    # The mass reaches to its neck with the rest of the kidney.
    markers = np.zeros(kidney.shape, np.int32)
    thickest = core & (depth >= depth[centre] - 1)
    markers[morphology.erosion(core, _disk(1)) | thickest] = 1
    rest = own & ~morphology.dilation(core, _disk(s.radius(P.mass_open_mm)))
    markers[rest] = 2
    mass = (watershed(-depth, markers, mask=own) == 1)
    if mass.sum() >= P.mass_max_share * kidney.sum():
        return None
    return mass


def _cyst(s, kidney, method):
    """A cyst: the water-density region inside the kidney, as an ellipse."""
    lesion = _dark_lesion(s.grey, kidney, method, s.px)
    if lesion.sum() >= max(5, P.lesion_min_area_mm2 * s.px * s.px):
        cut = int(round(P.cyst_open_mm * s.px))
        opened = morphology.opening(lesion, _disk(cut)) if cut else lesion
        lesion = _moment_ellipse(morphology.keep_largest(opened if opened.sum() >= 5 else lesion))
        lesion &= morphology.dilation(kidney, _disk(s.radius(2.0)))
    return lesion


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
    core = morphology.erosion(kidney, _disk(1))
    if core.sum() < 8:
        return np.zeros(grey.shape, bool)
    values = smooth[core]
    # Two intensity classes inside the kidney: lesion (dark) and parenchyma.
    cut = threshold_otsu(values.reshape(1, -1))
    dark = core & (smooth <= cut)
    dark = morphology.opening(dark, _disk(max(1, int(round(2.0 * px)))))
    if within is not None:
        inner = morphology.erosion(within, _disk(1))
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
    rest = core & ~morphology.dilation(dark, _disk(1))
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
        markers[morphology.erosion(lesion_core, _disk(1))] = 1
        markers[rest] = 2
        markers[~morphology.dilation(kidney, _disk(1))] = 3
        labels = watershed(sobel(smooth), markers)
        return (labels == 1) & kidney
    # edge: closed Canny contours inside the kidney, around the dark core.
    regions = edge_segment(smooth, sigma=1.0, low=0.25 * abs(parenchyma - inside),
                           high=0.5 * abs(parenchyma - inside), closing=1, min_size=4)
    regions &= kidney
    return morphology.reconstruction(lesion_core & regions, regions) | lesion_core


_LESIONS = {"Stone": _stones, "Cyst": _cyst, "Tumor": _tumour}


def recipe_masks(image, *, spacing=None):
    """The slice as the recipes read it, its kidney mask and the mask of each
    lesion kind, the slice read once: the masks of :func:`segment_kidney` and of
    :func:`segment_lesion` for each kind of ``LESION_KINDS`` with that kidney.

    Returns None for a slice with no body (where the recipes find nothing), else
    ``(scene, kidney, lesions)``: the scene (grey levels of fat and soft tissue,
    ``step`` between them, pixel size ``mm``, ``plane``, the slice ``grey`` and its
    ``smooth`` version), the kidney mask and a dict of lesion masks by kind.
    """
    grey = _windowed(image)
    scene = _scene(grey, spacing, windowed=True)
    if scene is None:
        return None
    kidney = _kidney_mask(scene)
    lesions = {kind: (find(scene, kidney, None) if kidney.any()
                      else np.zeros(grey.shape, bool))
               for kind, find in _LESIONS.items()}
    return scene, kidney, lesions
