import numpy as np
import pytest


@pytest.fixture(scope="session")
def phantoms():
    """A small 4-class phantom set: (images (48, 48, 48) uint8, labels)."""
    from ctkidney.data import make_dataset

    ds = make_dataset(12, size=48, rng=0)
    return ds.images(), ds.labels


@pytest.fixture(scope="session")
def stone_vs_cyst():
    """Binary phantom task (bright stones vs dark cysts), 100 slices per class."""
    from ctkidney.data import make_dataset

    ds = make_dataset(0, size=64, rng=0, class_counts={"Cyst": 100, "Stone": 100})
    labels = (ds.labels == 2).astype(np.int64)
    return ds.images(), labels
