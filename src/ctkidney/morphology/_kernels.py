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
# Greyscale erosion: van Herk / Gil-Werman running minimum (O(1) per pixel).


@jit(inline="always")
def _van_herk_min(src, n, length, out, prefix, suffix):
    # out[i] = min(src[i : i + length]) for i in 0 .. n - length, with two scans
    # over blocks of `length` samples: a forward prefix minimum and a backward
    # suffix minimum, then one min per output sample.
    for start in range(0, n, length):
        stop = min(start + length, n)
        acc = src[start]
        prefix[start] = acc
        for i in range(start + 1, stop):
            if src[i] < acc:
                acc = src[i]
            prefix[i] = acc
        acc = src[stop - 1]
        suffix[stop - 1] = acc
        for i in range(stop - 2, start - 1, -1):
            if src[i] < acc:
                acc = src[i]
            suffix[i] = acc
    for i in range(n - length + 1):
        a = suffix[i]
        b = prefix[i + length - 1]
        out[i] = a if a < b else b


@jit
def _rect_erosion_kernel(padded, height, width, out):
    """Erosion by a full ``height`` x ``width`` rectangle, separable: a running
    minimum down the rows (whole rows at a time), then along each row.

    ``padded`` has ``height - 1`` extra rows and ``width - 1`` extra columns,
    filled with the identity of ``min``; ``out`` has the unpadded shape.
    """
    prow, pcol = padded.shape
    orow, ocol = out.shape
    vertical = np.empty((orow, pcol), dtype=padded.dtype)
    if height == 1:
        vertical[:, :] = padded[:orow, :]
    else:
        prefix = np.empty((prow, pcol), dtype=padded.dtype)
        suffix = np.empty((prow, pcol), dtype=padded.dtype)
        for start in range(0, prow, height):
            stop = min(start + height, prow)
            prefix[start, :] = padded[start, :]
            for r in range(start + 1, stop):
                a = prefix[r - 1]
                b = padded[r]
                p = prefix[r]
                for c in range(pcol):
                    p[c] = a[c] if a[c] < b[c] else b[c]
            suffix[stop - 1, :] = padded[stop - 1, :]
            for r in range(stop - 2, start - 1, -1):
                a = suffix[r + 1]
                b = padded[r]
                s = suffix[r]
                for c in range(pcol):
                    s[c] = a[c] if a[c] < b[c] else b[c]
        for r in range(orow):
            a = suffix[r]
            b = prefix[r + height - 1]
            v = vertical[r]
            for c in range(pcol):
                v[c] = a[c] if a[c] < b[c] else b[c]
    if width == 1:
        out[:, :] = vertical[:, :ocol]
        return
    prefix1 = np.empty(pcol, dtype=padded.dtype)
    suffix1 = np.empty(pcol, dtype=padded.dtype)
    for r in range(orow):
        _van_herk_min(vertical[r], pcol, width, out[r], prefix1, suffix1)


@jit
def _chord_erosion_kernel(padded, run_row, run_col, run_len, lengths, out):
    """Erosion by an arbitrary footprint decomposed into horizontal chords
    (Urbach & Wilkinson): one running-minimum table per distinct chord length,
    then one minimum per chord and pixel.

    Chord ``j`` covers padded rows ``r + run_row[j]`` and columns
    ``c + run_col[j] .. c + run_col[j] + lengths[run_len[j]] - 1`` for the output
    pixel ``(r, c)``; ``padded`` is filled with the identity of ``min`` outside
    the image.
    """
    prow, pcol = padded.shape
    orow, ocol = out.shape
    n_len = lengths.shape[0]
    tables = np.empty((n_len, prow, pcol), dtype=padded.dtype)
    prefix = np.empty(pcol, dtype=padded.dtype)
    suffix = np.empty(pcol, dtype=padded.dtype)
    for k in range(n_len):
        length = lengths[k]
        for r in range(prow):
            if length == 1:
                tables[k, r, :] = padded[r, :]
            else:
                _van_herk_min(padded[r], pcol, length, tables[k, r], prefix, suffix)
    n_runs = run_row.shape[0]
    for r in range(orow):
        o = out[r]
        first = tables[run_len[0], r + run_row[0]]
        c0 = run_col[0]
        for c in range(ocol):
            o[c] = first[c + c0]
        for j in range(1, n_runs):
            row = tables[run_len[j], r + run_row[j]]
            cj = run_col[j]
            for c in range(ocol):
                v = row[c + cj]
                if v < o[c]:
                    o[c] = v


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
# Hole filling: flood the background from the border (4-connected), the rest is filled.


@jit
def _fill_holes_kernel(mask, out):
    """``out`` (uint8, zeroed) gets 1 on the background reachable from the border;
    the caller returns its complement."""
    rows, cols = mask.shape
    stack = np.empty(rows * cols, dtype=np.int64)
    top = 0
    for r in range(rows):
        for c in range(cols):
            if (r == 0 or c == 0 or r == rows - 1 or c == cols - 1) and not mask[r, c]:
                out[r, c] = 1
                stack[top] = r * cols + c
                top += 1
    while top > 0:
        top -= 1
        p = stack[top]
        r = p // cols
        c = p - r * cols
        if r > 0 and not mask[r - 1, c] and not out[r - 1, c]:
            out[r - 1, c] = 1
            stack[top] = p - cols
            top += 1
        if r + 1 < rows and not mask[r + 1, c] and not out[r + 1, c]:
            out[r + 1, c] = 1
            stack[top] = p + cols
            top += 1
        if c > 0 and not mask[r, c - 1] and not out[r, c - 1]:
            out[r, c - 1] = 1
            stack[top] = p - 1
            top += 1
        if c + 1 < cols and not mask[r, c + 1] and not out[r, c + 1]:
            out[r, c + 1] = 1
            stack[top] = p + 1
            top += 1


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
            # p must be propagated if a pixel that reads p could still grow.
            for j in range(n_pull):
                q = p - pull[j]
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
