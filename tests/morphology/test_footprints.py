import numpy as np
import pytest
import skimage.morphology as skm

from ctkidney.morphology import cross, diamond, disk, rectangle, square


@pytest.mark.parametrize("radius", range(0, 16))
def test_disk_and_diamond_equal_skimage(radius):
    for ours, theirs in ((disk, skm.disk), (diamond, skm.diamond)):
        got = ours(radius)
        assert got.dtype == bool
        np.testing.assert_array_equal(got, theirs(radius).astype(bool))


def test_square_rectangle_cross():
    assert square(4).shape == (4, 4) and square(4).all() and square(4).dtype == bool
    assert rectangle(2, 7).shape == (2, 7) and rectangle(2, 7).all()
    np.testing.assert_array_equal(cross(3), diamond(1))
    c = cross(5)
    assert c.sum() == 9 and c[2].all() and c[:, 2].all()
    np.testing.assert_array_equal(square(5), skm.footprint_rectangle((5, 5)).astype(bool))


@pytest.mark.parametrize("func", [disk, diamond])
def test_bad_radius(func):
    with pytest.raises(ValueError, match="radius"):
        func(-1)
    with pytest.raises(TypeError, match="radius"):
        func(2.5)
    with pytest.raises(TypeError, match="radius"):
        func("3")
    with pytest.raises(TypeError, match="radius"):
        func(True)


def test_bad_sizes():
    with pytest.raises(ValueError, match="width"):
        square(0)
    with pytest.raises(ValueError, match="rows"):
        rectangle(0, 3)
    with pytest.raises(ValueError, match="cols"):
        rectangle(3, -2)
    with pytest.raises(TypeError, match="cols"):
        rectangle(3, 1.5)
    with pytest.raises(ValueError, match="odd"):
        cross(4)
    with pytest.raises(ValueError, match="width"):
        cross(-1)
