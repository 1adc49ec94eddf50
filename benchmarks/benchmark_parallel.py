"""Benchmarks of ctkidney.parallel: the default pipeline (3x3 median, then CLAHE) on
512x512 uint8 slices, in a loop, on local threads and on a 2-worker LocalCluster.

Targets (issue 8): at least 100 images/s per core, and a speed-up of at least 1.7
with two threads over a loop. Run this file as a script for a report that also
times each step alone on two threads, to find what holds the GIL::

    PYTHONPATH=src python benchmarks/benchmark_parallel.py

``--nested`` prints the nested-parallelism comparison alone (issue 17: map_images
against a plain loop with the libraries' default threads and a one-core loop).
"""

import atexit
import os
import time

import numpy as np

N_IMAGES = 128  # enough work per run that the pool start-up does not dominate
SIZE = 512


def _stack(n=N_IMAGES, size=SIZE):
    # CT-like content: smooth anatomy plus noise, so the filters see real texture.
    rng = np.random.default_rng(0)
    y, x = np.mgrid[:size, :size] / size
    base = 120 + 80 * np.sin(6 * x) * np.cos(4 * y)
    noise = rng.normal(0, 12, (n, size, size))
    return np.clip(base + noise, 0, 255).astype(np.uint8)


def _pipeline():
    from ctkidney.parallel import parse_steps

    return parse_steps("median:size=3,clahe")


def _loop(pipe, stack):
    # The same output as map_images: one (N, H, W) array.
    return np.stack([pipe(image) for image in stack])


def _opencv_pipeline():
    import cv2

    def run(image):
        # A CLAHE object per call: OpenCV's is not safe to share between threads.
        return cv2.createCLAHE(2.0, (8, 8)).apply(cv2.medianBlur(image, 3))

    return run


class MapImages:
    """asv: the default pipeline over 32 slices of 512x512."""

    timeout = 300

    def setup(self):
        from ctkidney.parallel import map_images

        self.map_images = map_images
        self.pipe = _pipeline()
        self.stack = _stack()
        self.pipe(self.stack[0])  # warm the JIT

    def time_loop(self):
        _loop(self.pipe, self.stack)

    def time_one_thread(self):
        self.map_images(self.pipe, self.stack, num_workers=1, progress=False)

    def time_two_threads(self):
        self.map_images(self.pipe, self.stack, num_workers=2, progress=False)

    def peakmem_two_threads(self):
        self.map_images(self.pipe, self.stack, num_workers=2, progress=False)


class LocalClusterMap:
    """asv: the same work on a 2-worker LocalCluster (worker processes)."""

    timeout = 300

    def setup(self):
        from dask.distributed import Client, LocalCluster

        from ctkidney.parallel import map_images

        self.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                    host="127.0.0.1", dashboard_address=None)
        self.client = Client(self.cluster, set_as_default=False)
        self.map_images = map_images
        self.pipe = _pipeline()
        self.stack = _stack()
        self.map_images(self.pipe, self.stack[:2], scheduler=self.client, progress=False)

    def teardown(self):
        self.client.close()
        self.cluster.close()

    def time_two_workers(self):
        self.map_images(self.pipe, self.stack, scheduler=self.client, progress=False)


_CLUSTER = {}


def _cluster_client():
    """A 2-worker LocalCluster started on first use and closed at exit."""
    if not _CLUSTER:
        from dask.distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
        client = Client(cluster, set_as_default=False)
        _CLUSTER.update(cluster=cluster, client=client)
        atexit.register(lambda: (client.close(), cluster.close()))
    return _CLUSTER["client"]


def _one_opencv_thread(func):
    """``func`` run on one core: OpenCV's thread pool off and the calling thread's
    Numba kernels on one thread (both restored after), so that a "loop" really uses
    one core and images/s are per core."""
    def run():
        import cv2
        import numba

        before, numba_before = cv2.getNumThreads(), numba.get_num_threads()
        cv2.setNumThreads(1)
        numba.set_num_threads(1)
        try:
            return func()
        finally:
            cv2.setNumThreads(before)
            numba.set_num_threads(numba_before)

    return run


#: Slices of the nested-parallelism row (issue 17): enough for the pools to matter.
NESTED_IMAGES = 256


def compare_rows():
    """Rows for compare.py: one image against OpenCV's own median + CLAHE and the
    10 ms budget that 100 images/s per core allows; the parallel runs against the
    plain loop (times of the whole stack). OpenCV's thread pool is off in these
    rows, so that the loop uses one core."""
    from ctkidney.parallel import map_images

    pipe, opencv = _pipeline(), _opencv_pipeline()
    stack = _stack()
    n = len(stack)
    yield {
        "name": "parallel median3+clahe 1 img 512",
        "ours": _one_opencv_thread(lambda: pipe(stack[0])),
        "others": {"OpenCV": _one_opencv_thread(lambda: opencv(stack[0])),
                   "10ms budget": lambda: time.sleep(0.010)},
        "targets": {"OpenCV": 0.5, "10ms budget": 1.0},
    }
    yield {
        "name": f"parallel {n}x512 2 threads",
        "ours": lambda: map_images(pipe, stack, num_workers=2, progress=False),
        "others": {"loop": _one_opencv_thread(lambda: _loop(pipe, stack))},
        "targets": {"loop": 1.7},
    }
    # map_images limits OpenCV to one thread per worker and runs Numba kernels serially
    # there; it must beat a one-core loop and never lose to the plain loop, in which
    # OpenCV already uses every core.
    nested = _stack(NESTED_IMAGES)
    yield {
        "name": f"parallel {NESTED_IMAGES}x512 map_images",
        "ours": lambda: map_images(pipe, nested, progress=False),
        "others": {"loop": lambda: _loop(pipe, nested),
                   "1-core loop": _one_opencv_thread(lambda: _loop(pipe, nested))},
        "targets": {"loop": 1.0, "1-core loop": 1.7},
    }
    yield {
        "name": f"parallel {n}x512 LocalCluster 2 workers",
        "ours": lambda: map_images(pipe, stack, scheduler=_cluster_client(),
                                   progress=False),
        "others": {"loop": _one_opencv_thread(lambda: _loop(pipe, stack))},
        "targets": {},
    }


def _best(func, repeats=5):
    func()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def gil_fraction(func, image, repeats=5):
    """Upper bound on the fraction of ``func(image)``'s time that holds the GIL.

    The per-call Python work (validation, dispatch) does not depend on the image
    size, while the pixel work runs in OpenCV or Numba without the GIL; so the time
    of the call on a 16x16 image, over its time on ``image``, bounds the GIL-held
    share. With a share ``f``, two threads cannot beat ``1 / f``.
    """
    tiny = np.ascontiguousarray(image[:16, :16])
    small = _best(lambda: [func(tiny) for _ in range(100)], repeats) / 100
    full = _best(lambda: [func(image) for _ in range(10)], repeats) / 10
    return small / full


def report(repeats=5):
    """Print throughput (images/s) and speed-ups, and each step's 2-thread speed-up
    (a step that holds the GIL does not scale)."""
    from concurrent.futures import ThreadPoolExecutor

    from ctkidney.parallel import map_images, parse_steps

    pipe, stack = _pipeline(), _stack()
    n = len(stack)
    halves = [stack[: n // 2], stack[n // 2:]]
    rows = {}
    rows["loop"] = _best(lambda: _loop(pipe, stack), repeats)
    rows["map_images 1 thread"] = _best(
        lambda: map_images(pipe, stack, num_workers=1, progress=False), repeats)
    rows["map_images 2 threads"] = _best(
        lambda: map_images(pipe, stack, num_workers=2, progress=False), repeats)
    # CPU seconds per wall second on two threads: near 1 if the GIL (or a busy
    # machine) serialises them, near 2 if they really run side by side.
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(repeats):
        map_images(pipe, stack, num_workers=2, progress=False)
    busy = (time.process_time() - cpu) / (time.perf_counter() - wall)
    # The same measure for a control that surely releases the GIL (hashlib on
    # large buffers): what two threads can get from this machine right now.
    import hashlib

    blob = stack.tobytes()
    with ThreadPoolExecutor(2) as pool:
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(repeats):
            list(pool.map(lambda _: hashlib.sha256(blob).digest(), range(2)))
        control = (time.process_time() - cpu) / (time.perf_counter() - wall)
    with ThreadPoolExecutor(2) as pool:
        rows["raw ThreadPoolExecutor 2 threads"] = _best(
            lambda: list(pool.map(lambda part: _loop(pipe, part), halves)), repeats)
        for name in ("median:size=3", "clahe"):
            step = parse_steps(name)
            alone = _best(lambda step=step: _loop(step, stack), repeats)
            two = _best(lambda step=step: list(pool.map(lambda part: _loop(step, part),
                                                        halves)), repeats)
            rows[f"step {name}: loop"] = alone
            rows[f"step {name}: 2 threads"] = two
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, \
            Client(cluster, set_as_default=False) as client:
        rows["LocalCluster 2 workers"] = _best(
            lambda: map_images(pipe, stack, scheduler=client, progress=False), repeats)
    fraction = gil_fraction(pipe, stack[0], repeats)
    print(f"{n} slices of {SIZE}x{SIZE} uint8, pipeline {pipe!r}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    loop = rows["loop"]
    for name, seconds in rows.items():
        base = rows[name.replace("2 threads", "loop")] if name.startswith("step") else loop
        print(f"  {name:38s} {n / seconds:8.1f} images/s   x{base / seconds:5.2f}")
    print(f"  share of a call holding the GIL: <= {100 * fraction:.1f}% "
          f"-> 2-thread bound x{min(2.0, 1 / fraction):.2f}")
    print(f"  cores busy during map_images on 2 threads: {busy:.2f} "
          f"(control without the GIL: {control:.2f})")


def nested_report(repeats=10):
    """Print the nested-parallelism row (issue 17) on a busy machine: the three runs
    interleaved ``repeats`` times, the minimum of each (what the machine gives when
    it is least disturbed)."""
    from ctkidney.parallel import map_images

    pipe, stack = _pipeline(), _stack(NESTED_IMAGES)
    runs = {"plain loop (default threads)": lambda: _loop(pipe, stack),
            "1-core loop": _one_opencv_thread(lambda: _loop(pipe, stack)),
            "map_images": lambda: map_images(pipe, stack, progress=False)}
    for run in runs.values():
        run()  # warm-up: JIT cache loads, thread pools
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    print(f"{NESTED_IMAGES} slices of {SIZE}x{SIZE}, median 3x3 + CLAHE, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}, minimum of {repeats}")
    for name, seconds in best.items():
        print(f"  {name:30s} {1e3 * seconds:8.1f} ms")
    ours = best["map_images"]
    print(f"  map_images vs 1-core loop x{best['1-core loop'] / ours:.2f}, "
          f"vs plain loop x{best['plain loop (default threads)'] / ours:.2f}")


if __name__ == "__main__":
    import sys

    if "--nested" in sys.argv:
        nested_report()
        sys.exit()

    import cv2

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    # OpenCV (behind median_filter and clahe for uint8) runs its own thread pool, so
    # the "loop" would already use every core: pin it to one thread for per-core
    # figures (pass --opencv-threads to see the default).
    if "--opencv-threads" not in sys.argv:
        cv2.setNumThreads(1)
    print(f"OpenCV threads: {cv2.getNumThreads()}")
    report()
