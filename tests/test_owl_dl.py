"""OWL 2 DL (issue 12, item 2): the ontology (ontology/mkg.ttl + ontology/schema-slice.ttl)
loads in owlready2 and every mkg: term can be looked up there; a Python check of the OWL 2 DL
rules the ontology used to break finds nothing (and does find them in a small bad ontology);
and, with ``pytest --run-owlapi`` on a machine with a JDK and Debian's libowlapi-java, the OWL
API's own OWL 2 DL profile check reports no violation."""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import REPO
from rdflib import OWL, RDF, RDFS, XSD, Graph, URIRef

FILES = [REPO / "ontology" / "mkg.ttl", REPO / "ontology" / "schema-slice.ttl"]
MKG = "https://w3id.org/missions-kg/ontology#"

#: The OWL 2 datatype map (OWL 2 Structural Specification, section 4).
OWL2_DATATYPES = {str(XSD) + t for t in (
    "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger",
    "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte", "double", "float", "string", "normalizedString", "token",
    "language", "Name", "NCName", "NMTOKEN", "boolean", "hexBinary", "base64Binary", "anyURI",
    "dateTime", "dateTimeStamp")} | {str(OWL) + "real", str(OWL) + "rational",
                                     str(RDF) + "XMLLiteral", str(RDF) + "PlainLiteral",
                                     str(RDFS) + "Literal"}
#: Annotation properties OWL 2 has built in.
BUILTIN_ANNOTATIONS = {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy,
                       OWL.versionInfo, OWL.deprecated, OWL.priorVersion,
                       OWL.backwardCompatibleWith, OWL.incompatibleWith}
#: Predicates that build axioms (not annotations).
AXIOM_PREDICATES = {RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range,
                    OWL.inverseOf, OWL.equivalentClass, OWL.equivalentProperty,
                    OWL.versionIRI, OWL.imports}
KINDS = {OWL.ObjectProperty: "object", OWL.DatatypeProperty: "data",
         OWL.AnnotationProperty: "annotation"}


def ontology() -> Graph:
    graph = Graph()
    for path in FILES:
        graph.parse(path)
    return graph


def dl_problems(graph: Graph) -> list[str]:
    """The OWL 2 DL rules this ontology used to break, checked on its RDF: every property is
    declared exactly one kind (no punning between object, datatype and annotation properties,
    no bare rdf:Property); every class used in an axiom is declared owl:Class and is not a
    datatype; every datatype range is in the OWL 2 datatype map or declared rdfs:Datatype;
    sub-properties, inverses and symmetric properties keep their kind; every annotation
    property used is built in or declared."""
    problems = []
    kinds = defaultdict(set)
    for prop, kind in KINDS.items():
        for s in graph.subjects(RDF.type, prop):
            kinds[s].add(kind)
    classes = set(graph.subjects(RDF.type, OWL.Class))
    datatypes = set(graph.subjects(RDF.type, RDFS.Datatype))
    for s in graph.subjects(RDF.type, RDF.Property):
        if not kinds[s]:
            problems.append(f"{s}: rdf:Property without an OWL kind")
    used_as_property = set()
    for p in (RDFS.domain, RDFS.range, RDFS.subPropertyOf, OWL.inverseOf):
        used_as_property |= set(graph.subjects(p, None))
    used_as_property |= set(graph.objects(None, RDFS.subPropertyOf))
    used_as_property |= set(graph.objects(None, OWL.inverseOf))
    for prop in used_as_property:
        if len(kinds[prop]) != 1:
            problems.append(f"{prop}: declared as {sorted(kinds[prop]) or 'nothing'}")
    for prop, kind_set in kinds.items():
        if len(kind_set) > 1:
            problems.append(f"{prop}: punned as {sorted(kind_set)}")
    for s, o in graph.subject_objects(RDFS.subPropertyOf):
        if kinds[s] and kinds[o] and kinds[s] != kinds[o]:
            problems.append(f"{s} ({sorted(kinds[s])}) ⊑ {o} ({sorted(kinds[o])})")
    for s, o in graph.subject_objects(OWL.inverseOf):
        for x in (s, o):
            if kinds[x] != {"object"}:
                problems.append(f"{x}: owl:inverseOf on a non-object property")
    for s in graph.subjects(RDF.type, OWL.SymmetricProperty):
        if kinds[s] != {"object"}:
            problems.append(f"{s}: symmetric but not an object property")
    class_uses = set(graph.objects(None, RDFS.subClassOf)) | set(graph.subjects(RDFS.subClassOf))
    class_uses |= set(graph.objects(None, RDFS.domain))
    class_uses |= {o for s, o in graph.subject_objects(RDFS.range) if "object" in kinds[s]}
    for c in class_uses:
        if isinstance(c, URIRef) and (str(c).startswith((str(XSD), str(RDF))) or c in datatypes):
            problems.append(f"{c}: a datatype used as a class")
        elif c not in classes:
            problems.append(f"{c}: class used but not declared owl:Class")
    for s, dt in graph.subject_objects(RDFS.range):
        if "data" in kinds[s] and str(dt) not in OWL2_DATATYPES and dt not in datatypes:
            problems.append(f"{s}: range {dt} outside the OWL 2 datatype map, not declared")
    for c in classes & datatypes:
        problems.append(f"{c}: both a class and a datatype")
    for p in set(graph.predicates()):
        if p not in AXIOM_PREDICATES and p not in BUILTIN_ANNOTATIONS and not kinds[p]:
            problems.append(f"{p}: used as an annotation but not declared")
    return sorted(set(problems))


def test_the_ontology_passes_the_dl_rules_it_used_to_break():
    assert dl_problems(ontology()) == []


BAD = """
@prefix mkg: <https://w3id.org/missions-kg/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
mkg:Thing a owl:Class .
mkg:travelTime a rdf:Property ; rdfs:domain mkg:Thing .
mkg:both a owl:ObjectProperty, owl:DatatypeProperty .
mkg:birthday a owl:ObjectProperty ; rdfs:range xsd:gMonthDay .
mkg:year a owl:DatatypeProperty ; rdfs:range xsd:gYear .
mkg:name a owl:DatatypeProperty ; owl:inverseOf mkg:both ; skos:closeMatch mkg:Thing .
"""


def test_the_dl_check_catches_what_the_ontology_used_to_do():
    text = "\n".join(dl_problems(Graph().parse(data=BAD, format="turtle")))
    for expected in ("travelTime: rdf:Property without an OWL kind",
                     "both: punned as ['data', 'object']",
                     "gMonthDay: a datatype used as a class",
                     "year: range http://www.w3.org/2001/XMLSchema#gYear outside the OWL 2",
                     "name: owl:inverseOf on a non-object property",
                     "closeMatch: used as an annotation but not declared"):
        assert expected in text, text


def test_owlready2_loads_the_ontology_and_finds_every_mkg_term(tmp_path):
    owlready2 = pytest.importorskip("owlready2")
    graph = ontology()
    path = tmp_path / "ontology.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    terms = sorted({s for s in graph.subjects() if str(s).startswith(MKG)})
    assert len(terms) > 60
    missing = []
    for term in terms:
        try:
            if world[str(term)] is None:
                missing.append(f"{term}: None")
        except Exception as exc:  # owlready2 raised TypeError on the punned properties
            missing.append(f"{term}: {type(exc).__name__}: {exc}")
    assert missing == []
    assert isinstance(world[MKG + "travelTime"], owlready2.DataPropertyClass)
    assert isinstance(world[MKG + "playsCharacter"], owlready2.ObjectPropertyClass)
    assert isinstance(world[MKG + "singleValued"], owlready2.AnnotationPropertyClass)


OWLAPI_JARS = Path("/usr/share/java")


@pytest.mark.slow
@pytest.mark.owlapi
def test_owl_api_dl_profile(tmp_path):
    """The OWL API (Debian: apt-get install libowlapi-java; a JDK) checks the OWL 2 DL
    profile. Left out of the default run (a JVM, a system package): ``pytest --run-owlapi``."""
    javac, java = shutil.which("javac"), shutil.which("java")
    jars = sorted(OWLAPI_JARS.glob("*.jar"))
    if not (javac and java):
        pytest.skip("no JDK (javac/java) on PATH")
    if not any(j.name.startswith("owlapi-") for j in jars):
        pytest.skip("the OWL API is not installed (Debian: apt-get install libowlapi-java)")
    classpath = ":".join(str(j) for j in jars)
    source = Path(__file__).parent / "owlapi" / "DlProfileCheck.java"
    subprocess.run([javac, "-d", str(tmp_path), "-cp", classpath, str(source)], check=True,
                   capture_output=True, timeout=300)
    run = subprocess.run([java, "-cp", f"{classpath}:{tmp_path}", "DlProfileCheck",
                          *map(str, FILES)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    violations = [line for line in run.stdout.splitlines() if line.startswith("VIOLATION")]
    assert violations == [] and "violations: 0" in run.stdout, "\n".join(violations[:30])
