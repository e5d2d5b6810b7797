"""What the graph holds: triples per graph, entities per class, and the sources.

Runs on the pyoxigraph store of the cached build (no rdflib import), so ``stats`` is as
quick to start as ``query``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import iris
from .dataset import Built
from .labels import Labeller
from .store import open_store
from .terms import curie

_CLASSES = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  GRAPH ?g {{ ?s a ?class }}
  FILTER(?g != <{iris.GRAPH_ONTOLOGY}> && ?g != <{iris.GRAPH_SOURCES}>)
  FILTER(!STRSTARTS(STR(?class), "{iris.OWL}") && !STRSTARTS(STR(?class), "{iris.RDFS}"))
}} GROUP BY ?class ORDER BY DESC(?n) ?class
"""

_SOURCES = f"""
PREFIX prov: <{iris.PROV}>
PREFIX schema: <{iris.SCHEMA}>
SELECT ?graph ?source (SAMPLE(?name) AS ?title) (SAMPLE(?type) AS ?kind)
       (SAMPLE(?publisher) AS ?pub) (SAMPLE(?date) AS ?published) WHERE {{
  GRAPH <{iris.GRAPH_SOURCES}> {{
    ?graph prov:wasDerivedFrom ?source .
    OPTIONAL {{ ?source schema:name ?name }}
    OPTIONAL {{ ?source a ?type }}
    OPTIONAL {{ ?source schema:publisher ?p . OPTIONAL {{ ?p schema:name ?pn }} }}
    BIND(COALESCE(?pn, ?p) AS ?publisher)
    OPTIONAL {{ ?source schema:datePublished ?date }}
  }}
}} GROUP BY ?graph ?source ORDER BY ?graph ?source
"""


@dataclass
class Source:
    graph: str
    source: str
    title: str | None
    kind: str | None
    publisher: str | None
    published: str | None
    triples: int


@dataclass
class Stats:
    graphs: dict[str, int]
    classes: list[tuple[str, str | None, int]] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    def to_text(self) -> str:
        total = sum(self.graphs.values())
        lines = [f"Triples per graph ({total} in all):"]
        width = max((len(curie(g)) for g in self.graphs), default=0)
        lines += [f"  {curie(g):<{width}}  {n:>7}" for g, n in self.graphs.items()]
        lines.append("Entities per class (asserted and inferred types):")
        width = max((len(curie(c)) for c, _, _ in self.classes), default=0)
        lines += [f"  {curie(c):<{width}}  {n:>7}" + (f"  {label}" if label else "")
                  for c, label, n in self.classes]
        lines.append(f"Sources ({len(self.sources)}):")
        for s in self.sources:
            extra = ", ".join(x for x in (curie(s.kind) if s.kind else None, s.publisher,
                                          s.published) if x)
            lines.append(f"  {curie(s.graph)}  {s.triples} triples  "
                         f"{s.title or curie(s.source)}" + (f" ({extra})" if extra else ""))
        return "\n".join(lines) + "\n"


def stats(built: Built, *, lang: str = "en") -> Stats:
    """Count triples, typed entities and sources in a build."""
    store = open_store(built)
    labeller = Labeller(store, lang)
    result = Stats(graphs=dict(built.graphs))
    for row in store.query(_CLASSES):
        cls = row["class"].value
        result.classes.append((cls, labeller(cls), int(row["n"].value)))
    for row in store.query(_SOURCES):
        def text(name, row=row):
            term = row[name]
            return term.value if term is not None else None
        result.sources.append(Source(
            graph=text("graph"), source=text("source"), title=text("title"),
            kind=text("kind"), publisher=text("pub"), published=text("published"),
            triples=built.graphs.get(text("graph"), 0)))
    return result
