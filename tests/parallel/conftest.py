"""Fixtures of the parallel tests: one small in-process Dask cluster per module, and
image stacks."""

import numpy as np
import pytest


@pytest.fixture(scope="module")
def client():
    """A 2-worker LocalCluster in this process (inproc transport: no port is opened,
    no dashboard), closed after the module."""
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster, set_as_default=False) as c:
        yield c


@pytest.fixture
def stack():
    """Twelve small uint8 slices, each one distinct."""
    return np.random.default_rng(7).integers(0, 256, (12, 24, 20), dtype=np.uint8)
