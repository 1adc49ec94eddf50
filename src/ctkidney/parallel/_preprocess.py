"""``preprocess``: a folder tree (or the Kaggle layout) through a pipeline, into a
mirror tree, batch by batch on Dask."""

import csv
import io
import os
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from ctkidney._shared.files import atomic_write
from ctkidney._shared.validation import check_scalar
from ctkidney.parallel._compose import Pipeline, compose
from ctkidney.parallel._map import describe_errors, run_batches
from ctkidney.parallel._steps import parse_steps

__all__ = ["PreprocessSummary", "preprocess"]

#: Raster formats read with ``ctkidney.data.read_image`` and written back as such.
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff")
#: JPEG quality of rewritten ``.jpg`` files (OpenCV's default is 95 too).
JPEG_QUALITY = 95


@dataclass
class PreprocessSummary:
    """What :func:`preprocess` did.

    Attributes
    ----------
    n_images : int
        Image files found under the input folder.
    n_written : int
        Images processed and written.
    errors : list of ImageError
        The images that could not be read, processed or written, named by their
        path relative to the input folder.
    csv_files : list of str
        CSV files copied (relative paths), rows of failed images removed.
    dropped_rows : int
        CSV rows removed because their image failed.
    seconds : float
        Wall time of the processing (reading, steps and writing).
    pipeline : Pipeline
        The steps applied.
    """

    n_images: int
    n_written: int
    errors: list = field(default_factory=list)
    csv_files: list = field(default_factory=list)
    dropped_rows: int = 0
    seconds: float = 0.0
    pipeline: Pipeline = None

    @property
    def images_per_second(self):
        """Throughput: images written per second of wall time."""
        return self.n_written / self.seconds if self.seconds > 0 else float("inf")

    def __str__(self):
        lines = [
            f"steps: {self.pipeline!r}",
            f"images: {self.n_written} of {self.n_images} written, "
            f"{len(self.errors)} failed",
            f"time: {self.seconds:.2f} s ({self.images_per_second:.1f} images/s)",
        ]
        if self.csv_files:
            lines.append(f"csv: {', '.join(self.csv_files)} copied"
                         + (f", {self.dropped_rows} rows of failed images removed"
                            if self.dropped_rows else ""))
        if self.errors:
            lines.append("failed:")
            lines.append(describe_errors(self.errors))
        return "\n".join(lines)


def write_image(path, image, *, jpeg_quality=JPEG_QUALITY):
    """Encode ``image`` in the format of ``path``'s suffix and write it atomically."""
    import cv2
    import numpy as np

    image = np.asarray(image)
    suffix = path.suffix.lower()
    if image.ndim != 2 or image.dtype not in (np.uint8, np.uint16) or (
            image.dtype == np.uint16 and suffix not in (".png", ".tif", ".tiff")):
        raise ValueError(f"cannot write a {image.dtype} array of shape {image.shape} "
                         f"as {suffix}: the steps must give a 2-D uint8 image "
                         "(or uint16 for .png/.tif)")
    params = [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality] if suffix in (".jpg", ".jpeg") else []
    ok, buf = cv2.imencode(suffix, image, params)
    if not ok:  # pragma: no cover - OpenCV encodes every 2-D uint8 image
        raise ValueError(f"OpenCV could not encode the image as {suffix}")
    atomic_write(path, buf.tobytes())


class _ProcessFile:
    """Read ``src/rel``, apply the pipeline, write ``dst/rel``; runs on a worker.

    Returns only the output's shape and dtype, so images never travel back.
    """

    def __init__(self, src, dst, pipeline, jpeg_quality):
        self.src = src
        self.dst = dst
        self.pipeline = pipeline
        self.jpeg_quality = jpeg_quality

    def __call__(self, rel):
        from ctkidney.data import read_image

        image = read_image(self.src / rel)
        out = self.pipeline(image)
        write_image(self.dst / rel, out, jpeg_quality=self.jpeg_quality)
        return out.shape, str(out.dtype)


def _try_steps(src, images, pipeline):
    """Run ``pipeline`` on the first readable image before anything is written: a
    parameter the steps refuse (``median:size=4``) fails every image alike, so it
    is reported once, up front, not once per image after a whole run."""
    from ctkidney.data import read_image

    for rel in images:
        try:
            image = read_image(src / rel)
        except ValueError:
            continue  # an unreadable file: reported by the run itself
        try:
            pipeline(image)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"steps {pipeline!r} fail on the first image, {rel}: {exc}") \
                from exc
        return


def _check_folders(src, dst, overwrite):
    for value, name in ((src, "src"), (dst, "dst")):
        if not isinstance(value, (str, os.PathLike)):
            raise TypeError(f"{name} must be a str or path-like, got {value!r}")
        if not os.fspath(value):
            raise ValueError(f"{name} must not be empty")
    src, dst = Path(src).resolve(), Path(dst).resolve()
    if not src.is_dir():
        raise FileNotFoundError(f"input folder {str(src)!r} does not exist")
    if dst == src or src in dst.parents or dst in src.parents:
        raise ValueError(f"the output folder {str(dst)!r} must lie outside the input "
                         f"folder {str(src)!r} (and not contain it): preprocess never "
                         "writes into its input")
    if dst.exists() and not dst.is_dir():
        raise FileExistsError(f"output {str(dst)!r} exists and is not a folder")
    if dst.is_dir() and any(dst.iterdir()) and not overwrite:
        raise FileExistsError(f"output folder {str(dst)!r} is not empty; pass "
                              "overwrite=True (--overwrite) to write into it")
    return src, dst


def _walk(src):
    """Relative POSIX paths of the images and CSV files under ``src``, sorted;
    hidden files and folders, and what is not a regular file, are skipped."""
    images, tables = [], []
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = Path(dirpath).relative_to(src)
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            if not (Path(dirpath) / name).is_file():
                continue  # a FIFO, socket or device (reading one blocks) or a dangling link
            rel = (rel_dir / name).as_posix()
            suffix = Path(name).suffix.lower()
            if suffix in IMAGE_SUFFIXES:
                images.append(rel)
            elif suffix == ".csv":
                tables.append(rel)
    return images, tables


def _row_file(path_text):
    """``(class folder, file name)`` of a CSV ``path`` cell, POSIX or Windows."""
    parts = PureWindowsPath(path_text).parts if "\\" in path_text else \
        PurePosixPath(path_text).parts
    return tuple(p.lower() for p in parts[-2:])


def _copy_csv(src, dst, rel, failed):
    """Copy a CSV, removing rows whose ``path`` names a failed image; return the
    number of rows removed. Tables without a ``path`` column are copied as they are."""
    with open(src / rel, encoding="utf-8", newline="") as f:
        text = f.read()
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0] if rows else []
    if not failed or "path" not in header:
        atomic_write(dst / rel, text.encode("utf-8"))
        return 0
    col = header.index("path")
    kept = [header] + [r for r in rows[1:] if len(r) <= col or _row_file(r[col]) not in failed]
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(kept)
    atomic_write(dst / rel, out.getvalue().encode("utf-8"))
    return len(rows) - len(kept)


def preprocess(src, dst, steps="median,clahe", *, scheduler=None, num_workers=None,
               batch_size=None, overwrite=False, progress=True, jpeg_quality=JPEG_QUALITY):
    """Apply a pipeline to every image under ``src`` and write the results under
    ``dst`` with the same layout.

    Works on any folder tree of images, including the Kaggle layout: the class
    folders, file names and CSV files are the same under ``dst``. Images are read,
    processed and written by the Dask workers, batch by batch, so neither the caller
    nor a worker ever holds the whole dataset. Files that cannot be read, processed
    or written are reported by name and the others go on.

    Parameters
    ----------
    src : path-like
        Input folder. Never written to.
    dst : path-like
        Output folder, created if needed. It must lie outside ``src``.
    steps : str, sequence of str or callable, optional
        A step specification for :func:`parse_steps` (default
        ``"median,clahe"``: a 3x3 median filter, then CLAHE), or any per-image
        callable such as a :func:`compose` pipeline. Each step must return a 2-D
        uint8 image (uint16 for PNG/TIFF files).
    scheduler : None, str or dask.distributed.Client, optional
        Where to run, as in :func:`map_images`. With a cluster, ``src`` and ``dst``
        must be paths the workers can reach (a shared file system).
    num_workers : int, optional
        Local threads or processes. Default: the number of CPUs.
    batch_size : int, optional
        Files per Dask task (default as in :func:`map_images`).
    overwrite : bool, optional
        Allow a non-empty ``dst`` (files there are replaced).
    progress : bool, optional
        Show a progress bar.
    jpeg_quality : int, optional
        Quality (0-100) of rewritten JPEG files. Default 95.

    Returns
    -------
    summary : PreprocessSummary
        Counts, failed files with their errors, CSV files copied, wall time and
        throughput; ``str(summary)`` is the report ``ctkidney preprocess`` prints.

    Raises
    ------
    FileNotFoundError
        If ``src`` is not a folder.
    FileExistsError
        If ``dst`` is a file, or a non-empty folder without ``overwrite``.
    ValueError
        If ``dst`` and ``src`` overlap, no image is found, or ``steps`` is invalid
        or fails on the first readable image (tried before anything is written).
    ImportError
        If Dask is not installed (``pip install "ctkidney[dask]"``).

    See Also
    --------
    map_images : The engine underneath.

    Notes
    -----
    A CSV file with a ``path`` column (the Kaggle ``kidneyData.csv``) loses the
    rows of images that failed, matched by class folder and file name, so that the
    output loads cleanly with :func:`ctkidney.data.load_dataset`. Output files are
    written to a temporary name and renamed, so an interrupted run leaves no
    truncated image.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import numpy as np, cv2
    >>> from ctkidney.parallel import preprocess
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> (tmp / "in" / "Cyst").mkdir(parents=True)
    >>> ok = cv2.imwrite(str(tmp / "in" / "Cyst" / "a.png"), np.full((8, 8), 7, np.uint8))
    >>> summary = preprocess(tmp / "in", tmp / "out", np.flipud, progress=False)
    >>> summary.n_written, summary.errors, sorted(p.name for p in (tmp / "out").rglob("*"))
    (1, [], ['Cyst', 'a.png'])
    """
    jpeg_quality = check_scalar(jpeg_quality, "jpeg_quality", low=0, high=100, integer=True)
    src, dst = _check_folders(src, dst, overwrite)
    pipeline = steps if callable(steps) and not isinstance(steps, str) else parse_steps(steps)
    if not isinstance(pipeline, Pipeline):
        pipeline = compose(pipeline)
    images, tables = _walk(src)
    if not images:
        raise ValueError(f"no image files ({', '.join(IMAGE_SUFFIXES)}) found under "
                         f"{str(src)!r}")
    _try_steps(src, images, pipeline)
    start = time.perf_counter()
    results, errors = run_batches(_ProcessFile(src, dst, pipeline, jpeg_quality), images,
                                  names=images, batch_size=batch_size, scheduler=scheduler,
                                  num_workers=num_workers, progress=progress,
                                  desc="preprocess")
    seconds = time.perf_counter() - start
    failed = {_row_file(images[e.index]) for e in errors}
    dropped = sum(_copy_csv(src, dst, rel, failed) for rel in tables)
    return PreprocessSummary(n_images=len(images), n_written=len(results) - len(errors),
                             errors=errors, csv_files=tables, dropped_rows=dropped,
                             seconds=seconds, pipeline=pipeline)
