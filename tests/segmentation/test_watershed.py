import numpy as np
import pytest
from scipy import ndimage as ndi
from skimage.segmentation import watershed as sk_watershed

from ctkidney.segmentation import distance_transform, watershed, watershed_markers

from . import naive


def _markers(shape, n, seed):
    rng = np.random.default_rng(seed)
    markers = np.zeros(shape, np.int32)
    for i in range(n):
        markers[rng.integers(0, shape[0]), rng.integers(0, shape[1])] = i + 1
    return markers


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16, np.float32, np.float64])
@pytest.mark.parametrize("connectivity", [1, 2])
@pytest.mark.parametrize("with_mask", [False, True])
def test_agrees_with_skimage(blobs, dtype, connectivity, with_mask):
    image = blobs.astype(dtype)
    mask = (np.random.default_rng(1).random(image.shape) > 0.1) if with_mask else None
    for seed in range(4):
        markers = _markers(image.shape, 6, seed)
        ours = watershed(image, markers, mask=mask, connectivity=connectivity)
        ref = sk_watershed(image, markers, mask=mask, connectivity=connectivity)
        assert ours.dtype == np.int32
        assert (ours == ref).mean() >= 0.99


def test_matches_naive_priority_flood(blobs):
    image = (blobs // 16).astype(np.uint8)  # plateaus: the order of ties matters
    markers = _markers(image.shape, 5, 3)
    np.testing.assert_array_equal(watershed(image, markers),
                                  naive.watershed(image, markers))
    for dtype in (np.float32, np.float64):
        signed = ((image.astype(np.float64) - 7.5) / 3).astype(dtype)  # negative, -0.0
        signed[0, :3] = -0.0
        np.testing.assert_array_equal(watershed(signed, markers),
                                      naive.watershed(signed, markers))


def test_mask_and_bool_markers():
    image = np.zeros((5, 6), np.uint8)
    mask = np.ones(image.shape, bool)
    mask[:, 3] = False
    markers = np.zeros(image.shape, bool)
    markers[0, 0] = markers[4, 5] = True
    labels = watershed(image, markers, mask=mask)
    assert set(np.unique(labels[:, :3])) == {1} and set(np.unique(labels[:, 4:])) == {2}
    assert (labels[:, 3] == 0).all()


def test_distance_transform_matches_scipy():
    rng = np.random.default_rng(0)
    for _ in range(20):
        shape = tuple(rng.integers(1, 40, 2))
        mask = rng.random(shape) > rng.uniform(0.05, 0.6)
        if mask.all():
            continue
        sampling = None if rng.random() < 0.5 else tuple(rng.uniform(0.5, 2.0, 2))
        ours = distance_transform(mask, sampling=sampling)
        assert ours.dtype == np.float32
        np.testing.assert_allclose(ours, ndi.distance_transform_edt(mask, sampling=sampling),
                                   rtol=1e-6, atol=1e-5)


def test_distance_transform_naive():
    mask = np.random.default_rng(4).random((9, 13)) > 0.2
    np.testing.assert_allclose(distance_transform(mask), naive.edt(mask), rtol=1e-6)


def test_distance_transform_no_background():
    assert np.isinf(distance_transform(np.ones((3, 3), bool))).all()


def test_compiled_equals_python():
    from ctkidney.segmentation._distance_kernels import _edt_kernel

    mask = np.random.default_rng(2).random((37, 29)) > 0.3
    out = np.empty(mask.shape)
    _edt_kernel(mask, 1.0, 1.0, out)
    serial = np.empty(mask.shape)
    _edt_kernel.py_func(mask, 1.0, 1.0, serial)
    np.testing.assert_array_equal(out, serial)


def test_markers_split_touching_discs():
    yy, xx = np.mgrid[:40, :70]
    mask = ((yy - 20) ** 2 + (xx - 20) ** 2 < 225) | ((yy - 20) ** 2 + (xx - 46) ** 2 < 225)
    markers = watershed_markers(mask, min_distance=5)
    assert markers.dtype == np.int32 and markers.max() == 2
    labels = watershed(-distance_transform(mask), markers, mask=mask)
    assert labels[20, 20] != labels[20, 46] and labels[20, 20] > 0
    assert labels[20, 7] == labels[20, 20]


def test_markers_every_object():
    mask = np.zeros((20, 20), bool)
    mask[2:5, 2:5] = mask[10:18, 10:18] = True
    markers = watershed_markers(mask, min_distance=3)
    for r, c in ((3, 3), (14, 14)):
        objects, _ = ndi.label(mask)
        assert (markers[objects == objects[r, c]] > 0).any()


def test_bad_input(blobs):
    markers = _markers(blobs.shape, 2, 0)
    with pytest.raises(ValueError, match="markers must have"):
        watershed(blobs, markers[:-1])
    with pytest.raises(TypeError, match="markers"):
        watershed(blobs, markers.astype(float))
    with pytest.raises(ValueError, match="non-negative"):
        watershed(blobs, -markers)
    with pytest.raises(ValueError, match="mask"):
        watershed(blobs, markers, mask=np.ones((2, 2), bool))
    with pytest.raises(ValueError, match="connectivity"):
        watershed(blobs, markers, connectivity=0)
    with pytest.raises(ValueError, match="sampling"):
        distance_transform(blobs > 100, sampling=0)
    with pytest.raises(ValueError, match="min_distance"):
        watershed_markers(blobs > 100, min_distance=0)
    with pytest.raises(ValueError, match="mask"):
        distance_transform(blobs)
    with pytest.raises(TypeError, match="mask"):
        distance_transform(blobs.astype(complex))
