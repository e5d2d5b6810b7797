"""The exact text a query runs as: parameters written in as RDF terms, prefixes declared.

Every engine and every store gets the same text (``query --show`` prints it): the embedded
pyoxigraph, rdflib, and any SPARQL 1.1 endpoint (``--endpoint``). Nothing is bound through an
engine's API, so a stored query gives the same rows everywhere.

* **Parameters** are typed and checked terms (:mod:`missions_kg.params`), written in their
  N-Triples spelling (:meth:`~missions_kg.terms.Term.n3`: IRIs validated, literals escaped;
  never raw user text) wherever the query uses the variable, found by the SPARQL lexer
  (never inside strings, IRIs or comments). That is what pyoxigraph's ``substitutions`` do,
  in sub-selects and nested groups too. Projected by the query, a parameter becomes
  ``(term AS ?x)``, so the column stays; sub-selects stop projecting it, GROUP BY and ORDER BY
  drop it; assigning a parameter (``AS ?x``) is refused.
* **The header** (``#+`` lines) is left out: it documents the query for people and tools,
  and its parameters are already written in.
* **Prefixes**: a prefixed name whose prefix the query does not declare but the project knows
  (``schema:``, ``mkgid:``, … :data:`missions_kg.iris.PREFIXES`) gets its ``PREFIX`` line;
  any other undeclared prefix stays an error (a typo).

A syntax error in the runnable text is reported at its line and column in the text the user
wrote: :class:`Runnable` maps positions back through the edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import QueryError
from .iris import PREFIXES
from .safety import Token, declared_prefixes, tokens
from .terms import Term


@dataclass(frozen=True)
class Runnable:
    """A query's runnable ``text``, and the ``edits`` that made it from the ``original``:
    (offset in the original, characters replaced there, new text), in order."""

    text: str
    original: str
    edits: tuple[tuple[int, int, str], ...] = field(default_factory=tuple)

    def original_position(self, line: int, column: int) -> tuple[int, int]:
        """(line, column), 1-based, in the original text of a position in :attr:`text`."""
        offset, delta = _offset(self.text, line, column), 0
        for at, removed, new in self.edits:
            start = at + delta
            if offset < start:
                break
            if offset < start + len(new):  # inside an edit: point at where it was made
                return _line_col(self.original, at)
            delta += len(new) - removed
        return _line_col(self.original, max(0, offset - delta))


def _offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    line = min(max(line, 1), len(lines))
    return sum(len(x) + 1 for x in lines[: line - 1]) + max(column - 1, 0)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def runnable(text: str, bindings: dict[str, Term] | None = None, *,
             name: str = "query") -> Runnable:
    """``text`` with its parameters written in and the project prefixes it uses declared."""
    toks = tokens(text)
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)

    def at(tok: Token) -> int:
        return starts[tok.line - 1] + tok.column - 1

    edits: list[tuple[int, int, str]] = []
    for n, line in enumerate(text.split("\n")):  # the #+ header: documentation, not query
        if line.startswith("#+"):
            edits.append((starts[n], min(len(line) + 1, len(text) - starts[n]), ""))
    missing = undeclared_project_prefixes(toks)
    if missing:
        first = toks[0]
        where = starts[first.line - 1]
        block = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in missing)
        if at(first) != where:  # a comment before it on its line: start a line of our own
            where, block = at(first), "\n" + block
        edits.append((where, 0, block))
    if bindings:
        edits += _param_edits(toks, bindings, at, name)
    edits.sort()
    out, last = [], 0
    for offset, removed, new in edits:
        out += [text[last:offset], new]
        last = offset + removed
    return Runnable("".join(out) + text[last:], text, tuple(edits))


def _param_edits(toks: list[Token], bindings: dict[str, Term], at, name: str):
    """The edits that write each parameter in. In the query's own SELECT clause a parameter
    becomes ``(term AS ?x)``, so the column stays; a sub-select need not project it (every
    use is written in), and must not, since ``AS ?x`` on a variable in scope is an error;
    GROUP BY / ORDER BY drop it (a constant neither groups nor orders; the clause goes when
    it was its only item). Anywhere else, the term itself."""
    edits = []
    clause, depth, items, keyword, selects = None, 0, [], None, 0

    def close_clause():
        if clause in ("condition", "subselect") and items:
            params = [t for t in items if t.kind == "var" and t.text[1:] in bindings]
            if clause == "subselect" and len(params) == len(items):
                edits.extend((at(t), len(t.text), f"({bindings[t.text[1:]].n3()} AS {t.text})")
                             for t in params)  # nothing else to project: keep the column
            elif len(params) == len(items) and clause == "condition":
                end = params[-1]
                edits.append((at(keyword), at(end) + len(end.text) - at(keyword), ""))
            else:
                edits.extend((at(t), len(t.text), "") for t in params)

    for i, tok in enumerate(toks):
        word = tok.text.upper() if tok.kind == "word" else None
        if word == "BY" and i and toks[i - 1].text.upper() in ("GROUP", "ORDER"):
            clause, depth, items, keyword = "condition", 0, [], toks[i - 1]
            continue
        if word in ("SELECT", "WHERE", "HAVING", "LIMIT", "OFFSET", "VALUES", "GROUP",
                    "ORDER") or (tok.text in ("{", "}") and depth == 0):
            close_clause()
            clause, items = None, []
            if word == "SELECT":
                selects += 1
                clause = "project" if selects == 1 else "subselect"
                continue
            depth = 0
        if clause in ("condition", "subselect") and depth == 0 and tok.text.upper() not in (
                "DISTINCT", "REDUCED"):
            items.append(tok)
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        if tok.kind != "var" or tok.text[1:] not in bindings:
            continue
        if i and toks[i - 1].text.upper() == "AS":
            raise QueryError(f"{name}: line {tok.line}, column {tok.column}: the parameter "
                             f"{tok.text} is assigned in the query (AS {tok.text}); a "
                             "parameter is given, not computed: rename one of them")
        if clause in ("condition", "subselect") and depth == 0:
            continue  # decided when the clause closes
        term = bindings[tok.text[1:]].n3()
        new = f"({term} AS {tok.text})" if clause == "project" and depth == 0 else term
        edits.append((at(tok), len(tok.text), new))
    close_clause()
    return edits


def undeclared_project_prefixes(toks: list[Token]) -> list[str]:
    """Project prefixes used in prefixed names but not declared, in order of first use."""
    declared = declared_prefixes(toks)
    found: list[str] = []
    for i, tok in enumerate(toks):
        if tok.kind != "pname" or (i and toks[i - 1].text.upper() == "PREFIX"):
            continue
        prefix = tok.text.split(":", 1)[0]
        if prefix in PREFIXES and prefix not in declared and prefix not in found:
            found.append(prefix)
    return found
