"""The volume benchmark suite imports without asv and its setups and rows run."""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "benchmark_volumes.py"


@pytest.fixture(scope="module")
def suite():
    spec = importlib.util.spec_from_file_location("benchmark_volumes", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_compare_rows_are_well_formed(suite):
    rows = list(suite.compare_rows(shape=(8, 24, 24), n_slices=3, slice_size=16))
    assert len(rows) >= 9
    for row in rows:
        assert set(row) >= {"name", "ours", "others", "targets"}
        assert set(row["targets"]) <= set(row["others"])
        row["ours"]()
        for func in row["others"].values():
            func()
