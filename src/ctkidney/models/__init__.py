"""CNN and transfer-learning classifiers (TensorFlow/Keras, extra ``models``).

Importing this package does not import TensorFlow: each function imports it when
called, and without it raises an ImportError that says
``pip install "ctkidney[models]"``.
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
from ctkidney.models._gradcam import grad_cam
from ctkidney.models._io import load_model, save_model
from ctkidney.models._prepare import prepare
from ctkidney.models._train import AUGMENTATION, embed, evaluate, predict, train

__all__ = [
    "AUGMENTATION",
    "KINDS",
    "build_cnn",
    "build_head",
    "build_mobilenet",
    "build_vgg16",
    "build_vgg19",
    "embed",
    "evaluate",
    "grad_cam",
    "load_model",
    "predict",
    "prepare",
    "save_model",
    "train",
    "unfreeze",
]
