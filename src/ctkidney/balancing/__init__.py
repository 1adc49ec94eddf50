"""Class balancing for image datasets: SMOTE and friends on pixels or embeddings, and
class weights."""

from ctkidney.balancing._oversample import METHODS, class_weights, oversample, smote

__all__ = ["METHODS", "class_weights", "oversample", "smote"]
