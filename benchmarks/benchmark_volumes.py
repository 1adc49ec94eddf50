"""Benchmarks of ctkidney on CT volumes (data, morphology, restoration, enhancement,
segmentation and metrics in 3-D): asv suites and the compare.py rows.

The rows use a 96 x 256 x 256 volume with 3 x 0.8 x 0.8 mm voxels, the size of the
anchors in issue 16, and compare with SciPy, scikit-image, SimpleITK (dev extra),
connected-components-3d and edt.
"""

import atexit
import shutil
import tempfile
from pathlib import Path

import numpy as np

SHAPE = (96, 256, 256)
SPACING = (3.0, 0.8, 0.8)


def _volume(shape=SHAPE, seed=0):
    """A smooth uint8 volume: blurred noise, grey levels that vary like tissue."""
    import scipy.ndimage as ndi

    rng = np.random.default_rng(seed)
    noise = ndi.gaussian_filter(rng.normal(size=shape).astype(np.float32), 2)
    noise = (noise - noise.min()) / np.ptp(noise)
    return (noise * 255).astype(np.uint8)


def _organs(shape=SHAPE):
    """Two overlapping kidney-sized ellipsoids (truth, prediction) in the volume."""
    grids = np.ogrid[tuple(slice(0, n) for n in shape)]
    scale = np.asarray(shape) / np.asarray(SHAPE)

    def ellipsoid(centre, radii):
        return sum(((g - c * s) / (r * s)) ** 2
                   for g, c, r, s in zip(grids, centre, radii, scale)) <= 1

    return (ellipsoid((48, 128, 100), (30, 60, 45)),
            ellipsoid((50, 131, 104), (28, 58, 47)))


def _write_series(folder, n_slices, size):
    """``n_slices`` uncompressed CT slices of ``size`` x ``size`` int16, 2.5 mm apart."""
    import pydicom
    from pydicom.data import get_testdata_file
    from pydicom.uid import generate_uid

    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.SeriesInstanceUID = generate_uid()
    ds.Rows = ds.Columns = size
    rng = np.random.default_rng(0)
    for k in range(n_slices):
        ds.PixelData = rng.integers(0, 2000, (size, size)).astype(np.int16).tobytes()
        ds.ImagePositionPatient = [0.0, 0.0, -2.5 * k]
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.SOPInstanceUID = generate_uid()
        ds.save_as(Path(folder) / f"IM{k:04d}.dcm")
    return sorted(Path(folder).iterdir())


class VolumeMorphology:
    """3-D morphology with ball(2) and labelling on a 48 x 128 x 128 volume."""

    def setup(self):
        from ctkidney import morphology as m

        self.image = _volume((48, 128, 128))
        self.mask = self.image > 128
        self.footprint = m.ball(2)
        m.dilation(self.image, self.footprint)
        m.label(self.mask, connectivity=3)

    def time_grey_dilation_ball2(self):
        from ctkidney.morphology import dilation

        dilation(self.image, self.footprint)

    def time_binary_erosion_ball2(self):
        from ctkidney.morphology import erosion

        erosion(self.mask, self.footprint)

    def time_label_26(self):
        from ctkidney.morphology import label

        label(self.mask, connectivity=3)


class VolumeFilters:
    """Median 3x3x3, Gaussian and the distance transform on a 48 x 128 x 128 volume."""

    def setup(self):
        from ctkidney.enhancement import gaussian_filter
        from ctkidney.restoration import median_filter

        self.image = _volume((48, 128, 128))
        self.mask = self.image > 128
        median_filter(self.image, 3)
        gaussian_filter(self.image.astype(np.float32), 2.0)

    def time_median_3x3x3(self):
        from ctkidney.restoration import median_filter

        median_filter(self.image, 3)

    def time_gaussian(self):
        from ctkidney.enhancement import gaussian_filter

        gaussian_filter(self.image.astype(np.float32), 2.0, spacing=SPACING)

    def time_distance_transform(self):
        from ctkidney.segmentation import distance_transform

        distance_transform(self.mask, spacing=SPACING)


class VolumeMetrics:
    """HD95 and surface Dice of two ellipsoids in a 48 x 128 x 128 volume."""

    def setup(self):
        self.truth, self.pred = _organs((48, 128, 128))

    def time_hausdorff95(self):
        from ctkidney.metrics import hausdorff

        hausdorff(self.truth, self.pred, spacing=SPACING)

    def time_surface_dice(self):
        from ctkidney.metrics import surface_dice

        surface_dice(self.truth, self.pred, tolerance=2.0, spacing=SPACING)


def compare_rows(shape=SHAPE, n_slices=100, slice_size=512):
    """Rows for benchmarks/compare.py (the names give the default sizes)."""
    import cc3d
    import edt
    import scipy.ndimage as ndi
    import skimage.morphology as skm

    from ctkidney import data, enhancement, metrics, morphology, restoration, segmentation

    try:
        import SimpleITK as sitk
    except ImportError:  # dev extra
        sitk = None
    image = _volume(shape)
    mask = image > 128
    smooth = image.astype(np.float32)
    fp = morphology.ball(2)
    truth, pred = _organs(shape)

    for op, ours, sp, sk in (("dilation", morphology.dilation, ndi.grey_dilation, skm.dilation),
                             ("erosion", morphology.erosion, ndi.grey_erosion, skm.erosion)):
        yield {"name": f"{op} ball(2) uint8 96x256x256",
               "ours": lambda ours=ours: ours(image, fp),
               "others": {"SciPy": lambda sp=sp: sp(image, footprint=fp),
                          "scikit-image": lambda sk=sk: sk(image, fp)},
               "targets": {"SciPy": 3.0}}
    for op, ours, sp in (("dilation", morphology.dilation, ndi.binary_dilation),
                         ("erosion", morphology.erosion, ndi.binary_erosion)):
        yield {"name": f"binary {op} ball(2) 96x256x256",
               "ours": lambda ours=ours: ours(mask, fp),
               "others": {"SciPy": lambda sp=sp, op=op: sp(mask, fp,
                                                      border_value=op == "erosion")},
               "targets": {"SciPy": 3.0}}
    yield {"name": "label 26-connected 96x256x256",
           "ours": lambda: morphology.label(mask, connectivity=3),
           "others": {"cc3d": lambda: cc3d.connected_components(mask, connectivity=26),
                      "SciPy": lambda: ndi.label(mask, np.ones((3, 3, 3)))},
           "targets": {"cc3d": 1 / 1.5}}
    others = {"edt": lambda: edt.edt(mask, anisotropy=SPACING, parallel=1),
              "SciPy": lambda: ndi.distance_transform_edt(mask, sampling=SPACING)}
    if sitk is not None:
        itk_mask = sitk.GetImageFromArray(mask.astype(np.uint8))
        itk_mask.SetSpacing(SPACING[::-1])
        others["SimpleITK"] = lambda: sitk.SignedMaurerDistanceMap(
            itk_mask, insideIsPositive=True, squaredDistance=False, useImageSpacing=True)
    yield {"name": "distance_transform (3, .8, .8) mm 96x256x256",
           "ours": lambda: segmentation.distance_transform(mask, spacing=SPACING),
           "others": others, "targets": {"edt": 1 / 1.2}}
    yield {"name": "gaussian sigma=2 float32 96x256x256",
           "ours": lambda: enhancement.gaussian_filter(smooth, 2.0),
           "others": {"SciPy": lambda: ndi.gaussian_filter(smooth, 2.0)},
           "targets": {"SciPy": 1.0}}
    yield {"name": "median 3x3x3 uint8 96x256x256",
           "ours": lambda: restoration.median_filter(image, 3),
           "others": {"SciPy": lambda: ndi.median_filter(image, 3)},
           "targets": {"SciPy": 10.0}}
    if sitk is not None:
        images = []
        for m in (truth, pred):
            itk = sitk.GetImageFromArray(m.astype(np.uint8))
            itk.SetSpacing(SPACING[::-1])
            images.append(itk)
        hd_filter = sitk.HausdorffDistanceImageFilter()
        for name, ours in (
                ("hausdorff HD95", lambda: metrics.hausdorff(truth, pred, spacing=SPACING)),
                ("surface_dice 2 mm", lambda: metrics.surface_dice(truth, pred, tolerance=2.0,
                                                                   spacing=SPACING))):
            yield {"name": f"{name} 96x256x256",
                   "ours": ours,
                   "others": {"SimpleITK": lambda: hd_filter.Execute(*images)},
                   "targets": {"SimpleITK": 5.0}}
    folder = tempfile.mkdtemp(prefix="ctkidney-series-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    files = _write_series(folder, n_slices, slice_size)

    def pydicom_loop():
        import pydicom

        return np.stack([pydicom.dcmread(f).pixel_array for f in files])

    yield {"name": f"read_series {n_slices} x {slice_size}x{slice_size} int16",
           "ours": lambda: data.read_series(folder),
           "others": {"pydicom + np.stack": pydicom_loop},
           "targets": {"pydicom + np.stack": 1.0}}
