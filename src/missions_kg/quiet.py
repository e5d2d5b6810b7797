"""Quiet rdflib and pySHACL: their loggers write warnings and errors to stderr on their own.

rdflib warns once per ill-typed literal (SHACL's job to report), and pySHACL logs a shape-load
error in several lines before raising it; the CLI reports each problem once, in one line.
"""

from __future__ import annotations

import logging


class quiet_rdflib:  # noqa: N801 (used as a ``with`` statement, like a function)
    """Silence ``rdflib.term`` below ERROR and pySHACL's logger for the block."""

    def __enter__(self):
        self._logger = logging.getLogger("rdflib.term")
        self._level = self._logger.level
        self._logger.setLevel(logging.ERROR)
        self._pyshacl = logging.getLogger("pyshacl-validate")  # pyshacl resets its level
        self._disabled = self._pyshacl.disabled
        self._pyshacl.disabled = True
        return self

    def __exit__(self, *exc):
        self._logger.setLevel(self._level)
        self._pyshacl.disabled = self._disabled
        return False
