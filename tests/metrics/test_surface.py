"""Surface metrics (HD95, surface Dice, volume) and 3-D Dice/IoU, against a slow
brute-force reference, SimpleITK and scikit-learn."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import ndimage
from scipy.spatial.distance import cdist
from sklearn.metrics import f1_score, jaccard_score

from ctkidney.metrics import dice, hausdorff, iou, surface_dice, volume_ml


def _surface_reference(mask):
    structure = ndimage.generate_binary_structure(mask.ndim, 1)
    eroded = ndimage.binary_erosion(mask, structure, border_value=0)
    return np.argwhere(mask & ~eroded)


def _directed_reference(a, b, spacing):
    scale = np.asarray(spacing, dtype=float)
    return cdist(a * scale, b * scale).min(axis=1)


def _hausdorff_reference(truth, pred, percentile, spacing):
    a, b = _surface_reference(truth), _surface_reference(pred)
    return max(np.percentile(_directed_reference(a, b, spacing), percentile),
               np.percentile(_directed_reference(b, a, spacing), percentile))


def _surface_dice_reference(truth, pred, tolerance, spacing):
    a, b = _surface_reference(truth), _surface_reference(pred)
    hits = ((_directed_reference(a, b, spacing) <= tolerance + 1e-9).sum()
            + (_directed_reference(b, a, spacing) <= tolerance + 1e-9).sum())
    return hits / (len(a) + len(b))


def _blobs(rng, shape, sigma=1.5, level=0.55):
    noise = ndimage.gaussian_filter(rng.random(shape), sigma)
    return noise > np.quantile(noise, level)


def _ball(shape, centre, radius, spacing=(1, 1, 1)):
    grids = np.ogrid[tuple(slice(0, n) for n in shape)]
    return sum(((g - c) * s) ** 2 for g, c, s in zip(grids, centre, spacing)) <= radius**2


@pytest.mark.parametrize("spacing", [None, (3.0, 0.8, 0.8), (1.0, 2.0, 0.5)])
@pytest.mark.parametrize("percentile", [0, 50, 95, 100])
def test_hausdorff_matches_brute_force(rng, spacing, percentile):
    truth, pred = _blobs(rng, (10, 14, 16)), _blobs(rng, (10, 14, 16))
    expected = _hausdorff_reference(truth, pred, percentile, spacing or (1, 1, 1))
    got = hausdorff(truth, pred, percentile=percentile, spacing=spacing)
    assert isinstance(got, float)
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("spacing", [None, (3.0, 0.8, 0.8)])
@pytest.mark.parametrize("tolerance", [0.0, 1.0, 2.5])
def test_surface_dice_matches_brute_force(rng, spacing, tolerance):
    truth, pred = _blobs(rng, (9, 15, 13)), _blobs(rng, (9, 15, 13))
    expected = _surface_dice_reference(truth, pred, tolerance, spacing or (1, 1, 1))
    got = surface_dice(truth, pred, tolerance=tolerance, spacing=spacing)
    assert isinstance(got, float)
    assert got == pytest.approx(expected, rel=1e-12)


def test_2d_masks(rng):
    truth, pred = _blobs(rng, (30, 25)), _blobs(rng, (30, 25))
    assert hausdorff(truth, pred, spacing=0.7) == pytest.approx(
        _hausdorff_reference(truth, pred, 95, (0.7, 0.7)))
    assert surface_dice(truth, pred, tolerance=1) == pytest.approx(
        _surface_dice_reference(truth, pred, 1, (1, 1)))


def test_hausdorff_max_matches_simpleitk():
    sitk = pytest.importorskip("SimpleITK")
    spacing = (3.0, 0.8, 0.7)
    shape = (20, 60, 64)
    truth = _ball(shape, (9, 28, 30), 12.0, spacing)
    pred = _ball(shape, (11, 33, 31), 10.0, spacing) | _ball(shape, (10, 50, 50), 4.0, spacing)
    images = []
    for mask in (truth, pred):
        image = sitk.GetImageFromArray(mask.astype(np.uint8))
        image.SetSpacing(spacing[::-1])  # SimpleITK speaks (x, y, z)
        images.append(image)
    hd = sitk.HausdorffDistanceImageFilter()
    hd.Execute(*images)
    assert hausdorff(truth, pred, percentile=100, spacing=spacing) == pytest.approx(
        hd.GetHausdorffDistance(), rel=1e-9)


def test_empty_masks_have_documented_answers():
    empty = np.zeros((4, 5, 6), bool)
    full = empty.copy()
    full[1:3, 1:3, 1:3] = True
    assert hausdorff(empty, empty) == 0.0
    assert hausdorff(empty, full) == float("inf") == hausdorff(full, empty)
    assert surface_dice(empty, empty, tolerance=1) == 1.0
    assert surface_dice(full, empty, tolerance=1) == 0.0
    assert dice(empty, empty) == 1.0 and iou(empty, full) == 0.0
    assert volume_ml(empty, 1.0) == 0.0


def test_mask_filling_the_array_has_its_border_as_surface():
    full = np.ones((3, 4, 5), bool)
    assert hausdorff(full, full) == 0.0
    shrunk = full.copy()
    shrunk[:, :, -1] = False
    assert hausdorff(full, shrunk, percentile=100, spacing=(1, 1, 2)) == 2.0


def test_dice_iou_on_volumes_match_sklearn(rng):
    truth, pred = _blobs(rng, (6, 20, 21)), _blobs(rng, (6, 20, 21))
    assert dice(truth, pred) == pytest.approx(f1_score(truth.ravel(), pred.ravel()))
    assert iou(truth, pred) == pytest.approx(jaccard_score(truth.ravel(), pred.ravel()))


def test_volume_ml():
    mask = np.zeros((10, 10, 10), bool)
    mask[:5, :4, :2] = True
    assert volume_ml(mask, (2.5, 0.8, 0.8)) == pytest.approx(40 * 2.5 * 0.64 / 1000)
    assert volume_ml(mask.astype(np.uint8), 1) == 0.04
    with pytest.raises(TypeError, match="spacing must be given"):
        volume_ml(mask, None)
    with pytest.raises(ValueError, match="3-D"):
        volume_ml(mask[0], 1.0)


def test_inputs_never_modified(rng):
    truth, pred = _blobs(rng, (5, 9, 9)), _blobs(rng, (5, 9, 9))
    copies = truth.copy(), pred.copy()
    hausdorff(truth, pred)
    surface_dice(truth, pred, tolerance=1)
    np.testing.assert_array_equal(truth, copies[0])
    np.testing.assert_array_equal(pred, copies[1])


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"percentile": 101}, ValueError, "percentile"),
    ({"percentile": "95"}, TypeError, "percentile"),
    ({"spacing": (1, 1)}, ValueError, "spacing must have 3 entries"),
    ({"spacing": (1, 0, 1)}, ValueError, "spacing must be positive"),
    ({"spacing": "1"}, TypeError, "spacing"),
])
def test_hausdorff_bad_parameters(kwargs, exc, match):
    mask = np.ones((2, 3, 4), bool)
    with pytest.raises(exc, match=match):
        hausdorff(mask, mask, **kwargs)


def test_bad_masks():
    with pytest.raises(ValueError, match="same shape"):
        hausdorff(np.ones((2, 3, 4), bool), np.ones((2, 3, 3), bool))
    with pytest.raises(ValueError, match="2-D or 3-D"):
        surface_dice(np.ones(4, bool), np.ones(4, bool), tolerance=1)
    with pytest.raises(ValueError, match="tolerance"):
        surface_dice(np.ones((2, 2), bool), np.ones((2, 2), bool), tolerance=-1)


_masks = st.integers(0, 2**32 - 1).map(
    lambda seed: _blobs(np.random.default_rng(seed), (6, 8, 7), sigma=1.0, level=0.6))


@given(_masks, _masks, st.floats(0.2, 4.0))
def test_properties_symmetry_and_identity(truth, pred, dz):
    spacing = (dz, 1.0, 0.7)
    assert hausdorff(truth, pred, spacing=spacing) == hausdorff(pred, truth, spacing=spacing)
    assert surface_dice(truth, pred, tolerance=1, spacing=spacing) == pytest.approx(
        surface_dice(pred, truth, tolerance=1, spacing=spacing))
    assert hausdorff(truth, truth, spacing=spacing) == 0.0
    assert surface_dice(truth, truth, tolerance=0, spacing=spacing) == 1.0
    # A larger tolerance never lowers the score.
    assert surface_dice(truth, pred, tolerance=2) >= surface_dice(truth, pred, tolerance=1)


@pytest.mark.parametrize("func", [hausdorff, volume_ml])
def test_spacing_too_large_for_a_float_is_named(func):
    mask = np.zeros((4, 5, 6), bool)
    mask[1:3, 1:4, 1:5] = True
    args = (mask, mask) if func is hausdorff else (mask,)
    with pytest.raises(ValueError, match="spacing"):
        func(*args, spacing=(10**400, 1, 1))
