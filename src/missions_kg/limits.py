"""Resource limits a command runs under: a memory ceiling, and the bounds of numeric options.

**Memory.** A runaway query (``SELECT * { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d`` on our 4k
quads wants 3.7 GB) or a huge input must end in a clear exit 2, not in the kernel's OOM
killer. :func:`memory_ceiling` starts a watchdog thread that reads the process's resident set
size (``/proc/self/statm``) every 20 ms and stops the process when it passes the ceiling:
``on_breach`` (the CLI prints one line naming the limit, then exits 2). pyoxigraph releases the
GIL while it works, and rdflib switches threads every 5 ms, so the watchdog runs beside both.
A worker process (the rdflib engine's, the server's) arms its own watchdog after ``fork``.
``RLIMIT_AS`` is not used: the on-disk store reserves ~470 MB of address space for 61 MB
resident. Linux only (``/proc``); elsewhere the ceiling is not enforced.
"""

from __future__ import annotations

import math
import os
import sys
import threading
from collections.abc import Callable
from contextlib import contextmanager

ENV_MAX_MEMORY = "MISSIONS_KG_MAX_MEMORY"
DEFAULT_MAX_MEMORY_MB = 1024
MIN_MAX_MEMORY_MB = 64
MAX_TIMEOUT_SECONDS = 24 * 3600.0
MAX_ROWS = 1_000_000_000
POLL_SECONDS = 0.02
#: Exit status of a worker process that passed the ceiling (its parent reports it).
MEMORY_EXIT = 3

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_CEILING: int | None = None  # bytes, while a command runs under one


def resident_bytes() -> int | None:
    """This process's resident set size, or None where ``/proc`` is not available."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


def memory_message(ceiling: int, what: str = "the command") -> str:
    mb = ceiling // (1024 * 1024)
    return (f"{what} used more than {mb} MB of memory and was stopped (memory ceiling "
            f"--max-memory {mb}; set it higher, or narrow the query, e.g. with LIMIT)")


def watch_wanted() -> bool:
    """Should the CLI watch its memory? Not inside pytest's own process (a breach would end
    the test run; the tests run memory cases in their own processes), unless asked."""
    return "PYTEST_CURRENT_TEST" not in os.environ or os.environ.get(
        "MISSIONS_KG_MEMORY_WATCH") == "on"


def current_ceiling() -> int | None:
    """The ceiling (bytes) of the running command, for a worker to arm its own watchdog."""
    return _CEILING


def _stop(message: str) -> None:
    try:
        sys.stderr.write(f"Error: {message}\n")
        sys.stderr.flush()
    finally:
        os._exit(2)


def start_watchdog(ceiling: int, on_breach: Callable[[str], None],
                   what: str = "the command") -> threading.Event:
    """A daemon thread that calls ``on_breach(message)`` once resident memory passes
    ``ceiling`` bytes; set the returned event to stop watching."""
    done = threading.Event()

    def watch() -> None:
        while not done.wait(POLL_SECONDS):
            rss = resident_bytes()
            if rss is not None and rss > ceiling:
                on_breach(memory_message(ceiling, what))
                return

    threading.Thread(target=watch, name="missions-kg-memory", daemon=True).start()
    return done


@contextmanager
def memory_ceiling(ceiling: int | None, *, what: str = "the command",
                   on_breach: Callable[[str], None] | None = None):
    """Stop this process when its resident memory passes ``ceiling`` bytes (None: no limit).
    ``on_breach(message)`` must not return; the default prints ``Error: …`` and exits 2."""
    global _CEILING
    if not ceiling or resident_bytes() is None:
        yield
        return
    previous, _CEILING = _CEILING, ceiling
    done = start_watchdog(ceiling, on_breach or _stop, what)
    try:
        yield
    finally:
        done.set()
        _CEILING = previous


def arm_worker() -> None:
    """In a freshly forked worker: the parent's ceiling, ending the worker with
    :data:`MEMORY_EXIT` (its parent turns that into the error) instead of exit 2."""
    if _CEILING and resident_bytes() is not None:
        start_watchdog(_CEILING, lambda _message: os._exit(MEMORY_EXIT))


def check_seconds(value: float, name: str = "--timeout") -> float:
    """A finite number of seconds in (0, 1 day]; else ValueError saying so."""
    if not (isinstance(value, int | float) and math.isfinite(value)) or not (
            0 < value <= MAX_TIMEOUT_SECONDS):
        raise ValueError(f"{name} must be a number of seconds above 0 and at most "
                         f"{MAX_TIMEOUT_SECONDS:g} (one day), not {value!r}")
    return float(value)
