"""Data: image and DICOM readers, the Kaggle layout, synthetic phantoms and
leakage-safe splits."""

from ctkidney.data._dataset import CLASSES, Dataset
from ctkidney.data._io import read_dicom, read_image, resize
from ctkidney.data._anatomy import PHANTOM_TUNABLES, PHASES
from ctkidney.data._kaggle import CSV_NAME, DATASET_DIR, load_dataset, save_dataset
from ctkidney.data._phantom import KAGGLE_COUNTS, Phantom, make_dataset, make_phantom
from ctkidney.data._patient import (ACQUISITION_TUNABLES, PHANTOM_VERSION, Patient,
                                    make_patient)
from ctkidney.data._split import DUPLICATE_THRESHOLD, group_near_duplicates, split, thumbnails

__all__ = [
    "ACQUISITION_TUNABLES",
    "CLASSES",
    "CSV_NAME",
    "DATASET_DIR",
    "DUPLICATE_THRESHOLD",
    "KAGGLE_COUNTS",
    "PHANTOM_TUNABLES",
    "PHANTOM_VERSION",
    "PHASES",
    "Dataset",
    "Patient",
    "Phantom",
    "group_near_duplicates",
    "load_dataset",
    "make_dataset",
    "make_patient",
    "make_phantom",
    "read_dicom",
    "read_image",
    "resize",
    "save_dataset",
    "split",
    "thumbnails",
]
