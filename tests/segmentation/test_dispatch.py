import numpy as np
import pytest

from ctkidney.segmentation import (
    METHODS,
    edge_segment,
    kmeans,
    region_grow,
    segment,
    threshold_local,
    threshold_otsu,
)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_runs(blobs, method):
    out = segment(blobs, method)
    assert out.shape == blobs.shape
    assert out.dtype in (np.bool_, np.int32)


def test_methods_forward_their_parameters(blobs):
    np.testing.assert_array_equal(segment(blobs, "threshold", value=90), blobs > 90)
    np.testing.assert_array_equal(segment(blobs, "otsu"), blobs > threshold_otsu(blobs))
    np.testing.assert_array_equal(segment(blobs, "local", block_size=7),
                                  threshold_local(blobs, 7))
    np.testing.assert_array_equal(segment(blobs, "kmeans", k=4), kmeans(blobs, 4)[0])
    np.testing.assert_array_equal(segment(blobs, "region", seeds=(3, 3), tolerance=9),
                                  region_grow(blobs, (3, 3), tolerance=9))
    np.testing.assert_array_equal(segment(blobs, "edge", sigma=1.5), edge_segment(blobs, sigma=1.5))
    labels = segment(blobs, "multiotsu", classes=3)
    assert set(np.unique(labels)) <= {0, 1, 2}


def test_watershed_with_markers(blobs):
    markers = np.zeros(blobs.shape, np.int32)
    markers[0, 0], markers[-1, -1] = 1, 2
    labels = segment(blobs, "watershed", markers=markers)
    assert set(np.unique(labels)) == {1, 2}


def test_bad_input(blobs):
    with pytest.raises(ValueError, match="method"):
        segment(blobs, "snakes")
    with pytest.raises(TypeError):
        segment(blobs, "otsu", k=3)
