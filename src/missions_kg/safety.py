"""Static safety checks on SPARQL text: read-only, local-only queries by default.

Two layers (defence in depth, see issue 4):

1. :func:`check_query_text` — a SPARQL *lexer* (no rdflib import, so the cold ``query`` path
   stays fast) that finds the query form and refuses SPARQL Update, ``SERVICE`` and
   ``FROM``/``FROM NAMED``. Keywords are found as bare words, so ``SERVICE`` is caught in any
   case and nesting (OPTIONAL, UNION, sub-select, MINUS, …) while ``ex:service``, ``?service``,
   ``"SERVICE"`` and ``# SERVICE`` are not keywords. The text is checked twice: as written
   (what oxigraph parses) and with ``\\uXXXX`` escapes expanded (what rdflib parses, as the SPARQL
   spec asks), so ``\\u0053ERVICE`` cannot slip through.
2. :func:`check_algebra` — walks rdflib's parsed algebra for ``ServiceGraphPattern`` and dataset
   clauses; the rdflib engine runs it on every prepared query.

Besides, :func:`disable_rdflib_loading` sets ``rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False``
wherever rdflib runs queries (so ``FROM <url>`` could never fetch even if it got through).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from missions_kg.errors import QueryError

ALLOW_SERVICE_FLAG = "--allow-service"
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH",
     "USING"}
)

#: oxigraph's parser overflows the C stack (a segfault, not an error) near 3000 nested braces.
MAX_NESTING = 100

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
              | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              | '(?:[^'\\\n\r]|\\.)*'
              | "(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f\u2040]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<bnode>_:[\w.\-]*)
  | (?P<pname>[\w.\-]*:(?:[\w.\-:%]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-f]{4}(?:[0-9a-f]{4})?)", re.IGNORECASE)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    line: int
    column: int


@dataclass(frozen=True)
class QueryShape:
    """What the lexer learnt: the form (SELECT/ASK/CONSTRUCT/DESCRIBE) and the SELECT projection
    (``None`` for ``SELECT *`` or a non-SELECT form)."""

    form: str
    projection: tuple[str, ...] | None
    prefixes: dict[str, str]


def tokens(text: str) -> list[Token]:
    """Split SPARQL text into tokens (whitespace and comments dropped), with line and column."""
    out: list[Token] = []
    line, line_start = 1, 0
    for m in _TOKEN.finditer(text):
        kind, value = m.lastgroup, m.group()
        if kind not in ("ws", "comment"):
            out.append(Token(kind, value, line, m.start() - line_start + 1))
        newlines = value.count("\n")
        if newlines:
            line += newlines
            line_start = m.start() + value.rindex("\n") + 1
    return out


def expand_unicode_escapes(text: str) -> str:
    """Expand ``\\uXXXX`` / ``\\UXXXXXXXX`` the way rdflib's parser does before parsing."""

    def expand(m: re.Match) -> str:
        try:
            return chr(int(m.group(1), 16))
        except (ValueError, OverflowError):
            return m.group()

    return _UNICODE_ESCAPE.sub(expand, text)


def _where(tok: Token, name: str | None) -> str:
    return f"{name + ': ' if name else ''}line {tok.line}, column {tok.column}"


def _check_tokens(toks: list[Token], *, allow_service: bool, name: str | None,
                  allow_from: frozenset[str] | None = None) -> None:
    depth = 0
    prefixes = declared_prefixes(toks)
    for i, tok in enumerate(toks):
        if tok.kind == "punct":
            if tok.text in "({[":
                depth += 1
            elif tok.text in ")}]":
                depth -= 1
            if depth > MAX_NESTING:
                raise QueryError(f"{_where(tok, name)}: brackets nested deeper than "
                                 f"{MAX_NESTING} levels; refused (it can crash the parser)")
        if tok.kind != "word":
            continue
        word = tok.text.upper()
        if word in UPDATE_KEYWORDS:
            raise QueryError(
                f"{_where(tok, name)}: SPARQL Update ({word}) is refused: "
                "queries are read-only (there is no flag to allow updates)"
            )
        if word == "SERVICE" and not allow_service:
            raise QueryError(
                f"{_where(tok, name)}: SERVICE (a federated call to another endpoint) is "
                f"refused; pass {ALLOW_SERVICE_FLAG} to allow network access"
            )
        if word == "FROM":
            target = _from_target(toks, i, prefixes)
            if allow_from is None:
                raise QueryError(
                    f"{_where(tok, name)}: FROM / FROM NAMED is refused (it would read or fetch "
                    "other graphs); query the project graph, or add files with --data")
            if target not in allow_from:
                shown = f"<{target}>" if target else "that graph"
                raise QueryError(
                    f"{_where(tok, name)}: FROM {shown} is not a graph of this dataset "
                    "(nothing is fetched); use GRAPH ?g, or one of the dataset's graphs")


def declared_prefixes(toks: list[Token]) -> dict[str, str]:
    """prefix -> namespace of every ``PREFIX p: <iri>`` in the tokens."""
    out = {}
    for i, tok in enumerate(toks[:-2]):
        if tok.kind == "word" and tok.text.upper() == "PREFIX" and toks[i + 1].kind == "pname" \
                and toks[i + 2].kind == "iri":
            out[toks[i + 1].text[:-1]] = toks[i + 2].text[1:-1]
    return out


def _from_target(toks: list[Token], i: int, prefixes: dict[str, str]) -> str | None:
    """The graph IRI after ``FROM`` / ``FROM NAMED`` at ``toks[i]`` (None if not an IRI)."""
    j = i + 1
    if j < len(toks) and toks[j].kind == "word" and toks[j].text.upper() == "NAMED":
        j += 1
    if j >= len(toks):
        return None
    target = toks[j]
    if target.kind == "iri":
        return target.text[1:-1]
    if target.kind == "pname":
        prefix, _, local = target.text.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else None
    return None


def _shape(toks: list[Token], name: str | None) -> QueryShape:
    i = 0
    prefixes: dict[str, str] = {}
    while i < len(toks) and toks[i].kind == "word" and toks[i].text.upper() in ("BASE", "PREFIX"):
        if toks[i].text.upper() == "PREFIX":
            if i + 2 < len(toks) and toks[i + 1].kind == "pname" and toks[i + 2].kind == "iri":
                prefixes[toks[i + 1].text[:-1]] = toks[i + 2].text[1:-1]
            i += 3
        else:
            i += 2
    if i >= len(toks) or toks[i].kind != "word" or toks[i].text.upper() not in FORMS:
        where = _where(toks[i], name) if i < len(toks) else (name or "query")
        raise QueryError(f"{where}: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    form = toks[i].text.upper()
    if form != "SELECT":
        return QueryShape(form, None, prefixes)
    projection: list[str] = []
    depth = 0
    for j in range(i + 1, len(toks)):
        tok = toks[j]
        if tok.text == "*" and depth == 0:
            return QueryShape(form, None, prefixes)
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif tok.text == "{" or (tok.kind == "word" and tok.text.upper() == "WHERE"):
            break
        elif tok.kind == "var" and (depth == 0 or toks[j - 1].text.upper() == "AS"):
            projection.append(tok.text[1:])
    return QueryShape(form, tuple(projection), prefixes)


def check_query_text(text: str, *, allow_service: bool = False, name: str | None = None,
                     allow_from=None) -> QueryShape:
    """Refuse Update, SERVICE (unless ``allow_service``) and FROM; return the query's shape.

    ``allow_from`` (graph IRIs; the server passes the dataset's graphs) lets ``FROM`` and
    ``FROM NAMED`` name those graphs, and only those: nothing outside the dataset is read or
    fetched. Raises :class:`~missions_kg.errors.QueryError` naming the line, column and what
    would allow it.
    """
    allowed = frozenset(allow_from) if allow_from is not None else None
    raw = tokens(text)
    _check_tokens(raw, allow_service=allow_service, name=name, allow_from=allowed)
    expanded = expand_unicode_escapes(text)
    if expanded != text:
        _check_tokens(tokens(expanded), allow_service=allow_service, name=name,
                      allow_from=allowed)
    return _shape(raw, name)


def service_targets(text: str) -> list[str | None]:
    """The endpoint IRI of every ``SERVICE`` in ``text`` (None for ``SERVICE ?var``), as
    written and after ``\\u`` escapes are expanded (a stored query may declare its one
    endpoint with ``#+ service:``; see :func:`missions_kg.queries.parse_query`)."""
    found: list[str | None] = []
    for source in {text, expand_unicode_escapes(text)}:
        toks = tokens(source)
        for i, tok in enumerate(toks):
            if tok.kind == "word" and tok.text.upper() == "SERVICE":
                j = i + 1
                if j < len(toks) and toks[j].kind == "word" and toks[j].text.upper() == "SILENT":
                    j += 1
                target = toks[j] if j < len(toks) else None
                found.append(target.text[1:-1] if target is not None and target.kind == "iri"
                             else None)
    return found


def check_algebra(query, *, allow_service: bool = False, name: str | None = None) -> None:
    """Second layer for the rdflib engine: walk a prepared rdflib ``Query``'s algebra."""
    prefix = f"{name}: " if name else ""
    if getattr(query.algebra, "datasetClause", None):
        raise QueryError(f"{prefix}FROM / FROM NAMED is refused")
    seen: set[int] = set()
    stack = [query.algebra]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if getattr(node, "name", None) == "ServiceGraphPattern" and not allow_service:
            raise QueryError(f"{prefix}SERVICE is refused; pass {ALLOW_SERVICE_FLAG} to allow it")
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)


def disable_rdflib_loading() -> None:
    """Make rdflib's SPARQL engine never load graphs named in FROM / FROM NAMED."""
    import rdflib.plugins.sparql as sparql

    sparql.SPARQL_LOAD_GRAPHS = False
