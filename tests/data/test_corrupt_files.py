"""Corrupt, odd and hostile files: each is refused by name, or left out and named,
never a hang, a raw third-party error, a wrong value or half a file."""

import os
import re
import struct
import zlib

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file

from ctkidney._shared.files import FILE_MODE, atomic_write
from ctkidney.data import (
    Volume,
    load_dataset,
    make_dataset,
    read_dicom,
    read_image,
    read_nifti,
    read_series,
    save_dataset,
    write_nifti,
)

CT = get_testdata_file("CT_small.dcm")


def _png_header(width, height):
    """A tiny PNG whose header claims ``width`` x ``height`` grey pixels."""
    def chunk(kind, data):
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 10)) + chunk(b"IEND", b""))


def _fifo(path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(path)
    return path


# --- images -------------------------------------------------------------------------------
def test_read_image_refuses_a_fifo_without_blocking(tmp_path):
    fifo = _fifo(tmp_path / "slice.jpg")
    with pytest.raises(ValueError, match="not a regular file"):
        read_image(fifo)
    with pytest.raises(ValueError, match="not a regular file"):
        read_image(tmp_path)


def test_read_image_names_a_header_opencv_refuses(tmp_path):
    path = tmp_path / "huge.png"
    path.write_bytes(_png_header(100_000, 100_000))
    with pytest.raises(ValueError, match="huge.png.*OpenCV refused it"):
        read_image(path)


def test_load_dataset_decode_leaves_out_and_names_an_oversized_header(tmp_path):
    save_dataset(make_dataset(2, size=32, rng=0), tmp_path)
    folder = next(tmp_path.iterdir())
    victim = sorted((folder / "Stone").iterdir())[0]
    victim.write_bytes(_png_header(100_000, 100_000))
    with pytest.warns(UserWarning, match=f"1 unreadable image.*{re.escape(victim.name)}"):
        ds = load_dataset(tmp_path, verify="decode")
    assert len(ds) == 7


def test_study_names_an_unreadable_image_and_runs_on(tmp_path):
    from ctkidney.study import run_study
    save_dataset(make_dataset(2, size=32, rng=0), tmp_path / "kaggle")
    folder = next((tmp_path / "kaggle").iterdir())
    victim = sorted((folder / "Cyst").iterdir())[0]
    victim.write_bytes(_png_header(100_000, 100_000))
    with pytest.warns(UserWarning, match="unreadable"):
        res = run_study(data=tmp_path / "kaggle", out=tmp_path / "out", sections=["dataset"],
                        quick=True, progress=False, echo=lambda *a: None)
    assert res["sections"]["dataset"]["status"] == "ok"
    report = (tmp_path / "out" / "report.md").read_text()
    assert victim.name in report and "unreadable" in report
    assert os.stat(tmp_path / "out" / "report.md").st_mode & 0o777 == FILE_MODE


@pytest.mark.timeout(120)
def test_preprocess_passes_over_a_fifo(tmp_path):
    from ctkidney.parallel import preprocess
    save_dataset(make_dataset(1, size=32, rng=0), tmp_path / "in")
    folder = next((tmp_path / "in").iterdir())
    _fifo(folder / "Cyst" / "pipe.jpg")
    summary = preprocess(tmp_path / "in", tmp_path / "out", steps="median",
                         progress=False)
    assert summary.n_images == 4 and not summary.errors


# --- writing whole --------------------------------------------------------------------------
def test_atomic_write_gives_the_usual_permissions_and_leaves_nothing_on_error(tmp_path):
    atomic_write(tmp_path / "a.txt", "text")
    assert (tmp_path / "a.txt").read_text() == "text"
    assert os.stat(tmp_path / "a.txt").st_mode & 0o777 == FILE_MODE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_write_nifti_is_whole_or_nothing(tmp_path, monkeypatch):
    import nibabel as nib
    vol = Volume(np.zeros((2, 3, 4), np.int16), (3.0, 0.8, 0.8), (0.0, 0.0, 0.0))
    target = tmp_path / "ct.nii.gz"
    write_nifti(vol, target)
    before = target.read_bytes()

    def interrupted(image, path):
        with open(path, "wb") as f:
            f.write(b"half")
        raise KeyboardInterrupt
    monkeypatch.setattr(nib, "save", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_nifti(Volume(np.ones((2, 3, 4), np.int16), *vol[1:]), target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ct.nii.gz"]


@pytest.mark.parametrize("name", ["ct", "ct.mgz", "ct.txt", "ct.img"])
def test_write_nifti_writes_only_nifti_file_names(tmp_path, name):
    vol = Volume(np.zeros((2, 3, 4), np.int16), (3.0, 0.8, 0.8), (0.0, 0.0, 0.0))
    with pytest.raises(ValueError, match="path must name a .nii or .nii.gz file"):
        write_nifti(vol, tmp_path / name)
    with pytest.raises(ValueError, match="path must name"):
        write_nifti(vol, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_read_nifti_refuses_a_header_claiming_too_many_voxels(tmp_path):
    import nibabel as nib
    path = tmp_path / "claim.nii"
    nib.save(nib.Nifti1Image(np.zeros((2, 2, 2), np.float64), np.eye(4)), path)
    data = bytearray(path.read_bytes())
    data[40:56] = struct.pack("<8h", 3, 30000, 30000, 30000, 1, 1, 1, 1)  # dim[0..7]
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="claim.nii.*would need"):
        read_nifti(path)



@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_read_nifti_refuses_complex_voxels(tmp_path, dtype):
    # nibabel reads them; taking the real part with only a ComplexWarning was a
    # silent wrong answer (MR phase data, not HU).
    import nibabel as nib
    path = tmp_path / "phase.nii"
    nib.save(nib.Nifti1Image(np.full((2, 2, 2), 1 + 2j, dtype), np.eye(4)), path)
    with pytest.raises(ValueError, match=r"phase\.nii.*complex"):
        read_nifti(path)


def test_read_nifti_refuses_rgb_voxels(tmp_path):
    import nibabel as nib
    path = tmp_path / "rgb.nii"
    rgb = np.zeros((2, 2, 2), dtype=[("R", "u1"), ("G", "u1"), ("B", "u1")])
    nib.save(nib.Nifti1Image(rgb, np.eye(4)), path)
    with pytest.raises(ValueError, match=r"rgb\.nii.*real numbers"):
        read_nifti(path)


@pytest.mark.parametrize("ext, shape, claimed", [
    (".png", (30, 40), 30 * 40), (".png", (30, 40, 3), 30 * 40 * 3),
    (".jpg", (30, 40), 30 * 40), (".jpg", (30, 40, 3), 30 * 40 * 3),
])
def test_read_image_checks_the_header_size_before_decoding(tmp_path, monkeypatch, ext, shape,
                                                           claimed):
    # A header may claim gigabytes of pixels (a 32768**2 RGBA 16-bit PNG asks
    # OpenCV for 8 GiB): the claim is checked against MAX_BYTES before OpenCV
    # allocates anything. Here the limit is lowered instead of the file enlarged.
    import cv2

    from ctkidney._shared import validation
    path = tmp_path / f"slice{ext}"
    cv2.imwrite(str(path), np.zeros(shape, np.uint8))
    assert read_image(path).shape == shape[:2]  # within the limit: read as before
    monkeypatch.setattr(validation, "MAX_BYTES", claimed - 1)

    def never(*args):
        raise AssertionError("OpenCV was asked to decode")

    monkeypatch.setattr(cv2, "imdecode", never)
    with pytest.raises(ValueError, match=rf"path='.*slice\{ext}' would need (1.2|3.5) KiB"):
        read_image(path)


def test_read_image_reads_the_size_off_png_and_jpeg_headers():
    import cv2

    from ctkidney.data._io import _declared_bytes
    cases = [(".png", np.zeros((5, 7), np.uint16)), (".png", np.zeros((5, 7, 4), np.uint16)),
             (".png", np.zeros((5, 7, 3), np.uint8)), (".jpg", np.zeros((9, 11, 3), np.uint8))]
    for ext, image in cases:
        data = cv2.imencode(ext, image)[1]
        assert _declared_bytes(data) == cv2.imdecode(data, cv2.IMREAD_UNCHANGED).nbytes
    progressive = cv2.imencode(".jpg", np.zeros((9, 11), np.uint8),
                               [cv2.IMWRITE_JPEG_PROGRESSIVE, 1])[1]
    assert _declared_bytes(progressive) == 99
    # Other formats, and headers cut short or garbled, are left to OpenCV.
    for data in (cv2.imencode(".bmp", np.zeros((3, 3), np.uint8))[1], b"\x89PNG\r\n\x1a\n",
                 b"\xff\xd8\xff", b"\xff\xd8\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09",
                 b"\xff\xd8\xff\xda\x00\x02" + bytes(8)):
        assert _declared_bytes(np.frombuffer(bytes(data), np.uint8)) is None

# --- DICOM ----------------------------------------------------------------------------------
def test_read_dicom_rescales_a_large_integral_slope_without_wrapping(tmp_path):
    ds = pydicom.dcmread(CT)
    stored = ds.pixel_array.astype(np.float64)
    ds.RescaleSlope, ds.RescaleIntercept = "1e16", "0"
    ds.save_as(tmp_path / "slope.dcm")
    hu = read_dicom(tmp_path / "slope.dcm")
    assert hu.dtype == np.float32
    np.testing.assert_allclose(hu, stored * 1e16, rtol=1e-6)
    ds.RescaleSlope, ds.RescaleIntercept = "1", "1e300"
    ds.save_as(tmp_path / "intercept.dcm")
    with pytest.raises(ValueError, match="intercept.dcm.*beyond float32"):
        read_dicom(tmp_path / "intercept.dcm")


def _series(folder, n=3):
    folder.mkdir()
    for k in range(n):
        ds = pydicom.dcmread(CT)
        ds.ImagePositionPatient = [0.0, 0.0, 2.0 * k]
        ds.InstanceNumber = k + 1
        ds.save_as(folder / f"s{k}.dcm")
    return folder


def test_read_series_names_a_broken_slice_file(tmp_path):
    folder = _series(tmp_path / "series")
    (folder / "s9.dcm").write_bytes(b"")
    (folder / "notes.txt").write_text("not an image")  # not named as DICOM: no warning
    with pytest.warns(UserWarning, match=r"1 file\(s\) .* named as DICOM left out: s9.dcm"):
        volume = read_series(folder)
    assert volume.hu.shape[0] == 3


def test_read_series_refuses_a_pixel_spacing_that_is_not_positive(tmp_path):
    folder = _series(tmp_path / "series")
    for name in ("s0.dcm", "s1.dcm", "s2.dcm"):
        ds = pydicom.dcmread(folder / name)
        ds.PixelSpacing = [0, 0]
        ds.save_as(folder / name)
    with pytest.raises(ValueError, match="PixelSpacing that is not positive"):
        read_series(folder)


def test_study_leaves_out_and_names_a_corrupt_volume(tmp_path, rng):
    from ctkidney.study import run_study
    root = tmp_path / "cases"
    (root / "Tumor").mkdir(parents=True)
    hu = rng.integers(-1000, 1000, (5, 64, 64)).astype(np.int16)
    write_nifti(Volume(hu, (3.0, 0.8, 0.8), (0.0, 0.0, 0.0)), root / "Tumor" / "good.nii")
    write_nifti(Volume(hu, (3.0, 0.8, 0.8), (0.0, 0.0, 0.0)), root / "Tumor" / "bad.nii")
    bad = root / "Tumor" / "bad.nii"
    bad.write_bytes(bad.read_bytes()[:-50])
    with pytest.warns(UserWarning, match="1 unreadable volume.*bad.nii"):
        res = run_study(data=root, out=tmp_path / "out", sections=["dataset"],
                        progress=False, echo=lambda *a: None)
    assert res["sections"]["dataset"]["status"] == "ok"
    assert "bad.nii" in (tmp_path / "out" / "report.md").read_text()


# --- the command line -----------------------------------------------------------------------
def test_cli_reports_an_out_that_is_a_file(tmp_path, capsys):
    from ctkidney.cli import main
    (tmp_path / "taken").write_text("a file")
    for out in ("taken", "taken/sub"):
        code = main(["study", "--quick", "--no-progress", "--sections", "dataset",
                     "--out", str(tmp_path / out)])
        assert code == 2
        assert "ctkidney study: error:" in capsys.readouterr().err


def test_kidney_data_csv_that_is_not_utf8_is_named(tmp_path):
    save_dataset(make_dataset(1, size=32, rng=0), tmp_path)
    csv_path = next(tmp_path.iterdir()) / "kidneyData.csv"
    csv_path.write_bytes(b"\xff\xfe\x00garbage\x81\n")
    with pytest.raises(ValueError, match="kidneyData.csv.*as a CSV file"):
        load_dataset(tmp_path)


def test_preprocess_tries_the_steps_before_writing_anything(tmp_path):
    from ctkidney.parallel import preprocess
    save_dataset(make_dataset(1, size=32, rng=0), tmp_path / "in")
    with pytest.raises(ValueError, match="fail on the first image.*size"):
        preprocess(tmp_path / "in", tmp_path / "out", steps="median:size=4", progress=False)
    assert not (tmp_path / "out").exists()


def test_study_refuses_a_kaggle_layout_without_a_readable_image(tmp_path):
    from ctkidney.study import run_study
    save_dataset(make_dataset(1, size=32, rng=0), tmp_path / "kaggle")
    folder = next((tmp_path / "kaggle").iterdir())
    (folder / "kidneyData.csv").unlink()
    for image in folder.rglob("*.jpg"):
        image.write_bytes(b"")
    with pytest.warns(UserWarning, match="unreadable"):
        with pytest.raises(ValueError, match="no readable image"):
            run_study(data=tmp_path / "kaggle", out=tmp_path / "out", sections=["dataset"],
                      quick=True, progress=False, echo=lambda *a: None)


def test_images_scale_a_16_bit_slice_among_8_bit_ones(tmp_path):
    import cv2
    save_dataset(make_dataset(1, size=32, rng=0), tmp_path)
    folder = next(tmp_path.iterdir())
    (folder / "kidneyData.csv").unlink()
    wide = np.full((32, 32), 200 * 257, np.uint16)
    assert cv2.imwrite(str(folder / "Cyst" / "Cyst- (9).png"), wide)
    ds = load_dataset(tmp_path)
    with pytest.warns(UserWarning, match="1 of 5 slices are 16-bit"):
        stack = ds.images()
    assert stack.dtype == np.uint8 and len(stack) == 5
    index = [str(p).endswith("Cyst- (9).png") for p in ds.paths].index(True)
    assert (stack[index] == 200).all()


def test_read_nifti_names_nan_voxels(tmp_path):
    hu = np.zeros((2, 3, 4), np.float32)
    hu[0, 0, 0] = np.nan
    write_nifti(Volume(hu, (3.0, 0.8, 0.8), (0.0, 0.0, 0.0)), tmp_path / "nan.nii")
    with pytest.warns(UserWarning, match="nan.nii.*1 NaN or inf voxel"):
        volume = read_nifti(tmp_path / "nan.nii")
    assert np.isnan(volume.hu).sum() == 1


def test_load_dataset_names_what_it_passes_over_in_class_folders(tmp_path):
    save_dataset(make_dataset(1, size=32, rng=0), tmp_path)
    folder = next(tmp_path.iterdir())
    (folder / "kidneyData.csv").unlink()
    (folder / "Cyst" / "Cyst- (7).jpg").symlink_to(tmp_path / "nowhere.jpg")
    (folder / "Stone" / "more").mkdir()
    save_dataset(make_dataset(1, size=32, rng=1), folder / "Stone" / "more")
    with pytest.warns(UserWarning, match=r"2 entr.*Cyst- \(7\).jpg \(not a regular file\)"
                                         r".*Stone/more/ \(a subfolder: not read\)"):
        ds = load_dataset(tmp_path)
    assert len(ds) == 4
