"""Recipes on phantoms drawn with seeds the recipes were never tuned on."""

import numpy as np
import pytest

from ctkidney.data import make_phantom
from ctkidney.metrics import iou
from ctkidney.segmentation import LESION_KINDS, segment_kidney, segment_lesion

# Fresh seeds, far from the ones used while writing the recipes (1000-4000).
SEEDS = range(917_000, 917_008)

# Quality floors of this test suite at 256 px, a little under what the recipes
# measure on these seeds (kidney 0.92, Stone 0.51, Cyst 0.83, Tumor 0.92; the
# means over larger sets are in the user guide).
KIDNEY_FLOOR = 0.90
LESION_FLOOR = {"Stone": 0.45, "Cyst": 0.75, "Tumor": 0.85}

# At 512 px (the Kaggle slices' size) the issue's quality bar holds for the
# kidneys, cysts and tumours (measured 0.94, 0.94 and 0.92 on these seeds);
# stones are 2-60 pixels there and reach 0.64 (the guide explains the limit).
SEEDS_512 = range(918_000, 918_006)
BAR_512 = {"kidney": 0.90, "Stone": 0.55, "Cyst": 0.75, "Tumor": 0.75}


@pytest.fixture(scope="module")
def phantoms():
    return {kind: [make_phantom(kind, size=256, rng=seed) for seed in SEEDS]
            for kind in ("Normal",) + LESION_KINDS}


@pytest.fixture(scope="module")
def phantoms_512():
    return {kind: [make_phantom(kind, size=512, rng=seed) for seed in SEEDS_512]
            for kind in ("Normal",) + LESION_KINDS}


def test_quality_bar_at_512(phantoms_512):
    kidneys = {kind: [segment_kidney(p.image) for p in group]
               for kind, group in phantoms_512.items()}
    kidney = np.mean([iou(p.kidney_mask, k) for kind, group in phantoms_512.items()
                      for p, k in zip(group, kidneys[kind])])
    assert kidney >= BAR_512["kidney"]
    for kind in LESION_KINDS:
        scores = [iou(p.lesion_mask, segment_lesion(p.image, kind, kidney_mask=k))
                  for p, k in zip(phantoms_512[kind], kidneys[kind])]
        assert np.mean(scores) >= BAR_512[kind], kind


def test_kidney_quality(phantoms):
    scores = [iou(p.kidney_mask, segment_kidney(p.image))
              for group in phantoms.values() for p in group[:4]]
    assert np.mean(scores) >= KIDNEY_FLOOR


@pytest.mark.parametrize("kind", LESION_KINDS)
def test_lesion_quality(phantoms, kind):
    scores = [iou(p.lesion_mask, segment_lesion(p.image, kind)) for p in phantoms[kind]]
    assert np.mean(scores) >= LESION_FLOOR[kind]


def test_hu_input_gives_the_same_kind_of_answer(phantoms):
    p = phantoms["Cyst"][0]
    from_hu = segment_kidney(p.hu)
    assert from_hu.dtype == bool and iou(p.kidney_mask, from_hu) > 0.7
    assert segment_kidney(p.hu.astype(np.int16)).dtype == bool


@pytest.mark.parametrize("method", ["threshold", "kmeans", "region", "watershed", "edge"])
@pytest.mark.parametrize("kind", LESION_KINDS)
def test_every_family(phantoms, kind, method):
    p = phantoms[kind][1]
    before = p.image.copy()
    mask = segment_lesion(p.image, kind, kidney_mask=p.kidney_mask, method=method)
    np.testing.assert_array_equal(p.image, before)
    assert mask.dtype == bool and mask.shape == p.image.shape


def test_no_body_no_kidney():
    assert not segment_kidney(np.zeros((64, 64), np.uint8)).any()
    assert not segment_lesion(np.zeros((64, 64), np.uint8), "Stone").any()


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
