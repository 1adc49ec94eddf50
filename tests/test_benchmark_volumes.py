"""The volume benchmark suite imports without asv and its setups and rows run."""

import pytest

from tests._benchmarks import load_benchmark


@pytest.fixture(scope="module")
def suite():
    return load_benchmark("benchmark_volumes")


def test_compare_rows_are_well_formed(suite):
    rows = list(suite.compare_rows(shape=(8, 24, 24), n_slices=3, slice_size=16))
    assert len(rows) >= 9
    for row in rows:
        assert set(row) >= {"name", "ours", "others", "targets"}
        assert set(row["targets"]) <= set(row["others"])
        row["ours"]()
        for func in row["others"].values():
            func()
