"""Every tunable of the kidney and lesion recipes, in one place, with its unit.

The recipes read a slice on its own grey scale: they measure, on each slice, the
grey level of fat and of soft tissue (muscle, liver) inside the body, and state
every density as a position on that scale, in *fat-to-soft steps*: 0 is fat, 1 is
soft tissue (on the abdominal window, one step is about 150 HU, from -100 HU to
+50 HU). So a window or a contrast phase that differs from one study to the next
moves the levels with it. Sizes are in millimetres (``_mm``, ``_mm2``), read
through the pixel size (``spacing``, given or estimated from the body's width).
Shares are fractions (``_share``); scores and weights have no unit.
"""

from dataclasses import dataclass

__all__ = ["RECIPE_PARAMS", "RecipeParams"]


@dataclass(frozen=True)
class RecipeParams:
    """Tunables of :func:`~ctkidney.segmentation.segment_kidney` and
    :func:`~ctkidney.segmentation.segment_lesion` (see the module's docstring
    for the units).

    Examples
    --------
    >>> from ctkidney.segmentation import RECIPE_PARAMS
    >>> RECIPE_PARAMS.body_width_mm
    330.0
    """

    # --- scale of the slice -------------------------------------------------
    #: Width of an adult abdomen (flank to flank), from which the pixel size is
    #: estimated when no ``spacing`` is given (adults measure about 280-380 mm).
    body_width_mm: float = 330.0
    #: ... or, on an axial slice whose field of view cuts the flanks (the body
    #: touches the image's side), from its depth, front to back (adults measure
    #: about 200-280 mm; about 0.73 of the width).
    body_depth_mm: float = 240.0
    #: Bounds on an estimated pixel size.
    min_pixel_mm: float = 0.3
    max_pixel_mm: float = 4.0
    #: Smoothing before the densities are read.
    smooth_mm: float = 1.2
    #: The fat and soft-tissue peaks of the body's histogram are at least this
    #: far apart (grey levels; about 60 HU on the abdominal window), and the
    #: smaller holds at least this share of the larger's count ...
    level_gap_grey: float = 40.0
    level_min_peak_share: float = 0.03
    #: ... but a peak above the highest one that holds this many times the
    #: count of the best peak below it makes the highest fat (the one below
    #: is then gas) ...
    level_above_ratio: float = 3.0
    #: ... else fat is this percentile of the body (when it is darker than the
    #: peak by half the gap) ...
    fat_percentile: float = 10.0
    #: ... else soft tissue is taken this far above fat (the abdominal window).
    default_step_grey: float = 95.0
    #: Fat clipped to the level of air (HU stored clipped to [0, 255], as the
    #: KiTS19 PNGs, or a window of such a file): exact zeros fill at least the
    #: first, at most the second share of the body's outline (the non-zero pixels closed over
    #: this share
    #: of the image's shorter side, holes filled) and outnumber the pixels
    #: between the floor and soft tissue (no fat peak there) ...
    clipped_zero_share: float = 0.1
    clipped_max_zero_share: float = 0.6
    clipped_close_share: float = 0.015
    #: ... the floor (one grey level below the body's lowest non-zero level,
    #: this percentile) is where the values were cut, read as this HU (water); the zeros inside the
    #: outline are fat, read as this HU (see ``_unclip`` in the recipes).
    clipped_floor_percentile: float = 0.5
    clipped_floor_hu: float = 0.0
    clipped_top_hu: float = 255.0
    clipped_fat_hu: float = -100.0
    #: ... provided soft tissue (the highest peak) then lies below this HU
    #: (muscle and organs peak at 30-60 HU; a display window that crushes fat
    #: puts it higher on this reading, and is read as it is).
    clipped_max_soft_hu: float = 100.0
    #: ... and the pixels within this many HU above the floor number at most
    #: this share of the zeros (fat's noise never reaches a cut at 0 HU; a
    #: window whose floor lies in fat's noise shows it as dark speckle there).
    clipped_low_hu: float = 8.0
    clipped_max_low_share: float = 0.16
    #: Bone (and stones): at least this many steps above soft tissue, and at
    #: most this grey level (a window that saturates below bone).
    bone_steps: float = 1.3
    bone_max_grey: float = 245.0
    #: ... as far below the slice's own white as that is below 255: a window
    #: whose top maps below 255 saturates at its white, recognised by a plateau
    #: of at least this share of the body's pixels at the body's brightest level.
    white_plateau_share: float = 0.001
    #: Soft tissue (parenchyma, cysts, tumours) lies above this many steps
    #: (about -25 HU: water at 0 HU is in, fat is out).
    tissue_steps: float = 0.5
    #: Water (0 HU: a cyst) lies about this many steps above fat (fat at -100
    #: HU, soft tissue at about 50 HU).
    water_steps: float = 0.67
    #: The kidney search runs on the tissue above each of these levels (steps):
    #: all soft tissue, then only what is brighter than soft tissue by a tenth
    #: of a step, holes filled (an enhanced kidney, its cortex a bright ring
    #: around the medulla, freed from the liver or spleen it touches).
    tissue_levels_steps: tuple = (0.5, 1.1)
    #: Axial slices: that ring is open at the hilum, where the sinus fat and
    #: vessels enter; on the brighter tissue, gaps up to twice this wide are
    #: bridged before its inside is filled, the bridge itself left out (the
    #: kidney is not joined to what it touches). Not on coronal slices, where a
    #: kidney lies against the liver or spleen over a long contact and the
    #: filled ring takes in the fat between them.
    cortex_gap_mm: float = 5.0
    #: Coronal slices: a third search runs on the soft tissue up to this many
    #: steps (about 40 HU: an unenhanced kidney, 30-35 HU, is darker than the
    #: liver, the spleen and muscle, 45-65 HU, that it touches), holes filled.
    unenhanced_max_steps: float = 0.95
    #: Axial slices: that search runs only for a side with no region, or whose
    #: best region scores above this, on a slice where no side's best region is
    #: enhanced parenchyma (``enhanced_steps``) ...
    axial_weak_score: float = 1.0
    #: ... and a region it finds counts only if it scores at most this before
    #: its pass's cost (``pass_cost``), with ``kidney_log_area_spread`` above the
    #: typical area too: a sure kidney of about the typical size, not the
    #: dependent part of the liver or spleen (large) nor bowel or fluid.
    axial_unenhanced_max_score: float = -0.25

    # --- the spine --------------------------------------------------------------
    #: The vertebra lies within this distance of the body's midline.
    spine_midline_mm: float = 45.0
    #: Gaps up to this wide in a thin bone cortex are closed.
    bone_gap_mm: float = 3.0
    #: Smallest vertebral bone component.
    spine_min_area_mm2: float = 150.0

    # --- kidney candidates ------------------------------------------------------
    #: Radii of the erosions that cut the bridges between organs, one search each.
    core_radii_mm: tuple = (3.0, 5.0, 7.5)
    #: The cores take back their tissue by a watershed on the negated distance
    #: to the tissue's edge (mm) plus this many mm per fat-to-soft step per
    #: pixel of density gradient (a kidney against the liver or a muscle).
    edge_weight_mm: float = 10.0
    #: ... the gradient read on the slice smoothed over this.
    edge_smooth_mm: float = 2.0
    #: Area of a kidney in the slice: from the tip of a pole (a disc about
    #: 10 mm across; the score judges a region that small, whose size term
    #: alone nearly refuses it) to a kidney with a large tumour.
    kidney_min_area_mm2: float = 75.0
    kidney_max_area_mm2: float = 9000.0
    #: A bone-level component lateral to the spine at least this large, or one
    #: below saturation in a bright region (enhanced tissue) at least this large,
    #: may be an enhanced kidney's cortex and stays in the kidney search; a rib is
    #: smaller, its bright region too, or it is saturated.
    bone_kidney_min_area_mm2: float = 300.0
    #: Typical kidney area, and the spread of its logarithm.
    kidney_area_mm2: float = 1800.0
    kidney_log_area_spread: float = 0.8
    #: ... wider above the typical area (a kidney with a tumour or cyst).
    kidney_log_area_spread_large: float = 1.2
    #: Axial: the kidney's centre lies about this far lateral to the vertebra's
    #: centre (spread), and this far anterior to it (negative: anterior).
    axial_lateral_mm: float = 75.0
    axial_lateral_spread_mm: float = 22.0
    axial_depth_mm: float = -20.0
    axial_depth_spread_mm: float = 35.0
    #: ... but never more than this far behind it (the paraspinal muscles are).
    axial_max_posterior_mm: float = 25.0
    #: Coronal: the kidney's centre lies this far lateral to the spine's column
    #: (spread: wider than on an axial slice, because the pixel size read off a
    #: coronal body's width is less sure: the plane through the kidneys lies in
    #: the back of the trunk, narrower than flank to flank by a share that varies
    #: with its depth; on real coronal Kaggle slices kidneys read 90-110 mm out).
    coronal_lateral_mm: float = 65.0
    coronal_lateral_spread_mm: float = 28.0
    #: Coronal: ... and at this share of the body's height from its top (a
    #: coronal slice of the trunk runs from the chest to the pelvis), give or take.
    coronal_height_share: float = 0.38
    coronal_height_spread_share: float = 0.2
    #: A candidate farther than this many spreads from where kidneys lie is none.
    max_place: float = 2.0
    #: Axial: no part of a kidney lies farther behind the vertebra's centre than
    #: this (what does is paraspinal muscle joined to it) ...
    axial_max_posterior_extent_mm: float = 55.0
    #: ... nor nearer the midline than this (psoas, vertebra).
    min_lateral_extent_mm: float = 30.0
    #: Never nearer the midline than this.
    min_lateral_mm: float = 25.0
    #: A kidney is a bean, not an arc: largest ratio of the principal axes.
    max_elongation: float = 3.2
    #: A kidney is wrapped in perirenal fat: the share of a ring around a
    #: candidate that is fat lowers its score by this weight times the share.
    fat_ring_mm: float = 3.0
    fat_ring_weight: float = 2.0
    #: ... and a candidate whose ring is bone over more than this share is the
    #: marrow of a bone (vertebra, iliac wing, femur), never a kidney.
    max_bone_ring_share: float = 0.3
    #: A kidney lies deeper than the body wall: a candidate that comes nearer
    #: the skin than this pays the penalty (liver, spleen, colon against the wall).
    min_skin_distance_mm: float = 15.0
    skin_penalty: float = 1.0
    #: Bowel (gas bubbles, faeces) is riddled with holes; a kidney has one or
    #: two (sinus fat): a candidate with at least this many holes pays this.
    max_holes: int = 4
    holes_penalty: float = 1.5
    #: ... counting holes of at least this area (noise specks are smaller);
    #: bright dots (bone level) inside a candidate count as holes too (oral
    #: contrast in bowel; a kidney holds a few stones at most).
    hole_min_area_mm2: float = 5.0
    #: A kidney has fat (and its vessels) on its medial side; a region that the
    #: midline band (``min_lateral_extent_mm``) cuts off from tissue running on
    #: toward the spine is the lateral part of a psoas, of bowel or of the liver.
    #: Penalty: nothing up to the first share of the region's outline against
    #: that tissue, rising to ``midline_contact_penalty`` at the second.
    midline_contact_share: tuple = (0.05, 0.25)
    midline_contact_penalty: float = 1.0
    #: Enhanced parenchyma: a candidate whose 90th percentile lies this many
    #: steps above soft tissue gains a bonus.
    enhanced_steps: float = 0.45
    enhanced_bonus: float = 0.7
    #: A candidate scoring above this is no kidney; each later (coarser) search
    #: pays this much more.
    max_score: float = 2.5
    pass_cost: float = 0.1
    #: Of each side's best region per search, the one scoring best is taken, or
    #: the largest that holds this share of it, scores at most this much worse
    #: and has at least this much more fat in its ring (``fat_ring_mm``): a kidney
    #: with a large tumour, which a search's erosion cut in pieces.
    whole_kidney_share: float = 0.9
    whole_kidney_margin: float = 0.5
    whole_kidney_fat_gain: float = 0.4

    # --- kidney refinement ------------------------------------------------------
    #: Holes and notches up to this wide are filled unless they hold fat.
    gap_mm: float = 2.0
    #: A pixel of the kidney's rim (this many pixels deep: partial volume and
    #: the smoothing) is trimmed when its density lies less than this share of
    #: the way from fat to the kidney's own median (0.5 would be the half-maximum
    #: edge of a blurred step; the KiTS19 outlines lie a little outside it).
    rim_px: int = 2
    rim_min_share: float = 0.4

    # --- stones -----------------------------------------------------------------
    #: Stones are searched within this distance of the kidney (the renal sinus
    #: and pelvis, where most stones lie, are fat).
    stone_zone_mm: float = 4.0
    #: A stone's peak is at least this many steps above soft tissue (and at
    #: least the bone level, capped at ``bone_max_grey``) ...
    stone_steps: float = 1.2
    #: ... and, in an enhanced kidney, at least this many steps above its
    #: parenchyma (the kidney's 90th percentile), short of ``bone_max_grey``.
    stone_over_cortex_steps: float = 0.3
    #: ... and at least this many steps above the median of a ring around it.
    stone_contrast_steps: float = 0.8
    #: ... or this share of the room left between it and saturation (an
    #: enhanced kidney leaves a stone few grey levels).
    stone_room_share: float = 0.6
    #: ... and in any case this many noise standard deviations above it (the
    #: noise read on the kidney: the median absolute difference between the
    #: slice and its ``smooth_mm`` smoothing, times 1.4826), so that a noise peak
    #: in a kidney enhanced near saturation is no stone.
    stone_noise_sigmas: float = 3.0
    #: Ring around a stone's peak on which its background is read.
    stone_ring_mm: float = 6.0
    #: A bright blob (cut at half its contrast) longer than this and more than
    #: this many times longer than wide is a tube (an enhancing vessel in the
    #: renal sinus, a rib), not a stone.
    stone_tube_min_mm: float = 8.0
    stone_max_elongation: float = 2.5
    #: Largest stone area in the slice (bigger bright blobs are bone): a round
    #: stone 24 mm across, the largest the 16 mm tube window (twice
    #: ``stone_tube_min_mm`` from the peak) holds whole. Branched (staghorn)
    #: stones larger than that are not found.
    stone_max_area_mm2: float = 450.0
    #: A kidney (one component of the mask) with more bright blobs than this is
    #: bowel with oral contrast taken for a kidney: none of them is a stone.
    stone_max_count: int = 6
    #: Smoothing (pixels) of the slice a stone is delineated on.
    stone_sigma_px: float = 0.5
    #: The stone's edge: half-way from background to peak, but at most this far
    #: below saturation (grey levels) or this share of the room above the background.
    stone_margin_grey: float = 20.0
    stone_margin_share: float = 0.1

    # --- cysts and tumours ------------------------------------------------------
    #: A cyst's outline is opened by a disc of this radius before its ellipse
    #: is fitted.
    cyst_open_mm: float = 1.3
    #: Smallest lesion kept.
    lesion_min_area_mm2: float = 20.0
    #: Kidneys whose parenchyma (90th percentile) lies this many steps above
    #: soft tissue are enhanced (a tumour is then darker than the parenchyma).
    phase_enhanced_steps: float = 0.35
    #: In an enhanced kidney, the darker region is the tumour only if its
    #: median lies at least this many steps below the rest of the kidney's
    #: (about 75 HU on the abdominal window); a subtler one is the thick
    #: bulge's density, and the tumour is found by its shape.
    tumour_min_contrast_steps: float = 0.5
    #: Unenhanced, a tumour is the kidney's thick round bulge: an opening by a
    #: disc of this radius keeps it, unless it keeps more than this share.
    mass_open_mm: float = 11.0
    mass_max_share: float = 0.8


#: The defaults used by the recipes.
RECIPE_PARAMS = RecipeParams()
