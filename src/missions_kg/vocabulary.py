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
streams a build's union file (each triple once) with types from its store: a million quads
never sit in a Python list.
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


def release_path(project) -> Path:
    """The vendored release file of a ``Project``."""
    return project.root / RELEASE_FILE


def _nt(term) -> str:
    return str(term)


def _closure(start: set[str], edges: dict[str, set[str]]) -> set[str]:
    seen, stack = set(start), list(start)
    while stack:
        for nxt in edges.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


class _Dataset:
    """What the check needs to know about the whole dataset: types (asserted and inferred,
    any graph), ``rdfs:subClassOf`` edges, who points at a node, which graphs hold a triple."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.edges: dict[str, set[str]] = defaultdict(set)
        for c, supers in vocabulary.superclasses.items():
            self.edges[c] |= supers
        self.asserted: dict[ox.Term, frozenset[str]] = {}

    def set_types(self, types: dict[ox.Term, set[str]]) -> None:
        shared: dict[frozenset, frozenset] = {}  # a million nodes share a few type sets
        for node, found in types.items():
            key = frozenset(found)
            self.asserted[node] = shared.setdefault(key, key)

    def pointed_by(self, predicate: str, node) -> bool:
        raise NotImplementedError

    def graphs(self, s, p, o) -> list[str]:
        raise NotImplementedError


class _Quads(_Dataset):
    """The dataset given as quads (tests, small graphs)."""

    def __init__(self, quads: list[ox.Quad], vocabulary: Vocabulary) -> None:
        super().__init__(vocabulary)
        types: dict[ox.Term, set[str]] = defaultdict(set)
        self.pointed: set[tuple[str, ox.Term]] = set()
        self.where: dict[tuple, list[str]] = defaultdict(list)
        for q in quads:
            p = q.predicate.value
            if p == SCO and isinstance(q.object, ox.NamedNode):
                self.edges[q.subject.value].add(q.object.value)
            elif p == TYPE and isinstance(q.object, ox.NamedNode):
                types[q.subject].add(q.object.value)
            if p.startswith(S) and not isinstance(q.object, ox.Literal):
                self.pointed.add((p, q.object))
            graph = "" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
            self.where[(q.subject, q.predicate, q.object)].append(graph)
        self.set_types(types)

    def pointed_by(self, predicate: str, node) -> bool:
        return (predicate, node) in self.pointed

    def graphs(self, s, p, o) -> list[str]:
        return self.where[(s, p, o)]


class _Store(_Dataset):
    """The dataset of a build: types and subclass edges from its store's union graph."""

    def __init__(self, store: ox.Store, vocabulary: Vocabulary) -> None:
        super().__init__(vocabulary)
        self.store = store
        union = ox.DefaultGraph()
        for q in store.quads_for_pattern(None, ox.NamedNode(SCO), None, union):
            if isinstance(q.object, ox.NamedNode):
                self.edges[q.subject.value].add(q.object.value)
        types: dict[ox.Term, set[str]] = defaultdict(set)
        for q in store.quads_for_pattern(None, ox.NamedNode(TYPE), None, union):
            if isinstance(q.object, ox.NamedNode):
                types[q.subject].add(q.object.value)
        self.set_types(types)

    def pointed_by(self, predicate: str, node) -> bool:
        found = self.store.quads_for_pattern(None, ox.NamedNode(predicate), node,
                                             ox.DefaultGraph())
        return next(iter(found), None) is not None

    def graphs(self, s, p, o) -> list[str]:
        return sorted(q.graph_name.value for q in self.store.quads_for_pattern(s, p, o)
                      if not isinstance(q.graph_name, ox.DefaultGraph))


def check(quads: Iterable[ox.Quad], vocabulary: Vocabulary) -> list[Violation]:
    """Every ``schema:`` triple of ``quads`` that the vocabulary does not allow, sorted."""
    quads = list(quads)
    data = _Quads(quads, vocabulary)
    triples = dict.fromkeys((q.subject, q.predicate, q.object) for q in quads)
    return _check(triples, vocabulary, data)


def check_build(union_path: Path, store: ox.Store, vocabulary: Vocabulary) -> list[Violation]:
    """:func:`check` for a build, streamed: each triple of the union file once, types read
    from the store, so a million quads never sit in a Python list."""
    data = _Store(store, vocabulary)
    triples = ((t.subject, t.predicate, t.object)
               for t in ox.parse(path=union_path, format=ox.RdfFormat.N_TRIPLES))
    return _check(triples, vocabulary, data)


def _check(triples, vocabulary: Vocabulary, data: _Dataset) -> list[Violation]:
    closed: dict[frozenset, set[str]] = {}
    empty: frozenset = frozenset()

    def types_of(node) -> set[str]:
        start = data.asserted.get(node, empty)
        if isinstance(node, ox.NamedNode) and node.value in vocabulary.types:
            start = start | vocabulary.types[node.value]
        found = closed.get(start)
        if found is None:
            found = closed[start] = _closure(set(start), data.edges)
        return found

    out: set[Violation] = set()

    def add(s, p, o, reason):
        for graph in data.graphs(s, p, o) or [""]:
            out.add(Violation(_nt(s), _nt(p), _nt(o), reason, graph))

    for s, p_node, o in triples:
        for term in (s, p_node, o):
            if isinstance(term, ox.NamedNode) and _is_term(term.value):
                if term.value not in vocabulary.terms:
                    add(s, p_node, o, f"unknown term {_short(term.value)} (not in schema.org "
                                      f"{vocabulary.version})")
                elif term.value in vocabulary.superseded:
                    add(s, p_node, o, f"{_short(term.value)} is superseded by "
                                      f"{_short(vocabulary.superseded[term.value])}")
        p = p_node.value
        if not p.startswith(S) or p not in vocabulary.terms:
            continue
        domain = vocabulary.domains.get(p)
        if domain and not (types_of(s) & domain):
            role = S + "Role" in types_of(s) and data.pointed_by(p, s)
            if not role:
                shown = _types_text(data.asserted.get(s))
                add(s, p_node, o, f"subject is {shown}, outside the domain of {_short(p)} "
                                  f"({_list(domain)})")
        reason = _range_problem(o, vocabulary.ranges.get(p), types_of, data.asserted)
        if reason:
            add(s, p_node, o, f"{reason}, outside the range of {_short(p)} "
                              f"({_list(vocabulary.ranges[p])})")
    return sorted(out)


def _range_problem(value, range_, types_of, asserted_types) -> str | None:
    """Why ``value`` is not in ``range_`` (None when it is, or when there is no range)."""
    if not range_:
        return None
    if isinstance(value, ox.Literal):
        datatype = LANG_STRING if value.language else value.datatype.value
        accepted = set().union(*(LITERAL_DATATYPES.get(r, ()) for r in range_))
        return None if datatype in accepted else f"a literal of type {_short(datatype)}"
    if isinstance(value, ox.NamedNode) and S + "URL" in range_:
        return None
    types = types_of(value)
    if types & range_ or S + "Role" in types:
        return None
    return f"value is {_types_text(asserted_types.get(value))}"


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
