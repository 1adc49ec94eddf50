"""Binary and greyscale mathematical morphology."""

__all__ = []
