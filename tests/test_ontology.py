"""The ontology's promises: schema.org spelled one way, every mkg: term documented in three
languages, Wikidata mappings without owl:sameAs, and the namespace module in step with it."""

from __future__ import annotations

import re

import pytest
from conftest import REPO
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SDO, SKOS

from missions_kg.namespaces import MKG

ONTOLOGY = REPO / "ontology" / "mkg.ttl"
SLICE = REPO / "ontology" / "schema-slice.ttl"
MKG_NS = str(MKG._NS)
TEXT_FOLDERS = ("ontology", "data", "shapes", "queries", "src")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY)


def mkg_terms(graph: Graph) -> list[URIRef]:
    return sorted({s for s in graph.subjects(RDF.type, None)
                   if isinstance(s, URIRef) and str(s).startswith(MKG_NS)})


def test_schema_org_is_spelled_https_everywhere():
    offenders = []
    for folder in TEXT_FOLDERS:
        for path in (REPO / folder).rglob("*"):
            if path.is_file() and path.suffix in {".ttl", ".trig", ".rq", ".py", ".json", ".nq"}:
                # The docstring of namespaces.py names the wrong spelling to warn against it.
                text = path.read_text(encoding="utf-8").replace("no ``http://schema.org/``", "")
                if "http://schema.org" in text:
                    offenders.append(str(path.relative_to(REPO)))
    assert offenders == [], f"http://schema.org/ used in {offenders}; use https://schema.org/"


def test_every_mkg_term_has_labels_and_comments_in_three_languages(onto):
    terms = mkg_terms(onto)
    assert len(terms) >= 30
    for term in terms:
        for prop in (RDFS.label, RDFS.comment):
            langs = {o.language for o in onto.objects(term, prop)}
            missing = {"en", "fr", "de"} - langs
            assert not missing, f"{term} lacks {prop} in {missing}"
        assert (term, RDFS.isDefinedBy, URIRef("https://w3id.org/missions-kg/ontology")) in onto


def test_every_mkg_term_names_its_schema_org_parent(onto):
    # matchesHistory and birthdayMonthDay are documented as having no near schema.org term.
    exempt = {MKG.matchesHistory, MKG.birthdayMonthDay}
    for term in mkg_terms(onto):
        if term in exempt:
            continue
        parents = set(onto.objects(term, RDFS.subClassOf))
        parents |= set(onto.objects(term, RDFS.subPropertyOf))
        assert parents, f"{term} has no rdfs:subClassOf / rdfs:subPropertyOf"


def test_required_concepts_exist_with_wikidata_mappings(onto):
    for term in (MKG.FictionalCharacter, MKG.Spacecraft, MKG.SpaceMission, MKG.crewMember,
                 MKG.commander, MKG.filmingLocation, MKG.originalBroadcaster,
                 MKG.basedOnRealPerson, MKG.depictsRealEvent):
        assert (term, RDF.type, None) in onto
    wdt = "http://www.wikidata.org/prop/direct/"
    assert (MKG.filmingLocation, SKOS.exactMatch, URIRef(wdt + "P915")) in onto
    assert (MKG.originalBroadcaster, SKOS.exactMatch, URIRef(wdt + "P449")) in onto
    assert (SDO.character, SKOS.exactMatch, URIRef(wdt + "P674")) in onto


def test_no_owl_sameas_or_equivalence_anywhere():
    from rdflib import Dataset

    for folder in ("ontology", "data"):
        for path in (REPO / folder).glob("*.t*"):
            ds = Dataset()
            ds.parse(path, format="trig" if path.suffix == ".trig" else "turtle")
            for bad in (OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty):
                assert not list(ds.quads((None, bad, None, None))), f"{path.name} uses {bad}"


def test_inverse_properties_point_both_ways(onto):
    assert (MKG.crewMemberOf, OWL.inverseOf, MKG.crewMember) in onto
    assert (MKG.commanderOf, OWL.inverseOf, MKG.commander) in onto
    assert (MKG.soundtrack, OWL.inverseOf, MKG.soundtrackFor) in onto


def test_ontology_header_has_title_version_and_license(onto):
    header = URIRef("https://w3id.org/missions-kg/ontology")
    assert (header, RDF.type, OWL.Ontology) in onto
    assert onto.value(header, OWL.versionInfo) is not None
    assert onto.value(header, URIRef("http://purl.org/dc/terms/license")) is not None


def test_namespace_module_lists_exactly_the_ontology_terms(onto):
    declared = set(MKG.__annotations__)
    in_file = {str(t)[len(MKG_NS):] for t in mkg_terms(onto)}
    assert declared == in_file
    with pytest.raises(AttributeError):
        MKG.crewMembr  # noqa: B018 - a typo must raise, not mint a new IRI


def test_schema_slice_uses_only_real_schema_org_terms():
    known = set(SDO.__annotations__)
    graph = Graph().parse(SLICE)
    used = {str(t)[len("https://schema.org/"):] for triple in graph for t in triple
            if isinstance(t, URIRef) and str(t).startswith("https://schema.org/")}
    used.discard("version/latest/schemaorg-current-https.jsonld")
    assert used and used <= known, sorted(used - known)


def test_data_uses_only_defined_terms():
    """Every schema: term in data exists in schema.org; every mkg: term in the ontology."""
    known = set(SDO.__annotations__)
    mkg_known = set(MKG.__annotations__)
    for path in sorted((REPO / "data").glob("*.trig")):
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r"\bschema:([A-Za-z]+)", text):
            assert name in known, f"{path.name}: schema:{name} is not a schema.org term"
        for name in re.findall(r"\bmkg:([A-Za-z]+)", text):
            assert name in mkg_known, f"{path.name}: mkg:{name} is not in the ontology"
