import numpy as np
import pytest

from ctkidney.balancing import class_weights, smote
from ctkidney.metrics import classification_summary
from ctkidney.models import (
    _train,
    build_cnn,
    build_head,
    build_mobilenet,
    embed,
    evaluate,
    predict,
    prepare,
    train,
)


def split(labels, seed=0, fraction=0.7):
    idx = np.random.default_rng(seed).permutation(len(labels))
    k = int(fraction * len(labels))
    return idx[:k], idx[k:]


def test_cnn_beats_chance_on_phantoms(stone_vs_cyst):
    images, labels = stone_vs_cyst
    tr, te = split(labels)
    model = build_cnn((32, 32, 3), n_classes=2, rng=0)
    history = train(model, images[tr], labels[tr], epochs=12, batch_size=16,
                    validation=None, augment=False, patience=12, rng=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    summary = evaluate(model, images[te], labels[te], class_names=["Cyst", "Stone"])
    # 60 test slices: chance is 0.5 with a standard deviation of 0.065.
    assert summary.accuracy >= 0.68


def test_same_rng_same_model(phantoms):
    images, labels = phantoms
    runs = []
    for _ in range(2):
        model = build_cnn((32, 32, 3), rng=1)
        history = train(model, images, labels, epochs=2, batch_size=8, rng=3)
        runs.append((history.history["loss"], predict(model, images)))
    assert runs[0][0] == runs[1][0]
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    model = build_cnn((32, 32, 3), rng=1)
    train(model, images, labels, epochs=2, batch_size=8, rng=4)
    assert not np.array_equal(predict(model, images), runs[0][1])


def test_augmentation_is_an_affine_map_that_is_identity_at_zero(monkeypatch):
    import tensorflow as tf

    image = np.zeros((1, 21, 21, 3), np.float32)
    image[0, 8:13, 4:9] = 1.0
    out = _train._augment(tf, tf.constant(np.repeat(image, 4, axis=0)), 1,
                          tf.constant(0, tf.int64)).numpy()
    assert out.shape == (4, 21, 21, 3)
    assert not np.allclose(out, image)
    assert np.all((out >= 0) & (out <= 1))
    # Mass is kept up to the zoom (at most +/-10% per axis) and the border.
    assert np.all(np.abs(out.sum(axis=(1, 2, 3)) / image.sum() - 1) < 0.25)
    monkeypatch.setitem(_train.AUGMENTATION, "rotation", 0.0)
    monkeypatch.setitem(_train.AUGMENTATION, "zoom", 0.0)
    monkeypatch.setitem(_train.AUGMENTATION, "shift", 0.0)
    same = _train._augment(tf, tf.constant(image), 1, tf.constant(5, tf.int64)).numpy()
    np.testing.assert_allclose(same, image, atol=1e-6)


def test_class_weight_balanced_equals_the_dict(phantoms):
    images, labels = phantoms
    keep = np.r_[np.arange(0, 12), np.arange(12, 16), np.arange(24, 30), np.arange(36, 48)]
    runs = []
    for cw in ("balanced", class_weights(labels[keep])):
        model = build_cnn((24, 24, 3), rng=2)
        h = train(model, images[keep], labels[keep], epochs=1, batch_size=8, validation=None,
                  class_weight=cw, rng=0)
        runs.append(h.history["loss"])
    assert runs[0] == runs[1]
    model = build_cnn((24, 24, 3), rng=2)
    h = train(model, images[keep], labels[keep], epochs=1, batch_size=8, validation=None,
              rng=0)
    assert h.history["loss"] != runs[0]


def test_validation_set_and_early_stopping(phantoms):
    images, labels = phantoms
    model = build_cnn((24, 24, 3), rng=0)
    x = prepare(images, model=model)
    h = train(model, x[:36], labels[:36], epochs=30, batch_size=12, validation=(x[36:],
              labels[36:]), patience=0, learning_rate=0.05, rng=0)
    assert "val_loss" in h.history and len(h.history["loss"]) < 30
    # The best epoch's weights are restored.
    best = min(h.history["val_loss"])
    loss = model.evaluate(x[36:], labels[36:], verbose=0)[0]
    assert loss == pytest.approx(best, rel=1e-4)


def test_predict_and_evaluate_agree(phantoms):
    images, labels = phantoms
    model = build_cnn((24, 24, 3), rng=0)
    p = predict(model, images, batch_size=7)
    assert p.shape == (48, 4) and p.dtype == np.float32
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-5)
    summary = evaluate(model, images, labels)
    expected = classification_summary(labels, p.argmax(1),
                                      class_names=["Cyst", "Normal", "Stone", "Tumor"])
    assert summary == expected


def test_embeddings_smote_and_head(phantoms):
    images, labels = phantoms
    backbone = build_mobilenet((32, 32, 3), rng=0)
    features = embed(backbone, images)
    assert features.shape == (48, 1280) and features.dtype == np.float32
    keep = np.r_[0:12, 12:20, 24:30, 36:48]
    X, y = smote(features[keep], labels[keep], k_neighbors=3, rng=0)
    assert np.bincount(y).tolist() == [12, 12, 12, 12]
    head = build_head(1280, rng=0)
    h = train(head, X, y, epochs=2, batch_size=16, validation=None, rng=0)
    assert len(h.history["loss"]) == 2
    assert predict(head, features).shape == (48, 4)
    cnn = build_cnn((24, 24, 3))
    assert embed(cnn, images).shape == (48, 128)
    assert embed(cnn, images, layer="flatten").shape == (48, 4 * 4 * 32)
    with pytest.raises(ValueError, match="layer"):
        embed(cnn, images, layer="nope")


def test_bad_input(phantoms):
    images, labels = phantoms
    model = build_cnn((24, 24, 3), n_classes=2)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        train(model, images, labels)
    with pytest.raises(ValueError, match="one label per image"):
        train(model, images, labels[:5] % 2)
    with pytest.raises(TypeError, match="integer"):
        train(model, images, (labels % 2).astype(float))
    with pytest.raises(ValueError, match="validation"):
        train(model, images, labels % 2, validation=1.5)
    with pytest.raises(ValueError, match="validation"):
        train(model, images, labels % 2, validation=(images,))
    with pytest.raises(ValueError, match="epochs"):
        train(model, images, labels % 2, epochs=0)
    with pytest.raises(TypeError, match="augment"):
        train(model, images, labels % 2, augment="yes")
    with pytest.raises(ValueError, match="class_weight"):
        train(model, images, labels % 2, class_weight={5: 1.0})
    with pytest.raises(ValueError, match="class_weight"):
        train(model, images, labels % 2, class_weight="auto")
    with pytest.raises(ValueError, match="must be float32"):
        predict(build_head(8), np.zeros((2, 9), np.float32))
    bad = np.zeros((2, 24, 24, 3), np.float32)
    bad[0, 0, 0, 0] = np.inf
    with pytest.raises(ValueError, match="NaN"):
        predict(model, bad)
    with pytest.raises(ValueError, match="batch_size"):
        predict(model, images, batch_size=0)
