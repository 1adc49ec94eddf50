"""Time ctkidney against OpenCV, scikit-image and SciPy on the same inputs, in one run,
and print the ratios.

Usage::

    python benchmarks/compare.py            # every row
    python benchmarks/compare.py --quick    # fewer repeats (CI: keeps it from rotting)
    python benchmarks/compare.py -k ssim    # rows whose name contains "ssim"

Rows come from the ``compare_rows()`` generator of each ``benchmark_<subpackage>.py``
suite beside this file. Each row is a dict::

    {"name": "ssim 512x512 float64",
     "ours": callable,                       # the ctkidney call
     "others": {"scikit-image": callable},   # the same work in another library
     "targets": {"scikit-image": 5.0}}       # minimum speed-up (their time / ours)

A target below 1 is a bound on slowness: 0.5 means "at most 2x their time". The
speed-up is ``their best time / our best time``. Times are the best of several
repeats, each of enough calls to last ~0.1 s, after one warm-up call (which pays any
Numba compilation). The table is the result; the exit code is 0 unless a row
raised (``--strict`` also fails on missed targets).
"""

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def best_time(func, *, repeats, min_time):
    func()  # warm-up: JIT compilation, caches
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            func()
        elapsed = time.perf_counter() - start
        if elapsed >= min_time or number >= 1 << 16:
            break
        number *= 2
    best = elapsed / number
    for _ in range(repeats - 1):
        start = time.perf_counter()
        for _ in range(number):
            func()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def collect_rows(keyword=None):
    sys.path.insert(0, str(HERE))
    rows = []
    for path in sorted(HERE.glob("benchmark_*.py")):
        module = importlib.import_module(path.stem)
        make = getattr(module, "compare_rows", None)
        if make is None:
            continue
        for row in make():
            if keyword is None or keyword.lower() in row["name"].lower():
                rows.append(row)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repeats")
    parser.add_argument("-k", dest="keyword", help="only rows whose name contains this")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    repeats, min_time = (2, 0.02) if args.quick else (5, 0.1)

    header = f"{'benchmark':44s} {'ours ms':>9s}  {'vs':14s} {'theirs ms':>10s} " \
             f"{'speed-up':>9s} {'target':>8s}  ok"
    print(header)
    print("-" * len(header))
    missed, errors = [], []
    for row in collect_rows(args.keyword):
        try:
            ours = best_time(row["ours"], repeats=repeats, min_time=min_time)
        except Exception as exc:
            errors.append(row["name"])
            print(f"{row['name']:44s} ERROR {type(exc).__name__}: {exc}")
            continue
        for other, func in row["others"].items():
            try:
                theirs = best_time(func, repeats=repeats, min_time=min_time)
            except Exception as exc:
                errors.append(f"{row['name']} vs {other}")
                print(f"{row['name']:44s} {ours * 1e3:9.3f}  {other:14s} ERROR {exc}")
                continue
            speedup = theirs / ours
            target = row.get("targets", {}).get(other)
            verdict = "" if target is None else ("yes" if speedup >= target else "NO")
            target_text = "" if target is None else (
                f">={target:g}x" if target >= 1 else f"<={1 / target:g}x t")
            if verdict == "NO":
                missed.append(f"{row['name']} vs {other}")
            print(f"{row['name']:44s} {ours * 1e3:9.3f}  {other:14s} {theirs * 1e3:10.3f} "
                  f"{speedup:8.2f}x {target_text:>8s}  {verdict}")
    print("-" * len(header))
    print(f"targets missed: {len(missed)}" + (f" ({'; '.join(missed)})" if missed else ""))
    if errors:
        print(f"errors: {'; '.join(errors)}")
        return 1
    return 1 if (args.strict and missed) else 0


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    sys.exit(main())
