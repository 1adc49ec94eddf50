"""Where the real development CT lives, for benchmarks that score on real slices.

The real data is never part of the repository. By default it is read from
``../shared/realdata`` next to the project root (see its README); set the
environment variable ``CTKIDNEY_REALDATA`` to point at another copy, for example
your own Kaggle download laid out the same way.
"""

import os
import sys
from pathlib import Path

#: Project root (the folder that holds ``pyproject.toml``).
ROOT = Path(__file__).resolve().parents[1]


def realdata_root():
    """The real-data folder: ``$CTKIDNEY_REALDATA`` or ``../shared/realdata``."""
    env = os.environ.get("CTKIDNEY_REALDATA")
    return Path(env) if env else ROOT.parent / "shared" / "realdata"


def require(*parts):
    """Return ``realdata_root() / parts``, or exit 0 with a message when it is absent."""
    path = realdata_root().joinpath(*parts)
    if not path.exists():
        print(f"skipped: real data not found at {path} "
              "(set CTKIDNEY_REALDATA to a copy of shared/realdata)")
        sys.exit(0)
    return path
