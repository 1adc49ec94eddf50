"""SliceClassifier(model="recommended"), the default, and slice_features: the
classifier without a network (no TensorFlow needed), its scikit-learn contract (the
stock estimator checks included), its robustness to a change of display window, and
its grouped cross-validated accuracy on real slices."""

import pickle

import cv2
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold, cross_val_score

from ctkidney.data import make_phantom, orientation
from ctkidney.models import SLICE_FEATURES, SliceClassifier, random_window, slice_features
from ctkidney.morphology import label as label_objects
from ctkidney.segmentation import segment_kidney, segment_lesion

from ._estimator_checks import APPLICABLE_CHECKS, assert_check_passes

#: Features of the body and the kidney crop; the recipe block follows them.
N_BODY = 109


def _bodies(n=40, seed=0):
    """Bright ellipse bodies on air; class 1 has a dark round hole (a 'cyst') in it,
    class 0 a noisy texture only. Window level, width and gamma vary per slice."""
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[:64, :64]
    images, labels = [], np.arange(n) % 2
    for label in labels:
        image = np.zeros((64, 64))
        body = ((rows - 32) / 22) ** 2 + ((cols - 32) / 28) ** 2 < 1
        image[body] = 120 + rng.normal(0, 12, body.sum())
        if label:
            r, c = rng.integers(24, 40, 2)
            image[(rows - r) ** 2 + (cols - c) ** 2 < 25] = 60
        images.append(np.clip(image, 0, 255).astype(np.uint8))
    return random_window(np.stack(images), rng=seed), labels


@pytest.fixture(scope="module")
def fitted():
    images, labels = _bodies()
    return SliceClassifier(rng=0).fit(images, labels), images, labels


def test_recommended_is_the_default():
    assert SliceClassifier().model == "recommended"
    assert SliceClassifier().get_params()["model"] == "recommended"


@pytest.mark.parametrize("check", APPLICABLE_CHECKS, ids=lambda c: c.__name__)
def test_sklearn_checks_that_apply_to_images(check):
    # The same checks run on "small_cnn" in test_classifier.py.
    assert_check_passes(check, SliceClassifier())


class _SetsAttributesInInit(SliceClassifier):
    def __init__(self, model="recommended"):
        super().__init__(model)
        self.fitted_ = True


def test_sklearn_checks_can_fail():
    # The harness is not vacuous: an estimator that breaks the contract fails it.
    from sklearn.utils import estimator_checks as checks

    with pytest.raises(AssertionError):
        assert_check_passes(checks.check_no_attributes_set_in_init, _SetsAttributesInInit())


def test_slice_features_shape_and_window_robustness():
    images, _ = _bodies(6)
    features = slice_features(images)
    assert features.shape == (6, 141) and features.dtype == np.float64
    assert np.isfinite(features).all()
    # The rank and texture blocks do not move under a change of window level and
    # width that clips nothing (the percentile blocks, first, move little).
    n_percentiles = (len(SLICE_FEATURES["body_percentiles"])
                     + len(SLICE_FEATURES["crop_percentiles"]))
    shifted = slice_features([np.round(0.8 * im + 20).astype(np.uint8) for im in images])
    np.testing.assert_allclose(shifted[:, n_percentiles:N_BODY], features[:, n_percentiles:N_BODY],
                               atol=0.05)
    np.testing.assert_allclose(shifted[:, :n_percentiles], features[:, :n_percentiles],
                               atol=0.1)


@pytest.fixture(scope="module")
def phantoms():
    return [make_phantom(kind, size=256, rng=0).image
            for kind in ("Normal", "Stone", "Cyst", "Tumor")]


def test_recipe_block_is_what_the_recipes_find(phantoms):
    recipe = slice_features(phantoms)[:, N_BODY:]
    assert recipe.shape == (4, 32)
    for image, row in zip(phantoms, recipe):
        assert row[0] == segment_kidney(image).any()
        # the stone count (after the kidney's 2 and its 9 percentiles, 5 more)
        assert row[16] == label_objects(segment_lesion(image, "Stone"))[1]
        assert row[-1] == (orientation(image) == "axial")
    assert (recipe[:, 16] > 0).any()  # a stone is found on one of them


def test_recipe_block_survives_a_window_change():
    # Grey levels are measured in the slice's own fat-to-soft-tissue steps, so the
    # kidney's numbers (the first 16) barely move; a recipe's decision (which
    # region is the kidney, whether a dot is a stone) may still flip on a slice.
    images = [make_phantom(kind, size=256, rng=seed).image
              for seed in range(3) for kind in ("Normal", "Stone", "Cyst", "Tumor")]
    recipe = slice_features(images)[:, N_BODY:]
    shifted = slice_features([np.round(0.8 * im + 20).astype(np.uint8) for im in images])
    moved = np.abs(shifted[:, N_BODY:] - recipe)
    np.testing.assert_array_equal(shifted[:, N_BODY], recipe[:, 0])
    assert np.median(moved[:, :16], axis=0).max() < 0.05


def test_recipe_block_reads_a_large_slice_at_recipe_px(phantoms):
    large = cv2.resize(phantoms[1], (600, 600), interpolation=cv2.INTER_LINEAR)
    side = SLICE_FEATURES["recipe_px"]
    small = cv2.resize(large, (side, side), interpolation=cv2.INTER_AREA)
    np.testing.assert_array_equal(slice_features([large])[:, N_BODY:],
                                  slice_features([small])[:, N_BODY:])


def test_recipe_block_is_zero_without_a_kidney():
    features = slice_features([np.zeros((64, 64), np.uint8), np.full((64, 64), 200, np.uint8)])
    np.testing.assert_array_equal(features[:, N_BODY:], 0)


def test_slice_features_on_threads_equal_one_thread(phantoms, monkeypatch):
    import ctkidney.models._features as module

    many = slice_features(phantoms)
    monkeypatch.setattr(module.os, "cpu_count", lambda: 1)
    np.testing.assert_array_equal(slice_features(phantoms), many)


def test_slice_features_takes_any_dtype_and_size():
    rng = np.random.default_rng(1)
    images = [rng.integers(0, 65535, (50, 70)).astype(np.uint16),
              rng.uniform(0, 255, (33, 40)), rng.integers(0, 255, (20, 20)).astype(np.uint8)]
    assert slice_features(images).shape == (3, 141)
    with pytest.raises(ValueError, match="images"):
        slice_features(np.zeros((4, 8)))


def test_fit_predict_contract(fitted):
    clf, images, labels = fitted
    before = images.copy()
    proba = clf.predict_proba(images)
    assert proba.shape == (len(images), 2) and proba.dtype == np.float64
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    np.testing.assert_array_equal(clf.predict(images), clf.classes_[proba.argmax(1)])
    np.testing.assert_array_equal(images, before)
    assert set(clf.history_) == {"loss", "accuracy"} and len(clf.history_["loss"]) == 1
    assert clf.settings_["kind"] == "recommended"
    assert clf.transform(images[:3]).shape == (3, 141)
    held_out, held_labels = _bodies(40, seed=5)
    assert clf.score(held_out, held_labels) >= 0.85


def test_clone_pickle_cross_val_and_unfitted(fitted):
    clf, images, labels = fitted
    fresh = clone(clf)
    with pytest.raises(NotFittedError):
        fresh.predict(images)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_allclose(restored.predict_proba(images), clf.predict_proba(images))
    scores = cross_val_score(SliceClassifier("recommended", augment=False, rng=0), images,
                             labels, groups=np.arange(len(labels)) // 2,
                             cv=GroupKFold(n_splits=2))
    assert scores.shape == (2,) and np.all(scores >= 0.7)
    same = SliceClassifier("recommended", rng=0).fit(images, labels).predict_proba(images)
    np.testing.assert_array_equal(same, clf.predict_proba(images))


@pytest.mark.parametrize("balance", ["class_weight", "smote"])
def test_balancing(balance):
    images, labels = _bodies(30)
    labels = np.where(np.arange(30) < 6, 1, 0)
    clf = SliceClassifier("recommended", balance=balance, augment=False, rng=0)
    assert clf.fit(images, labels).predict(images).shape == (30,)


def test_no_network_no_grad_cam_no_weights(fitted):
    clf, images, labels = fitted
    with pytest.raises(ValueError, match="Grad-CAM needs a network") as raised:
        clf.grad_cam(images[0])
    assert "model='recommended'" in str(raised.value) and "'small_cnn'" in str(raised.value)
    with pytest.raises(ValueError, match="no network weights"):
        SliceClassifier("recommended", weights="imagenet").fit(images, labels)
    with pytest.raises(ValueError, match="smote_embeddings"):
        SliceClassifier("recommended", balance="smote_embeddings").fit(images, labels)


@pytest.mark.slow
def test_real_slices_grouped_cross_validation(realdata):
    """Balanced accuracy of the out-of-fold predictions pooled over a grouped 5-fold
    cross-validation of the real development slices (26 near-duplicate groups;
    chance 0.25), clean and after a random window change. Measured 0.59 and 0.49
    without the window copies in training (``augment=False``, three times faster;
    with them, the default, 0.62 and 0.56 in benchmarks/classifier_quality.py);
    0.56 and 0.46 before the recipe block; the small CNN (``"small_cnn"``) scores
    0.46 and 0.43 here."""
    from sklearn.metrics import balanced_accuracy_score

    from ctkidney.data import group_near_duplicates, load_dataset

    ds = load_dataset(realdata / "kaggle")
    images, labels = ds.images(), ds.labels
    groups = group_near_duplicates(images)
    windowed = random_window(images, rng=123)
    clean, shifted = np.empty_like(labels), np.empty_like(labels)
    for train, test in StratifiedGroupKFold(5, shuffle=True, random_state=0).split(
            images, labels, groups):
        clf = SliceClassifier("recommended", augment=False, rng=0).fit(images[train],
                                                                       labels[train])
        clean[test], shifted[test] = clf.predict(images[test]), clf.predict(windowed[test])
    assert balanced_accuracy_score(labels, clean) >= 0.56
    assert balanced_accuracy_score(labels, shifted) >= 0.45
