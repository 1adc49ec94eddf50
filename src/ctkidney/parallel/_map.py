"""``map_images``: one function over a stack, a list or a dataset, on Dask."""

import contextlib
import math
import numbers
import traceback
import uuid
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ctkidney._shared.optional import optional_import
from ctkidney._shared.validation import check_scalar
from ctkidney.parallel._threads import opencv_single_thread, worker_threads

__all__ = ["ImageError", "ImageErrorWarning", "map_images"]

#: Upper bound of the default batch size: keeps a batch of 512x512 slices (input
#: and output) to a few tens of MB on a worker.
MAX_DEFAULT_BATCH = 64
#: Batches per worker thread by default: enough to balance the load and move the
#: progress bar, few enough that Dask's per-task overhead stays negligible.
BATCHES_PER_WORKER = 4
#: Local Dask schedulers, by the names ``dask.compute`` knows them.
LOCAL_SCHEDULERS = ("threads", "processes", "sync")
#: Failures listed in full in a warning or a summary; the rest are counted.
MAX_LISTED_ERRORS = 10


@dataclass(frozen=True)
class ImageError:
    """One image that could not be processed.

    Attributes
    ----------
    index : int
        Position of the image in the input.
    name : str
        The image's name: the dataset's name for it (its file name for datasets read
        from disk), or ``"image <index>"`` for arrays and lists.
    error_type : str
        Class name of the exception, e.g. ``"ValueError"``.
    message : str
        The exception's message.
    traceback : str
        The formatted traceback, from the worker that ran the image.
    """

    index: int
    name: str
    error_type: str
    message: str
    traceback: str = ""

    def __str__(self):
        return f"{self.name}: {self.error_type}: {self.message}"


class ImageErrorWarning(UserWarning):
    """Some images failed in :func:`map_images` (``strict=False``).

    The warning's ``errors`` attribute holds the :class:`ImageError` records, in
    input order.
    """

    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = list(errors)


def describe_errors(errors, limit=MAX_LISTED_ERRORS):
    """Lines naming the first ``limit`` failed images, and a count of the rest."""
    lines = [f"  {e}" for e in errors[:limit]]
    if len(errors) > limit:
        lines.append(f"  ... and {len(errors) - limit} more")
    return "\n".join(lines)


# --- what the workers run --------------------------------------------------------------

class _Items:
    """The images of one batch, picklable, read on the worker when lazy.

    ``source`` is a list of arrays, a slice of an (N, H, W) array, or a
    :class:`ctkidney.data.Dataset` (a subset of the caller's), whose lazy slices are
    read here, on the worker, so files never travel through the client.
    """

    def __init__(self, source, start, names):
        self.source = source
        self.start = start
        self.names = names

    def __len__(self):
        return len(self.names)

    def get(self, j):
        if hasattr(self.source, "image"):
            return self.source.image(j)
        return self.source[j]


def _error_record(index, name, exc):
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return ImageError(index, name, type(exc).__name__, str(exc), tb)


def _check_picklable(value):
    import cloudpickle  # a dependency of dask

    try:
        cloudpickle.dumps(value)
    except Exception as exc:
        raise TypeError(f"func returned a {type(value).__name__}, which cannot be sent "
                        f"back from a worker process ({exc}); return arrays or "
                        "numbers") from exc


class _BatchTask:
    """Load and process each image of a batch.

    Returns ``(results, errors)``: one result per image (``None`` where it failed)
    and the :class:`ImageError` records. With ``strict`` the first exception is
    raised instead, with a note naming the image. With ``concurrent`` (other batches
    run at the same time) the batch runs under :func:`worker_threads`. With
    ``remote`` (the results travel back from another process) a result that cannot
    be pickled fails its image here, instead of the whole map when Dask sends it.

    Not a dataclass: Dask unpacks the fields of dataclasses it is handed and would
    compute a Dask collection passed in ``kwargs`` (tested).
    """

    def __init__(self, func, kwargs, items, strict, concurrent=False, remote=False):
        self.func = func
        self.kwargs = kwargs
        self.items = items
        self.strict = strict
        self.concurrent = concurrent
        self.remote = remote

    def __call__(self):
        with worker_threads() if self.concurrent else contextlib.nullcontext():
            return self._run()

    def _run(self):
        results, errors = [], []
        for j, name in enumerate(self.items.names):
            index = self.items.start + j
            try:
                value = self.func(self.items.get(j), **self.kwargs)
                if self.remote:
                    _check_picklable(value)
            except Exception as exc:
                if self.strict:
                    exc.add_note(f"(while processing image {name!r}, index {index})")
                    raise
                results.append(None)
                errors.append(_error_record(index, name, exc))
            else:
                results.append(value)
        return results, errors


# --- inputs ---------------------------------------------------------------------------

def _is_dataset(images):
    from ctkidney.data import Dataset

    return isinstance(images, Dataset)


def _batches(images, batch_size, names=None):
    """Yield an :class:`_Items` per batch of ``images`` (validated by the caller)."""
    n = len(images)
    for start in range(0, n, batch_size):
        stop = min(start + batch_size, n)
        if _is_dataset(images):
            source = images.subset(np.arange(start, stop))
            batch_names = source.names
        else:
            source = images[start:stop]
            batch_names = (tuple(names[start:stop]) if names is not None
                           else tuple(f"image {i}" for i in range(start, stop)))
        yield _Items(source, start, batch_names)


def _check_images(images):
    if isinstance(images, np.ndarray):
        if images.ndim != 3:
            raise ValueError(
                f"images must be an (N, H, W) stack, got an array of shape {images.shape}"
                + ("; for one image, call the function directly" if images.ndim == 2 else "")
            )
        return images
    if _is_dataset(images):
        return images
    if isinstance(images, (str, bytes)) or not isinstance(images, Sequence):
        raise TypeError(
            "images must be an (N, H, W) array, a sequence of arrays or a "
            f"ctkidney.data.Dataset, got {type(images).__name__}"
            + ("; pass list(...) for an iterator" if hasattr(images, "__next__") else "")
        )
    return list(images)


def default_batch_size(n_images, n_workers):
    """Batch size giving each worker about four batches, at most 64 images each."""
    per_batch = math.ceil(n_images / (BATCHES_PER_WORKER * max(1, n_workers)))
    return max(1, min(MAX_DEFAULT_BATCH, per_batch))


# --- schedulers -----------------------------------------------------------------------

class _Runner:
    """Where the batches run: a local Dask scheduler or a ``dask.distributed`` client.

    Use as a context manager: a client made from an address is closed on exit.
    """

    def __init__(self, scheduler, num_workers):
        self.local = None
        self.client = None
        self._own_client = False
        optional_import("dask", extra="dask")
        if scheduler is None or isinstance(scheduler, str) and scheduler in LOCAL_SCHEDULERS:
            self.local = scheduler or "threads"
            if num_workers is not None:
                num_workers = check_scalar(num_workers, "num_workers", low=1, integer=True)
            self.num_workers = num_workers
            return
        distributed = optional_import("dask.distributed", extra="dask")
        cluster = isinstance(scheduler, distributed.Client) or (
            isinstance(scheduler, str) and _looks_like_address(scheduler))
        if not cluster:
            raise ValueError(
                "scheduler must be None, 'threads', 'processes', 'sync', a "
                "dask.distributed.Client or a scheduler address such as "
                f"'tcp://host:8786', got {scheduler!r}"
            )
        if num_workers is not None:
            raise ValueError("num_workers applies to local schedulers only; a Dask cluster "
                             "has the workers it was started with")
        if isinstance(scheduler, distributed.Client):
            self.client = scheduler
        else:
            self.client = distributed.Client(scheduler, timeout="10s",
                                             set_as_default=False)
            self._own_client = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._own_client:
            self.client.close()

    @property
    def n_workers(self):
        """Worker threads available, to size the default batches."""
        if self.client is not None:
            return max(1, sum(self.client.nthreads().values()))
        if self.local == "sync":
            return 1
        from dask.system import CPU_COUNT

        return self.num_workers or CPU_COUNT

    @property
    def concurrent(self):
        """Whether batches run at the same time (then the threading policy applies)."""
        return self.client is not None or (self.local != "sync" and self.n_workers > 1)

    @property
    def remote(self):
        """Whether the batches run in other processes (results come back pickled)."""
        return self.client is not None or self.local == "processes"

    def run(self, tasks, *, progress, desc="images"):
        """Run ``tasks`` (callables, one per batch); return their results in order."""
        if not tasks:
            return []
        if self.client is not None:
            return self._run_distributed(tasks, progress, desc)
        return self._run_local(tasks, progress, desc)

    def _run_local(self, tasks, progress, desc):
        import dask

        delayed = [dask.delayed(task, pure=False)(dask_key_name=key)
                   for task, key in zip(tasks, _task_keys(tasks, desc))]
        options = {"scheduler": self.local, "optimize_graph": False}
        if self.num_workers is not None and self.local != "sync":
            options["num_workers"] = self.num_workers
        if not progress:
            return list(dask.compute(*delayed, **options))
        sizes = {d.key: len(t.items) for d, t in zip(delayed, tasks)}
        with _tqdm_callback(sizes, desc=desc):
            return list(dask.compute(*delayed, **options))

    def _run_distributed(self, tasks, progress, desc):
        distributed = optional_import("dask.distributed", extra="dask")
        futures = [self.client.submit(task, pure=False, key=key)
                   for task, key in zip(tasks, _task_keys(tasks, desc))]
        try:
            if progress:
                # Dask's own bar; the client need not be the default one.
                distributed.progress(futures, notebook=False,
                                     scheduler=self.client.scheduler.address)
            return self.client.gather(futures)
        finally:
            # After an error (strict mode) nothing more is computed for us.
            self.client.cancel(futures)


def _task_keys(tasks, desc):
    # Readable, unique Dask keys: the dashboard and progress bars group by prefix.
    token = uuid.uuid4().hex[:12]
    return [f"ctkidney-{desc}-{token}-{i}" for i in range(len(tasks))]


def _looks_like_address(text):
    # tcp://host:8786, tls://..., inproc://..., or a bare host:port
    return "://" in text or (":" in text and text.rsplit(":", 1)[1].isdigit())


def _tqdm_callback(sizes, *, desc):
    """A Dask local-scheduler callback that advances a tqdm bar by images done."""
    from dask.callbacks import Callback
    from tqdm.auto import tqdm

    class TqdmCallback(Callback):
        def _start(self, dsk):
            self.bar = tqdm(total=sum(sizes.values()), desc=desc, unit="img")

        def _posttask(self, key, result, dsk, state, worker_id):
            self.bar.update(sizes.get(key, 0))

        def _finish(self, dsk, state, errored):
            self.bar.close()

    return TqdmCallback()


# --- the public function --------------------------------------------------------------

def run_batches(func, images, *, batch_size=None, scheduler=None, num_workers=None,
                progress=True, strict=False, kwargs=None, names=None, desc="images"):
    """Run ``func`` over ``images`` batch by batch; return ``(results, errors)``.

    The engine behind :func:`map_images` and ``ctkidney preprocess``. ``images`` is
    an (N, H, W) array, a list, or a Dataset (checked by the caller); ``names``
    names the items of a list (default ``"image <i>"``).
    """
    if not callable(func):
        raise TypeError(f"func must be callable, got {type(func).__name__}")
    if batch_size is not None:
        batch_size = check_scalar(batch_size, "batch_size", low=1, integer=True)
    n = len(images)
    with _Runner(scheduler, num_workers) as runner:
        if n == 0:
            return [], []
        if batch_size is None:
            batch_size = default_batch_size(n, runner.n_workers)
        concurrent = runner.concurrent
        tasks = [_BatchTask(func, dict(kwargs or {}), items, strict, concurrent,
                            remote=runner.remote)
                 for items in _batches(images, batch_size, names)]
        with opencv_single_thread() if concurrent else contextlib.nullcontext():
            outcomes = runner.run(tasks, progress=progress, desc=desc)
    results = [r for batch, _ in outcomes for r in batch]
    errors = [e for _, batch in outcomes for e in batch]
    return results, errors


def _stack_if_uniform(results):
    """One array when every result is an array or scalar of one shape and dtype."""
    arrays = []
    for r in results:
        if not isinstance(r, (np.ndarray, np.generic, numbers.Number)):
            return results
        arrays.append(np.asarray(r))
    first = arrays[0]
    if all(a.shape == first.shape and a.dtype == first.dtype for a in arrays):
        return np.stack(arrays)
    return results


def map_images(func, images, *, batch_size=None, scheduler=None, num_workers=None,
               progress=True, strict=False, **kwargs):
    """Apply ``func`` to every image, in parallel on Dask, results in input order.

    The result is what the plain loop ``[func(image, **kwargs) for image in images]``
    gives, stacked into one array when it can be, computed by batches of images on
    local threads, local processes or a ``dask.distributed`` cluster.

    Parameters
    ----------
    func : callable
        Per-image function ``func(image, **kwargs)``: any ctkidney function, a
        :func:`compose` pipeline, or your own. It must not modify its input. With
        ``'processes'`` or a cluster it is pickled (cloudpickle: lambdas work,
        module-level functions travel by name).
    images : (N, H, W) ndarray, sequence of 2-D ndarrays, or ctkidney.data.Dataset
        The images. A lazy dataset (read from files) is read batch by batch on the
        workers: only file paths leave the caller, and the caller never holds the
        whole dataset.
    batch_size : int, optional
        Images per Dask task. Default: about four batches per worker thread, at most
        64 images each.
    scheduler : None, str or dask.distributed.Client, optional
        Where to run:

        - ``None`` or ``'threads'``: a local thread pool (the default). The Numba
          kernels and OpenCV calls of ctkidney release the GIL, so threads scale.
        - ``'processes'``: a local process pool, for functions that hold the GIL.
        - ``'sync'``: one thread, in the caller (debugging, profiling).
        - a ``dask.distributed.Client``: its cluster (with Dask's progress bar).
        - a scheduler address such as ``'tcp://host:8786'``: a client is
          connected for the call and closed after it.
    num_workers : int, optional
        Size of the local thread or process pool. Default: the number of CPUs. Not
        allowed with a cluster, which has its own workers.
    progress : bool, optional
        Show a progress bar: tqdm on stderr locally, Dask's own for a cluster.
    strict : bool, optional
        Raise the first error instead of collecting it. The exception carries a
        note naming the image, and the rest of the work is cancelled.
    **kwargs
        Passed to ``func`` with every image.

    Returns
    -------
    results : ndarray or list
        One result per image, in input order. When every result is an array (or a
        scalar) of the same shape and dtype, they are stacked into one array with
        that dtype; otherwise, and whenever an image failed, a list in which the
        failed images are ``None``. No images give an empty list.

    Raises
    ------
    TypeError
        If ``func`` is not callable or ``images`` is not one of the accepted kinds.
    ValueError
        If an array is not 3-D, or ``batch_size``, ``num_workers`` or
        ``scheduler`` are invalid.
    ImportError
        If Dask is not installed (``pip install "ctkidney[dask]"``).
    Exception
        With ``strict=True``, the first exception ``func`` raised (or the reader,
        for a lazy dataset), noted with the image's name.

    Warns
    -----
    ImageErrorWarning
        With ``strict=False``, when some images failed: one warning naming each
        failed image and its error. Its ``errors`` attribute lists the
        :class:`ImageError` records; the other images are processed normally.

    See Also
    --------
    compose : Build the per-image pipeline.

    Notes
    -----
    Batches are Dask tasks: with the default ``scheduler=None`` they run through
    ``dask.compute(..., scheduler='threads')``; with a client, through
    ``client.submit`` and ``client.gather``. Each batch returns its results and
    error records, so one bad image never kills the run. The results are identical
    to the loop because each image is processed by the same call, independently of
    the batching and of the worker.

    Nested parallelism: while batches run concurrently, OpenCV is limited to one
    thread (the caller's setting is restored afterwards, also on error) and
    ctkidney's parallel Numba kernels run serially in the workers, so the workers
    alone share the cores (see :mod:`ctkidney._shared.jit`). With ``'sync'`` or
    one worker nothing is limited.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.parallel import map_images
    >>> stack = np.arange(4 * 8 * 8, dtype=np.uint8).reshape(4, 8, 8)
    >>> out = map_images(np.flipud, stack, progress=False)
    >>> out.shape, out.dtype, bool((out == stack[:, ::-1]).all())
    ((4, 8, 8), dtype('uint8'), True)
    >>> map_images(np.max, stack, batch_size=2, progress=False)
    array([ 63, 127, 191, 255], dtype=uint8)
    """
    images = _check_images(images)
    results, errors = run_batches(func, images, batch_size=batch_size, scheduler=scheduler,
                                  num_workers=num_workers, progress=progress,
                                  strict=strict, kwargs=kwargs)
    if errors:
        warnings.warn(
            ImageErrorWarning(
                f"{len(errors)} of {len(results)} images failed (None in the result):\n"
                + describe_errors(errors),
                errors,
            ),
            stacklevel=2,
        )
        return results
    return _stack_if_uniform(results) if results else results
