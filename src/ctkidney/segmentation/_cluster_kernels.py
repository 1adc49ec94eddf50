"""Numba kernels of k-means of :mod:`ctkidney.segmentation._cluster`: k-means++ seeding, Lloyd
iterations and the exact dynamic-programming 1-D k-means on weighted values.

Kernels take contiguous arrays and scalars and do no validation.
"""

import numpy as np

from ctkidney._shared.jit import jit

__all__ = ["_kmeans_exact_kernel", "_kmeans_kernel", "_kmeans_lloyd_kernel", "_kmeans_pp_kernel"]


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
