"""map_images: equal to a loop, in order, on every scheduler; errors; validation."""

import inspect
import json
import subprocess
import sys
import threading
import time
import warnings

import numpy as np
import pytest
from scipy import ndimage as ndi

from ctkidney.data import Dataset, make_dataset
from ctkidney.parallel import ImageError, ImageErrorWarning, compose, map_images

PIPE = compose((ndi.median_filter, {"size": 3}), (ndi.uniform_filter, {"size": 5}))


def loop(func, images, **kwargs):
    return np.stack([func(image, **kwargs) for image in images])


def odd_corner_fails(image):
    if image[0, 0] % 2:
        raise ValueError(f"odd corner {image[0, 0]}")
    return image.max()


def sleepy_identity(image):
    # Later images finish first: the result order must not follow completion order.
    time.sleep(0.002 * (255 - int(image[0, 0])) / 255)
    return image.copy()


@pytest.fixture
def disk_dataset(tmp_path):
    """A lazy Dataset of PNG files (read on the workers)."""
    import cv2

    ds = make_dataset(2, size=32, rng=3)
    paths = []
    for i, image in enumerate(ds.images()):
        path = tmp_path / f"slice-{i}.png"
        assert cv2.imwrite(str(path), image)
        paths.append(path)
    return Dataset(ds.labels, paths=paths)


# --- local schedulers --------------------------------------------------------------

@pytest.mark.parametrize("scheduler", [None, "threads", "sync", "processes"])
def test_array_input_equals_loop(stack, scheduler):
    out = map_images(PIPE, stack, scheduler=scheduler, num_workers=None, progress=False)
    assert out.dtype == stack.dtype
    np.testing.assert_array_equal(out, loop(PIPE, stack))


@pytest.mark.parametrize("batch_size", [1, 5, 12, 100])
def test_list_input_equals_loop_for_any_batch_size(stack, batch_size):
    images = [stack[i, : 10 + i] for i in range(len(stack))]  # shapes differ
    out = map_images(PIPE, images, batch_size=batch_size, num_workers=2, progress=False)
    assert isinstance(out, list) and len(out) == len(images)
    for got, image in zip(out, images):
        np.testing.assert_array_equal(got, PIPE(image))


def test_dataset_inputs_equal_loop(disk_dataset):
    expected = loop(PIPE, disk_dataset.images())
    out = map_images(PIPE, disk_dataset, batch_size=3, progress=False)
    np.testing.assert_array_equal(out, expected)
    in_memory = Dataset(disk_dataset.labels, images=disk_dataset.images())
    np.testing.assert_array_equal(map_images(PIPE, in_memory, progress=False), expected)


def test_lazy_dataset_is_read_by_the_workers(disk_dataset, monkeypatch):
    import ctkidney.data._io as io

    readers = []
    real_read = io.read_image

    def recording_read(path):
        readers.append(threading.get_ident())
        return real_read(path)

    monkeypatch.setattr(io, "read_image", recording_read)
    map_images(PIPE, disk_dataset, batch_size=2, num_workers=2, progress=False)
    assert len(readers) == len(disk_dataset)
    assert threading.get_ident() not in readers  # never in the caller's thread


def test_order_is_kept_when_completion_order_differs(stack):
    stack = stack.copy()
    stack[:, 0, 0] = np.linspace(0, 255, len(stack)).astype(np.uint8)
    out = map_images(sleepy_identity, stack, batch_size=1, num_workers=4, progress=False)
    np.testing.assert_array_equal(out, stack)


def test_kwargs_are_passed(stack):
    out = map_images(ndi.median_filter, stack, size=5, progress=False)
    np.testing.assert_array_equal(out, loop(ndi.median_filter, stack, size=5))


@pytest.mark.parametrize("scheduler", ["threads", "sync"])
def test_kwargs_reach_func_as_given(stack, scheduler):
    # Each batch is one opaque task: Dask does not look into it, so a Dask
    # collection among the kwargs is not computed on the way (a task that Dask
    # unpacks, such as a dataclass, would be).
    da = pytest.importorskip("dask.array")
    lazy = da.ones(3)

    def kind(image, *, extra):
        return type(extra).__name__

    out = map_images(kind, stack[:2], extra=lazy, scheduler=scheduler, progress=False)
    assert list(out) == [type(lazy).__name__] * 2


def test_does_not_modify_input(stack):
    before = stack.copy()
    map_images(PIPE, stack, progress=False)
    np.testing.assert_array_equal(stack, before)


def test_scalar_results_are_stacked_and_others_are_lists(stack):
    maxima = map_images(np.max, stack, progress=False)
    assert isinstance(maxima, np.ndarray) and maxima.dtype == np.uint8
    np.testing.assert_array_equal(maxima, stack.max(axis=(1, 2)))
    means = map_images(lambda im: float(im.mean()), stack, progress=False)
    assert means.dtype == np.float64
    pairs = map_images(lambda im: (im.min(), im.max()), stack, progress=False)
    assert isinstance(pairs, list) and pairs[3] == (stack[3].min(), stack[3].max())
    mixed = map_images(lambda im: im.astype(np.float32) if im[0, 0] % 2 else im, stack,
                       progress=False)
    assert isinstance(mixed, list)


def test_empty_input_gives_empty_list():
    assert map_images(PIPE, np.zeros((0, 4, 4), np.uint8), progress=False) == []
    assert map_images(PIPE, [], progress=False) == []


def test_progress_bar_counts_images(stack, capsys):
    map_images(PIPE, stack, batch_size=5, progress=True)
    err = capsys.readouterr().err
    assert "12/12" in err


# --- errors --------------------------------------------------------------------------

@pytest.mark.parametrize("scheduler", ["threads", "processes"])
def test_failing_images_are_reported_and_others_come_through(stack, scheduler):
    expected_failed = [i for i in range(len(stack)) if stack[i, 0, 0] % 2]
    assert 0 < len(expected_failed) < len(stack)
    with pytest.warns(ImageErrorWarning, match=f"{len(expected_failed)} of 12 images failed") \
            as record:
        out = map_images(odd_corner_fails, stack, batch_size=4, scheduler=scheduler,
                         num_workers=2, progress=False)
    errors = record[0].message.errors
    assert [e.index for e in errors] == expected_failed
    assert all(isinstance(e, ImageError) and e.error_type == "ValueError" for e in errors)
    assert errors[0].name == f"image {expected_failed[0]}"
    assert "odd corner" in str(errors[0]) and "Traceback" in errors[0].traceback
    assert f"image {expected_failed[0]}: ValueError: odd corner" in str(record[0].message)
    for i, value in enumerate(out):
        assert (value is None) == (i in expected_failed)
        if value is not None:
            assert value == stack[i].max()


def test_unreadable_file_is_named(disk_dataset, tmp_path):
    broken = disk_dataset.paths[2]
    broken.write_bytes(b"not a png")
    with pytest.warns(ImageErrorWarning, match="slice-2.png: ValueError") as record:
        out = map_images(PIPE, disk_dataset, progress=False)
    assert [e.name for e in record[0].message.errors] == ["slice-2.png"]
    assert out[2] is None and out[3] is not None


@pytest.mark.parametrize("scheduler", ["threads", "sync", "processes"])
def test_strict_raises_with_the_image_name(stack, scheduler):
    with pytest.raises(ValueError, match="odd corner") as info:
        map_images(odd_corner_fails, stack, strict=True, scheduler=scheduler, progress=False)
    assert "while processing image 'image" in info.value.__notes__[0]



def generator_of(image):
    """A result that cannot be pickled back from a worker process."""
    yield image.max()


def test_unpicklable_results_fail_their_images_under_processes(stack):
    # Dask raised the pickling error out of compute, losing every other image.
    with pytest.warns(ImageErrorWarning, match="12 of 12 images failed") as record:
        out = map_images(generator_of, stack, scheduler="processes", num_workers=2,
                         progress=False)
    assert out == [None] * 12
    assert "cannot be sent back from a worker process" in record[0].message.errors[0].message
    with pytest.raises(TypeError, match="func returned a generator") as info:
        map_images(generator_of, stack, scheduler="processes", num_workers=2,
                   progress=False, strict=True)
    assert "while processing image" in info.value.__notes__[0]
    # Threads hand results over as they are, generators included.
    assert inspect.isgenerator(map_images(generator_of, stack, progress=False)[0])

def test_strict_without_errors_returns_normally(stack):
    np.testing.assert_array_equal(map_images(PIPE, stack, strict=True, progress=False),
                                  loop(PIPE, stack))


# --- validation ----------------------------------------------------------------------

@pytest.mark.parametrize("images, exc, match", [
    (np.zeros((4, 4), np.uint8), ValueError, "for one image, call the function directly"),
    (np.zeros((2, 4, 4, 3), np.uint8), ValueError, r"\(N, H, W\) stack"),
    ("images/", TypeError, "images must be"),
    (iter([np.zeros((2, 2))]), TypeError, r"list\(\.\.\.\)"),
    (42, TypeError, "images must be"),
])
def test_bad_images(images, exc, match):
    with pytest.raises(exc, match=match):
        map_images(PIPE, images, progress=False)


@pytest.mark.parametrize("options, exc, match", [
    ({"batch_size": 0}, ValueError, "batch_size must be >= 1"),
    ({"batch_size": 2.5}, TypeError, "batch_size"),
    ({"batch_size": True}, TypeError, "batch_size"),
    ({"num_workers": 0}, ValueError, "num_workers must be >= 1"),
    ({"num_workers": "2"}, TypeError, "num_workers"),
    ({"scheduler": "gpu"}, ValueError, "scheduler must be"),
    ({"scheduler": 3}, ValueError, "scheduler must be"),
])
def test_bad_options(stack, options, exc, match):
    with pytest.raises(exc, match=match):
        map_images(PIPE, stack, progress=False, **options)


def test_func_must_be_callable(stack):
    with pytest.raises(TypeError, match="func must be callable"):
        map_images("median", stack)


# --- dask.distributed ----------------------------------------------------------------

def test_client_results_equal_loop(client, stack, disk_dataset):
    np.testing.assert_array_equal(map_images(PIPE, stack, scheduler=client, progress=False),
                                  loop(PIPE, stack))
    images = [stack[i, : 10 + i] for i in range(len(stack))]
    out = map_images(PIPE, images, scheduler=client, batch_size=5, progress=False)
    for got, image in zip(out, images):
        np.testing.assert_array_equal(got, PIPE(image))
    np.testing.assert_array_equal(map_images(PIPE, disk_dataset, scheduler=client,
                                             progress=False),
                                  loop(PIPE, disk_dataset.images()))


def test_scheduler_address_and_dask_progress_bar(client, stack, capsys):
    address = client.scheduler.address
    out = map_images(PIPE, stack, scheduler=address, progress=True)
    np.testing.assert_array_equal(out, loop(PIPE, stack))
    assert "100% Completed" in capsys.readouterr().out  # Dask's own text bar


def test_client_errors_and_strict(client, stack):
    with pytest.warns(ImageErrorWarning) as record:
        out = map_images(odd_corner_fails, stack, scheduler=client, progress=False)
    failed = [e.index for e in record[0].message.errors]
    assert failed == [i for i in range(len(stack)) if stack[i, 0, 0] % 2]
    assert sum(v is None for v in out) == len(failed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the worker logs the failure
        with pytest.raises(ValueError, match="odd corner") as info:
            map_images(odd_corner_fails, stack, scheduler=client, strict=True,
                       progress=False)
    assert "while processing image 'image" in info.value.__notes__[0]


def test_num_workers_refused_with_a_cluster(client, stack):
    with pytest.raises(ValueError, match="local schedulers only"):
        map_images(PIPE, stack, scheduler=client, num_workers=2)


def test_cluster_of_processes_on_localhost(stack):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster, set_as_default=False) as c:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        out = map_images(PIPE, stack, scheduler=c, batch_size=3, progress=False)
        bare = cluster.scheduler_address.removeprefix("tcp://")  # host:port
        again = map_images(PIPE, stack, scheduler=bare, progress=False)
    np.testing.assert_array_equal(out, loop(PIPE, stack))
    np.testing.assert_array_equal(again, out)


# --- the dask extra ------------------------------------------------------------------

def test_missing_dask_gives_an_import_error_naming_the_extra():
    code = (
        "import sys, json\n"
        "sys.modules['dask'] = None\n"  # blocks `import dask`
        "import numpy as np\n"
        "import ctkidney.parallel as p\n"
        "loaded = 'dask' in sys.modules and sys.modules['dask'] is not None\n"
        "try:\n"
        "    p.map_images(np.flipud, np.zeros((2, 3, 3)), progress=False)\n"
        "except ImportError as exc:\n"
        "    print(json.dumps({'loaded': loaded, 'msg': str(exc)}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    info = json.loads(out.stdout)
    assert info["loaded"] is False
    assert 'pip install "ctkidney[dask]"' in info["msg"]


def test_import_does_not_load_dask():
    code = ("import sys, ctkidney.parallel\n"
            "print([m for m in ('dask', 'distributed') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name", ["geometric_mean", "alpha_trimmed_mean", "adaptive_median",
                                  "median_filter"])
def test_threads_running_parallel_kernels_equal_loop(name):
    # Several threads launching Numba parallel kernels at once must neither crash nor
    # change the result (the omp/tbb threading layers allow concurrent launches).
    from ctkidney import restoration

    func = getattr(restoration, name)
    images = np.random.default_rng(3).integers(0, 256, (8, 96, 96)).astype(np.uint8)
    expected = np.stack([func(x) for x in images])
    out = map_images(func, images, num_workers=2, batch_size=1, progress=False)
    np.testing.assert_array_equal(out, expected)


def test_an_unknown_scheduler_is_named_before_num_workers_is_judged():
    images = np.zeros((2, 8, 8), np.uint8)
    with pytest.raises(ValueError, match="scheduler must be None.*got 'foo'"):
        map_images(np.flipud, images, scheduler="foo", num_workers=1)
    with pytest.raises(ValueError, match="num_workers applies to local schedulers only"):
        map_images(np.flipud, images, scheduler="tcp://127.0.0.1:1", num_workers=1)
