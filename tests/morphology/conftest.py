import numpy as np
import pytest

DTYPES = (bool, np.uint8, np.uint16, np.int16, np.float32, np.float64)


def random_image(rng, dtype, shape):
    """Random image covering the dtype's range (bool: ~60 % foreground)."""
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.random(shape) < 0.6
    if dtype.kind == "f":
        return (rng.normal(size=shape) * 500).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, shape, endpoint=True).astype(dtype)


def footprint_cases():
    """Symmetric, asymmetric, even-sized and random footprints, sizes 1 to 15."""
    from ctkidney.morphology import cross, diamond, disk, rectangle, square

    rng = np.random.default_rng(7)
    cases = {
        "none": None,
        "square1": square(1),
        "square3": square(3),
        "square15": square(15),
        "rect2x5": rectangle(2, 5),
        "rect15x4": rectangle(15, 4),
        "disk1": disk(1),
        "disk4": disk(4),
        "disk7": disk(7),
        "diamond3": diamond(3),
        "cross5": cross(5),
        "line1x9": np.ones((1, 9), bool),
        "asym": np.array([[0, 0, 0], [0, 1, 1], [0, 1, 0]], bool),
        "no_centre": np.array([[1, 0, 0], [0, 0, 0], [0, 0, 1]], bool),
        "even2x2": np.ones((2, 2), bool),
        "even4x6": rng.random((4, 6)) < 0.5,
    }
    for size in (5, 9, 14):
        fp = rng.random((size, size + 1 - size % 2)) < 0.4
        fp[0, 0] = True
        cases[f"random{size}"] = fp
    return cases


@pytest.fixture
def images(rng):
    """One image per dtype, 23x31 (so that big footprints reach every border)."""
    return {np.dtype(dt).name: random_image(rng, dt, (23, 31)) for dt in DTYPES}
