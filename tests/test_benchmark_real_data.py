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


def test_kidney_free_absent_sources(tmp_path):
    real_data = load_benchmark("real_data")
    assert real_data.load_kidney_free(tmp_path) == []


def test_kidney_free_reads_a_dicom_series_but_its_kidney_slice(tmp_path):
    import shutil

    import pydicom
    from pydicom.data import get_testdata_file

    real_data = load_benchmark("real_data")
    sample = get_testdata_file("CT_small.dcm")
    folder = tmp_path / "dicom_series"
    folder.mkdir()
    shutil.copy(sample, folder / "CT2.dcm")
    shutil.copy(sample, folder / "CT27.dcm")  # the series' kidney slice: left out
    slices = real_data.load_kidney_free(tmp_path)
    assert [name for name, _, _ in slices] == ["CT2"]
    spacing = float(pydicom.dcmread(sample).PixelSpacing[0])
    assert slices[0][2] == spacing and slices[0][1].ndim == 2
    scores = real_data.score_kidney_free(slices)
    assert scores["slices"] == 1
    assert 0 <= scores["slices_with_a_kidney_found"] <= 1


def test_zoom_rescales_about_the_centre():
    import numpy as np

    real_data = load_benchmark("real_data")
    image = np.zeros((100, 100), np.int16)
    image[30:70, 30:70] = 500
    mask = image > 0
    for factor, side in ((0.8, 32), (1.25, 50)):
        scaled, scaled_mask = real_data._zoom(image, factor), real_data._zoom(mask, factor)
        assert scaled.shape == image.shape and scaled.dtype == image.dtype
        assert scaled_mask.dtype == bool
        rows = np.flatnonzero(scaled_mask.any(axis=1))
        assert abs(rows.size - side) <= 1 and abs(rows.mean() - 49.5) <= 1
        assert abs(int((scaled > 250).sum()) - side * side) <= 2 * side
    turned = real_data._rotate(mask, 90)
    assert (turned == mask).mean() > 0.99
