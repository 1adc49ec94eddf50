"""HU windowing."""

from types import MappingProxyType

import numpy as np

from ctkidney._shared.validation import check_image, check_scalar, saturate
from ctkidney._shared.volume import check_ndim

__all__ = ["WINDOWS", "window"]

#: Common CT display windows, ``name -> (level, width)`` in Hounsfield units
#: (read-only): ``abdomen`` 40/400, ``soft_tissue`` 50/350, ``bone`` 400/1800 and
#: ``kidney_stone`` 300/1500 (calculi stand out from enhancing parenchyma).
WINDOWS = MappingProxyType({
    "abdomen": (40.0, 400.0),
    "soft_tissue": (50.0, 350.0),
    "bone": (400.0, 1800.0),
    "kidney_stone": (300.0, 1500.0),
})

_OUT_DTYPES = (np.uint8, np.uint16, np.float32, np.float64)


def window(image, *, level, width, out_dtype=np.uint8):
    """Map a CT window ``level ± width / 2`` onto the display range.

    Values at or below ``level - width/2`` become the lowest output value, values
    at or above ``level + width/2`` the highest, and values in between are mapped
    linearly.

    Parameters
    ----------
    image : (M, N) or (Z, Y, X) ndarray
        Hounsfield units (int16, float32 or float64) or any other supported
        grey-level dtype (uint8, uint16). Takes volumes (``Volume.hu``). Never
        modified.
    level : float
        Window centre, in the image's units (HU).
    width : float
        Window width, > 0.
    out_dtype : {numpy.uint8, numpy.uint16, numpy.float32, numpy.float64}, optional
        Output dtype. Integer outputs span their whole range (0..255 for uint8,
        0..65535 for uint16), rounded half to even; float outputs span ``[0, 1]``.
        Default uint8.

    Returns
    -------
    windowed : ndarray of ``out_dtype``
        The windowed image, clipped to the output range.

    Raises
    ------
    TypeError
        If ``image`` has an unsupported dtype, or ``out_dtype`` is not one of the
        four above.
    ValueError
        If ``image`` is not 2-D or 3-D, is empty or holds NaN/inf, or ``width <= 0``.

    See Also
    --------
    WINDOWS : preset ``(level, width)`` pairs.
    stretch_contrast : the same linear map, with ranges taken from percentiles.

    Notes
    -----
    With ``lo = level - width/2`` the map is ``(clip(x, lo, lo + width) - lo) /
    width`` scaled to the output range. This is the window of most viewers; the
    DICOM standard's variant (PS3.3 C.11.2.1.2) uses ``width - 1`` and differs by
    less than one grey level for clinical widths.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.enhancement import WINDOWS, window
    >>> hu = np.array([[-1000, -160, 40], [240, 1000, 3000]], dtype=np.int16)
    >>> window(hu, level=40, width=400)
    array([[  0,   0, 128],
           [255, 255, 255]], dtype=uint8)
    >>> level, width = WINDOWS["bone"]
    >>> window(hu, level=level, width=width, out_dtype=np.float32).round(3)
    array([[0.   , 0.189, 0.3  ],
           [0.411, 0.833, 1.   ]], dtype=float32)
    """
    image = check_ndim(check_image(image, ndim=None), "image")
    level = check_scalar(level, "level", finite=True)
    width = check_scalar(width, "width", low=0, low_open=True, finite=True)
    try:
        if out_dtype is None:  # np.dtype(None) is float64: refuse, do not guess
            raise TypeError
        out_dtype = np.dtype(out_dtype)
    except TypeError as exc:
        raise TypeError(f"out_dtype must be a NumPy dtype, got {out_dtype!r}") from exc
    if out_dtype not in tuple(np.dtype(d) for d in _OUT_DTYPES):
        raise TypeError(f"out_dtype must be uint8, uint16, float32 or float64, got {out_dtype}")
    low = level - width / 2.0
    scaled = (image.astype(np.float64) - low) / width
    np.clip(scaled, 0.0, 1.0, out=scaled)
    if out_dtype.kind == "f":
        return scaled.astype(out_dtype, copy=False)
    scaled *= np.iinfo(out_dtype).max
    return saturate(scaled, out_dtype)
