"""make_phantom and make_dataset (generator version 2.0, see PHANTOM_VERSION)."""

import numpy as np
import pytest
from scipy import ndimage

from ctkidney.data import (
    CLASSES,
    KAGGLE_COUNTS,
    PHANTOM_VERSION,
    Phantom,
    group_near_duplicates,
    make_dataset,
    make_phantom,
)


def test_version_is_named():
    assert PHANTOM_VERSION == "2.0"


def test_phantom_fields_and_dtypes():
    p = make_phantom("Tumor", size=96, rng=3)
    assert isinstance(p, Phantom)
    image, hu, kidney, lesion, label = p
    assert image.shape == hu.shape == kidney.shape == lesion.shape == (96, 96)
    assert image.dtype == np.uint8 and hu.dtype == np.float32
    assert kidney.dtype == bool and lesion.dtype == bool
    assert label == 3 and isinstance(label, int)


@pytest.mark.parametrize("label", [0, 1, 2, 3, "Cyst", "Normal", "Stone", "Tumor", np.int64(2)])
def test_label_by_index_or_name(label):
    p = make_phantom(label, size=64, rng=0)
    expected = CLASSES.index(label) if isinstance(label, str) else int(label)
    assert p.label == expected
    assert p.lesion_mask.any() == (CLASSES[expected] != "Normal")


def test_same_seed_same_phantom_and_generator_accepted():
    a = make_phantom("Cyst", size=80, rng=11)
    b = make_phantom("Cyst", size=80, rng=np.random.default_rng(11))
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    c = make_phantom("Cyst", size=80, rng=12)
    assert not np.array_equal(a.image, c.image)


def test_does_not_consume_a_given_generator_differently_by_label():
    # The label only changes the lesion: the caller's generator advances alike.
    states = []
    for label in range(4):
        rng = np.random.default_rng(5)
        make_phantom(label, size=48, rng=rng)
        states.append(rng.integers(1 << 30))
    assert len(set(states)) == 1


@pytest.mark.parametrize("seed", range(3))
def test_image_follows_the_hu_through_a_window(seed):
    # Window, blur, noise and JPEG change pixels, but the image is a monotone
    # function of the HU map plus noise: strongly rank-correlated in the body.
    p = make_phantom("Normal", size=128, rng=seed)
    body = (p.hu > -300) & (p.hu < 300)
    hu = p.hu[body]
    img = p.image[body].astype(float)
    rank = lambda v: np.argsort(np.argsort(v))  # noqa: E731
    assert np.corrcoef(rank(hu), rank(img))[0, 1] > 0.7
    assert p.image[p.hu <= -900].mean() < 10  # air is black under any window


def test_air_at_the_top_corners_and_hu_range():
    for seed in range(4):
        p = make_phantom("Normal", size=96, rng=seed)
        assert p.hu[0, 0] == -1000 and p.hu[0, -1] == -1000
        assert -1000 <= p.hu.min() and p.hu.max() <= 1600
        assert p.hu.max() >= 300  # bone somewhere in every slice


def _core(mask, iterations=1):
    """Pixels with no partial volume: ``iterations`` pixels inside the edge."""
    return ndimage.binary_erosion(mask, structure=np.ones((3, 3), bool), iterations=iterations)


@pytest.mark.parametrize("seed", range(4))
def test_stone_hu_and_count(seed):
    p = make_phantom("Stone", size=256, rng=seed)
    n = ndimage.label(p.lesion_mask)[1]
    assert 1 <= n <= 4
    assert 150 <= p.hu[p.lesion_mask].max() <= 1600
    # Stones are small: at most 12 mm across (pixels of at least 1 mm at 256 px).
    assert p.lesion_mask.sum() <= 4 * np.pi * 6.5 ** 2


@pytest.mark.parametrize("seed", range(4))
def test_cyst_is_fluid_or_hyperdense_and_convex(seed):
    p = make_phantom("Cyst", size=256, rng=seed)
    assert -5 <= np.median(p.hu[_core(p.lesion_mask)]) <= 95
    assert ndimage.label(p.lesion_mask)[1] == 1  # a plane cuts an ellipsoid in one piece


@pytest.mark.parametrize("seed", range(4))
def test_tumor_is_textured_soft_tissue(seed):
    p = make_phantom("Tumor", size=256, rng=seed)
    values = p.hu[_core(p.lesion_mask)]
    assert -10 <= np.median(values) <= 300
    assert values.std() > 1  # heterogeneous
    labels, n = ndimage.label(p.lesion_mask)
    sizes = ndimage.sum(np.ones_like(labels), labels, range(1, n + 1))
    assert sizes.max() >= 0.8 * p.lesion_mask.sum()  # one mass (lobes may nick the plane)


@pytest.mark.parametrize("label", ["Stone", "Cyst", "Tumor"])
@pytest.mark.parametrize("size", [32, 128])
def test_lesion_always_cut(label, size):
    # The slice passes through the lesion: never an empty mask, even at 32 px.
    for seed in range(8):
        p = make_phantom(label, size=size, rng=seed)
        assert p.lesion_mask.any()
        assert (p.lesion_mask <= p.kidney_mask).all()


def test_masks_consistent():
    for label in range(4):
        for seed in range(3):
            p = make_phantom(label, size=96, rng=seed)
            assert (p.lesion_mask <= p.kidney_mask).all()
            assert p.kidney_mask.any()
            assert not (p.kidney_mask & (p.hu < -500)).any()


@pytest.mark.parametrize("label, err", [("Kidney", ValueError), (4, ValueError), (-1, ValueError),
                                        (1.0, TypeError), (True, TypeError), (None, TypeError)])
def test_bad_label(label, err):
    with pytest.raises(err, match="label"):
        make_phantom(label)


@pytest.mark.parametrize("size, err", [(16, ValueError), (100.5, TypeError), ("256", TypeError)])
def test_bad_size(size, err):
    with pytest.raises(err, match="size"):
        make_phantom(0, size=size)


def test_bad_rng():
    with pytest.raises(TypeError, match="rng"):
        make_phantom(0, rng="seed")
    with pytest.raises(ValueError, match="rng"):
        make_phantom(0, rng=-1)


# --- make_dataset ---------------------------------------------------------------

def test_make_dataset_contents():
    ds = make_dataset(3, size=48, rng=4)
    assert len(ds) == 12 and not ds.is_lazy and ds.has_masks
    assert ds.labels.tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert ds.names[3] == "Normal- (1).jpg"
    assert ds.images().dtype == np.uint8 and ds.hu.dtype == np.float32
    assert ds.kidney_masks.dtype == bool and ds.lesion_masks.shape == (12, 48, 48)
    assert not ds.lesion_masks[3:6].any()
    assert ds.lesion_masks[[0, 1, 2, 6, 7, 8, 9, 10, 11]].any(axis=(1, 2)).all()
    assert (ds.lesion_masks <= ds.kidney_masks).all()


def test_make_dataset_groups_are_patients():
    ds = make_dataset(12, size=48, rng=1)
    groups = ds.groups
    assert groups.dtype == np.int64 and groups.shape == (48,)
    # Numbered 0, 1, ... in order; contiguous; one label per patient; 3-10 slices.
    assert groups[0] == 0 and (np.diff(groups) >= 0).all() and (np.diff(groups) <= 1).all()
    for g in np.unique(groups):
        assert len(set(ds.labels[groups == g])) == 1
    sizes = np.bincount(groups)
    assert sizes.max() <= 10 and (sizes >= 1).all()
    assert len(np.unique(groups)) < len(ds)  # several slices per patient
    # The subset keeps them.
    np.testing.assert_array_equal(ds.subset([5, 2]).groups, groups[[5, 2]])


def test_make_dataset_one_slice_per_patient():
    ds = make_dataset(2, size=40, rng=0, slices_per_patient=(1, 1))
    assert ds.groups.tolist() == list(range(8))


def test_make_dataset_neighbours_are_near_duplicates():
    # Slices of one patient are neighbours of one series: the near-duplicate
    # grouping finds them, and never joins two patients.
    ds = make_dataset(10, size=96, rng=3)
    found = group_near_duplicates(ds.images())
    patients = ds.groups
    for g in np.unique(found):
        assert len(set(patients[found == g])) == 1
    whole = np.mean([len(set(found[patients == p])) == 1 for p in np.unique(patients)])
    assert whole >= 0.6


def test_make_dataset_reproducible():
    a, b = make_dataset(2, size=40, rng=9), make_dataset(2, size=40, rng=9)
    np.testing.assert_array_equal(a.images(), b.images())
    np.testing.assert_array_equal(a.hu, b.hu)
    np.testing.assert_array_equal(a.groups, b.groups)
    assert not np.array_equal(a.images()[0], a.images()[1])


def test_make_dataset_single_slices_are_phantoms():
    # With one slice per patient, slice i is make_phantom with patient i's seed.
    ds = make_dataset(1, size=40, rng=2, slices_per_patient=(1, 1))
    seed = int(np.random.default_rng(2).integers(0, 2**63))
    child = np.random.SeedSequence(seed).spawn(4)[2]
    p = make_phantom("Stone", size=40, rng=np.random.default_rng(child))
    np.testing.assert_array_equal(ds.images()[2], p.image)
    np.testing.assert_array_equal(ds.lesion_masks[2], p.lesion_mask)


@pytest.mark.parametrize("counts, expected", [
    ({"Stone": 2, "Cyst": 1}, [1, 0, 2, 0]), ((1, 0, 0, 2), [1, 0, 0, 2]),
    ([0, 0, 0, 0], [0, 0, 0, 0])])
def test_make_dataset_class_counts(counts, expected):
    ds = make_dataset(5, size=32, rng=0, class_counts=counts)
    assert list(ds.class_counts().values()) == expected


def test_make_dataset_kaggle_proportions():
    ds = make_dataset(25, size=32, rng=0, class_counts="kaggle")
    counts = np.array(list(ds.class_counts().values()))
    assert counts.sum() == 100
    kaggle = np.array([KAGGLE_COUNTS[c] for c in CLASSES])
    np.testing.assert_allclose(counts, kaggle / kaggle.sum() * 100, atol=1)


@pytest.mark.parametrize("kwargs, err", [
    (dict(n_per_class=-1), ValueError), (dict(n_per_class=1.5), TypeError),
    (dict(n_per_class=1, class_counts="imbalanced"), ValueError),
    (dict(n_per_class=1, class_counts={"Kidney": 1}), ValueError),
    (dict(n_per_class=1, class_counts=(1, 2)), ValueError),
    (dict(n_per_class=1, class_counts=(1, 2, 3, -4)), ValueError),
    (dict(n_per_class=1, size=8), ValueError),
    (dict(n_per_class=1, slices_per_patient=3), TypeError),
    (dict(n_per_class=1, slices_per_patient=(0, 2)), ValueError),
    (dict(n_per_class=1, slices_per_patient=(3, 2)), ValueError),
    (dict(n_per_class=1, slices_per_patient=(1, 2, 3)), ValueError)])
def test_make_dataset_bad_arguments(kwargs, err):
    with pytest.raises(err):
        make_dataset(**kwargs)


def test_dataset_groups_computed_lazily_when_unknown():
    from ctkidney.data import Dataset

    base = make_phantom("Cyst", size=64, rng=0).image
    other = make_phantom("Normal", size=64, rng=1).image
    ds = Dataset([0, 0, 1], images=np.stack([base, base, other]))
    assert ds._groups is None  # nothing computed until asked
    np.testing.assert_array_equal(ds.groups, group_near_duplicates(ds.images()))
    assert ds.groups.tolist() == [0, 0, 1] and ds.groups.dtype == np.int64
    ds.groups[:] = 7  # a copy: the dataset's groups do not change
    assert ds.groups.tolist() == [0, 0, 1]
    with pytest.raises(ValueError, match="groups"):
        Dataset([0, 1], images=np.stack([base, other]), groups=[0, 1, 2])
    with pytest.raises(ValueError, match="groups"):
        Dataset([0, 1], images=np.stack([base, other]), groups=[0.5, 1.0])
