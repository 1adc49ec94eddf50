"""The benchmark suite imports without asv and its setups and rows run."""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "benchmark_morphology.py"


@pytest.fixture(scope="module")
def suite():
    spec = importlib.util.spec_from_file_location("benchmark_morphology", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_compare_rows_are_well_formed(suite):
    rows = list(suite.compare_rows(size=48))
    assert len(rows) >= 8
    for row in rows:
        assert set(row) >= {"name", "ours", "others", "targets"}
        assert set(row["targets"]) <= set(row["others"])
        row["ours"]()
        for func in row["others"].values():
            func()
