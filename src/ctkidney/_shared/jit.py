"""The one Numba decorator of the project, and its threading policy.

Every kernel is compiled through :func:`jit`, so the options live in one place:
``cache=True`` (a new process loads the compiled code from ``__pycache__`` instead of
recompiling) and ``nogil=True`` (threads scale, see :mod:`ctkidney.parallel`).
``NUMBA_DISABLE_JIT=1`` turns every kernel back into Python, which lets coverage see
inside them.

Threading policy (nested parallelism)
-------------------------------------
- A kernel may be ``parallel=True`` only when its ``prange`` runs over an independent
  outer axis (rows) and one call on a 512x512 image is heavy enough (about a
  millisecond or more) for threads to pay: the order-statistic and mean filters of
  :mod:`ctkidney.restoration` and the Gaussian-window SSIM of :mod:`ctkidney.metrics`.
  Light kernels (the other metrics, segmentation's queues and scans) stay serial:
  their parallelism is across images.
- Such a kernel is compiled twice, parallel and as a serial twin (its own cache
  file), and :class:`ParallelKernel` picks one per call. It runs the serial twin

  * inside :func:`serial_kernels`, which :func:`ctkidney.parallel.map_images` enters
    in every worker: the map already keeps every core busy, and a second pool per
    worker only oversubscribes them;
  * in any thread other than the main one, unless Numba's threading layer is known
    to be threadsafe (``tbb`` or ``omp``): the ``workqueue`` layer aborts the process
    when two threads launch parallel kernels at once. Before the first parallel
    launch the layer is not chosen yet, and counts as unsafe.

  Otherwise (the main thread, or a threadsafe layer outside a worker) it runs the
  parallel version. Both give the same result; a test checks it.
"""

import functools
import threading
import types

import numba

from ctkidney._shared.threads import in_serial_kernels, serial_kernels

__all__ = ["ParallelKernel", "in_serial_context", "jit", "prange", "serial_kernels"]

prange = numba.prange

_DEFAULTS = {"cache": True, "nogil": True, "fastmath": False, "error_model": "numpy"}

#: Numba threading layers that accept parallel launches from several threads at once.
THREADSAFE_LAYERS = ("tbb", "omp")


def _threadsafe_layer():
    try:
        return numba.threading_layer() in THREADSAFE_LAYERS
    except ValueError:  # no parallel kernel has run: the layer is not chosen yet
        return False


def in_serial_context():
    """Whether a :class:`ParallelKernel` called here now runs its serial twin."""
    off_main = threading.current_thread() is not threading.main_thread()
    return in_serial_kernels() or (off_main and not _threadsafe_layer())


def _twin(func):
    # A copy of the function under another qualified name: Numba keys its cache
    # files by module and qualified name, not by the compile options, so the serial
    # build must not share the parallel one's file.
    twin = types.FunctionType(func.__code__, func.__globals__, func.__name__,
                              func.__defaults__, func.__closure__)
    twin.__qualname__ = f"{func.__qualname__}_serial"
    twin.__module__ = func.__module__
    return twin


class ParallelKernel:
    """A ``parallel=True`` kernel with its serial twin, dispatched per call.

    Made by ``@jit(parallel=True)``; see the module's threading policy. Call it like
    the kernel (from Python only: other kernels call serial helpers).

    Attributes
    ----------
    parallel, serial : numba dispatcher
        The two compiled versions.
    py_func : function
        The Python function, for slow reference runs in the tests.
    """

    def __init__(self, func, settings):
        self.parallel = numba.njit(**settings)(func)
        self.serial = numba.njit(**{**settings, "parallel": False})(_twin(func))
        self.py_func = func
        functools.update_wrapper(self, func)

    def __call__(self, *args):
        kernel = self.serial if in_serial_context() else self.parallel
        return kernel(*args)


def jit(func=None, /, **options):
    """Compile ``func`` in nopython mode with the project's defaults.

    Use bare (``@jit``) or with options (``@jit(parallel=True)``). Only pass
    ``parallel=True`` for kernels whose ``prange`` runs over an independent outer
    axis; their result must equal the serial one. Those come back as a
    :class:`ParallelKernel`, which runs serially inside worker threads.
    """
    settings = {**_DEFAULTS, **options}

    def decorate(f):
        if settings.get("parallel"):
            return ParallelKernel(f, settings)
        return numba.njit(**settings)(f)

    if func is None:
        return decorate
    return decorate(func)
