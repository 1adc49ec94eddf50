"""Segmentation: threshold, k-means, region growing, watershed, edges, and kidney/lesion recipes."""

__all__ = []
