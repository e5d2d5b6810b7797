"""Descriptions of the dataset and of the endpoint, as RDF made from the build itself.

* :func:`dataset_description` — VoID and DCAT at ``/.well-known/void``: title, the licences
  the graph states (the ontology's; the data's when ``<https://w3id.org/missions-kg/>`` has
  a ``dcterms:license`` — none is invented), every source document, triple counts per graph
  (a ``void:subset`` each), the SPARQL endpoint, example resources, the URI space.
* :func:`service_description` — the SPARQL 1.1 Service Description at ``/sparql``.
"""

from __future__ import annotations

import pyoxigraph as ox

from .. import formats, iris
from ..store import graph_quads
from .context import Site

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
DATASET = iris.BASE  # the dataset's IRI
EXAMPLES = ("missions", "character-jeanne-renoir", "helene-vivies", "argos-mission")
#: W3C format IRIs of the result formats the endpoint serves (registry name -> IRI).
W3C_FORMATS = {("results", "json"): "SPARQL_Results_JSON", ("results", "xml"):
               "SPARQL_Results_XML", ("results", "csv"): "SPARQL_Results_CSV",
               ("results", "tsv"): "SPARQL_Results_TSV", ("rdf", "turtle"): "Turtle",
               ("rdf", "jsonld"): "JSON-LD", ("rdf", "ntriples"): "N-Triples",
               ("rdf", "xml"): "RDF_XML"}
RDF_TYPE = iris.RDF + "type"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(value, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    return ox.Literal(str(value), datatype=_n(datatype) if datatype else None)


class _Quads(list):
    def add(self, s, p, o) -> None:
        s = s if not isinstance(s, str) else _n(s)
        self.append(ox.Quad(s, _n(p), o if not isinstance(o, str) else _n(o)))


def dataset_description(site: Site, base: str) -> list[ox.Quad]:
    out = _Quads()
    d = DATASET
    for cls in (VOID + "Dataset", DCAT + "Dataset"):
        out.add(d, RDF_TYPE, cls)
    out.add(d, iris.DCTERMS + "title", _lit("missions-kg: a knowledge graph of the TV series "
                                            "Missions (OCS, 2017-2021)", lang="en"))
    out.add(d, iris.DCTERMS + "description", _lit(
        "Facts from four source documents and the public references quoted in the research "
        "notes, one named graph per source, against a schema.org-based ontology.", lang="en"))
    stated = [q.object for q in graph_quads(site.store, _n(d), _n(iris.DCTERMS + "license"))]
    for licence in stated:
        out.add(d, iris.DCTERMS + "license", licence)
    if not stated:
        out.add(d, iris.RDFS + "comment", _lit(
            "The project states no licence for the data; the ontology's licence is given on "
            "its subset.", lang="en"))
    out.add(d, VOID + "sparqlEndpoint", base + "sparql")
    out.add(d, VOID + "uriSpace", _lit(iris.ID))
    out.add(d, VOID + "triples", _lit(sum(site.built.graphs.values()), iris.XSD + "integer"))
    out.add(d, VOID + "vocabulary", iris.ONTOLOGY)
    out.add(d, VOID + "vocabulary", iris.SCHEMA)
    for slug in EXAMPLES:
        if site.exists(iris.ID + slug):
            out.add(d, VOID + "exampleResource", iris.ID + slug)
    service = _n(base + "sparql")
    distribution = ox.BlankNode("sparql")
    out.add(d, DCAT + "distribution", distribution)
    out.add(distribution, RDF_TYPE, DCAT + "Distribution")
    out.add(distribution, DCAT + "accessService", service)
    out.add(distribution, DCAT + "accessURL", service)
    out.add(service, RDF_TYPE, DCAT + "DataService")
    out.add(service, DCAT + "endpointURL", service)
    sources = _n(iris.GRAPH_SOURCES)
    for graph, count in sorted(site.built.graphs.items()):
        out.add(d, VOID + "subset", graph)
        out.add(graph, RDF_TYPE, VOID + "Dataset")
        out.add(graph, VOID + "triples", _lit(count, iris.XSD + "integer"))
        out.add(graph, DCAT + "landingPage", base + "graph/" + site.graph_name(graph))
        for q in site.store.quads_for_pattern(_n(graph), _n(iris.PROV + "wasDerivedFrom"),
                                              None, sources):
            out.add(graph, iris.DCTERMS + "source", q.object)
            out.add(d, iris.DCTERMS + "source", q.object)
        for q in site.store.quads_for_pattern(_n(graph), _n(iris.SCHEMA + "name"), None,
                                              sources):
            out.add(graph, iris.DCTERMS + "title", q.object)
    onto = iris.GRAPH_ONTOLOGY
    for q in graph_quads(site.store, _n(iris.BASE + "ontology"), _n(iris.DCTERMS + "license")):
        out.add(onto, iris.DCTERMS + "license", q.object)
    return list(dict.fromkeys(out))


def service_description(site: Site, base: str) -> list[ox.Quad]:
    out = _Quads()
    endpoint = base + "sparql"
    s = endpoint
    out.add(s, RDF_TYPE, SD + "Service")
    out.add(s, SD + "endpoint", endpoint)
    out.add(s, SD + "supportedLanguage", SD + "SPARQL11Query")
    out.add(s, SD + "feature", SD + "UnionDefaultGraph")
    for f in formats.formats("results") + formats.formats("rdf"):
        name = W3C_FORMATS.get((f.kind, f.name))
        if name:
            out.add(s, SD + "resultFormat", FORMATS + name)
    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("default")
    out.add(s, SD + "defaultDataset", dataset)
    out.add(dataset, RDF_TYPE, SD + "Dataset")
    out.add(dataset, SD + "defaultGraph", default)
    out.add(default, RDF_TYPE, SD + "Graph")
    out.add(default, iris.RDFS + "comment", _lit(
        "The union of the named graphs, as a set (each triple once).", lang="en"))
    out.add(s, iris.RDFS + "seeAlso", base + ".well-known/void")
    for i, (graph, count) in enumerate(sorted(site.built.graphs.items())):
        named, inner = ox.BlankNode(f"g{i}"), ox.BlankNode(f"g{i}graph")
        out.add(dataset, SD + "namedGraph", named)
        out.add(named, RDF_TYPE, SD + "NamedGraph")
        out.add(named, SD + "name", graph)
        out.add(named, SD + "graph", inner)
        out.add(inner, RDF_TYPE, SD + "Graph")
        out.add(inner, VOID + "triples", _lit(count, iris.XSD + "integer"))
    return list(dict.fromkeys(out))
