"""Benchmarks of ctkidney.parallel: the default pipeline (3x3 median, then CLAHE) on
512x512 uint8 slices, in a loop, on local threads and on a 2-worker LocalCluster.

Targets (issue 8): at least 100 images/s per core, and a speed-up of at least 1.7
with two threads over a loop. Run this file as a script for a report that also
times each step alone on two threads, to find what holds the GIL::

    PYTHONPATH=src python benchmarks/benchmark_parallel.py
"""

import atexit
import os
import time

import numpy as np

N_IMAGES = 32
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
    return [pipe(image) for image in stack]


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


def compare_rows():
    """Rows for compare.py: the parallel runs against the plain loop (the time of
    the whole stack), and one image against OpenCV and the 10 ms budget that
    100 images/s per core allows."""
    from ctkidney.parallel import map_images

    pipe = _pipeline()
    stack = _stack()
    n = len(stack)
    yield {
        "name": "parallel median3+clahe 1 img 512",
        "ours": lambda: pipe(stack[0]),
        "others": {"OpenCV": lambda: _opencv_pipeline()(stack[0]),
                   "10ms budget": lambda: time.sleep(0.010)},
        "targets": {"OpenCV": 0.5, "10ms budget": 1.0},
    }
    yield {
        "name": f"parallel {n}x512 2 threads",
        "ours": lambda: map_images(pipe, stack, num_workers=2, progress=False),
        "others": {"loop": lambda: _loop(pipe, stack)},
        "targets": {"loop": 1.7},
    }
    yield {
        "name": f"parallel {n}x512 LocalCluster 2 workers",
        "ours": lambda: map_images(pipe, stack, scheduler=_cluster_client(),
                                   progress=False),
        "others": {"loop": lambda: _loop(pipe, stack)},
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
    with ThreadPoolExecutor(2) as pool:
        rows["raw ThreadPoolExecutor 2 threads"] = _best(
            lambda: list(pool.map(lambda part: _loop(pipe, part), halves)), repeats)
        for name in ("median:size=3", "clahe"):
            step = parse_steps(name)
            alone = _best(lambda: _loop(step, stack), repeats)
            two = _best(lambda: list(pool.map(lambda part: _loop(step, part), halves)),
                        repeats)
            rows[f"step {name}: loop"] = alone
            rows[f"step {name}: 2 threads"] = two
    rows["LocalCluster 2 workers"] = _best(
        lambda: map_images(pipe, stack, scheduler=_cluster_client(), progress=False),
        repeats)
    print(f"{n} slices of {SIZE}x{SIZE} uint8, pipeline {pipe!r}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    loop = rows["loop"]
    for name, seconds in rows.items():
        base = rows[name.replace("2 threads", "loop")] if name.startswith("step") else loop
        print(f"  {name:38s} {n / seconds:8.1f} images/s   x{base / seconds:5.2f}")


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    report()
