import numpy as np
import pytest

DTYPES = (np.uint8, np.uint16, np.int16, np.float32, np.float64)


def image_pair(dtype, shape=(24, 31), *, seed=0, noise=0.15):
    """A smooth-ish reference and a noisy copy of it, spanning most of the dtype's
    range (floats: HU-like values)."""
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0:shape[0], 0:shape[1]]
    base = 0.5 + 0.3 * np.sin(rows / 3.0) * np.cos(cols / 5.0)
    noisy = np.clip(base + rng.normal(0, noise, shape), 0, 1)
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        low, high = -1000.0, 2000.0
    elif dtype == np.int16:
        low, high = -1024, 3071
    else:
        low, high = 0, np.iinfo(dtype).max
    scale = lambda u: (low + u * (high - low))  # noqa: E731
    if dtype.kind == "f":
        return scale(base).astype(dtype), scale(noisy).astype(dtype)
    return np.rint(scale(base)).astype(dtype), np.rint(scale(noisy)).astype(dtype)


@pytest.fixture
def pair_u8():
    return image_pair(np.uint8)
