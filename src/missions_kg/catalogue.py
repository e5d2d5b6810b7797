"""Stored queries and checks: ``.rq`` documents with a ``#+`` header, read one way.

The header is YAML, read exactly as grlc reads it: every line that starts with ``#+``, with
leading ``#`` and ``+`` stripped, then ``yaml.safe_load``::

    #+ summary: Episodes of one season in broadcast order.        (required)
    #+ description: >-
    #+   Longer text, folded.
    #+ tags: [episodes, seasons]
    #+ params:
    #+   season: {type: xsd:integer, default: 1, min: 1, max: 3, doc: "season number"}
    #+ service: https://query.wikidata.org/sparql                  (a federated query only)

Our keys: ``summary``, ``description``, ``tags``, ``params`` (see :mod:`missions_kg.params`:
a parameter ``season`` is written into the query wherever ``?season`` is used, and a SELECT
projects it so each row says which value it answers for), ``service`` (the one
endpoint a federated query may call; it still runs only with ``--allow-service``). grlc's own
keys (``endpoint``, ``method``, ``pagination``, ``enumerate``, ``defaults``, ``transform``,
``endpoint_in_url``) are accepted and left to grlc. Checks (``queries/checks/*-violation.rq``)
use the same header; every row a check returns is a violation.

Reading a query never runs it: the static check (:mod:`missions_kg.safety`) and, where asked,
a parse-only syntax check (:mod:`missions_kg.syntax`) are all that happens.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import QueryError
from .headers import BadYAML, HeaderMemo, yaml_load
from .params import Param, convert, param_from_spec
from .safety import check_query_text, service_targets, tokens
from .terms import Term

KEYS = ("summary", "description", "tags", "params", "service")
GRLC_KEYS = ("endpoint", "method", "pagination", "enumerate", "defaults", "transform",
             "endpoint_in_url")


@dataclass(frozen=True)
class StoredQuery:
    """One ``.rq`` document: its header, its text, and what the static check learnt."""

    name: str
    path: Path | None
    summary: str
    description: str
    tags: tuple[str, ...]
    params: dict[str, Param]
    text: str
    form: str
    prefixes: dict[str, str] = field(default_factory=dict)
    #: the one endpoint a federated query declares (``#+ service: URL``)
    service: str | None = None

    def bind(self, values: dict[str, str] | None = None, *, lang: str = "en",
             resolve=None) -> dict[str, Term]:
        """Type and check ``-p name=value`` pairs; fill defaults; return variable → term.
        ``resolve(param, name) -> IRI`` turns names into IRIs for ``match`` parameters (see
        :mod:`missions_kg.lookup`)."""
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
            bound[name] = convert(param, raw, lang=lang, prefixes=self.prefixes, query=self.name,
                                  resolve=resolve)
        return bound

    def as_dict(self) -> dict:
        """The header as plain data (``queries --format json``, the server's ``/queries``)."""
        return {"name": self.name, "summary": self.summary, "description": self.description,
                "tags": list(self.tags), "form": self.form, "service": self.service,
                "file": self.path.as_posix() if self.path else None,
                "params": {n: p.as_dict() for n, p in self.params.items()}}


def read_header(text: str, source: str, memo: HeaderMemo | None = None) -> dict:
    """The ``#+`` header as a dict (``params`` as :class:`Param`); QueryError naming the line.
    ``memo`` remembers what YAML made of a header (see :class:`HeaderMemo`)."""
    rows = [(n, line) for n, line in enumerate(text.split("\n"), start=1)
            if line.startswith("#+")]
    header: dict = {"params": {}}
    if not rows:
        return header
    lines = "\n".join(line.lstrip("#+") for _, line in rows)
    try:
        data = memo.parse(lines) if memo is not None else yaml_load(lines)
    except BadYAML as e:
        line = rows[min(e.line, len(rows) - 1)][0] if e.line is not None else rows[0][0]
        raise QueryError(f"{source}:{line}: the #+ header is not valid YAML ({e.problem}); "
                         "quote values that hold ': ' or ', '") from None
    if data is None:
        return header
    if not isinstance(data, dict):
        raise QueryError(f"{source}:{rows[0][0]}: the #+ header must be 'key: value' lines")
    for key, value in data.items():
        if key in GRLC_KEYS:
            continue
        if key not in KEYS:
            raise QueryError(f"{source}:{_line_of(rows, key)}: unknown header key {key!r} "
                             f"({', '.join(KEYS)})")
        if key == "params":
            header["params"] = _params(value, source, rows)
        elif key == "tags":
            items = value if isinstance(value, list) else [value] if value is not None else []
            header["tags"] = tuple(str(t) for t in items)
        elif value is not None:
            header[key] = " ".join(str(value).split())
    return header


def _line_of(rows: list[tuple[int, str]], key) -> int:
    """The line where ``key:`` is written in the header (its first line if not found)."""
    for n, line in rows:
        if re.match(rf"\s*{re.escape(str(key))}\s*:", line.lstrip("#+")):
            return n
    return rows[0][0]


def _params(value, source: str, rows) -> dict[str, Param]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise QueryError(f"{source}:{_line_of(rows, 'params')}: params must map names to "
                         "{type: …, doc: …}")
    return {str(name): param_from_spec(str(name), spec, f"{source}:{_line_of(rows, name)}")
            for name, spec in value.items()}


def parse_query(text: str, *, name: str = "query", path: Path | None = None,
                require_summary: bool = True, allow_service: bool = False,
                syntax=None, headers: HeaderMemo | None = None) -> StoredQuery:
    """A query document: header, static safety check, and (given a
    :class:`missions_kg.syntax.Checker`) a parse-only syntax check. Nothing is evaluated."""
    source = str(path) if path else name
    header = read_header(text, source, headers)
    if require_summary and not header.get("summary"):
        raise QueryError(f"{source}: the header has no '#+ summary: …' line")
    service = header.get("service") or None
    if service:  # a declared federated query: SERVICE only to that one endpoint
        for target in service_targets(text):
            if target != service:
                raise QueryError(f"{source}: SERVICE {'<' + target + '>' if target else '?var'}"
                                 f" is not the endpoint the header declares ({service})")
    shape = check_query_text(text, allow_service=allow_service or bool(service), name=source)
    if syntax is not None:
        syntax.check(text, source)
    params: dict[str, Param] = header["params"]
    if shape.projection is not None:
        missing = [p for p in params if p not in shape.projection]
        if missing:
            raise QueryError(
                f"{source}: parameter ?{missing[0]} must be in the SELECT projection "
                f"(SELECT ... ?{missing[0]} ... or SELECT *), so that every row says which "
                "value it answers for")
    return StoredQuery(name, path, header.get("summary", ""), header.get("description", ""),
                       header.get("tags", ()), params, text, shape.form, shape.prefixes,
                       service)


def with_endpoint(query: StoredQuery, endpoint: str) -> StoredQuery:
    """``query`` with its declared SERVICE endpoint replaced by ``endpoint`` (an http(s) URL):
    how ``--wikidata-endpoint`` points ``queries/wikidata/*.rq`` at a mirror. Rewrites IRI
    tokens only."""
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
               allow_service: bool = False, syntax=None,
               headers: HeaderMemo | None = None) -> StoredQuery:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise QueryError(f"{path}: cannot read query: {e.__class__.__name__}") from None
    return parse_query(text.removeprefix("\ufeff"), name=query_name(path, base), path=path,
                       require_summary=require_summary, allow_service=allow_service,
                       syntax=syntax, headers=headers)


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
                   allow_service: bool = False, cache_dir: Path | None = None,
                   check_syntax: bool = True) -> Catalogue:
    """Load every query (a broken one raises: a broken catalogue is an error); with
    ``check_syntax`` each is also parsed, never run (see :mod:`missions_kg.syntax`)."""
    from .syntax import Checker

    checker = Checker(cache_dir) if check_syntax else None
    headers = HeaderMemo(cache_dir)
    catalogue = Catalogue()
    try:
        for path in sorted(Path(p) for p in paths):
            q = load_query(path, base=base, allow_service=allow_service, syntax=checker,
                           headers=headers)
            if q.name in catalogue:
                raise QueryError(f"{path}: two stored queries named {q.name!r}")
            catalogue[q.name] = q
    finally:
        headers.save()
        if checker is not None:
            checker.save()
    return catalogue


def project_catalogue(project, *, allow_service: bool = False,
                      check_syntax: bool = True) -> Catalogue:
    """Every stored query of ``project`` (``queries/**/*.rq`` but the checks), by name."""
    return load_catalogue(project.query_files(), base=project.root / "queries",
                          allow_service=allow_service, cache_dir=project.cache_dir,
                          check_syntax=check_syntax)


def project_checks(project) -> Catalogue:
    """The project's checks (``queries/checks/*-violation.rq``), by name."""
    return load_catalogue(project.check_files(), base=project.root / "queries" / "checks",
                          cache_dir=project.cache_dir)


def is_query_text(text: str) -> bool:
    """SPARQL text rather than a stored query's name or a ``.rq`` path (a name has no spaces
    and no braces)."""
    return not text or any(c.isspace() or c in "{}" for c in text)


def resolve(name_or_file: str, catalogue_paths: Iterable[Path | str] | None = None, *,
            allow_service: bool = False, headers: HeaderMemo | None = None) -> StoredQuery:
    """``query NAME|FILE.rq|'SELECT …'``: SPARQL text (an ad-hoc query, header optional), a
    path to an existing ``.rq`` file (header optional), else a stored query name. Not
    syntax-checked here: the engine parses it before running it."""
    if is_query_text(name_or_file):
        return parse_query(name_or_file, require_summary=False, allow_service=allow_service)
    candidate = Path(name_or_file)
    if name_or_file.endswith(".rq") or candidate.is_file():
        if not candidate.is_file():
            raise QueryError(f"{name_or_file}: no such query file")
        return load_query(candidate, require_summary=False, allow_service=allow_service,
                          headers=headers)
    paths = list(catalogue_paths or [])
    by_name = {query_name(p): p for p in paths}
    if name_or_file in by_name:
        return load_query(by_name[name_or_file], allow_service=allow_service, headers=headers)
    return Catalogue(dict.fromkeys(by_name)).get_query(name_or_file)
