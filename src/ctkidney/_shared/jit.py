"""The one Numba decorator of the project.

Every kernel is compiled through :func:`jit`, so the options live in one place:
``cache=True`` (a new process loads the compiled code from ``__pycache__`` instead of
recompiling) and ``nogil=True`` (threads scale, see :mod:`ctkidney.parallel`).
``NUMBA_DISABLE_JIT=1`` turns every kernel back into Python, which lets coverage see
inside them.
"""

import numba

__all__ = ["jit", "prange"]

prange = numba.prange

_DEFAULTS = {"cache": True, "nogil": True, "fastmath": False, "error_model": "numpy"}


def jit(func=None, /, **options):
    """Compile ``func`` in nopython mode with the project's defaults.

    Use bare (``@jit``) or with options (``@jit(parallel=True)``). Only pass
    ``parallel=True`` for kernels whose ``prange`` runs over an independent outer
    axis; their result must equal the serial one.
    """
    settings = {**_DEFAULTS, **options}

    def decorate(f):
        return numba.njit(**settings)(f)

    if func is None:
        return decorate
    return decorate(func)
