"""CNN and transfer-learning classifiers (TensorFlow/Keras, extra ``models``)."""

__all__ = []
