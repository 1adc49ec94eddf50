"""Deprecated public names, kept as aliases that warn when they are used."""

import warnings


def deprecated_aliases(module_name, aliases):
    """Build a module ``__getattr__`` (PEP 562) that serves deprecated aliases.

    Parameters
    ----------
    module_name : str
        The module's ``__name__``, for the messages.
    aliases : dict
        Old name → ``(new_name, value)``.

    Returns
    -------
    callable
        ``__getattr__(name)``: the value of an alias, with a ``DeprecationWarning`` that
        names the replacement; ``AttributeError`` for any other name.

    Examples
    --------
    >>> import warnings
    >>> getattr_ = deprecated_aliases("pkg", {"OLD": ("NEW", 3)})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     getattr_("OLD"), str(caught[0].message)
    (3, 'pkg.OLD is deprecated; use pkg.NEW')
    """

    def __getattr__(name):
        if name in aliases:
            new_name, value = aliases[name]
            warnings.warn(f"{module_name}.{name} is deprecated; use {module_name}.{new_name}",
                          DeprecationWarning, stacklevel=2)
            return value
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")

    return __getattr__
