"""Slow, obviously correct references for the segmentation kernels."""

import heapq
import itertools
from collections import deque

import numpy as np


def neighbours(r, c, shape, connectivity):
    steps = [(-1, 0), (0, -1), (0, 1), (1, 0)]
    if connectivity == 2:
        steps += [(-1, -1), (-1, 1), (1, -1), (1, 1)]
    for dr, dc in steps:
        rr, cc = r + dr, c + dc
        if 0 <= rr < shape[0] and 0 <= cc < shape[1]:
            yield rr, cc


def edt(mask):
    """Brute-force Euclidean distance to the nearest False pixel."""
    background = np.argwhere(~mask)
    out = np.zeros(mask.shape)
    for r, c in np.argwhere(mask):
        out[r, c] = np.sqrt(((background - (r, c)) ** 2).sum(1).min())
    return out


def flood(image, seed, tolerance, connectivity):
    """Breadth-first flood of |value - seed value| <= tolerance."""
    value = float(image[seed])
    out = np.zeros(image.shape, bool)
    out[seed] = True
    queue = deque([seed])
    while queue:
        r, c = queue.popleft()
        for q in neighbours(r, c, image.shape, connectivity):
            if not out[q] and abs(float(image[q]) - value) <= tolerance:
                out[q] = True
                queue.append(q)
    return out


def watershed(image, markers, connectivity=1):
    """Priority flood with a heap of (value, age): scikit-image's order."""
    labels = markers.astype(np.int32).copy()
    heap = []
    counter = itertools.count(1)
    for r, c in np.argwhere(labels > 0):
        heapq.heappush(heap, (float(image[r, c]), 0, r, c))
    while heap:
        value, _, r, c = heapq.heappop(heap)
        for rr, cc in neighbours(r, c, image.shape, connectivity):
            if labels[rr, cc] == 0:
                labels[rr, cc] = labels[r, c]
                heapq.heappush(heap, (max(float(image[rr, cc]), value), next(counter), rr, cc))
    return labels


def kmeans_1d_optimum(values, k):
    """Least within-cluster sum of squares of 1-D values in k intervals (brute force)."""
    x = np.sort(np.asarray(values, float))
    distinct = np.unique(x)
    best = np.inf
    for cuts in itertools.combinations(range(1, distinct.size), k - 1):
        edges = [distinct[0] - 1] + [distinct[i] - 0.5 * (distinct[i] - distinct[i - 1])
                                     for i in cuts] + [distinct[-1] + 1]
        cost = 0.0
        for lo, hi in zip(edges[:-1], edges[1:]):
            part = x[(x > lo) & (x <= hi)]
            cost += ((part - part.mean()) ** 2).sum() if part.size else 0.0
        best = min(best, cost)
    return best
