"""Noise models, restoration filters, periodic-noise removal and deconvolution."""

__all__ = []
