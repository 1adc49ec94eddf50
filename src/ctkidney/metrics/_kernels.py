"""Numba kernels of ctkidney.metrics.

Kernels take contiguous 2-D arrays (the wrappers pass uint8 or float64; values are
read as float64) and scalars, and do no validation: the public functions in
``_quality.py`` do that.

The kernels are serial but one. A 512x512 SSIM with the uniform window, or an MSE,
takes a millisecond or less, so the parallelism that pays is across images:
``ctkidney.parallel`` runs them in threads, which scale because every kernel
releases the GIL (``nogil``). The Gaussian-window SSIM costs about 7 ms on one
core; it runs bands of rows in parallel (``parallel=True``, with the serial twin
that :mod:`ctkidney._shared.jit`'s threading policy runs inside workers).

Both SSIM kernels work one output row at a time with five fused moment filters
(x, y, x*x, y*y, x*y). The vertical pass fills five column-sum buffers of width
``W + 2 * radius``; the horizontal pass filters those buffers and evaluates the SSIM
formula for the row. The borders follow scipy.ndimage's ``mode='reflect'``
(``d c b a | a b c d | d c b a``), as scikit-image's ``uniform_filter`` and
``gaussian`` calls do, for any radius (also radii longer than the image).
"""

import numpy as np

from ctkidney._shared.jit import jit, prange

#: Rows per parallel band of the Gaussian SSIM kernel: each band computes the
#: moments of ``2 * radius`` rows again to fill its ring (10 rows at 11 taps, beside
#: the 64 rows it outputs, whose column and row filters cost more than the moments).
SSIM_BAND_ROWS = 64


@jit
def _reflect_indices_kernel(n, radius):
    """Indices into ``range(n)`` of the ``n + 2 * radius`` samples of a line extended
    by ``radius`` on each side with scipy's ``'reflect'`` rule."""
    out = np.empty(n + 2 * radius, dtype=np.int64)
    period = 2 * n
    for k in range(n + 2 * radius):
        idx = (k - radius) % period  # Python semantics: non-negative
        if idx >= n:
            idx = period - 1 - idx
        out[k] = idx
    return out


@jit
def _fill_reflected_border(buf, cols, radius, width):
    # The interior sits at buf[radius:radius + width]; copy the border samples.
    for k in range(radius):
        buf[k] = buf[radius + cols[k]]
        buf[radius + width + k] = buf[radius + cols[radius + width + k]]


@jit
def _ssim_row(mx, my, mxx, myy, mxy, cov_norm, c1, c2, out):
    """Evaluate the SSIM formula of scikit-image on one row of local moments."""
    for j in range(out.shape[0]):
        ux = mx[j]
        uy = my[j]
        vx = cov_norm * (mxx[j] - ux * ux)
        vy = cov_norm * (myy[j] - uy * uy)
        vxy = cov_norm * (mxy[j] - ux * uy)
        a1 = 2.0 * ux * uy + c1
        a2 = 2.0 * vxy + c2
        b1 = ux * ux + uy * uy + c1
        b2 = vx + vy + c2
        out[j] = (a1 * a2) / (b1 * b2)


@jit
def _accumulate_row(srow, i, height, width, pad, ssim_map, write_map):
    # Store the row of the map if asked; return its sum over the cropped columns
    # (or 0 for a row inside the cropped border), like skimage's crop(S, pad).mean().
    if write_map:
        for j in range(width):
            ssim_map[i, j] = srow[j]
    total = 0.0
    if pad <= i < height - pad:
        for j in range(pad, width - pad):
            total += srow[j]
    return total


@jit
def _add_row_moments(x, y, row, sign, radius, sx, sy, sxx, syy, sxy):
    # sign * (x, y, x*x, y*y, x*y) of one image row, added to the column sums.
    for j in range(x.shape[1]):
        a = np.float64(x[row, j])
        b = np.float64(y[row, j])
        k = radius + j
        sx[k] += sign * a
        sy[k] += sign * b
        sxx[k] += sign * (a * a)
        syy[k] += sign * (b * b)
        sxy[k] += sign * (a * b)


@jit
def _ssim_uniform_kernel(x, y, radius, pad, cov_norm, c1, c2, ssim_map, write_map):
    """Sum of the SSIM map over the cropped region, uniform (box) window.

    Separable running sums: the column sums of the ``2 * radius + 1`` rows under the
    window are updated by adding the entering row and subtracting the leaving one;
    each row of column sums is then swept by a running box sum. ``ssim_map`` receives
    the full map when ``write_map`` is true (else it may be a dummy 2-D array).
    """
    height, width = x.shape
    size = 2 * radius + 1
    inv_count = 1.0 / (size * size)
    rows = _reflect_indices_kernel(height, radius)
    cols = _reflect_indices_kernel(width, radius)
    # One spare zero at the end lets the running sum step past the last column.
    padded = width + 2 * radius + 1
    sx = np.zeros(padded)
    sy = np.zeros(padded)
    sxx = np.zeros(padded)
    syy = np.zeros(padded)
    sxy = np.zeros(padded)
    mx = np.empty(width)
    my = np.empty(width)
    mxx = np.empty(width)
    myy = np.empty(width)
    mxy = np.empty(width)
    srow = np.empty(width)
    for t in range(size):
        _add_row_moments(x, y, rows[t], 1.0, radius, sx, sy, sxx, syy, sxy)
    total = 0.0
    for i in range(height):
        if i > 0:
            _add_row_moments(x, y, rows[i + size - 1], 1.0, radius, sx, sy, sxx, syy, sxy)
            _add_row_moments(x, y, rows[i - 1], -1.0, radius, sx, sy, sxx, syy, sxy)
        for buf in (sx, sy, sxx, syy, sxy):
            _fill_reflected_border(buf, cols, radius, width)
        hx = 0.0
        hy = 0.0
        hxx = 0.0
        hyy = 0.0
        hxy = 0.0
        for k in range(size):
            hx += sx[k]
            hy += sy[k]
            hxx += sxx[k]
            hyy += syy[k]
            hxy += sxy[k]
        for j in range(width):
            mx[j] = hx * inv_count
            my[j] = hy * inv_count
            mxx[j] = hxx * inv_count
            myy[j] = hyy * inv_count
            mxy[j] = hxy * inv_count
            hx += sx[j + size] - sx[j]
            hy += sy[j + size] - sy[j]
            hxx += sxx[j + size] - sxx[j]
            hyy += syy[j + size] - syy[j]
            hxy += sxy[j + size] - sxy[j]
        _ssim_row(mx, my, mxx, myy, mxy, cov_norm, c1, c2, srow)
        total += _accumulate_row(srow, i, height, width, pad, ssim_map, write_map)
    return total


@jit
def _row_moments(x, y, row, out):
    # The five moments of one image row: out[k, j] for k = x, y, x*x, y*y, x*y.
    for j in range(x.shape[1]):
        a = np.float64(x[row, j])
        b = np.float64(y[row, j])
        out[0, j] = a
        out[1, j] = b
        out[2, j] = a * a
        out[3, j] = b * b
        out[4, j] = a * b


@jit
def _ssim_gaussian_rows(x, y, weights, pad, cov_norm, c1, c2, ssim_map, write_map,
                        start, stop, row_sums):
    """SSIM rows ``start .. stop - 1`` with a Gaussian-weighted window; each row's
    sum over the cropped region goes to ``row_sums``.

    ``weights`` is the normalised, symmetric 1-D kernel of length
    ``2 * radius + 1`` (scipy's ``_gaussian_kernel1d``). The moments of the
    ``2 * radius + 1`` rows under the window live in a ring buffer, so each image
    row's products are computed once. The vertical pass weights those rows, the
    horizontal pass correlates each row of column sums with the same kernel; both
    pair the taps at ``+t`` and ``-t``. A row's result does not depend on
    ``start``: the ring's slot of padded row ``r`` is ``r % size`` either way.
    """
    height, width = x.shape
    size = weights.shape[0]
    radius = (size - 1) // 2
    rows = _reflect_indices_kernel(height, radius)
    cols = _reflect_indices_kernel(width, radius)
    ring = np.empty((size, 5, width))
    colsum = np.empty((5, width + 2 * radius))
    moments = np.empty((5, width))
    srow = np.empty(width)
    for t in range(start, start + size - 1):
        _row_moments(x, y, rows[t], ring[t % size])
    for i in range(start, stop):
        # Padded rows i .. i + 2 * radius are under the window; slot = row % size.
        _row_moments(x, y, rows[i + size - 1], ring[(i + size - 1) % size])
        centre = ring[(i + radius) % size]
        w0 = weights[radius]
        for k in range(5):
            for j in range(width):
                colsum[k, radius + j] = w0 * centre[k, j]
        for t in range(1, radius + 1):
            wt = weights[radius + t]
            above = ring[(i + radius - t) % size]
            below = ring[(i + radius + t) % size]
            for k in range(5):
                for j in range(width):
                    colsum[k, radius + j] += wt * (above[k, j] + below[k, j])
        for k in range(5):
            line = colsum[k]
            _fill_reflected_border(line, cols, radius, width)
            out = moments[k]
            for j in range(width):
                out[j] = w0 * line[j + radius]
            for t in range(1, radius + 1):
                wt = weights[radius + t]
                for j in range(width):
                    out[j] += wt * (line[j + radius - t] + line[j + radius + t])
        _ssim_row(moments[0], moments[1], moments[2], moments[3], moments[4],
                  cov_norm, c1, c2, srow)
        row_sums[i] = _accumulate_row(srow, i, height, width, pad, ssim_map, write_map)


@jit(parallel=True)
def _ssim_gaussian_kernel(x, y, weights, pad, cov_norm, c1, c2, ssim_map, write_map):
    """Sum of the SSIM map over the cropped region, Gaussian-weighted window.

    Bands of ``SSIM_BAND_ROWS`` rows run in parallel (each warms its own ring
    buffer up); the rows' sums are added in row order afterwards, so the result is
    the same bit for bit with any number of threads, and in the serial twin.
    """
    height = x.shape[0]
    row_sums = np.zeros(height)
    n_bands = (height + SSIM_BAND_ROWS - 1) // SSIM_BAND_ROWS
    for band in prange(n_bands):
        start = band * SSIM_BAND_ROWS
        _ssim_gaussian_rows(x, y, weights, pad, cov_norm, c1, c2, ssim_map, write_map,
                            start, min(start + SSIM_BAND_ROWS, height), row_sums)
    total = 0.0
    for i in range(height):
        total += row_sums[i]
    return total


@jit(fastmath={"reassoc"})
def _sum_squared_difference_kernel(x, y):
    """Sum of ``(x - y) ** 2`` in float64, accumulated per row then over rows.

    ``reassoc`` (only that fast-math flag: no NaN/inf assumptions) lets LLVM keep
    several partial sums in SIMD lanes instead of one serial chain: about 5x faster,
    deterministic for a given build, and no less accurate than the serial sum.
    """
    height, width = x.shape
    total = 0.0
    for i in range(height):
        row = 0.0
        for j in range(width):
            d = np.float64(x[i, j]) - np.float64(y[i, j])
            row += d * d
        total += row
    return total
