"""Slow, obviously correct references for the restoration kernels."""

import numpy as np

__all__ = ["adaptive_median"]

_NUMPY_MODE = {"reflect": "symmetric", "mirror": "reflect", "nearest": "edge",
               "wrap": "wrap", "constant": "constant"}


def adaptive_median(image, max_size=7, mode="reflect", cval=0.0):
    """Gonzalez & Woods' adaptive median, pixel by pixel, with np.sort."""
    half = max_size // 2
    kwargs = {"constant_values": cval} if mode == "constant" else {}
    padded = np.pad(image, half, _NUMPY_MODE[mode], **kwargs)
    out = np.empty_like(image)
    for i in range(image.shape[0]):
        for j in range(image.shape[1]):
            z = image[i, j]
            for h in range(1, half + 1):
                window = np.sort(padded[i + half - h:i + half + h + 1,
                                        j + half - h:j + half + h + 1], axis=None)
                zmin, zmed, zmax = window[0], window[window.size // 2], window[-1]
                if zmin < zmed < zmax:
                    out[i, j] = z if zmin < z < zmax else zmed
                    break
            else:
                out[i, j] = zmed
    return out

