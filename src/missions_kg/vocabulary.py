"""Check every ``schema:`` triple against the schema.org release vocabulary.

schema.org states no ``rdfs:domain``/``rdfs:range``: a property lists the types it is meant
for (``schema:domainIncludes``) and the types of its values (``schema:rangeIncludes``). A
schema.org-only consumer (a search engine, a validator) reads our data that way, without our
ontology's reasoning, so ``check()`` holds every triple whose predicate is a ``schema:`` term
to those lists, with the vendored release file as the reference
(``ontology/imports/schemaorg-30.0-current-https.ttl.gz``, see the README there; it is not
part of the dataset). A triple is a violation when

* a ``schema:`` IRI (in any position) is not a term of the release ("unknown term"), or is
  superseded by another term;
* its subject has no type that is, or is a subclass of, one of the property's
  ``domainIncludes`` (subclasses from schema.org *and* from the dataset's own
  ``rdfs:subClassOf`` axioms, so ``mkg:FictionalCharacter`` counts as a ``schema:Person``);
* its object is outside ``rangeIncludes``: a node must have a type in the range (closed the
  same way); a literal must have a datatype that the range's schema.org data type accepts
  (``LITERAL_DATATYPES``: ``Text`` takes strings, ``Date`` takes ``xsd:date``/``gYear``/
  ``gYearMonth``, ``Duration`` takes ``xsd:duration`` …); a ``URL`` range takes any IRI.

schema.org's Role pattern is honoured: a ``schema:Role`` may stand in for the value of any
property (``<series> schema:actor <role>``), and a role carries the same property as the
thing that points at it (``<role> schema:actor <person>``), so its domain is that thing's.

Types are read from the whole dataset (every graph, asserted and inferred), so a node typed
in one source graph is typed for all. pyoxigraph only: no rdflib import. :func:`check_build`
reads a build's union file (each triple once) as lines, three times: a million quads never
sit in a Python list.
"""

from __future__ import annotations

import gzip
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from . import iris
from .linesort import SUBCLASS_MARK, TYPE_MARK
from .rules import reachable

RELEASE = "30.0"
#: The vendored release file, relative to the project root.
RELEASE_FILE = Path("ontology") / "imports" / "schemaorg-30.0-current-https.ttl.gz"
#: sha256 of the compressed file, as recorded in ontology/imports/README.md.
RELEASE_SHA256 = "dc92c946f4081b5bdaff7ca391a848cf768879b989069ab90f73eba905821378"

S, X = iris.SCHEMA, iris.XSD
TYPE, SCO = iris.RDF + "type", iris.RDFS + "subClassOf"
LANG_STRING = iris.RDF + "langString"
_INTEGERS = {X + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte")}
_STRINGS = {X + "string", LANG_STRING, X + "normalizedString", X + "token", X + "language"}
#: Literal datatypes each schema.org data type accepts. ``Date`` takes the reduced
#: precisions of ISO 8601 (a year, a year and month); ``Duration`` and ``URL`` are classes
#: in schema.org whose values are written as literals.
LITERAL_DATATYPES: dict[str, frozenset[str]] = {S + k: frozenset(v) for k, v in {
    "Text": _STRINGS,
    "URL": {X + "anyURI"},
    "Number": _INTEGERS | {X + "decimal", X + "double", X + "float"},
    "Integer": _INTEGERS,
    "Float": {X + "decimal", X + "double", X + "float"},
    "Boolean": {X + "boolean"},
    "Date": {X + "date", X + "gYear", X + "gYearMonth"},
    "DateTime": {X + "dateTime", X + "dateTimeStamp"},
    "Time": {X + "time"},
    "Duration": {X + "duration", X + "dayTimeDuration", X + "yearMonthDuration"},
}.items()}


@dataclass(frozen=True, order=True)
class Violation:
    """One ``schema:`` triple that schema.org does not allow; terms in N-Triples syntax."""

    focus: str
    predicate: str
    value: str
    reason: str
    graph: str = ""  # the named graph holding the triple ("" for a default graph)


@dataclass
class Vocabulary:
    """What ``check()`` needs from one schema.org release file."""

    version: str
    terms: set[str] = field(default_factory=set)  # classes, properties, enumeration members
    superclasses: dict[str, set[str]] = field(default_factory=dict)  # direct, schema.org
    types: dict[str, set[str]] = field(default_factory=dict)  # of enumeration members
    domains: dict[str, set[str]] = field(default_factory=dict)
    ranges: dict[str, set[str]] = field(default_factory=dict)
    superseded: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=4)
def load(path: Path, version: str = RELEASE) -> Vocabulary:
    """Read a schema.org release file (Turtle, optionally gzipped); ~25 ms."""
    data = Path(path).read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    vocab = Vocabulary(version)
    sco, types = defaultdict(set), defaultdict(set)
    domains, ranges = defaultdict(set), defaultdict(set)
    for t in ox.parse(data, format=ox.RdfFormat.TURTLE):
        s, p, o = t.subject.value, t.predicate.value, t.object.value
        if not s.startswith(S):
            continue
        if p == TYPE:
            vocab.terms.add(s)
            if o.startswith(S):
                types[s].add(o)
        elif p == SCO:
            sco[s].add(o)
        elif p == S + "domainIncludes":
            domains[s].add(o)
        elif p == S + "rangeIncludes":
            ranges[s].add(o)
        elif p == S + "supersededBy":
            vocab.superseded[s] = o
    vocab.superclasses, vocab.types = dict(sco), dict(types)
    vocab.domains, vocab.ranges = dict(domains), dict(ranges)
    return vocab


def load_cached(path: Path, cache_dir: Path) -> Vocabulary:
    """:func:`load`, kept as JSON in ``cache_dir`` under the release file's hash: reading the
    JSON takes a tenth of parsing the release (what ``validate`` pays on every run)."""
    import json

    from .cache import StatIndex

    index = StatIndex.of(cache_dir)
    try:  # keyed by the release and by this reader's code: an edit here drops the old copy
        digest = index.digest(Path(path))[:16] + index.digest(Path(__file__))[:8]
    except OSError:
        return load(path)
    finally:
        index.save()
    kept = cache_dir / f"schemaorg-{RELEASE}-{digest}.json"
    try:
        data = json.loads(kept.read_text(encoding="utf-8"))
        return Vocabulary(data["version"], set(data["terms"]),
                          *({k: set(v) for k, v in data[name].items()}
                            for name in ("superclasses", "types", "domains", "ranges")),
                          dict(data["superseded"]))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    vocab = load(path)
    data = {"version": vocab.version, "terms": sorted(vocab.terms),
            "superseded": vocab.superseded,
            **{name: {k: sorted(v) for k, v in getattr(vocab, name).items()}
               for name in ("superclasses", "types", "domains", "ranges")}}
    try:
        from .files import atomic_write

        atomic_write(kept, json.dumps(data, sort_keys=True).encode())
    except OSError:
        pass
    return vocab


def release_path(project) -> Path:
    """The vendored release file of a ``Project``."""
    return project.root / RELEASE_FILE


def _nt(term) -> str:
    return str(term)


_S = b"<" + S.encode()


def _iri(term: bytes) -> str:
    """``<…>`` as the IRI it writes (N-Triples ``\\u`` escapes undone)."""
    text = term[1:-1].decode("utf-8")
    return text.encode().decode("unicode_escape") if "\\" in text else text


def _datatype(literal: bytes) -> str:
    suffix = literal[literal.rindex(b'"') + 1:]
    if not suffix:
        return X + "string"
    return LANG_STRING if suffix[:1] == b"@" else _iri(suffix[2:])


def check(quads: Iterable[ox.Quad], vocabulary: Vocabulary) -> list[Violation]:
    """Every ``schema:`` triple of ``quads`` that the vocabulary does not allow, sorted."""
    from .linesort import ascii_line

    where: dict[tuple, list[str]] = defaultdict(list)
    for q in quads:
        graph = "" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        where[(q.subject, q.predicate, q.object)].append(graph)
    lines = sorted({ascii_line(f"{s} {p} {o} .\n".encode()) for s, p, o in where})
    return _check(lambda: lines, vocabulary, lambda s, p, o: where[(s, p, o)])


def check_build(union_path: Path, store: ox.Store, vocabulary: Vocabulary) -> list[Violation]:
    """:func:`check` for a build: its union file (each triple once, N-Triples) read as lines,
    three times, never held; a violation's graphs from the store."""
    def lines():
        with open(union_path, "rb", buffering=1 << 20) as handle:
            yield from handle

    def graphs(s, p, o):
        return sorted(q.graph_name.value for q in store.quads_for_pattern(s, p, o)
                      if not isinstance(q.graph_name, ox.DefaultGraph))

    return _check(lines, vocabulary, graphs)


def _check(lines, vocabulary: Vocabulary, graphs) -> list[Violation]:
    """The check over the union as N-Triples lines (``lines()`` gives them again; ASCII).
    What a verdict depends on (the predicate, the asserted types of subject and object, a
    literal's datatype) repeats across a million triples: each answer is worked out once."""
    edges: dict[str, set[str]] = defaultdict(set)
    for c, supers in vocabulary.superclasses.items():
        edges[c] |= supers
    found: dict[bytes, set[str]] = defaultdict(set)
    for line in lines():  # 1: asserted types (any graph, inferred too) and subclass edges
        if TYPE_MARK in line or SUBCLASS_MARK in line:
            s, p, o = line[:-3].split(b" ", 2)
            if o[:1] == b"<" and p == TYPE_MARK[1:-1]:
                found[s].add(_iri(o))
            elif o[:1] == b"<" and p == SUBCLASS_MARK[1:-1]:
                edges[_iri(s)].add(_iri(o))
    shared: dict[frozenset, frozenset] = {}  # a million nodes share a few type sets
    types = {node: shared.setdefault(frozenset(t), frozenset(t)) for node, t in found.items()}
    closed: dict[frozenset, set[str]] = {}
    empty: frozenset = frozenset()

    def types_of(node: bytes) -> set[str]:
        start = types.get(node, empty)
        if node.startswith(_S) and _iri(node) in vocabulary.types:
            start = start | vocabulary.types[_iri(node)]
        if start not in closed:
            closed[start] = reachable(start, edges)
        return closed[start]

    roles = {n for n, t in types.items() if S + "Role" in types_of(n)}
    pointing: dict[bytes, set[bytes]] = defaultdict(set)  # role node -> predicates to it
    for line in lines() if roles else ():  # 2: who points at a Role (schema.org's pattern)
        _s, p, o = line[:-3].split(b" ", 2)
        if o in roles:
            pointing[o].add(p)
    out: set[Violation] = set()
    terms: dict[bytes, str | None] = {}
    domain_ok: dict[tuple, bool] = {}
    range_why: dict[tuple, str | None] = {}

    def term_problem(term: bytes) -> str | None:
        if term not in terms:
            value, terms[term] = _iri(term), None
            if not _is_term(value):
                pass
            elif value not in vocabulary.terms:
                terms[term] = (f"unknown term {_short(value)} (not in schema.org "
                               f"{vocabulary.version})")
            elif value in vocabulary.superseded:
                terms[term] = (f"{_short(value)} is superseded by "
                               f"{_short(vocabulary.superseded[value])}")
        return terms[term]

    def add(line: bytes, reason: str) -> None:
        t = next(iter(ox.parse(line, format=ox.RdfFormat.N_TRIPLES)))
        for graph in graphs(t.subject, t.predicate, t.object) or [""]:
            out.add(Violation(_nt(t.subject), _nt(t.predicate), _nt(t.object), reason, graph))

    for line in lines():  # 3: every triple
        s, p_b, o = line[:-3].split(b" ", 2)
        for term in (s, p_b, o):
            reason = term_problem(term) if term.startswith(_S) else None
            if reason:
                add(line, reason)
        if not p_b.startswith(_S):
            continue
        p = _iri(p_b)
        if p not in vocabulary.terms:
            continue
        domain = vocabulary.domains.get(p)
        if domain:
            key = (p, types.get(s, empty), s if s.startswith(_S) else None)
            if key not in domain_ok:
                domain_ok[key] = bool(types_of(s) & domain)
            if not domain_ok[key] and not (s in roles and p_b in pointing.get(s, ())):
                add(line, f"subject is {_types_text(types.get(s))}, outside the domain of "
                          f"{_short(p)} ({_list(domain)})")
        range_ = vocabulary.ranges.get(p)
        if range_:
            key = ((p, _datatype(o)) if o[:1] == b'"' else
                   (p, o) if o.startswith(_S) else (p, types.get(o, empty), o[:1]))
            if key not in range_why:
                range_why[key] = _range_problem(o, range_, types_of, types)
            if range_why[key]:
                add(line, f"{range_why[key]}, outside the range of {_short(p)} "
                          f"({_list(range_)})")
    return sorted(out)


def _range_problem(value: bytes, range_, types_of, types) -> str | None:
    """Why ``value`` is not in ``range_`` (None when it is)."""
    if value[:1] == b'"':
        datatype = _datatype(value)
        accepted = set().union(*(LITERAL_DATATYPES.get(r, ()) for r in range_))
        return None if datatype in accepted else f"a literal of type {_short(datatype)}"
    if value[:1] == b"<" and S + "URL" in range_:
        return None
    found = types_of(value)
    if found & range_ or S + "Role" in found:
        return None
    return f"value is {_types_text(types.get(value))}"


def _is_term(value: str) -> bool:
    local = value[len(S):] if value.startswith(S) else ""
    return bool(local) and "/" not in local and "#" not in local


_SHORT = {iris.SCHEMA: "schema:", iris.ONTOLOGY: "mkg:", iris.XSD: "xsd:", iris.RDF: "rdf:",
          iris.PROV: "prov:"}


def _short(value: str) -> str:
    for ns, prefix in _SHORT.items():
        if value.startswith(ns):
            return prefix + value[len(ns):]
    return f"<{value}>"


def _list(values) -> str:
    return ", ".join(sorted(_short(v) for v in values))


def _types_text(types) -> str:
    shown = sorted(_short(t) for t in types or ())
    return "typed " + ", ".join(shown[:4]) if shown else "untyped"
