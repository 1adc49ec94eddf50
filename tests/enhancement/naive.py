"""Slow, obviously correct references for the enhancement tests."""

import numpy as np


def equalize_levels(image, mask=None, out_range=None):
    """OpenCV's equalizeHist rule, one grey level at a time."""
    values = image[mask] if mask is not None else image.ravel()
    levels = np.unique(values)
    lo, hi = out_range if out_range is not None else (float(image.min()), float(image.max()))
    n = values.size
    cdf_min = int(np.sum(values == levels[0]))
    out = np.empty(image.shape, np.float64)
    for index in np.ndindex(image.shape):
        v = image[index]
        cdf = int(np.sum(values <= v))
        out[index] = lo + max(cdf - cdf_min, 0) / (n - cdf_min) * (hi - lo)
    return out


def frequency_filter_padded(image, cutoff, kind, order, high=False):
    """Pad with the mirror image to twice the size, full complex FFT, transfer
    function on the FFT grid, inverse, crop."""
    rows, cols = image.shape
    padded = np.pad(image.astype(np.float64), ((0, rows), (0, cols)), mode="symmetric")
    fy = np.fft.fftfreq(2 * rows)[:, None]
    fx = np.fft.fftfreq(2 * cols)[None, :]
    d = np.sqrt(fy**2 + fx**2)
    if kind == "ideal":
        h = (d <= cutoff).astype(float)
    elif kind == "butterworth":
        h = 1.0 / (1.0 + (d / cutoff) ** (2 * order))
    else:
        h = np.exp(-(d**2) / (2 * cutoff**2))
    if high:
        h = 1.0 - h
    out = np.fft.ifft2(np.fft.fft2(padded) * h).real
    return out[:rows, :cols]


def clahe_opencv_float(levels, nbins, clip_limit, grid):
    """OpenCV's CLAHE on bin indices with plain Python loops (unrounded maps)."""
    rows, cols = levels.shape
    ty_n, tx_n = grid
    pad_r = 0 if rows % ty_n == 0 and cols % tx_n == 0 else ty_n - rows % ty_n
    pad_c = 0 if rows % ty_n == 0 and cols % tx_n == 0 else tx_n - cols % tx_n
    padded = np.pad(levels, ((0, pad_r), (0, pad_c)), mode="reflect")
    th, tw = padded.shape[0] // ty_n, padded.shape[1] // tx_n
    area = th * tw
    limit = max(int(clip_limit * area / nbins), 1) if clip_limit > 0 else 0
    luts = {}
    for ty in range(ty_n):
        for tx in range(tx_n):
            tile = padded[ty * th:(ty + 1) * th, tx * tw:(tx + 1) * tw]
            hist = np.bincount(tile.ravel(), minlength=nbins).astype(np.int64)
            if limit > 0:
                excess = int(np.maximum(hist - limit, 0).sum())
                hist = np.minimum(hist, limit)
                hist += excess // nbins
                residual = excess % nbins
                if residual:
                    step = max(nbins // residual, 1)
                    for b in range(0, nbins, step):
                        if residual == 0:
                            break
                        hist[b] += 1
                        residual -= 1
            luts[ty, tx] = np.cumsum(hist) * ((nbins - 1) / area)
    out = np.empty((rows, cols))
    for i in range(rows):
        for j in range(cols):
            fy, fx = i / th - 0.5, j / tw - 0.5
            y1, x1 = int(np.floor(fy)), int(np.floor(fx))
            ya, xa = fy - y1, fx - x1
            y2, x2 = min(y1 + 1, ty_n - 1), min(x1 + 1, tx_n - 1)
            y1, x1 = max(y1, 0), max(x1, 0)
            b = levels[i, j]
            top = luts[y1, x1][b] * (1 - xa) + luts[y1, x2][b] * xa
            bottom = luts[y2, x1][b] * (1 - xa) + luts[y2, x2][b] * xa
            out[i, j] = top * (1 - ya) + bottom * ya
    return out
