"""The study runner and its section registry, with sections registered by the test."""

import json

import numpy as np
import pytest

from ctkidney import cli, study
from ctkidney.data import Dataset, make_dataset, save_dataset
from ctkidney.study import SectionResult, Table, _registry, _runner, register_section, run_study
from ctkidney.study._runner import _draw_per_class


@pytest.fixture
def tiny_study(monkeypatch):
    """Replace the data and the registered sections by two test sections."""
    # Import (register) every real section first, so that none registers into the
    # temporary registry below and is lost for later tests.
    _registry.available_sections()
    ds = Dataset([0, 1, 2, 3], images=np.zeros((4, 8, 8), np.uint8))
    monkeypatch.setattr(_runner, "_load_data", lambda data, **kw: (ds, "test data"))
    monkeypatch.setattr(_registry, "_SECTIONS", {})
    monkeypatch.setattr(_registry, "available_sections",
                        lambda: sorted(_registry._SECTIONS.values(), key=lambda s: s.order))
    monkeypatch.setattr(_runner, "available_sections", _registry.available_sections)
    monkeypatch.setattr(study, "available_sections", _registry.available_sections)

    @register_section("second", title="Second", order=20)
    def second(ctx):
        """Counts the slices."""
        path = ctx.figure_path("f.png")
        path.write_bytes(b"png")
        return SectionResult(
            tables=[Table("counts", ["class", "n"], [["Cyst", np.int64(1)], ["x", 0.5]])],
            figures=[("a figure", path.relative_to(ctx.out_dir))],
            notes=["a note"], data={"n": len(ctx.dataset), "arr": np.arange(2)})

    @register_section("first", title="First", order=10)
    def first(ctx):
        """Always fails."""
        raise RuntimeError("boom")

    return ds


def test_sections_run_in_order_and_failures_are_reported(tiny_study, tmp_path):
    lines = []
    res = run_study(out=tmp_path, progress=False, echo=lines.append, seed=3)
    assert list(res["sections"]) == ["first", "second"]
    assert res["sections"]["first"]["status"] == "error"
    assert "RuntimeError: boom" in res["sections"]["first"]["error"]
    second = res["sections"]["second"]
    assert second["status"] == "ok"
    on_disk = json.loads((tmp_path / "results.json").read_text())
    assert on_disk["sections"]["second"]["data"] == {"n": 4, "arr": [0, 1]}
    assert on_disk["sections"]["second"]["tables"][0]["rows"] == [["Cyst", 1], ["x", 0.5]]
    assert on_disk["seed"] == 3
    report = (tmp_path / "report.md").read_text()
    assert "## Second" in report and "| Cyst | 1 |" in report
    assert "![a figure](figures/f.png)" in report
    assert "This section failed" in report
    assert any("0.5000" in line for line in lines)
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind


def test_unknown_section_is_refused(tiny_study, tmp_path):
    with pytest.raises(ValueError, match="sections: unknown"):
        run_study(out=tmp_path, sections=["nope"], progress=False, echo=lambda *a: None)
    assert not (tmp_path / "report.md").exists()


def test_cli_exit_code_and_listing(tiny_study, tmp_path, capsys):
    assert cli.main(["study", "--list-sections"]) == 0
    out = capsys.readouterr().out
    assert out.index("first") < out.index("second")
    assert cli.main(["study", "--out", str(tmp_path), "--sections", "second",
                     "--no-progress"]) == 0
    assert cli.main(["study", "--out", str(tmp_path), "--no-progress"]) == 1
    assert cli.main(["study", "--sections", "zzz", "--out", str(tmp_path)]) == 2
    assert "unknown" in capsys.readouterr().err


def test_context_rng_is_per_section_and_reproducible(tmp_path):
    ctx = _registry.StudyContext(dataset=None, out_dir=tmp_path, seed=1)
    a = ctx.rng("x").integers(0, 10**6, 3)
    assert (a == ctx.rng("x").integers(0, 10**6, 3)).all()
    assert (a != ctx.rng("y").integers(0, 10**6, 3)).any()


def test_table_formats():
    t = Table("T", ["a", "b"], [[1, 2.0]], note="n", float_format="{:.1f}")
    assert t.to_text().splitlines()[0] == "T"
    assert "| 1 | 2.0 |" in t.to_markdown()
    assert t.to_json() == {"title": "T", "columns": ["a", "b"], "rows": [[1, 2.0]], "note": "n"}


def test_cli_rejects_bad_numbers(capsys):
    with pytest.raises(SystemExit):
        cli.main(["study", "--size", "0"])
    assert "positive integer" in capsys.readouterr().err


def _grouped_dataset():
    """185 slices: class 0 in groups of 1-90 slices, class 1 in two groups, class 2
    in 30 single slices, class 3 in one group of 5."""
    labels = np.repeat([0, 1, 2, 3], [100, 50, 30, 5])
    groups = np.concatenate([np.repeat(np.arange(5), [1, 2, 3, 4, 90]),
                             10 + np.repeat([0, 1], 25), 20 + np.arange(30), [60] * 5])
    images = np.arange(185, dtype=np.uint8)[:, None, None] * np.ones((1, 4, 4), np.uint8)
    return Dataset(labels, images=images, groups=groups), groups


def test_draw_per_class_spreads_over_groups_and_keeps_them():
    ds, groups = _grouped_dataset()
    drawn, words = _draw_per_class(ds, 20, seed=3)
    assert np.bincount(drawn.labels).tolist() == [20, 20, 20, 5]
    assert "at most 20 per class" in words and "185" in words
    # Each slice keeps its group, and the slices stay in the dataset's order.
    kept = drawn.images()[:, 0, 0].astype(int)
    assert np.all(np.diff(kept) > 0)
    np.testing.assert_array_equal(drawn.groups, groups[kept])
    # Shared out evenly: the small groups of class 0 give all they have, the large
    # one the rest; class 1's two groups 10 each; 20 of class 2's 30 singles.
    sizes = dict(zip(*np.unique(drawn.groups, return_counts=True)))
    assert [sizes[g] for g in range(5)] == [1, 2, 3, 4, 10]
    assert sizes[10] == sizes[11] == 10
    assert sum(20 <= g < 50 for g in sizes) == 20
    # The same seed draws the same slices; another seed, others.
    again = _draw_per_class(ds, 20, seed=3)[0].images()[:, 0, 0]
    other = _draw_per_class(ds, 20, seed=4)[0].images()[:, 0, 0]
    np.testing.assert_array_equal(again, kept)
    assert not np.array_equal(other, kept)


def test_draw_per_class_leaves_small_datasets_alone():
    ds, _ = _grouped_dataset()
    assert _draw_per_class(ds, None, seed=0) == (ds, "")
    assert _draw_per_class(ds, 100, seed=0) == (ds, "")
    for bad in (0, -1, 2.5):
        with pytest.raises((TypeError, ValueError), match="n_per_class"):
            _draw_per_class(ds, bad, seed=0)


def test_study_draws_from_a_kaggle_folder(tmp_path):
    root = save_dataset(make_dataset(3, size=40, rng=0), tmp_path / "kaggle")
    res = run_study(data=root, out=tmp_path / "out", sections=["dataset"], n_per_class=2,
                    progress=False, echo=lambda *a: None)
    entry = res["sections"]["dataset"]
    assert entry["status"] == "ok", entry.get("traceback")
    assert entry["data"]["class_counts"] == {"Cyst": 2, "Normal": 2, "Stone": 2, "Tumor": 2}
    assert "8 of 12 slices" in res["data"]
    # In quick mode a folder with at most QUICK_REAL_PER_CLASS slices a class is
    # taken whole.
    res = run_study(data=root, out=tmp_path / "quick", sections=["dataset"], quick=True,
                    progress=False, echo=lambda *a: None)
    assert sum(res["sections"]["dataset"]["data"]["class_counts"].values()) == 12
    assert res["data"] == f"Kaggle layout at {root}"
