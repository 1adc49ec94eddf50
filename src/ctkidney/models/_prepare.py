"""Turning CT slices into network inputs."""

import cv2
import numpy as np

from ctkidney._shared.validation import check_image, check_memory
from ctkidney.models._backend import import_keras, kind_of

__all__ = ["check_model", "prepare", "model_inputs"]

_INPUT_DTYPES = (np.uint8, np.uint16, np.float32, np.float64)


def _preprocess(kind, x):
    """The backbone's own ``preprocess_input`` on float32 pixels in [0, 255]."""
    if kind == "cnn":
        return x / np.float32(255)  # the seed's rescale=1/255
    applications = import_keras().applications
    module = {"vgg16": applications.vgg16, "vgg19": applications.vgg19,
              "mobilenet": applications.mobilenet_v2}[kind]
    return module.preprocess_input(x)


def _check_stack(images, name="images"):
    if isinstance(images, np.ndarray) and images.dtype == np.int16:
        raise TypeError(f"{name} are int16 (Hounsfield units?): window them to 8 bits first, "
                        "e.g. with ctkidney.enhancement.window")
    images = check_image(images, name, dtypes=_INPUT_DTYPES, ndim=None)
    if images.ndim == 4 and images.shape[-1] not in (1, 3):
        raise ValueError(f"{name} must have 1 or 3 channels, got shape {images.shape}")
    if images.ndim not in (3, 4):
        raise ValueError(f"{name} must be a stack (N, H, W) or (N, H, W, C), got shape "
                         f"{images.shape}; for one slice pass image[None]")
    return images


def _resize(image, rows, cols):
    if image.shape[:2] == (rows, cols):
        return image
    shrink = rows <= image.shape[0] and cols <= image.shape[1]
    out = cv2.resize(image, (cols, rows),
                     interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)
    return out.reshape((rows, cols) + image.shape[2:])


def prepare(images, *, size=None, model="cnn"):
    """Resize CT slices, give them 3 channels and apply the network's preprocessing.

    Parameters
    ----------
    images : (N, H, W), (N, H, W, 1) or (N, H, W, 3) ndarray
        Slices: uint8 (as in the Kaggle JPEGs), uint16 (scaled to 0..255) or
        float in the 0..255 scale. Window Hounsfield units to 8 bits first
        (:func:`ctkidney.enhancement.window`). Never modified.
    size : int or (int, int), optional
        Output ``(rows, cols)``. Default: the model's input size, or 150 when
        ``model`` is a name. Shrinking uses area interpolation, enlarging linear.
    model : {'cnn', 'vgg16', 'vgg19', 'mobilenet'} or keras.Model, optional
        Which preprocessing: ``'cnn'`` scales to [0, 1] (the seed's
        ``rescale=1/255``), the VGGs subtract the ImageNet mean in BGR order, and
        MobileNetV2 scales to [-1, 1] (each backbone's ``preprocess_input``). A
        model built by :mod:`ctkidney.models` names its own. Default ``'cnn'``.

    Returns
    -------
    x : (N, rows, cols, C) float32 ndarray
        Network inputs; ``C`` is the model's channel count (3 for names).

    Raises
    ------
    ImportError
        Without TensorFlow.
    TypeError
        For int16 (HU) or other unsupported dtypes.
    ValueError
        For a single 2-D image, a bad channel count, NaN or an unknown model.

    See Also
    --------
    train : Fit a model; it prepares raw slices itself.
    predict : Class probabilities, from raw or prepared slices.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.models import prepare
    >>> slices = np.full((2, 64, 64), 255, np.uint8)
    >>> x = prepare(slices, size=32, model="cnn")
    >>> x.shape, x.dtype, float(x.max())
    ((2, 32, 32, 3), dtype('float32'), 1.0)
    >>> float(prepare(slices, size=32, model="mobilenet").max())
    1.0
    """
    import_keras()
    kind = kind_of(model)
    channels = 3
    default = (150, 150)
    if not isinstance(model, str):
        shape = model.input_shape
        default, channels = tuple(shape[1:3]), shape[3]
    rows, cols = default if size is None else check_size_any(size)
    images = _check_stack(images)
    x = images.astype(np.float32)
    if images.dtype == np.uint16:
        x *= np.float32(255 / 65535)
    if x.ndim == 3:
        x = x[..., None]
    out = np.empty((len(x), rows, cols, x.shape[-1]), np.float32)
    for i, image in enumerate(x):
        out[i] = _resize(image, rows, cols).reshape(rows, cols, -1)
    if out.shape[-1] != channels:
        out = np.repeat(out, 3, axis=-1) if channels == 3 else out.mean(-1, keepdims=True)
    return np.ascontiguousarray(_preprocess(kind, out), dtype=np.float32)


def check_size_any(size, name="size"):
    """``size`` as ``(rows, cols)`` of positive ints (odd or even)."""
    if isinstance(size, (int, np.integer)) and not isinstance(size, bool):
        size = (int(size), int(size))
    if (not isinstance(size, (tuple, list)) or len(size) != 2
            or not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool)
                       for s in size)):
        raise TypeError(f"{name} must be an int or a (rows, cols) pair, got {size!r}")
    if min(size) < 1:
        raise ValueError(f"{name} must be positive, got {size!r}")
    check_memory(12 * int(size[0]) * int(size[1]), name, size)  # one float32 RGB input
    return int(size[0]), int(size[1])


def check_model(model, name="model"):
    """Raise ``TypeError`` unless ``model`` is a Keras model."""
    if not (hasattr(model, "input_shape") and hasattr(model, "layers")
            and callable(getattr(model, "predict", None))):
        raise TypeError(f"{name} must be a Keras model (build_cnn, build_vgg16, ... or "
                        f"load_model), got {model!r} ({type(model).__name__})")
    return model


def model_inputs(model, images, name="images"):
    """``images`` as inputs of ``model``: used as given when they already are
    (float32 of the model's input shape, or embeddings), else :func:`prepare`-d."""
    shape = tuple(check_model(model).input_shape[1:])
    x = np.asarray(images) if not isinstance(images, np.ndarray) else images
    if x.dtype == np.float32 and x.ndim == len(shape) + 1 and tuple(x.shape[1:]) == shape:
        if not np.isfinite(x).all():
            raise ValueError(f"{name} must not contain NaN or inf")
        if len(x) == 0:
            raise ValueError(f"{name} must not be empty")
        return x
    if len(shape) != 3:
        raise ValueError(f"{name} must be float32 of shape (N,) + {shape} for this model, "
                         f"got {getattr(x, 'shape', None)} {getattr(x, 'dtype', None)}")
    return prepare(x, model=model)
