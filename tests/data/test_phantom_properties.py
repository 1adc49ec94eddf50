import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage

from ctkidney.data import CLASSES, make_phantom

phantom_args = st.tuples(st.sampled_from(range(4)), st.integers(32, 160),
                         st.integers(0, 2**32 - 1))


@settings(max_examples=25)
@given(phantom_args)
def test_masks_consistent(args):
    label, size, seed = args
    p = make_phantom(label, size=size, rng=seed)
    assert p.image.dtype == np.uint8 and p.hu.dtype == np.float32
    assert p.kidney_mask.dtype == bool and p.lesion_mask.dtype == bool
    assert p.image.shape == p.hu.shape == p.kidney_mask.shape == (size, size)
    # The guarantee: the lesion lies inside the kidney mask (a cyst's bulge past
    # the renal outline, a stone in the ureter are part of the kidney mask), and
    # only Normal has none; the slice always cuts the lesion.
    assert (p.lesion_mask <= p.kidney_mask).all()
    assert p.lesion_mask.any() == (CLASSES[label] != "Normal")
    assert p.kidney_mask.any()  # (a slice through a ureteric stone may show only it)
    # Kidney tissue never touches the border or air.
    assert not (p.kidney_mask & (p.hu < -500)).any()
    assert -1000 <= p.hu.min() and p.hu.max() <= 1600
    # The lesion is inside the body, and where it is fully drawn it has its HU
    # (cysts: fluid, hyperdense or an enhancing septum; tumours: soft tissue with
    # texture or necrosis; stones: calcium).
    core = ndimage.binary_erosion(p.lesion_mask, structure=np.ones((3, 3), bool))
    if core.any():
        ranges = {"Cyst": (0, 125), "Tumor": (-20, 400), "Stone": (250, 1600)}
        low, high = ranges[CLASSES[label]]
        assert low <= p.hu[core].min() and p.hu[core].max() <= high


@settings(max_examples=10)
@given(phantom_args)
def test_same_seed_same_phantom(args):
    label, size, seed = args
    a = make_phantom(label, size=size, rng=seed)
    b = make_phantom(label, size=size, rng=seed)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
