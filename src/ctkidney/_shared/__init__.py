"""Private helpers shared by every subpackage: validation, the Numba decorator,
docstring snippets and optional imports. Nothing here is public API."""
