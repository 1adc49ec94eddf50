"""The default output range shared by the enhancement intensity mappings."""

from ctkidney._shared.validation import dtype_range

__all__ = ["output_range"]


def output_range(image):
    """Default output range of an intensity mapping.

    Unsigned integers (8- and 16-bit grey levels) fill their whole dtype range, as
    OpenCV does; int16 and float images carry physical units (HU), so their output
    stays in their own data range ``[min, max]``.
    """
    if image.dtype.kind == "u":
        return tuple(float(v) for v in dtype_range(image.dtype))
    return float(image.min()), float(image.max())
