
import numpy as np
import pytest
from scipy import ndimage

from ctkidney.data import CLASSES, KAGGLE_COUNTS, Phantom, make_dataset, make_phantom
from ctkidney.data._phantom import ABDOMEN_WINDOW


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


def test_image_is_the_windowed_hu_after_acquisition():
    # Blur, noise and JPEG change pixels, but on average the image is the HU map
    # through the abdominal window.
    p = make_phantom("Normal", size=256, rng=5)
    level, width = ABDOMEN_WINDOW
    expected = np.clip((p.hu - (level - width / 2)) * 255 / width, 0, 255)
    assert np.median(np.abs(p.image - expected)) < 20
    assert np.corrcoef(p.image.ravel(), expected.ravel())[0, 1] > 0.95


def test_air_outside_and_tissue_values():
    p = make_phantom("Normal", size=128, rng=2)
    hu = p.hu
    assert hu[0, 0] == -1000 and hu[-1, -1] == -1000  # air at the corners
    assert hu.max() >= 700  # vertebral cortex
    assert hu.max() <= 1000
    assert (hu >= -1000).all()
    # The abdomen's centre is soft tissue, bowel or fat, never bone.
    assert -1000 <= np.median(hu[48:80, 48:80]) <= 300


def _core(mask, iterations=1):
    """Pixels with no partial volume: ``iterations`` pixels inside the edge."""
    return ndimage.binary_erosion(mask, structure=np.ones((3, 3), bool), iterations=iterations)


@pytest.mark.parametrize("seed", range(6))
def test_kidney_parenchyma_hu(seed):
    p = make_phantom("Normal", size=256, rng=seed)
    values = p.hu[_core(p.kidney_mask, 2)]
    median = np.median(values)
    assert 30 <= median <= 40 or 120 <= median <= 200  # plain or contrast phase
    assert np.percentile(np.abs(values - median), 90) < 10  # homogeneous bar texture


@pytest.mark.parametrize("seed", range(6))
def test_stone_hu_and_size(seed):
    p = make_phantom("Stone", size=256, rng=seed)
    labels, n = ndimage.label(p.lesion_mask)
    assert 1 <= n <= 3
    assert 300 <= p.hu[p.lesion_mask].max() <= 1500
    # 5 mm at most (pixels of at least 0.6 * 2 mm at 256 px): a small compact blob.
    sizes = ndimage.sum(np.ones_like(labels), labels, range(1, n + 1))
    assert max(sizes) <= np.pi * (2.5 / (0.6 * 2) + 1) ** 2


@pytest.mark.parametrize("seed", range(6))
def test_cyst_hu_homogeneous(seed):
    p = make_phantom("Cyst", size=256, rng=seed)
    assert 0 <= np.median(p.hu[p.lesion_mask]) <= 20
    values = p.hu[_core(p.lesion_mask)]
    if values.size:
        assert 0 <= values.min() and values.max() <= 20
        assert values.std() < 1e-3  # homogeneous
    # One round/oval blob.
    assert ndimage.label(p.lesion_mask)[1] == 1


@pytest.mark.parametrize("seed", range(6))
def test_tumor_hu_heterogeneous(seed):
    p = make_phantom("Tumor", size=256, rng=seed)
    values = p.hu[_core(p.lesion_mask)]
    assert 20 <= values.min() and values.max() <= 70
    assert values.std() > 3  # textured
    assert ndimage.label(p.lesion_mask)[1] == 1


@pytest.mark.parametrize("kind, low, high", [("Cyst", 5, 35), ("Tumor", 15, 50)])
def test_lesion_diameter_in_mm(kind, low, high):
    # Equivalent diameter in mm, for spacings of 0.6-0.9 mm at 512 px (here 512).
    for seed in range(4):
        p = make_phantom(kind, size=512, rng=seed)
        area = p.lesion_mask.sum()
        d_px = 2 * np.sqrt(area / np.pi)
        assert low * 0.6 / 0.9 - 1 <= d_px * 0.9 and d_px * 0.6 <= high * 1.3


@pytest.mark.parametrize("label", ["Stone", "Cyst", "Tumor"])
def test_lesions_visible_at_quick_size(label):
    # At 128 px every lesion covers pixels and differs from the kidney around it.
    for seed in range(15):
        p = make_phantom(label, size=128, rng=seed)
        minimum = {"Stone": 1, "Cyst": 9, "Tumor": 15}[label]
        assert p.lesion_mask.sum() >= minimum
        inside = np.median(p.hu[p.lesion_mask])
        ring = ndimage.binary_dilation(p.lesion_mask, iterations=2) & ~p.lesion_mask \
            & p.kidney_mask
        if ring.any():
            assert abs(inside - np.median(p.hu[ring])) > 5


def test_stone_shows_in_the_8bit_image_at_128():
    for seed in range(10):
        p = make_phantom("Stone", size=128, rng=seed)
        around = ndimage.binary_dilation(p.lesion_mask, iterations=1)
        kidney = p.kidney_mask & ~ndimage.binary_dilation(p.lesion_mask, iterations=3)
        assert p.image[around].max() > np.median(p.image[kidney]) + 30


def test_masks_consistent():
    for label in range(4):
        for seed in range(5):
            p = make_phantom(label, size=128, rng=seed)
            assert (p.lesion_mask <= p.kidney_mask).all()
            labels, n = ndimage.label(p.kidney_mask & ~p.lesion_mask)
            assert n >= 2  # two kidneys
            assert not p.kidney_mask[0].any() and not p.kidney_mask[:, 0].any()


def test_lesion_in_one_kidney():
    for label in ("Cyst", "Tumor", "Stone"):
        for seed in range(5):
            p = make_phantom(label, size=128, rng=seed)
            kidney_labels, n = ndimage.label(ndimage.binary_closing(p.kidney_mask,
                                                                    iterations=2))
            touched = set(np.unique(kidney_labels[p.lesion_mask])) - {0}
            assert len(touched) == 1


def test_both_kidneys_beside_the_spine():
    p = make_phantom("Normal", size=256, rng=8)
    spine = p.hu >= 600
    spine_col = np.nonzero(spine)[1].mean()
    labels, n = ndimage.label(ndimage.binary_closing(p.kidney_mask, iterations=3))
    cols = ndimage.center_of_mass(p.kidney_mask, labels, range(1, n + 1))
    sides = {np.sign(c[1] - spine_col) for c in cols}
    assert sides == {-1.0, 1.0}


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
    assert not ds.lesion_masks[3:6].any() and ds.lesion_masks[[0, 6, 9]].any(axis=(1, 2)).all()
    assert (ds.lesion_masks <= ds.kidney_masks).all()


def test_make_dataset_reproducible():
    a, b = make_dataset(2, size=40, rng=9), make_dataset(2, size=40, rng=9)
    np.testing.assert_array_equal(a.images(), b.images())
    np.testing.assert_array_equal(a.hu, b.hu)
    assert not np.array_equal(a.images()[0], a.images()[1])


def test_make_dataset_slices_are_phantoms():
    ds = make_dataset(1, size=40, rng=2)
    seed = np.random.SeedSequence(int(np.random.default_rng(2).integers(0, 2**63))).spawn(4)[2]
    p = make_phantom("Stone", size=40, rng=np.random.default_rng(seed))
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
    (dict(n_per_class=1, size=8), ValueError)])
def test_make_dataset_bad_arguments(kwargs, err):
    with pytest.raises(err):
        make_dataset(**kwargs)
