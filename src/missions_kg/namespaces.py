"""The project's namespaces in one place, so no module mints an IRI by hand.

``MKG`` is a closed namespace (``_fail = True``): a typo in a term raises instead of
silently creating a new IRI. schema.org is spelled ``https://schema.org/`` everywhere
(rdflib's ``SDO``); a test enforces that no ``http://schema.org/`` creeps in.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/missions-kg/"
SCHEMA = Namespace("https://schema.org/")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
SOURCE = Namespace(BASE + "source/")
SHAPES = Namespace(BASE + "shapes#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")

#: The named graph that holds the ontology and the offline schema.org slice.
GRAPH_ONTOLOGY = URIRef(BASE + "graph/ontology")
#: The named graph that holds what OWL RL inference adds (noise filtered out).
GRAPH_INFERRED = URIRef(BASE + "graph/inferred")
#: The named graph that describes every source and ties each source graph to it (PROV-O).
GRAPH_SOURCES = URIRef(BASE + "graph/sources")


class MKG(DefinedNamespace):
    """Terms of the mkg: ontology (ontology/mkg.ttl); kept in step by a test."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True
    _warn = False

    # filled in from ontology/mkg.ttl
    FictionalCharacter: URIRef


PREFIXES = {
    "schema": str(SCHEMA),
    "mkg": str(MKG._NS),
    "mkgid": str(ID),
    "mkgg": str(GRAPH),
    "src": str(SOURCE),
    "wd": str(WD),
    "wdt": str(WDT),
    "prov": str(PROV),
    "skos": str(SKOS),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "dcterms": "http://purl.org/dc/terms/",
}


def bind_prefixes(graph) -> None:
    """Bind the project prefixes on an rdflib Graph or Dataset (for readable output)."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
