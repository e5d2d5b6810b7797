"""Writing files without losing anything: the one place that writes a file.

A regular file is replaced atomically (a temp file in the same folder, fsync, ``os.replace``):
readers see the old file or the new one, never a part, and on any error the old file stays. A
character device, FIFO or socket (``/dev/stdout``, ``/dev/null``, a named pipe) is not a file to
replace: it is written directly, and a failed write (``/dev/full``: no space) is an error too.
A symlink is followed, so the link stays and its target gets the new bytes.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import UsageError


def write_output(path: str | os.PathLike, data: bytes) -> None:
    """Write a command's output to ``path`` (``-o FILE``); errors are :class:`UsageError`."""
    shown = os.fspath(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as e:
        raise UsageError(f"{shown}: cannot write here ({e.strerror or e})") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise UsageError(f"{shown}: is a directory; give a file name")
    if mode is not None and not stat.S_ISREG(mode):
        _write_stream(shown, data)
        return
    target = Path(os.path.realpath(path)) if mode is not None else Path(path)
    try:
        atomic_write(target, data, mode=_new_file_mode(target))
    except _TempFailed as e:
        raise UsageError(f"{shown}: cannot write here ({e.reason})") from None
    except OSError as e:
        raise UsageError(f"{shown}: write failed ({e.strerror or e}); the old file is "
                         "unchanged") from None


def _write_stream(shown: str, data: bytes) -> None:
    """A device, FIFO or socket: written in place (never replaced by a regular file)."""
    try:
        fd = os.open(shown, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
        finally:
            os.close(fd)
    except OSError as e:
        raise UsageError(f"{shown}: write failed ({e.strerror or e})") from None


class _TempFailed(OSError):
    """The temp file could not even be created: nothing was written."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def atomic_write(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace the regular file ``path`` with ``data``: temp file in the same folder, fsync,
    ``os.replace``. Raises OSError (the old file is then intact and no temp file is left)."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise _TempFailed(e.strerror or str(e)) from None
    try:
        if mode is not None:
            os.fchmod(fd, mode)  # mkstemp makes 0600; keep what open() would have given
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _new_file_mode(path: Path) -> int:
    """The replaced file's mode, else 0666 minus the umask (as ``open(path, "w")`` gives)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
