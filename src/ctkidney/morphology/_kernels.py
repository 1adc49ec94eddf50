"""Numba kernels of ctkidney.morphology.

Kernels take contiguous arrays and scalars and do no validation; the public
functions in the ``_<topic>.py`` modules validate, allocate and dispatch.

Every greyscale kernel computes an *erosion* (running minimum). Dilation is the
erosion of the order-reversed image (``~x`` for integers, ``-x`` for floats), which
is exact and keeps one kernel per algorithm.
"""

import numpy as np

from ctkidney._shared.jit import jit

# --------------------------------------------------------------------------------------
# Greyscale erosion. Down the rows: van Herk / Gil-Werman running minimum, O(1) per
# pixel whatever the height, computed on whole rows so that every step is an
# element-wise minimum of two rows (SIMD). Along the rows: Urbach & Wilkinson's
# doubling tables (min over 1, 2, 4, ... pixels), again row-wise minima, and a run of
# any length L is the minimum of two overlapping power-of-two runs.


@jit(inline="always")
def _min_into(a, a0, b, b0, out, n):
    # out[c] = min(a[a0 + c], b[b0 + c]) for c < n. Slicing first lets LLVM see
    # plain non-negative indices and vectorise (offset indexing does not).
    x = a[a0:a0 + n]
    y = b[b0:b0 + n]
    o = out[:n]
    for c in range(n):
        o[c] = x[c] if x[c] < y[c] else y[c]


@jit(inline="always")
def _running_min_rows(padded, height, out):
    """out[r] = min(padded[r : r + height]) row-wise, van Herk over blocks of rows."""
    prow, pcol = padded.shape
    orow = out.shape[0]
    prefix = np.empty((prow, pcol), dtype=padded.dtype)
    suffix = np.empty((prow, pcol), dtype=padded.dtype)
    for start in range(0, prow, height):
        stop = min(start + height, prow)
        prefix[start, :] = padded[start, :]
        for r in range(start + 1, stop):
            _min_into(prefix[r - 1], 0, padded[r], 0, prefix[r], pcol)
        suffix[stop - 1, :] = padded[stop - 1, :]
        for r in range(stop - 2, start - 1, -1):
            _min_into(suffix[r + 1], 0, padded[r], 0, suffix[r], pcol)
    for r in range(orow):
        _min_into(suffix[r], 0, prefix[r + height - 1], 0, out[r], pcol)


@jit(inline="always")
def _doubling_tables(rows, n_levels):
    """tables[k, r, c] = min(rows[r, c : c + 2**k]) (valid for c <= width - 2**k)."""
    nrow, ncol = rows.shape
    tables = np.empty((n_levels, nrow, ncol), dtype=rows.dtype)
    tables[0] = rows
    for k in range(1, n_levels):
        half = 1 << (k - 1)
        for r in range(nrow):
            _min_into(tables[k - 1, r], 0, tables[k - 1, r], half, tables[k, r],
                      ncol - half)
    return tables


@jit
def _rect_erosion_kernel(padded, height, width, out):
    """Erosion by a full ``height`` x ``width`` rectangle, separable.

    ``padded`` has ``height - 1`` extra rows and ``width - 1`` extra columns,
    filled with the identity of ``min``; ``out`` has the unpadded shape.
    """
    orow, ocol = out.shape
    pcol = padded.shape[1]
    if height == 1:
        vertical = padded[:orow]
    else:
        vertical = np.empty((orow, pcol), dtype=padded.dtype)
        _running_min_rows(padded, height, vertical)
    level = 0
    while (2 << level) <= width:
        level += 1
    tables = _doubling_tables(vertical, level + 1)
    shift = width - (1 << level)
    for r in range(orow):
        _min_into(tables[level, r], 0, tables[level, r], shift, out[r], ocol)


@jit
def _chord_erosion_kernel(padded, run_row, run_col, run_level, run_shift, n_levels, out):
    """Erosion by an arbitrary footprint decomposed into horizontal chords
    (Urbach & Wilkinson).

    Chord ``j`` covers padded row ``r + run_row[j]`` and columns from
    ``c + run_col[j]``, ``2**run_level[j] + run_shift[j]`` long, for the output
    pixel ``(r, c)``; ``padded`` is filled with the identity of ``min`` outside the
    image.
    """
    orow, ocol = out.shape
    tables = _doubling_tables(padded, n_levels)
    n_runs = run_row.shape[0]
    for r in range(orow):
        o = out[r]
        row = tables[run_level[0], r + run_row[0]]
        _min_into(row, run_col[0], row, run_col[0] + run_shift[0], o, ocol)
        for j in range(1, n_runs):
            row = tables[run_level[j], r + run_row[j]]
            x = row[run_col[j]:run_col[j] + ocol]
            y = row[run_col[j] + run_shift[j]:run_col[j] + run_shift[j] + ocol]
            for c in range(ocol):
                v = x[c] if x[c] < y[c] else y[c]
                o[c] = v if v < o[c] else o[c]


# --------------------------------------------------------------------------------------
# Connected components: two-pass union-find (raster order, minimum-root unions, so
# that final labels follow the raster order of each component's first pixel).


@jit(inline="always")
def _find_root(parent, x):
    root = x
    while parent[root] != root:
        root = parent[root]
    while parent[x] != root:
        nxt = parent[x]
        parent[x] = root
        x = nxt
    return root


@jit(inline="always")
def _union(parent, a, b):
    ra = _find_root(parent, a)
    rb = _find_root(parent, b)
    if ra < rb:
        parent[rb] = ra
        return ra
    if rb < ra:
        parent[ra] = rb
        return rb
    return ra


@jit
def _label_kernel(mask, full, labels):
    """Label the 4-connected (``full=False``) or 8-connected components of the
    uint8 ``mask`` into the zeroed int32 ``labels``; return the count."""
    rows, cols = mask.shape
    parent = np.empty(rows * cols + 1, dtype=np.int32)
    parent[0] = 0
    n = 0
    for r in range(rows):
        m = mask[r]
        lab = labels[r]
        for c in range(cols):
            if not m[c]:
                continue
            current = 0
            if c > 0 and lab[c - 1]:
                current = lab[c - 1]
            if r > 0:
                up = labels[r - 1]
                if up[c]:
                    current = up[c] if current == 0 else _union(parent, current, up[c])
                elif full:
                    if c > 0 and up[c - 1]:
                        current = (up[c - 1] if current == 0
                                   else _union(parent, current, up[c - 1]))
                    if c + 1 < cols and up[c + 1]:
                        current = (up[c + 1] if current == 0
                                   else _union(parent, current, up[c + 1]))
            if current == 0:
                n += 1
                parent[n] = n
                current = n
            lab[c] = current
    # Roots are the smallest provisional label of their component, and every
    # parent points down, so one increasing sweep gives the final numbering.
    final = np.empty(n + 1, dtype=np.int32)
    final[0] = 0
    count = 0
    for i in range(1, n + 1):
        root = _find_root(parent, i)
        if root == i:
            count += 1
            final[i] = count
        else:
            final[i] = final[root]
    for r in range(rows):
        lab = labels[r]
        for c in range(cols):
            if lab[c]:
                lab[c] = final[lab[c]]
    return count


# --------------------------------------------------------------------------------------
# Hit-or-miss.


@jit
def _hit_or_miss_kernel(mask, hit_dy, hit_dx, miss_dy, miss_dx, out):
    """``out[p]`` is True where every ``p + hit`` offset is inside the image and
    foreground, and every ``p + miss`` offset is background or outside the image
    (scipy's ``binary_hit_or_miss``: outside is background)."""
    rows, cols = mask.shape
    for r in range(rows):
        for c in range(cols):
            ok = True
            for j in range(hit_dy.shape[0]):
                rr = r + hit_dy[j]
                cc = c + hit_dx[j]
                if rr < 0 or rr >= rows or cc < 0 or cc >= cols or not mask[rr, cc]:
                    ok = False
                    break
            if ok:
                for j in range(miss_dy.shape[0]):
                    rr = r + miss_dy[j]
                    cc = c + miss_dx[j]
                    if 0 <= rr < rows and 0 <= cc < cols and mask[rr, cc]:
                        ok = False
                        break
            out[r, c] = ok


# --------------------------------------------------------------------------------------
# Morphological reconstruction by dilation: Vincent's (1993) hybrid algorithm, a
# forward and a backward raster scan followed by a FIFO propagation.


@jit(inline="always")
def _geodesic_step(marker, mask, p, offsets):
    # max(marker[p], marker[p + o] for o in offsets), clipped by mask[p].
    v = marker[p]
    for j in range(offsets.shape[0]):
        w = marker[p + offsets[j]]
        if w > v:
            v = w
    m = mask[p]
    return v if v < m else m


@jit
def _reconstruction_kernel(marker, mask, top, left, rows, cols, forward, backward, pull):
    """Reconstruct ``marker`` under ``mask`` by dilation, in place.

    Both are flat views of images padded on every side with the dtype's minimum
    (``marker <= mask``); the image proper has ``rows`` x ``cols`` pixels starting
    at padded row ``top`` and column ``left``. ``pull`` holds the flat offsets
    ``o`` of the neighbourhood (centre excluded): the dilation at ``p`` is the
    maximum over ``p + o``; ``forward`` are those that precede ``p`` in raster
    order, ``backward`` those that follow. Padded pixels have ``marker == mask``
    at the minimum, so they never grow nor make a neighbour grow, and no bounds
    checks are needed.
    """
    width = cols + 2 * left
    n_pull = pull.shape[0]
    for r in range(top, top + rows):
        for p in range(r * width + left, r * width + left + cols):
            marker[p] = _geodesic_step(marker, mask, p, forward)
    size_all = marker.shape[0]
    queue = np.empty(size_all, dtype=np.int64)
    queued = np.zeros(size_all, dtype=np.uint8)
    head = 0
    tail = 0
    size = 0
    for r in range(top + rows - 1, top - 1, -1):
        for p in range(r * width + left + cols - 1, r * width + left - 1, -1):
            v = _geodesic_step(marker, mask, p, backward)
            marker[p] = v
            # p must be propagated if a pixel that reads p could still grow. Only
            # those after p in raster order can (q = p - o with o before the
            # centre); the others read p later in this backward scan.
            for j in range(forward.shape[0]):
                q = p - forward[j]
                w = marker[q]
                if w < v and w < mask[q]:
                    queue[tail] = p
                    tail += 1  # at most one entry per pixel here: no wrap yet
                    queued[p] = 1
                    size += 1
                    break
    while size > 0:
        p = queue[head]
        head += 1
        if head == size_all:
            head = 0
        size -= 1
        queued[p] = 0
        v = marker[p]
        for j in range(n_pull):
            q = p - pull[j]
            w = marker[q]
            if w < v:
                m = mask[q]
                if w != m:
                    marker[q] = v if v < m else m
                    if not queued[q]:
                        queue[tail] = q
                        tail += 1
                        if tail == size_all:
                            tail = 0
                        queued[q] = 1
                        size += 1
