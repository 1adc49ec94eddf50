import numpy as np
import pytest
from imblearn.over_sampling import ADASYN, SMOTE, BorderlineSMOTE, RandomOverSampler
from sklearn.utils.class_weight import compute_class_weight

from ctkidney._shared.validation import rng_to_seed
from ctkidney.balancing import OVERSAMPLING_METHODS, class_weights, oversample, smote

SAMPLERS = {
    "smote": lambda seed, k: SMOTE(k_neighbors=k, random_state=seed),
    "borderline": lambda seed, k: BorderlineSMOTE(k_neighbors=k, random_state=seed),
    "adasyn": lambda seed, k: ADASYN(n_neighbors=k, random_state=seed),
    "random": lambda seed, k: RandomOverSampler(random_state=seed),
}


def overlapping(rng, counts=(20, 9, 6), shape=(6, 5), dtype=np.uint8):
    """Classes whose pixel distributions overlap, so that ADASYN and
    Borderline-SMOTE find minority samples near other classes."""
    labels = np.repeat(np.arange(len(counts)), counts)
    base = rng.normal(120, 40, size=(len(labels),) + shape) + 8 * labels[:, None, None]
    if np.dtype(dtype).kind == "f":
        return base.astype(dtype), labels
    return np.clip(np.rint(base), 0, 255).astype(dtype), labels


@pytest.mark.parametrize("method", sorted(SAMPLERS))
@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.float32, np.float64])
def test_oversample_matches_imblearn(method, dtype):
    images, labels = overlapping(np.random.default_rng(3), dtype=dtype)
    out, y = oversample(images, labels, method=method, k_neighbors=3, rng=11)
    seed = rng_to_seed(11)
    work = np.float64 if dtype == np.float64 else np.float32
    flat = images.reshape(len(images), -1)
    X_ref, y_ref = SAMPLERS[method](seed, 3).fit_resample(
        flat if method == "random" else flat.astype(work), labels)
    expected = X_ref[len(images):]
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        expected = np.clip(np.rint(expected), info.min, info.max)
    assert out.dtype == images.dtype and out.shape[1:] == images.shape[1:]
    np.testing.assert_array_equal(y, y_ref)
    np.testing.assert_array_equal(out[: len(images)], images)
    np.testing.assert_array_equal(out[len(images):].reshape(len(expected), -1),
                                  expected.astype(dtype))


def test_oversample_balances_and_keeps_inputs(rng):
    images, labels = overlapping(rng)
    before = images.copy()
    out, y = oversample(images, labels, rng=0)
    assert np.bincount(y).tolist() == [20, 20, 20]
    np.testing.assert_array_equal(images, before)
    assert out.dtype == np.uint8


def test_oversample_four_d_and_same_seed_same_result(rng):
    images = rng.integers(0, 256, size=(14, 4, 4, 3), dtype=np.uint8)
    labels = np.array([0] * 9 + [1] * 5)
    a = oversample(images, labels, k_neighbors=4, rng=5)
    b = oversample(images, labels, k_neighbors=4, rng=np.random.default_rng(5))
    assert a[0].shape == (18, 4, 4, 3)
    np.testing.assert_array_equal(a[0], b[0])
    c = oversample(images, labels, k_neighbors=4, rng=6)
    assert not np.array_equal(a[0], c[0])


def test_smote_new_images_lie_between_same_class_images(rng):
    images = rng.integers(0, 256, size=(12, 3, 3), dtype=np.uint8)
    labels = np.array([0] * 8 + [1] * 4)
    out, y = oversample(images, labels, k_neighbors=2, rng=0)
    minority = images[labels == 1].astype(float)
    assert (y[12:] == 1).all()

    def on_segment(new, a, b):
        d = (b - a).ravel()
        t = np.clip((new - a).ravel() @ d / max(d @ d, 1e-12), 0, 1)
        return np.abs(new - (a + t * (b - a))).max() <= 1.0  # rounding of uint8

    for new in out[12:].astype(float):
        # Each new image lies on the segment between two minority images.
        assert any(on_segment(new, a, b) for a in minority for b in minority)
    # ... which a random image would not.
    assert not any(on_segment(images[0].astype(float), a, b)
                   for a in minority for b in minority)


def test_sampling_strategy_and_string_labels(rng):
    images, labels = overlapping(rng)
    names = np.array(["Cyst", "Normal", "Stone"])[labels]
    out, y = oversample(images, names, sampling_strategy={"Normal": 12}, method="random",
                        rng=1)
    assert y.dtype == names.dtype
    assert (y == "Normal").sum() == 12 and len(out) == len(images) + 3


def test_smote_features_matches_imblearn(rng):
    X = rng.normal(size=(30, 7)).astype(np.float32)
    y = np.array([0] * 18 + [1] * 7 + [2] * 5)
    Xr, yr = smote(X, y, k_neighbors=4, rng=2)
    Xe, ye = SMOTE(k_neighbors=4, random_state=rng_to_seed(2)).fit_resample(X, y)
    assert Xr.dtype == np.float32
    np.testing.assert_array_equal(Xr, Xe)
    np.testing.assert_array_equal(yr, ye)


def test_smote_int_features_become_float64():
    X = np.arange(40).reshape(20, 2)
    y = np.array([0] * 14 + [1] * 6)
    Xr, _ = smote(X, y, rng=0)
    assert Xr.dtype == np.float64 and len(Xr) == 28


@pytest.mark.parametrize("labels", [[0, 0, 0, 1], [3, 3, 1, 1, 1, 0], ["a", "b", "b"]])
def test_class_weights_match_sklearn(labels):
    classes = np.unique(labels)
    expected = compute_class_weight("balanced", classes=classes, y=np.asarray(labels))
    got = class_weights(labels)
    assert list(got) == classes.tolist()
    np.testing.assert_allclose(list(got.values()), expected)
    assert all(type(v) is float for v in got.values())


# ---- bad input -------------------------------------------------------------------------

def test_length_mismatch(rng):
    images = rng.integers(0, 256, (10, 4, 4), dtype=np.uint8)
    with pytest.raises(ValueError, match="one label per sample"):
        oversample(images, [0, 1] * 4)
    with pytest.raises(ValueError, match="one label per sample"):
        smote(np.zeros((10, 2)), [0, 1] * 4)


def test_small_class_suggests_random(rng):
    images = rng.integers(0, 256, (12, 4, 4), dtype=np.uint8)
    labels = np.array([0] * 9 + [1] * 3)
    with pytest.raises(ValueError, match=r"k_neighbors \+ 1 = 6.*method='random'"):
        oversample(images, labels)
    with pytest.raises(ValueError, match="method='random'"):
        oversample(images, labels, method="adasyn")
    out, y = oversample(images, labels, method="random", rng=0)  # the suggested way out
    assert np.bincount(y).tolist() == [9, 9]


def test_one_d_and_two_d_images_refused():
    with pytest.raises(ValueError, match="stack"):
        oversample(np.zeros(10, np.uint8), np.arange(10) % 2)
    with pytest.raises(ValueError, match="smote"):
        oversample(np.zeros((10, 5), np.uint8), np.arange(10) % 2)
    with pytest.raises(ValueError, match="2-D"):
        smote(np.zeros((10, 2, 2)), np.arange(10) % 2)


def test_nan_refused():
    images = np.zeros((10, 3, 3), np.float32)
    images[2, 1, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        oversample(images, np.arange(10) % 2)
    X = np.zeros((10, 3))
    X[0, 0] = np.inf
    with pytest.raises(ValueError, match="NaN"):
        smote(X, np.arange(10) % 2)


def test_bad_types_and_options(rng):
    images = rng.integers(0, 256, (12, 4, 4), dtype=np.uint8)
    labels = np.arange(12) % 2
    with pytest.raises(TypeError, match="dtype"):
        oversample(images.astype(np.int64), labels)
    with pytest.raises(TypeError, match="labels"):
        oversample(images, labels.astype(float))
    with pytest.raises(TypeError, match="labels"):
        oversample(images, None)
    with pytest.raises(ValueError, match="1-D"):
        oversample(images, labels.reshape(6, 2))
    with pytest.raises(ValueError, match="method"):
        oversample(images, labels, method="tomek")
    with pytest.raises(ValueError, match="k_neighbors"):
        oversample(images, labels, k_neighbors=0)
    with pytest.raises(TypeError, match="k_neighbors"):
        oversample(images, labels, k_neighbors=2.5)
    with pytest.raises(ValueError, match="two classes"):
        oversample(images, np.zeros(12, int))
    with pytest.raises(TypeError, match="rng"):
        oversample(images, labels, rng="seed")
    with pytest.raises(TypeError, match="labels"):
        class_weights(np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match="non-empty"):
        class_weights([])
    with pytest.raises(TypeError, match="labels"):
        class_weights(None)


def test_memory_refusal_names_the_cost_and_the_alternatives(rng):
    images = rng.integers(0, 256, (12, 8, 8), dtype=np.uint8)
    labels = np.array([0] * 8 + [1] * 4)
    with pytest.raises(MemoryError, match=r"needs about .* KiB.*class_weights"):
        oversample(images, labels, k_neighbors=2, max_memory=1000)
    with pytest.raises(MemoryError, match="embed"):
        smote(rng.normal(size=(12, 50)), labels, k_neighbors=2, max_memory=100)
    # Random oversampling only copies: it fits where SMOTE's float work does not.
    needed = 16 * 64
    out, _ = oversample(images, labels, method="random", max_memory=needed, rng=0)
    assert len(out) == 16


def test_samplers_are_the_oversampling_methods():
    assert tuple(SAMPLERS) == OVERSAMPLING_METHODS


def test_methods_is_a_deprecated_alias():
    import ctkidney.balancing as balancing

    with pytest.warns(DeprecationWarning, match="OVERSAMPLING_METHODS"):
        assert balancing.METHODS == OVERSAMPLING_METHODS
    with pytest.raises(AttributeError, match="no_such_name"):
        balancing.no_such_name  # noqa: B018
