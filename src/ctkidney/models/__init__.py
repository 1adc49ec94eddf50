"""CT slice classifiers: the recommended feature model (no network), CNNs and
transfer-learning models (TensorFlow/Keras, extra ``models``).

Importing this package does not import TensorFlow: each network function imports it
when called, and without it raises an ImportError that says
``pip install "ctkidney[models]"``. The shortcut audit (:func:`shortcut_baseline`),
the slice helpers (:func:`kidney_region`, :func:`standardize_slice`,
:func:`random_window`, :func:`slice_features`) and
``SliceClassifier()`` (the default ``model="recommended"``) need no TensorFlow at
all.
"""

from ctkidney.models._backend import KINDS
from ctkidney.models._build import (
    build_cnn,
    build_head,
    build_mobilenet,
    build_vgg16,
    build_vgg19,
    unfreeze,
)
from ctkidney.models._classifier import CLASSIFIER_DEFAULTS, SliceClassifier
from ctkidney.models._features import FEATURE_MODEL, SLICE_FEATURES, slice_features
from ctkidney.models._gradcam import grad_cam
from ctkidney.models._io import load_model, save_model
from ctkidney.models._prepare import prepare
from ctkidney.models._shortcut import (
    SHORTCUT_BINS,
    ShortcutSummary,
    histogram_features,
    shortcut_baseline,
)
from ctkidney.models._slices import (
    KIDNEY_REGION,
    WINDOW_JITTER,
    kidney_region,
    random_window,
    standardize_slice,
)
from ctkidney.models._train import AUGMENTATION, embed, evaluate, predict, train

__all__ = [
    "AUGMENTATION",
    "CLASSIFIER_DEFAULTS",
    "FEATURE_MODEL",
    "KIDNEY_REGION",
    "KINDS",
    "SHORTCUT_BINS",
    "SLICE_FEATURES",
    "WINDOW_JITTER",
    "ShortcutSummary",
    "SliceClassifier",
    "build_cnn",
    "build_head",
    "build_mobilenet",
    "build_vgg16",
    "build_vgg19",
    "embed",
    "evaluate",
    "grad_cam",
    "histogram_features",
    "kidney_region",
    "load_model",
    "predict",
    "prepare",
    "random_window",
    "save_model",
    "shortcut_baseline",
    "slice_features",
    "standardize_slice",
    "train",
    "unfreeze",
]
