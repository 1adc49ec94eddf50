"""Fixtures of the enhancement tests: random images and real-looking ones."""

import numpy as np
import pytest

from ctkidney._shared.validation import IMAGE_DTYPES

MODES = ("reflect", "nearest", "mirror", "wrap", "constant")


def random_image(dtype, shape=(23, 31), seed=0):
    """A random image spanning a realistic range of ``dtype``."""
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype == np.uint8:
        return rng.integers(0, 256, shape).astype(dtype)
    if dtype == np.uint16:
        return rng.integers(0, 4096, shape).astype(dtype)
    if dtype == np.int16:
        return rng.integers(-1024, 3072, shape).astype(dtype)
    return rng.uniform(-1024, 3071, shape).astype(dtype)


@pytest.fixture(scope="session")
def ct_sample():
    """pydicom's CT_small.dcm as Hounsfield units (int16, 128x128)."""
    pydicom = pytest.importorskip("pydicom")
    from pydicom.data import get_testdata_file

    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    hu = ds.pixel_array.astype(np.float64) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
    return hu.astype(np.int16)


@pytest.fixture(scope="session")
def phantom():
    """A tumour phantom slice (96x96) with its HU map and masks (generator 2.0)."""
    from ctkidney.data import make_phantom

    return make_phantom("Tumor", size=96, rng=4)


@pytest.fixture(params=[np.dtype(d).name for d in IMAGE_DTYPES])
def dtype(request):
    return np.dtype(request.param)
