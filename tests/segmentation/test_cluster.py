import numpy as np
import pytest
from sklearn.cluster import KMeans

from ctkidney.segmentation import kmeans

from . import naive


def _inertia(image, labels, centers):
    return float(((image.astype(np.float64) - centers[labels]) ** 2).sum())


@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.float32, np.float64])
@pytest.mark.parametrize("k", [1, 2, 3, 5, 8])
@pytest.mark.parametrize("method", ["exact", "lloyd"])
def test_inertia_vs_sklearn(blobs, dtype, k, method):
    image = blobs[:32, :32].astype(dtype)
    labels, centers = kmeans(image, k, rng=0, method=method)
    ours = _inertia(image, labels, centers)
    theirs = KMeans(k, n_init=10, random_state=0).fit(image.reshape(-1, 1).astype(float))
    limit = 1.001 if method == "exact" else 1.05
    assert ours <= theirs.inertia_ * limit + 1e-9


def test_exact_is_optimal():
    rng = np.random.default_rng(3)
    for _ in range(10):
        image = rng.integers(0, 12, (3, 5)).astype(np.uint8)
        for k in (2, 3):
            if np.unique(image).size < k:
                continue
            labels, centers = kmeans(image, k)
            assert _inertia(image, labels, centers) == pytest.approx(
                naive.kmeans_1d_optimum(image.ravel(), k), abs=1e-9)


def test_labels_ordered_and_nearest(blobs):
    labels, centers = kmeans(blobs, 4, rng=1)
    assert labels.dtype == np.int32 and centers.dtype == np.float64
    assert np.all(np.diff(centers) > 0)
    distance = np.abs(blobs[..., None].astype(float) - centers)
    chosen = np.take_along_axis(distance, labels[..., None], -1)[..., 0]
    np.testing.assert_array_equal(chosen, distance.min(-1))


def test_fewer_values_than_clusters():
    image = np.array([[3, 3, 9]], np.uint8)
    labels, centers = kmeans(image, 4)
    np.testing.assert_array_equal(labels, [[0, 0, 1]])
    np.testing.assert_array_equal(centers, [3, 9, 9, 9])


def test_spare_centres_repeat_the_last_one():
    """With more clusters than distinct values, the spare centres equal the last
    computed one: a cluster's mean, read off prefix sums, can miss its single
    value by an ulp, and the centres must stay non-decreasing (before, the
    spare ones were the largest value: one ulp below the last centre here)."""
    image = np.array([[1441.639943239328, 488.5782879219502, 3704.722266190795]])
    labels, centers = kmeans(image, 4)
    assert np.all(np.diff(centers) >= 0)
    np.testing.assert_array_equal(labels, [[1, 0, 2]])


def test_reproducible_lloyd(blobs):
    a = kmeans(blobs, 3, rng=5, method="lloyd")
    b = kmeans(blobs, 3, rng=5, method="lloyd")
    np.testing.assert_array_equal(a[0], b[0])


def test_bad_input(blobs):
    with pytest.raises(ValueError, match="k must be"):
        kmeans(blobs, 0)
    with pytest.raises(TypeError, match="k must be"):
        kmeans(blobs, 2.5)
    with pytest.raises(ValueError, match="method"):
        kmeans(blobs, 2, method="minibatch")
    with pytest.raises(ValueError, match="n_init"):
        kmeans(blobs, 2, n_init=0)
