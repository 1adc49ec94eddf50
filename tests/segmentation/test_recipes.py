"""Recipes on phantoms drawn with seeds the recipes were never tuned on."""

import numpy as np
import pytest

from ctkidney.data import make_phantom
from ctkidney.metrics import iou
from ctkidney.segmentation import LESION_KINDS, segment_kidney, segment_lesion

# Fresh seeds, far from the ones used while writing the recipes (1000-4000).
SEEDS = range(917_000, 917_008)

# Quality floors of this test suite (the measured means are in the user guide).
KIDNEY_FLOOR = 0.87
LESION_FLOOR = {"Stone": 0.42, "Cyst": 0.66, "Tumor": 0.78}


@pytest.fixture(scope="module")
def phantoms():
    return {kind: [make_phantom(kind, size=256, rng=seed) for seed in SEEDS]
            for kind in ("Normal",) + LESION_KINDS}


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
