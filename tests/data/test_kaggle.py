import csv
import os
import re
import warnings

import cv2
import numpy as np
import pytest

from ctkidney.data import (
    CLASSES,
    CSV_NAME,
    DATASET_DIR,
    Dataset,
    load_dataset,
    make_dataset,
    read_image,
    save_dataset,
)

COLAB = "/content/drive/MyDrive/CT-KIDNEY-DATASET-Normal-Cyst-Tumor-Stone/" \
        "CT-KIDNEY-DATASET-Normal-Cyst-Tumor-Stone"


def _jpeg(path, value=100, shape=(16, 16)):
    ok, buf = cv2.imencode(".jpg", np.full(shape, value, np.uint8))
    buf.tofile(path)


def _layout(base, counts=(2, 3, 1, 2), folders=CLASSES, doubled=True, csv_at="outer",
            colab=True, shuffle_rows=False):
    """Write a Kaggle-like tree under ``base``; returns the expected (names, labels)."""
    outer = base / DATASET_DIR
    inner = outer / DATASET_DIR if doubled else outer
    inner.mkdir(parents=True)
    rows, names, labels = [], [], []
    for cls, (folder, n) in enumerate(zip(folders, counts)):
        (inner / folder).mkdir()
        for k in range(1, n + 1):
            name = f"{CLASSES[cls]}- ({k}).jpg"
            _jpeg(inner / folder / name, value=40 * cls + k)
            names.append(name)
            labels.append(cls)
            prefix = COLAB if colab else ""
            rows.append([len(rows), name[:-4], f"{prefix}/{CLASSES[cls]}/{name}".lstrip("/"),
                         CLASSES[cls], cls, CLASSES[cls]])
    if shuffle_rows:
        rows = rows[::-1]
        names, labels = names[::-1], labels[::-1]
    if csv_at is not None:
        where = {"outer": outer, "base": base, "inner": inner}[csv_at]
        _write_csv(where / CSV_NAME, rows)
    return names, labels


def _write_csv(path, rows, header=("", "image_id", "path", "diag", "target", "Class")):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def _rows(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


@pytest.mark.parametrize("doubled", [True, False])
@pytest.mark.parametrize("csv_at", [None, "outer", "base", "inner"])
def test_load_layouts(tmp_path, doubled, csv_at):
    names, labels = _layout(tmp_path, doubled=doubled, csv_at=csv_at)
    ds = load_dataset(tmp_path)
    assert ds.is_lazy
    assert list(ds.names) == names
    np.testing.assert_array_equal(ds.labels, labels)
    assert ds.class_counts() == {"Cyst": 2, "Normal": 3, "Stone": 1, "Tumor": 2}
    assert ds.root.name == DATASET_DIR
    images = ds.images()
    assert images.shape == (8, 16, 16) and images.dtype == np.uint8


def test_load_from_the_dataset_folder_itself(tmp_path):
    names, _ = _layout(tmp_path, doubled=True)
    ds = load_dataset(tmp_path / DATASET_DIR / DATASET_DIR)
    assert list(ds.names) == names


def test_load_uppercase_folders(tmp_path):
    names, labels = _layout(tmp_path, folders=("CYST", "NORMAL", "STONE", "TUMOR"), csv_at=None)
    ds = load_dataset(tmp_path)
    assert list(ds.names) == names
    np.testing.assert_array_equal(ds.labels, labels)


def test_load_uppercase_folders_with_csv(tmp_path):
    names, labels = _layout(tmp_path, folders=("CYST", "NORMAL", "STONE", "TUMOR"))
    ds = load_dataset(tmp_path)
    np.testing.assert_array_equal(ds.labels, labels)


def test_load_csv_order_and_relative_paths(tmp_path):
    names, labels = _layout(tmp_path, colab=False, shuffle_rows=True)
    ds = load_dataset(tmp_path)
    assert list(ds.names) == names  # CSV order, not folder order
    np.testing.assert_array_equal(ds.labels, labels)


def test_load_windows_paths_in_csv(tmp_path):
    _layout(tmp_path, counts=(1, 1, 1, 1), csv_at=None, doubled=False)
    rows = [[i, f"{c}- (1)", f"C:\\Users\\me\\data\\{c}\\{c}- (1).jpg", c, i, c]
            for i, c in enumerate(CLASSES)]
    _write_csv(tmp_path / DATASET_DIR / CSV_NAME, rows)
    assert load_dataset(tmp_path).labels.tolist() == [0, 1, 2, 3]


def test_load_natural_order_without_csv(tmp_path):
    folder = tmp_path / DATASET_DIR / "Cyst"
    folder.mkdir(parents=True)
    for k in (10, 2, 1):
        _jpeg(folder / f"Cyst- ({k}).jpg")
    (folder / ".hidden.jpg").write_bytes(b"x")
    (folder / "notes.txt").write_text("not an image")
    ds = load_dataset(tmp_path, strict=True)
    assert ds.names == ("Cyst- (1).jpg", "Cyst- (2).jpg", "Cyst- (10).jpg")
    assert ds.class_counts() == {"Cyst": 3, "Normal": 0, "Stone": 0, "Tumor": 0}


def test_csv_missing_file_is_a_mismatch(tmp_path):
    _layout(tmp_path)
    inner = tmp_path / DATASET_DIR / DATASET_DIR
    os.remove(inner / "Normal" / "Normal- (2).jpg")
    with pytest.raises(ValueError, match=r"disagree.*Normal/Normal- \(2\)\.jpg is not on disk"):
        load_dataset(tmp_path)


def test_csv_extra_file_is_a_mismatch(tmp_path):
    _layout(tmp_path)
    _jpeg(tmp_path / DATASET_DIR / DATASET_DIR / "Stone" / "Stone- (99).jpg")
    with pytest.raises(ValueError, match=r"Stone/Stone- \(99\)\.jpg is not in kidneyData.csv"):
        load_dataset(tmp_path)


def test_csv_label_mismatch_lists_first_mismatches(tmp_path):
    _layout(tmp_path, counts=(15, 1, 1, 1))
    path = tmp_path / DATASET_DIR / CSV_NAME
    rows = _rows(path)
    for row in rows[1:16]:
        row[4] = "3"  # Cyst files labelled Tumor
    _write_csv(path, rows[1:], header=rows[0])
    with pytest.raises(ValueError) as info:
        load_dataset(tmp_path)
    message = str(info.value)
    assert "15 mismatches" in message and "target 3 (Tumor) but folder Cyst" in message
    assert "line 2:" in message and "and 5 more" in message  # the first 10 are listed


@pytest.mark.parametrize("column, value, expected", [
    (3, "Tumor", "diag 'Tumor'"), (5, "Stone", "Class 'Stone'"),
    (1, "Cyst- (7)", "image_id 'Cyst- (7)'")])
def test_csv_other_column_mismatches(tmp_path, column, value, expected):
    _layout(tmp_path)
    path = tmp_path / DATASET_DIR / CSV_NAME
    rows = _rows(path)
    rows[1][column] = value
    _write_csv(path, rows[1:], header=rows[0])
    with pytest.raises(ValueError, match=re.escape(expected)):
        load_dataset(tmp_path)


def test_csv_duplicate_row(tmp_path):
    _layout(tmp_path)
    path = tmp_path / DATASET_DIR / CSV_NAME
    rows = _rows(path)
    _write_csv(path, rows[1:] + [rows[1]], header=rows[0])
    with pytest.raises(ValueError, match="listed twice"):
        load_dataset(tmp_path)


@pytest.mark.parametrize("evil", [
    "../../../etc/Cyst/passwd.jpg", "Cyst/../../secret.jpg", "..\\..\\Cyst\\x.jpg",
    "/content/../../Cyst/Cyst- (1).jpg", "Cyst/..", "x.jpg"])
def test_csv_path_traversal_refused(tmp_path, evil):
    _layout(tmp_path)
    path = tmp_path / DATASET_DIR / CSV_NAME
    rows = _rows(path)
    rows[1][2] = evil
    _write_csv(path, rows[1:], header=rows[0])
    with pytest.raises(ValueError, match="refused"):
        load_dataset(tmp_path)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_csv_symlink_out_of_root_refused(tmp_path):
    _layout(tmp_path, csv_at="outer")
    outside = tmp_path / "outside.jpg"
    _jpeg(outside)
    link = tmp_path / DATASET_DIR / DATASET_DIR / "Cyst" / "Cyst- (1).jpg"
    link.unlink()
    try:
        link.symlink_to(outside)
    except OSError:
        pytest.skip("symlinks not permitted")
    with pytest.raises(ValueError, match="outside the dataset root"):
        load_dataset(tmp_path)


@pytest.mark.parametrize("header", [("image_id", "path"), ("", "id", "path", "diag", "target",
                                                            "Class")])
def test_csv_bad_header(tmp_path, header):
    _layout(tmp_path, csv_at=None)
    _write_csv(tmp_path / DATASET_DIR / CSV_NAME, [], header=header)
    with pytest.raises(ValueError, match="header"):
        load_dataset(tmp_path)


@pytest.mark.parametrize("change, match", [((4, "x"), "target must be an integer"),
                                           ((4, "7"), "target must be 0..3"),
                                           ((2, "nofolder.jpg"), "refused")])
def test_csv_bad_cells(tmp_path, change, match):
    _layout(tmp_path)
    path = tmp_path / DATASET_DIR / CSV_NAME
    rows = _rows(path)
    rows[1][change[0]] = change[1]
    _write_csv(path, rows[1:], header=rows[0])
    with pytest.raises(ValueError, match=match):
        load_dataset(tmp_path)


def test_csv_wrong_column_count(tmp_path):
    _layout(tmp_path)
    path = tmp_path / DATASET_DIR / CSV_NAME
    rows = _rows(path)
    rows[1] = rows[1][:3]
    _write_csv(path, rows[1:], header=rows[0])
    with pytest.raises(ValueError, match="expected 6 columns"):
        load_dataset(tmp_path)


def test_csv_path_not_in_a_class_folder(tmp_path):
    _layout(tmp_path)
    path = tmp_path / DATASET_DIR / CSV_NAME
    rows = _rows(path)
    rows[1][2] = "/content/Kidneys/Cyst- (1).jpg"
    _write_csv(path, rows[1:], header=rows[0])
    with pytest.raises(ValueError, match="not in a class folder"):
        load_dataset(tmp_path)


def _corrupt(tmp_path, csv_at="outer"):
    _layout(tmp_path, csv_at=csv_at)
    inner = tmp_path / DATASET_DIR / DATASET_DIR
    good = (inner / "Stone" / "Stone- (1).jpg").read_bytes()
    (inner / "Stone" / "Stone- (1).jpg").write_bytes(good[: len(good) // 2])  # truncated
    (inner / "Tumor" / "Tumor- (2).jpg").write_bytes(b"")  # empty
    return inner


@pytest.mark.parametrize("csv_at", [None, "outer"])
def test_corrupt_images_skipped_with_warning(tmp_path, csv_at):
    _corrupt(tmp_path, csv_at)
    with pytest.warns(UserWarning, match=r"2 unreadable.*Stone/Stone- \(1\)\.jpg.*truncated"
                                         r".*Tumor/Tumor- \(2\)\.jpg"):
        ds = load_dataset(tmp_path)
    assert len(ds) == 6 and "Stone- (1).jpg" not in ds.names
    assert ds.images().shape == (6, 16, 16)  # everything left is readable


def test_corrupt_images_raise_when_strict(tmp_path):
    _corrupt(tmp_path)
    with pytest.raises(ValueError, match=r"Stone- \(1\)\.jpg.*Tumor- \(2\)\.jpg"):
        load_dataset(tmp_path, strict=True)


def test_verify_decode_catches_bad_data_with_valid_markers(tmp_path):
    _layout(tmp_path)
    bad = tmp_path / DATASET_DIR / DATASET_DIR / "Cyst" / "Cyst- (2).jpg"
    bad.write_bytes(b"\xff\xd8\xff" + b"\x00" * 100 + b"\xff\xd9")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ds = load_dataset(tmp_path)  # header check passes
    assert len(ds) == 8
    with pytest.raises(ValueError, match=r"Cyst- \(2\)\.jpg"):
        ds.images()  # reading names the file
    with pytest.warns(UserWarning, match=r"Cyst/Cyst- \(2\)\.jpg"):
        assert len(load_dataset(tmp_path, verify="decode")) == 7


def test_jpeg_padded_after_end_marker_is_fine(tmp_path):
    _layout(tmp_path)
    path = tmp_path / DATASET_DIR / DATASET_DIR / "Cyst" / "Cyst- (1).jpg"
    path.write_bytes(path.read_bytes() + b"\x00" * 10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ds = load_dataset(tmp_path, strict=True)
    assert ds.image(0).shape == (16, 16)


def test_verify_none_checks_nothing(tmp_path):
    _corrupt(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(load_dataset(tmp_path, verify="none")) == 8


def test_header_check_accepts_png_bmp_tiff(tmp_path):
    folder = tmp_path / "Normal"
    folder.mkdir()
    for ext in (".png", ".bmp", ".tiff"):
        ok, buf = cv2.imencode(ext, np.zeros((4, 4), np.uint8))
        buf.tofile(folder / f"Normal- (1){ext}")
    (folder / "Normal- (2).png").write_bytes(b"GIF89a" + b"\x00" * 20)
    with pytest.warns(UserWarning, match="not a JPEG, PNG"):
        ds = load_dataset(tmp_path)
    assert len(ds) == 3


def test_load_errors(tmp_path):
    with pytest.raises(TypeError, match="root"):
        load_dataset(5)
    with pytest.raises(ValueError, match="not a folder"):
        load_dataset(tmp_path / "nope")
    with pytest.raises(ValueError, match="no class folders"):
        load_dataset(tmp_path)
    with pytest.raises(ValueError, match="verify"):
        load_dataset(tmp_path, verify="full")


def test_two_folders_for_one_class(tmp_path):
    (tmp_path / "Cyst").mkdir()
    (tmp_path / "CYST").mkdir()
    with pytest.raises(ValueError, match="two folders for class Cyst"):
        load_dataset(tmp_path)


# --- save_dataset ---------------------------------------------------------------

def test_save_load_round_trip(tmp_path):
    ds = make_dataset(3, size=48, rng=1)
    root = save_dataset(ds, tmp_path / "out")
    back = load_dataset(root, strict=True)
    assert back.names == ds.names
    np.testing.assert_array_equal(back.labels, ds.labels)
    diff = np.abs(back.images().astype(int) - ds.images().astype(int))
    assert diff.mean() < 3  # JPEG at quality 95
    rows = _rows(root / DATASET_DIR / CSV_NAME)
    assert rows[0] == ["", "image_id", "path", "diag", "target", "Class"]
    assert rows[1] == ["0", "Cyst- (1)", "Cyst/Cyst- (1).jpg", "Cyst", "0", "Cyst"]
    assert sorted(p.name for p in (root / DATASET_DIR).iterdir()) == sorted(
        [*CLASSES, CSV_NAME])


def test_save_writes_exact_jpeg(tmp_path):
    image = np.random.default_rng(0).integers(0, 256, (20, 20), dtype=np.uint8)
    ds = Dataset([2], images=image[None], names=["Stone- (5).png"])
    root = save_dataset(ds, tmp_path, quality=80)
    path = root / DATASET_DIR / "Stone" / "Stone- (5).jpg"
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert path.read_bytes() == buf.tobytes()
    np.testing.assert_array_equal(read_image(path), cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE))


def test_save_lazy_dataset_round_trip(tmp_path):
    _layout(tmp_path / "src")
    lazy = load_dataset(tmp_path / "src")
    back = load_dataset(save_dataset(lazy, tmp_path / "copy"))
    assert back.names == lazy.names and back.labels.tolist() == lazy.labels.tolist()


def test_save_refuses_existing_unless_overwrite(tmp_path):
    ds = make_dataset(1, size=32, rng=0)
    save_dataset(ds, tmp_path)
    with pytest.raises(FileExistsError, match="overwrite"):
        save_dataset(ds, tmp_path)
    smaller = ds.subset([0, 1])
    save_dataset(smaller, tmp_path, overwrite=True)
    assert len(load_dataset(tmp_path)) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [DATASET_DIR]  # no leftovers


def test_save_error_leaves_nothing_half_written(tmp_path):
    images = [np.zeros((8, 8), np.uint8), np.zeros((8, 8), np.float32)]
    ds = Dataset([0, 1], images=images)
    with pytest.raises(TypeError, match="uint8"):
        save_dataset(ds, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_save_error_keeps_the_previous_dataset(tmp_path):
    save_dataset(make_dataset(1, size=32, rng=0), tmp_path)
    bad = Dataset([0], images=[np.zeros((8, 8, 3), np.uint8)])
    with pytest.raises(TypeError, match="2-D uint8"):
        save_dataset(bad, tmp_path, overwrite=True)
    assert len(load_dataset(tmp_path)) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == [DATASET_DIR]


@pytest.mark.parametrize("names, match", [(["a/b.jpg"], "plain file name"),
                                          ([".."], "plain file name"),
                                          (["x.jpg", "x.png"], "both be written")])
def test_save_bad_names(tmp_path, names, match):
    ds = Dataset([0] * len(names), images=np.zeros((len(names), 4, 4), np.uint8), names=names)
    with pytest.raises(ValueError, match=match):
        save_dataset(ds, tmp_path)


def test_save_bad_arguments(tmp_path):
    ds = make_dataset(1, size=32, rng=0)
    with pytest.raises(TypeError, match="dataset"):
        save_dataset(np.zeros((1, 4, 4), np.uint8), tmp_path)
    with pytest.raises(ValueError, match="quality"):
        save_dataset(ds, tmp_path, quality=0)
    with pytest.raises(TypeError, match="root"):
        save_dataset(ds, None)
    other = Dataset([0], images=np.zeros((1, 4, 4), np.uint8), class_names=("A", "B"))
    with pytest.raises(ValueError, match="class_names"):
        save_dataset(other, tmp_path)
