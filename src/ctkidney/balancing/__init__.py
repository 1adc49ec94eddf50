"""Class balancing for image datasets: SMOTE and friends on pixels or embeddings, and
class weights."""

from ctkidney._shared.deprecation import deprecated_aliases
from ctkidney.balancing._oversample import OVERSAMPLING_METHODS, class_weights, oversample, smote

__all__ = ["OVERSAMPLING_METHODS", "class_weights", "oversample", "smote"]

# ``METHODS`` meant different things here and in ``segmentation``: renamed, kept as an alias.
__getattr__ = deprecated_aliases(__name__, {"METHODS": ("OVERSAMPLING_METHODS",
                                                        OVERSAMPLING_METHODS)})
