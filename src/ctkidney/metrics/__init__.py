"""Image-quality, segmentation and classification metrics.

Every metric returns a Python ``float``; :func:`classification_summary` returns a
:class:`ClassificationSummary`, :func:`accuracy_interval` an
:class:`AccuracyInterval`, :func:`object_detection` an :class:`ObjectDetection`.
Oracles in the tests: scikit-image for ``mse``, ``psnr``, ``ssim`` and
``entropy``; scikit-learn for the overlap scores and the classification summary;
slow references written in the tests for ``object_detection`` (pixel by pixel)
and ``accuracy_interval`` (sample by sample).
"""

from ctkidney.metrics._classification import (
    AccuracyInterval,
    ClassificationSummary,
    accuracy_interval,
    classification_summary,
)
from ctkidney.metrics._image_stats import contrast_to_noise, entropy
from ctkidney.metrics._objects import ObjectDetection, object_detection
from ctkidney.metrics._overlap import dice, iou, mean_iou
from ctkidney.metrics._quality import mse, psnr, ssim
from ctkidney.metrics._surface import hausdorff, surface_dice, volume_ml

__all__ = [
    "AccuracyInterval",
    "ClassificationSummary",
    "ObjectDetection",
    "accuracy_interval",
    "classification_summary",
    "contrast_to_noise",
    "dice",
    "entropy",
    "hausdorff",
    "iou",
    "mean_iou",
    "mse",
    "object_detection",
    "psnr",
    "ssim",
    "surface_dice",
    "volume_ml",
]
