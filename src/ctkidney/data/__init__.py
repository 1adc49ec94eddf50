"""Data: image and DICOM readers, the Kaggle layout, synthetic phantoms and
leakage-safe splits."""

from ctkidney.data._dataset import CLASSES, Dataset

__all__ = ["CLASSES", "Dataset"]
