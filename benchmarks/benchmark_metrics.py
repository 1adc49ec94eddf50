"""asv suites for ctkidney.metrics, and its rows for ``benchmarks/compare.py``.

Inputs are 512x512 (the Kaggle slices are 512x512), built in ``setup()`` /
``compare_rows()``, never at import time.
"""

import numpy as np

SIZE = 512


def _pair(dtype, size=SIZE, seed=0):
    """A smooth reference and a noisy copy of it, as uint8 or float64 in [0, 1]."""
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0:size, 0:size]
    base = 0.5 + 0.3 * np.sin(rows / 17.0) * np.cos(cols / 23.0)
    noisy = np.clip(base + rng.normal(0, 0.05, base.shape), 0, 1)
    if np.dtype(dtype) == np.uint8:
        return np.rint(base * 255).astype(np.uint8), np.rint(noisy * 255).astype(np.uint8)
    return base.astype(dtype), noisy.astype(dtype)


def _data_range(dtype):
    return 255 if np.dtype(dtype) == np.uint8 else 1.0


class SSIM:
    """ssim on 512x512 images, uniform and Gaussian windows."""

    params = (["uint8", "float64"], [False, True])
    param_names = ["dtype", "gaussian_weights"]

    def setup(self, dtype, gaussian_weights):
        from ctkidney.metrics import ssim

        self.ssim = ssim
        self.x, self.y = _pair(dtype)
        self.kwargs = {"data_range": _data_range(dtype), "gaussian_weights": gaussian_weights}
        self.ssim(self.x, self.y, **self.kwargs)  # warm the JIT

    def time_ssim(self, dtype, gaussian_weights):
        self.ssim(self.x, self.y, **self.kwargs)

    def time_ssim_full(self, dtype, gaussian_weights):
        self.ssim(self.x, self.y, full=True, **self.kwargs)

    def peakmem_ssim(self, dtype, gaussian_weights):
        self.ssim(self.x, self.y, **self.kwargs)


class PSNR:
    """psnr and mse on 512x512 images."""

    params = ["uint8", "float64"]
    param_names = ["dtype"]

    def setup(self, dtype):
        from ctkidney.metrics import mse, psnr

        self.psnr, self.mse = psnr, mse
        self.x, self.y = _pair(dtype)
        self.data_range = _data_range(dtype)
        self.psnr(self.x, self.y, data_range=self.data_range)

    def time_psnr(self, dtype):
        self.psnr(self.x, self.y, data_range=self.data_range)

    def time_mse(self, dtype):
        self.mse(self.x, self.y)


class Overlap:
    """iou, dice and mean_iou on 512x512 masks and label images."""

    def setup(self):
        from ctkidney.metrics import dice, iou, mean_iou

        self.iou, self.dice, self.mean_iou = iou, dice, mean_iou
        x, y = _pair(np.uint8)
        self.truth, self.pred = x > 128, y > 128
        self.truth_labels = (x // 64).astype(np.int32)
        self.pred_labels = (y // 64).astype(np.int32)

    def time_iou(self):
        self.iou(self.truth, self.pred)

    def time_dice(self):
        self.dice(self.truth, self.pred)

    def time_mean_iou(self):
        self.mean_iou(self.truth_labels, self.pred_labels)


class ImageStats:
    """contrast_to_noise and entropy on a 512x512 image."""

    def setup(self):
        from ctkidney.metrics import contrast_to_noise, entropy

        self.cnr, self.entropy = contrast_to_noise, entropy
        self.image, _ = _pair(np.uint8)
        self.roi = self.image > 200
        self.background = self.image < 100

    def time_contrast_to_noise(self):
        self.cnr(self.image, self.roi, self.background)

    def time_entropy(self):
        self.entropy(self.image)


def compare_rows():
    """Rows for ``benchmarks/compare.py``: ctkidney against scikit-image."""
    from skimage.metrics import mean_squared_error, peak_signal_noise_ratio, structural_similarity

    from ctkidney.metrics import mse, psnr, ssim

    for dtype in ("uint8", "float64"):
        x, y = _pair(dtype)
        dr = _data_range(dtype)
        # psnr/mse on float64 are memory-bound one-pass reductions; ours also scans
        # both images for NaN/inf (scikit-image does not), so no target there.
        simple = {"scikit-image": 1.0} if dtype == "uint8" else {}
        for gaussian, label in ((False, ""), (True, " gaussian")):
            yield {
                "name": f"ssim {SIZE}x{SIZE} {dtype}{label}",
                "ours": lambda x=x, y=y, dr=dr, g=gaussian: ssim(
                    x, y, data_range=dr, gaussian_weights=g),
                "others": {"scikit-image": lambda x=x, y=y, dr=dr, g=gaussian:
                           structural_similarity(x, y, data_range=dr, gaussian_weights=g)},
                "targets": {"scikit-image": 5.0},
            }
        yield {
            "name": f"psnr {SIZE}x{SIZE} {dtype}",
            "ours": lambda x=x, y=y, dr=dr: psnr(x, y, data_range=dr),
            "others": {"scikit-image": lambda x=x, y=y, dr=dr:
                       peak_signal_noise_ratio(x, y, data_range=dr)},
            "targets": simple,
        }
        yield {
            "name": f"mse {SIZE}x{SIZE} {dtype}",
            "ours": lambda x=x, y=y: mse(x, y),
            "others": {"scikit-image": lambda x=x, y=y: mean_squared_error(x, y)},
            "targets": simple,
        }
