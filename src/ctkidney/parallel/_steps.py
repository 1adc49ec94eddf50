"""The named preprocessing steps of ``ctkidney preprocess`` and their parser.

Steps are looked up by dotted name when used, so importing this module imports
none of the filters.
"""

import ast
import importlib
import inspect
import re

from ctkidney.parallel._compose import compose

__all__ = ["STEPS", "parse_steps", "resolve_step"]

#: Step name -> dotted name of the ctkidney function it runs. Every step maps an
#: image to an image of the same dtype (``window`` maps to uint8), so the result can
#: be written back in the input's file format.
STEPS = {
    # restoration: noise-reduction filters
    "median": "ctkidney.restoration.median_filter",
    "adaptive_median": "ctkidney.restoration.adaptive_median",
    "mean": "ctkidney.restoration.arithmetic_mean",
    "geometric_mean": "ctkidney.restoration.geometric_mean",
    "harmonic_mean": "ctkidney.restoration.harmonic_mean",
    "contraharmonic_mean": "ctkidney.restoration.contraharmonic_mean",
    "alpha_trimmed_mean": "ctkidney.restoration.alpha_trimmed_mean",
    "midpoint": "ctkidney.restoration.midpoint_filter",
    "min": "ctkidney.restoration.min_filter",
    "max": "ctkidney.restoration.max_filter",
    "adaptive_local": "ctkidney.restoration.adaptive_local_filter",
    "denoise": "ctkidney.restoration.denoise",
    "remove_periodic_noise": "ctkidney.restoration.remove_periodic_noise",
    # enhancement: contrast and sharpness
    "clahe": "ctkidney.enhancement.clahe",
    "equalize": "ctkidney.enhancement.equalize_hist",
    "stretch": "ctkidney.enhancement.stretch_contrast",
    "gamma": "ctkidney.enhancement.gamma_correct",
    "log": "ctkidney.enhancement.log_transform",
    "window": "ctkidney.enhancement.window",
    "gaussian": "ctkidney.enhancement.gaussian_filter",
    "box": "ctkidney.enhancement.mean_filter",
    "unsharp": "ctkidney.enhancement.unsharp_mask",
    "sharpen": "ctkidney.enhancement.sharpen_laplacian",
    "lowpass": "ctkidney.enhancement.lowpass",
}

_GRID = re.compile(r"^(\d+)x(\d+)$")


def resolve_step(name):
    """Return the function behind step ``name`` (a key of :data:`STEPS`, or the
    function's own name such as ``median_filter``).

    Raises ``ValueError`` for an unknown step and ``ImportError`` when the function
    is not available in this installation.
    """
    if not isinstance(name, str):
        raise TypeError(f"step name must be a str, got {name!r}")
    dotted = STEPS.get(name)
    if dotted is None:
        dotted = next((d for d in STEPS.values() if d.rsplit(".", 1)[1] == name), None)
    if dotted is None:
        raise ValueError(f"unknown step {name!r}; available steps: {', '.join(STEPS)}")
    module_name, attr = dotted.rsplit(".", 1)
    func = getattr(importlib.import_module(module_name), attr, None)
    if func is None:
        raise ImportError(f"step {name!r} needs {dotted}, which this version of ctkidney "
                          "does not provide")
    return func


def _split_top_level(text, sep):
    """Split on ``sep`` outside brackets and quotes: ``"a=(1,2),b"`` -> 2 parts."""
    parts, depth, quote, current = [], 0, None, []
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return parts


def _parse_value(text):
    text = text.strip()
    grid = _GRID.match(text)
    if grid:
        return (int(grid.group(1)), int(grid.group(2)))
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text  # a bare word: mode=nearest, kind=gaussian


def _parse_param(token, step):
    key, eq, value = token.partition("=")
    key = key.strip()
    if not eq or not key.isidentifier():
        raise ValueError(f"step {step!r}: parameters are written key=value, got {token!r}")
    if not value.strip():
        raise ValueError(f"step {step!r}: parameter {key!r} has no value, got {token!r}")
    return key, _parse_value(value)


def _check_params(name, func, params):
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):  # builtins without a signature: let the call check
        return
    rest = list(signature.parameters.values())[1:]  # after the image
    accepted = [p.name for p in rest if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    unknown = sorted(set(params) - set(accepted))
    if unknown and not any(p.kind == p.VAR_KEYWORD for p in rest):
        raise ValueError(f"step {name!r} does not take {', '.join(unknown)}; "
                         f"its parameters are: {', '.join(accepted) or 'none'}")
    missing = [p.name for p in rest if p.default is p.empty and p.name not in params
               and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    if missing:
        example = ":".join(f"{m}=..." for m in missing)
        raise ValueError(f"step {name!r} needs {', '.join(missing)} "
                         f"(write {name}:{example})")


def parse_steps(spec):
    """Build a :class:`Pipeline` from a step specification such as the CLI's
    ``--steps``.

    Parameters
    ----------
    spec : str or sequence of str
        Steps separated by commas, each ``name`` or ``name:key=value``. More
        parameters follow with ``:`` or ``,``: ``"clahe:clip_limit=3,tile_grid=8x8"``
        and ``"window:level=40:width=400"`` both work. Values are Python literals
        (``5``, ``1.5``, ``(8, 8)``, ``'nearest'``), ``RxC`` for a pair of ints, or
        bare words, which are kept as strings. A sequence gives one step per item.

    Returns
    -------
    pipeline : Pipeline
        The steps in order, with their parameters bound.

    Raises
    ------
    ValueError
        For an empty specification, an unknown step, a malformed or unknown
        parameter (the message lists the step's parameters).
    ImportError
        If a step's function is not available in this installation.

    See Also
    --------
    STEPS : The step names.
    compose : Build a pipeline from functions.

    Examples
    --------
    >>> import numpy as np
    >>> from ctkidney.parallel import parse_steps
    >>> pipe = parse_steps("median:size=5,clahe:clip_limit=3,tile_grid=4x4")
    >>> pipe
    Pipeline(median_filter(size=5) -> clahe(clip_limit=3, tile_grid=(4, 4)))
    >>> out = pipe(np.zeros((32, 32), np.uint8))
    >>> out.shape, out.dtype
    ((32, 32), dtype('uint8'))
    """
    if isinstance(spec, str):
        tokens = _split_top_level(spec, ",")
    elif isinstance(spec, (list, tuple)) and all(isinstance(s, str) for s in spec):
        tokens = [t for s in spec for t in _split_top_level(s, ",")]
    else:
        raise TypeError(f"steps must be a str such as 'median,clahe', got {spec!r}")
    steps = []  # [name, func, params]
    for token in (t.strip() for t in tokens):
        if not token:
            continue
        head = token.split(":", 1)[0]
        if "=" in head:  # key=value: one more parameter of the previous step
            if not steps:
                raise ValueError(f"parameter {token!r} comes before any step name")
            key, value = _parse_param(token, steps[-1][0])
            steps[-1][2][key] = value
            continue
        name, _, rest = token.partition(":")
        name = name.strip()
        params = dict(_parse_param(p, name) for p in _split_top_level(rest, ":")
                      if p.strip()) if rest else {}
        steps.append([name, resolve_step(name), params])
    if not steps:
        raise ValueError(f"no steps given in {spec!r}; available steps: {', '.join(STEPS)}")
    for name, func, params in steps:
        _check_params(name, func, params)
    return compose(*[(func, params) for _, func, params in steps])
