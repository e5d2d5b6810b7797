"""Diagrams as server-side SVG with clickable nodes: an entity's neighbourhood and an
ontology class's place among classes and properties.

Rendered by Graphviz's ``dot`` (Debian ``graphviz``) through the PyPI ``graphviz`` binding;
the SVG is inlined in the page, so links work without JavaScript. Without ``dot`` a diagram
is ``None`` and the page shows a plain list of the same links with a note.
Only asserted facts are drawn (the inferred graph would double every edge).
"""

from __future__ import annotations

import re
import shutil
from collections import OrderedDict

import pyoxigraph as ox

from .. import iris
from ..store import graph_quads
from ..terms import curie
from .context import Site

MAX_NEIGHBOURS = 24
_SKIP = {iris.RDF + "type"}
_QUIET_GRAPHS = {iris.GRAPH_INFERRED, iris.GRAPH_ONTOLOGY}
_CACHE: OrderedDict = OrderedDict()
CACHE_SIZE = 512
#: What the page says when ``dot`` is missing.
NO_DOT = "Diagram not drawn: Graphviz's dot is not installed here (Debian: apt-get install " \
         "graphviz); the same links are listed instead."


def available() -> bool:
    return shutil.which("dot") is not None


def neighbourhood_edges(site: Site, iri: str, lang: str) -> list[tuple[str, str, str, str]]:
    """(from IRI, to IRI, property label, direction) of the asserted links around ``iri``."""
    node = ox.NamedNode(iri)
    labels = site.labeller(lang)
    edges: dict[tuple[str, str], set[str]] = {}
    for q in graph_quads(site.store, node):
        if q.graph_name.value in _QUIET_GRAPHS or q.predicate.value in _SKIP:
            continue
        if isinstance(q.object, ox.NamedNode) and q.object.value != iri:
            edges.setdefault((iri, q.object.value), set()).add(
                labels(q.predicate.value) or curie(q.predicate.value))
    for q in graph_quads(site.store, None, None, node):
        if q.graph_name.value in _QUIET_GRAPHS or q.predicate.value in _SKIP:
            continue
        if isinstance(q.subject, ox.NamedNode) and q.subject.value != iri:
            edges.setdefault((q.subject.value, iri), set()).add(
                labels(q.predicate.value) or curie(q.predicate.value))
    out = [(a, b, ", ".join(sorted(ps)), "out" if a == iri else "in")
           for (a, b), ps in edges.items()]
    out.sort(key=lambda e: (e[3], e[2], e[0], e[1]))
    return out[:MAX_NEIGHBOURS]


def neighbourhood_svg(site: Site, iri: str, lang: str, url) -> str | None:
    """The SVG of ``iri``'s neighbourhood; ``url(path)`` makes node links (server or static).
    None without ``dot``."""
    edges = neighbourhood_edges(site, iri, lang)
    nodes = {iri} | {a for a, _, _, _ in edges} | {b for _, b, _, _ in edges}
    return _draw(site, lang, url, nodes, [(a, b, label) for a, b, label, _ in edges],
                 focus=iri, key=("n", iri, lang, url("/")))


def class_svg(site: Site, cls: str, lang: str, url) -> str | None:
    """``cls`` with its super- and subclasses, and the properties whose domain or range it
    is (edges labelled by property)."""
    g = ox.NamedNode(iris.GRAPH_ONTOLOGY)
    sub = ox.NamedNode(iris.RDFS + "subClassOf")
    node = ox.NamedNode(cls)
    edges: list[tuple[str, str, str]] = []
    labels = site.labeller(lang)
    is_a = labels(iris.RDFS + "subClassOf") or "subClassOf"
    for q in site.store.quads_for_pattern(node, sub, None, g):
        if isinstance(q.object, ox.NamedNode):
            edges.append((cls, q.object.value, is_a))
    for q in site.store.quads_for_pattern(None, sub, node, g):
        if isinstance(q.subject, ox.NamedNode):
            edges.append((q.subject.value, cls, is_a))
    for where, there in ((iris.RDFS + "domain", iris.RDFS + "range"),
                         (iris.RDFS + "range", iris.RDFS + "domain")):
        for q in site.store.quads_for_pattern(None, ox.NamedNode(where), node, g):
            prop = q.subject.value
            label = labels(prop) or curie(prop)
            for r in site.store.quads_for_pattern(q.subject, ox.NamedNode(there), None, g):
                if isinstance(r.object, ox.NamedNode):
                    pair = (cls, r.object.value) if where.endswith("domain") else (
                        r.object.value, cls)
                    edges.append((*pair, label))
    edges = sorted(set(edges))[: MAX_NEIGHBOURS * 2]
    nodes = {cls} | {a for a, _, _ in edges} | {b for _, b, _ in edges}
    return _draw(site, lang, url, nodes, edges, focus=cls, key=("c", cls, lang, url("/")))


def _draw(site: Site, lang: str, url, nodes, edges, *, focus: str, key) -> str | None:
    if key in _CACHE and _CACHE[key][0] is site:
        return _CACHE[key][1]
    if not available():
        return None
    import graphviz

    labels = site.labeller(lang)
    dot = graphviz.Digraph(graph_attr={"rankdir": "LR", "bgcolor": "transparent",
                                       "fontname": "DejaVu Sans", "fontsize": "10"},
                           node_attr={"shape": "box", "style": "rounded,filled",
                                      "fillcolor": "#eef3fb", "color": "#5577aa",
                                      "fontname": "DejaVu Sans", "fontsize": "11"},
                           edge_attr={"fontname": "DejaVu Sans", "fontsize": "9",
                                      "color": "#7a869a"})
    ids = {n: f"n{i}" for i, n in enumerate(sorted(nodes))}
    for n, ident in ids.items():
        path = site.page_path(n)
        attrs = {"label": _short(labels(n) or curie(n)), "tooltip": curie(n)}
        if path:
            attrs["URL"] = url(path)
            attrs["target"] = "_top"
        if n == focus:
            attrs.update(fillcolor="#ffd98a", color="#aa7700")
        dot.node(ident, **attrs)
    for a, b, label in edges:
        dot.edge(ids[a], ids[b], label=_short(label, 30))
    try:
        svg = dot.pipe(format="svg", encoding="utf-8")
    except (graphviz.ExecutableNotFound, graphviz.CalledProcessError, OSError):
        return None
    svg = svg[svg.find("<svg"):]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    _CACHE[key] = (site, svg)
    if len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return svg


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
