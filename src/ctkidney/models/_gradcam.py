"""Grad-CAM: where the network looked."""

import cv2
import numpy as np

from ctkidney._shared.validation import check_scalar
from ctkidney.models._backend import import_keras, import_tf
from ctkidney.models._prepare import check_model, model_inputs

__all__ = ["grad_cam"]


def _last_feature_map(keras, model):
    # The last layer with a 4-D output that is not a pooling layer: block5_conv3/4
    # for the VGGs, out_relu for MobileNetV2, conv2 for the CNN.
    pooling = (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D,
               keras.layers.GlobalMaxPooling2D, keras.layers.GlobalAveragePooling2D)
    for layer in reversed(model.layers):
        if isinstance(layer, (keras.layers.InputLayer, *pooling)):
            continue
        if len(layer.output.shape) == 4:
            return layer
    raise ValueError(f"model {model.name!r} has no 2-D feature map for Grad-CAM")


def grad_cam(model, image, *, class_index=None, layer=None):
    """Grad-CAM heat map of one slice: which regions drove the prediction.

    The gradient of the class score (before the softmax) with respect to the
    last convolutional feature map, averaged over space, weighs the maps; their
    weighted sum, through a ReLU, is scaled to [0, 1] and resized to the image.

    Parameters
    ----------
    model : keras.Model
        A classifier from :mod:`ctkidney.models`.
    image : (H, W) ndarray or (rows, cols, C) float32 ndarray
        A raw slice (prepared for the model, as in :func:`prepare`), or one
        prepared input.
    class_index : int, optional
        Class to explain. Default: the predicted class.
    layer : str, optional
        Name of the feature-map layer. Default: the last non-pooling layer with a
        2-D feature map (``block5_conv4`` for VGG19, ``out_relu`` for MobileNetV2,
        ``conv2`` for the CNN).

    Returns
    -------
    heatmap : (H, W) float32 ndarray
        Values in [0, 1], the size of ``image``; all zeros when no region
        supports the class.

    Raises
    ------
    ImportError
        Without TensorFlow.
    TypeError, ValueError
        For a bad image, class index or layer.

    References
    ----------
    .. [1] R. R. Selvaraju et al., "Grad-CAM: Visual Explanations from Deep
           Networks via Gradient-based Localization", ICCV 2017.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.models import build_cnn, grad_cam
    >>> image = np.zeros((40, 40), np.uint8)
    >>> image[10:20, 10:20] = 200
    >>> heat = grad_cam(build_cnn((32, 32, 3)), image)
    >>> heat.shape, heat.dtype, bool(0 <= heat.min() <= heat.max() <= 1)
    ((40, 40), dtype('float32'), True)
    """
    keras = import_keras()
    tf = import_tf()
    check_model(model)
    array = np.asarray(image)
    if array.ndim not in (2, 3):
        raise ValueError(f"image must be one slice (H, W) or one prepared input, got shape "
                         f"{array.shape}")
    x = model_inputs(model, array[None])
    out_size = array.shape[:2]
    n_classes = model.output_shape[-1]
    if layer is None:
        feature_layer = _last_feature_map(keras, model)
    elif layer in [item.name for item in model.layers]:
        feature_layer = model.get_layer(layer)
    else:
        raise ValueError(f"layer {layer!r} is not in model {model.name!r}")
    last = model.layers[-1]
    # Explain the logits: the softmax saturates, its gradient vanishes.
    use_logits = isinstance(last, keras.layers.Dense) and \
        last.activation is keras.activations.softmax
    head_input = last.input if use_logits else model.output
    probe = keras.Model(model.input, [feature_layer.output, head_input])
    with tf.GradientTape() as tape:
        features, pre = probe(x, training=False)
        scores = tf.matmul(pre, last.kernel) + last.bias if use_logits else pre
        if class_index is None:
            index = int(tf.argmax(scores[0]))
        else:
            index = check_scalar(class_index, "class_index", low=0, high=n_classes - 1,
                                 integer=True)
        score = scores[:, index]
    grads = tape.gradient(score, features)
    weights = tf.reduce_mean(grads, axis=(1, 2), keepdims=True)
    cam = tf.nn.relu(tf.reduce_sum(weights * features, axis=-1))[0].numpy()
    peak = cam.max()
    cam = cam / peak if peak > 0 else np.zeros_like(cam)
    cam = cv2.resize(cam.astype(np.float32), (out_size[1], out_size[0]),
                     interpolation=cv2.INTER_LINEAR)
    return np.clip(cam, 0, 1).astype(np.float32)
