"""SPARQL syntax errors: found without running anything, reported as ``file:line:col``.

:func:`check` parses a query with rdflib's parser and never evaluates it: pyoxigraph has no
parse-only call, and evaluating a query, even on an empty store, runs its ``SERVICE`` calls in
native code that the sandbox cannot see. It is used where a query is read but not run (the
catalogue, ``queries``); a query that is run is parsed by its engine, whose error
:func:`from_oxigraph` / :func:`from_rdflib` turn into the same one-line message.

rdflib's parser is slow to import and to run (0.16 s + ~50 ms a query), so texts that parsed
are remembered by hash in ``<cache>/syntax-ok.json``.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .errors import QueryError

_OXIGRAPH = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_PREFIX = re.compile(r"Unknown namespace prefix : (\S*)")
_OK_FILE = "syntax-ok.json"
_OK_LIMIT = 2000  # hashes kept


class Checker:
    """Parse-only syntax checks, remembering which texts parsed (in ``cache_dir``, if given)."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self._known = _read_ok(cache_dir)
        self._new: list[str] = []

    def check(self, text: str, source: str, position=None) -> None:
        """Raise :class:`QueryError` (``source:line:col: invalid SPARQL: …``) unless ``text``
        parses. Call it after :func:`missions_kg.safety.check_query_text` (which bounds
        nesting); it never evaluates the query. ``position`` maps a place in ``text`` back to
        the text the user wrote (:meth:`missions_kg.bindings.Runnable.original_position`)."""
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        if digest in self._known or digest in self._new:
            return
        from rdflib.plugins.sparql.algebra import translateQuery
        from rdflib.plugins.sparql.parser import parseQuery

        try:
            translateQuery(parseQuery(text))
        except RecursionError:
            raise QueryError(f"{source}: invalid SPARQL: nested too deeply") from None
        except Exception as e:  # pyparsing's ParseException, or rdflib's bare Exception
            raise from_rdflib(e, text, source, position) from None
        self._new.append(digest)

    def save(self) -> None:
        """Remember the texts that parsed (a cache that cannot be written only costs time)."""
        if self.cache_dir is None or not self._new:
            return
        from .files import atomic_write

        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            atomic_write(self.cache_dir / _OK_FILE,
                         json.dumps((self._known + self._new)[-_OK_LIMIT:]).encode())
        except OSError:
            pass
        self._known, self._new = self._known + self._new, []


def from_oxigraph(exc: SyntaxError, text: str, source: str, position=None) -> QueryError:
    """pyoxigraph's ``SyntaxError`` as our one-line message. ``position(line, col)`` maps a
    place in ``text`` to the text the user wrote (see :class:`missions_kg.bindings.Runnable`)."""
    m = _OXIGRAPH.match(str(exc))
    if not m:
        return QueryError(f"{source}: invalid SPARQL: {_short(str(exc))}")
    return _error(source, int(m.group(1)), int(m.group(2)), m.group(3), text, position)


def from_rdflib(exc: Exception, text: str, source: str, position=None) -> QueryError:
    """rdflib's parse error (pyparsing's, or a bare ``Exception``) as our one-line message."""
    detail = re.sub(r"\s*\(at char \d+\), \(line:\d+, col:\d+\)\s*$", "", str(exc))
    return _error(source, getattr(exc, "lineno", None), getattr(exc, "col", None), detail, text,
                  position)


def _error(source: str, line, col, detail: str, text: str, position=None) -> QueryError:
    if "Prefix not found" in detail or _PREFIX.search(detail):
        found = undeclared_prefix(text)
        if found:
            line, col, detail = found
    if position is not None and line is not None and col is not None:
        line, col = position(line, col)
    where = f"{source}:{line}:{col}" if line is not None else source
    return QueryError(f"{where}: invalid SPARQL: {_short(detail)}")


def undeclared_prefix(text: str) -> tuple[int, int, str] | None:
    """(line, column, message) of the first prefixed name whose prefix is not declared."""
    from .safety import check_query_text, tokens

    declared = check_query_text(text, allow_service=True).prefixes
    toks = tokens(text)
    for i, tok in enumerate(toks):
        prefix = tok.text.split(":", 1)[0]
        after_prefix_keyword = i > 0 and toks[i - 1].text.upper() == "PREFIX"
        if tok.kind == "pname" and not after_prefix_keyword and prefix not in declared:
            return tok.line, tok.column, f"undeclared prefix {prefix + ':'!r}"
    return None


def _short(detail: str, limit: int = 160) -> str:
    detail = " ".join(detail.split())
    return detail if len(detail) <= limit else detail[: limit - 1] + "…"


def _read_ok(cache_dir: Path | None) -> list[str]:
    if cache_dir is None:
        return []
    try:
        data = json.loads((cache_dir / _OK_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [h for h in data if isinstance(h, str)] if isinstance(data, list) else []
