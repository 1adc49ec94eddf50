import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ctkidney.models import prepare

# (low, high) of each preprocessing for inputs in [0, 255].
RANGES = {"cnn": (0.0, 1.0), "mobilenet": (-1.0, 1.0),
          "vgg16": (-123.68, 255 - 103.939), "vgg19": (-123.68, 255 - 103.939)}


@settings(max_examples=25)
@given(kind=st.sampled_from(sorted(RANGES)), n=st.integers(1, 3), rows=st.integers(4, 40),
       cols=st.integers(4, 40), size=st.integers(4, 40), channels=st.sampled_from([0, 1, 3]),
       dtype=st.sampled_from([np.uint8, np.uint16, np.float32, np.float64]),
       seed=st.integers(0, 2**16))
def test_prepare_shape_dtype_range_and_purity(kind, n, rows, cols, size, channels, dtype, seed):
    rng = np.random.default_rng(seed)
    shape = (n, rows, cols) + ((channels,) if channels else ())
    top = 65535 if dtype == np.uint16 else 255
    images = (rng.random(shape) * top).astype(dtype)
    before = images.copy()
    x = prepare(images, size=size, model=kind)
    np.testing.assert_array_equal(images, before)
    assert x.shape == (n, size, size, 3) and x.dtype == np.float32
    low, high = RANGES[kind]
    assert x.min() >= low - 1e-3 and x.max() <= high + 1e-3
    # Grey input stays grey: the three channels differ only by the per-channel offset.
    if channels != 3:
        spread = x - x[..., :1]
        np.testing.assert_allclose(spread, np.broadcast_to(spread[:1, :1, :1], spread.shape),
                                   atol=1e-3)
