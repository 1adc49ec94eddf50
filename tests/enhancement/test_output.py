"""The fused round-and-saturate kernel equals the shared ``saturate``."""

import numpy as np
import pytest

from ctkidney._shared.validation import saturate
from ctkidney.enhancement._output import as_image_dtype


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16, np.float32, np.float64])
@pytest.mark.parametrize("work", [np.float32, np.float64])
def test_as_image_dtype_is_saturate(dtype, work):
    values = np.array([[-40000.5, -1.5, -0.5, 0.5, 1.5, 2.5, 254.5, 255.5],
                       [256.0, 1e9, 32767.5, 65535.4, 65535.5, 3.49, -3.51, 0.0]], dtype=work)
    out = as_image_dtype(values, dtype)
    expected = saturate(values, dtype)
    assert out.dtype == expected.dtype
    np.testing.assert_array_equal(out, expected)
