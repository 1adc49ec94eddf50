"""Slow, obviously correct references for the morphology kernels."""

import numpy as np


def _extreme(image, footprint, pick):
    # footprint odd-sized; outside pixels ignored; empty neighbourhood -> None.
    rows, cols = image.shape
    cy, cx = footprint.shape[0] // 2, footprint.shape[1] // 2
    offsets = [(i - cy, j - cx) for i, j in zip(*np.nonzero(footprint))]
    out = []
    for r in range(rows):
        line = []
        for c in range(cols):
            values = [image[r + dy, c + dx] for dy, dx in offsets
                      if 0 <= r + dy < rows and 0 <= c + dx < cols]
            line.append(pick(values) if values else None)
        out.append(line)
    return out


def erosion(image, footprint):
    """Minimum over ``{p + (i - cy, j - cx)}``; the dtype's max (or +inf) if empty."""
    top = True if image.dtype == bool else (
        np.inf if image.dtype.kind == "f" else np.iinfo(image.dtype).max)
    values = _extreme(image, footprint, min)
    return np.array([[top if v is None else v for v in line] for line in values],
                    dtype=image.dtype)


def dilation(image, footprint):
    """Maximum over ``{p + (i - cy, j - cx)}``; the dtype's min (or -inf) if empty."""
    bottom = False if image.dtype == bool else (
        -np.inf if image.dtype.kind == "f" else np.iinfo(image.dtype).min)
    values = _extreme(image, footprint, max)
    return np.array([[bottom if v is None else v for v in line] for line in values],
                    dtype=image.dtype)


def reconstruction_by_dilation(seed, mask, footprint):
    """Iterate the geodesic dilation ``min(dilation(seed, reflected fp), mask)``
    until it stops changing."""
    current = seed.copy()
    reflected = footprint[::-1, ::-1]
    while True:
        grown = np.minimum(dilation(current, reflected), mask)
        if np.array_equal(grown, current):
            return current
        current = grown
