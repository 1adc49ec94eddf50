"""How much memory a resampling needs, and how much there is."""

import os

from ctkidney._shared.validation import check_scalar

__all__ = ["available_memory", "check_fits", "format_bytes"]


def available_memory():
    """Bytes of memory available now, or ``None`` where this cannot be told."""
    try:
        import psutil

        return int(psutil.virtual_memory().available)
    except ImportError:  # pragma: no cover - psutil ships with most scientific stacks
        pass
    try:  # pragma: no cover - Linux without psutil
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:  # pragma: no cover - other POSIX systems
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def format_bytes(n):
    """``1536`` -> ``'1.5 KiB'``."""
    n = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return None  # pragma: no cover


def check_fits(needed, max_memory, *, what, advice):
    """Raise ``MemoryError`` when ``needed`` bytes exceed ``max_memory`` (default:
    the memory available now). A ``max_memory`` that is not a whole number of
    bytes ``>= 0`` raises a TypeError or ValueError naming it."""
    if max_memory is not None:
        max_memory = check_scalar(max_memory, "max_memory", low=0, integer=True)
    limit = available_memory() if max_memory is None else max_memory
    if limit is not None and needed > limit:
        source = "available" if max_memory is None else "allowed by max_memory"
        raise MemoryError(
            f"{what} needs about {format_bytes(needed)} but only {format_bytes(limit)} "
            f"is {source}. {advice}"
        )
