"""Import optional heavy dependencies only where they are needed."""

import importlib

__all__ = ["optional_import"]

_EXTRA_OF = {
    "tensorflow": "models",
    "keras": "models",
    "dask": "dask",
    "distributed": "dask",
}


def optional_import(name, *, extra=None):
    """Import and return module ``name``, or raise an ImportError that says how to
    install it.

    Parameters
    ----------
    name : str
        Module name, e.g. ``"tensorflow"`` or ``"dask.distributed"``.
    extra : str, optional
        The ctkidney extra that provides it. Guessed from the top-level name.
    """
    top = name.split(".")[0]
    extra = extra or _EXTRA_OF.get(top, "all")
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ImportError(
            f"{name} is required for this function but could not be imported "
            f"({exc}). Install it with: pip install \"ctkidney[{extra}]\""
        ) from exc
