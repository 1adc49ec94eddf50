"""Benchmarks of ctkidney.morphology: asv suites and the compare.py rows."""

import warnings

import numpy as np


def _image(size=512, seed=0):
    """A smooth uint8 'slice': blurred noise, so that grey levels vary like tissue."""
    import scipy.ndimage as ndi

    rng = np.random.default_rng(seed)
    noise = ndi.gaussian_filter(rng.normal(size=(size, size)), 4)
    noise = (noise - noise.min()) / np.ptp(noise)
    return (noise * 255).astype(np.uint8)


def _mask(size=512, seed=0):
    """Blobs with holes and specks: a threshold of the smooth image."""
    image = _image(size, seed)
    rng = np.random.default_rng(seed + 1)
    return (image > 140) ^ (rng.random(image.shape) < 0.02)


class GreyMorphology:
    """Greyscale erosion/dilation/opening on a 512x512 image, per dtype and
    footprint."""

    params = (["uint8", "int16", "float32"], ["square15", "disk7", "cross3"])
    param_names = ["dtype", "footprint"]

    def setup(self, dtype, footprint):
        from ctkidney import morphology as m

        self.image = _image().astype(dtype)
        self.footprint = {"square15": m.square(15), "disk7": m.disk(7),
                          "cross3": m.cross(3)}[footprint]
        m.dilation(self.image, self.footprint)
        m.erosion(self.image, self.footprint)

    def time_dilation(self, dtype, footprint):
        from ctkidney.morphology import dilation

        dilation(self.image, self.footprint)

    def time_erosion(self, dtype, footprint):
        from ctkidney.morphology import erosion

        erosion(self.image, self.footprint)

    def time_opening(self, dtype, footprint):
        from ctkidney.morphology import opening

        opening(self.image, self.footprint)

    def peakmem_dilation(self, dtype, footprint):
        from ctkidney.morphology import dilation

        dilation(self.image, self.footprint)


class NumbaPath:
    """The Numba kernels alone (used where OpenCV is not), 512x512 float64."""

    params = ["square15", "disk7"]
    param_names = ["footprint"]

    def setup(self, footprint):
        from ctkidney import morphology as m
        from ctkidney.morphology._footprints import normalize_footprint

        self.image = _image().astype(np.float64)
        self.footprint = normalize_footprint(
            m.square(15) if footprint == "square15" else m.disk(7))
        self.time_erosion(footprint)

    def time_erosion(self, footprint):
        from ctkidney.morphology._operators import _erode

        _erode(self.image, self.footprint, "numba")


class BinaryTools:
    """Mask tools on a 512x512 mask of blobs."""

    def setup(self):
        from ctkidney import morphology as m

        self.mask = _mask()
        self.image = _image()
        self.seed = np.clip(self.image.astype(np.int16) - 40, 0, 255).astype(np.uint8)
        self.disk5 = m.disk(5)
        for name in ("label", "fill_holes", "opening", "reconstruction",
                     "remove_small_objects", "skeletonize"):
            getattr(self, f"time_{name}")()

    def time_label(self):
        from ctkidney.morphology import label

        label(self.mask, connectivity=2)

    def time_fill_holes(self):
        from ctkidney.morphology import fill_holes

        fill_holes(self.mask)

    def time_opening(self):
        from ctkidney.morphology import opening

        opening(self.mask, self.disk5)

    def time_reconstruction(self):
        from ctkidney.morphology import reconstruction

        reconstruction(self.seed, self.image)

    def time_remove_small_objects(self):
        from ctkidney.morphology import remove_small_objects

        remove_small_objects(self.mask, 50)

    def time_skeletonize(self):
        from ctkidney.morphology import skeletonize

        skeletonize(self.mask)

    def peakmem_reconstruction(self):
        from ctkidney.morphology import reconstruction

        reconstruction(self.seed, self.image)


def compare_rows(size=512):
    """Rows for benchmarks/compare.py: ctkidney against OpenCV, scikit-image, SciPy
    (``size`` x ``size`` inputs; the rows' names say 512x512, the default)."""
    import cv2
    import scipy.ndimage as ndi
    import skimage.morphology as skm

    from ctkidney import morphology as m

    image = _image(size)
    mask = _mask(size)
    seed = np.clip(image.astype(np.int16) - 40, 0, 255).astype(np.uint8)

    def skimage_quiet(func, *args, **kwargs):
        # scikit-image 0.26 deprecates binary_*; the warning is not the benchmark.
        def call():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)
                return func(*args, **kwargs)
        return call

    for fp_name, fp, targets in (("square(15)", m.square(15), (0.5, 20.0)),
                                 ("disk(7)", m.disk(7), (1 / 3, 20.0))):
        kernel = fp.astype(np.uint8)
        for op, ours, cv, sk in (("dilation", m.dilation, cv2.dilate, skm.dilation),
                                 ("erosion", m.erosion, cv2.erode, skm.erosion)):
            yield {
                "name": f"{op} {fp_name} uint8 512x512",
                "ours": lambda ours=ours, fp=fp: ours(image, fp),
                "others": {
                    "OpenCV": lambda cv=cv, kernel=kernel: cv(image, kernel),
                    "scikit-image": lambda sk=sk, fp=fp: sk(image, fp, mode="ignore"),
                },
                "targets": {"OpenCV": targets[0], "scikit-image": targets[1]},
            }
    disk5 = m.disk(5)
    yield {
        "name": "binary opening disk(5) 512x512",
        "ours": lambda: m.opening(mask, disk5),
        "others": {"scikit-image": skimage_quiet(skm.binary_opening, mask, disk5),
                   "OpenCV": lambda: cv2.morphologyEx(mask.view(np.uint8), cv2.MORPH_OPEN,
                                                      disk5.view(np.uint8))},
        "targets": {"scikit-image": 20.0},
    }
    yield {
        "name": "reconstruction uint8 512x512",
        "ours": lambda: m.reconstruction(seed, image),
        "others": {"scikit-image": lambda: skm.reconstruction(seed, image)},
        "targets": {"scikit-image": 5.0},
    }
    for connectivity in (1, 2):
        structure = ndi.generate_binary_structure(2, connectivity)
        yield {
            "name": f"label connectivity={connectivity} 512x512",
            "ours": lambda c=connectivity: m.label(mask, connectivity=c),
            "others": {"SciPy": lambda s=structure: ndi.label(mask, s)},
            "targets": {"SciPy": 1.0},
        }
    yield {
        "name": "fill_holes 512x512",
        "ours": lambda: m.fill_holes(mask),
        "others": {"SciPy": lambda: ndi.binary_fill_holes(mask)},
        "targets": {"SciPy": 1.0},
    }
    # The Numba paths alone (the public functions call OpenCV where it is exact):
    # for information, no targets.
    from ctkidney.morphology._footprints import normalize_footprint
    from ctkidney.morphology._label import _label
    from ctkidney.morphology._operators import _erode

    for dtype in (np.uint8, np.float64):
        work = image.astype(dtype)
        for fp_name, fp in (("square(15)", m.square(15)), ("disk(7)", m.disk(7))):
            norm = normalize_footprint(fp)
            yield {
                "name": f"Numba erosion {fp_name} {np.dtype(dtype).name}",
                "ours": lambda work=work, norm=norm: _erode(work, norm, "numba"),
                "others": {"OpenCV": lambda work=work, fp=fp: cv2.erode(work, fp.view(np.uint8)),
                           "scikit-image": lambda work=work, fp=fp: skm.erosion(
                               work, fp, mode="ignore")},
                "targets": {},
            }
    yield {
        "name": "Numba label connectivity=1",
        "ours": lambda: _label(mask, 1, "numba"),
        "others": {"SciPy": lambda: ndi.label(mask)},
        "targets": {},
    }
