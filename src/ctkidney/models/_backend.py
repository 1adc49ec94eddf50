"""TensorFlow and Keras, imported only when a model function is called."""

import contextlib
import logging
import threading

from ctkidney._shared.optional import optional_import

__all__ = ["KINDS", "import_keras", "import_tf", "kind_of", "quiet_retracing"]

#: Model kinds built by :mod:`ctkidney.models`, as in ``prepare(model=...)``.
KINDS = ("cnn", "vgg16", "vgg19", "mobilenet")

_PREFIX = "ctkidney_"


def import_tf():
    """Return the ``tensorflow`` module, or raise an ImportError that says how to
    install it."""
    return optional_import("tensorflow", extra="models")


def import_keras():
    """Return the ``keras`` module (Keras 3 on TensorFlow)."""
    import_tf()
    return optional_import("keras", extra="models")


class _RetracingFilter(logging.Filter):
    """Drops TensorFlow's "triggered tf.function retracing" warning."""

    def filter(self, record):
        return "triggered tf.function retracing" not in record.getMessage()


_RETRACING = _RetracingFilter()
#: How many quiet_retracing blocks are open (in any thread), under its lock.
_quiet = {"depth": 0, "lock": threading.Lock()}


@contextlib.contextmanager
def quiet_retracing():
    """Within the block, TensorFlow does not warn that tf.functions retrace.

    Keras builds new training and prediction functions for every model it fits
    and traces one per batch shape (a last, smaller batch is another shape).
    Fitting several models in one process, as the study and cross-validation do,
    then looks to TensorFlow like "creating @tf.function repeatedly in a loop",
    and it warns on every fit: advice that does not apply. Other TensorFlow
    messages, and this one outside the block, are left alone.
    """
    logger = logging.getLogger("tensorflow")
    with _quiet["lock"]:  # blocks nest, and open in several threads at once
        _quiet["depth"] += 1
        logger.addFilter(_RETRACING)  # once: a logger holds a filter once
    try:
        yield
    finally:
        with _quiet["lock"]:
            _quiet["depth"] -= 1
            if _quiet["depth"] == 0:  # the last block open removes it
                logger.removeFilter(_RETRACING)


def model_name(kind):
    return _PREFIX + kind


def kind_of(model, name="model"):
    """The kind (``'cnn'``, ``'vgg16'``, ...) of a string or of a model built here."""
    if isinstance(model, str):
        if model not in KINDS:
            options = ", ".join(repr(k) for k in KINDS)
            raise ValueError(f"{name} must be one of {options} or a ctkidney model; got {model!r}")
        return model
    kind = str(getattr(model, "name", "")).removeprefix(_PREFIX)
    if kind not in KINDS:
        raise ValueError(
            f"{name} is a model ctkidney did not build ({getattr(model, 'name', model)!r}); "
            f"pass the preprocessing it needs by name, one of {', '.join(map(repr, KINDS))}"
        )
    return kind
