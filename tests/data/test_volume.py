"""Volumes: read_series (DICOM), read_nifti / write_nifti, against hand-built series
and the real development CT."""

import warnings

import nibabel as nib
import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.uid import generate_uid

from ctkidney.data import Volume, read_dicom, read_nifti, read_series, write_nifti

_E = {0: np.array([0.0, 0.0, 1.0]), 1: np.array([0.0, 1.0, 0.0]), 2: np.array([1.0, 0.0, 0.0])}


def _template():
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.SeriesInstanceUID = generate_uid()
    return ds


def _write_slice(ds, path, stored, position, row_dir, col_dir, pixel_spacing, *,
                 slope=1, intercept=-1024):
    ds = ds.copy()
    ds.Rows, ds.Columns = stored.shape
    ds.PixelData = np.ascontiguousarray(stored, dtype=np.int16).tobytes()
    ds.ImagePositionPatient = [float(v) for v in position]
    ds.ImageOrientationPatient = [float(v) for v in (*row_dir, *col_dir)]
    ds.PixelSpacing = [float(v) for v in pixel_spacing]
    ds.RescaleSlope, ds.RescaleIntercept = slope, intercept
    ds.SOPInstanceUID = generate_uid()
    ds.save_as(path, enforce_file_format=True)


def _write_volume(folder, hu, spacing, origin, perm=(0, 1, 2), signs=(1, 1, 1), *,
                  ds=None, names=None, intercept=-1024):
    """Write the convention volume ``hu`` as a series acquired along other axes:
    acquisition axis ``a`` runs along volume axis ``perm[a]`` in direction
    ``signs[a]`` (axis 0 = slices, 1 = rows, 2 = columns)."""
    ds = _template() if ds is None else ds
    acq = hu.transpose(perm)
    for a, s in enumerate(signs):
        if s < 0:
            acq = np.flip(acq, axis=a)
    dirs = [signs[a] * _E[perm[a]] for a in range(3)]
    lps0 = np.array([origin[2], origin[1], origin[0]])
    ends = [(hu.shape[perm[a]] - 1) if signs[a] < 0 else 0 for a in range(3)]
    start = lps0 + sum(ends[a] * spacing[perm[a]] * _E[perm[a]] for a in range(3))
    paths = []
    for k in range(acq.shape[0]):
        name = names[k] if names else f"IM{(k * 7919) % 1000:04d}.dcm"  # not in order
        position = start + k * spacing[perm[0]] * dirs[0]
        _write_slice(ds, folder / name, acq[k] - intercept, position, dirs[2], dirs[1],
                     (spacing[perm[1]], spacing[perm[2]]), intercept=intercept)
        paths.append(folder / name)
    return paths


@pytest.fixture
def volume(rng):
    hu = rng.integers(-1000, 1500, (5, 6, 7)).astype(np.int16)
    return Volume(hu, (2.5, 0.75, 0.5), (-120.0, 30.0, -80.0))


@pytest.mark.parametrize("perm, signs", [
    ((0, 1, 2), (1, 1, 1)),      # axial, head first, supine
    ((0, 1, 2), (-1, 1, 1)),     # slices written top down
    ((0, 1, 2), (1, -1, -1)),    # prone: rows and columns flipped
    ((1, 0, 2), (1, -1, 1)),     # coronal acquisition
    ((2, 0, 1), (1, -1, 1)),     # sagittal acquisition
])
def test_read_series_brings_any_acquisition_to_the_convention(tmp_path, volume, perm, signs):
    hu, spacing, origin = volume
    _write_volume(tmp_path, hu, spacing, origin, perm, signs)
    out = read_series(tmp_path)
    assert isinstance(out, Volume)
    assert out.hu.dtype == np.int16 and out.hu.flags.c_contiguous
    np.testing.assert_array_equal(out.hu, hu)
    np.testing.assert_allclose(out.spacing, spacing)
    np.testing.assert_allclose(out.origin, origin, atol=1e-9)


def test_read_series_rescale_to_float(tmp_path, rng):
    ds = _template()
    stored = rng.integers(0, 3000, (4, 5)).astype(np.int16)
    for k in range(3):
        _write_slice(ds, tmp_path / f"{k}.dcm", stored + k, (0, 0, 3.0 * k), (1, 0, 0),
                     (0, 1, 0), (1, 1), slope=0.5, intercept=-1000.25)
    out = read_series(tmp_path)
    assert out.hu.dtype == np.float32
    np.testing.assert_allclose(out.hu[2], (stored + 2) * 0.5 - 1000.25)
    assert out.spacing == (3.0, 1.0, 1.0)


def test_read_series_skips_non_dicom_files_and_never_changes_them(tmp_path, volume):
    hu, spacing, origin = volume
    _write_volume(tmp_path, hu, spacing, origin)
    (tmp_path / "README.txt").write_text("not dicom")
    (tmp_path / ".DS_Store").write_bytes(b"\0\1")
    np.testing.assert_array_equal(read_series(tmp_path).hu, hu)


def test_read_series_refuses_duplicates_by_name(tmp_path, volume):
    hu, spacing, origin = volume
    paths = _write_volume(tmp_path, hu, spacing, origin)
    dup = pydicom.dcmread(paths[2])
    dup.SOPInstanceUID = generate_uid()
    dup.save_as(tmp_path / "ZZcopy.dcm")
    with pytest.raises(ValueError, match=rf"{paths[2].name} and ZZcopy.dcm"):
        read_series(tmp_path)
    with pytest.warns(UserWarning, match="dropped duplicate"):
        out = read_series(tmp_path, duplicates="first")
    np.testing.assert_array_equal(out.hu, hu)


def test_read_series_gaps_warn_raise_ignore(tmp_path, volume):
    hu, spacing, origin = volume
    paths = _write_volume(tmp_path, hu, spacing, origin,
                          names=[f"s{k}.dcm" for k in range(hu.shape[0])])
    paths[3].unlink()  # a missing slice
    with pytest.warns(UserWarning, match=r"uneven slice gaps.*5 mm between s2.dcm and s4.dcm"):
        out = read_series(tmp_path)
    assert out.hu.shape[0] == 4 and out.spacing[0] == 2.5
    with pytest.raises(ValueError, match="s2.dcm and s4.dcm"):
        read_series(tmp_path, gaps="raise")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_series(tmp_path, gaps="ignore")


def test_read_series_two_series(tmp_path, volume):
    hu, spacing, origin = volume
    _write_volume(tmp_path, hu, spacing, origin, names=[f"a{k}.dcm" for k in range(5)])
    other = _template()
    _write_volume(tmp_path, hu[:2] + 1, spacing, origin, ds=other,
                  names=[f"b{k}.dcm" for k in range(2)])
    with pytest.raises(ValueError, match=r"2 DICOM series.*5 files, e.g. a0.dcm|"
                                         r"2 DICOM series.*2 files, e.g. b0.dcm"):
        read_series(tmp_path)
    out = read_series(tmp_path, series=str(other.SeriesInstanceUID))
    np.testing.assert_array_equal(out.hu, hu[:2] + 1)
    with pytest.raises(ValueError, match="not in folder"):
        read_series(tmp_path, series="1.2.3")


def test_read_series_bad_input(tmp_path, volume):
    with pytest.raises(TypeError, match="folder"):
        read_series(3)
    with pytest.raises(ValueError, match="not a directory"):
        read_series(tmp_path / "missing")
    with pytest.raises(ValueError, match="no DICOM image"):
        read_series(tmp_path)
    with pytest.raises(ValueError, match="duplicates"):
        read_series(tmp_path, duplicates="keep")
    hu, spacing, origin = volume
    paths = _write_volume(tmp_path, hu, spacing, origin)
    ds = pydicom.dcmread(paths[1])
    del ds.ImagePositionPatient
    ds.save_as(paths[1])
    with pytest.raises(ValueError, match=rf"{paths[1].name}.*no ImagePositionPatient"):
        read_series(tmp_path)
    ds.ImagePositionPatient = [0, 0, 99]
    ds.ImageOrientationPatient = [0, 1, 0, 1, 0, 0]
    ds.save_as(paths[1])
    with pytest.raises(ValueError, match=rf"{paths[1].name}.*another ImageOrientationPatient"):
        read_series(tmp_path)


def test_read_series_compressed_without_decoder(tmp_path, monkeypatch, realdata):
    import pydicom.pixels

    class _Missing:
        is_available = False

    monkeypatch.setattr(pydicom.pixels, "get_decoder", lambda uid: _Missing())
    with pytest.raises(ImportError, match=r'pip install "ctkidney\[dicom\]"'):
        read_series(realdata / "totalseg" / "example_ct_dicom")


def test_read_series_real_duplicate_position(realdata):
    folder = realdata / "dicom_series"
    with pytest.raises(ValueError, match="CT26.dcm and CT28.dcm"):
        read_series(folder)
    with pytest.warns(UserWarning) as record:
        vol = read_series(folder, duplicates="first")
    text = " ".join(str(w.message) for w in record)
    assert "dropped duplicate" in text and "uneven slice gaps" in text
    assert vol.hu.shape == (10, 512, 512) and vol.hu.dtype == np.int16
    assert vol.spacing[1:] == (0.703125, 0.703125)
    # Sorted by position (-512.5, -400, ...): the kidney slice CT27 (z = -400 mm)
    # comes second, exactly as read_dicom reads it.
    assert vol.origin == (-512.5, -180.0, -172.5)
    np.testing.assert_array_equal(vol.hu[1], read_dicom(folder / "CT27.dcm"))


def test_read_series_real_jpeg2000_matches_its_nifti_label_map(realdata):
    folder = realdata / "totalseg" / "example_ct_dicom"
    vol = read_series(folder)
    seg = read_nifti(realdata / "totalseg" / "example_seg_dicom.nii.gz")
    assert vol.hu.shape == seg.hu.shape == (20, 512, 512)
    np.testing.assert_allclose(vol.spacing, seg.spacing)
    np.testing.assert_allclose(vol.origin, seg.origin, atol=1e-3)
    lowest = min(folder.iterdir(), key=lambda p: float(
        pydicom.dcmread(p, stop_before_pixels=True).ImagePositionPatient[2]))
    np.testing.assert_array_equal(vol.hu[0], read_dicom(lowest))
    # The label map's organs sit on soft tissue or bone, not on air.
    assert np.median(vol.hu[seg.hu > 0]) > -200


# --- NIfTI -----------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.int16, np.float32, np.uint8])
def test_nifti_round_trip(tmp_path, volume, dtype):
    hu, spacing, origin = volume
    vol = Volume(hu.astype(dtype) if dtype != np.uint8 else (hu > 0).astype(dtype),
                 spacing, origin)
    before = vol.hu.copy()
    write_nifti(vol, tmp_path / "v.nii.gz")
    np.testing.assert_array_equal(vol.hu, before)
    back = read_nifti(tmp_path / "v.nii.gz")
    np.testing.assert_array_equal(back.hu, vol.hu)
    assert back.hu.dtype == (np.float32 if dtype == np.float32 else np.int16)
    np.testing.assert_allclose(back.spacing, spacing)
    np.testing.assert_allclose(back.origin, origin, atol=1e-4)
    assert nib.aff2axcodes(nib.load(tmp_path / "v.nii.gz").affine) == ("R", "A", "S")


@pytest.mark.parametrize("codes", [("L", "P", "S"), ("R", "S", "P"), ("A", "L", "I")])
def test_read_nifti_any_orientation(tmp_path, volume, codes):
    hu, spacing, origin = volume
    write_nifti(volume, tmp_path / "ras.nii")
    ras = nib.load(tmp_path / "ras.nii")
    orientation = nib.orientations
    other = ras.as_reoriented(orientation.ornt_transform(
        orientation.io_orientation(ras.affine), orientation.axcodes2ornt(codes)))
    nib.save(other, tmp_path / "other.nii")
    assert nib.aff2axcodes(nib.load(tmp_path / "other.nii").affine) == codes
    back = read_nifti(tmp_path / "other.nii")
    np.testing.assert_array_equal(back.hu, hu)
    np.testing.assert_allclose(back.origin, origin, atol=1e-4)
    np.testing.assert_allclose(back.spacing, spacing)


def test_nifti_real_round_trip(tmp_path, realdata):
    path = realdata / "totalseg" / "example_ct_sm.nii.gz"
    vol = read_nifti(path)
    raw = np.asanyarray(nib.load(path).dataobj)   # RAS: (x right, y anterior, z up)
    assert vol.hu.dtype == np.int16 and vol.hu.shape == raw.shape[::-1]
    np.testing.assert_array_equal(vol.hu, raw.transpose(2, 1, 0)[:, ::-1, ::-1])
    assert vol.spacing == (3.0, 3.0, 3.0)
    write_nifti(vol, tmp_path / "ct.nii.gz")
    back = read_nifti(tmp_path / "ct.nii.gz")
    np.testing.assert_array_equal(back.hu, vol.hu)
    np.testing.assert_allclose(back.origin, vol.origin, atol=1e-3)
    np.testing.assert_allclose(nib.load(tmp_path / "ct.nii.gz").affine,
                               nib.load(path).affine, atol=1e-3)
    seg = read_nifti(realdata / "totalseg" / "example_seg.nii.gz")
    # kidney_right = 2 lies on the image's left half (the patient's right).
    cols = np.nonzero(seg.hu == 2)[2]
    assert cols.mean() < seg.hu.shape[2] / 2


def test_nifti_bad_input(tmp_path, volume):
    with pytest.raises(TypeError, match="Volume"):
        write_nifti(np.zeros((2, 2, 2)), tmp_path / "a.nii")
    with pytest.raises(ValueError, match="spacing"):
        write_nifti(Volume(volume.hu, (1, 0, 1), volume.origin), tmp_path / "a.nii")
    with pytest.raises(ValueError, match="3-D"):
        write_nifti(Volume(volume.hu[0], volume.spacing, volume.origin), tmp_path / "a.nii")
    with pytest.raises(ValueError, match="a.nii"):
        read_nifti(tmp_path / "a.nii")
    (tmp_path / "bad.nii.gz").write_bytes(b"garbage")
    with pytest.raises(ValueError, match="bad.nii.gz"):
        read_nifti(tmp_path / "bad.nii.gz")
    with pytest.raises(TypeError, match="path"):
        read_nifti(None)


def test_read_series_truncated_slice_named(tmp_path, volume):
    hu, spacing, origin = volume
    paths = _write_volume(tmp_path, hu, spacing, origin)
    data = paths[2].read_bytes()
    pixels = pydicom.dcmread(paths[2]).PixelData
    paths[2].write_bytes(data[:data.rindex(pixels) + len(pixels) // 2])
    with pytest.raises(ValueError, match=paths[2].name):
        read_series(tmp_path)


def _write_raw_series(folder, raw, signed):
    ds = _template()
    paths = []
    for k in range(raw.shape[0]):
        ds = ds.copy()
        ds.Rows, ds.Columns = raw.shape[1:]
        ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 12, 11, signed
        ds.PixelData = raw[k].tobytes()
        ds.ImagePositionPatient = [0.0, 0.0, float(k)]
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.PixelSpacing = [1, 1]
        ds.RescaleSlope, ds.RescaleIntercept = 1, -1024
        ds.SOPInstanceUID = generate_uid()
        paths.append(folder / f"{k}.dcm")
        ds.save_as(paths[-1], enforce_file_format=True)
    return paths


# 200x200 slices (80 kB) leave their pixels deferred when the series is scanned, and
# read_series reads those straight from the file into the stack.
@pytest.mark.parametrize("shape", [(4, 5), (200, 200)])
@pytest.mark.parametrize("signed", [0, 1])
def test_read_series_bits_stored_like_pydicom(tmp_path, rng, signed, shape):
    raw = rng.integers(0, 2**16, (3,) + shape).astype(np.uint16)
    paths = _write_raw_series(tmp_path, raw, signed)
    out = read_series(tmp_path)
    for k, path in enumerate(paths):
        np.testing.assert_array_equal(out.hu[k], read_dicom(path))


def test_read_series_truncated_deferred_slice_named(tmp_path, rng):
    paths = _write_raw_series(tmp_path, rng.integers(0, 4096, (3, 200, 200)).astype(np.uint16),
                              0)
    data = paths[1].read_bytes()
    paths[1].write_bytes(data[:len(data) - 1000])
    with pytest.raises(ValueError, match=f"{paths[1].name}.*truncated"):
        read_series(tmp_path)


def test_write_nifti_float16_and_int64_round_trip(tmp_path):
    hu = np.arange(24).reshape(2, 3, 4)
    for values, dtype in ((hu.astype(np.float16), np.float32), (hu.astype(np.int64), np.int16)):
        write_nifti(Volume(values, (2.0, 1.0, 1.0), (0.0, 0.0, 0.0)), tmp_path / "v.nii")
        back = read_nifti(tmp_path / "v.nii")
        assert back.hu.dtype == dtype
        np.testing.assert_array_equal(back.hu, hu)
    with pytest.raises(ValueError, match="path"):
        read_nifti("")


def test_read_series_same_values_stored_differently(tmp_path, volume):
    """Slices whose shared elements hold the same values written differently
    ("0.75" and "0.750 ", "-1024" and "-1024.0") are one stack: read_series
    converts one file of each distinct stored form and checks it."""
    hu, spacing, origin = volume
    paths = _write_volume(tmp_path, hu, spacing, origin)
    expected = read_series(tmp_path)
    for path in paths[1::2]:
        ds = pydicom.dcmread(path)
        ds.PixelSpacing = [f"{v:.3f}" for v in spacing[1:]]
        ds.ImageOrientationPatient = [f"{v:.1f}" for v in ds.ImageOrientationPatient]
        ds.RescaleIntercept = "-1024.0"
        ds.ImagePositionPatient = [f" {v:.4e}" for v in ds.ImagePositionPatient]
        ds.save_as(path)
    assert pydicom.dcmread(paths[1]).get_item("PixelSpacing").value != \
        pydicom.dcmread(paths[0]).get_item("PixelSpacing").value
    out = read_series(tmp_path)
    np.testing.assert_array_equal(out.hu, expected.hu)
    assert out.spacing == expected.spacing and out.origin == expected.origin
    # A slice of the second form that differs after conversion is still found.
    ds = pydicom.dcmread(paths[3])
    ds.PixelSpacing = ["0.800", "0.500"]
    ds.save_as(paths[3])
    with pytest.raises(ValueError, match=rf"{paths[3].name}.*another size or PixelSpacing"):
        read_series(tmp_path)


@pytest.mark.parametrize("stored, expected", [
    (["1.5", "-2", "3e1"], [1.5, -2.0, 30.0]),
    ([" 1.25", "0.0 ", "-1.0E-3"], [1.25, 0.0, -0.001]),
    (["1", "2"], None),
    (["1", "2", "nan"], None),
])
def test_read_series_positions_parsed_like_pydicom(tmp_path, volume, stored, expected):
    """The slice positions are parsed from their stored decimal strings, to the
    values pydicom gives; anything else goes through pydicom, which names the file."""
    from ctkidney.data._series import _floats, _position

    hu, spacing, origin = volume
    path = _write_volume(tmp_path, hu[:1], spacing, origin)[0]
    ds = pydicom.dcmread(path)
    with pydicom.config.disable_value_validation():
        ds.ImagePositionPatient = stored
    ds.save_as(path)
    scanned = pydicom.dcmread(path, specific_tags=["ImagePositionPatient"])
    if expected is None:
        with pytest.raises(ValueError, match=rf"{path.name}.*ImagePositionPatient"):
            _position(scanned, str(path))
        return
    got = _position(scanned, str(path))
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(got, _floats(pydicom.dcmread(path), "ImagePositionPatient",
                                               3, str(path)))
