import json

from ctkidney.study import run_study


def test_restoration_section_quick(tmp_path):
    results = run_study(out=tmp_path, sections=["restoration"], quick=True, progress=False,
                        echo=lambda *a, **k: None)
    section = results["sections"]["restoration"]
    assert section["status"] == "ok"
    saved = json.loads((tmp_path / "results.json").read_text())
    data = saved["sections"]["restoration"]["data"]
    assert data["mean_psnr_denoise"] > 30
    assert data["seed_mean_psnr"] == 33.766
    report = (tmp_path / "report.md").read_text()
    assert "PSNR per noise kind and filter" in report
    assert "SSIM per noise kind and filter" in report
    assert "33.766" in report
    assert (tmp_path / "figures" / "restoration_best.png").stat().st_size > 0
