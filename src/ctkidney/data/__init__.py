"""Data: image and DICOM readers, the Kaggle layout, synthetic phantoms and
leakage-safe splits."""

from ctkidney.data._anatomy import PHANTOM_TUNABLES, PHASES
from ctkidney.data._dataset import CLASSES, Dataset
from ctkidney.data._io import read_dicom, read_image, resize
from ctkidney.data._kaggle import CSV_NAME, DATASET_DIR, load_dataset, save_dataset
from ctkidney.data._orientation import ORIENTATIONS, body_mask, orientation
from ctkidney.data._patient import (
    ACQUISITION_TUNABLES,
    PHANTOM_VERSION,
    Patient,
    make_patient,
)
from ctkidney.data._phantom import KAGGLE_COUNTS, Phantom, make_dataset, make_phantom
from ctkidney.data._series import (
    DUPLICATE_TOLERANCE_MM,
    GAP_TOLERANCE_FRACTION,
    OBLIQUE_TOLERANCE_DEG,
    read_series,
)
from ctkidney.data._split import DUPLICATE_THRESHOLD, group_near_duplicates, split, thumbnails
from ctkidney.data._volume import Volume, read_nifti, write_nifti

__all__ = [
    "ACQUISITION_TUNABLES",
    "CLASSES",
    "CSV_NAME",
    "DATASET_DIR",
    "DUPLICATE_THRESHOLD",
    "DUPLICATE_TOLERANCE_MM",
    "GAP_TOLERANCE_FRACTION",
    "KAGGLE_COUNTS",
    "OBLIQUE_TOLERANCE_DEG",
    "ORIENTATIONS",
    "PHANTOM_TUNABLES",
    "PHANTOM_VERSION",
    "PHASES",
    "Dataset",
    "Patient",
    "Phantom",
    "Volume",
    "body_mask",
    "group_near_duplicates",
    "load_dataset",
    "make_dataset",
    "make_patient",
    "make_phantom",
    "orientation",
    "read_dicom",
    "read_image",
    "read_nifti",
    "read_series",
    "resize",
    "save_dataset",
    "split",
    "thumbnails",
    "write_nifti",
]
