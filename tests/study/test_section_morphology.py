import json

from ctkidney.study import run_study


def test_morphology_section_quick(tmp_path):
    results = run_study(out=tmp_path, sections=["morphology"], quick=True, progress=False,
                        echo=lambda *a: None)
    entry = results["sections"]["morphology"]
    assert entry["status"] == "ok", entry.get("traceback")
    ops = entry["data"]["operations"]
    raw = ops["raw (corrupted)"]["iou"]
    assert 0 < raw < 1
    cleaned = ops["closing, fill_holes, opening, remove_small_objects"]
    assert cleaned["iou"] > raw  # the recipe must repair the speckle
    assert ops["fill_holes"]["iou"] >= raw
    for fig in entry["figures"]:
        assert (tmp_path / fig["path"]).stat().st_size > 0
    json.loads((tmp_path / "results.json").read_text())
    assert "Morphology" in (tmp_path / "report.md").read_text()
