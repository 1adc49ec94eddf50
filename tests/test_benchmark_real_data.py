"""benchmarks/real_data.py: without real data it says so and exits 0; its stress
tests cover every source that is there."""

from tests._benchmarks import load_benchmark


def test_no_real_data_is_a_message(tmp_path, capsys):
    real_data = load_benchmark("real_data")
    assert real_data.main(["--root", str(tmp_path / "absent"), "--skip-phantoms"]) == 0
    assert "skipped: real data not found" in capsys.readouterr().out


def test_stress_skips_absent_sources(tmp_path):
    real_data = load_benchmark("real_data")
    assert real_data.stress(tmp_path) == []
