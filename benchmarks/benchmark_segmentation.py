"""Segmentation speed: asv suites and the rows of ``benchmarks/compare.py``.

Inputs are 512x512 phantom slices built in ``setup``/``compare_rows`` (never at
import time). ``setup`` calls each function once so that the JIT is warm.
"""

import numpy as np


def _slice(label="Stone", seed=0):
    from ctkidney.data import make_phantom

    return make_phantom(label, size=512, rng=seed)


def _inputs():
    from ctkidney.segmentation import sobel

    phantom = _slice()
    image = phantom.image
    gradient = sobel(image)
    gradient_u8 = np.clip(gradient / 4, 0, 255).astype(np.uint8)
    rng = np.random.default_rng(0)
    markers = np.zeros(image.shape, np.int32)
    rows, cols = rng.integers(0, 512, (2, 60))
    markers[rows, cols] = np.arange(1, 61)
    body = image > 20
    seed = (int(np.argwhere(body)[len(np.argwhere(body)) // 2][0]),
            int(np.argwhere(body)[len(np.argwhere(body)) // 2][1]))
    return {"image": image, "gradient": gradient, "gradient_u8": gradient_u8,
            "markers": markers, "mask": phantom.kidney_mask | (image > 128), "seed": seed,
            "hu": phantom.hu}


class Threshold:
    def setup(self):
        from ctkidney.segmentation import threshold_local, threshold_otsu

        self.x = _inputs()
        self.otsu, self.local = threshold_otsu, threshold_local
        self.otsu(self.x["image"])

    def time_otsu(self):
        self.otsu(self.x["image"])

    def time_local_mean(self):
        self.local(self.x["image"], 35)


class KMeans:
    params = ["uint8", "float32"]
    param_names = ["dtype"]

    def setup(self, dtype):
        from ctkidney.segmentation import kmeans

        x = _inputs()
        self.image = x["image"] if dtype == "uint8" else x["hu"]
        self.kmeans = kmeans
        kmeans(self.image, 3, rng=0)

    def time_kmeans(self, dtype):
        self.kmeans(self.image, 3, rng=0)

    def peakmem_kmeans(self, dtype):
        self.kmeans(self.image, 3, rng=0)


class RegionGrow:
    def setup(self):
        from ctkidney.segmentation import region_grow

        self.x = _inputs()
        self.region_grow = region_grow
        region_grow(self.x["image"], self.x["seed"], tolerance=40)

    def time_fixed(self):
        self.region_grow(self.x["image"], self.x["seed"], tolerance=40)

    def time_confidence(self):
        self.region_grow(self.x["image"], self.x["seed"], method="confidence")


class Watershed:
    params = ["uint8", "float32"]
    param_names = ["dtype"]

    def setup(self, dtype):
        from ctkidney.segmentation import watershed

        x = _inputs()
        self.image = x["gradient_u8"] if dtype == "uint8" else x["gradient"]
        self.markers = x["markers"]
        self.watershed = watershed
        watershed(self.image, self.markers)

    def time_watershed(self, dtype):
        self.watershed(self.image, self.markers)

    def peakmem_watershed(self, dtype):
        self.watershed(self.image, self.markers)


class Distance:
    def setup(self):
        from ctkidney.segmentation import distance_transform, watershed_markers

        self.mask = _inputs()["mask"]
        self.distance_transform, self.markers = distance_transform, watershed_markers
        distance_transform(self.mask)

    def time_distance_transform(self):
        self.distance_transform(self.mask)

    def time_watershed_markers(self):
        self.markers(self.mask, min_distance=5)


class Edges:
    def setup(self):
        from ctkidney.segmentation import canny, edge_segment, sobel

        self.image = _inputs()["image"]
        self.canny, self.sobel, self.edge_segment = canny, sobel, edge_segment
        canny(self.image)

    def time_sobel(self):
        self.sobel(self.image)

    def time_canny(self):
        self.canny(self.image, sigma=1.0, low=20, high=50)

    def time_edge_segment(self):
        self.edge_segment(self.image)


class Recipes:
    timeout = 120

    def setup(self):
        from ctkidney.segmentation import segment_kidney, segment_lesion

        self.image = _slice("Cyst", 1).image
        self.kidney, self.lesion = segment_kidney, segment_lesion
        segment_lesion(self.image, "Cyst")

    def time_segment_kidney(self):
        self.kidney(self.image)

    def time_segment_lesion(self):
        self.lesion(self.image, "Cyst")


def compare_rows():
    import cv2
    from skimage import feature, segmentation

    from ctkidney.segmentation import (
        canny,
        distance_transform,
        kmeans,
        region_grow,
        watershed,
    )

    x = _inputs()
    image = x["image"]
    pixels = image.reshape(-1, 1).astype(np.float32)
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 100, 1e-4)
    yield {
        "name": "kmeans k=3 512x512 uint8",
        "ours": lambda: kmeans(image, 3, rng=0),
        "others": {"OpenCV": lambda: cv2.kmeans(pixels, 3, None, criteria, 10,
                                                cv2.KMEANS_PP_CENTERS)},
        "targets": {"OpenCV": 20.0},
    }
    gradient, gradient_u8, markers = x["gradient"], x["gradient_u8"], x["markers"]
    yield {
        "name": "watershed 60 markers 512x512 float32",
        "ours": lambda: watershed(gradient, markers),
        "others": {"scikit-image": lambda: segmentation.watershed(gradient, markers)},
        "targets": {"scikit-image": 2.0},
    }
    colour = cv2.cvtColor(gradient_u8, cv2.COLOR_GRAY2BGR)
    yield {
        "name": "watershed 60 markers 512x512 uint8",
        "ours": lambda: watershed(gradient_u8, markers),
        "others": {"OpenCV": lambda: cv2.watershed(colour, markers.copy()),
                   "scikit-image": lambda: segmentation.watershed(gradient_u8, markers)},
        "targets": {"OpenCV": 1.0, "scikit-image": 2.0},
    }
    seed = x["seed"]
    yield {
        "name": "region_grow tol=40 512x512 uint8",
        "ours": lambda: region_grow(image, seed, tolerance=40),
        "others": {"scikit-image": lambda: segmentation.flood(image, seed, tolerance=40,
                                                              connectivity=1)},
        "targets": {"scikit-image": 1.0},
    }
    yield {
        "name": "canny sigma=1 512x512 uint8",
        "ours": lambda: canny(image, sigma=1.0, low=20, high=50),
        # Same work: OpenCV's Canny does not smooth, so the blur is part of the call.
        "others": {"OpenCV": lambda: cv2.Canny(cv2.GaussianBlur(image, (9, 9), 1.0), 20, 50,
                                               L2gradient=True),
                   "scikit-image": lambda: feature.canny(image, 1.0, 20, 50)},
        "targets": {"OpenCV": 1 / 3, "scikit-image": 2.0},
    }
    mask = x["mask"]
    mask_u8 = mask.astype(np.uint8)
    yield {
        "name": "distance_transform 512x512",
        "ours": lambda: distance_transform(mask),
        "others": {"OpenCV": lambda: cv2.distanceTransform(mask_u8, cv2.DIST_L2,
                                                           cv2.DIST_MASK_PRECISE),
                   "SciPy": lambda: __import__("scipy.ndimage").ndimage.distance_transform_edt(
                       mask)},
        "targets": {"OpenCV": 1 / 3, "SciPy": 2.0},
    }
