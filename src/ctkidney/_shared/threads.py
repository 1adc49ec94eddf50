"""Which threads run ctkidney's parallel Numba kernels serially: the per-thread flag
behind the threading policy of :mod:`ctkidney._shared.jit`.

Kept apart from the decorator so that :mod:`ctkidney.parallel` can set the flag
without importing Numba.
"""

import contextlib
import threading

__all__ = ["in_serial_kernels", "serial_kernels"]

_local = threading.local()


@contextlib.contextmanager
def serial_kernels():
    """Run every parallel kernel called from this thread serially, while open.

    Nests; other threads are not affected.

    Examples
    --------
    >>> from ctkidney._shared.threads import in_serial_kernels, serial_kernels
    >>> with serial_kernels():
    ...     in_serial_kernels()
    True
    >>> in_serial_kernels()
    False
    """
    _local.depth = getattr(_local, "depth", 0) + 1
    try:
        yield
    finally:
        _local.depth -= 1


def in_serial_kernels():
    """Whether this thread is inside :func:`serial_kernels`."""
    return getattr(_local, "depth", 0) > 0
