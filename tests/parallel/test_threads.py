"""The threading policy for nested parallelism (``_shared.jit``, ``parallel._threads``):
parallel Numba kernels run serially in workers and off the main thread under an unsafe
threading layer; OpenCV runs one thread per worker during a map and gets the
caller's setting back."""

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import cv2
import numpy as np
import pytest

from ctkidney._shared import jit as jit_module
from ctkidney._shared.jit import ParallelKernel, in_serial_context, serial_kernels
from ctkidney.parallel import map_images
from ctkidney.parallel._threads import opencv_single_thread
from ctkidney.restoration import _kernels, median_filter


@pytest.fixture
def opencv_threads():
    """Give the test a known OpenCV thread count (2) and restore the previous one."""
    before = cv2.getNumThreads()
    cv2.setNumThreads(2)
    yield 2
    cv2.setNumThreads(before)


def _seen_settings(image):
    # What a worker sees: OpenCV's thread count and the kernel dispatch.
    return np.array([cv2.getNumThreads(), in_serial_context()], np.int64)


def test_parallel_kernels_have_serial_twins_with_their_own_cache_files():
    kernel = _kernels._network_rank_kernel
    assert isinstance(kernel, ParallelKernel)
    assert kernel.parallel.targetoptions["parallel"]
    assert not kernel.serial.targetoptions.get("parallel", False)
    assert kernel.serial.py_func.__qualname__ == kernel.py_func.__qualname__ + "_serial"
    assert kernel.__doc__ == kernel.py_func.__doc__


def test_serial_twin_equals_parallel_kernel():
    image = np.random.default_rng(0).random((40, 33))
    parallel = median_filter(image, 5)
    with serial_kernels():
        serial = median_filter(image, 5)
    np.testing.assert_array_equal(serial, parallel)


def test_dispatch_follows_the_policy(monkeypatch):
    assert not in_serial_context()                      # main thread, outside a worker
    with serial_kernels(), serial_kernels():
        assert in_serial_context()
    assert not in_serial_context()
    with ThreadPoolExecutor(1) as pool:
        for safe in (False, True):
            monkeypatch.setattr(jit_module, "_threadsafe_layer", lambda safe=safe: safe)
            assert pool.submit(in_serial_context).result() is (not safe)


def test_map_workers_run_one_opencv_thread_and_serial_kernels(opencv_threads):
    images = np.zeros((4, 8, 8), np.uint8)
    seen = map_images(_seen_settings, images, num_workers=2, batch_size=1, progress=False)
    assert (seen == [1, 1]).all()
    assert cv2.getNumThreads() == opencv_threads


@pytest.mark.parametrize("options", [{"scheduler": "sync"}, {"num_workers": 1}])
def test_sequential_maps_keep_the_default_threads(opencv_threads, options):
    seen = map_images(_seen_settings, np.zeros((2, 8, 8), np.uint8), progress=False, **options)
    assert (seen == [opencv_threads, 0]).all()


def _fails(image):
    raise RuntimeError("boom")


def test_opencv_threads_are_restored_on_error(opencv_threads):
    with pytest.raises(RuntimeError, match="boom"):
        map_images(_fails, np.zeros((3, 8, 8), np.uint8), num_workers=2, strict=True,
                   progress=False)
    assert cv2.getNumThreads() == opencv_threads


def test_opencv_limit_is_counted_across_threads(opencv_threads):
    inside, release = threading.Barrier(2), threading.Event()

    def hold():
        with opencv_single_thread():
            inside.wait()
            release.wait()

    worker = threading.Thread(target=hold)
    worker.start()
    with opencv_single_thread():
        inside.wait()
    assert cv2.getNumThreads() == 1                     # the other thread still holds it
    release.set()
    worker.join()
    assert cv2.getNumThreads() == opencv_threads


_WORKQUEUE_SCRIPT = """
import numpy as np
from concurrent.futures import ThreadPoolExecutor
import numba
from ctkidney.parallel import map_images
from ctkidney.restoration import alpha_trimmed_mean, median_filter

images = np.random.default_rng(1).random((6, 48, 48))
for func in (median_filter, alpha_trimmed_mean):
    expected = np.stack([func(x, 5) for x in images])
    out = map_images(func, images, size=5, num_workers=3, batch_size=1, progress=False)
    assert (out == expected).all(), func.__name__
    with ThreadPoolExecutor(3) as pool:
        plain = np.stack(list(pool.map(lambda x: func(x, 5), images)))
    assert (plain == expected).all(), func.__name__
print(numba.threading_layer())
"""


def test_threads_launching_parallel_kernels_under_workqueue_do_not_abort():
    # The workqueue layer aborts the process on concurrent parallel launches: the
    # kernels must fall back to serial in worker threads, map_images or not.
    env = {**__import__("os").environ, "NUMBA_THREADING_LAYER": "workqueue"}
    out = subprocess.run([sys.executable, "-c", _WORKQUEUE_SCRIPT], capture_output=True,
                         text=True, env=env, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "workqueue"
