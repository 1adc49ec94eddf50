"""Numba kernels of the Canny detector of :mod:`ctkidney.segmentation._edges`: non-maximum
suppression and hysteresis.

Kernels take contiguous arrays and scalars and do no validation.
"""

import numpy as np

from ctkidney._shared.jit import jit

__all__ = ["_canny_nms_kernel", "_hysteresis_kernel"]


@jit
def _canny_nms_kernel(isobel, jsobel, magnitude, low, out):
    """Non-maximum suppression with bilinear interpolation along the gradient.

    Interior pixels only (the outermost ring stays 0), as scikit-image. ``out``
    (float32/float64) receives the magnitude of local maxima that reach ``low``.
    """
    rows, cols = magnitude.shape
    for r in range(1, rows - 1):
        for c in range(1, cols - 1):
            m = magnitude[r, c]
            if m < low or m == 0.0:
                continue
            gi = isobel[r, c]
            gj = jsobel[r, c]
            ai = abs(gi)
            aj = abs(gj)
            if (gi >= 0 and gj >= 0) or (gi <= 0 and gj <= 0):
                if ai >= aj:
                    # 0 to 45 degrees: mix vertical and diagonal.
                    w = aj / ai
                    p1 = magnitude[r + 1, c + 1] * w + magnitude[r + 1, c] * (1.0 - w)
                    p2 = magnitude[r - 1, c - 1] * w + magnitude[r - 1, c] * (1.0 - w)
                else:
                    # 45 to 90 degrees: mix horizontal and diagonal.
                    w = ai / aj
                    p1 = magnitude[r + 1, c + 1] * w + magnitude[r, c + 1] * (1.0 - w)
                    p2 = magnitude[r - 1, c - 1] * w + magnitude[r, c - 1] * (1.0 - w)
            else:
                if ai <= aj:
                    # 90 to 135 degrees: mix horizontal and anti-diagonal.
                    w = ai / aj
                    p1 = magnitude[r - 1, c + 1] * w + magnitude[r, c + 1] * (1.0 - w)
                    p2 = magnitude[r + 1, c - 1] * w + magnitude[r, c - 1] * (1.0 - w)
                else:
                    # 135 to 180 degrees: mix vertical and anti-diagonal.
                    w = aj / ai
                    p1 = magnitude[r - 1, c + 1] * w + magnitude[r - 1, c] * (1.0 - w)
                    p2 = magnitude[r + 1, c - 1] * w + magnitude[r + 1, c] * (1.0 - w)
            if p1 <= m and p2 <= m:
                out[r, c] = m
    return out


@jit
def _hysteresis_kernel(nms, high, out):
    """Keep 8-connected chains of non-zero ``nms`` that hold a value >= ``high``."""
    rows, cols = nms.shape
    stack = np.empty(rows * cols, np.int64)
    top = 0
    for r in range(rows):
        for c in range(cols):
            if nms[r, c] >= high and nms[r, c] > 0 and not out[r, c]:
                out[r, c] = True
                stack[top] = r * cols + c
                top += 1
                while top > 0:
                    top -= 1
                    p = stack[top]
                    pr = p // cols
                    pc = p - pr * cols
                    for dr in range(-1, 2):
                        rr = pr + dr
                        if rr < 0 or rr >= rows:
                            continue
                        for dc in range(-1, 2):
                            cc = pc + dc
                            if cc < 0 or cc >= cols:
                                continue
                            if nms[rr, cc] > 0 and not out[rr, cc]:
                                out[rr, cc] = True
                                stack[top] = rr * cols + cc
                                top += 1
    return out
