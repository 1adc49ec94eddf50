"""``ctkidney study --data`` on CT volumes: NIfTI files and DICOM series folders."""

import numpy as np
import pydicom
from pydicom.data import get_testdata_file
from pydicom.uid import generate_uid

from ctkidney.data import Volume, write_nifti
from ctkidney.study import run_study
from ctkidney.study._volumes import is_volume_source


def _series(folder, rng, n=3):
    folder.mkdir(parents=True)
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.SeriesInstanceUID = generate_uid()
    for k in range(n):
        ds.PixelData = rng.integers(0, 2000, (128, 128)).astype(np.int16).tobytes()
        ds.ImagePositionPatient = [0.0, 0.0, 5.0 * k]
        ds.SOPInstanceUID = generate_uid()
        ds.save_as(folder / f"{k}.dcm")


def test_study_reads_volumes_one_group_each(tmp_path, rng):
    root = tmp_path / "cases"
    (root / "Tumor").mkdir(parents=True)
    hu = rng.integers(-1000, 1000, (5, 128, 128)).astype(np.int16)
    write_nifti(Volume(hu, (3.0, 0.8, 0.8), (0.0, 0.0, 0.0)), root / "Tumor" / "case1.nii.gz")
    write_nifti(Volume((hu > 0).astype(np.int16), (3.0, 0.8, 0.8), (0.0, 0.0, 0.0)),
                root / "Tumor" / "case1_seg.nii.gz")
    _series(root / "Normal" / "series1", rng)
    assert is_volume_source(root)
    res = run_study(data=root, out=tmp_path / "out", sections=["dataset"], progress=False,
                    echo=lambda *a: None)
    entry = res["sections"]["dataset"]
    assert entry["status"] == "ok", entry.get("traceback")
    data = entry["data"]
    assert data["class_counts"] == {"Cyst": 0, "Normal": 3, "Stone": 0, "Tumor": 5}
    assert data["n_groups"] == 2 and data["largest_group"] == 5
    assert sorted(v["name"] for v in data["volumes"]) == ["case1.nii.gz", "series1"]
    assert {tuple(v["spacing_mm"]) for v in data["volumes"]} >= {(3.0, 0.8, 0.8)}
    assert any("case1_seg.nii.gz" in note for note in entry["notes"])
    assert "CT volume" in res["data"]


def test_kaggle_layout_is_not_a_volume_source(tmp_path):
    from ctkidney.data import make_dataset, save_dataset

    root = save_dataset(make_dataset(1, size=32, rng=0), tmp_path / "kaggle")
    assert not is_volume_source(root)
