"""Class balancing for image datasets: SMOTE and friends on pixels or embeddings, and class weights."""

__all__ = []
