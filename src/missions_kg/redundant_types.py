"""Leave out of the SHACL engine's input the ``rdf:type`` triples the class hierarchy implies.

Inference types every node with all its superclasses (a ``schema:PerformanceRole`` is also a
``schema:Role``, a ``schema:Intangible``): at a million quads that is 187k of the union's
296k type triples, a fifth of what pyshacl-turbo reads and indexes. SHACL never needs them:
``sh:class`` and ``sh:targetClass`` mean "a SHACL instance", ``rdf:type/rdfs:subClassOf*``,
and the ``rdfs:subClassOf`` triples stay. So for each node, a type is dropped when another
type of the same node is a strict subclass of it (:func:`implied_types`); the most specific
ones are kept, and every dropped one is reachable from a kept one. Measured at a million
quads (interleaved A/B of ``validate``): median CPU -19%, peak memory -132 MB
(docs/benchmarks.md).

That holds only while the shapes read types through ``sh:class`` and targets alone:
:func:`shapes_allow` says no when a shape could see an ``rdf:type`` triple itself (``rdf:type``
named as a path, target, list member or ``sh:equals``; ``sh:closed``; a declared namespace
that ends inside the name; SPARQL that a tokenizer cannot clear, :func:`query_may_read_types`),
and the input is then given whole: only slower. ``tests/test_shacl_parity.py`` holds the
pruned input to pySHACL's report on the whole one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import iris
from .linesort import SUBCLASS_MARK, TYPE_MARK
from .rules import reachable

_READ = (iris.RDF + "type", iris.RDFS + "subClassOf")
_QUERIES = {iris.SH + name for name in ("select", "ask", "construct", "update")}
#: In a query's text: ``a``, a type or subclass name (``DATATYPE`` too), an escape
#: (``\u0074ype``), BASE (relative IRIs), a negated property set (``!schema:name``).
_NAMES_TYPES = re.compile(
    r"\ba\b|type|subClassOf|\\[uU]|\bBASE\b|!\s*\(?\s*(?:<|\^|[\w.-]*:|a\b)", re.IGNORECASE)
_IRI = re.compile(r"<[^<>\s]*>")
_STRING = re.compile(r"(\"\"\"|'''|\"|')(?:\\.|(?!\1).)*?\1", re.DOTALL)
_PREFIX = re.compile(r"PREFIX\s+[\w.-]*:\s*<([^<>\s]*)>", re.IGNORECASE)
_TOKEN = re.compile(r"[?$]\w+|[\w.-]*:(?:[\w.-]*[\w-])?|\w+|[^\s\w]")


def shapes_allow(shape_quads: Iterable) -> bool:
    """Whether the shapes give the same report on data without implied type triples: no
    shape may name ``rdf:type`` (a path, target, list, ``sh:equals``...), be closed, declare
    a namespace that ends inside the name, or run SPARQL that could read a type triple
    (:func:`query_may_read_types`)."""
    import pyoxigraph as ox

    rdf_type = ox.NamedNode(iris.RDF + "type")
    for q in shape_quads:
        predicate, value = q.predicate.value, q.object.value
        if q.object == rdf_type:
            return False
        if predicate == iris.SH + "closed" and value not in ("false", "0"):
            return False
        if predicate == iris.SH + "namespace" and _hides_part_of_a_name(value):
            return False
        if predicate in _QUERIES and query_may_read_types(value):
            return False
    return True


def query_may_read_types(text: str) -> bool:
    """A tokenizer's judgement, not a parser's, so doubt means True: False only when the
    query names no type, hides none behind a prefix or an escape, has no comment, and each
    variable is a subject before a named predicate (``$this schema:name``), the object after
    one (``schema:name ?title``) or ``SELECT $this WHERE`` alone. A variable predicate
    (``?s ?p ?o``, ``; ?p``, ``[ ?p``) would read type triples too; so would FILTERs and
    projections for all this check can tell, and they are refused alike."""
    if _NAMES_TYPES.search(text) or any(map(_hides_part_of_a_name, _PREFIX.findall(text))):
        return True
    iris_ = _IRI.findall(text)
    if any("?" in i or "$" in i for i in iris_):  # "<" and ">" as operators, or odd IRIs
        return True
    bare = _STRING.sub(" STR ", _IRI.sub(" IRI ", text))
    if "#" in bare:  # a comment can hide anything from a tokenizer
        return True
    tokens = [""] * 2 + _TOKEN.findall(bare) + [""]
    for i, token in enumerate(tokens):
        if token[:1] not in ("?", "$"):
            continue
        before, earlier, after = tokens[i - 1], tokens[i - 2], tokens[i + 1]
        projected = before.upper() == "SELECT" and after.upper() in ("WHERE", "{")
        subject = _named(after) and before in ("{", ".", "}")
        obj = _named(before) and (_named(earlier) or earlier[:1] in ("?", "$"))
        if not (projected or subject or obj):
            return True
    return False


def _named(token: str) -> bool:
    """An IRI or a prefixed name: a predicate written out."""
    return token == "IRI" or (":" in token and token[:1] not in ("?", "$"))


def _hides_part_of_a_name(namespace: str) -> bool:
    """A namespace that ends inside ``rdf:type`` or ``rdfs:subClassOf`` (``r: <…#ty>``, then
    ``r:pe``): the query's text would not show the name."""
    return any(name.startswith(namespace) and len(namespace) > name.rindex("#") + 1
               for name in _READ)


def prune(data: bytes) -> tuple[bytes, int]:
    """``data`` (N-Triples, one triple a line, as the build writes the union) without the
    ``rdf:type`` lines :func:`implied_types` finds, and how many were left out. The union is
    sorted, so a node's type lines are adjacent: one pass, each set of types decided once."""
    edges: dict[bytes, set[bytes]] = {}
    for subject, obj, _start, _end in _lines_with(data, SUBCLASS_MARK):
        edges.setdefault(subject, set()).add(obj)
    supers: dict[bytes, frozenset] = {}
    decided: dict[frozenset, frozenset] = {}
    view, pieces, kept_from = memoryview(data), [], 0
    group: list[tuple[bytes, int, int]] = []  # (type, line start, line end) of one node
    current = None
    for subject, obj, start, end in _lines_with(data, TYPE_MARK):
        if subject == current:
            group.append((obj, start, end))
            continue
        if len(group) > 1:
            kept_from = _cut(group, edges, supers, decided, view, pieces, kept_from)
        group, current = [(obj, start, end)], subject
    if len(group) > 1:
        kept_from = _cut(group, edges, supers, decided, view, pieces, kept_from)
    if not pieces:
        return data, 0
    dropped = len(pieces)
    pieces.append(view[kept_from:])
    return b"".join(pieces), dropped


def _cut(group, edges, supers, decided, view, pieces, kept_from: int) -> int:
    """Leave out the lines of ``group`` whose type is implied: the text before each goes
    to ``pieces``; returns where the kept text resumes."""
    types = frozenset(t for t, _s, _e in group)
    implied = decided.get(types)
    if implied is None:
        for t in types:
            if t not in supers:
                supers[t] = frozenset(reachable((t,), edges) - {t})
        implied = decided[types] = implied_types(types, supers)
    for t, start, end in group:
        if t in implied:
            pieces.append(view[kept_from:start])
            kept_from = end
    return kept_from


def implied_types(types: frozenset, supers: dict) -> frozenset:
    """The members of ``types`` that are a strict superclass of another member (``supers``:
    class -> its superclasses, itself left out); two classes that are each other's
    superclass are both kept."""
    return frozenset(t for t in types
                     if any(t in supers[u] and u not in supers[t] for u in types if u != t))


def _lines_with(data: bytes, middle: bytes):
    """(subject, object, line start, line end) of each line ``subject middle <object> .``;
    the middle found inside a literal is skipped (the subject would hold a space)."""
    rfind = data.rfind
    for match in re.finditer(re.escape(middle) + rb"(<[^ \n]*>) \.\n", data):
        at = match.start()
        start = rfind(b"\n", 0, at) + 1
        subject = data[start:at]
        if b" " not in subject:
            yield subject, match.group(1), start, match.end()
