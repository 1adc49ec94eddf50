"""Import time and first-call (compile or cache-load) cost, each in a new process."""

import subprocess
import sys
import textwrap


def _timed(code):
    script = textwrap.dedent(f"""
        import time
        t0 = time.perf_counter()
        {code}
        print(time.perf_counter() - t0)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip().splitlines()[-1])


class ImportTime:
    """``import ctkidney`` in a fresh interpreter (target: under 0.3 s)."""

    timeout = 120

    def track_import_ctkidney(self):
        return _timed("import ctkidney")

    track_import_ctkidney.unit = "seconds"


class FirstCall:
    """The first ssim call of a new process: Numba compiles once, then loads the
    cached machine code from ``__pycache__``."""

    timeout = 300

    def setup(self):
        # Populate the on-disk cache once, so the tracked number is the cache-load cost.
        _timed(self._code)

    _code = ("import numpy as np; from ctkidney.metrics import ssim; "
             "a = np.zeros((64, 64), np.uint8); ssim(a, a)")

    def track_first_ssim_call_cached(self):
        return _timed(self._code)

    track_first_ssim_call_cached.unit = "seconds"
