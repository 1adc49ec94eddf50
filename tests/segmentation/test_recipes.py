"""The kidney and lesion recipes: loose sanity checks on phantoms (whose generator
changes), and quality floors on the real development slices (skipped without them)."""

import dataclasses

import numpy as np
import pytest
from scipy import ndimage

from ctkidney.data import body_mask, make_phantom, read_image
from ctkidney.metrics import iou, object_detection
from ctkidney.segmentation import (
    LESION_KINDS,
    RECIPE_PARAMS,
    RecipeParams,
    segment_kidney,
    segment_lesion,
)

# Quality floors on the real development slices, a little under what the
# recipes measure there (benchmarks/real_data.py prints the numbers; the user
# guide has them beside the bar on held-out slices).
# Measured: KiTS19 kidney IoU 0.88 / 0.88 / 0.88 and tumour IoU 0.78 / 0.78 /
# 0.79 given as a HU map / the file as it is / the abdominal window (kidney 0.81,
# tumour 0.72 before a region cut off by the midline band paid a penalty and
# regions down to 75 mm^2 were scored; tumour 0.61 before a subtly darker region
# stopped counting as the tumour); Kaggle
# stones object F1 1.00, IoU 0.72 (0.61 while a large stone was cut at the ring
# around its peak); 41 of every third Normal Kaggle slice (89,
# contrast-enhanced, no stones) get a false stone (38 before the open cortex
# ring of an axial kidney was filled: the right kidneys then found hold
# saturated vessels of the renal sinus, as the left ones did).
KITS_KIDNEY_FLOOR = 0.86
KITS_TUMOUR_FLOOR = 0.75
KITS_CLIPPED_TUMOUR_FLOOR = 0.75
STONE_F1_FLOOR = 0.85
STONE_IOU_FLOOR = 0.68
NORMAL_FALSE_STONE_SHARE_CEILING = 0.5


@pytest.fixture(scope="module")
def phantoms():
    return {kind: [make_phantom(kind, size=256, rng=seed) for seed in (917_000, 917_002)]
            for kind in ("Normal",) + LESION_KINDS}


# On phantom generator 2.0 the recipes (tuned on real CT) find the kidney with a mean
# IoU of 0.61 over 40 slices (benchmarks/real_data.py --phantoms 10; 0.62 over 80)
# and 0.66 over the eight slices of this fixture; the
# issue's bar for another generator (0.90) is not met.
PHANTOM_KIDNEY_MEAN_FLOOR = 0.6


def test_phantom_sanity(phantoms):
    """A kidney comes back, inside the body; lesions lie near it; the input is kept."""
    scores = []
    for kind, group in phantoms.items():
        for p in group:
            before = p.image.copy()
            kidney = segment_kidney(p.image)
            np.testing.assert_array_equal(p.image, before)
            assert kidney.dtype == bool and kidney.shape == p.image.shape
            assert kidney.any(), kind
            assert not (kidney & ~body_mask(p.image)).any()
            scores.append(iou(p.kidney_mask, kidney))
            if kind != "Normal":
                lesion = segment_lesion(p.image, kind, kidney_mask=kidney)
                near = ndimage.binary_dilation(kidney, iterations=10)
                assert not (lesion & ~near).any(), kind
    assert np.mean(scores) > PHANTOM_KIDNEY_MEAN_FLOOR


def test_hu_input_and_spacing(phantoms):
    p = phantoms["Tumor"][0]
    from_hu = segment_kidney(p.hu)
    assert from_hu.dtype == bool and from_hu.shape == p.hu.shape
    assert iou(p.kidney_mask, from_hu) > 0.5
    assert segment_kidney(p.hu.astype(np.int16)).dtype == bool
    assert segment_kidney(p.image, spacing=1.4).any()
    assert segment_kidney(p.image, spacing=(1.4, 1.4)).any()


@pytest.mark.parametrize("method", ["threshold", "kmeans", "region", "watershed", "edge"])
@pytest.mark.parametrize("kind", LESION_KINDS)
def test_every_family(phantoms, kind, method):
    p = phantoms[kind][1]
    before = p.image.copy()
    mask = segment_lesion(p.image, kind, kidney_mask=p.kidney_mask, method=method)
    np.testing.assert_array_equal(p.image, before)
    assert mask.dtype == bool and mask.shape == p.image.shape


def _test_scene(grey, body=None, plane="axial", spine=(100.0, 64.0)):
    """The scene the recipes read off ``grey`` (uint8), given instead of
    measured: 1 mm pixels, fat at grey 60, soft tissue at 120, no bone, no
    edges, unsmoothed."""
    from ctkidney.segmentation._recipes import _Scene
    from ctkidney.segmentation._watershed import distance_transform

    body = np.ones(grey.shape, bool) if body is None else body
    scene = _Scene(grey, grey.astype(np.float32), body, plane, 1.0, 60.0, 120.0, 60.0,
                   np.zeros(grey.shape, bool), spine)
    scene.depth = distance_transform(body)
    scene.edges = np.zeros(grey.shape, np.float32)
    scene.cortex = np.zeros(grey.shape, bool)
    return scene


@pytest.mark.parametrize("centre", [(100, 100), (6, 100), (100, 193), (3, 196)])
def test_candidate_helpers_on_a_crop_give_what_the_whole_slice_gives(centre):
    """The kidney search scores each region on the crop ``_around`` its box: the
    crop holds the whole fat ring, and the ring, its fat share, the bone in it
    and the enhancement test read there what they read on the whole slice, for
    a region in the middle and for one at an edge or a corner of the slice."""
    from ctkidney.segmentation._recipes import _around, _enhanced, _fat_share, _ring

    rng = np.random.default_rng(0)
    grey = rng.integers(40, 200, (200, 200)).astype(np.uint8)
    body = np.ones(grey.shape, bool)
    body[:, :4] = False
    scene = _test_scene(grey, body=body)
    scene.cortex = rng.random(grey.shape) < 0.2
    rr, cc = np.indices(grey.shape)
    region = ((rr - centre[0]) / 12.0) ** 2 + ((cc - centre[1]) / 7.0) ** 2 <= 1
    rows, cols = np.nonzero(region)
    box = _around(scene, (slice(rows.min(), rows.max() + 1), slice(cols.min(), cols.max() + 1)))
    whole_ring, crop_ring = _ring(scene, region), _ring(scene, region[box], box)
    assert whole_ring.any()
    outside = whole_ring.copy()
    outside[box] = False
    assert not outside.any()  # the crop holds the whole ring
    np.testing.assert_array_equal(whole_ring[box], crop_ring)
    assert _fat_share(scene, crop_ring, box) == _fat_share(scene, whole_ring)
    assert np.mean(scene.cortex[box][crop_ring]) == np.mean(scene.cortex[whole_ring])
    dim = _test_scene(grey // 2, body=body)
    assert _enhanced(scene, region[box], box) and _enhanced(scene, region)
    assert not _enhanced(dim, region[box], box) and not _enhanced(dim, region)


@pytest.mark.parametrize("seed", range(6))
def test_regions_on_the_tissue_box_are_those_of_the_whole_slice(seed):
    """The kidney search splits the tissue into regions on the tissue's bounding
    box grown by one pixel: the erosion, the distance transform, the watershed and
    the dilation give there what they give on the whole slice (written out here),
    for tissue in the middle, against an edge of the slice and in its corners."""
    from ctkidney.morphology import dilation, disk, erosion, label
    from ctkidney.segmentation import distance_transform, watershed
    from ctkidney.segmentation._recipes import P, _regions

    rng = np.random.default_rng(seed)
    rr, cc = np.indices((120, 150))
    tissue = np.zeros(rr.shape, bool)
    for _ in range(5):  # overlapping ellipses: organs joined by necks
        r, c = rng.integers(-10, 130), rng.integers(-10, 160)
        tissue |= ((rr - r) / rng.uniform(6, 25)) ** 2 + ((cc - c) / rng.uniform(6, 25)) ** 2 <= 1
    scene = _test_scene(rng.integers(40, 200, rr.shape).astype(np.uint8))
    scene.edges = rng.random(rr.shape).astype(np.float32)
    for radius in (1, 3, 5):
        labels, count, crop = _regions(scene, tissue, radius)
        cores, n = label(erosion(tissue, disk(radius)))
        assert count == n
        if n == 0:
            assert not labels.any()
            continue
        landscape = -distance_transform(tissue) * scene.mm + P.edge_weight_mm * scene.edges
        near = dilation(cores > 0, disk(radius + 1))
        expected = np.where(near, watershed(landscape, cores, mask=tissue), 0)
        np.testing.assert_array_equal(labels, expected)
        outside = np.ones(rr.shape, bool)
        outside[crop] = False
        assert not (tissue & outside).any()  # the crop holds all the tissue
    empty = _regions(scene, np.zeros(rr.shape, bool), 3)
    assert empty[1] == 0 and empty[2] is None and not empty[0].any()
    # A strip two pixels wide has no core at radius 1: the crop's ring of
    # background erodes it as the whole slice does (a crop cut at the strip's
    # own box would read its border as tissue, and keep a core).
    strip = (rr >= 50) & (rr <= 51) & (cc >= 20) & (cc <= 100)
    assert _regions(scene, strip, 1)[1] == label(erosion(strip, disk(1)))[1] == 0


def test_recipe_footprints_are_built_once_and_read_only():
    from ctkidney.morphology import disk
    from ctkidney.segmentation._recipes import _disk

    assert _disk(4) is _disk(4)
    np.testing.assert_array_equal(_disk(4), disk(4))
    with pytest.raises(ValueError):
        _disk(4)[0, 0] = True


def test_enhanced_cortex_at_bone_level_stays_in_the_kidney_search():
    """Pieces of an enhanced kidney's cortex that pass the bone level (grey 215
    in a kidney of 190; fat 60, soft tissue 120, bone from 198) stay in the
    kidney search, however small; a rib of the same grey amid fat, a saturated
    bone inside a large bright region and the spine stay out (before, any
    bone-level piece under 300 mm^2 was cut out of the kidney: 1.x phantom
    generator's kidney IoU 0.870 / 0.866 -> 0.878 / 0.888)."""
    from ctkidney.segmentation._recipes import _search_bone

    rr, cc = np.indices((200, 200))
    grey = np.full((200, 200), 60, np.uint8)
    kidney = ((rr - 100) / 30.0) ** 2 + ((cc - 165) / 15.0) ** 2 <= 1
    liver = ((rr - 100) / 30.0) ** 2 + ((cc - 35) / 20.0) ** 2 <= 1
    grey[kidney | liver] = 190
    cortex = np.zeros(grey.shape, bool)
    for r, c in ((78, 160), (100, 176), (122, 162)):
        cortex[r - 1:r + 2, c - 1:c + 2] = True
    rib = (rr - 20) ** 2 + (cc - 160) ** 2 <= 16
    saturated = (np.abs(rr - 100) <= 2) & (np.abs(cc - 35) <= 2)
    spine = (rr - 100) ** 2 + (cc - 100) ** 2 <= 144
    grey[cortex | rib] = 215
    grey[saturated | spine] = 255
    scene = _test_scene(grey, spine=(100.0, 100.0))
    scene.bone = grey >= scene.bone_level
    assert scene.bone_level == 198.0 and scene.bone[cortex | rib | saturated | spine].all()
    bone = _search_bone(scene)
    assert not bone[cortex].any()
    assert bone[rib].all() and bone[saturated].all() and bone[spine].all()


def test_whole_kidney_with_a_large_tumour_beats_its_piece():
    """A search's erosion cuts a kidney with a large tumour in pieces, and the
    piece near the typical kidney's size outscores the whole. The whole is taken
    when it scores nearly as well and is wrapped in fat where the piece's ring
    runs through the tumour; not when it scores much worse, nor when what it adds
    is an organ against the kidney with no fat between them (the liver), nor
    when it does not hold the piece (before, the best-scoring piece was always
    taken: KiTS19 slices rotated by -8 degrees, kidney IoU 0.817 -> 0.844)."""
    from ctkidney.segmentation._recipes import _fat_share, _ring, _whole_kidney

    rr, cc = np.indices((200, 200))
    grey = np.full((200, 200), 60, np.uint8)
    kidney = ((rr - 100) / 30.0) ** 2 + ((cc - 140) / 15.0) ** 2 <= 1
    tumour = (rr - 100) ** 2 + (cc - 160) ** 2 <= 30 ** 2
    liver = (np.abs(rr - 100) <= 45) & (cc < 124)
    grey[kidney | tumour | liver] = 150
    grey[(cc < 124) & ~liver] = 120  # the body wall and other organs around the liver
    scene = _test_scene(grey, spine=(100.0, 100.0))
    piece = kidney & (cc < 145)
    whole = kidney | tumour
    merged = piece | liver

    def option(score, region):  # as the kidney search gives it
        return score, region, _fat_share(scene, _ring(scene, region))

    assert _whole_kidney([option(0.0, piece), option(0.3, whole)]) is whole
    assert _whole_kidney([option(0.0, piece), option(0.9, whole)]) is piece
    assert _whole_kidney([option(0.0, piece), option(0.1, merged)]) is piece
    assert _whole_kidney([option(0.0, piece), option(0.1, tumour)]) is piece
    assert _whole_kidney([option(0.2, piece)]) is piece


def test_coronal_unenhanced_kidney_against_the_liver(monkeypatch):
    """On a coronal slice an unenhanced kidney (grey 112: 0.87 fat-to-soft
    steps) lies against the liver (127) along its upper pole, a contact no
    erosion cuts; the search on the tissue darker than 0.95 steps frees it.
    Without that search the kidney is lost in the liver's region (before: on the
    coronal Kaggle Stone development slices a stone was found on 0.50, now 0.60)."""
    from dataclasses import replace

    from ctkidney.segmentation import _recipes

    rr, cc = np.indices((300, 220))
    grey = np.full(rr.shape, 60, np.uint8)
    liver = ((rr - 40) / 60.0) ** 2 + ((cc - 60) / 55.0) ** 2 <= 1
    kidney = (((rr - 125) / 55.0) ** 2 + ((cc - 45) / 25.0) ** 2 <= 1) & ~liver
    other = ((rr - 120) / 55.0) ** 2 + ((cc - 175) / 25.0) ** 2 <= 1
    grey[liver] = 127
    grey[kidney | other] = 112
    grey += np.random.default_rng(0).integers(0, 3, grey.shape).astype(np.uint8)
    scene = _test_scene(grey, body=(cc >= 5) & (cc < 215), plane="coronal",
                        spine=(None, 110.0))
    scene.smooth = _recipes._smooth(grey, 1.0)
    found = _recipes._kidney_mask(scene)
    assert iou(kidney, found & (cc < 110)) >= 0.9
    assert iou(other, found & (cc >= 110)) >= 0.9
    monkeypatch.setattr(_recipes, "P", replace(_recipes.P, unenhanced_max_steps=-1.0))
    assert iou(kidney, _recipes._kidney_mask(scene) & (cc < 110)) < 0.5


def test_axial_unenhanced_kidney_joined_to_the_liver(monkeypatch):
    """On an axial slice an unenhanced kidney (grey 112: 0.87 fat-to-soft
    steps) joined to the liver (140) along a wide contact is lost in the
    liver's region (which scores 1.22: weak); the search on the tissue up to
    0.95 steps, run for that side only, frees it (raw score -1.4, a sure
    kidney). It does not run where the other side's kidney is enhanced (grey
    200), nor when the side's best is not weak, and what it finds counts only
    below ``axial_unenhanced_max_score`` (on the 1.x phantom generator, set 1:
    kidney IoU 0.899 -> 0.910, cyst IoU 0.664 -> 0.741; TotalSegmentator 0.735
    -> 0.786)."""
    from dataclasses import replace

    from ctkidney.segmentation import _recipes

    rr, cc = np.indices((220, 240))
    kidney = ((rr - 100) / 28.0) ** 2 + ((cc - 45) / 18.0) ** 2 <= 1
    liver = (((rr - 30) / 50.0) ** 2 + ((cc - 45) / 48.0) ** 2 <= 1) & ~kidney
    other = ((rr - 100) / 28.0) ** 2 + ((cc - 195) / 18.0) ** 2 <= 1
    body = (rr >= 2) & (rr < 218) & (cc >= 2) & (cc < 238)

    def found(other_grey):
        grey = np.full(rr.shape, 60, np.uint8)
        grey[liver] = 140
        grey[kidney] = 112
        grey[other] = other_grey
        grey += np.random.default_rng(0).integers(0, 3, grey.shape).astype(np.uint8)
        scene = _test_scene(grey, body=body, spine=(120.0, 120.0))
        scene.smooth = _recipes._smooth(grey, 1.0)
        mask = _recipes._kidney_mask(scene)
        return iou(kidney, mask & (cc < 120)), iou(other, mask & (cc >= 120))

    assert min(found(112)) >= 0.9
    assert found(200)[0] < 0.5  # an enhanced slice: no unenhanced kidney
    assert found(200)[1] >= 0.9
    for change in ({"axial_unenhanced_max_score": -np.inf}, {"axial_weak_score": 1.5}):
        monkeypatch.setattr(_recipes, "P", replace(_recipes.P, **change))
        assert found(112)[0] < 0.5


def test_axial_enhanced_cortex_open_at_the_hilum_is_filled(monkeypatch):
    """On an axial slice an enhanced kidney's cortex (grey 200) is a ring open at
    the hilum around a medulla darker than the enhanced level (118; fat 60, soft
    tissue 120). Against the liver (122) the all-tissue search loses the kidney
    in the liver's region, and on the enhanced tissue the open ring is not
    filled: only the ring was found (IoU 0.51). Its opening is bridged
    (``cortex_gap_mm``) to fill its inside, the bridge left out, and the liver
    is not joined (before: on the Kaggle development slices the right kidney of
    about 20 enhanced axial Normal slices was missed, or a strip of the liver or
    a wedge of the back muscles taken instead)."""
    from dataclasses import replace

    from ctkidney.segmentation import _recipes

    rr, cc = np.indices((220, 240))

    def ring_kidney(cy, cx, medial):
        outer = ((rr - cy) / 28.0) ** 2 + ((cc - cx) / 18.0) ** 2 <= 1
        inner = ((rr - cy) / 22.0) ** 2 + ((cc - cx) / 12.0) ** 2 <= 1
        hilum = (np.abs(rr - cy) <= 3) & ((cc - cx) * medial > 0)  # 7 px wide
        return outer, outer & ~inner & ~hilum, inner & ~hilum

    kidney, cortex, medulla = ring_kidney(100, 45, 1)
    other, other_cortex, other_medulla = ring_kidney(100, 195, -1)
    liver = (((rr - 30) / 50.0) ** 2 + ((cc - 45) / 48.0) ** 2 <= 1) & ~kidney
    grey = np.full(rr.shape, 60, np.uint8)
    grey[liver] = 122
    grey[medulla | other_medulla] = 118
    grey[cortex | other_cortex] = 200
    grey += np.random.default_rng(0).integers(0, 3, grey.shape).astype(np.uint8)
    body = (rr >= 2) & (rr < 218) & (cc >= 2) & (cc < 238)
    scene = _test_scene(grey, body=body, spine=(120.0, 120.0))
    scene.smooth = _recipes._smooth(grey, 1.0)

    def found():
        mask = _recipes._kidney_mask(scene)
        return iou(kidney, mask & (cc < 120)), iou(other, mask & (cc >= 120))

    right, left = found()
    assert right >= 0.9 and left >= 0.85
    monkeypatch.setattr(_recipes, "P", replace(_recipes.P, cortex_gap_mm=0.5))
    right, left = found()  # a 2 px bridge does not close the 7 px opening
    assert right < 0.6 and left >= 0.85


def test_trim_rim_of_partial_volume_but_not_a_cyst_wall(monkeypatch):
    """The outline of an enhanced kidney (grey 200; fat 60, soft tissue 120)
    blurred by 1.5 px reaches out into the fat at the search's level (half a
    step): the rim pixels that are mostly fat are trimmed (IoU 0.902 -> 0.919;
    the 1.x phantom generator's kidney IoU 0.878 / 0.888 -> 0.899 / 0.914), never
    growing the mask, while the wall of a cyst (grey 110, near water) at the
    outline stays. A level above water would trim it."""
    from dataclasses import replace

    from scipy import ndimage as ndi

    from ctkidney.segmentation import _recipes

    rr, cc = np.indices((100, 100))
    kidney = (rr - 50) ** 2 + (cc - 50) ** 2 <= 20 ** 2
    cyst = (rr - 50) ** 2 + (cc - 68) ** 2 <= 7 ** 2
    grey = np.full((100, 100), 60.0)
    grey[kidney] = 200.0
    grey[cyst] = 110.0
    scene = _test_scene(grey.astype(np.uint8))
    scene.smooth = ndi.gaussian_filter(grey, 1.5).astype(np.float32)
    found = scene.smooth > scene.level(0.5)
    trimmed = _recipes._trim_rim(scene, found)
    assert (trimmed <= found).all()
    assert iou(kidney | cyst, trimmed) >= iou(kidney | cyst, found) + 0.01
    assert np.count_nonzero(trimmed & cyst) >= 0.88 * np.count_nonzero(found & cyst)
    monkeypatch.setattr(_recipes, "P", replace(_recipes.P, water_steps=9.0))
    trimmed = _recipes._trim_rim(scene, found)
    assert np.count_nonzero(trimmed & cyst) < 0.85 * np.count_nonzero(found & cyst)


def _tumour_scene(bulge_grey):
    """An enhanced kidney (grey 200; fat 60, soft tissue 120, 1 mm pixels): a
    thin bean with a round 20 mm mass bulging from its upper part, of grey
    ``bulge_grey``."""
    rr, cc = np.indices((128, 128))
    bean = ((rr - 64) / 40.0) ** 2 + ((cc - 50) / 9.0) ** 2 <= 1
    mass = ((rr - 40) ** 2 + (cc - 72) ** 2 <= 20 ** 2) & ~bean
    grey = np.full((128, 128), 60.0)
    grey[bean | mass] = 200.0
    grey[mass] = bulge_grey
    grey += np.random.default_rng(0).normal(0, 3, grey.shape)
    grey = np.clip(np.rint(grey), 0, 255).astype(np.uint8)
    return _test_scene(grey), bean | mass, mass


@pytest.mark.parametrize("bulge_grey, floor", [(200, 0.6), (100, 0.9)])
def test_tumour_by_density_or_shape(bulge_grey, floor):
    """In an enhanced kidney, a tumour clearly darker than the parenchyma (1.7
    fat-to-soft steps) is found by its density; one that enhances as the
    parenchyma does by its shape, the kidney's thick round bulge (before, the
    darker half of the noise was returned: IoU 0.04)."""
    from ctkidney.segmentation._recipes import _tumour

    scene, kidney, mass = _tumour_scene(bulge_grey)
    assert iou(mass, _tumour(scene, kidney, None)) >= floor


def test_stone_in_enhanced_parenchyma():
    """A 3x3 px stone (grey 255) in the parenchyma of an enhanced kidney (grey
    200, above the stone level of 192 on this scale) is found on its own: its
    seed must stand above the parenchyma, or both merge into one blob too large
    for a stone (the old rule found nothing)."""
    from ctkidney.segmentation._recipes import _stones

    rr, cc = np.indices((128, 128))
    ellipse = ((rr - 64) / 30.0) ** 2 + ((cc - 64) / 18.0) ** 2
    kidney = (ellipse <= 1) & (ellipse > 0.3)
    stone = (np.abs(rr - 64) <= 1) & (np.abs(cc - 77) <= 1)
    grey = np.where(kidney, 200.0, 60.0) + np.random.default_rng(0).normal(0, 3, kidney.shape)
    grey = np.where(stone, 255, np.clip(np.rint(grey), 0, 255)).astype(np.uint8)
    found = _stones(_test_scene(grey), kidney, None)
    assert object_detection(stone, found).f1 == 1.0
    assert found.sum() <= 4 * stone.sum()


def test_large_stone_is_not_cut_at_the_ring_around_its_peak():
    """A 14 mm by 10 mm stone (1 mm pixels, near saturation) whose brightest
    pixel lies near one end comes back whole: the ring that samples the background reaches
    only ``stone_ring_mm`` (6 mm) from the peak, and the stone was cut there
    along straight lines (before: IoU 0.51 here; 0.61 on the real pseudo-masks,
    whose large stones were cut so, against 0.72 now). Its one-pixel rim,
    blurred below the cut, is lost either way."""
    from ctkidney.segmentation._recipes import _stones

    rr, cc = np.indices((128, 128))
    ellipse = ((rr - 64) / 30.0) ** 2 + ((cc - 64) / 18.0) ** 2
    kidney = ellipse <= 1
    stone = ((rr - 64) / 7.0) ** 2 + ((cc - 64) / 5.0) ** 2 <= 1
    grey = np.where(kidney, 120.0, 60.0) + np.random.default_rng(0).normal(0, 2, kidney.shape)
    grey = np.where(stone, 250.0, grey)
    grey[58, 64] = 255.0  # the peak, near one end of the stone
    grey = np.clip(np.rint(grey), 0, 255).astype(np.uint8)
    found = _stones(_test_scene(grey), kidney, None)
    assert object_detection(stone, found).f1 == 1.0
    assert iou(stone, found) >= 0.7


@pytest.mark.parametrize("diameter, found", [(8, True), (20, True), (24, True), (30, False)])
def test_saturated_stone_up_to_24_mm_is_found_whole(diameter, found):
    """A stone that saturates the window (a plateau of 255 in a kidney of grey
    120; 1 mm pixels) is found whole up to 24 mm across, and a larger bright
    blob is bone. Before, a stone over 150 mm^2 was bone, and the peak of a
    plateau was its first pixel in raster order, on its upper rim: the 16 mm
    window of the tube test, centred there, did not hold a stone over 16 mm
    tall, which then "ran on" like a vessel."""
    from ctkidney.segmentation._recipes import _stones

    rr, cc = np.indices((160, 160))
    kidney = ((rr - 80) / 45.0) ** 2 + ((cc - 80) / 30.0) ** 2 <= 1
    stone = (rr - 80) ** 2 + (cc - 80) ** 2 <= (diameter / 2) ** 2
    grey = np.where(kidney, 120.0, 60.0) + np.random.default_rng(1).normal(0, 2, kidney.shape)
    grey = np.where(stone, 255, np.clip(np.rint(grey), 0, 255)).astype(np.uint8)
    result = _stones(_test_scene(grey), kidney, None)
    if found:
        assert object_detection(stone, result).f1 == 1.0
        assert iou(stone, result) >= 0.7
    else:
        assert not result.any()


@pytest.mark.parametrize("kind", ["stone", "vessel"])
def test_stone_beside_parenchyma_at_its_brightest(kind):
    """In an enhanced kidney (grey 195, a tenth of its pixels at 215: its 90th
    percentile) a 3x3 px stone (grey 255) against a 3 px thread of parenchyma
    at 220 running 48 mm is a stone; a vessel (the thread at 255) is not.
    Before, the tube test also cut the blob at the parenchyma's 90th
    percentile, where the stone ran on along the thread (a stone against the
    brightest parenchyma was found or not as that level moved by half a grey
    level: 1.x phantom generator's stone F1 0.815 -> 0.905 with the fix)."""
    from ctkidney.segmentation._recipes import _stones

    rr, cc = np.indices((128, 128))
    ellipse = ((rr - 64) / 30.0) ** 2 + ((cc - 64) / 24.0) ** 2
    kidney = (ellipse <= 1) & (ellipse > 0.2)
    scatter = kidney & ((rr * 7 + cc * 13) % 10 == 0)
    thread = kidney & (np.abs(cc - 83) <= 1) & (rr >= 40) & (rr <= 88)
    stone = (np.abs(rr - 64) <= 1) & (np.abs(cc - 80) <= 1)
    grey = np.where(kidney, np.where(thread, 220.0, np.where(scatter, 215.0, 195.0)), 60.0)
    grey[thread if kind == "vessel" else stone] = 255.0
    found = _stones(_test_scene(grey.astype(np.uint8)), kidney, None)
    if kind == "stone":
        assert object_detection(stone, found).f1 == 1.0
    else:
        assert not found.any()


@pytest.mark.parametrize("seed", range(8))
def test_noise_in_a_kidney_enhanced_near_saturation_is_no_stone(seed):
    """An enhanced kidney of grey 220 with noise of sd 9 (a window that leaves
    it little room below white) holds one 3x3 px stone (grey 255): that stone
    is found, and the noise peaks are not (before, a peak 60 % of the way to
    white passed, whatever the noise: 1.x phantom generator's stone F1 0.905 / 0.783
    -> 0.923 / 0.873)."""
    from ctkidney.segmentation._recipes import _smooth, _stones

    rr, cc = np.indices((128, 128))
    ellipse = ((rr - 64) / 30.0) ** 2 + ((cc - 64) / 18.0) ** 2
    kidney = (ellipse <= 1) & (ellipse > 0.3)
    stone = (np.abs(rr - 64) <= 1) & (np.abs(cc - 77) <= 1)
    noise = np.random.default_rng(seed).normal(0, 9, kidney.shape)
    grey = np.where(kidney, 220.0 + noise, 60.0 + noise / 3)
    grey = np.where(stone, 255, np.clip(np.rint(grey), 0, 255)).astype(np.uint8)
    scene = _test_scene(grey)
    scene.smooth = _smooth(grey, RECIPE_PARAMS.smooth_mm)  # 1 mm pixels
    found = _stones(scene, kidney, None)
    detection = object_detection(stone, found)
    assert detection.recall == 1.0 and detection.precision == 1.0


def _flat_scene(body, tissue, plane, spine):
    """A scene of 1 mm pixels: fat (grey 60) in ``body``, soft tissue (120) in
    ``tissue``, no bone, no edges."""
    grey = np.where(body, np.where(tissue, 120, 60), 0).astype(np.uint8)
    return _test_scene(grey, body, plane, spine)


def test_coronal_kidney_far_from_the_spine_is_a_candidate():
    """On a coronal slice a kidney whose centre reads 110 mm beside the
    spine's column (the pixel size from a coronal body's width is less sure:
    real Kaggle coronal kidneys read 90-110 mm out) is still a candidate; one
    reading 160 mm out is not (before, the prior's spread of 18 mm refused
    everything beyond 101 mm)."""
    from ctkidney.segmentation._recipes import _candidates

    rr, cc = np.indices((320, 300))
    body = np.abs(cc - 150) <= 140
    none = np.zeros(body.shape, bool)
    # The body runs from row 0: at 38 % of its height lies row 122.
    for dx, found in ((110, True), (160, False)):
        kidney = ((rr - 122) / 40.0) ** 2 + ((cc - 150 - dx) / 18.0) ** 2 <= 1
        scene = _flat_scene(body, kidney, "coronal", (None, 150.0))
        assert (1.0 in _candidates(scene, kidney & body, 3, none)) is found, dx


def test_region_cut_off_by_the_midline_band_pays():
    """A kidney-sized region whose medial side runs on into soft tissue inside
    the midline band (the lateral part of a psoas, as the band cuts it) scores
    worse than the same region with fat there; the penalty rises with the share
    of the outline against that tissue (before, both scored alike, and a psoas
    was taken for the lower pole of a kidney: KiTS19 slice 318)."""
    from ctkidney.segmentation._recipes import _candidates

    rr, cc = np.indices((256, 256))
    body = ((rr - 128) / 120.0) ** 2 + ((cc - 128) / 126.0) ** 2 <= 1
    # 1 mm pixels, the spine at (140, 128): the band is |column - 128| < 30.
    # A half ellipse whose flat side lies on the band's edge.
    region = (((rr - 125) / 30.0) ** 2 + ((cc - 158) / 40.0) ** 2 <= 1) & (cc >= 158)
    beside = (np.abs(rr - 125) <= 26) & (cc >= 140) & (cc < 158)
    scene = _flat_scene(body, region | beside, "axial", (140.0, 128.0))
    free = _candidates(scene, region, 3, np.zeros(body.shape, bool))
    half = _candidates(scene, region, 3, beside & (rr < 125))
    cut = _candidates(scene, region, 3, beside)
    assert set(free) == set(half) == set(cut) == {1.0}
    np.testing.assert_array_equal(free[1.0][1], cut[1.0][1])
    assert free[1.0][0] < half[1.0][0] < cut[1.0][0]
    assert cut[1.0][0] - free[1.0][0] <= RECIPE_PARAMS.midline_contact_penalty + 1e-9


@pytest.mark.parametrize("seed", [917_000, 4, 5])
def test_pixel_size_where_the_field_of_view_cuts_the_flanks(seed):
    """An axial phantom whose flanks are cut off (15 % of the body's width on
    each side) gets about the pixel size of the whole slice, from the body's
    depth (the width seen would make it 1.4 times too large)."""
    from ctkidney.segmentation._recipes import _scene

    image = make_phantom("Normal", size=256, rng=seed).image
    whole = _scene(image, None)
    assert whole.plane == "axial"
    cols = np.flatnonzero(body_mask(image).any(axis=0))
    cut = int(0.15 * (cols[-1] - cols[0] + 1))
    cropped = _scene(image[:, cols[0] + cut: cols[-1] + 1 - cut], None)
    assert abs(cropped.mm / whole.mm - 1) < 0.15


@pytest.mark.parametrize("seed", [1, 4, 7, 14])
def test_stones_under_a_window_whose_white_is_below_255(seed):
    """A window whose top maps to grey 230 (bone, contrast and stones all
    saturate there) finds the stones it finds at 255 (the old fixed cap at
    245 missed them all)."""
    p = make_phantom("Stone", size=256, rng=seed)
    dim = np.round(p.image.astype(np.float32) * (230 / 255)).astype(np.uint8)
    for image in (p.image, dim):
        found = segment_lesion(image, "Stone", kidney_mask=p.kidney_mask)
        assert object_detection(p.lesion_mask, found).f1 == 1.0


def test_white_is_a_plateau():
    from ctkidney.segmentation._recipes import _white

    body = np.ones((100, 100), bool)
    grey = np.full((100, 100), 120, np.uint8)
    grey[:5, :5] = 230          # 25 saturated pixels: the window's white
    assert _white(grey, body) == 230.0
    grey[:5, :5] = 120
    grey[50, 50] = 230          # one bright pixel is no white
    assert _white(grey, body) == 255.0


def test_no_body_no_kidney():
    assert not segment_kidney(np.zeros((64, 64), np.uint8)).any()
    assert not segment_lesion(np.zeros((64, 64), np.uint8), "Stone").any()
    assert not segment_kidney(np.full((64, 64), 90, np.uint8)).any()


def test_bad_input(phantoms):
    image = phantoms["Stone"][0].image
    with pytest.raises(ValueError, match="kind"):
        segment_lesion(image, "Normal")
    with pytest.raises(ValueError, match="method"):
        segment_lesion(image, "Stone", method="snakes")
    with pytest.raises(ValueError, match="kidney_mask"):
        segment_lesion(image, "Stone", kidney_mask=np.ones((3, 3), bool))
    with pytest.raises(TypeError):
        segment_kidney(image.astype(np.int64))
    with pytest.raises(ValueError, match="spacing"):
        segment_kidney(image, spacing=0)
    with pytest.raises(ValueError, match="spacing"):
        segment_kidney(image, spacing=(1.0, 2.0, 3.0))
    with pytest.raises(TypeError, match="spacing"):
        segment_kidney(image, spacing="1 mm")


def test_params_are_one_frozen_place():
    assert isinstance(RECIPE_PARAMS, RecipeParams)
    with pytest.raises(dataclasses.FrozenInstanceError):
        RECIPE_PARAMS.body_width_mm = 300.0
    # Sizes carry their unit in their name.
    for field in dataclasses.fields(RecipeParams):
        if "area" in field.name and "log_area" not in field.name:
            assert field.name.endswith("_mm2"), field.name
        if "radii" in field.name or "lateral" in field.name:
            assert "_mm" in field.name, field.name


def _kits_hu(pixels):
    """HU map of a KiTS19 slice stored as HU clipped to [0, 255] (as benchmarks/real_data.py)."""
    yy, xx = np.mgrid[-7:8, -7:8]
    inside = ndimage.binary_fill_holes(
        ndimage.binary_closing(np.pad(pixels > 0, 8), yy ** 2 + xx ** 2 <= 49))[8:-8, 8:-8]
    return np.where(pixels > 0, pixels.astype(np.float32),
                    np.where(inside, -100.0, -1000.0)).astype(np.float32)


def _kits_window(pixels):
    """The same slice on the abdominal window, as the data's README says."""
    scaled = np.clip(np.rint((pixels.astype(np.float32) + 160.0) * (255.0 / 400.0)), 0, 255)
    return np.where(pixels > 0, scaled, 0).astype(np.uint8)


@pytest.mark.parametrize("form, tumour_floor", [("hu", KITS_TUMOUR_FLOOR),
                                                ("file", KITS_CLIPPED_TUMOUR_FLOOR),
                                                ("window", KITS_CLIPPED_TUMOUR_FLOOR)])
def test_real_kits19_kidney_and_tumour(realdata, form, tumour_floor):
    """KiTS19 slices hold however they are fed: as HU, as the uint8 file (HU
    clipped to [0, 255], fat and air both 0), or on the abdominal window."""
    folder = realdata / "kits19"
    if not folder.is_dir():
        pytest.skip(f"KiTS19 slices not found at {folder}")
    convert = {"hu": _kits_hu, "file": lambda p: p, "window": _kits_window}[form]
    kidneys, tumours = [], []
    for path in sorted((folder / "images").glob("*.png")):
        image = convert(read_image(path))
        truth = read_image(folder / "masks" / path.name)
        found = segment_kidney(image)
        kidneys.append(iou(truth > 0, found))
        if (truth == 2).any():
            tumours.append(iou(truth == 2, segment_lesion(image, "Tumor", kidney_mask=found)))
    assert np.mean(kidneys) >= KITS_KIDNEY_FLOOR
    assert np.mean(tumours) >= tumour_floor


def test_real_kits19_cut_field_of_view(realdata):
    """KiTS19 HU maps with 110 px cut from each side (the body touches both
    sides): the kidneys are still found (mean IoU 0.74; 0.26 when the pixel
    size came from the width seen)."""
    folder = realdata / "kits19"
    if not folder.is_dir():
        pytest.skip(f"KiTS19 slices not found at {folder}")
    scores = []
    for path in sorted((folder / "images").glob("*.png")):
        image = _kits_hu(read_image(path))[:, 110:-110]
        truth = read_image(folder / "masks" / path.name)[:, 110:-110] > 0
        scores.append(iou(truth, segment_kidney(image)))
    assert np.mean(scores) >= 0.6


def test_real_totalsegmentator_kidney(realdata):
    """An unenhanced HU volume with 3 mm pixels (every third axial slice that
    holds a kidney): the small poles are found too (mean IoU 0.74; 0.61 when
    regions under 300 mm^2 were refused before they were scored)."""
    nibabel = pytest.importorskip("nibabel")
    folder = realdata / "totalseg"
    if not (folder / "example_seg.nii.gz").is_file():
        pytest.skip(f"TotalSegmentator example not found at {folder}")
    ct = np.asarray(nibabel.load(folder / "example_ct_sm.nii.gz").dataobj, np.float32)
    kidney = np.isin(np.asarray(nibabel.load(folder / "example_seg.nii.gz").dataobj), (2, 3))
    scores = []
    for z in range(0, ct.shape[2], 3):
        if kidney[:, :, z].sum() >= 20:
            # RAS voxels: anterior up, as CT is displayed.
            found = segment_kidney(np.rot90(ct[:, :, z]).copy(), spacing=3.0)
            scores.append(iou(np.rot90(kidney[:, :, z]), found))
    assert len(scores) == 8
    assert np.mean(scores) >= 0.7


def test_clipped_files_read_as_hu(realdata):
    """A slice stored as HU clipped to [0, 255] (fat and air both 0: the KiTS19 files),
    or on the abdominal window with the clipped pixels black, is read back on the HU
    scale and gives about the kidney of the HU map; an ordinary windowed 8-bit slice
    (the Kaggle JPEGs) is left as it is."""
    from ctkidney.segmentation._recipes import _unclip

    kits = sorted((realdata / "kits19" / "images").glob("*.png"))[::5]
    kaggle = sorted((realdata / "kaggle").rglob("*.jpg"))[::60]
    if not kits or not kaggle:
        pytest.skip("KiTS19 or Kaggle slices not found under the real data")
    for path in kaggle:
        image = read_image(path)
        assert _unclip(image) is image, path.name
    agree, read_back = [], []
    for path in kits:
        clipped = read_image(path)
        windowed = _kits_window(clipped)
        read_back += [_unclip(clipped) is not clipped, _unclip(windowed) is not windowed]
        from_hu = segment_kidney(_kits_hu(clipped))
        agree += [iou(from_hu, segment_kidney(clipped)),
                  iou(from_hu, segment_kidney(windowed))]
    assert np.mean(read_back) >= 0.95
    assert np.mean(agree) > 0.8
    # Phantoms are display windows (fat in the noise), never clipped files.
    for seed in (917_000, 31_001):
        image = make_phantom("Stone", size=256, rng=seed).image
        assert _unclip(image) is image, seed


def test_real_kaggle_stones(realdata):
    folder = realdata / "stone_pseudomask"
    if not folder.is_dir():
        pytest.skip(f"stone slices not found at {folder}")
    f1, ious = [], []
    for path in sorted((folder / "images").glob("*.png")):
        image = read_image(path)
        truth = read_image(folder / "masks" / path.name) > 127
        found = segment_lesion(image, "Stone")
        f1.append(object_detection(truth, found).f1)
        ious.append(iou(truth, found))
    assert np.mean(f1) >= STONE_F1_FLOOR
    assert np.mean(ious) >= STONE_IOU_FLOOR


def test_real_kaggle_normal_false_stones(realdata):
    """Contrast-enhanced Normal slices hold no stones; the white vessels of the
    renal sinus (tubes that run on) must mostly not pass for them."""
    folders = [f for f in (realdata / "kaggle").rglob("Normal") if f.is_dir()]
    if not folders:
        pytest.skip(f"Kaggle Normal slices not found under {realdata / 'kaggle'}")
    paths = sorted(folders[0].glob("*.jpg"), key=lambda p: (len(p.stem), p.stem))[::3]
    hits = [segment_lesion(read_image(path), "Stone").any() for path in paths]
    assert np.mean(hits) <= NORMAL_FALSE_STONE_SHARE_CEILING
