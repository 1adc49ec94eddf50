"""Saving and loading models in the ``.keras`` format."""

import os
from pathlib import Path

from ctkidney.models._backend import import_keras
from ctkidney.models._prepare import check_model

__all__ = ["load_model", "save_model"]


def _check_path(path):
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a path, got {path!r}")
    path = Path(path)
    if path.suffix != ".keras":
        raise ValueError(f"path must end with .keras, got {str(path)!r}")
    return path


def save_model(model, path):
    """Save a model (architecture, weights, optimizer state) as a ``.keras`` file.

    Parameters
    ----------
    model : keras.Model
        The model to save.
    path : path-like
        File name ending with ``.keras``; an existing file is replaced.

    Returns
    -------
    path : pathlib.Path
        Where the model was written.

    Raises
    ------
    ImportError
        Without TensorFlow.
    TypeError, ValueError
        For a path that is not a path or does not end with ``.keras``.

    See Also
    --------
    load_model : Read the model back.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ctkidney.models import build_cnn, load_model, save_model
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = save_model(build_cnn((16, 16, 3)), pathlib.Path(tmp) / "cnn.keras")
    ...     load_model(path).name
    'ctkidney_cnn'
    """
    keras = import_keras()
    check_model(model)
    path = _check_path(path)
    keras.saving.save_model(model, path)
    return path


def load_model(path, *, compile=True):
    """Load a ``.keras`` model with Keras's safe mode on.

    Safe mode refuses files that would run arbitrary Python code (``Lambda``
    layers with pickled functions), so a model file from elsewhere cannot run
    code on your machine. Every model of :mod:`ctkidney.models` loads in safe mode.

    Parameters
    ----------
    path : path-like
        A ``.keras`` file.
    compile : bool, optional
        Restore the optimizer and loss as saved. Default True.

    Returns
    -------
    model : keras.Model

    Raises
    ------
    ImportError
        Without TensorFlow.
    FileNotFoundError
        When ``path`` does not exist.
    ValueError
        For a path that does not end with ``.keras``, or a file that needs unsafe
        deserialisation.

    See Also
    --------
    save_model : Write a model as a ``.keras`` file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import numpy as np
    >>> from ctkidney.models import build_cnn, load_model, predict, save_model
    >>> model = build_cnn((16, 16, 3), rng=0)
    >>> x = np.zeros((1, 16, 16, 3), np.float32)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     loaded = load_model(save_model(model, pathlib.Path(tmp) / "cnn.keras"))
    >>> bool(np.allclose(predict(loaded, x), predict(model, x)))
    True
    """
    keras = import_keras()
    path = _check_path(path)
    if not path.is_file():
        raise FileNotFoundError(f"model file not found: {path}")
    return keras.saving.load_model(path, compile=compile, safe_mode=True)
