"""Thread pools inside :func:`map_images` workers: one thread each for OpenCV and Numba.

:func:`map_images` already keeps every core busy with its own workers. OpenCV runs a
thread pool of its own (as many threads as cores) and the ``parallel=True`` Numba
kernels another; inside the workers those pools only oversubscribe the cores (and
Numba's ``workqueue`` layer aborts on concurrent parallel launches). So while a map
runs, OpenCV uses one thread and the Numba kernels run their serial twins (see
:mod:`ctkidney._shared.jit`). The caller's OpenCV setting comes back afterwards, even
on error.
"""

import contextlib
import threading

from ctkidney._shared.threads import serial_kernels

__all__ = ["opencv_single_thread", "worker_threads"]

_lock = threading.Lock()
_users = 0
_saved_threads = None


@contextlib.contextmanager
def opencv_single_thread():
    """Limit OpenCV to one thread while open, then restore the previous count.

    OpenCV's thread count is global to the process, so the setting is counted: the
    first of several overlapping users (threads of one process) saves and sets it,
    the last one restores it.

    Examples
    --------
    >>> import cv2
    >>> from ctkidney.parallel._threads import opencv_single_thread
    >>> before = cv2.getNumThreads()
    >>> with opencv_single_thread():
    ...     cv2.getNumThreads()
    1
    >>> cv2.getNumThreads() == before
    True
    """
    global _users, _saved_threads
    import cv2

    with _lock:
        if _users == 0:
            _saved_threads = cv2.getNumThreads()
            cv2.setNumThreads(1)
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                cv2.setNumThreads(_saved_threads)


@contextlib.contextmanager
def worker_threads():
    """The threading policy of a worker: OpenCV on one thread, Numba kernels serial."""
    with serial_kernels(), opencv_single_thread():
        yield
