"""Numba kernels of the restoration filters.

Every kernel reads a padded, C-contiguous array (see ``_border.pad``) and writes a
preallocated output of the unpadded shape: output ``(i, j)`` depends on
``padded[i:i + kr, j:j + kc]`` only. No validation happens here. The outer loop
runs over independent output rows (``prange``), so parallel and serial runs agree
bit for bit.
"""

import numpy as np

from ctkidney._shared.jit import jit, prange

__all__ = [
    "_adaptive_median_kernel",
    "_alpha_trimmed_hist_kernel",
    "_alpha_trimmed_kernel",
    "_network_rank_kernel",
    "_network_trimmed_kernel",
    "_power_mean_kernel",
    "_rank_kernel",
]


@jit
def _insertion_sort(buf, n):
    for i in range(1, n):
        v = buf[i]
        j = i - 1
        while j >= 0 and buf[j] > v:
            buf[j + 1] = buf[j]
            j -= 1
        buf[j + 1] = v


@jit
def _fill_sorted(padded, i, j, kr, kc, buf):
    # buf[:kr * kc] = the window at (i, j), sorted.
    m = 0
    for u in range(kr):
        for v in range(kc):
            buf[m] = padded[i + u, j + v]
            m += 1
    _insertion_sort(buf, m)


@jit
def _replace_sorted(buf, n, old, new):
    # Swap one copy of ``old`` in the sorted buf[:n] for ``new``, keeping it sorted:
    # binary search, then move the new value to its place (no re-sort).
    lo = 0
    hi = n - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if buf[mid] < old:
            lo = mid + 1
        else:
            hi = mid
    p = lo
    while p > 0 and buf[p - 1] > new:
        buf[p] = buf[p - 1]
        p -= 1
    while p < n - 1 and buf[p + 1] < new:
        buf[p] = buf[p + 1]
        p += 1
    buf[p] = new


@jit
def _slide_sorted(padded, i, j, kr, kc, buf, n):
    # Move the sorted window from column j to column j + 1.
    for u in range(kr):
        _replace_sorted(buf, n, padded[i + u, j], padded[i + u, j + kc])


@jit(parallel=True)
def _rank_kernel(padded, kr, kc, rank, out):
    """``out[i, j]`` = the ``rank``-th smallest value of the ``kr x kc`` window.

    Each row keeps its window sorted while it slides: ``kr`` values leave and
    ``kr`` enter per step, each by a binary search and a short move.
    """
    rows, cols = out.shape
    n = kr * kc
    for i in prange(rows):
        buf = np.empty(n, padded.dtype)
        _fill_sorted(padded, i, 0, kr, kc, buf)
        for j in range(cols):
            out[i, j] = buf[rank]
            if j + 1 < cols:
                _slide_sorted(padded, i, j, kr, kc, buf, n)


@jit(parallel=True)
def _alpha_trimmed_kernel(padded, kr, kc, d, out):
    """Mean of the window without its ``d // 2`` smallest and largest values
    (float64 output; the wrapper rounds and saturates). Sliding sorted window as
    in :func:`_rank_kernel`."""
    rows, cols = out.shape
    n = kr * kc
    lo = d // 2
    hi = n - d // 2
    for i in prange(rows):
        buf = np.empty(n, padded.dtype)
        _fill_sorted(padded, i, 0, kr, kc, buf)
        for j in range(cols):
            total = 0.0
            for m in range(lo, hi):
                total += buf[m]
            out[i, j] = total / (hi - lo)
            if j + 1 < cols:
                _slide_sorted(padded, i, j, kr, kc, buf, n)


@jit
def _move_rank(hist, r, state):
    # state = [b, below, sum_below]: ``below`` values (summing to ``sum_below``)
    # lie under grey level ``b``. Restore below <= r < below + hist[b].
    b, below, sum_below = state[0], state[1], state[2]
    while below > r:
        b -= 1
        below -= hist[b]
        sum_below -= hist[b] * b
    while below + hist[b] <= r:
        below += hist[b]
        sum_below += hist[b] * b
        b += 1
    state[0], state[1], state[2] = b, below, sum_below


@jit
def _hist_update(hist, x, step, low_state, high_state):
    hist[x] += step
    if x < low_state[0]:
        low_state[1] += step
        low_state[2] += step * x
    if x < high_state[0]:
        high_state[1] += step
        high_state[2] += step * x


@jit(parallel=True)
def _alpha_trimmed_hist_kernel(padded, kr, kc, d, out):
    """:func:`_alpha_trimmed_kernel` for uint8, with Huang's sliding histogram.

    The sum of the ``r`` smallest values is tracked for ``r = d / 2`` and
    ``r = n - d / 2`` by a grey-level pointer that moves only as far as the
    window changes; the trimmed sum is their difference, in exact integers.
    """
    rows, cols = out.shape
    n = kr * kc
    lo = d // 2
    hi = n - d // 2
    for i in prange(rows):
        hist = np.zeros(257, np.int64)
        low_state = np.zeros(3, np.int64)
        high_state = np.zeros(3, np.int64)
        total = 0
        for u in range(kr):
            for v in range(kc):
                x = np.int64(padded[i + u, v])
                _hist_update(hist, x, 1, low_state, high_state)
                total += x
        for j in range(cols):
            _move_rank(hist, lo, low_state)
            low_sum = low_state[2] + (lo - low_state[1]) * low_state[0]
            if hi == n:
                high_sum = total
            else:
                _move_rank(hist, hi, high_state)
                high_sum = high_state[2] + (hi - high_state[1]) * high_state[0]
            out[i, j] = (high_sum - low_sum) / (hi - lo)
            if j + 1 < cols:
                for u in range(kr):
                    x = np.int64(padded[i + u, j])
                    y = np.int64(padded[i + u, j + kc])
                    _hist_update(hist, x, -1, low_state, high_state)
                    _hist_update(hist, y, 1, low_state, high_state)
                    total += y - x


@jit
def _merge_ring(sorted_buf, n, ring, nr, scratch):
    # Merge the sorted window sorted_buf[:n] with the sorted ring[:nr], in place.
    a = n - 1
    b = nr - 1
    for w in range(n + nr - 1, -1, -1):
        if b < 0 or (a >= 0 and sorted_buf[a] > ring[b]):
            scratch[w] = sorted_buf[a]
            a -= 1
        else:
            scratch[w] = ring[b]
            b -= 1
    for w in range(n + nr):
        sorted_buf[w] = scratch[w]


@jit
def _level_b(zmin, zmed, zmax, z):
    # Level B of the adaptive median, once level A has passed.
    return z if (zmin < z and z < zmax) else zmed


@jit(parallel=True)
def _adaptive_median_kernel(padded, half_max, pairs, offsets, out):
    """Gonzalez & Woods adaptive median (levels A and B).

    The window grows from 3x3 to ``2 * half_max + 1``. Windows up to 7x7 are
    never sorted one by one: for each size a row needs, a sorting network pruned
    to the minimum, median and maximum (``pairs[offsets[h - 1]:offsets[h]]``)
    runs across the whole row at once (vectorised), and a size is only computed
    for rows where some pixel still needs it. Larger windows (``max_size > 7``,
    rare) merge each new ring, sorted on its own, into the sorted window.
    """
    rows, cols = out.shape
    levels = offsets.shape[0] - 1
    nmax = (2 * half_max + 1) ** 2
    for i in prange(rows):
        pending = np.ones(cols, np.bool_)
        remaining = cols
        ci = i + half_max
        h = 1
        while h <= min(half_max, levels) and remaining > 0:
            n = (2 * h + 1) ** 2
            w = np.empty((n, cols), padded.dtype)
            _sort_row_windows(padded[:, half_max - h:], ci - h, 2 * h + 1, 2 * h + 1,
                              pairs[offsets[h - 1]:offsets[h]], w)
            for j in range(cols):
                if not pending[j]:
                    continue
                zmin = w[0, j]
                zmed = w[n // 2, j]
                zmax = w[n - 1, j]
                if zmin < zmed and zmed < zmax:
                    out[i, j] = _level_b(zmin, zmed, zmax, padded[ci, j + half_max])
                elif h == half_max:
                    out[i, j] = zmed
                else:
                    continue
                pending[j] = False
                remaining -= 1
            h += 1
        if remaining == 0:
            continue
        # Windows beyond the networks: sorted once, then grown ring by ring.
        win = np.empty(nmax, padded.dtype)
        ring = np.empty(nmax, padded.dtype)
        scratch = np.empty(nmax, padded.dtype)
        for j in range(cols):
            if not pending[j]:
                continue
            cj = j + half_max
            z = padded[ci, cj]
            _fill_sorted(padded, ci - levels, cj - levels, 2 * levels + 1, 2 * levels + 1,
                         win)
            m = (2 * levels + 1) ** 2
            zmin = win[0]
            zmed = win[m // 2]
            zmax = win[m - 1]
            for g in range(levels + 1, half_max + 1):
                nr = 0
                for v in range(cj - g, cj + g + 1):
                    ring[nr] = padded[ci - g, v]
                    ring[nr + 1] = padded[ci + g, v]
                    nr += 2
                for u in range(ci - g + 1, ci + g):
                    ring[nr] = padded[u, cj - g]
                    ring[nr + 1] = padded[u, cj + g]
                    nr += 2
                _insertion_sort(ring, nr)
                _merge_ring(win, m, ring, nr, scratch)
                m += nr
                zmin = win[0]
                zmed = win[m // 2]
                zmax = win[m - 1]
                if zmin < zmed and zmed < zmax:
                    break
            if zmin < zmed and zmed < zmax:
                out[i, j] = _level_b(zmin, zmed, zmax, z)
            else:
                out[i, j] = zmed


@jit
def _store(value, lo, hi, is_int):
    # saturate_cast: round half to even, then clip, for integer outputs.
    if is_int:
        value = np.rint(value)
        if value < lo:
            value = lo
        elif value > hi:
            value = hi
    return value


#: Mean kinds of :func:`_power_mean_kernel`.
ARITHMETIC, GEOMETRIC, HARMONIC, CONTRAHARMONIC = 0, 1, 2, 3


@jit
def _transform_row(padded, u, kind, q, scale, table_num, table_den, num, den, zero):
    # The summands of numerator and denominator for padded row u, and a flag for
    # each exact zero (counted exactly, so running-sum drift never decides).
    # Integer images may bring lookup tables of both summands, indexed by value.
    use_table = table_num.shape[0] > 0
    for v in range(padded.shape[1]):
        x = padded[u, v] / scale
        # A harmonic summand 1/x beyond 1e150 would overflow the sums: as zero.
        zero[v] = 1.0 if x == 0.0 or (kind == HARMONIC and x < 1e-150) else 0.0
        if use_table:
            num[v] = table_num[np.int64(padded[u, v])]
            den[v] = table_den[np.int64(padded[u, v])]
        elif kind == ARITHMETIC:
            num[v] = x
            den[v] = 1.0
        elif kind == GEOMETRIC:
            num[v] = np.log(x) if x != 0.0 else 0.0
            den[v] = 1.0
        elif kind == HARMONIC:
            num[v] = 1.0
            den[v] = 1.0 / x if x >= 1e-150 else 0.0
        elif x != 0.0:
            b = x ** q
            num[v] = b * x
            den[v] = b
        else:
            num[v] = 0.0
            den[v] = 1.0 if q == 0.0 else 0.0


@jit(parallel=True)
def _power_mean_kernel(padded, kr, kc, kind, q, scale, table_num, table_den, lo, hi,
                       is_int, out):
    """The mean filters from running box sums of transformed values.

    ``kind``: ARITHMETIC (sum x / n), GEOMETRIC (exp(sum ln x / n)), HARMONIC
    (n / sum 1/x) or CONTRAHARMONIC (sum x^(q+1) / sum x^q), all on ``x / scale``
    and scaled back (``table_num``/``table_den``, when not empty, hold the two
    summands for every value of an integer image). A window with a zero gives 0 for
    the geometric and harmonic means and for the contraharmonic mean with q < 0; a window whose
    denominator
    sum is 0 gives 0. Rows are processed in independent blocks; inside a block the
    column sums run down the rows (add the entering row, subtract the leaving
    one), and the window sums run along each row: O(1) per pixel.
    """
    rows, cols = out.shape
    width = padded.shape[1]
    n = float(kr * kc)
    block = 32
    nblocks = (rows + block - 1) // block
    for b in prange(nblocks):
        r0 = b * block
        r1 = min(rows, r0 + block)
        ring_num = np.empty((kr, width))
        ring_den = np.empty((kr, width))
        ring_zero = np.empty((kr, width))
        col_num = np.zeros(width)
        col_den = np.zeros(width)
        col_zero = np.zeros(width)
        for u in range(r0, r0 + kr - 1):
            k = u % kr
            _transform_row(padded, u, kind, q, scale, table_num, table_den, ring_num[k],
                           ring_den[k], ring_zero[k])
            for v in range(width):
                col_num[v] += ring_num[k, v]
                col_den[v] += ring_den[k, v]
                col_zero[v] += ring_zero[k, v]
        for i in range(r0, r1):
            k = (i + kr - 1) % kr
            _transform_row(padded, i + kr - 1, kind, q, scale, table_num, table_den,
                           ring_num[k], ring_den[k], ring_zero[k])
            for v in range(width):
                col_num[v] += ring_num[k, v]
                col_den[v] += ring_den[k, v]
                col_zero[v] += ring_zero[k, v]
            s_num = 0.0
            s_den = 0.0
            s_zero = 0.0
            for v in range(kc - 1):
                s_num += col_num[v]
                s_den += col_den[v]
                s_zero += col_zero[v]
            for j in range(cols):
                s_num += col_num[j + kc - 1]
                s_den += col_den[j + kc - 1]
                s_zero += col_zero[j + kc - 1]
                if kind == ARITHMETIC:
                    value = scale * s_num / n
                elif s_zero > n - 0.5 or (s_zero > 0.5 and (kind != CONTRAHARMONIC
                                                            or q < 0.0)):
                    value = 0.0
                elif kind == GEOMETRIC:
                    value = scale * np.exp(s_num / n)
                elif kind == HARMONIC:
                    value = scale * n / s_den
                elif s_den > 0.0:
                    value = max(scale * s_num / s_den, 0.0)
                else:
                    # Every power underflowed (a huge |q|): the limit of the mean,
                    # the window's maximum for q > 0 (minimum for q < 0).
                    value = _window_extreme(padded, i, j, kr, kc, q > 0.0)
                out[i, j] = _store(value, lo, hi, is_int)
                s_num -= col_num[j]
                s_den -= col_den[j]
                s_zero -= col_zero[j]
            k = i % kr
            for v in range(width):
                col_num[v] -= ring_num[k, v]
                col_den[v] -= ring_den[k, v]
                col_zero[v] -= ring_zero[k, v]


@jit
def _window_extreme(padded, i, j, kr, kc, largest):
    best = padded[i, j]
    for u in range(i, i + kr):
        for v in range(j, j + kc):
            x = padded[u, v]
            if (x > best) if largest else (x < best):
                best = x
    return float(best)


@jit
def _transform_values_kernel(values, kind, q, scale, num, den):
    """The two summands of :func:`_power_mean_kernel` for each of ``values``
    (a 1-row image), used to build the lookup tables of integer images."""
    zero = np.empty(values.shape[1])
    _transform_row(values, 0, kind, q, scale, np.empty(0), np.empty(0), num, den, zero)


@jit
def _sort_row_windows(padded, i, kr, kc, pairs, w):
    # w[k, j] = k-th wire of the window at (i, j); then the network of ``pairs``
    # (rows a, b, need_min, need_max) runs across the whole row at once.
    cols = w.shape[1]
    for u in range(kr):
        for v in range(kc):
            k = u * kc + v
            for j in range(cols):
                w[k, j] = padded[i + u, j + v]
    _network_rows(w, pairs)


@jit
def _network_rows(w, pairs):
    # The compare-exchange ``pairs`` (rows a, b, need_min, need_max) applied to
    # every column of the wires ``w`` at once.
    cols = w.shape[1]
    for p in range(pairs.shape[0]):
        wa = w[pairs[p, 0]]
        wb = w[pairs[p, 1]]
        if pairs[p, 2] and pairs[p, 3]:
            for j in range(cols):
                x = wa[j]
                y = wb[j]
                wa[j] = min(x, y)
                wb[j] = max(x, y)
        elif pairs[p, 2]:
            for j in range(cols):
                wa[j] = min(wa[j], wb[j])
        else:
            for j in range(cols):
                wb[j] = max(wa[j], wb[j])


@jit(parallel=True)
def _network_rank_kernel(padded, kr, kc, pairs, rank, out):
    """``out[i, j]`` = the ``rank``-th smallest value of the window, by a sorting
    network applied to a whole row of windows at once (small windows)."""
    rows, cols = out.shape
    for i in prange(rows):
        w = np.empty((kr * kc, cols), padded.dtype)
        _sort_row_windows(padded, i, kr, kc, pairs, w)
        for j in range(cols):
            out[i, j] = w[rank, j]


@jit(parallel=True)
def _network_trimmed_kernel(padded, kr, kc, pairs, lo, hi, by_extremes, out):
    """Mean of ranks ``lo .. hi - 1`` of each window (float64), by a sorting
    network applied to a whole row of windows at once (small windows).

    With ``by_extremes`` the network only places the ``lo`` smallest and the
    ``n - hi`` largest values, and the kept sum is the window's total minus
    those (fewer comparators when few values are dropped); otherwise it places
    the kept ranks and sums them.
    """
    rows, cols = out.shape
    n = kr * kc
    for i in prange(rows):
        w = np.empty((n, cols), padded.dtype)
        total = np.zeros(cols)
        if by_extremes:
            for u in range(kr):
                for v in range(kc):
                    for j in range(cols):
                        total[j] += padded[i + u, j + v]
        _sort_row_windows(padded, i, kr, kc, pairs, w)
        if by_extremes:
            for m in range(lo):
                for j in range(cols):
                    total[j] -= w[m, j]
            for m in range(hi, n):
                for j in range(cols):
                    total[j] -= w[m, j]
        else:
            for m in range(lo, hi):
                for j in range(cols):
                    total[j] += w[m, j]
        for j in range(cols):
            out[i, j] = total[j] / (hi - lo)
