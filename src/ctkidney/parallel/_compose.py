"""``compose``: a picklable per-image pipeline with its parameters bound."""

import functools

__all__ = ["Pipeline", "compose"]


def _func_name(func):
    if isinstance(func, functools.partial):
        return _func_name(func.func)
    return getattr(func, "__name__", type(func).__name__)


class Pipeline:
    """A chain of per-image functions, each with its keyword arguments bound.

    Calling the pipeline on an image applies the steps in order:
    ``image = func(image, **params)`` for each ``(func, params)`` in :attr:`steps`.
    A pipeline pickles whenever its functions and parameters do (module-level
    functions such as ctkidney's travel by name), so it can be sent to Dask workers.
    Build one with :func:`compose`.

    Parameters
    ----------
    steps : sequence of (callable, dict)
        The functions and their keyword arguments.

    Attributes
    ----------
    steps : tuple of (callable, dict)
    """

    def __init__(self, steps):
        self.steps = tuple((func, dict(params)) for func, params in steps)

    def __call__(self, image):
        for func, params in self.steps:
            image = func(image, **params)
        return image

    def __len__(self):
        return len(self.steps)

    def __eq__(self, other):
        if not isinstance(other, Pipeline):
            return NotImplemented
        return self.steps == other.steps

    __hash__ = None  # the bound parameters are mutable dicts

    def __repr__(self):
        parts = []
        for func, params in self.steps:
            args = ", ".join(f"{k}={v!r}" for k, v in params.items())
            parts.append(f"{_func_name(func)}({args})")
        return f"Pipeline({' -> '.join(parts)})"


def compose(*funcs):
    """Chain per-image functions into one picklable pipeline.

    Parameters
    ----------
    *funcs : callable, (callable, dict) or Pipeline
        The steps, first applied first. A pair binds keyword arguments:
        ``(median_filter, {"size": 5})``. A ``functools.partial`` works too, and a
        :class:`Pipeline` contributes its own steps.

    Returns
    -------
    pipeline : Pipeline
        Callable as ``pipeline(image)``; pass it to :func:`map_images`.

    Raises
    ------
    TypeError
        If a step is not callable, or its parameters are not a dict with string keys.
    ValueError
        If no step is given.

    See Also
    --------
    map_images : Run a pipeline over many images.

    Examples
    --------
    >>> import pickle
    >>> import numpy as np
    >>> from ctkidney.enhancement import clahe
    >>> from ctkidney.parallel import compose
    >>> from ctkidney.restoration import median_filter
    >>> pipe = compose((median_filter, {"size": 3}), (clahe, {"clip_limit": 2.0}))
    >>> pipe
    Pipeline(median_filter(size=3) -> clahe(clip_limit=2.0))
    >>> image = np.random.default_rng(0).integers(0, 256, (64, 64), dtype=np.uint8)
    >>> out = pipe(image)
    >>> out.dtype, bool((out == clahe(median_filter(image), clip_limit=2.0)).all())
    (dtype('uint8'), True)
    >>> pickle.loads(pickle.dumps(pipe)) == pipe
    True
    """
    if not funcs:
        raise ValueError("compose needs at least one function")
    steps = []
    for i, item in enumerate(funcs):
        if isinstance(item, Pipeline):
            steps.extend(item.steps)
            continue
        if isinstance(item, tuple) and len(item) == 2 and not callable(item):
            func, params = item
        else:
            func, params = item, {}
        if not callable(func):
            raise TypeError(f"funcs[{i}] must be callable or a (callable, dict) pair, "
                            f"got {func!r}")
        if not isinstance(params, dict) or not all(isinstance(k, str) for k in params):
            raise TypeError(f"funcs[{i}] parameters must be a dict with str keys, "
                            f"got {params!r}")
        steps.append((func, params))
    return Pipeline(steps)
