"""preprocess and ``ctkidney preprocess``: same layout under OUT, IN untouched,
broken files reported by name."""

import csv
import hashlib

import cv2
import numpy as np
import pytest

from ctkidney import cli
from ctkidney.data import load_dataset, make_dataset, read_image, save_dataset
from ctkidney.parallel import PreprocessSummary, compose, parse_steps, preprocess

KAGGLE = "CT-KIDNEY-DATASET-Normal-Cyst-Tumor-Stone"


def snapshot(root):
    """{relative path: sha256} of every file under ``root``."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


@pytest.fixture
def kaggle_tree(tmp_path):
    """A Kaggle-layout tree of phantom JPEGs written by save_dataset, with one file
    broken."""
    root = save_dataset(make_dataset(3, size=48, rng=5), tmp_path / "in")
    broken = root / KAGGLE / "Stone" / "Stone- (2).jpg"
    assert broken.is_file()
    broken.write_bytes(b"\xff\xd8 truncated")
    return root, broken


@pytest.fixture
def png_tree(tmp_path):
    """A plain folder tree of PNG slices in two class folders, plus noise files."""
    root = tmp_path / "pngs"
    images = np.random.default_rng(2).integers(0, 256, (6, 40, 36), dtype=np.uint8)
    for i, image in enumerate(images):
        folder = root / ("a" if i % 2 else "b") / "deeper"
        folder.mkdir(parents=True, exist_ok=True)
        assert cv2.imwrite(str(folder / f"s{i}.png"), image)
    (root / "notes.txt").write_text("not an image")
    (root / ".hidden.png").write_bytes(b"skipped")
    return root


def test_cli_on_kaggle_layout_with_a_broken_file(kaggle_tree, tmp_path, capsys):
    src, broken = kaggle_tree
    before = snapshot(src)
    out = tmp_path / "out"
    status = cli.main(["preprocess", str(src), str(out), "--steps", "median,clahe",
                       "--workers", "2", "--batch-size", "4", "--no-progress"])
    stdout = capsys.readouterr().out
    assert status == 1  # one file failed
    assert snapshot(src) == before  # IN untouched
    rel_broken = broken.relative_to(src).as_posix()
    assert f"{rel_broken}: ValueError: cannot decode image file" in stdout
    assert "images: 11 of 12 written, 1 failed" in stdout
    assert "images/s" in stdout
    written = set(snapshot(out))
    assert written == set(before) - {rel_broken}
    # The CSV keeps its header and every row but the broken file's.
    csv_rel = f"{KAGGLE}/kidneyData.csv"
    rows_in, rows_out = read_csv(src / csv_rel), read_csv(out / csv_rel)
    assert rows_out == [r for r in rows_in if not r[2].endswith("Stone/Stone- (2).jpg")]
    assert len(rows_out) == len(rows_in) - 1
    assert "1 rows of failed images removed" in stdout
    # OUT loads as a Kaggle dataset, without the broken slice.
    loaded = load_dataset(out)
    assert len(loaded) == 11 and "Stone- (2).jpg" not in loaded.names
    # Each written image is the pipeline's output (JPEG re-encoding at quality 95).
    pipe = parse_steps("median,clahe")
    for rel in sorted(written - {csv_rel})[:4]:
        expected = pipe(read_image(src / rel))
        got = read_image(out / rel)
        assert got.shape == expected.shape and got.dtype == np.uint8
        assert np.abs(got.astype(int) - expected).mean() < 2.0


@pytest.mark.parametrize("scheduler", ["threads", "processes"])
def test_results_equal_a_loop_on_a_png_tree(png_tree, tmp_path, scheduler):
    pipe = compose(parse_steps("median:size=5"), parse_steps("clahe:clip_limit=3"))
    summary = preprocess(png_tree, tmp_path / "out", pipe, scheduler=scheduler,
                         num_workers=2, progress=False)
    assert isinstance(summary, PreprocessSummary)
    assert (summary.n_images, summary.n_written, summary.errors) == (6, 6, [])
    assert summary.images_per_second > 0
    files = sorted(p.relative_to(png_tree) for p in png_tree.rglob("s*.png"))
    assert sorted(p.relative_to(tmp_path / "out")
                  for p in (tmp_path / "out").rglob("*") if p.is_file()) == files
    for rel in files:
        np.testing.assert_array_equal(read_image(tmp_path / "out" / rel),
                                      pipe(read_image(png_tree / rel)))


def test_on_a_dask_cluster(png_tree, tmp_path, client):
    summary = preprocess(png_tree, tmp_path / "out", "clahe", scheduler=client,
                         progress=False)
    assert summary.n_written == 6 and not summary.errors
    pipe = parse_steps("clahe")
    for path in png_tree.rglob("s*.png"):
        rel = path.relative_to(png_tree)
        np.testing.assert_array_equal(read_image(tmp_path / "out" / rel),
                                      pipe(read_image(path)))


def test_outputs_that_cannot_be_written_are_reported(png_tree, tmp_path):
    summary = preprocess(png_tree, tmp_path / "out", lambda im: im.astype(np.float32),
                         progress=False)
    assert summary.n_written == 0 and len(summary.errors) == 6
    assert "cannot write a float32 array" in summary.errors[0].message
    assert summary.errors[0].name.endswith(".png") and "/deeper/" in summary.errors[0].name


def test_never_writes_into_in(png_tree, capsys):
    before = snapshot(png_tree)
    for out in (png_tree / "out", png_tree, png_tree.parent):
        status = cli.main(["preprocess", str(png_tree), str(out), "--no-progress"])
        assert status == 2
        assert "must lie outside the input folder" in capsys.readouterr().err
    assert snapshot(png_tree) == before


def test_non_empty_out_needs_overwrite(png_tree, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("keep")
    assert cli.main(["preprocess", str(png_tree), str(out), "--steps", "clahe",
                     "--no-progress"]) == 2
    assert "is not empty" in capsys.readouterr().err
    assert cli.main(["preprocess", str(png_tree), str(out), "--steps", "clahe",
                     "--no-progress", "--overwrite"]) == 0
    assert (out / "old.txt").read_text() == "keep" and len(list(out.rglob("*.png"))) == 6


def test_progress_bar_and_list_steps(png_tree, tmp_path, capsys):
    assert cli.main(["preprocess", str(png_tree), str(tmp_path / "o"), "--steps",
                     "clahe"]) == 0
    assert "preprocess: 100%" in capsys.readouterr().err
    assert cli.main(["preprocess", "--list-steps"]) == 0
    listing = capsys.readouterr().out
    assert "median" in listing and "ctkidney.enhancement.clahe" in listing


@pytest.mark.parametrize("argv, match", [
    (["preprocess"], "IN and OUT are required"),
    (["preprocess", "{missing}", "{out}"], "does not exist"),
    (["preprocess", "{src}", "{out}", "--steps", "blur"], "unknown step 'blur'"),
    (["preprocess", "{src}", "{out}", "--jpeg-quality", "101"], "jpeg_quality must be <= 100"),
    (["preprocess", "{src}", "{out}", "--scheduler", "gpu"], "scheduler must be"),
])
def test_cli_errors(argv, match, png_tree, tmp_path, capsys):
    fill = {"src": png_tree, "out": tmp_path / "out", "missing": tmp_path / "nope"}
    assert cli.main([a.format(**fill) for a in argv]) == 2
    assert match in capsys.readouterr().err


def test_folder_without_images(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="no image files"):
        preprocess(tmp_path / "empty", tmp_path / "out", progress=False)


def test_output_that_is_a_file(png_tree, tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileExistsError, match="not a folder"):
        preprocess(png_tree, tmp_path / "file", progress=False)


def test_workers_must_be_positive(png_tree, tmp_path, capsys):
    assert cli.main(["preprocess", str(png_tree), str(tmp_path / "o"), "--workers", "0"]) == 2
    assert "num_workers must be >= 1" in capsys.readouterr().err
    assert cli.main(["preprocess", str(png_tree), str(tmp_path / "o"), "--batch-size",
                     "-1"]) == 2
    assert "batch_size must be >= 1" in capsys.readouterr().err


def test_memory_stays_bounded(tmp_path):
    """The workers write each image themselves: the run never holds the dataset
    (the peak of traced allocations stays far below its size, and would not if the
    images were collected)."""
    import tracemalloc

    images = np.random.default_rng(4).integers(0, 256, (48, 256, 256), dtype=np.uint8)
    for i, image in enumerate(images):
        folder = tmp_path / "in" / f"class{i % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        assert cv2.imwrite(str(folder / f"{i}.png"), image)
    pipe = parse_steps("median,clahe")
    preprocess(tmp_path / "in", tmp_path / "warm", pipe, num_workers=2, progress=False)
    tracemalloc.start()
    try:
        summary = preprocess(tmp_path / "in", tmp_path / "out", pipe, num_workers=2,
                             progress=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert summary.n_written == 48
    assert peak < images.nbytes / 4, (peak, images.nbytes)
