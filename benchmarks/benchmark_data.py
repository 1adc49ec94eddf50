"""Benchmarks of ctkidney.data: phantoms, readers, the Kaggle loader and the
near-duplicate grouping. Inputs are built in ``setup`` (asv) or ``compare_rows``."""

import atexit
import shutil
import tempfile
from pathlib import Path

import numpy as np


def _jpeg_file(folder, size=512):
    import cv2

    from ctkidney.data import make_phantom

    path = Path(folder) / "Cyst- (1).jpg"
    image = make_phantom("Cyst", size=size, rng=0).image
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 95])
    buf.tofile(path)
    return path


class Phantom:
    """One synthetic slice of each class (the issue's bar: <= 20 ms each at 256 px)."""

    params = [128, 256, 512]
    param_names = ["size"]

    def setup(self, size):
        from ctkidney.data import make_phantom

        self.make_phantom = make_phantom
        make_phantom("Tumor", size=size, rng=0)

    def time_make_phantom(self, size):
        for label in range(4):
            self.make_phantom(label, size=size, rng=label)

    def peakmem_make_phantom(self, size):
        self.make_phantom("Tumor", size=size, rng=1)


class MakePatient:
    """One synthetic 3-D patient (the issue's bar: 256 x 256 x 64 in <= 1 s)."""

    timeout = 120
    # One parameter, "size x size x slices" (a list of tuples would be read by asv
    # as two parameter axes).
    params = ["128x128x32", "256x256x64"]
    param_names = ["shape"]

    def setup(self, shape):
        from ctkidney.data import make_patient

        self.make_patient = make_patient
        size, _, slices = (int(n) for n in shape.split("x"))
        self.size, self.slices = size, slices
        make_patient("Tumor", size=64, n_slices=4, rng=0)  # compile the paint kernels

    def time_make_patient(self, shape):
        self.make_patient("Tumor", size=self.size, n_slices=self.slices, rng=0)

    def peakmem_make_patient(self, shape):
        self.make_patient("Cyst", size=self.size, n_slices=self.slices, rng=1)


class MakeDataset:
    """The quick study's dataset: 12 slices per class at 128 x 128."""

    timeout = 120

    def setup(self):
        from ctkidney.data import make_dataset

        self.make_dataset = make_dataset

    def time_make_dataset_quick(self):
        self.make_dataset(12, size=128, rng=0)


class ReadImage:
    """Readers on one 512 x 512 slice."""

    def setup(self):
        import cv2
        from pydicom.data import get_testdata_file

        from ctkidney.data import read_dicom, read_image

        self.tmp = tempfile.mkdtemp()
        self.jpeg = _jpeg_file(self.tmp)
        self.png16 = Path(self.tmp) / "slice16.png"
        image = np.random.default_rng(0).integers(0, 4096, (512, 512), dtype=np.uint16)
        cv2.imencode(".png", image)[1].tofile(self.png16)
        self.dicom = get_testdata_file("CT_small.dcm")
        self.read_image, self.read_dicom = read_image, read_dicom
        read_image(self.jpeg)

    def teardown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def time_read_image_jpeg(self):
        self.read_image(self.jpeg)

    def time_read_image_png16(self):
        self.read_image(self.png16)

    def time_read_dicom(self):
        self.read_dicom(self.dicom)


class LoadDataset:
    """load_dataset on a Kaggle layout of 400 slices (header verification)."""

    timeout = 120

    def setup(self):
        from ctkidney.data import load_dataset, make_dataset, save_dataset

        self.tmp = tempfile.mkdtemp()
        save_dataset(make_dataset(100, size=64, rng=0), self.tmp)
        self.load_dataset = load_dataset

    def teardown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def time_load_dataset(self):
        self.load_dataset(self.tmp)

    def time_load_dataset_decode(self):
        self.load_dataset(self.tmp, verify="decode")


class NearDuplicates:
    """group_near_duplicates: 200 slices of 512 x 512 (thumbnails + linking: 20
    series of 10 re-noised copies), and 12,000 ready-made 16 x 16 thumbnails (the
    linking alone, Kaggle-sized)."""

    timeout = 300

    def setup(self):
        from ctkidney.data import group_near_duplicates, make_phantom

        rng = np.random.default_rng(0)
        self.slices = np.empty((200, 512, 512), np.uint8)
        for i in range(20):
            base = make_phantom(i % 4, size=512, rng=i).image.astype(np.int16)
            for k in range(10):
                noise = rng.integers(-4, 5, base.shape, dtype=np.int16)
                self.slices[10 * i + k] = np.clip(base + noise, 0, 255)
        self.small = rng.integers(0, 256, (12000, 16, 16), dtype=np.uint8)
        self.group = group_near_duplicates
        group_near_duplicates(self.slices[:10])

    def time_group_200_slices_512(self):
        self.group(self.slices)

    def time_group_12000_thumbnails(self):
        self.group(self.small)

    def peakmem_group_12000_thumbnails(self):
        self.group(self.small)


def compare_rows():
    """read_image vs cv2.imread on a 512 x 512 JPEG (the same decoder: the row checks
    that reading bytes with NumPy for non-ASCII paths costs nothing), and read_dicom
    vs pydicom with the rescale done by hand."""
    import cv2
    import pydicom
    from pydicom.data import get_testdata_file

    from ctkidney.data import read_dicom, read_image

    tmp = tempfile.mkdtemp()
    atexit.register(shutil.rmtree, tmp, True)  # rows are timed after this generator ends
    jpeg = _jpeg_file(tmp)
    yield {"name": "read_image 512x512 JPEG",
           "ours": lambda: read_image(jpeg),
           "others": {"OpenCV": lambda: cv2.imread(str(jpeg), cv2.IMREAD_UNCHANGED)},
           "targets": {"OpenCV": 0.8}}

    dicom = get_testdata_file("CT_small.dcm")

    def by_hand():
        ds = pydicom.dcmread(dicom)
        return (ds.pixel_array * int(ds.RescaleSlope) + int(ds.RescaleIntercept)).astype(np.int16)

    yield {"name": "read_dicom CT_small 128x128",
           "ours": lambda: read_dicom(dicom),
           "others": {"pydicom": by_hand},
           "targets": {"pydicom": 0.8}}
