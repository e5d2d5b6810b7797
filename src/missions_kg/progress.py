"""Progress on a terminal for long commands (build, validate, export, publish), and nothing else.

A bar appears only when the command has run for :data:`DELAY` seconds, on standard error,
when standard error is a terminal and the user did not pass ``--quiet``: a pipe, a log file,
a test or a quick command never sees one. Bars are drawn by tqdm (imported only when a bar
can show, so quick commands do not pay for it).

The API, for any command (``missions-kg publish`` included)::

    from missions_kg import progress

    with progress.task("Parsing", total=len(files), unit="file") as bar:
        for path in files:
            ...
            bar.update(1)          # or bar.update(bytes_done), bar.set_total(n)

    with progress.task("Validating (SHACL)"):   # no total: elapsed time and a spinner
        run_a_long_native_call()

``progress.set_quiet(True)`` (the CLI's ``--quiet``) turns every bar off for the process.
Nested tasks are fine: each is its own line while it runs, and is erased when it ends.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import contextmanager

#: Seconds a command runs before a bar is drawn ("past ~2 s"); ``MISSIONS_KG_PROGRESS_DELAY``
#: overrides it (the tests and demos use 0).
DELAY = 2.0
ENV_DELAY = "MISSIONS_KG_PROGRESS_DELAY"
ENV_QUIET = "MISSIONS_KG_QUIET"
_QUIET = False


def delay() -> float:
    try:
        return max(0.0, float(os.environ.get(ENV_DELAY, DELAY)))
    except ValueError:
        return DELAY


def set_quiet(quiet: bool) -> None:
    """Turn progress bars off (``--quiet``) or back on, for this process."""
    global _QUIET
    _QUIET = bool(quiet)


def enabled(stream=None) -> bool:
    """True when a bar may be drawn: not quiet, and ``stream`` (stderr) is a terminal."""
    if _QUIET or os.environ.get(ENV_QUIET, "").strip().lower() in ("1", "on", "yes", "true"):
        return False
    stream = stream if stream is not None else sys.stderr
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _columns() -> int:
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return 0


class _Silent:
    """What a task yields when no bar can show: every call does nothing."""

    def update(self, n: float = 1) -> None:
        pass

    def set_total(self, total: float | None) -> None:
        pass

    def describe(self, text: str) -> None:
        pass


class _Bar:
    """A tqdm bar drawn after :data:`DELAY` seconds, kept moving by a ticker thread while a
    long call (a native library's) gives no updates."""

    def __init__(self, description: str, total, unit: str, scale: bool) -> None:
        from tqdm import tqdm

        self._delay = delay()
        sized = _columns() > 0  # a terminal of size 0x0 (`script` without one) gets 80x24:
        # tqdm would draw nothing on a screen of 0 rows
        self._bar = tqdm(total=total, desc=description, unit=unit, unit_scale=scale,
                         delay=self._delay, leave=False, file=sys.stderr, dynamic_ncols=sized,
                         ncols=None if sized else 80, nrows=None if sized else 24,
                         mininterval=0.25, miniters=1, smoothing=0.1,
                         bar_format=None if total else "{desc} … {elapsed}")
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="missions-kg-progress",
                                        daemon=True)
        self._ticker.start()

    def _tick(self) -> None:
        start = time.monotonic()
        while not self._done.wait(0.5):
            if time.monotonic() - start >= self._delay:
                with self._lock:
                    self._bar.refresh()

    def update(self, n: float = 1) -> None:
        with self._lock:
            self._bar.update(n)

    def set_total(self, total: float | None) -> None:
        with self._lock:
            self._bar.total = total
            if total:
                self._bar.bar_format = None
            self._bar.refresh()

    def describe(self, text: str) -> None:
        with self._lock:
            self._bar.set_description_str(text, refresh=False)

    def close(self) -> None:
        self._done.set()
        self._ticker.join(timeout=1)
        with self._lock:
            self._bar.close()


def counted(items, bar, every: int = 50_000):
    """``items`` unchanged, calling ``bar.update(every)`` after each ``every`` of them (a
    bar that follows a stream without slowing it)."""
    for n, item in enumerate(items, 1):
        if not n % every:
            bar.update(every)
        yield item


@contextmanager
def task(description: str, total: float | None = None, unit: str = "it",
         scale: bool = False):
    """A progress bar for the block (see the module docstring); yields an object with
    ``update(n)``, ``set_total(n)`` and ``describe(text)``."""
    if not enabled():
        yield _Silent()
        return
    try:
        bar = _Bar(description, total, unit, scale)
    except ImportError:  # tqdm missing: run without a bar
        yield _Silent()
        return
    try:
        yield bar
    finally:
        bar.close()
