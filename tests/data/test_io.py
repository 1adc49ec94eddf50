import shutil
from pathlib import Path

import cv2
import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file

from ctkidney.data import read_dicom, read_image, resize


def _write(path, image):
    ok, buf = cv2.imencode(path.suffix, image)
    assert ok
    buf.tofile(path)
    return path


# --- read_image -----------------------------------------------------------------

def test_read_image_8bit_gray(tmp_path, rng):
    image = rng.integers(0, 256, (20, 30), dtype=np.uint8)
    out = read_image(_write(tmp_path / "a.png", image))
    assert out.dtype == np.uint8 and out.shape == (20, 30)
    np.testing.assert_array_equal(out, image)


def test_read_image_16bit_kept(tmp_path, rng):
    image = rng.integers(0, 65536, (10, 12), dtype=np.uint16)
    out = read_image(_write(tmp_path / "a.png", image))
    assert out.dtype == np.uint16
    np.testing.assert_array_equal(out, image)


@pytest.mark.parametrize("channels, code", [(3, cv2.COLOR_BGR2GRAY), (4, cv2.COLOR_BGRA2GRAY)])
def test_read_image_colour_to_gray(tmp_path, rng, channels, code):
    image = rng.integers(0, 256, (16, 16, channels), dtype=np.uint8)
    out = read_image(_write(tmp_path / "c.png", image))
    assert out.ndim == 2
    np.testing.assert_array_equal(out, cv2.cvtColor(image, code))


def test_read_image_jpeg_matches_cv2_imread(tmp_path, rng):
    image = rng.integers(0, 256, (32, 32), dtype=np.uint8)
    path = _write(tmp_path / "Cyst- (1).jpg", image)
    np.testing.assert_array_equal(read_image(path),
                                  cv2.imread(str(path), cv2.IMREAD_UNCHANGED))


def test_read_image_non_ascii_path(tmp_path, rng):
    image = rng.integers(0, 256, (8, 8), dtype=np.uint8)
    folder = tmp_path / "données_肾脏"
    folder.mkdir()
    out = read_image(_write(folder / "Zyste ü.png", image))
    np.testing.assert_array_equal(out, image)


def test_read_image_accepts_str(tmp_path):
    path = _write(tmp_path / "a.png", np.zeros((3, 3), np.uint8))
    assert read_image(str(path)).shape == (3, 3)


@pytest.mark.parametrize("reader", [read_image, read_dicom])
@pytest.mark.parametrize("content", [b"", b"not an image at all", b"\xff\xd8\xff" + b"\x00" * 40,
                                     b"\x00" * 200])
def test_unreadable_file_named(tmp_path, reader, content):
    path = tmp_path / "broken.jpg"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="broken.jpg"):
        reader(path)


@pytest.mark.parametrize("reader", [read_image, read_dicom])
def test_missing_file_named(tmp_path, reader):
    with pytest.raises(ValueError, match="missing.png"):
        reader(tmp_path / "missing.png")


def test_read_image_folder_is_not_an_image(tmp_path):
    with pytest.raises(ValueError, match=str(tmp_path.name)):
        read_image(tmp_path)


def test_read_image_float_tiff_refused(tmp_path):
    path = tmp_path / "f.tiff"
    ok, buf = cv2.imencode(".tiff", np.zeros((4, 4), np.float32))
    buf.tofile(path)
    with pytest.raises(ValueError, match="8- and 16-bit"):
        read_image(path)


@pytest.mark.parametrize("bad", [None, 3, ["a.png"]])
def test_read_image_bad_path_type(bad):
    with pytest.raises(TypeError, match="path"):
        read_image(bad)


# --- resize ---------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16, np.float32, np.float64])
def test_resize_shrink_is_area(rng, dtype):
    image = rng.integers(0, 200, (40, 30)).astype(dtype)
    out = resize(image, (20, 15))
    assert out.dtype == dtype and out.shape == (20, 15)
    expected = cv2.resize(image, (15, 20), interpolation=cv2.INTER_AREA)
    np.testing.assert_array_equal(out, expected)
    # Area interpolation by 2: the mean of each 2x2 block.
    blocks = image.astype(np.float64).reshape(20, 2, 15, 2).mean(axis=(1, 3))
    np.testing.assert_allclose(out, blocks, atol=0.5 if image.dtype.kind in "ui" else 1e-4)


def test_resize_enlarge_is_linear(rng):
    image = rng.random((5, 7)).astype(np.float32)
    out = resize(image, 14)
    np.testing.assert_array_equal(out, cv2.resize(image, (14, 14),
                                                  interpolation=cv2.INTER_LINEAR))


def test_resize_same_size_is_a_copy(rng):
    image = rng.integers(0, 255, (6, 6), dtype=np.uint8)
    out = resize(image, (6, 6))
    np.testing.assert_array_equal(out, image)
    assert out is not image and not np.shares_memory(out, image)


def test_resize_does_not_mutate(rng):
    image = rng.integers(0, 255, (9, 9), dtype=np.uint8)
    before = image.copy()
    resize(image, 4)
    np.testing.assert_array_equal(image, before)


@pytest.mark.parametrize("size, err", [(0, ValueError), ((3, -1), ValueError), (2.5, TypeError),
                                       ((1, 2, 3), TypeError), (True, TypeError),
                                       ("4", TypeError)])
def test_resize_bad_size(size, err):
    with pytest.raises(err, match="size"):
        resize(np.zeros((4, 4), np.uint8), size)


def test_resize_bad_image():
    with pytest.raises(ValueError, match="image"):
        resize(np.zeros((2, 2, 2), np.uint8), 2)
    with pytest.raises(TypeError, match="image"):
        resize(np.zeros((2, 2), np.int64), 2)


# --- read_dicom -----------------------------------------------------------------

CT_SMALL = get_testdata_file("CT_small.dcm")


def _ct(tmp_path, name="ct.dcm", **changes):
    ds = pydicom.dcmread(CT_SMALL)
    for key, value in changes.items():
        if value is None:
            delattr(ds, key)
        else:
            setattr(ds, key, value)
    path = tmp_path / name
    ds.save_as(path)
    return path


def test_read_dicom_ct_small_in_hu():
    ds = pydicom.dcmread(CT_SMALL)
    hu = read_dicom(CT_SMALL)
    assert hu.dtype == np.int16 and hu.shape == (128, 128)
    expected = ds.pixel_array.astype(np.int64) * int(ds.RescaleSlope) + int(ds.RescaleIntercept)
    np.testing.assert_array_equal(hu, expected)


def test_read_dicom_float_slope_gives_float32(tmp_path):
    raw = pydicom.dcmread(CT_SMALL).pixel_array.astype(np.float64)
    hu = read_dicom(_ct(tmp_path, RescaleSlope="0.5", RescaleIntercept="-1024"))
    assert hu.dtype == np.float32
    np.testing.assert_allclose(hu, raw * 0.5 - 1024)


def test_read_dicom_float_intercept_gives_float32(tmp_path):
    raw = pydicom.dcmread(CT_SMALL).pixel_array.astype(np.float64)
    hu = read_dicom(_ct(tmp_path, RescaleSlope="1", RescaleIntercept="-1024.5"))
    assert hu.dtype == np.float32
    np.testing.assert_allclose(hu, raw - 1024.5)


def test_read_dicom_integer_overflow_gives_float32(tmp_path):
    raw = pydicom.dcmread(CT_SMALL).pixel_array.astype(np.float64)
    hu = read_dicom(_ct(tmp_path, RescaleSlope="40", RescaleIntercept="0"))
    assert hu.dtype == np.float32  # beyond int16
    np.testing.assert_allclose(hu, raw * 40)


def test_read_dicom_without_rescale_keeps_values(tmp_path):
    raw = pydicom.dcmread(CT_SMALL).pixel_array
    hu = read_dicom(_ct(tmp_path, RescaleSlope=None, RescaleIntercept=None))
    assert hu.dtype == np.int16
    np.testing.assert_array_equal(hu, raw)


def test_read_dicom_monochrome1_inverted(tmp_path):
    ds = pydicom.dcmread(CT_SMALL)
    raw = ds.pixel_array.astype(np.int64)
    bits = int(ds.BitsStored)
    assert ds.PixelRepresentation == 1  # signed: range -2**(bits-1) .. 2**(bits-1)-1
    path = _ct(tmp_path, PhotometricInterpretation="MONOCHROME1")
    hu = read_dicom(path)
    inverted = (-(2 ** (bits - 1)) + 2 ** (bits - 1) - 1) - raw
    np.testing.assert_array_equal(hu, inverted - 1024)
    # Denser (brighter in MONOCHROME2) becomes darker: order reversed.
    plain = read_dicom(CT_SMALL).astype(np.int64)
    assert np.corrcoef(plain.ravel(), hu.astype(np.int64).ravel())[0, 1] < -0.99


def test_read_dicom_monochrome1_unsigned(tmp_path):
    ds = pydicom.dcmread(CT_SMALL)
    pixels = np.clip(ds.pixel_array, 0, 4095).astype(np.uint16)
    ds.PixelRepresentation = 0
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelData = pixels.tobytes()
    ds.PhotometricInterpretation = "MONOCHROME1"
    ds.RescaleIntercept = "0"
    path = tmp_path / "m1.dcm"
    ds.save_as(path)
    np.testing.assert_array_equal(read_dicom(path), 4095 - pixels.astype(np.int64))


def test_read_dicom_truncated_names_file():
    path = get_testdata_file("MR_truncated.dcm")
    with pytest.raises(ValueError, match="MR_truncated.dcm"):
        read_dicom(path)


def test_read_dicom_cut_file(tmp_path):
    path = tmp_path / "cut.dcm"
    data = Path(CT_SMALL).read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(ValueError, match="cut.dcm"):
        read_dicom(path)


def test_read_dicom_without_image(tmp_path):
    with pytest.raises(ValueError, match="no image"):
        read_dicom(_ct(tmp_path, "empty.dcm", PixelData=None))
    with pytest.raises(ValueError, match="rtplan.dcm"):
        read_dicom(get_testdata_file("rtplan.dcm"))


def test_read_dicom_colour_refused(tmp_path):
    ds = pydicom.dcmread(CT_SMALL)
    ds.PhotometricInterpretation = "PALETTE COLOR"
    path = tmp_path / "pal.dcm"
    ds.save_as(path)
    with pytest.raises(ValueError, match="grayscale"):
        read_dicom(path)


@pytest.mark.parametrize("slope", ["nan", "inf"])
def test_read_dicom_bad_rescale(tmp_path, slope):
    ds = pydicom.dcmread(CT_SMALL)
    with pytest.warns(UserWarning, match="Invalid value"):
        ds.RescaleSlope = slope
    path = tmp_path / "nan.dcm"
    ds.save_as(path)
    with pytest.raises(ValueError, match="rescale"):
        read_dicom(path)


def test_read_dicom_malformed_slope(tmp_path):
    path = _ct(tmp_path, RescaleSlope="9.25")
    data = path.read_bytes()
    assert data.count(b"9.25") == 1
    path.write_bytes(data.replace(b"9.25", b"abcd"))  # not a number, same length
    with pytest.raises(ValueError, match="malformed rescale RescaleSlope"):
        read_dicom(path)


@pytest.mark.parametrize("slope, match", [("0", "RescaleSlope 0"), ("", None)])
def test_read_dicom_zero_or_empty_slope(tmp_path, slope, match):
    path = _ct(tmp_path, RescaleSlope=slope)
    if match:
        with pytest.raises(ValueError, match=match):
            read_dicom(path)
    else:  # empty: the default slope 1
        np.testing.assert_array_equal(read_dicom(path), read_dicom(CT_SMALL))


def test_read_dicom_bad_path_type():
    with pytest.raises(TypeError, match="path"):
        read_dicom(12)


def test_read_dicom_non_ascii_path(tmp_path):
    folder = tmp_path / "Niere_ü"
    folder.mkdir()
    path = folder / "schnitt.dcm"
    shutil.copy(CT_SMALL, path)
    np.testing.assert_array_equal(read_dicom(path), read_dicom(CT_SMALL))
