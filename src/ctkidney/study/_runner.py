"""The study runner behind ``ctkidney study``."""

import json
import os
import platform
import time
import traceback
import warnings
import zlib
from pathlib import Path

import numpy as np

import ctkidney
from ctkidney._shared.files import atomic_write
from ctkidney._shared.validation import check_scalar
from ctkidney.study._registry import StudyContext, available_sections

__all__ = ["run_study"]

#: Dataset sizes: (slices per class, image size).
QUICK_DATA = (12, 128)
FULL_DATA = (60, 256)
#: Slices per class drawn from a ``--data`` Kaggle folder in quick mode (all of
#: them otherwise, unless ``n_per_class`` caps them).
QUICK_REAL_PER_CLASS = 30


def _load_data(data, *, n_per_class, size, seed, quick):
    from ctkidney.data import load_dataset, make_dataset

    if data is not None:
        from ctkidney.study._volumes import is_volume_source, load_volume_dataset

        if is_volume_source(data):
            return load_volume_dataset(data, quick=quick)
        # Every image decoded once up front: one that cannot be (truncated, a header
        # claiming more pixels than OpenCV reads) is left out and named in the
        # report, instead of failing every section that reads it.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            dataset = load_dataset(data, verify="decode")
        for w in caught:  # shown to the caller as they were raised
            warnings.warn(w.message, w.category, stacklevel=2)
        # The loader's own notes (files left out) also go into the report.
        skipped = "".join(f"; {w.message}" for w in caught
                          if issubclass(w.category, UserWarning))
        if len(dataset) == 0:
            raise ValueError(f"data: no readable image in the Kaggle layout at {str(data)!r}"
                             + skipped)
        limit = QUICK_REAL_PER_CLASS if quick and n_per_class is None else n_per_class
        dataset, drawn = _draw_per_class(dataset, limit, seed)
        return dataset, f"Kaggle layout at {data}" + drawn + skipped
    default_n, default_size = QUICK_DATA if quick else FULL_DATA
    n = default_n if n_per_class is None else n_per_class
    size = default_size if size is None else size
    ds = make_dataset(n, size=size, rng=seed)
    return ds, f"built-in phantoms ({n} per class, {size}x{size}, seed {seed})"


def _draw_per_class(dataset, limit, seed):
    """At most ``limit`` slices of each class (None: all), and the words that say so.

    Each class's slices are shared out evenly over its near-duplicate groups (a
    small group gives all it has, the rest of its share goes to the others), at
    random within a group, so that the draw holds as many series as it can. The
    draw keeps the dataset's order and the groups of the whole dataset: a grouped
    split of it never puts one series on both sides (groups found on the draw
    alone would, where drawing thins the chain of neighbouring slices that links a
    series).
    """
    if limit is None:
        return dataset, ""
    limit = check_scalar(limit, "n_per_class", low=1, integer=True)
    labels = np.asarray(dataset.labels)
    counts = np.bincount(labels, minlength=len(dataset.class_names))
    if counts.max() <= limit:
        return dataset, ""
    groups = dataset.groups  # reads every slice once
    rng = np.random.default_rng([seed, zlib.crc32(b"data")])
    keep = []
    for c in range(counts.size):
        members = np.flatnonzero(labels == c)
        ids, sizes = np.unique(groups[members], return_counts=True)
        order = rng.permutation(ids.size)  # who gets the odd slices left over
        order = order[np.argsort(sizes[order], kind="stable")]  # smallest first
        room = min(limit, members.size)
        for done, k in enumerate(order):
            share = min(sizes[k], -(-room // (ids.size - done)))  # ceil(room / groups left)
            group = members[groups[members] == ids[k]]
            keep.append(rng.choice(group, share, replace=False))
            room -= share
    keep = np.sort(np.concatenate(keep))
    return (dataset.subset(keep),
            f" ({keep.size} of {labels.size} slices: at most {limit} per class, spread "
            f"over the near-duplicate groups at random)")


def run_study(*, data=None, out="ctkidney-report", sections=None, quick=False, seed=0,
              n_per_class=None, size=None, options=None, progress=True, echo=print):
    """Run the study and write ``report.md``, ``results.json`` and figures.

    Parameters
    ----------
    data : path-like, optional
        Root of the Kaggle dataset, or CT volumes: a NIfTI file, a DICOM series
        folder, or a folder tree of them (see ``ctkidney.study._volumes``; each
        volume's slices form one group). Default: the built-in phantom dataset.
    out : path-like, optional
        Output folder, created if needed. Default ``"ctkidney-report"``.
    sections : sequence of str, optional
        Sections to run (see :func:`available_sections`). Default: all.
    quick : bool, optional
        Small data and short training, for a run of under 2 minutes.
    seed : int, optional
        Seed of the phantoms, the splits and every random step.
    n_per_class : int, optional
        Phantom slices per class. With a Kaggle folder as ``data``: at most this
        many slices of each class, drawn at random (default: all of them; 30 with
        ``quick``).
    size : int, optional
        Phantom image size in pixels (ignored with ``data``).
    options : dict, optional
        Section options, e.g. ``{"weights": "none"}``.
    progress : bool, optional
        Show progress bars.
    echo : callable, optional
        Where the tables are printed. Default :func:`print`.

    Returns
    -------
    results : dict
        The content of ``results.json``.

    Examples
    --------
    >>> import tempfile
    >>> from ctkidney.study import run_study
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     res = run_study(out=tmp, sections=["dataset"], quick=True, progress=False,
    ...                     echo=lambda *a: None)
    >>> res["sections"]["dataset"]["status"]
    'ok'
    """
    if not isinstance(out, (str, os.PathLike)) or not os.fspath(out):
        raise TypeError(f"out must be a non-empty str or path-like, got {out!r}")
    seed = check_scalar(seed, "seed", low=0, integer=True)
    registry = {s.name: s for s in available_sections()}
    chosen = list(registry) if not sections else list(sections)
    unknown = [s for s in chosen if s not in registry]
    if unknown:
        raise ValueError(f"sections: unknown {unknown}; available: {sorted(registry)}")
    if "dataset" in registry and "dataset" not in chosen:
        chosen.insert(0, "dataset")
    chosen.sort(key=lambda name: (registry[name].order, name))

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    dataset, source = _load_data(data, n_per_class=n_per_class, size=size, seed=seed,
                                 quick=quick)
    ctx = StudyContext(dataset=dataset, out_dir=out, seed=seed, quick=quick,
                       options=dict(options or {}), progress_enabled=progress)

    results = {
        "ctkidney": ctkidney.__version__,
        "python": platform.python_version(),
        "seed": seed,
        "quick": quick,
        "data": source,
        "sections": {},
    }
    report = [
        "# ctkidney study report",
        "",
        f"ctkidney {ctkidney.__version__}, data: {source}, seed {seed}"
        + (", quick mode" if quick else "") + ".",
        "",
    ]
    echo(f"ctkidney study: {source}")
    for name in chosen:
        section = registry[name]
        start = time.perf_counter()
        entry = {"title": section.title}
        report += [f"## {section.title}", ""]
        echo(f"\n== {section.title} ==")
        try:
            result = section.run(ctx)
        except Exception as exc:  # a broken section is reported, the others still run
            entry.update(status="error", error=f"{type(exc).__name__}: {exc}",
                         traceback=traceback.format_exc())
            report += [f"This section failed: `{type(exc).__name__}: {exc}`", ""]
            echo(f"section {name} failed: {type(exc).__name__}: {exc}")
        else:
            entry.update(status="ok", tables=[t.to_json() for t in result.tables],
                         figures=[{"caption": c, "path": str(p)} for c, p in result.figures],
                         notes=list(result.notes), data=result.data)
            for table in result.tables:
                echo(table.to_text())
                echo("")
                report += [table.to_markdown(), ""]
            for note in result.notes:
                echo(note)
                report += [note, ""]
            for caption, path in result.figures:
                report += [f"![{caption}]({Path(path).as_posix()})", "", f"*{caption}*", ""]
        entry["seconds"] = round(time.perf_counter() - start, 3)
        results["sections"][name] = entry

    atomic_write(out / "results.json", json.dumps(results, indent=2, default=_json_default))
    atomic_write(out / "report.md", "\n".join(report) + "\n")
    echo(f"\nwrote {out / 'report.md'} and {out / 'results.json'}")
    return results


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
