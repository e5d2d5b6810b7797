"""The project's IRIs as plain strings, importable without rdflib.

The cached-build fast path (``query``/``stats``/``describe`` on an unchanged project) must
not import rdflib (≈0.16 s); ``namespaces.py`` wraps these strings in rdflib terms.
"""

from __future__ import annotations

BASE = "https://w3id.org/missions-kg/"
SCHEMA = "https://schema.org/"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
SOURCE = BASE + "source/"
SHAPES = BASE + "shapes#"
ONTOLOGY = BASE + "ontology#"
#: Validation results of ``queries/checks/NAME-violation.rq`` name ``CHECK + NAME`` as source.
CHECK = BASE + "check/"
WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
PROV = "http://www.w3.org/ns/prov#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SH = "http://www.w3.org/ns/shacl#"
DCTERMS = "http://purl.org/dc/terms/"

#: The named graph that holds the ontology and the offline schema.org slice.
GRAPH_ONTOLOGY = GRAPH + "ontology"
#: The named graph that holds what OWL RL inference adds (noise filtered out).
GRAPH_INFERRED = GRAPH + "inferred"
#: The named graph that describes every source and ties each source graph to it (PROV-O).
GRAPH_SOURCES = GRAPH + "sources"
#: A user's ``--data FILE`` without named graphs goes to ``GRAPH_USER + <file name>``.
GRAPH_USER = GRAPH + "user/"

PREFIXES = {
    "schema": SCHEMA,
    "mkg": ONTOLOGY,
    "mkgid": ID,
    "mkgg": GRAPH,
    "src": SOURCE,
    "mkgsh": SHAPES,
    "wd": WD,
    "wdt": WDT,
    "prov": PROV,
    "skos": SKOS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "sh": SH,
    "dcterms": DCTERMS,
}
