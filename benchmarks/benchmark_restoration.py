"""asv suites for ctkidney.restoration, and its rows for ``benchmarks/compare.py``.

Inputs are 512x512 8-bit CT phantoms (``ctkidney.data.make_phantom``: the
Kaggle slices are 512x512), built in ``setup()`` / ``compare_rows()``, never at
import time.
"""

import time

import numpy as np

SIZE = 512


def _slice(dtype=np.uint8, seed=0):
    from ctkidney.data import make_phantom

    image = make_phantom("Tumor", size=SIZE, rng=seed).image
    return image.astype(dtype)


def _impulse(image, amount=0.2):
    from ctkidney.restoration import add_impulse_noise

    return add_impulse_noise(image, amount=amount, rng=1)


def _busy_wait(seconds):
    """A reference that takes ``seconds`` of wall time without sleeping (compare.py
    times it like any other call)."""
    def wait():
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            pass
    return wait


class Means:
    """The mean filters, 3x3, on a 512x512 uint8 slice."""

    params = ["arithmetic_mean", "geometric_mean", "harmonic_mean", "contraharmonic_mean"]
    param_names = ["filter"]

    def setup(self, name):
        from ctkidney import restoration

        self.func = getattr(restoration, name)
        self.image = _slice()
        self.func(self.image, 3)  # warm the JIT

    def time_filter(self, name):
        self.func(self.image, 3)

    def peakmem_filter(self, name):
        self.func(self.image, 3)


class OrderStatistics:
    """Median, min, midpoint and alpha-trimmed mean on 512x512 slices."""

    params = (["median_filter", "min_filter", "midpoint_filter", "alpha_trimmed_mean"],
              ["uint8", "float32", "float64"], [3, 5])
    param_names = ["filter", "dtype", "size"]

    def setup(self, name, dtype, size):
        from ctkidney import restoration

        self.func = getattr(restoration, name)
        self.image = _slice(dtype)
        self.kwargs = {"d": 2 * size - 2} if name == "alpha_trimmed_mean" else {}
        self.func(self.image, size, **self.kwargs)

    def time_filter(self, name, dtype, size):
        self.func(self.image, size, **self.kwargs)


class AdaptiveMedian:
    """adaptive_median(max_size=7) on a 512x512 slice with 20% impulse noise
    (target: 20 ms or less)."""

    params = ["uint8", "float64"]
    param_names = ["dtype"]

    def setup(self, dtype):
        from ctkidney.restoration import adaptive_median

        self.func = adaptive_median
        self.image = _impulse(_slice()).astype(dtype)
        self.func(self.image, max_size=7)

    def time_adaptive_median(self, dtype):
        self.func(self.image, max_size=7)

    def peakmem_adaptive_median(self, dtype):
        self.func(self.image, max_size=7)


class NoiseAndDenoise:
    """Noise models and denoise on a 512x512 uint8 slice."""

    params = ["gaussian", "impulse", "poisson", "exponential", "periodic"]
    param_names = ["kind"]

    def setup(self, kind):
        from ctkidney.restoration import add_noise, denoise

        self.add_noise, self.denoise = add_noise, denoise
        self.image = _slice()
        self.noisy = add_noise(self.image, kind, rng=0)
        self.kind = kind
        self.denoise(self.noisy, kind)

    def time_add_noise(self, kind):
        self.add_noise(self.image, kind, rng=0)

    def time_denoise(self, kind):
        self.denoise(self.noisy, self.kind)

    def time_denoise_auto(self, kind):
        self.denoise(self.noisy, "auto")


def compare_rows():
    import cv2
    from scipy import ndimage as ndi

    from ctkidney import restoration as r

    image = _slice()
    image_f32 = image.astype(np.float32)
    logs = np.log(np.maximum(image, 1).astype(np.float64))
    yield {
        "name": "median 3x3 uint8 512x512",
        "ours": lambda: r.median_filter(image, 3),
        "others": {"OpenCV": lambda: cv2.medianBlur(image, 3),
                   "SciPy": lambda: ndi.median_filter(image, 3)},
        "targets": {"OpenCV": 1 / 3, "SciPy": 50.0},
    }
    yield {
        "name": "median 5x5 float32 512x512",
        "ours": lambda: r.median_filter(image_f32, 5),
        "others": {"SciPy": lambda: ndi.median_filter(image_f32, 5),
                   "OpenCV": lambda: cv2.medianBlur(image_f32, 5)},
        "targets": {"SciPy": 20.0},
    }
    yield {
        "name": "median 5x5 float64 512x512",
        "ours": lambda: r.median_filter(image.astype(np.float64), 5),
        "others": {"SciPy": lambda: ndi.median_filter(image.astype(np.float64), 5)},
        "targets": {},
    }
    for name, func in (("geometric", lambda: r.geometric_mean(image, 3)),
                       ("harmonic", lambda: r.harmonic_mean(image, 3)),
                       ("contraharmonic Q=1.5", lambda: r.contraharmonic_mean(image, 3, q=1.5))):
        yield {
            "name": f"{name} mean 3x3 uint8 512x512",
            "ours": func,
            "others": {"OpenCV": lambda: cv2.blur(image, (3, 3)),
                       "SciPy": lambda: np.exp(ndi.uniform_filter(logs, 3))},
            "targets": {"OpenCV": 1 / 3},
        }
    n, d = 25, 6
    yield {
        "name": "alpha-trimmed 5x5 d=6 uint8 512x512",
        "ours": lambda: r.alpha_trimmed_mean(image, 5, d=d),
        "others": {"SciPy": lambda: ndi.generic_filter(
            image, lambda v: np.sort(v)[d // 2:n - d // 2].mean(), size=5)},
        "targets": {"SciPy": 50.0},
    }
    yield {
        "name": "min 3x3 uint8 512x512",
        "ours": lambda: r.min_filter(image, 3),
        "others": {"OpenCV": lambda: cv2.erode(image, np.ones((3, 3), np.uint8)),
                   "SciPy": lambda: ndi.minimum_filter(image, 3)},
        "targets": {},
    }
    noisy = _impulse(image)
    yield {
        "name": "adaptive median <=7 20% impulse 512x512",
        "ours": lambda: r.adaptive_median(noisy, max_size=7),
        "others": {"20 ms budget": _busy_wait(0.020)},
        "targets": {"20 ms budget": 1.0},
    }
