"""Properties of map_images: equal to the loop for any stack and batch size."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import ndimage as ndi

from ctkidney.parallel import compose, map_images

PIPE = compose((ndi.median_filter, {"size": 3}), np.fliplr)

stacks = st.tuples(st.integers(1, 9), st.integers(3, 12), st.integers(3, 12)).flatmap(
    lambda shape: arrays(np.uint8, shape))


@settings(max_examples=25)
@given(stack=stacks, batch_size=st.one_of(st.none(), st.integers(1, 10)),
       scheduler=st.sampled_from(["threads", "sync"]))
def test_equals_loop_in_order(stack, batch_size, scheduler):
    before = stack.copy()
    out = map_images(PIPE, stack, batch_size=batch_size, scheduler=scheduler,
                     progress=False)
    np.testing.assert_array_equal(out, np.stack([PIPE(image) for image in stack]))
    assert out.dtype == stack.dtype
    np.testing.assert_array_equal(stack, before)


@settings(max_examples=25)
@given(shapes=st.lists(st.tuples(st.integers(3, 10), st.integers(3, 10)), min_size=1,
                       max_size=8),
       batch_size=st.integers(1, 4))
def test_list_of_any_shapes(shapes, batch_size):
    images = [np.arange(r * c, dtype=np.float32).reshape(r, c) for r, c in shapes]
    out = map_images(PIPE, images, batch_size=batch_size, progress=False)
    assert len(out) == len(images)
    for got, image in zip(out, images):
        np.testing.assert_array_equal(got, PIPE(image))
