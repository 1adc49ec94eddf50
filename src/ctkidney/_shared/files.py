"""Writing files whole: to a temporary name beside the target, then renamed, so
that an interrupted write never leaves half a file under the target's name."""

import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write", "atomic_path"]


def _read_umask():
    # os.umask can only be read by setting it; done once, at import, before any
    # worker thread could create a file in between.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: Files get the permissions ``open`` would give them (``0o666`` less the umask),
#: not ``mkstemp``'s owner-only ``0o600``.
FILE_MODE = 0o666 & ~_read_umask()


class atomic_path:
    """Context manager: a temporary path beside ``path`` (same suffix) to write to;
    renamed to ``path`` when the block ends without an error, removed otherwise.

    For writers that take a file name (nibabel, OpenCV), not a file object.
    """

    def __init__(self, path, suffix=""):
        self.path = Path(path)
        self.suffix = suffix

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.",
                                   suffix=self.suffix or ".tmp")
        os.close(fd)
        self.tmp = Path(tmp)
        return self.tmp

    def __exit__(self, kind, error, trace):
        if kind is None:
            os.chmod(self.tmp, FILE_MODE)
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)
        return False


def atomic_write(path, data):
    """Write ``data`` (bytes, or text as UTF-8) to ``path`` whole."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
