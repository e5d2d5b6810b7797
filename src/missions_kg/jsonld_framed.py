"""JSON-LD a web developer can use: one merged tree per TV series (``export --format jsonld
--framed``), beside the lossless per-graph form of :mod:`missions_kg.jsonld`.

Every source graph is merged (a fact stated by three sources appears once) and each series is
one nested object: its seasons under ``containsSeason``, their episodes under ``episode``, the
cast under ``actor`` as ``PerformanceRole`` objects holding the people (``actor``) and the
characters (``mkg:playsCharacter``) in full. Any other node a value points to is a short
reference: ``@id``, ``@type`` and ``name``. The document only re-arranges triples of the
graph: ``containsSeason`` and ``episode`` are declared in the context as the *reverse* of
``partOfSeries``/``partOfSeason`` (what the data states, from season to series), so a JSON-LD
processor reads back exactly the graph's triples, while a reader sees schema.org's names; an
episode of none of the series' seasons hangs under the series' own ``episode`` (a context
scoped to ``TVSeries``). JSON-LD 1.1.

Shapes are predictable: a key that holds several values anywhere in the document has
``"@container": "@set"`` (always an array), ``@type`` is always an array, and a key whose
literals share one datatype has it in the context (``"startDate": {"@type": "xsd:gYear"}``),
so dates are plain strings ("2017") that still read back as the typed literal of the graph;
a value of another datatype under that key is a ``{"@value", "@type"}`` object. With
``provenance``, each source graph follows as a named graph holding the facts of the trees it
states, and ``mkgg:sources`` the descriptions of those sources: who says what stays
answerable. Same quads, same bytes.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict

import pyoxigraph as ox

from . import iris
from .jsonld import Compactor, context

S, X = iris.SCHEMA, iris.XSD
_TYPE, _NAME = iris.RDF + "type", S + "name"
SERIES, SEASON, EPISODE = S + "TVSeries", S + "TVSeason", S + "TVEpisode"
ROLES = {S + "Role", S + "PerformanceRole", S + "OrganizationRole", S + "EmployeeRole"}
PART_OF_SERIES, PART_OF_SEASON = S + "partOfSeries", S + "partOfSeason"
_NOT_DATA = {iris.GRAPH_SOURCES, iris.GRAPH_ONTOLOGY}
_PLAIN = {X + "string", X + "integer", X + "boolean", iris.RDF + "langString"}
_PRECISE = [X + "dateTime", X + "date", X + "gYearMonth", X + "gYear"]  # ties: first wins
#: reverse keys: name -> (predicate stated from child to parent)
REVERSE = {"containsSeason": PART_OF_SERIES, "episode": PART_OF_SEASON}
SERIES_EPISODE = ("episode", PART_OF_SERIES)  # scoped to TVSeries


class _Data:
    """The merged triples of the data graphs, indexed both ways."""

    def __init__(self, quads) -> None:
        self.out: dict[ox.Term, set] = defaultdict(set)
        self.types: dict[ox.Term, set[str]] = defaultdict(set)
        self.into: dict[tuple[str, ox.Term], set] = defaultdict(set)
        for q in quads:
            if getattr(q.graph_name, "value", None) in _NOT_DATA:
                continue
            if q.predicate.value == _TYPE and isinstance(q.object, ox.NamedNode):
                self.types[q.subject].add(q.object.value)
            else:
                self.out[q.subject].add((q.predicate.value, q.object))
                self.into[(q.predicate.value, q.object)].add(q.subject)

    def children(self, parent, predicate: str, kind: str, outside=None):
        """What states ``predicate parent`` and has type ``kind``; with ``outside``
        (predicate, nodes): only what states it of none of those nodes."""
        return sorted((c for c in self.into.get((predicate, parent), ())
                       if kind in self.types.get(c, ())
                       and not (outside and any(p == outside[0] and o in outside[1]
                                                for p, o in self.out[c]))), key=str)


class _Framer:
    """Builds the trees with RDF terms as values, and records every triple they state."""

    def __init__(self, data: _Data) -> None:
        self.data, self.used = data, set()
        self.orphans = False

    def _typed(self, node) -> dict:
        types = sorted(self.data.types.get(node, ()))
        self.used |= {(node, _TYPE, ox.NamedNode(t)) for t in types}
        return {"@id": node, "@type": types}

    def reference(self, node) -> dict:
        if isinstance(node, ox.BlankNode):
            return self.full(node, "leaf", frozenset())
        out = self._typed(node)
        names = sorted((o for p, o in self.data.out.get(node, ()) if p == _NAME), key=str)
        if names:
            out[_NAME] = names
            self.used |= {(node, _NAME, n) for n in names}
        return out

    def full(self, node, level: str, path: frozenset, parent_edge=None) -> dict:
        out, path = self._typed(node), path | {node}
        types = self.data.types.get(node, set())
        for p, o in sorted(self.data.out.get(node, ()), key=lambda po: (po[0], str(po[1]))):
            if (p, o) == parent_edge:
                continue  # stated by the nesting (a reverse key of the parent)
            self.used.add((node, p, o))
            if isinstance(o, ox.Literal):
                value = o
            elif o in path:
                value = {"@id": o, "@type": []}
            elif level == "work" and ROLES & self.data.types.get(o, set()):
                value = self.full(o, "role", path)
            elif level == "role" or isinstance(o, ox.BlankNode):
                value = self.full(o, "leaf", path)
            else:
                value = self.reference(o)
            out.setdefault(p, []).append(value)
        if level != "work":
            return out
        if SERIES in types:  # its seasons, and the episodes of none of them
            seasons = self._nest(out, node, ("containsSeason", PART_OF_SERIES), SEASON, path)
            if self._nest(out, node, SERIES_EPISODE, EPISODE, path,
                          outside=(PART_OF_SEASON, set(seasons))):
                self.orphans = True
        if SEASON in types:
            self._nest(out, node, ("episode", PART_OF_SEASON), EPISODE, path)
        return out

    def _nest(self, out, node, key, kind, path, outside=None) -> list:
        name, predicate = key
        kids = [c for c in self.data.children(node, predicate, kind, outside) if c not in path]
        for child in kids:
            self.used.add((child, predicate, node))
            out.setdefault(("^", name), []).append(
                self.full(child, "work", path, parent_edge=(predicate, node)))
        return kids


def _datatype(value) -> str | None:
    if isinstance(value, ox.Literal) and not value.language:
        return value.datatype.value
    return None


class _Writer:
    """Turns the trees (RDF terms) into JSON with one context: keys, containers, coercion."""

    def __init__(self, ctx: dict, nodes: list[dict]) -> None:
        self.ctx, self.compact = ctx, Compactor(ctx)
        self.many: set = set()
        datatypes: dict = defaultdict(Counter)
        stack = list(nodes)
        while stack:
            node = stack.pop()
            for key, values in node.items():
                if key in ("@id", "@type"):
                    continue
                if len(values) > 1:
                    self.many.add(key)
                for v in values:
                    if isinstance(v, dict):
                        stack.append(v)
                    elif _datatype(v) and _datatype(v) not in _PLAIN:
                        datatypes[key][_datatype(v)] += 1
        self.coerced = {k: min(c, key=lambda dt: (-c[dt], _rank(dt)))
                        for k, c in datatypes.items()}
        for key in sorted({*self.many, *self.coerced}, key=str):
            if isinstance(key, tuple):
                continue
            name = self.key(key)
            term = {"@id": self.compact.iri(key, vocab=False)}
            if key in self.coerced:
                term["@type"] = self.compact.iri(self.coerced[key], vocab=False)
            if key in self.many:
                term["@container"] = "@set"
            self.ctx[name] = term

    def key(self, key) -> str:
        return key[1] if isinstance(key, tuple) else self.compact.iri(key, vocab=True)

    def node(self, node: dict) -> dict:
        out = {"@id": self.compact.node_id(node["@id"])}
        if node["@type"]:
            out["@type"] = [t.removeprefix(S) if t == SERIES and "TVSeries" in self.ctx
                            else self.compact.iri(t, vocab=True) for t in node["@type"]]
        for key, values in node.items():
            if key in ("@id", "@type"):
                continue
            rendered = sorted((self.value(v, key) for v in values),
                              key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
            set_ = key in self.many or isinstance(key, tuple)
            out[self.key(key)] = rendered if set_ else rendered[0]
        return out

    def value(self, v, key):
        if isinstance(v, dict):
            return self.node(v)
        if not isinstance(v, ox.Literal):
            return {"@id": self.compact.node_id(v)}
        if v.language:
            return {"@language": v.language, "@value": v.value}
        dt, coerced = v.datatype.value, self.coerced.get(key)
        if coerced:
            if dt == coerced:
                return v.value
            return {"@value": v.value} if dt == X + "string" else \
                {"@type": self.compact.iri(dt, vocab=False), "@value": v.value}
        if dt == X + "string":
            return v.value
        if dt == X + "integer" and re.fullmatch(r"0|-?[1-9][0-9]*", v.value) and \
                abs(int(v.value)) < 2**53:
            return int(v.value)
        if dt == X + "boolean" and v.value in ("true", "false"):
            return v.value == "true"
        return {"@type": self.compact.iri(dt, vocab=False), "@value": v.value}


def _rank(datatype: str) -> int:
    return _PRECISE.index(datatype) if datatype in _PRECISE else len(_PRECISE)


def _provenance(quads, used: set) -> list[tuple[str, list[dict]]]:
    """(graph, flat nodes) for each graph stating facts of the trees, then the sources."""
    by_graph: dict[str, dict] = defaultdict(dict)
    stating: set[str] = set()
    for q in quads:
        graph = getattr(q.graph_name, "value", None)
        if graph is None or graph in _NOT_DATA or (q.subject, q.predicate.value,
                                                   q.object) not in used:
            continue
        stating.add(graph)
        _flat(by_graph[graph], q)
    described = set(stating)
    for q in quads:  # the sources of those graphs: prov:wasDerivedFrom / hadPrimarySource
        if getattr(q.graph_name, "value", None) == iris.GRAPH_SOURCES and \
                q.subject.value in stating and q.predicate.value.startswith(iris.PROV):
            described.add(q.object.value)
    for q in quads:
        if getattr(q.graph_name, "value", None) == iris.GRAPH_SOURCES and \
                getattr(q.subject, "value", None) in described:
            _flat(by_graph[iris.GRAPH_SOURCES], q)
    return [(g, [by_graph[g][s] for s in sorted(by_graph[g], key=str)])
            for g in sorted(by_graph)]


def _flat(nodes: dict, q) -> None:
    node = nodes.setdefault(q.subject, {"@id": q.subject, "@type": []})
    if q.predicate.value == _TYPE and isinstance(q.object, ox.NamedNode):
        node["@type"] = sorted({*node["@type"], q.object.value})
    else:
        node.setdefault(q.predicate.value, []).append(q.object)


def framed(quads: list[ox.Quad], *, provenance: bool = False) -> dict:
    """The framed document (a dict): one tree per ``schema:TVSeries`` in ``quads``."""
    data = _Data(quads)
    framer = _Framer(data)
    roots = sorted((n for n, ts in data.types.items() if SERIES in ts), key=str)
    trees = [framer.full(root, "work", frozenset()) for root in roots]
    graphs = _provenance(quads, framer.used) if provenance else []
    ctx = dict(context()["@context"])
    ctx.update({"@version": 1.1, "@type": {"@container": "@set"}})
    for name, predicate in REVERSE.items():
        ctx[name] = {"@reverse": f"schema:{predicate[len(S):]}", "@container": "@set"}
    if framer.orphans:
        ctx["TVSeries"] = {"@id": "schema:TVSeries", "@context": {SERIES_EPISODE[0]: {
            "@reverse": "schema:partOfSeries", "@container": "@set"}}}
    writer = _Writer(ctx, trees + [n for _, nodes in graphs for n in nodes])
    top = [writer.node(t) for t in trees]
    top += [{"@id": writer.compact.node_id(ox.NamedNode(g)),
             "@graph": [writer.node(n) for n in nodes]} for g, nodes in graphs]
    return {"@context": writer.ctx, "@graph": top}


def framed_from_quads(quads: list[ox.Quad], *, provenance: bool = False) -> bytes:
    """:func:`framed` as stable bytes."""
    doc = framed(quads, provenance=provenance)
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
