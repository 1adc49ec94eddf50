"""Image enhancement: HU windowing, histogram, spatial and frequency-domain filters."""

__all__ = []
