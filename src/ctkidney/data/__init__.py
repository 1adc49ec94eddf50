"""Data: image and DICOM readers, the Kaggle layout, synthetic phantoms and
leakage-safe splits."""

from ctkidney.data._dataset import CLASSES, Dataset
from ctkidney.data._io import read_dicom, read_image, resize
from ctkidney.data._phantom import KAGGLE_COUNTS, Phantom, make_dataset, make_phantom

__all__ = [
    "CLASSES",
    "KAGGLE_COUNTS",
    "Dataset",
    "Phantom",
    "make_dataset",
    "make_phantom",
    "read_dicom",
    "read_image",
    "resize",
]
