"""The model benchmark suites run end to end on a few slices.

CI's quick asv pass leaves out the four suites that fit or run networks on hundreds of
slices (minutes each, see ``.ci/run``); these tests keep them from rotting: every
suite's ``setup`` and ``track`` methods run here without asv, with its slice counts
made small. Running one parameter of a suite resolves every builder its ``setup``
names, so the other parameters cannot point at a function that no longer exists.
"""

import importlib.util
import re
from pathlib import Path

import numpy as np
import pytest

from tests._benchmarks import load_benchmark

tensorflow = pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None,
                                reason="the networks need TensorFlow (ctkidney[models])")


@pytest.fixture(scope="module")
def suite():
    return load_benchmark("benchmark_models")


def _small(cls, **sizes):
    """An instance of benchmark class ``cls`` with its slice counts overridden."""
    bench = cls()
    for name, value in sizes.items():
        assert hasattr(cls, name), f"{cls.__name__} has no {name}: the test is stale"
        setattr(bench, name, value)
    return bench


@pytest.mark.parametrize("kind", ["recommended",
                                  pytest.param("small_cnn", marks=tensorflow),
                                  pytest.param("cnn", marks=tensorflow)])
def test_classifier_throughput_suites_run(suite, kind):
    fit = _small(suite.SliceClassifierFitThroughput, n_images=8)
    fit.setup(kind)
    assert fit.track_fit_images_per_second(kind) > 0

    predict = _small(suite.SliceClassifierPredictThroughput, n_images=8)
    predict.setup(kind)
    assert predict.track_predict_images_per_second(kind) > 0


@pytest.mark.parametrize("kind", ["recommended", pytest.param("small_cnn", marks=tensorflow)])
def test_fit_700_suite_runs(suite, kind):
    bench = _small(suite.SliceClassifierFit700, n_per_class=2)
    bench.setup(kind)
    assert bench.images.shape == (8, 256, 256)
    assert np.unique(bench.labels).size == 4
    assert bench.track_seconds_fit_700(kind) > 0


@tensorflow
def test_inference_suite_runs(suite):
    bench = _small(suite.Inference, n_images=4)
    bench.setup("cnn")
    assert bench.track_predict_images_per_second("cnn") > 0


def test_ci_leaves_out_only_the_suites_tested_here(suite):
    """The regular expression ``.ci/run`` gives ``asv run --bench`` drops exactly
    the four suites above, and keeps every other suite of the module."""
    script = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text()
    pattern = re.search(r"--bench '([^']+)'", script).group(1)
    names = [f"benchmark_models.{name}.{method}"
             for name, cls in vars(suite).items() if isinstance(cls, type)
             for method in dir(cls) if method.startswith(("time_", "track_", "peakmem_"))]
    left_out = {name.split(".")[1] for name in names if not re.search(pattern, name)}
    assert left_out == {"SliceClassifierFit700", "SliceClassifierFitThroughput",
                        "SliceClassifierPredictThroughput", "Inference"}
    assert re.search(pattern, "benchmark_volumes.VolumeFilters.time_gaussian")
