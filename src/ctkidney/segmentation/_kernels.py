"""Numba kernels of :mod:`ctkidney.segmentation`.

Kernels take contiguous arrays and scalars and do no validation; the public
functions in the ``_<topic>.py`` modules validate, allocate and dispatch.
"""

import math

import numpy as np

from ctkidney._shared.jit import jit

# --------------------------------------------------------------------------- k-means


@jit
def _kmeans_pp_kernel(values, weights, k, uniforms):
    """Greedy k-means++ seeding on weighted 1-D values.

    ``uniforms`` is a (k, n_trials) array of numbers in [0, 1) drawn by the caller.
    The first centre is drawn with probability proportional to the weights, every
    next one among ``n_trials`` candidates drawn proportionally to ``w * D^2``,
    keeping the candidate that lowers the potential most (as scikit-learn does).
    """
    n = values.shape[0]
    n_trials = uniforms.shape[1]
    centers = np.empty(k, np.float64)
    cum = np.empty(n, np.float64)
    total = 0.0
    for i in range(n):
        total += weights[i]
        cum[i] = total
    idx = np.searchsorted(cum, uniforms[0, 0] * total, side="right")
    if idx >= n:
        idx = n - 1
    centers[0] = values[idx]
    d2 = np.empty(n, np.float64)
    for i in range(n):
        diff = values[i] - centers[0]
        d2[i] = diff * diff
    trial_d2 = np.empty(n, np.float64)
    for c in range(1, k):
        pot = 0.0
        for i in range(n):
            pot += weights[i] * d2[i]
            cum[i] = pot
        if pot <= 0.0:
            # Fewer distinct values than clusters: repeat the last centre.
            centers[c] = centers[c - 1]
            continue
        best_pot = np.inf
        best_idx = 0
        for t in range(n_trials):
            cand = np.searchsorted(cum, uniforms[c, t] * pot, side="right")
            if cand >= n:
                cand = n - 1
            cand_pot = 0.0
            for i in range(n):
                diff = values[i] - values[cand]
                dd = diff * diff
                if dd > d2[i]:
                    dd = d2[i]
                cand_pot += weights[i] * dd
            if cand_pot < best_pot:
                best_pot = cand_pot
                best_idx = cand
        centers[c] = values[best_idx]
        for i in range(n):
            diff = values[i] - centers[c]
            dd = diff * diff
            if dd < d2[i]:
                d2[i] = dd
    return centers


@jit
def _segment_sums(cw, cwx, cwxx, lo, hi):
    # Sums of w, w*x, w*x^2 over values[lo:hi] from prefix sums (index 0 = empty).
    return cw[hi] - cw[lo], cwx[hi] - cwx[lo], cwxx[hi] - cwxx[lo]


@jit
def _kmeans_lloyd_kernel(values, cw, cwx, cwxx, centers, max_iter, tol):
    """Lloyd iterations on sorted weighted 1-D values, in place on ``centers``.

    In one dimension the nearest-centre cells are intervals between midpoints of
    the sorted centres, so each iteration costs O(k log n) with prefix sums.
    Returns the inertia (weighted sum of squared distances).
    """
    k = centers.shape[0]
    n = values.shape[0]
    bounds = np.empty(k + 1, np.int64)
    for _ in range(max_iter):
        centers.sort()
        bounds[0] = 0
        bounds[k] = n
        for j in range(k - 1):
            mid = 0.5 * (centers[j] + centers[j + 1])
            # Ties go to the lower centre, as an argmin over centres does.
            bounds[j + 1] = np.searchsorted(values, mid, side="right")
        shift = 0.0
        for j in range(k):
            sw, swx, _ = _segment_sums(cw, cwx, cwxx, bounds[j], bounds[j + 1])
            if sw > 0.0:
                new = swx / sw
                shift += (new - centers[j]) ** 2
                centers[j] = new
        if shift <= tol:
            break
    centers.sort()
    bounds[0] = 0
    bounds[k] = n
    for j in range(k - 1):
        bounds[j + 1] = np.searchsorted(values, 0.5 * (centers[j] + centers[j + 1]),
                                        side="right")
    inertia = 0.0
    for j in range(k):
        sw, swx, swxx = _segment_sums(cw, cwx, cwxx, bounds[j], bounds[j + 1])
        c = centers[j]
        # sum w (x - c)^2 = swxx - 2 c swx + c^2 sw
        part = swxx - 2.0 * c * swx + c * c * sw
        if part > 0.0:
            inertia += part
    return inertia


@jit
def _kmeans_kernel(values, weights, k, uniforms, max_iter, tol):
    """Best of ``uniforms.shape[0]`` k-means++ / Lloyd runs on weighted 1-D values."""
    n = values.shape[0]
    cw = np.zeros(n + 1, np.float64)
    cwx = np.zeros(n + 1, np.float64)
    cwxx = np.zeros(n + 1, np.float64)
    for i in range(n):
        w = weights[i]
        x = values[i]
        cw[i + 1] = cw[i] + w
        cwx[i + 1] = cwx[i] + w * x
        cwxx[i + 1] = cwxx[i] + w * x * x
    best = np.empty(k, np.float64)
    best_inertia = np.inf
    for r in range(uniforms.shape[0]):
        centers = _kmeans_pp_kernel(values, weights, k, uniforms[r])
        inertia = _kmeans_lloyd_kernel(values, cw, cwx, cwxx, centers, max_iter, tol)
        if inertia < best_inertia:
            best_inertia = inertia
            best[:] = centers
    return best, best_inertia


# --------------------------------------------------------------------------- flood


@jit
def _neighbour_offsets(connectivity):
    if connectivity == 1:
        dr = np.array([-1, 0, 0, 1], np.int64)
        dc = np.array([0, -1, 1, 0], np.int64)
    else:
        dr = np.array([-1, -1, -1, 0, 0, 1, 1, 1], np.int64)
        dc = np.array([-1, 0, 1, -1, 1, -1, 0, 1], np.int64)
    return dr, dc


@jit
def _flood_kernel(image, seed_rows, seed_cols, lows, highs, connectivity, out):
    """Flood fill from each seed over pixels with ``lows[s] <= value <= highs[s]``.

    ``out`` (uint8, zeros) receives 1 for every reached pixel. A seed whose own
    value lies outside its interval adds nothing (as scikit-image's ``flood``).
    """
    rows, cols = image.shape
    dr, dc = _neighbour_offsets(connectivity)
    nn = dr.shape[0]
    flat_off = dr * cols + dc
    flat = image.ravel()
    res = out.ravel()
    stack = np.empty(rows * cols, np.int64)
    # Seeds have different intervals, so "visited" is stamped with the seed number
    # instead of being cleared between seeds.
    stamp = np.zeros(rows * cols, np.int32)
    for s in range(seed_rows.shape[0]):
        lo = lows[s]
        hi = highs[s]
        p0 = seed_rows[s] * cols + seed_cols[s]
        v0 = flat[p0]
        if v0 < lo or v0 > hi or stamp[p0] == s + 1:
            continue
        mark = s + 1
        top = 0
        stack[top] = p0
        top += 1
        stamp[p0] = mark
        res[p0] = 1
        while top > 0:
            top -= 1
            p = stack[top]
            r = p // cols
            c = p - r * cols
            interior = r > 0 and r < rows - 1 and c > 0 and c < cols - 1
            for i in range(nn):
                if interior:
                    q = p + flat_off[i]
                else:
                    rr = r + dr[i]
                    cc = c + dc[i]
                    if rr < 0 or rr >= rows or cc < 0 or cc >= cols:
                        continue
                    q = rr * cols + cc
                if stamp[q] == mark:
                    continue
                v = flat[q]
                if v >= lo and v <= hi:
                    stamp[q] = mark
                    res[q] = 1
                    stack[top] = q
                    top += 1
    return out


@jit
def _region_stats_kernel(image, region):
    """Mean and (population) standard deviation of ``image`` over ``region``."""
    rows, cols = image.shape
    n = 0
    s = 0.0
    for r in range(rows):
        for c in range(cols):
            if region[r, c]:
                n += 1
                s += image[r, c]
    if n == 0:
        return 0.0, 0.0, 0
    mean = s / n
    ss = 0.0
    for r in range(rows):
        for c in range(cols):
            if region[r, c]:
                d = image[r, c] - mean
                ss += d * d
    return mean, math.sqrt(ss / n), n


# --------------------------------------------------------------------------- watershed


@jit
def _watershed_bucket_kernel(image, n_levels, labels, mask, connectivity):
    """Priority-flood watershed with a bucket queue, O(N + n_levels).

    ``image`` holds integer levels ``0 .. n_levels - 1`` (a uint8 image, or the
    ranks of the grey values). ``labels`` (int32) holds the markers and is filled
    in place. Pixels with ``mask == 0`` are never labelled. A neighbour enters at
    least at its parent's level, so the current level never decreases; within a
    level pixels leave in the order they entered, which is the (value, age) order
    of scikit-image's heap.
    """
    rows, cols = image.shape
    n = rows * cols
    dr, dc = _neighbour_offsets(connectivity)
    nn = dr.shape[0]
    nxt = np.full(n, -1, np.int64)
    head = np.full(n_levels, -1, np.int64)
    tail = np.full(n_levels, -1, np.int64)
    level = n_levels
    count = 0
    for r in range(rows):
        for c in range(cols):
            if labels[r, c] != 0:
                p = r * cols + c
                v = image[r, c]
                if tail[v] < 0:
                    head[v] = p
                else:
                    nxt[tail[v]] = p
                tail[v] = p
                count += 1
                if v < level:
                    level = v
    while count > 0:
        while head[level] < 0:
            level += 1
        p = head[level]
        head[level] = nxt[p]
        if head[level] < 0:
            tail[level] = -1
        count -= 1
        r = p // cols
        c = p - r * cols
        lab = labels[r, c]
        for i in range(nn):
            rr = r + dr[i]
            cc = c + dc[i]
            if rr < 0 or rr >= rows or cc < 0 or cc >= cols:
                continue
            if labels[rr, cc] != 0 or not mask[rr, cc]:
                continue
            labels[rr, cc] = lab
            q = rr * cols + cc
            v = image[rr, cc]
            if v < level:
                # A neighbour enters at least at its parent's level (scikit-image
                # >= 0.20): equal claims on a basin are shared by age.
                v = level
            nxt[q] = -1
            if tail[v] < 0:
                head[v] = q
            else:
                nxt[tail[v]] = q
            tail[v] = q
            count += 1
    return labels


# --------------------------------------------------------------------------- distance


@jit
def _edt_1d(f, n, scale, d, v, z):
    # Felzenszwalb & Huttenlocher lower envelope of parabolas scale*(q - p)^2 + f[p].
    # Parabolas with f = inf (no background yet) are skipped.
    k = -1
    for q in range(n):
        if f[q] == np.inf:
            continue
        if k < 0:
            k = 0
            v[0] = q
            z[0] = -np.inf
            z[1] = np.inf
            continue
        while True:
            p = v[k]
            s = ((f[q] + scale * q * q) - (f[p] + scale * p * p)) / (2.0 * scale * (q - p))
            if s <= z[k]:
                k -= 1
                if k < 0:
                    break
            else:
                break
        k += 1
        v[k] = q
        if k == 0:
            z[0] = -np.inf
        else:
            z[k] = s
        z[k + 1] = np.inf
    if k < 0:
        for q in range(n):
            d[q] = np.inf
        return
    j = 0
    for q in range(n):
        while z[j + 1] < q:
            j += 1
        diff = q - v[j]
        d[q] = scale * diff * diff + f[v[j]]


@jit
def _edt_kernel(mask, row_scale, col_scale, out):
    """Exact squared Euclidean distance of each True pixel to the nearest False one.

    Pass 1: the distance along each column, by a downward and an upward sweep
    over whole rows (cache friendly). Pass 2: Felzenszwalb-Huttenlocher lower
    envelope along each row (serial: threads cost more than the O(N) work at
    512 x 512). ``row_scale``/``col_scale``
    are the squared pixel spacings. ``out`` (float64) receives squared distances;
    inf where the mask has no False pixel at all.
    """
    rows, cols = mask.shape
    vert = np.empty((rows, cols), np.float64)
    for c in range(cols):
        vert[0, c] = np.inf if mask[0, c] else 0.0
    for r in range(1, rows):
        for c in range(cols):
            vert[r, c] = vert[r - 1, c] + 1.0 if mask[r, c] else 0.0
    for r in range(rows - 2, -1, -1):
        for c in range(cols):
            below = vert[r + 1, c] + 1.0
            if below < vert[r, c]:
                vert[r, c] = below
    f = np.empty(cols, np.float64)
    d = np.empty(cols, np.float64)
    v = np.empty(cols, np.int64)
    z = np.empty(cols + 1, np.float64)
    for r in range(rows):
        for c in range(cols):
            g = vert[r, c]
            f[c] = g * g * row_scale
        _edt_1d(f, cols, col_scale, d, v, z)
        for c in range(cols):
            out[r, c] = d[c]
    return out


# --------------------------------------------------------------------------- canny


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


# --------------------------------------------------------------------------- multi-Otsu


@jit
def _multiotsu_kernel(counts, centers, classes):
    """Exact multi-Otsu by dynamic programming over histogram bins.

    Maximises sum_k S_k^2 / W_k (S: weighted sum, W: weight of class k), which is
    the between-class variance up to constants. Returns the indices of the last
    bin of each of the first ``classes - 1`` classes.
    """
    n = counts.shape[0]
    cw = np.zeros(n + 1, np.float64)
    cs = np.zeros(n + 1, np.float64)
    for i in range(n):
        cw[i + 1] = cw[i] + counts[i]
        cs[i + 1] = cs[i] + counts[i] * centers[i]
    best = np.full((classes, n), -np.inf)
    arg = np.zeros((classes, n), np.int64)
    for i in range(n):
        w = cw[i + 1]
        if w > 0:
            best[0, i] = cs[i + 1] * cs[i + 1] / w
    for k in range(1, classes):
        for i in range(k, n):
            for j in range(k - 1, i):
                if best[k - 1, j] == -np.inf:
                    continue
                w = cw[i + 1] - cw[j + 1]
                if w <= 0:
                    continue
                s = cs[i + 1] - cs[j + 1]
                val = best[k - 1, j] + s * s / w
                if val > best[k, i]:
                    best[k, i] = val
                    arg[k, i] = j
    idx = np.empty(classes - 1, np.int64)
    i = n - 1
    for k in range(classes - 1, 0, -1):
        i = arg[k, i]
        idx[k - 1] = i
    return idx


@jit
def _kmeans_exact_kernel(values, weights, k):
    """Globally optimal weighted 1-D k-means by dynamic programming.

    ``values`` sorted and distinct, ``k <= len(values)``. Layer ``m`` of the table
    holds the least cost of the first ``i + 1`` values in ``m + 1`` clusters; the
    optimal split points are monotone in ``i`` (the SSE cost is Monge), so each
    layer is filled by divide and conquer in O(n log n). Returns sorted centres.
    """
    n = values.shape[0]
    cw = np.zeros(n + 1, np.float64)
    cwx = np.zeros(n + 1, np.float64)
    cwxx = np.zeros(n + 1, np.float64)
    # Centre the values first: prefix sums of x^2 lose precision otherwise.
    shift = values[n // 2]
    for i in range(n):
        w = weights[i]
        x = values[i] - shift
        cw[i + 1] = cw[i] + w
        cwx[i + 1] = cwx[i] + w * x
        cwxx[i + 1] = cwxx[i] + w * x * x
    prev = np.empty(n, np.float64)
    cur = np.empty(n, np.float64)
    split = np.zeros((k, n), np.int64)
    for i in range(n):
        sw, swx, swxx = _segment_sums(cw, cwx, cwxx, 0, i + 1)
        prev[i] = max(swxx - swx * swx / sw, 0.0)
    stack = np.empty((4 * (n + 2), 4), np.int64)
    for m in range(1, k):
        for i in range(n):
            cur[i] = np.inf
        top = 0
        stack[0, 0] = m
        stack[0, 1] = n - 1
        stack[0, 2] = m
        stack[0, 3] = n - 1
        top = 1
        while top > 0:
            top -= 1
            ilo = stack[top, 0]
            ihi = stack[top, 1]
            jlo = stack[top, 2]
            jhi = stack[top, 3]
            if ilo > ihi:
                continue
            mid = (ilo + ihi) // 2
            best = np.inf
            bestj = max(jlo, m)
            upper = min(jhi, mid)
            for j in range(max(jlo, m), upper + 1):
                sw, swx, swxx = _segment_sums(cw, cwx, cwxx, j, mid + 1)
                cost = prev[j - 1] + max(swxx - swx * swx / sw, 0.0)
                if cost < best:
                    best = cost
                    bestj = j
            cur[mid] = best
            split[m, mid] = bestj
            stack[top, 0] = ilo
            stack[top, 1] = mid - 1
            stack[top, 2] = jlo
            stack[top, 3] = bestj
            top += 1
            stack[top, 0] = mid + 1
            stack[top, 1] = ihi
            stack[top, 2] = bestj
            stack[top, 3] = jhi
            top += 1
        for i in range(n):
            prev[i] = cur[i]
    centers = np.empty(k, np.float64)
    hi = n
    for m in range(k - 1, -1, -1):
        lo = split[m, hi - 1] if m > 0 else 0
        sw, swx, _ = _segment_sums(cw, cwx, cwxx, lo, hi)
        centers[m] = swx / sw + shift
        hi = lo
    return centers


# --------------------------------------------------------------------------- ranking


@jit
def _float_key(bits, sign):
    # IEEE-754 bits -> unsigned key with the same order as the float values.
    if bits & sign:
        return ~bits
    return bits | sign


@jit
def _dense_rank_kernel(bits, n_bits):
    """Dense ranks (0 = smallest) of floats given as their raw IEEE bits.

    ``bits`` is the uint32 (float32) or uint64 (float64) view of values without
    NaN, with -0.0 already turned into +0.0. An LSD radix sort with 11-bit digits
    over order-preserving keys; equal values share a rank. Returns (ranks int32,
    number of distinct values).
    """
    n = bits.shape[0]
    sign = bits.dtype.type(1) << bits.dtype.type(n_bits - 1)
    keys = np.empty(n, bits.dtype)
    for i in range(n):
        keys[i] = _float_key(bits[i], sign)
    order = np.arange(n)
    buffer = np.empty(n, np.int64)
    counts = np.empty(2049, np.int64)
    mask = bits.dtype.type(0x7FF)
    for shift in range(0, n_bits, 11):
        counts[:] = 0
        step = bits.dtype.type(shift)
        for i in range(n):
            counts[((keys[i] >> step) & mask) + 1] += 1
        for b in range(2048):
            counts[b + 1] += counts[b]
        for i in range(n):
            j = order[i]
            digit = (keys[j] >> step) & mask
            buffer[counts[digit]] = j
            counts[digit] += 1
        order, buffer = buffer, order
    ranks = np.empty(n, np.int32)
    rank = 0
    ranks[order[0]] = 0
    for i in range(1, n):
        if keys[order[i]] != keys[order[i - 1]]:
            rank += 1
        ranks[order[i]] = rank
    return ranks, rank + 1
