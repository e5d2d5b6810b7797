"""One exception hierarchy, one exit code per kind (exit codes are API).

0 ok · 1 the data or a check failed (a :class:`~missions_kg.report.Report` that does not
conform, never an exception) · 2 usage error or unreadable input (bad file, bad option, broken
shape or query) · 70 an internal error (a bug: run with ``--debug`` and report the traceback)
· 130 interrupted.
"""

from __future__ import annotations


class MissionsKGError(Exception):
    """Base class: every error the library raises on purpose; carries its exit code."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(MissionsKGError):
    """The user asked for something that cannot be done as asked (bad option, bad value)."""


class InputError(MissionsKGError):
    """An input file cannot be read or parsed; names the file, line and column."""

    def __init__(self, message: str, *, path=None, line: int | None = None,
                 column: int | None = None, hint: str | None = None) -> None:
        where = str(path) if path is not None else ""
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}" if where else message, hint=hint)
        self.path, self.line, self.column = path, line, column


class QueryError(MissionsKGError):
    """A stored or given query is invalid, unsafe, or got bad parameters."""


class ProjectError(MissionsKGError):
    """The project folders (ontology/, data/, shapes/, queries/) are missing or broken."""


class ShapesError(ProjectError):
    """A SHACL shape or a ``*-violation.rq`` check cannot be loaded or run (exit 2, not 1:
    a broken shape must never look like non-conforming data)."""


class EngineError(MissionsKGError):
    """An installed engine cannot be called the way missions-kg calls it (a release whose
    interface it does not know): reinstall the pinned release, or choose another engine."""


#: Exit code for an unexpected exception (a bug): outside 0/1/2 so tests and scripts notice.
INTERNAL_ERROR_EXIT = 70
