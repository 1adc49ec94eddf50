import cv2
import numpy as np
import pytest

from ctkidney.data import CLASSES, Dataset, load_dataset


def test_in_memory_dataset():
    images = np.arange(3 * 4 * 4, dtype=np.uint8).reshape(3, 4, 4)
    ds = Dataset([0, 3, 3], images=images)
    assert len(ds) == 3 and not ds.is_lazy and not ds.has_masks
    assert ds.names == ("Cyst- (1).jpg", "Tumor- (1).jpg", "Tumor- (2).jpg")
    assert ds.class_counts() == {"Cyst": 1, "Normal": 0, "Stone": 0, "Tumor": 2}
    out = ds.images()
    np.testing.assert_array_equal(out, images)
    out[0] = 0  # a copy: the dataset is unchanged
    assert ds.image(0).max() == 15
    assert "in-memory, 3 slices" in repr(ds)


def test_images_resized_and_mixed_shapes(tmp_path):
    folder = tmp_path / "Normal"
    folder.mkdir()
    for k, shape in enumerate([(20, 20), (30, 24)], start=1):
        cv2.imencode(".png", np.full(shape, 50 * k, np.uint8))[1].tofile(
            folder / f"Normal- ({k}).png")
    ds = load_dataset(tmp_path)
    assert "lazy" in repr(ds)
    with pytest.raises(ValueError, match="pass size="):
        ds.images()
    out = ds.images(size=(10, 12))
    assert out.shape == (2, 10, 12) and out.dtype == np.uint8
    assert out[0].tolist() == np.full((10, 12), 50).tolist()


def test_subset_keeps_everything():
    n = 4
    masks = np.zeros((n, 3, 3), bool)
    masks[2, 1, 1] = True
    ds = Dataset(np.arange(n), images=np.zeros((n, 3, 3), np.uint8), kidney_masks=masks,
                 lesion_masks=masks.copy(), hu=np.zeros((n, 3, 3), np.float32),
                 names=list("abcd"))
    sub = ds.subset([2, 3])
    assert sub.names == ("c", "d") and sub.labels.tolist() == [2, 3]
    assert sub.kidney_masks[0, 1, 1] and sub.has_masks and sub.hu.shape == (2, 3, 3)
    assert ds.subset(np.array([True, False, False, True])).names == ("a", "d")


def test_lazy_subset(tmp_path):
    folder = tmp_path / "Stone"
    folder.mkdir()
    for k in range(3):
        cv2.imencode(".png", np.full((4, 4), k, np.uint8))[1].tofile(folder / f"s{k}.png")
    ds = load_dataset(tmp_path)
    sub = ds.subset([1])
    assert sub.is_lazy and sub.names == ("s1.png",) and sub.image(0).max() == 1


def test_empty_dataset():
    ds = Dataset([], images=np.zeros((0, 4, 4), np.uint8))
    assert len(ds) == 0 and ds.class_counts() == dict.fromkeys(CLASSES, 0)


@pytest.mark.parametrize("kwargs, match", [
    (dict(labels=[0]), "exactly one"),
    (dict(labels=[0], images=np.zeros((1, 2, 2)), paths=["a"]), "exactly one"),
    (dict(labels=[4], images=np.zeros((1, 2, 2))), "labels must lie"),
    (dict(labels=[0, 1], images=np.zeros((1, 2, 2))), "images must have one entry"),
    (dict(labels=[0], images=np.zeros((1, 2, 2)), names=["a", "b"]), "names"),
    (dict(labels=[0], images=np.zeros((1, 2, 2)), kidney_masks=np.zeros((2, 2, 2))),
     "kidney_masks")])
def test_dataset_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Dataset(**kwargs)
