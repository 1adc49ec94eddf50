"""Slow, obviously correct references for the data tests."""

import cv2
import numpy as np


def near_duplicate_groups(images, threshold, size=16):
    """O(N^2) loop: thumbnails, every pair's RMS distance, union-find."""
    thumbs = []
    for image in images:
        small = cv2.resize(np.asarray(image, np.float32), (size, size),
                           interpolation=cv2.INTER_AREA).astype(np.float64).ravel()
        small -= small.mean()
        std = small.std()
        thumbs.append(small / std if std > 0 else small)
    parent = list(range(len(thumbs)))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(thumbs)):
        for j in range(i + 1, len(thumbs)):
            if np.sqrt(np.mean((thumbs[i] - thumbs[j]) ** 2)) < threshold:
                parent[find(j)] = find(i)
    roots = [find(i) for i in range(len(thumbs))]
    ids = {}
    return np.array([ids.setdefault(r, len(ids)) for r in roots], np.int32)
