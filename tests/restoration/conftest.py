import numpy as np
import pytest

from ctkidney.restoration import (
    alpha_trimmed_mean,
    arithmetic_mean,
    contraharmonic_mean,
    geometric_mean,
    harmonic_mean,
    max_filter,
    median_filter,
    midpoint_filter,
    min_filter,
)

MODES = ("reflect", "mirror", "nearest", "wrap", "constant")
DTYPES = (np.uint8, np.uint16, np.int16, np.float32, np.float64)

#: Every window filter with its extra arguments.
WINDOW_FILTERS = {
    "arithmetic_mean": (arithmetic_mean, {}),
    "geometric_mean": (geometric_mean, {}),
    "harmonic_mean": (harmonic_mean, {}),
    "contraharmonic_mean": (contraharmonic_mean, {"q": 1.5}),
    "contraharmonic_mean_neg": (contraharmonic_mean, {"q": -1.5}),
    "median_filter": (median_filter, {}),
    "min_filter": (min_filter, {}),
    "max_filter": (max_filter, {}),
    "midpoint_filter": (midpoint_filter, {}),
    "alpha_trimmed_mean": (alpha_trimmed_mean, {"d": 2}),
}


def window_ct(hu, level=40, width=400):
    """Abdominal window: HU -> uint8, as the Kaggle slices and the phantoms."""
    lo = level - width / 2
    return np.clip(np.rint((np.asarray(hu, float) - lo) / width * 255), 0, 255).astype(np.uint8)


@pytest.fixture(scope="session")
def ct_images():
    """8-bit CT slices: pydicom's CT sample and noise-free phantoms, windowed."""
    import pydicom
    from pydicom.data import get_testdata_file

    from ctkidney.data import make_phantom

    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    images = [window_ct(ds.pixel_array * float(ds.RescaleSlope) + float(ds.RescaleIntercept))]
    for i, (label, size) in enumerate([("Cyst", 256), ("Normal", 256), ("Stone", 128),
                                       ("Tumor", 128)]):
        images.append(window_ct(make_phantom(label, size=size, rng=i).hu))
    return images


def random_image(rng, shape, dtype, low=0, high=200):
    return rng.integers(low, high, shape).astype(dtype)
