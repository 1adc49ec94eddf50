"""Numba kernels of the Canny detector of :mod:`ctkidney.segmentation._edges`: non-maximum
suppression (its hysteresis is the shared flood,
:func:`ctkidney._shared._kernels._flood_kernel`).

Kernels take contiguous arrays and scalars and do no validation.
"""

from ctkidney._shared.jit import jit

__all__ = ["_canny_nms_kernel"]


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
