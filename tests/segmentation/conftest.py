import numpy as np
import pytest
from scipy import ndimage as ndi


@pytest.fixture
def blobs():
    """A smooth uint8 image with a few bright blobs on a dark background."""
    rng = np.random.default_rng(7)
    field = ndi.gaussian_filter(rng.normal(0, 1, (48, 64)), 4)
    field = (field - field.min()) / (field.max() - field.min())
    return np.clip(field * 220 + rng.normal(0, 4, field.shape) + 10, 0, 255).astype(np.uint8)
