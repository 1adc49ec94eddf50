import json
import time

import numpy as np

from ctkidney.study import run_study
from ctkidney.study.sections import classification as section


def test_classification_section_quick(tmp_path):
    lines = []
    res = run_study(out=tmp_path, sections=["classification"], quick=True, progress=False,
                    options={"weights": "none"}, echo=lines.append)
    entry = res["sections"]["classification"]
    assert entry["status"] == "ok", entry.get("traceback")
    data = entry["data"]
    runs = data["runs"]
    expected = {f"{k}/{split}/none" for k in section.QUICK_MODELS
                for split in ("random", "grouped")}
    expected |= {"recommended/grouped/class_weight", "recommended/grouped/smote"}
    assert set(runs) == expected
    from ctkidney.models import CLASSIFIER_DEFAULTS

    for name, run in runs.items():
        summary = run["summary"]
        assert 0 <= summary["accuracy"] <= 1
        cm = np.asarray(summary["confusion_matrix"])
        assert cm.shape == (4, 4)
        kind = name.split("/")[0]
        # The recommended model has no epochs: one loss and accuracy on its training
        # set; the small CNN trains for its own default epochs.
        epochs = (CLASSIFIER_DEFAULTS[kind]["epochs"] or 1 if kind in ("recommended", "small_cnn")
                  else data["settings"]["seed_epochs"])
        assert len(run["history"]["loss"]) == epochs
    assert data["settings"]["size_px"] == 64 and data["settings"]["weights"]["mobilenet"] == "none"
    assert 0 <= data["shortcut"]["accuracy"] <= 1
    assert len(data["shortcut"]["fold_accuracy"]) == 5
    accuracy, balancing, per_class, published = entry["tables"]
    assert [row[0] for row in accuracy["rows"]] == [section.MODELS[k]
                                                    for k in section.QUICK_MODELS]
    assert accuracy["rows"][0][0] == "Recommended (features, no network)"
    assert "Small CNN" in [row[0] for row in accuracy["rows"]]
    assert accuracy["columns"][1:6] == ["random split", "grouped split", "grouped 95% interval",
                                        "grouped balanced acc.", "shortcut (grouped CV)"]
    for row in accuracy["rows"]:
        low, high = (float(v) for v in row[3].split(" ")[0].split("-"))
        assert 0 <= low <= high <= 1 and row[3].endswith(" groups)")
    for name, run in runs.items():
        # Grouped runs carry the interval over their test groups; random ones do not.
        assert ("interval_95" in run) == ("/random/" not in name)
        if "interval_95" in run:
            assert run["test_groups"] >= 2 and len(run["interval_95"]) == 2
    n_rows = len(section.QUICK_MODELS) + 2  # each model, then two balancing variants
    assert len(balancing["rows"]) == n_rows and len(per_class["rows"]) == 4 * n_rows
    # The recommended model's SMOTE is on its features, not on pixels.
    assert [row[2] for row in balancing["rows"] if row[0] == accuracy["rows"][0][0]] == [
        "none", "class weights", "SMOTE (features)"]
    published_rows = {(r[0], r[1], r[2]): r[3] for r in published["rows"]}
    assert published_rows["seed study", "VGG19", "none"] == "93.1%"
    assert published_rows["seed study", "MobileNetV2", "SMOTE (pixels)"] == "91.0%"
    assert published_rows["dataset paper (Islam et al. 2022)", "Swin Transformer",
                          "none"] == "99.30%"
    text = "\n".join(map(str, lines))
    assert "leak" in text and "shortcut" in text and "unseen groups" in text
    assert "95 % interval" in text
    # Grad-CAM is for networks only: the recommended model is not in the montage.
    assert "recommended model has no network" in entry["figures"][2]["caption"]
    for figure in entry["figures"]:
        path = tmp_path / figure["path"]
        assert path.is_file() and path.stat().st_size > 10_000
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved["sections"]["classification"]["status"] == "ok"


def test_gap_words_call_out_memory_and_shortcut():
    text = section._gap_words("cnn", 0.97, 0.51, 0.73)
    assert "0.46 of the random-split accuracy is memory" in text
    assert "below the histogram-only shortcut" in text
    text = section._gap_words("recommended", 0.95, 0.93, 0.30)
    assert "memory" not in text and "0.63 above the histogram-only shortcut" in text


def test_gap_words_measure_against_chance_where_the_shortcut_is_at_chance():
    # Phantoms: the histogram tells nothing, so the model is compared with chance.
    text = section._gap_words("cnn", 0.9, 0.6, 0.26, chance=0.27, interval=(0.4, 0.8, 6))
    assert "shortcut is at chance" in text and "0.33 above chance" in text
    assert "below the histogram-only shortcut" not in text
    assert "95 % interval 0.40-0.80 over 6 groups" in text
    assert "cannot tell it from guessing" not in text  # the interval clears chance
    text = section._gap_words("cnn", 0.9, 0.18, 0.26, chance=0.27, interval=(0.0, 0.5, 4))
    assert "the model is below chance" in text and "learnt less than" not in text
    assert "Its interval reaches chance (0.27): this test set cannot tell it" in text
    text = section._gap_words("cnn", 0.9, 0.29, 0.25, chance=0.27, interval=(0.1, 0.5, 4))
    assert "the model is at chance" in text
    # A real shortcut (far from chance) is still what the model is measured against.
    text = section._gap_words("cnn", 0.97, 0.51, 0.73, chance=0.3, interval=(0.35, 0.7, 9))
    assert "below the histogram-only shortcut" in text and "at chance" not in text
    assert "cannot tell" not in text
    # ... unless the model's interval holds the shortcut's accuracy.
    text = section._gap_words("cnn", 0.97, 0.6, 0.73, chance=0.3, interval=(0.35, 0.8, 9))
    assert "below the histogram-only shortcut" in text
    assert "Its interval holds the shortcut's 0.73: this test set cannot tell the two" in text
    text = section._gap_words("cnn", 0.97, 0.9, 0.73, chance=0.3, interval=(0.7, 1.0, 9))
    assert "0.17 above the histogram-only shortcut" in text and "holds the shortcut" in text
    # Guessing, the stronger caveat, is said alone; no caveat at equal accuracies.
    text = section._gap_words("cnn", 0.97, 0.6, 0.4, chance=0.3, interval=(0.2, 0.9, 7))
    assert "cannot tell it from guessing" in text and "holds the shortcut" not in text
    text = section._gap_words("cnn", 0.97, 0.72, 0.73, chance=0.3, interval=(0.5, 0.9, 9))
    assert "no better than the histogram-only shortcut" in text
    assert "holds the shortcut" not in text


def test_chance_is_the_commonest_class_share():
    assert section._chance(np.array([0, 1, 1, 2, 1])) == 0.6


def test_plan_runs_each_model_on_both_splits():
    plan = section._plan(("recommended", "cnn", "vgg19"), quick=False, balanced=True)
    assert ("vgg19", "grouped", "smote_embeddings") in plan
    assert ("cnn", "grouped", "smote_embeddings") not in plan
    assert {(k, s) for k, s, b in plan if b == "none"} >= {
        (k, s) for k in ("recommended", "cnn", "vgg19") for s in ("random", "grouped")}
    quick = section._plan(("recommended", "cnn"), quick=True, balanced=True)
    assert len(quick) == 6 and all(s != "kaggle" for _, s, _ in quick)


def test_kaggle_proportions_keep_groups_whole():
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(4), 20)
    groups = np.arange(80) // 2  # pairs of near-duplicates
    keep = section._kaggle_proportions(labels, groups, rng)
    counts = np.bincount(labels[keep], minlength=4)
    assert counts[1] == counts.max() and counts[2] == counts.min() >= 2
    kept = set(keep.tolist())
    assert all((2 * g in kept) == (2 * g + 1 in kept) for g in range(40))


def test_groups_are_called_what_they_are(tmp_path):
    from ctkidney.data import load_dataset, make_dataset, save_dataset
    from ctkidney.study._runner import _draw_per_class

    phantoms = make_dataset(3, size=40, rng=0)
    groups, kind = section._groups(phantoms)
    assert kind == "patients"
    np.testing.assert_array_equal(groups, phantoms.groups)
    folder = load_dataset(save_dataset(phantoms, tmp_path / "kaggle"))
    assert section._groups(folder)[1] == "near-duplicate groups"
    drawn, _ = _draw_per_class(folder, 2, seed=0)
    groups, kind = section._groups(drawn)
    assert kind == "near-duplicate groups" and groups.shape == (8,)


def test_imagenet_falls_back_to_none_with_a_note(monkeypatch, capsys):
    monkeypatch.setattr(section, "imagenet_available", lambda kind, size: False)
    notes = []
    weights = section.backbone_weights(("cnn", "vgg19", "mobilenet"), 48, "imagenet", notes)
    assert weights == {"vgg19": None, "mobilenet": None}
    assert len(notes) == 1 and "--weights none" in notes[0]
    assert "VGG19" in notes[0] and "MobileNetV2" in notes[0]
    assert "could not be had" in capsys.readouterr().err
    assert section.backbone_weights(("cnn", "vgg19"), 48, "none", notes) == {"vgg19": None}


def test_imagenet_download_failure_falls_back(monkeypatch):
    monkeypatch.setattr(section, "imagenet_available", lambda kind, size: True)

    def broken(kind, shape, weights, rng, n_classes=4):
        raise OSError("connection reset")

    monkeypatch.setattr(section, "_build", broken)
    notes = []
    assert section.backbone_weights(("vgg16",), 48, "imagenet", notes) == {"vgg16": None}
    assert "connection reset" in notes[0]


def test_availability_check_is_quick(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / section._imagenet_file("vgg19", 48)).write_bytes(b"")
    assert section.imagenet_available("vgg19", 48)
    start = time.perf_counter()
    assert section._reachable("host.invalid", timeout=1.0) is False
    assert time.perf_counter() - start < 5
    assert section._imagenet_file("mobilenet", 128).endswith("1.0_128_no_top.h5")
    assert section._imagenet_file("mobilenet", 48).endswith("1.0_224_no_top.h5")
