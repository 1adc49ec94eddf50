"""Slow, obviously correct references for the metrics kernels."""

import numpy as np


def reflect_indices(n, radius):
    """scipy 'reflect' extension (d c b a | a b c d | d c b a) is numpy's 'symmetric'
    padding of the index line."""
    return np.pad(np.arange(n), radius, mode="symmetric")


def ssim_map(x, y, *, win_size, data_range, use_sample_covariance=True):
    """SSIM map with a uniform window from explicit windows of a symmetric-padded
    image (loops over every pixel)."""
    x = np.asarray(x, np.float64)
    y = np.asarray(y, np.float64)
    r = (win_size - 1) // 2
    xp = np.pad(x, r, mode="symmetric")
    yp = np.pad(y, r, mode="symmetric")
    n = win_size * win_size
    norm = n / (n - 1) if use_sample_covariance else 1.0
    c1 = (0.01 * data_range) ** 2
    c2 = (0.03 * data_range) ** 2
    out = np.empty(x.shape)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            wx = xp[i:i + win_size, j:j + win_size]
            wy = yp[i:i + win_size, j:j + win_size]
            ux, uy = wx.mean(), wy.mean()
            vx = norm * ((wx - ux) ** 2).mean()
            vy = norm * ((wy - uy) ** 2).mean()
            vxy = norm * ((wx - ux) * (wy - uy)).mean()
            out[i, j] = ((2 * ux * uy + c1) * (2 * vxy + c2)
                         / ((ux**2 + uy**2 + c1) * (vx + vy + c2)))
    return out
