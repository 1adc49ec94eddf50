"""The TensorFlow-free parts: random_window, standardize_slice, kidney_region,
histogram_features and shortcut_baseline."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctkidney.models import (
    histogram_features,
    kidney_region,
    random_window,
    shortcut_baseline,
    standardize_slice,
)


def _slow_window(image, dl, s, g):
    out = np.empty(image.shape, np.float64)
    for (r, c), v in np.ndenumerate(image):
        y = min(max((v / 255 - 0.5 - dl) / s + 0.5, 0.0), 1.0)
        out[r, c] = round(y ** g * 255)
    return out


def test_random_window_matches_a_slow_reference():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (3, 6, 7), dtype=np.uint8)
    out = random_window(images, rng=5)
    draws = np.random.default_rng(5)
    dl = draws.uniform(-0.15, 0.15, 3)
    s = np.exp(draws.uniform(np.log(0.8), np.log(1.25), 3))
    g = np.exp(draws.uniform(np.log(0.8), np.log(1.25), 3))
    for i in range(3):
        np.testing.assert_allclose(out[i], _slow_window(images[i], dl[i], s[i], g[i]), atol=1)
    assert out.dtype == np.uint8 and not np.shares_memory(out, images)


def test_random_window_identity_and_errors():
    image = np.arange(256, dtype=np.uint8).reshape(16, 16)
    same = random_window(image, rng=0, level_frac=0, width_factor=(1, 1), gamma=(1, 1))
    np.testing.assert_array_equal(same, image)
    with pytest.raises(ValueError, match="level_frac"):
        random_window(image, level_frac=0.9)
    with pytest.raises(TypeError, match="gamma"):
        random_window(image, gamma=1.2)


@given(st.integers(0, 2**16), st.integers(0, 2**16))
def test_random_window_keeps_the_grey_order(seed, draw):
    image = np.random.default_rng(seed).integers(0, 256, (8, 8), dtype=np.uint8)
    out = random_window(image, rng=draw).astype(int)
    order = np.argsort(image.ravel(), kind="stable")
    assert np.all(np.diff(out.ravel()[order]) >= 0)  # monotone: the anatomy survives


@given(st.floats(0.3, 3.0), st.floats(-50, 50))
def test_standardize_slice_undoes_window_level_and_width(scale, shift):
    rng = np.random.default_rng(0)
    image = rng.uniform(20, 200, (32, 32))
    a = standardize_slice(image)
    b = standardize_slice(image * scale + shift)
    np.testing.assert_allclose(a, b, atol=1e-3)
    assert a.dtype == np.float32


def test_standardize_slice_constant():
    assert not standardize_slice(np.full((8, 8), 7, np.uint8)).any()


def test_kidney_region_holds_the_kidneys_of_a_phantom():
    """On phantom generator 2.0 (axial and coronal cuts) the box holds 90 % of the
    kidney pixels on average over 40 slices (0.78 of the slices hold 90 % or more;
    a coronal slice can lose a kidney): measured, with a margin."""
    from ctkidney.data import make_phantom

    shares = []
    for label in ("Normal", "Cyst", "Stone", "Tumor"):
        for seed in range(4):
            phantom = make_phantom(label, size=128, rng=seed)
            top, bottom, left, right = kidney_region(phantom.image)
            kidney = phantom.kidney_mask
            shares.append(kidney[top:bottom, left:right].sum() / kidney.sum())
            assert (bottom - top) * (right - left) < 0.6 * kidney.size  # a real crop
    assert np.mean(shares) >= 0.8
    assert np.median(shares) >= 0.9


def test_kidney_region_of_an_empty_slice_is_the_whole_slice():
    assert kidney_region(np.zeros((10, 12), np.uint8)) == (0, 10, 0, 12)


def test_histogram_features_match_numpy():
    rng = np.random.default_rng(1)
    images = [rng.integers(0, 256, (9, 11), dtype=np.uint8),
              rng.integers(0, 256, (20, 5), dtype=np.uint8)]
    features = histogram_features(images)
    for row, image in zip(features, images):
        np.testing.assert_allclose(row, np.histogram(image, 32, (0, 256))[0] / image.size)


def test_shortcut_baseline_sees_the_window_and_not_the_anatomy():
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1], 60)
    groups = np.arange(120) // 3
    # Same histogram in both classes, the class is where the bright pixels are.
    anatomy = np.zeros((120, 16, 16), np.uint8)
    for i, label in enumerate(labels):
        anatomy[i, :, :8] = rng.integers(0, 50) + 100
        anatomy[i] = anatomy[i] if label else anatomy[i][:, ::-1]
    assert shortcut_baseline(anatomy, labels, groups=groups, rng=0).accuracy <= 0.7
    window = rng.integers(0, 100, (120, 16, 16)).astype(np.uint8) + (labels * 100)[:, None, None]
    summary = shortcut_baseline(window.astype(np.uint8), labels, groups=groups, rng=0)
    assert summary.accuracy == 1.0 and len(summary.confusion_matrix) == 2


def _three_classes(seed, step, sd, group):
    """90 noisy 12x12 slices of three classes ``step`` grey levels apart, groups of
    ``group`` neighbours, and their 32-bin histograms written out plainly."""
    rng = np.random.default_rng(seed)
    labels = np.repeat([0, 1, 2], 30)
    images = (rng.normal(60 + step * labels[:, None, None], sd, (90, 12, 12))
              .clip(0, 255).astype(np.uint8))
    features = np.stack([np.histogram(im, 32, (0, 256))[0] / im.size for im in images])
    return images, labels, np.arange(90) // group, features


def test_shortcut_baseline_matches_a_plain_scikit_learn_pipeline():
    from sklearn.ensemble import HistGradientBoostingClassifier

    from ctkidney.data import split
    from ctkidney.metrics import classification_summary

    images, labels, groups, features = _three_classes(seed=3, step=40, sd=30, group=2)
    got = shortcut_baseline(images, labels, groups=groups, rng=7, cv=None,
                            class_names=list("abc"))
    seed = int(np.random.default_rng(7).integers(0, 2**31 - 1))
    train, test = split(labels, test_size=0.25, rng=seed, groups=groups)
    model = HistGradientBoostingClassifier(max_iter=150, class_weight="balanced",
                                           random_state=seed).fit(features[train], labels[train])
    want = classification_summary(labels[test], model.predict(features[test]),
                                  class_names=list("abc"))
    assert got.confusion_matrix == want.confusion_matrix


def test_shortcut_baseline_cross_validates_by_group():
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import StratifiedGroupKFold

    from ctkidney.metrics import ClassificationSummary

    images, labels, groups, features = _three_classes(seed=4, step=30, sd=40, group=3)
    got = shortcut_baseline(images, labels, groups=groups, rng=5, cv=4)
    seed = int(np.random.default_rng(5).integers(0, 2**31 - 1))
    predicted, fold_accuracy = np.empty_like(labels), []
    for train, test in StratifiedGroupKFold(4, shuffle=True, random_state=seed).split(
            features, labels, groups):
        model = HistGradientBoostingClassifier(max_iter=150, class_weight="balanced",
                                               random_state=seed)
        predicted[test] = model.fit(features[train], labels[train]).predict(features[test])
        fold_accuracy.append(np.mean(predicted[test] == labels[test]))
    # Every slice is tested once, the folds pooled; the fold accuracies come along.
    assert isinstance(got, ClassificationSummary) and got.n_samples == 90
    assert got.accuracy == pytest.approx(np.mean(predicted == labels))
    np.testing.assert_allclose(got.fold_accuracy, fold_accuracy)
    assert got.accuracy_mean == pytest.approx(np.mean(fold_accuracy))
    assert got.accuracy_sd == pytest.approx(np.std(fold_accuracy))
    assert got.to_dict()["fold_accuracy"] == got.fold_accuracy
    # The pooled accuracy's interval resamples whole groups (the sample order does not
    # matter to it), over every group, each tested once.
    from ctkidney.metrics import accuracy_interval

    want = accuracy_interval(labels, predicted, groups=groups, rng=seed)
    assert got.interval == (want.low, want.high) and got.test_groups == want.n_groups == 30
    assert got.to_dict()["interval_95"] == list(got.interval)
    # More folds than groups, or than slices in the smallest class: as many as there are.
    few = shortcut_baseline(images[:12], labels[:12] % 2, groups=groups[:12], rng=0, cv=10)
    assert len(few.fold_accuracy) == 4
    small = shortcut_baseline(images[:16], np.arange(16) % 4, groups=np.arange(16) // 2,
                              rng=0, cv=10)
    assert len(small.fold_accuracy) == 4


def test_shortcut_baseline_errors():
    images = np.zeros((4, 8, 8), np.uint8)
    with pytest.raises(ValueError, match="labels"):
        shortcut_baseline(images, [0, 1, 0])
    with pytest.raises(ValueError, match="groups"):
        shortcut_baseline(images, [0, 1, 0, 1], groups=[0, 1])
    with pytest.raises(ValueError, match="images"):
        shortcut_baseline(np.zeros((4, 8)), [0, 1, 0, 1])
    with pytest.raises(ValueError, match="cv"):
        shortcut_baseline(images, [0, 1, 0, 1], groups=[0, 1, 2, 3], cv=1)


def test_kidney_region_keeps_its_box_when_the_window_lifts_the_air():
    # Air at one grey level above black: Otsu's threshold can land on the air's own
    # level, and half of it counted the air as body (the box became the image).
    rng = np.random.default_rng(0)
    rows, cols = np.mgrid[:64, :64]
    image = np.zeros((64, 64), np.uint8)
    body = ((rows - 32) / 22) ** 2 + ((cols - 32) / 28) ** 2 < 1
    image[body] = rng.integers(100, 140, body.sum())
    image[38:44, 29:35] = 250  # the spine
    lifted = np.round(0.8 * image + 20).astype(np.uint8)
    assert kidney_region(lifted) == kidney_region(image) != (0, 64, 0, 64)
