"""Leave out of the SHACL engine's input the ``rdf:type`` triples the class hierarchy implies.

Inference types every node with all its superclasses (a ``schema:PerformanceRole`` is also a
``schema:Role``, a ``schema:Intangible``): at a million quads that is 187k of the union's
296k type triples, a fifth of what pyshacl-turbo reads and indexes. SHACL never needs them:
``sh:class`` and ``sh:targetClass`` mean "a SHACL instance", ``rdf:type/rdfs:subClassOf*``,
and the ``rdfs:subClassOf`` triples stay. So for each node, a type is dropped when another
type of the same node is a strict subclass of it (:func:`implied_types`); the most specific
ones are kept, and every dropped one is reachable from a kept one. Measured at a million
quads: the engine's CPU -15 to -25%, its peak memory -130 MB (docs/benchmarks.md).

That holds only while the shapes read types through ``sh:class`` and targets alone:
:func:`shapes_allow` says no when a shape could see an ``rdf:type`` triple itself (a path or
target naming ``rdf:type``, ``sh:closed``, SPARQL that names types, ``a``, or a variable
predicate), and the input is then given whole. ``tests/test_shacl_parity.py`` holds the
pruned input to pySHACL's report on the whole one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import iris
from .rules import reachable

_TYPE_MID = f" <{iris.RDF}type> ".encode()
_SCO_MID = f" <{iris.RDFS}subClassOf> ".encode()
_QUERIES = {iris.SH + name for name in ("select", "ask", "construct", "update")}
#: SPARQL that may read a type triple: ``a``, a type or subclass IRI, a negated property set,
#: or a variable in predicate position (after a subject term, before an object term).
_READS_TYPES = re.compile(
    r"\ba\b|type|subClassOf|!\s*\(?\s*(?:<|\^|[\w.-]*:|a\b)"
    r"|(?:[?$]\w+|<[^>\s]*>|[\w.-]*:[\w.-]*|\]|_:\w+)\s+[?$]\w+\s+"
    r"(?:[?$]\w|<|[\w.-]*:|\"|'|\[|\(|[-+]?\d|_:|true\b|false\b)")


def shapes_allow(shape_quads: Iterable) -> bool:
    """Whether the shapes give the same report on data without implied type triples."""
    import pyoxigraph as ox

    rdf_type = ox.NamedNode(iris.RDF + "type")
    for q in shape_quads:
        predicate = q.predicate.value
        if q.object == rdf_type:  # a path, target, ignored property... naming rdf:type
            return False
        if predicate == iris.SH + "closed" and q.object.value == "true":
            return False
        if predicate in _QUERIES and _READS_TYPES.search(q.object.value):
            return False
    return True


def prune(data: bytes) -> tuple[bytes, int]:
    """``data`` (N-Triples, one triple a line, as the build writes the union) without the
    ``rdf:type`` lines :func:`implied_types` finds, and how many were left out. The union is
    sorted, so a node's type lines are adjacent: one pass, each set of types decided once."""
    edges: dict[bytes, set[bytes]] = {}
    for subject, obj, _start, _end in _lines_with(data, _SCO_MID):
        edges.setdefault(subject, set()).add(obj)
    supers: dict[bytes, frozenset] = {}
    decided: dict[frozenset, frozenset] = {}
    view, pieces, kept_from = memoryview(data), [], 0
    group: list[tuple[bytes, int, int]] = []  # (type, line start, line end) of one node
    current = None
    for subject, obj, start, end in _lines_with(data, _TYPE_MID):
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
