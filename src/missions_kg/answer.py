"""The answer of one query, whichever engine or endpoint gave it.

Both local engines (:mod:`missions_kg.engine`, :mod:`missions_kg.rdflib_engine`) and a remote
SPARQL endpoint (:mod:`missions_kg.remote`) answer with a :class:`Result` of
:class:`~missions_kg.terms.Term` values, so formatting, comparing and testing never depend on
where a query ran.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import QueryError
from .terms import Term


@dataclass
class Result:
    """The answer of one query: ``vars`` + ``rows`` (SELECT), ``boolean`` (ASK) or
    ``triples`` (CONSTRUCT/DESCRIBE). ``truncated`` is True when the row cap cut it short."""

    form: str
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)
    truncated: bool = False
    max_rows: int | None = None
    engine: str = ""
    seconds: float = 0.0

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    def __len__(self) -> int:
        return len(self.triples) if self.is_graph else len(self.rows)


class QueryTimeout(QueryError):
    """The query ran longer than ``--timeout`` and was stopped."""


def failure(query, exc: BaseException) -> QueryError:
    """An engine's failure as one line; a SERVICE call that fails is a network error."""
    import urllib.error

    text = " ".join(str(getattr(exc, "reason", None) or exc).split())[:300]
    network = isinstance(exc, urllib.error.URLError | ConnectionError | TimeoutError) or (
        query.service is not None or "SERVICE" in query.text.upper()) and isinstance(exc, OSError)
    if network:
        return QueryError(f"{query.name}: a SERVICE call failed (network error: {text})",
                          hint="check the endpoint URL and the connection; "
                               "--wikidata-endpoint sends it elsewhere")
    return QueryError(f"{query.name}: the query failed: {type(exc).__name__}: {text}")


def source(query) -> str:
    return str(query.path) if query.path else query.name


def capped(result: Result, max_rows: int) -> Result:
    items = result.triples if result.is_graph else result.rows
    if len(items) > max_rows:
        del items[max_rows:]
        result.truncated = True
    return result
