"""Stored queries: ``.rq`` documents with a ``#+`` header (grlc style), typed parameters.

A stored query opens with ``#+ key: value`` lines::

    #+ summary: Episodes of one season in broadcast order.        (required)
    #+ description: Longer text; indented "#+   …" lines continue it.
    #+ tags: [episodes, seasons]
    #+ params:
    #+   season: {type: xsd:integer, default: 1, min: 1, max: 3, doc: season number}
    #+   actor: {type: iri, doc: the actor, e.g. mkgid:helene-vivies}

A parameter ``season`` binds the variable ``?season``. In a SELECT query that variable must be in
the projection (``SELECT ?season …`` or ``SELECT *``): pyoxigraph binds by substitution
(SEP-0007), which requires it, and then both engines agree. A parameter named ``lang`` is bound
from ``--lang`` unless given with ``-p``. Values are typed and checked here, then bound as RDF
terms by the engine; they are never pasted into the query text.

Parameter types: ``iri`` (absolute IRI, or a CURIE with the project or the query's prefixes),
``xsd:integer`` (64-bit, ``min``/``max``), ``xsd:decimal``, ``xsd:boolean``, ``xsd:date``
(YYYY-MM-DD), ``xsd:gYear``, ``xsd:string`` or ``literal`` (a plain string), ``langString``
(tag from a ``@xx`` suffix, else the spec's ``lang:``, else ``--lang``). ``lang: any`` on a
``literal`` documents that the query compares ``STR(?x)``, so labels in any language match.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from missions_kg.errors import QueryError
from missions_kg.params import Param, convert, parse_param
from missions_kg.results import Term
from missions_kg.safety import check_query_text

_SYNTAX = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)

@dataclass(frozen=True)
class StoredQuery:
    name: str
    path: Path | None
    summary: str
    description: str
    tags: tuple[str, ...]
    params: dict[str, Param]
    text: str
    form: str
    prefixes: dict[str, str] = field(default_factory=dict)
    #: the one endpoint a federated query declares (``#+ service: URL``); it still runs only
    #: with ``--allow-service`` (the engine re-checks), and the CLI may point it elsewhere
    service: str | None = None

    def bind(self, values: dict[str, str] | None = None, *, lang: str = "en") -> dict[str, Term]:
        """Type and check ``-p name=value`` pairs; fill defaults; return variable → term."""
        values = dict(values or {})
        unknown = sorted(set(values) - set(self.params))
        if unknown:
            known = ", ".join(self.params) or "none"
            raise QueryError(f"{self.name}: unknown parameter {unknown[0]!r} (declared: {known})")
        if "lang" in self.params and "lang" not in values:
            values["lang"] = lang
        bound: dict[str, Term] = {}
        for name, param in self.params.items():
            raw = values.get(name, param.default)
            if raw is None:
                raise QueryError(f"{self.name}: missing parameter {name} ({param.type}"
                                 f"{': ' + param.doc if param.doc else ''}); "
                                 f"give it with -p {name}=VALUE")
            bound[name] = convert(param, raw, lang=lang, prefixes=self.prefixes, query=self.name)
        return bound


def parse_header(text: str, source: str) -> dict:
    """Read the ``#+`` lines at the top of a query into a dict (params as :class:`Param`)."""
    header: dict = {"params": {}}
    key = None
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#+"):
            if line.strip() and not line.lstrip().startswith("#"):
                break
            continue
        body = line[2:]
        indented = body.startswith("  ") and key is not None
        body = body.strip()
        if not body:
            continue
        if indented and key == "params":
            pname, sep, spec = body.partition(":")
            if not sep or not re.fullmatch(r"[A-Za-z_]\w*", pname.strip()):
                raise QueryError(f"{source}:{n}: expected 'name: {{type: …}}' under params")
            param = parse_param(pname.strip(), spec.strip(), f"{source}:{n}")
            header["params"][param.name] = param
        elif indented:
            header[key] = f"{header[key]} {body}".strip()
        else:
            key, sep, value = (s.strip() for s in body.partition(":"))
            if not sep:
                raise QueryError(f"{source}:{n}: header line must read '#+ key: value'")
            if key not in ("summary", "description", "tags", "params", "service"):
                raise QueryError(f"{source}:{n}: unknown header key {key!r} "
                                 "(summary, description, tags, params, service)")
            if key == "tags":
                header["tags"] = tuple(t.strip() for t in value.strip("[]").split(",")
                                       if t.strip())
            elif key != "params":
                header[key] = value
    return header




def parse_query(text: str, *, name: str = "query", path: Path | None = None,
                require_summary: bool = True, allow_service: bool = False) -> StoredQuery:
    """Parse a query document: header, safety checks, syntax check (without running it)."""
    source = str(path) if path else name
    header = parse_header(text, source)
    if require_summary and not header.get("summary"):
        raise QueryError(f"{source}: the header has no '#+ summary: …' line")
    service = header.get("service") or None
    if service:  # a declared federated query: SERVICE only to that one endpoint
        from missions_kg.safety import service_targets

        for target in service_targets(text):
            if target != service:
                raise QueryError(f"{source}: SERVICE {'<' + target + '>' if target else '?var'}"
                                 f" is not the endpoint the header declares ({service})")
    shape = check_query_text(text, allow_service=allow_service or bool(service), name=source)
    check_syntax(text, source)
    params: dict[str, Param] = header["params"]
    if shape.projection is not None:
        missing = [p for p in params if p not in shape.projection]
        if missing:
            raise QueryError(
                f"{source}: parameter ?{missing[0]} must be in the SELECT projection "
                f"(SELECT ... ?{missing[0]} ... or SELECT *): parameters are bound by "
                "substitution, which needs the variable projected")
    return StoredQuery(name, path, header.get("summary", ""), header.get("description", ""),
                       header.get("tags", ()), params, text, shape.form, shape.prefixes,
                       service)


def check_syntax(text: str, source: str) -> None:
    """Parse with pyoxigraph (strict; line and column) over an empty store; never runs it
    against data. Call only after :func:`~missions_kg.safety.check_query_text`."""
    import pyoxigraph

    try:
        pyoxigraph.Store().query(text)
    except SyntaxError as e:
        m = _SYNTAX.match(str(e))
        if not m:
            raise QueryError(f"{source}: invalid SPARQL: {_short(str(e))}") from None
        line, col, detail = int(m.group(1)), int(m.group(2)), m.group(3)
        if "Prefix not found" in detail:
            line, col, detail = _undeclared_prefix(text) or (line, col, detail)
        raise QueryError(f"{source}:{line}:{col}: invalid SPARQL: {_short(detail)}") from None


def _undeclared_prefix(text: str):
    from missions_kg.safety import check_query_text, tokens

    declared = check_query_text(text, allow_service=True).prefixes
    toks = tokens(text)
    for i, tok in enumerate(toks):
        prefix = tok.text.split(":", 1)[0]
        after_prefix_kw = i > 0 and toks[i - 1].text.upper() == "PREFIX"
        if tok.kind == "pname" and not after_prefix_kw and prefix not in declared:
            return tok.line, tok.column, f"undeclared prefix {prefix + ':'!r}"
    return None


def _short(detail: str, limit: int = 160) -> str:
    detail = " ".join(detail.split())
    return detail if len(detail) <= limit else detail[: limit - 1] + "…"


def with_endpoint(query: StoredQuery, endpoint: str) -> StoredQuery:
    """``query`` with its declared SERVICE endpoint replaced by ``endpoint`` (an http(s) URL):
    how tests point ``queries/wikidata/*.rq`` at a local stub. Rewrites IRI tokens only."""
    import dataclasses

    from missions_kg.safety import tokens

    if not query.service or endpoint == query.service:
        return query
    if not re.fullmatch(r"https?://[^\s<>\"{}|^`\\]+", endpoint):
        raise QueryError(f"{endpoint!r} is not an http(s) endpoint URL")
    text, out, last = query.text, [], 0
    offsets = [0]  # where each line starts (the lexer counts lines by "\n" only)
    for line in text.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    for tok in tokens(text):
        if tok.kind == "iri" and tok.text == f"<{query.service}>":
            start = offsets[tok.line - 1] + tok.column - 1
            out += [text[last:start], f"<{endpoint}>"]
            last = start + len(tok.text)
    new = "".join(out) + text[last:]
    return dataclasses.replace(query, text=new, service=endpoint)


def query_name(path: Path, base: Path | None = None) -> str:
    """``queries/cast.rq`` → ``cast``; ``queries/wikidata/links.rq`` → ``wikidata/links``."""
    path = Path(path)
    if base is None:
        parents = [p for p in path.parents if p.name == "queries"]
        base = parents[0] if parents else path.parent
    try:
        return path.relative_to(base).with_suffix("").as_posix()
    except ValueError:
        return path.stem


def load_query(path: Path | str, *, base: Path | None = None, require_summary: bool = True,
               allow_service: bool = False) -> StoredQuery:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise QueryError(f"{path}: cannot read query: {e.__class__.__name__}") from None
    return parse_query(text.removeprefix("\ufeff"), name=query_name(path, base), path=path,
                       require_summary=require_summary, allow_service=allow_service)


class Catalogue(dict):
    """name → :class:`StoredQuery`; :meth:`get_query` suggests close names on a miss."""

    def get_query(self, name: str) -> StoredQuery:
        if name in self:
            return self[name]
        close = difflib.get_close_matches(name, list(self), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else (
            f"; stored queries: {', '.join(sorted(self)[:10])}" if self else "")
        raise QueryError(f"no stored query named {name!r}{hint} "
                         "(missions-kg queries lists them)")


def load_catalogue(paths: Iterable[Path | str], *, base: Path | None = None,
                   allow_service: bool = False) -> Catalogue:
    """Load every query; the first broken one raises (a broken catalogue is an error)."""
    catalogue = Catalogue()
    for path in sorted(Path(p) for p in paths):
        q = load_query(path, base=base, allow_service=allow_service)
        if q.name in catalogue:
            raise QueryError(f"{path}: two stored queries named {q.name!r}")
        catalogue[q.name] = q
    return catalogue


def resolve(name_or_file: str, catalogue_paths: Iterable[Path | str] | None = None, *,
            allow_service: bool = False) -> StoredQuery:
    """``query NAME|FILE.rq``: a path to an existing ``.rq`` file (header optional), else a
    stored query name."""
    candidate = Path(name_or_file)
    if name_or_file.endswith(".rq") or candidate.is_file():
        if not candidate.is_file():
            raise QueryError(f"{name_or_file}: no such query file")
        return load_query(candidate, require_summary=False, allow_service=allow_service)
    paths = list(catalogue_paths or [])
    by_name = {query_name(p): p for p in paths}
    if name_or_file in by_name:
        return load_query(by_name[name_or_file], allow_service=allow_service)
    return Catalogue(dict.fromkeys(by_name)).get_query(name_or_file)
