"""The ``enhancement`` study section in quick mode."""

import json

import pytest

import ctkidney.data
from ctkidney.study import StudyContext, available_sections, run_study


def _check(section):
    table = section["tables"][0]
    names = [row[0] for row in table["rows"]]
    assert names[0] == "original"
    assert "histogram equalization" in names and "CLAHE (clip 2, 8x8)" in names
    data = section["data"]
    assert data["n_lesion_slices"] > 0
    for name, scores in data["methods"].items():
        assert 0 < scores["ssim"]["mean"] <= 1, name
        assert scores["entropy"]["mean"] >= 0, name
    # A monotone point transform barely changes the CNR; emboss destroys it.
    assert abs(data["methods"]["gamma 0.7"]["gain"]["mean"] - 1) < 0.2
    assert data["methods"]["convolution (emboss)"]["gain"]["mean"] < 0.5
    assert data["best_cnr_gain"] in data["methods"]


def test_enhancement_section_on_quick_phantoms(tmp_path):
    from ctkidney.data import make_dataset

    section = {s.name: s for s in available_sections()}["enhancement"]
    assert section.order == 20
    ctx = StudyContext(dataset=make_dataset(12, size=128, rng=0), out_dir=tmp_path, quick=True,
                       progress_enabled=False)
    result = section.run(ctx)
    _check({"tables": [t.to_json() for t in result.tables], "data": result.data})
    json.dumps(result.data)
    caption, path = result.figures[0]
    assert "lesion" in caption
    assert (tmp_path / path).stat().st_size > 10_000
    assert any("0.9398" in note for note in result.notes)


@pytest.mark.skipif(not hasattr(ctkidney.data, "load_dataset"),
                    reason="run_study needs ctkidney.data.load_dataset (data branch)")
def test_enhancement_section_through_run_study(tmp_path):
    results = run_study(out=tmp_path, sections=["enhancement"], quick=True, progress=False,
                        echo=lambda *a: None)
    section = results["sections"]["enhancement"]
    assert section["status"] == "ok", section.get("traceback")
    _check(section)
    report = (tmp_path / "report.md").read_text()
    assert "Enhancement methods" in report and "0.9398" in report
    json.loads((tmp_path / "results.json").read_text())
