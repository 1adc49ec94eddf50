"""The common arguments of restoration's window filters.

Borders (the ``mode`` table, padding, cropping) are :mod:`ctkidney._shared.border`'s.
"""

from ctkidney._shared.border import check_border
from ctkidney._shared.validation import check_image, check_size

__all__ = ["check_window"]


def check_window(image, size, mode, cval, *, name="size"):
    """Validate the common arguments of a window filter.

    Returns ``(image, (rows, cols), mode, cval)``. A window side may not exceed
    ``2 * side + 1`` of the image: a larger window only sees more copies of the
    extended border, which is almost surely a mistake.
    """
    image = check_image(image)
    size = check_size(size, name)
    for s, n, axis in zip(size, image.shape, ("rows", "cols")):
        if s > 2 * n + 1:
            raise ValueError(
                f"{name} must be at most 2 * image {axis} + 1 = {2 * n + 1}, got {s}"
            )
    mode, cval = check_border(mode, cval)
    return image, size, mode, cval
