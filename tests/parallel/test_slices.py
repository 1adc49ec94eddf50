"""map_slices: a 2-D function over the slices of a volume."""

import numpy as np
import pytest

from ctkidney.data import Volume
from ctkidney.enhancement import clahe
from ctkidney.parallel import map_slices
from ctkidney.segmentation import threshold_otsu


@pytest.mark.parametrize("axis", [0, 1, 2])
@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_map_slices_equals_the_loop(rng, axis, scheduler):
    volume = rng.integers(0, 256, (5, 24, 20)).astype(np.uint8)
    before = volume.copy()
    out = map_slices(clahe, volume, axis=axis, scheduler=scheduler, tile_grid=(2, 2))
    expected = np.stack([clahe(s, tile_grid=(2, 2)) for s in np.moveaxis(volume, axis, 0)])
    np.testing.assert_array_equal(out, np.moveaxis(expected, 0, axis))
    assert out.flags.c_contiguous and out.dtype == np.uint8
    np.testing.assert_array_equal(volume, before)


def test_map_slices_keeps_a_volume_and_gives_scalars(rng):
    vol = Volume(rng.normal(size=(4, 16, 16)).astype(np.float32), (2.5, 0.7, 0.7),
                 (1.0, 2.0, 3.0))
    out = map_slices(lambda s: s * 2, vol, scheduler="sync")
    assert isinstance(out, Volume) and out.spacing == vol.spacing and out.origin == vol.origin
    np.testing.assert_array_equal(out.hu, vol.hu * 2)
    levels = map_slices(threshold_otsu, vol, scheduler="sync")
    assert levels.shape == (4,)


def test_map_slices_errors(rng):
    with pytest.raises(TypeError, match="func"):
        map_slices(3, np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="3-D"):
        map_slices(np.mean, np.zeros((3, 4)))
    with pytest.raises(ValueError, match="axis"):
        map_slices(np.mean, np.zeros((2, 3, 4)), axis=3)
    with pytest.raises(ValueError, match="cannot be stacked"):
        map_slices(lambda s: np.zeros(int(s[0, 0]) // 16 + 1),
                   np.arange(48.0).reshape(3, 4, 4), scheduler="sync")
    with pytest.raises(ZeroDivisionError):
        map_slices(lambda s: 1 / 0, np.zeros((2, 3, 4)), scheduler="sync")
