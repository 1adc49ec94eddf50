"""make_patient, Patient and the generator's kernels (generator version 2.0)."""

import numpy as np
import pytest
from scipy import ndimage

from ctkidney.data import (
    ACQUISITION_TUNABLES,
    PHANTOM_TUNABLES,
    PHASES,
    Patient,
    Phantom,
    make_patient,
)
from ctkidney.data._anatomy import Grid, _ellipsoid_sdf, _field, draw_anatomy


@pytest.fixture(scope="module")
def stone_patient():
    return make_patient("Stone", size=64, n_slices=24, rng=7)


def test_patient_fields(stone_patient):
    p = stone_patient
    assert isinstance(p, Patient)
    assert p.hu.shape == p.kidney_mask.shape == p.lesion_mask.shape == (24, 64, 64)
    assert p.hu.dtype == np.float32 and p.kidney_mask.dtype == bool
    assert p.label == 2 and p.phase in PHASES
    assert len(p.spacing) == 3 and all(s > 0 for s in p.spacing)
    assert p.lesion_mask.any() and (p.lesion_mask <= p.kidney_mask).all()
    with pytest.raises(AttributeError):
        p.label = 0  # frozen


def test_axial_and_coronal_slices(stone_patient):
    p = stone_patient
    z = p.lesion_index()
    s = p.axial(z)
    assert isinstance(s, Phantom) and s.image.shape == (64, 64) and s.image.dtype == np.uint8
    np.testing.assert_array_equal(s.hu, p.hu[z])
    np.testing.assert_array_equal(s.lesion_mask, p.lesion_mask[z])
    assert s.lesion_mask.any()
    # The default window is 40/400; another window maps the same HU differently.
    expected = np.clip(np.rint((p.hu[z] + 160.0) * 255 / 400), 0, 255)
    np.testing.assert_array_equal(s.image, expected)
    narrow = p.axial(z, window=(40, 100)).image
    assert (narrow[p.hu[z] > 90] == 255).all()
    y = p.lesion_index("coronal")
    c = p.coronal(y)
    assert c.image.shape == (24, 64)
    np.testing.assert_array_equal(c.kidney_mask, p.kidney_mask[:, y])
    assert c.lesion_mask.any()
    # Slices are copies: the patient is not changed through them.
    s.hu[:] = 0
    assert p.hu[z].any()
    with pytest.raises(ValueError, match="index"):
        p.axial(24)
    with pytest.raises(ValueError, match="axis"):
        p.lesion_index("sagittal")


@pytest.mark.parametrize("phase", PHASES)
def test_phase_sets_the_kidney_contrast(phase):
    p = make_patient("Normal", size=64, n_slices=12, spacing=(4.0, 6.0, 6.0), phase=phase,
                     rng=1)
    assert p.phase == phase
    core = ndimage.binary_erosion(p.kidney_mask, iterations=1)
    median = np.median(p.hu[core])
    low = PHANTOM_TUNABLES["medulla_hu"][phase][0] - 15
    high = PHANTOM_TUNABLES["cortex_hu"][phase][1] + 15
    assert low <= median <= high


def test_spacing_given_and_same_seed_same_patient():
    a = make_patient("Tumor", size=48, n_slices=6, spacing=(2.0, 7.0, 7.0), rng=3)
    b = make_patient("Tumor", size=48, n_slices=6, spacing=(2.0, 7.0, 7.0), rng=3)
    assert a.spacing == (2.0, 7.0, 7.0)
    np.testing.assert_array_equal(a.hu, b.hu)
    np.testing.assert_array_equal(a.lesion_mask, b.lesion_mask)


def test_label_does_not_change_anatomy_or_phase():
    # Class must not be predictable from anything but the lesion: for one seed the
    # four classes share body, organs, phase (only the lesion differs).
    drawn = [draw_anatomy(label, np.random.default_rng(21)) for label in range(4)]
    for anat in drawn[1:]:
        for key, value in drawn[0].items():
            if key in ("label", "lesion", "lesion_kidney", "kidneys"):
                continue
            assert anat[key] == value, key
        for k0, k1 in zip(drawn[0]["kidneys"], anat["kidneys"]):
            np.testing.assert_array_equal(k0["center"], k1["center"])
    assert drawn[1]["lesion"] is None and all(d["lesion"] for d in (drawn[0], *drawn[2:]))


def test_tunables_have_units_and_ranges():
    for table in (PHANTOM_TUNABLES, ACQUISITION_TUNABLES):
        for key, value in table.items():
            if isinstance(value, dict):
                assert set(value) == set(PHASES) and key.endswith("_hu")
                assert all(lo <= hi for lo, hi in value.values())
            elif isinstance(value, tuple) and key.endswith("probabilities"):
                assert abs(sum(value) - 1) < 1e-9
            elif isinstance(value, tuple):
                assert value[0] <= value[1], key
            else:
                assert 0 <= value <= 1 and "probability" in key, key


@pytest.mark.parametrize("kwargs, err", [
    (dict(label="Kidney"), ValueError), (dict(label=1, size=8), ValueError),
    (dict(label=1, n_slices=0), ValueError), (dict(label=1, n_slices=2.5), TypeError),
    (dict(label=1, spacing=(1, 2)), ValueError), (dict(label=1, spacing=(1, -2, 3)), ValueError),
    (dict(label=1, spacing=3.0), TypeError), (dict(label=1, phase="arterial"), ValueError),
    (dict(label=1, phase=2), TypeError), (dict(label=1, rng="x"), TypeError)])
def test_bad_arguments(kwargs, err):
    with pytest.raises(err):
        make_patient(**kwargs, size=kwargs.pop("size", 32)) if "size" not in kwargs else \
            make_patient(**kwargs)


# --- kernels ----------------------------------------------------------------------

def _grid(n=21, step=1.0):
    c = (np.arange(n) - n // 2) * step
    return Grid(c, c, c, step)


def test_paint_matches_the_numpy_blend():
    # Oracle: (1 - c) * old + c * new with c = clip(0.5 - sdf / soft, 0, 1).
    rng = np.random.default_rng(0)
    g = _grid(9)
    g.hu[:] = rng.normal(0, 50, g.shape)
    old = g.hu.copy()
    sdf = rng.normal(0, 1.5, g.shape).astype(np.float32)
    value = rng.normal(100, 30, g.shape).astype(np.float32)
    full = tuple(slice(0, n) for n in g.shape)
    g.paint(full, sdf, value)
    c = np.clip(0.5 - sdf / g.soft, 0, 1)
    np.testing.assert_allclose(g.hu, (1 - c) * old + c * value, rtol=1e-5, atol=1e-3)
    g.hu[:] = old
    g.paint(full, sdf, 42.0)
    np.testing.assert_allclose(g.hu, (1 - c) * old + c * 42.0, rtol=1e-5, atol=1e-3)


def test_ellipsoid_sdf_exact_on_axes_and_sign():
    g = _grid(41, 0.5)
    full = tuple(slice(0, n) for n in g.shape)
    semi = (6.0, 4.0, 3.0)
    sdf = _ellipsoid_sdf(g, full, (0.0, 0.0, 0.0), semi)
    z, y, x = np.meshgrid(*g.axes, indexing="ij")
    inside = (z / 6) ** 2 + (y / 4) ** 2 + (x / 3) ** 2 < 1
    np.testing.assert_array_equal(sdf < 0, inside)
    # On the axes the distance is exact.
    mid = 20
    off = np.arange(41) != mid  # at the centre itself: minus the smallest semi-axis
    np.testing.assert_allclose(sdf[mid, mid, off], np.abs(g.axes[2][off]) - 3.0, atol=1e-5)
    np.testing.assert_allclose(sdf[off, mid, mid], np.abs(g.axes[0][off]) - 6.0, atol=1e-5)
    assert sdf[mid, mid, mid] == -3.0
    # A rotation by a permutation matrix swaps the axes.
    perm = np.array([[0, 0, 1], [0, 1, 0], [1, 0, 0]], float)
    rot = _ellipsoid_sdf(g, full, (0.0, 0.0, 0.0), semi, perm)
    np.testing.assert_allclose(rot, np.transpose(sdf, (2, 1, 0)), atol=1e-5)


def test_field_is_smooth_unit_variance_and_interpolates_like_scipy():
    g = Grid(np.arange(8) * 1.0, np.arange(64) * 1.0, np.arange(64) * 1.0, 1.0)
    full = tuple(slice(0, n) for n in g.shape)
    f = _field(g, full, 6.0, np.random.default_rng(0))
    assert f.shape == g.shape and f.dtype == np.float32
    assert 0.3 < f.std() < 1.5
    # Smooth: neighbours correlate strongly at a 6 mm correlation length.
    assert np.corrcoef(f[:, :, :-1].ravel(), f[:, :, 1:].ravel())[0, 1] > 0.9
    # A slice of a field on a single plane has the same statistics.
    g1 = Grid([0.0], np.arange(256) * 1.0, np.arange(256) * 1.0, 1.0)
    f1 = _field(g1, tuple(slice(0, n) for n in g1.shape), 6.0, np.random.default_rng(1))
    assert f1.shape == (1, 256, 256) and 0.5 < f1.std() < 1.5


def test_guide_lists_every_tunable():
    from pathlib import Path

    page = Path(__file__).resolve().parents[2] / "docs" / "guide" / "phantoms.rst"
    if not page.exists():
        pytest.skip("docs not in this checkout")
    text = page.read_text(encoding="utf-8")
    missing = [k for k in (*PHANTOM_TUNABLES, *ACQUISITION_TUNABLES) if f"``{k}``" not in text]
    assert not missing


@pytest.mark.parametrize("kwargs, name", [(dict(size=10**9), "size"),
                                          (dict(n_slices=10**9), "n_slices"),
                                          (dict(spacing=(1.0, 1.0, 10**400)), "spacing"),
                                          (dict(spacing="abc"), "spacing")])
def test_make_patient_refuses_before_drawing(kwargs, name):
    with pytest.raises((TypeError, ValueError), match=name):
        make_patient(1, rng=0, **kwargs)
