import json

import numpy as np

from ctkidney.data import make_dataset, save_dataset
from ctkidney.study import StudyContext, run_study
from ctkidney.study.sections import dataset as section


def test_dataset_section_quick(tmp_path):
    lines = []
    res = run_study(out=tmp_path, sections=["dataset"], quick=True, progress=False,
                    echo=lines.append)
    entry = res["sections"]["dataset"]
    assert entry["status"] == "ok", entry.get("traceback")
    data = entry["data"]
    assert data["class_counts"] == {"Cyst": 12, "Normal": 12, "Stone": 12, "Tumor": 12}
    assert data["image_sizes"] == {"128x128": 48}
    assert 1 <= data["n_groups"] <= 48 and data["largest_group"] >= 1
    assert data["has_masks"] is True
    table = entry["tables"][0]
    assert table["columns"] == ["class", "slices", "near-duplicate groups"]
    assert table["rows"][-1][:2] == ["total", 48]
    figure = tmp_path / entry["figures"][0]["path"]
    assert figure.is_file() and figure.stat().st_size > 10_000
    text = "\n".join(map(str, lines))
    assert "Slices per class" in text and "Image sizes" in text
    report = (tmp_path / "report.md").read_text()
    assert "dataset_montage.png" in report
    json.loads((tmp_path / "results.json").read_text())


def test_dataset_section_on_kaggle_layout_without_masks(tmp_path):
    root = save_dataset(make_dataset(2, size=40, rng=0), tmp_path / "kaggle")
    res = run_study(data=root, out=tmp_path / "out", sections=["dataset"], progress=False,
                    echo=lambda *a: None)
    entry = res["sections"]["dataset"]
    assert entry["status"] == "ok", entry.get("traceback")
    assert entry["data"]["has_masks"] is False
    assert entry["data"]["class_counts"]["Tumor"] == 2
    assert entry["figures"][0]["caption"] == "Examples per class"


def test_series_show_up_as_groups(tmp_path):
    ds = make_dataset(3, size=48, rng=1)
    images = ds.images()
    images[1] = images[0]  # a duplicated slice
    from ctkidney.data import Dataset

    dup = Dataset(ds.labels, images=images)
    ctx = StudyContext(dataset=dup, out_dir=tmp_path, progress_enabled=False)
    result = section.run(ctx)
    assert result.data["largest_group"] >= 2
    assert result.data["n_groups"] <= 11
    assert np.isfinite(result.data["duplicate_threshold"])


def test_drawn_slices_keep_the_groups_of_their_folder(tmp_path):
    # Four identical slices would be one near-duplicate group on their own; slices
    # the study drew from a Kaggle folder carry the folder's groups instead.
    from ctkidney.data import Dataset

    images = np.tile(make_dataset(1, size=40, rng=0).images()[:1], (4, 1, 1))
    drawn = Dataset([0, 1, 2, 3], images=images, groups=[5, 7, 7, 9], root=tmp_path)
    result = section.run(StudyContext(dataset=drawn, out_dir=tmp_path, progress_enabled=False))
    assert result.data["n_groups"] == 3 and result.data["largest_group"] == 2
    alone = Dataset([0, 1, 2, 3], images=images)
    result = section.run(StudyContext(dataset=alone, out_dir=tmp_path, progress_enabled=False))
    assert result.data["n_groups"] == 1
