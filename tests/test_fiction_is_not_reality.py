"""Fiction is not reality (issue 12, item 3): characters are schema:Person (schema:character
expects one) but no mapping leads from a character to Wikidata's human (Q5); they map to
fictional character (Q95074) instead, and every person is either real or fictional."""

from __future__ import annotations

import pytest
from conftest import REPO

from missions_kg import build, iris
from missions_kg.project import Project
from missions_kg.store import open_store
from missions_kg.wikidata import propmap

PREFIXES = """
PREFIX schema: <https://schema.org/>
PREFIX mkg: <https://w3id.org/missions-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
#: SKOS properties by which a class "leads to" a Wikidata class: everything a member of ours
#: is also a member of theirs (exact, close) or of a broader one.
LEADS = "skos:exactMatch|skos:closeMatch|skos:broadMatch"


@pytest.fixture(scope="module")
def store():
    return open_store(build(Project.locate(REPO)))


def rows(store, query: str) -> list:
    return list(store.query(PREFIXES + query, use_default_graph_as_union=True))


def ask(store, query: str) -> bool:
    return bool(store.query(PREFIXES + query, use_default_graph_as_union=True))


def test_no_mapping_leads_from_a_character_to_human(store):
    found = rows(store, f"""
        SELECT ?character ?class WHERE {{
          ?character a mkg:FictionalCharacter ; a ?class .
          ?class {LEADS} wd:Q5 .
        }}""")
    assert found == []


def test_no_class_that_leads_to_human_is_a_superclass_of_fictional_character(store):
    found = rows(store, f"""
        SELECT ?class WHERE {{
          mkg:FictionalCharacter rdfs:subClassOf* ?class . ?class {LEADS} wd:Q5 .
        }}""")
    assert found == []


def test_characters_map_to_fictional_character_and_real_people_to_human(store):
    pmap = propmap.read(store)
    assert pmap.classes[iris.ONTOLOGY + "FictionalCharacter"] == "Q95074"
    assert pmap.classes[iris.ONTOLOGY + "RealPerson"] == "Q5"
    assert iris.SCHEMA + "Person" not in pmap.classes
    assert pmap.class_for("Q5") == [iris.ONTOLOGY + "RealPerson"]


def test_characters_are_schema_persons_in_their_own_graphs(store):
    untyped = rows(store, """
        SELECT DISTINCT ?g ?c WHERE {
          GRAPH ?g { ?c a mkg:FictionalCharacter FILTER NOT EXISTS { ?c a schema:Person } }
        }""")
    assert untyped == []


def test_every_person_is_either_real_or_fictional_never_both(store):
    unsorted = rows(store, """
        SELECT DISTINCT ?p WHERE {
          GRAPH ?g { ?p a schema:Person }
          FILTER(?g != <https://w3id.org/missions-kg/graph/inferred>)
          FILTER NOT EXISTS { ?p a mkg:FictionalCharacter }
          FILTER NOT EXISTS { ?p a mkg:RealPerson }
        }""")
    assert unsorted == [], "type each in data/curation.trig: " + ", ".join(
        str(r[0]) for r in unsorted)
    both = rows(store, "SELECT ?p WHERE { ?p a mkg:FictionalCharacter, mkg:RealPerson }")
    assert both == []
    assert ask(store, "ASK { mkg:RealPerson mkg:excludes mkg:FictionalCharacter }")


def test_a_character_based_on_a_real_person_points_at_a_real_person(store):
    found = rows(store, """
        SELECT ?c ?real WHERE { ?c mkg:basedOnRealPerson ?real .
                                FILTER NOT EXISTS { ?real a mkg:RealPerson } }""")
    assert found == []
    assert ask(store, """ASK { <https://w3id.org/missions-kg/id/character-vladimir-komarov>
                                  mkg:basedOnRealPerson ?real . ?real a mkg:RealPerson }""")
