"""The fuzz engine behind ``tests/test_fuzz.py``: mutate one argument at a time.

For every row of :data:`tests._fuzz_table.TABLE` the baseline call must succeed;
then each argument is replaced, one at a time, by the mutations of its kind (see
:func:`mutations`) and the outcome is classified (see :func:`classify`). The list of
mutations is fixed (no randomness), so a run is reproducible.

Run it by hand, each function in a child process (crashes and hangs are recorded,
memory is capped)::

    python -m tests._fuzz                 # all rows, summary by outcome
    python -m tests._fuzz -v enhancement  # rows whose name contains 'enhancement'
"""

import argparse
import dataclasses
import importlib
import inspect
import json
import math
import numbers
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from tests._fuzz_table import TABLE, Recipe

#: Outcomes that fail the fuzz test.
FAILURES = ("crash", "hang", "mutated", "nan", "wrong", "raw", "unnamed", "layout_refused",
            "baseline_error")
#: Mutations that change only the memory layout: the result must not change.
LAYOUT = ("noncontiguous", "fortran", "big-endian", "read-only")
#: Mutations that change a shape: the error may name the argument it now mismatches.
RESHAPE = ("empty", "1x1", "2x2", "0-d", "1-d", "3-D", "4-D", "ndim+1", "ndim+2", "short",
           "long")
#: Mutations whose input is not finite: a NaN output is not a defect.
NONFINITE = ("nan", "inf", "-inf", "nan-element", "inf-element")

_HUGE_INT = 10 ** 400


# --- mutations ---------------------------------------------------------------------
def _array_mutations(base):
    b = np.asarray(base)
    out = []
    if b.dtype.kind in "biuf" and b.ndim >= 1:
        f = b.astype(np.float64) if b.dtype.kind != "f" else b.copy()
        for label, value in (("nan", np.nan), ("inf", np.inf), ("-inf", -np.inf)):
            m = f.copy()
            m.flat[m.size // 2] = value
            out.append((label, m))
        scale = np.abs(f).max() or 1.0
        out.append(("subnormal", f / scale * 1e-310))
        if b.dtype == np.float32:
            out.append(("huge", ((f - f.mean()) / (np.abs(f - f.mean()).max() or 1)
                                 * 3.0e38).astype(np.float32)))
        else:
            out.append(("huge", f / scale * 1e300))
        out.append(("constant", np.full_like(b, b.flat[0])))
    out.append(("empty", np.empty((0,) * max(b.ndim, 1), b.dtype)))
    if b.ndim >= 1:
        out.append(("1x1", b[(slice(0, 1),) * b.ndim].copy()))
        out.append(("2x2", b[(slice(0, 2),) * b.ndim].copy()))
        out.append(("0-d", np.asarray(b.flat[0])))
    if b.ndim >= 2:
        out.append(("1-d", b.ravel().copy()))
    out.append(("3-D" if b.ndim == 2 else "ndim+1", np.stack([b, b])))
    out.append(("4-D" if b.ndim == 2 else "ndim+2", np.stack([np.stack([b, b])] * 2)))
    if b.ndim >= 1:
        wide = np.zeros(b.shape[:-1] + (2 * b.shape[-1],), b.dtype)
        wide[..., ::2] = b
        out.append(("noncontiguous", wide[..., ::2]))
    if b.ndim >= 2:
        out.append(("fortran", np.asfortranarray(b)))
    if b.dtype.kind in "iuf" and b.dtype.itemsize > 1:
        out.append(("big-endian", b.astype(b.dtype.newbyteorder(">"))))
    ro = b.copy()
    ro.flags.writeable = False
    out.append(("read-only", ro))
    if b.dtype != bool:
        out.append(("bool", b.astype(bool)))
    out.append(("complex", b.astype(np.complex128)))
    out.append(("object", b.astype(object)))
    if b.dtype.kind in "biuf":
        out.append(("float16", b.astype(np.float16)))
    out.append(("list", b.tolist()))
    out.append(("None", None))
    out.append(("str", "not an array"))
    return out


def _float_mutations(value):
    return [("nan", math.nan), ("inf", math.inf), ("-inf", -math.inf), ("zero", 0.0),
            ("negative", -abs(value or 1.0)), ("subnormal", 5e-324), ("tiny", 1e-300),
            ("huge", 1e300), ("-huge", -1e300), ("huge-int", _HUGE_INT), ("bool", True),
            ("str", "1.0"), ("None", None), ("complex", 1j), ("list", [value])]


def _int_mutations(value):
    return [("zero", 0), ("negative", -1), ("huge", 10 ** 9), ("-huge", -10 ** 9),
            ("huge-int", _HUGE_INT), ("float", 2.5), ("nan", math.nan), ("inf", math.inf),
            ("bool", True), ("str", "3"), ("None", None), ("list", [value])]


def _sequence_mutations(value):
    value = list(value)
    out = [("empty", type(value)()), ("None", None), ("str", "ab"), ("short", value[:1])]
    if value and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in value):
        for label, x in (("nan-element", math.nan), ("inf-element", math.inf),
                         ("negative-element", -1), ("zero-element", 0),
                         ("huge-element", 10 ** 9), ("huge-int-element", _HUGE_INT)):
            out.append((label, [x] + value[1:]))
        out.append(("long", value + value[-1:]))
    elif value and isinstance(value[0], (tuple, list)):
        first = list(value[0])
        out.append(("nan-element", [tuple([math.nan] + first[1:])]))
        out.append(("huge-element", [tuple([1e300] + first[1:])]))
        out.append(("huge-int-element", [tuple([_HUGE_INT] + first[1:])]))
        out.append(("short-element", [tuple(first[:1])]))
    return out


def mutations(value):
    """``[(label, value_or_recipe), ...]`` to try in place of ``value``."""
    if isinstance(value, Recipe):
        if value.kind in ("image", "mask", "labels", "stack", "array"):
            return _array_mutations(value())
        if value.kind == "volume":
            # The voxels, mutated as an array, in the same record (spacing, origin).
            record = value()
            return ([(label, record._replace(hu=m)) for label, m in
                     _array_mutations(record.hu) if label not in ("None", "str")]
                    + [("None", None), ("int", 1), ("str", "x"),
                       ("bad-spacing", record._replace(spacing=(0.0, 1.0, 1.0))),
                       ("nan-origin", record._replace(origin=(math.nan, 0.0, 0.0)))])
        if value.kind == "path":
            # A fresh missing path each call (output functions create it).
            missing = Recipe(lambda: Path(tempfile.mkdtemp(prefix="ctkidney-fuzz-"))
                             / "no-such-path", "path")
            return [("missing", missing),
                    ("None", None), ("int", 1), ("empty-str", "")]
        return [("None", None), ("int", 1), ("str", "x")]
    if isinstance(value, bool):
        return [("None", None), ("str", "yes"), ("int", 2)]
    if isinstance(value, numbers.Integral):
        return _int_mutations(value)
    if isinstance(value, numbers.Real):
        return _float_mutations(value)
    if isinstance(value, str):
        return [("unknown", "__unknown__"), ("empty-str", ""), ("None", None), ("int", 1),
                ("bytes", value.encode())]
    if isinstance(value, (tuple, list)):
        return _sequence_mutations(value)
    if isinstance(value, type) or isinstance(value, np.dtype):
        return [("None", None), ("str", "not-a-dtype"), ("complex", np.complex128),
                ("object", object), ("int8", np.int8)]
    if value is None:
        return [("zero", 0), ("negative", -1), ("nan", math.nan), ("huge-int", _HUGE_INT),
                ("str", "x"), ("complex", 1j), ("empty-list", [])]
    return [("None", None), ("int", 1), ("str", "x")]


CHEAP = {"None", "str", "nan", "inf", "-inf", "negative", "huge-int", "complex", "bool",
         "unknown", "int", "empty-str", "bytes", "missing", "empty", "float", "huge",
         "nan-element", "huge-int-element", "object", "not-a-dtype"}


# --- calling and classifying --------------------------------------------------------
def resolve(name):
    """The function of row ``name`` (``"sub.func"`` or ``"sub.func[variant]"``)."""
    sub, func = name.split("[")[0].split(".")
    return getattr(importlib.import_module(f"ctkidney.{sub}"), func)


def _fresh(value):
    if isinstance(value, Recipe):
        return value()
    if isinstance(value, np.ndarray):
        copy = value.copy(order="K")
        copy.flags.writeable = value.flags.writeable
        return copy
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    return value


def _snapshot(value):
    if isinstance(value, np.ndarray):
        return ("array", value.copy(), value.dtype, value.shape)
    if isinstance(value, list):
        return ("list", repr(value))
    if isinstance(value, tuple) and any(isinstance(v, np.ndarray) for v in value):
        return ("tuple", [_snapshot(v) for v in value])
    return None


def _same_snapshot(value, snap):
    if snap is None:
        return True
    if snap[0] == "list":
        return repr(value) == snap[1]
    if snap[0] == "tuple":
        return all(_same_snapshot(v, s) for v, s in zip(value, snap[1]))
    _, copy, dtype, shape = snap
    if value.dtype != dtype or value.shape != shape:
        return False
    if dtype.kind == "O":
        return all(a is b or a == b for a, b in zip(value.ravel(), copy.ravel()))
    return np.array_equal(value, copy, equal_nan=dtype.kind in "fc")


def _leaves(result, depth=0):
    """The arrays and floats inside a result (tuples, lists, dicts, dataclasses)."""
    if depth > 3:
        return
    if isinstance(result, np.ndarray):
        yield result
    elif isinstance(result, (float, np.floating)):
        yield np.asarray(result)
    elif isinstance(result, (tuple, list)):
        for item in result[:64]:
            yield from _leaves(item, depth + 1)
    elif isinstance(result, dict):
        for item in list(result.values())[:64]:
            yield from _leaves(item, depth + 1)
    elif dataclasses.is_dataclass(result) and not isinstance(result, type):
        for field in dataclasses.fields(result):
            yield from _leaves(getattr(result, field.name), depth + 1)


def _has_nan(result):
    return any(leaf.dtype.kind in "fc" and np.isnan(leaf).any() for leaf in _leaves(result))


def _same_result(a, b):
    la, lb = list(_leaves(a)), list(_leaves(b))
    if len(la) != len(lb):
        return False
    for x, y in zip(la, lb):
        if x.shape != y.shape:
            return False
        if x.dtype.kind in "fc" or y.dtype.kind in "fc":
            if not np.allclose(x.astype(np.complex128 if x.dtype.kind == "c" else np.float64),
                               y.astype(np.complex128 if y.dtype.kind == "c" else np.float64),
                               rtol=1e-6, atol=1e-12, equal_nan=True):
                return False
        elif not np.array_equal(x, y):
            return False
    return True


_RAISES = {}


def documented_raises(func):
    """Exception names listed in the numpydoc ``Raises`` section of ``func``."""
    if func not in _RAISES:
        doc = inspect.getdoc(func) or ""
        match = re.search(r"^Raises\n-+\n(.*?)(?:\n\S[^\n]*\n-+\n|\Z)", doc, re.S | re.M)
        names = set()
        if match:
            for line in match.group(1).splitlines():
                if line and not line[0].isspace():
                    names.update(re.findall(r"[A-Za-z_][\w.]*", line))
        _RAISES[func] = {n.rsplit(".", 1)[-1] for n in names}
    return _RAISES[func]


def _call(func, spec, override=None):
    """Call ``func`` with the row's values (``override`` = (arg, value)); return
    ``(result_or_exception, kwargs, snapshots)``."""
    args = [_fresh(a) for a in spec.get("_args", ())]
    kwargs = {k: _fresh(v) for k, v in spec.items() if not k.startswith("_")}
    if override is not None:
        arg, value = override
        if arg == "_args":
            args = value
        else:
            kwargs[arg] = value
    snaps = {k: _snapshot(v) for k, v in kwargs.items()}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = func(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 -- classified by the caller
            out = exc
    return out, kwargs, snaps, caught


def classify(name, func, spec, arg, label, value, baseline):
    """One mutation's outcome: ``(outcome, detail)``."""
    out, kwargs, snaps, caught = _call(func, spec, (arg, value))
    for k, snap in snaps.items():
        if not _same_snapshot(kwargs[k], snap):
            return "mutated", f"argument {k} was modified"
    runtime = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    if isinstance(out, Exception):
        kind = type(out).__name__
        message = str(out)
        if label in LAYOUT and isinstance(out, (TypeError, ValueError)):
            return "layout_refused", f"{kind}: {message[:200]}"
        if isinstance(out, (TypeError, ValueError)):
            aliases = (arg,) + tuple(spec.get("_names", {}).get(arg, ()))
            if label in RESHAPE:
                # A shape that no longer matches another argument may name that one.
                aliases += tuple(k for k in spec if not k.startswith("_"))
            if arg == "_args" or any(a.lower() in message.lower() for a in aliases):
                return "refused", f"{kind}: {message[:200]}"
            return "unnamed", f"{kind}: {message[:200]}"
        if any(c.__name__ in documented_raises(func) for c in type(out).__mro__):
            return "documented", f"{kind}: {message[:200]}"
        return "raw", f"{kind}: {message[:200]}"
    if label not in NONFINITE and spec.get("_finite", True) and _has_nan(out):
        return "nan", "NaN in the result from finite input"
    if label in LAYOUT and not _same_result(out, baseline):
        return "wrong", "result differs from the C-ordered native-endian call"
    if runtime:
        return "warned", str(runtime[0].message)[:200]
    return "ok", ""


def cases(name, spec):
    """The fixed list of ``(arg, label, value)`` mutations of a row."""
    keep = set(spec.get("_keep", ()))
    cheap = spec.get("_cheap", False)
    out = []
    for arg, value in spec.items():
        if arg.startswith("_") and arg != "_args" or arg in keep:
            continue
        if arg == "_args":
            muts = [("None-item", [None]), ("int-item", [1]), ("unknown-item", ["__unknown__"]),
                    ("empty", [])]
        else:
            muts = mutations(value)
        for label, mutated in muts:
            if cheap and label not in CHEAP and arg != "_args":
                continue
            if "_only" in spec and label not in spec["_only"]:
                continue
            out.append((arg, label, mutated))
    return out


def run_row(name, spec, start=0, progress=None, record=None):
    """Records ``{func, arg, mutation, outcome, detail}`` of one row."""
    func = resolve(name)
    base, _, _, _ = _call(func, spec)
    if isinstance(base, Exception):
        return [dict(func=name, arg="", mutation="baseline", outcome="baseline_error",
                     detail=f"{type(base).__name__}: {base}")]
    records = []
    for i, (arg, label, value) in enumerate(cases(name, spec)):
        if i < start:
            continue
        if progress is not None:
            progress(i, arg, label)
        value = value() if isinstance(value, Recipe) else value
        outcome, detail = classify(name, func, spec, arg, label, value, base)
        records.append(dict(func=name, arg=arg, mutation=label, outcome=outcome,
                            detail=detail))
        if record is not None:
            record(records[-1])
    return records


# --- child processes -----------------------------------------------------------------
def _child(names, start, progress_file, memory_gb):
    """Run rows ``names`` (the first from mutation ``start``), writing each started
    mutation and each record to ``progress_file`` as it happens."""
    if memory_gb:
        import resource
        limit = int(memory_gb * 2 ** 30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def write(item):
        with open(progress_file, "a") as fh:
            fh.write(json.dumps(item) + "\n")

    for k, name in enumerate(names):
        write(["row", name])
        records = run_row(name, TABLE[name], start=start if k == 0 else 0,
                          progress=lambda i, arg, label: write([i, arg, label]), record=write)
        if records and records[0]["outcome"] == "baseline_error":
            write(records[0])
    write("done")


def run_isolated(names, *, hang_s=60.0, memory_gb=8.0):
    """Run rows in a child process (address space capped at ``memory_gb``); a crash
    or a hang (no progress for ``hang_s`` seconds) is recorded, and a new child goes
    on with the next mutation."""
    names = [names] if isinstance(names, str) else list(names)
    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.environ.get("PYTHONPATH", ""), str(root / "src"), str(root)]))
    # A scratch working and temporary folder, removed at the end: a call given path
    # "" or "." and the files the rows write land there.
    workdir = tempfile.mkdtemp(prefix="ctkidney-fuzz-")
    env["TMPDIR"] = workdir
    try:
        return _run_children(names, env, root, workdir, hang_s, memory_gb)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run_children(names, env, root, workdir, hang_s, memory_gb):
    records, start = [], 0
    while names:
        with tempfile.NamedTemporaryFile("w+", suffix=".jsonl", delete=False) as fh:
            progress_file = fh.name
        stderr_file = progress_file + ".err"
        with open(stderr_file, "wb") as err:
            proc = subprocess.Popen(
                [sys.executable, "-c",
                 "from tests._fuzz import _child; "
                 f"_child({names!r}, {start}, {progress_file!r}, {memory_gb!r})"],
                cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=err)
        last_size, last_change, hung = -1, time.monotonic(), False
        while proc.poll() is None:
            time.sleep(0.05)
            size = os.path.getsize(progress_file)
            if size != last_size:
                last_size, last_change = size, time.monotonic()
            elif time.monotonic() - last_change > hang_s:
                proc.kill()
                proc.wait()
                hung = True
        stderr = Path(stderr_file).read_text(errors="replace")
        os.unlink(stderr_file)
        items = [json.loads(x) for x in Path(progress_file).read_text().splitlines()]
        os.unlink(progress_file)
        records.extend(x for x in items if isinstance(x, dict))
        if items and items[-1] == "done":
            return records
        rows = [x[1] for x in items if isinstance(x, list) and x[0] == "row"]
        started = [x for x in items if isinstance(x, list) and x[0] != "row"]
        outcome = "hang" if hung else "crash"
        detail = f"rc={proc.returncode} {stderr[-300:]}"
        if not rows:  # died while importing
            records.append(dict(func=names[0], arg="", mutation="import", outcome=outcome,
                                detail=detail))
            names, start = names[1:], 0
            continue
        current = rows[-1]
        names = names[names.index(current):]
        after_row = items[len(items) - 1 - items[::-1].index(["row", current]):]
        started = [x for x in after_row if isinstance(x, list) and x[0] != "row"]
        if not started:  # died in the baseline call
            records.append(dict(func=current, arg="", mutation="baseline", outcome=outcome,
                                detail=detail))
            names, start = names[1:], 0
            continue
        i, arg, label = started[-1]
        records.append(dict(func=current, arg=arg, mutation=label, outcome=outcome,
                            detail=detail))
        start = i + 1
    return records


def summarize(records):
    counts = {}
    for r in records:
        counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
    return counts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("match", nargs="*", help="substrings of row names to run")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the failures")
    parser.add_argument("--json", help="write all records to this file")
    parser.add_argument("--hang", type=float, default=60.0, help="seconds without progress")
    options = parser.parse_args(argv)
    names = [n for n in TABLE if not options.match or any(m in n for m in options.match)]
    records = []
    for name in names:
        start = time.monotonic()
        rows = run_isolated(name, hang_s=options.hang)
        records.extend(rows)
        bad = [r for r in rows if r["outcome"] in FAILURES]
        print(f"{name:42s} {len(rows):4d} calls {len(bad):3d} failing "
              f"{time.monotonic() - start:6.1f}s", flush=True)
        if options.verbose:
            for r in bad:
                print(f"    {r['outcome']:14s} {r['arg']}={r['mutation']}: {r['detail'][:160]}")
    print(json.dumps(summarize(records), sort_keys=True))
    if options.json:
        Path(options.json).write_text(json.dumps(records, indent=1))


if __name__ == "__main__":
    main()
