import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# The first example of a property test pays for Numba compilation: no deadline.
settings.register_profile("default", deadline=None, max_examples=50,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", deadline=None, max_examples=30, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


def _realdata_root():
    env = os.environ.get("CTKIDNEY_REALDATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1].parent / "shared" / "realdata"


@pytest.fixture(scope="session")
def realdata():
    """Root of the real development CT (``../shared/realdata`` or
    ``$CTKIDNEY_REALDATA``); tests that use it skip, saying why, when it is absent."""
    root = _realdata_root()
    if not root.is_dir():
        pytest.skip(f"real data not found at {root} "
                    "(set CTKIDNEY_REALDATA to a copy of shared/realdata)")
    return root
