import json

import pytest

from ctkidney.data import make_dataset, save_dataset
from ctkidney.study import run_study


def test_segmentation_section_quick(tmp_path):
    res = run_study(out=tmp_path, sections=["segmentation"], quick=True, progress=False,
                    echo=lambda *a: None)
    entry = res["sections"]["segmentation"]
    assert entry["status"] == "ok", entry.get("traceback")
    assert entry["seconds"] < 30
    data = entry["data"]
    for method in ("recipe", "threshold", "kmeans", "region", "watershed", "edge"):
        for kind in ("Cyst", "Stone", "Tumor"):
            assert 0.0 <= data["lesion"][method][kind]["iou"] <= 1.0
    assert 0.0 <= data["kidney"]["mean_iou"] <= 1.0
    lesion_table = entry["tables"][0]
    assert lesion_table["rows"][-1][0] == "seed study (watershed)"
    assert 0.6789 in lesion_table["rows"][-1]
    figure = tmp_path / entry["figures"][0]["path"]
    assert figure.is_file() and figure.stat().st_size > 5_000
    assert "segmentation_methods.png" in (tmp_path / "report.md").read_text()
    json.loads((tmp_path / "results.json").read_text())


def test_segmentation_section_without_masks(tmp_path):
    root = save_dataset(make_dataset(1, size=48, rng=0), tmp_path / "kaggle")
    res = run_study(data=root, out=tmp_path / "out", sections=["segmentation"],
                    progress=False, echo=lambda *a: None)
    entry = res["sections"]["segmentation"]
    assert entry["status"] == "ok", entry.get("traceback")
    assert entry["data"]["scored"] is False
    counts = entry["data"]["counts"]
    assert sum(c["slices"] for c in counts.values()) == 4
    assert all(0 <= c["kidney"] <= c["slices"] for c in counts.values())


def test_segmentation_section_on_real_kaggle_slices(tmp_path, realdata):
    root = realdata / "kaggle"
    if not root.is_dir():
        pytest.skip(f"Kaggle development slices not found at {root}")
    res = run_study(data=root, out=tmp_path / "out", sections=["segmentation"], quick=True,
                    progress=False, echo=lambda *a: None)
    entry = res["sections"]["segmentation"]
    assert entry["status"] == "ok", entry.get("traceback")
    counts = entry["data"]["counts"]
    assert sum(c["slices"] for c in counts.values()) == 16
    assert sum(c["kidney"] for c in counts.values()) >= 8
    assert (tmp_path / "out" / "figures" / "segmentation_real_overlays.png").is_file() or \
        "segmentation_real_overlays.png" in (tmp_path / "out" / "report.md").read_text()
