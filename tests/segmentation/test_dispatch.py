import numpy as np
import pytest

from ctkidney.segmentation import (
    SEGMENT_METHODS,
    edge_segment,
    kmeans,
    region_grow,
    segment,
    threshold_local,
    threshold_otsu,
)


@pytest.mark.parametrize("method", SEGMENT_METHODS)
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


def test_methods_is_a_deprecated_alias():
    import ctkidney.segmentation as seg

    with pytest.warns(DeprecationWarning, match="SEGMENT_METHODS"):
        assert seg.METHODS == SEGMENT_METHODS
    with pytest.raises(AttributeError, match="no_such_name"):
        seg.no_such_name  # noqa: B018
