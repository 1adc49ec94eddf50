"""compose: order, bound parameters, pickling, validation."""

import functools
import pickle

import numpy as np
import pytest
from scipy import ndimage as ndi

from ctkidney.parallel import Pipeline, compose


def double(image):
    return image * 2


def add(image, *, value):
    return image + value


def test_applies_steps_in_order_with_bound_parameters():
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(compose(double, (add, {"value": 1}))(x), 2 * x + 1)
    np.testing.assert_array_equal(compose((add, {"value": 1}), double)(x), 2 * x + 2)


def test_scipy_filters_with_parameters(stack):
    pipe = compose((ndi.median_filter, {"size": 3}), (np.clip, {"a_min": 50, "a_max": 200}))
    expected = np.clip(ndi.median_filter(stack[0], size=3), 50, 200)
    np.testing.assert_array_equal(pipe(stack[0]), expected)


def test_does_not_modify_input(stack):
    before = stack.copy()
    compose(np.flipud, (ndi.uniform_filter, {"size": 3}))(stack[1])
    np.testing.assert_array_equal(stack, before)


def test_pickles_with_the_standard_pickle_module(stack):
    pipe = compose((ndi.median_filter, {"size": 5}), functools.partial(np.clip, a_min=3,
                                                                        a_max=250))
    clone = pickle.loads(pickle.dumps(pipe))
    assert repr(clone) == repr(pipe)
    assert pickle.loads(pickle.dumps(compose(double, (add, {"value": 2})))) == \
        compose(double, (add, {"value": 2}))
    np.testing.assert_array_equal(clone(stack[2]), pipe(stack[2]))


def test_nested_pipelines_are_flattened():
    inner = compose(np.flipud, np.fliplr)
    outer = compose(inner, (np.clip, {"a_min": 0, "a_max": 1}))
    assert len(outer) == 3
    assert outer.steps[0] == (np.flipud, {})
    assert outer.steps[2] == (np.clip, {"a_min": 0, "a_max": 1})


def test_repr_and_equality():
    pipe = compose((ndi.median_filter, {"size": 3}), functools.partial(np.clip, a_min=1))
    assert repr(pipe) == "Pipeline(median_filter(size=3) -> clip())"
    assert pipe == compose((ndi.median_filter, {"size": 3}), pipe.steps[1][0])
    assert pipe != compose((ndi.median_filter, {"size": 5}), pipe.steps[1][0])
    assert pipe != "median"
    assert isinstance(pipe, Pipeline)


def test_bound_parameters_are_copied():
    params = {"size": 3}
    pipe = compose((ndi.median_filter, params))
    params["size"] = 99
    assert pipe.steps[0][1] == {"size": 3}


@pytest.mark.parametrize("bad, exc, match", [
    ((), ValueError, "at least one"),
    (("median",), TypeError, r"funcs\[0\] must be callable"),
    ((np.flipud, 3), TypeError, r"funcs\[1\] must be callable"),
    (((np.clip, [1, 2]),), TypeError, "must be a dict"),
    (((np.clip, {1: 2}),), TypeError, "str keys"),
])
def test_bad_input(bad, exc, match):
    with pytest.raises(exc, match=match):
        compose(*bad)
