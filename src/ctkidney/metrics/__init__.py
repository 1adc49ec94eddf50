"""Image-quality, segmentation and classification metrics."""

__all__ = []
