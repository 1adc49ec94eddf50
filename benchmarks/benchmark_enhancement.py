"""Benchmarks of ctkidney.enhancement (asv suites and compare.py rows), 512x512.

Targets (their time / ours): equalize_hist and clahe at most 2x OpenCV and at least
10x faster than scikit-image; convolve 5x5 and gaussian_filter no slower than
scipy.ndimage (OpenCV shown); lowpass/highpass at most 1.5x one numpy
fft2 + ifft2 round trip.
"""

import numpy as np

SHAPE = (512, 512)


def _images():
    rng = np.random.default_rng(0)
    # A CT-like slice: a smooth body with texture, in 8 bits.
    yy, xx = np.mgrid[-1:1:SHAPE[0] * 1j, -1:1:SHAPE[1] * 1j]
    body = 120 * (xx**2 / 0.8 + yy**2 / 0.5 < 1) + 40 * (xx**2 + yy**2 < 0.1)
    u8 = np.clip(body + rng.normal(0, 12, SHAPE), 0, 255).astype(np.uint8)
    return {"uint8": u8, "float32": u8.astype(np.float32), "float64": u8.astype(np.float64)}


KERNEL_5x5 = np.arange(25, dtype=np.float64).reshape(5, 5) / 300.0


class Histogram:
    params = ["uint8", "float32"]
    param_names = ["dtype"]

    def setup(self, dtype):
        from ctkidney.enhancement import clahe, equalize_hist, match_hist

        self.image = _images()[dtype]
        self.reference = self.image[::-1].copy()
        self.equalize_hist, self.clahe, self.match_hist = equalize_hist, clahe, match_hist
        equalize_hist(self.image)
        clahe(self.image)
        match_hist(self.image, self.reference)

    def time_equalize_hist(self, dtype):
        self.equalize_hist(self.image)

    def time_clahe(self, dtype):
        self.clahe(self.image)

    def time_match_hist(self, dtype):
        self.match_hist(self.image, self.reference)

    def peakmem_clahe(self, dtype):
        self.clahe(self.image)


class Spatial:
    params = (["uint8", "float32", "float64"], ["reflect", "wrap"])
    param_names = ["dtype", "mode"]

    def setup(self, dtype, mode):
        from ctkidney import enhancement

        self.enh = enhancement
        self.image = _images()[dtype]
        enhancement.convolve(self.image, KERNEL_5x5, mode=mode)

    def time_convolve_5x5(self, dtype, mode):
        self.enh.convolve(self.image, KERNEL_5x5, mode=mode)

    def time_gaussian_filter(self, dtype, mode):
        self.enh.gaussian_filter(self.image, 2.0, mode=mode)

    def time_mean_filter(self, dtype, mode):
        self.enh.mean_filter(self.image, 5, mode=mode)

    def time_laplacian(self, dtype, mode):
        self.enh.laplacian(self.image, mode=mode)

    def time_unsharp_mask(self, dtype, mode):
        self.enh.unsharp_mask(self.image, sigma=1.5, mode=mode)

    def peakmem_gaussian_filter(self, dtype, mode):
        self.enh.gaussian_filter(self.image, 2.0, mode=mode)


class Frequency:
    params = (["uint8", "float32", "float64"], ["gaussian", "ideal", "butterworth"])
    param_names = ["dtype", "kind"]

    def setup(self, dtype, kind):
        from ctkidney.enhancement import highpass, lowpass

        self.image = _images()[dtype]
        self.lowpass, self.highpass = lowpass, highpass
        lowpass(self.image, 0.1, kind=kind)
        highpass(self.image, 0.1, kind=kind)

    def time_lowpass(self, dtype, kind):
        self.lowpass(self.image, 0.1, kind=kind)

    def time_highpass(self, dtype, kind):
        self.highpass(self.image, 0.1, kind=kind)

    def peakmem_lowpass(self, dtype, kind):
        self.lowpass(self.image, 0.1, kind=kind)


class PointTransforms:
    def setup(self):
        from ctkidney import enhancement

        self.enh = enhancement
        self.hu = (_images()["float32"] * 8 - 1000).astype(np.int16)
        self.enh.window(self.hu, level=40, width=400)

    def time_window(self):
        self.enh.window(self.hu, level=40, width=400)

    def time_stretch_contrast(self):
        self.enh.stretch_contrast(self.hu)

    def time_gamma_correct(self):
        self.enh.gamma_correct(self.hu, 0.7)


def compare_rows():
    """Rows for benchmarks/compare.py: ctkidney against OpenCV, scikit-image, SciPy
    and NumPy on the same 512x512 inputs."""
    import cv2
    import scipy.ndimage as ndi
    from skimage import exposure

    from ctkidney import enhancement as enh

    images = _images()
    u8 = images["uint8"]
    opencv_clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))
    yield {"name": "equalize_hist 512x512 uint8",
           "ours": lambda: enh.equalize_hist(u8),
           "others": {"OpenCV": lambda: cv2.equalizeHist(u8),
                      "scikit-image": lambda: exposure.equalize_hist(u8)},
           "targets": {"OpenCV": 0.5, "scikit-image": 10.0}}
    yield {"name": "clahe 512x512 uint8",
           "ours": lambda: enh.clahe(u8, clip_limit=2.0, tile_grid=(8, 8)),
           "others": {"OpenCV": lambda: opencv_clahe.apply(u8),
                      "scikit-image": lambda: exposure.equalize_adapthist(u8)},
           "targets": {"OpenCV": 0.5, "scikit-image": 10.0}}
    for dtype in ("float32", "uint8"):
        image = images[dtype]
        kernel32 = KERNEL_5x5.astype(np.float32)
        yield {"name": f"convolve 5x5 512x512 {dtype}",
               "ours": lambda image=image: enh.convolve(image, KERNEL_5x5),
               "others": {
                   "scipy.ndimage": lambda image=image: ndi.convolve(
                       image, KERNEL_5x5, output=np.float32),
                   "OpenCV": lambda image=image, kernel32=kernel32: cv2.filter2D(
                       image, cv2.CV_32F, kernel32[::-1, ::-1], borderType=cv2.BORDER_REFLECT)},
               "targets": {"scipy.ndimage": 1.0}}
        yield {"name": f"gaussian_filter s=2 512x512 {dtype}",
               "ours": lambda image=image: enh.gaussian_filter(image, 2.0),
               "others": {
                   "scipy.ndimage": lambda image=image: ndi.gaussian_filter(image, 2.0),
                   "OpenCV": lambda image=image: cv2.GaussianBlur(
                       image, (17, 17), 2.0, borderType=cv2.BORDER_REFLECT)},
               "targets": {"scipy.ndimage": 1.0}}
    for dtype in ("float64", "float32"):
        image = images[dtype]
        round_trip = {"numpy fft2+ifft2": lambda image=image: np.fft.ifft2(np.fft.fft2(image))}
        for name, func in (("lowpass", enh.lowpass), ("highpass", enh.highpass)):
            yield {"name": f"{name} gaussian 512x512 {dtype}",
                   "ours": lambda image=image, func=func: func(image, 0.1),
                   "others": round_trip,
                   "targets": {"numpy fft2+ifft2": 1 / 1.5}}
