"""Every route of ``missions-kg serve``, in process (Starlette's TestClient over httpx, the
query workers real processes): pages, content negotiation, labels by language, the
SPARQL 1.1 Protocol, HTTP caching, and the refusals. Asserts on the real data."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from conftest import REPO
from server_support import JEANNE, app_client, cache_env

pytestmark = pytest.mark.slow  # starts the query worker processes

SCHEMA = "https://schema.org/"
HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def client(real_cache, tmp_path_factory):
    with cache_env(real_cache, tmp_path_factory.mktemp("server-cache")), \
            app_client(timeout=5) as c:
        yield c


def triples(body: bytes, fmt) -> set:
    return {(t.subject.value, t.predicate.value, t.object.value)
            for t in ox.parse(body, format=fmt)}


def no_leak(text: str) -> None:
    assert "Traceback" not in text and str(REPO) not in text and "/work/" not in text


# -- pages ---------------------------------------------------------------------------------

def test_home_has_the_overview_search_classes_queries_and_void(client):
    r = client.get("/", headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "<h1><a href=\"/id/missions\">Missions</a></h1>" in page
    assert 'action="/search"' in page
    assert 'href="/class/mkg/FictionalCharacter"' in page  # the class index
    assert 'href="/queries/who-plays"' in page
    assert 'href="/.well-known/void"' in page


def test_search_ignores_accents_and_case(client):
    page = client.get("/search", params={"q": "HELENE viv"}, headers=HTML).text
    assert 'href="/id/helene-vivies"' in page and "Hélène Viviès" in page
    page = client.get("/search", params={"q": "jeanne"}, headers=HTML).text
    assert f'href="{JEANNE}"' in page


def test_entity_page_facts_sources_conflicts_inbound_and_diagram(client):
    r = client.get(JEANNE, headers=HTML)
    assert r.status_code == 200
    page = r.text
    assert "<h1>Jeanne Renoir</h1>" in page
    assert 'href="/graph/seed-001-thelogbook-ulysse"' in page  # a badge per source
    # the conflict of disagreements (psychiatrist vs psychologist) is highlighted
    conflict_rows = page.split('<tr class="conflict">')[1:]
    assert conflict_rows and any("psychiatrist" in row for row in conflict_rows)
    assert any("psychologist" in row for row in conflict_rows)
    assert "Mentioned by" in page and 'href="/id/argos-mission"' in page
    assert "<svg" in page and 'xlink:href="/id/character-martin-najac"' in page
    assert r.headers["vary"] == "Accept, Accept-Language"
    assert 'rel="alternate"; type="text/turtle"' in r.headers["link"]
    assert r.headers["content-language"] == "en"


@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD)])
def test_entity_as_rdf_by_accept(client, accept, fmt):
    r = client.get(JEANNE, headers={"accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    if fmt == ox.RdfFormat.JSON_LD:
        json.loads(r.content)
        found = {(q.subject.value, q.predicate.value, q.object.value)
                 for q in ox.parse(r.content, format=fmt)}
    else:
        found = triples(r.content, fmt)
    iri = "https://w3id.org/missions-kg/id/character-jeanne-renoir"
    assert (iri, SCHEMA + "name", "Jeanne Renoir") in found
    assert ("https://w3id.org/missions-kg/id/argos-mission",
            "https://w3id.org/missions-kg/ontology#crewMember", iri) in found  # inbound too


def test_entity_by_extension_and_406(client):
    r = client.get(JEANNE + ".ttl")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    r = client.get(JEANNE, headers={"accept": "image/png"})
    assert r.status_code == 406 and "text/turtle" in r.text


def test_labels_follow_accept_language_and_the_switch(client):
    page = client.get(JEANNE, headers={**HTML, "accept-language": "fr-FR,fr;q=0.9"}).text
    assert "personnage de fiction" in page and 'lang="fr"' in page
    page = client.get(JEANNE, params={"lang": "de"}, headers=HTML).text
    assert "fiktive Figur" in page
    assert 'href="/id/argos-mission?lang=de"' in page  # links keep the chosen language
    assert 'hreflang="fr"' in page  # the switch


def test_wikidata_links_with_evidence(client):
    page = client.get("/id/france", headers=HTML).text
    assert "Wikidata links" in page and "http://www.wikidata.org/entity/Q142" in page
    assert "verified" in page and "Evidence 1" in page


def test_unknown_entity_is_404_with_a_search_box(client):
    r = client.get("/id/no-such-thing", headers=HTML)
    assert r.status_code == 404 and 'action="/search"' in r.text
    r = client.get("/id/no-such-thing", headers={"accept": "text/plain"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/plain")
    no_leak(r.text)


def test_source_graph_page_says_what_it_cites_and_says(client):
    r = client.get("/graph/seed-001-thelogbook-ulysse", headers=HTML)
    assert r.status_code == 200
    assert "https://thelogbook.com/logbook/missions/ulysse/" in r.text  # the citation
    assert "What it says" in r.text and f'href="{JEANNE}"' in r.text
    trig = client.get("/graph/seed-001-thelogbook-ulysse.trig")
    quads = list(ox.parse(trig.content, format=ox.RdfFormat.TRIG))
    assert len(quads) == 441
    assert client.get("/graph", headers=HTML).status_code == 200
    assert client.get("/graph/nope", headers=HTML).status_code == 404


def test_source_document_page(client):
    r = client.get("/source/thelogbook-missions-ulysse", headers=HTML)
    assert r.status_code == 200 and "Missions: Ulysse (LogBook entry)" in r.text


def test_ontology_pages(client):
    page = client.get("/ontology", headers=HTML).text
    assert 'id="FictionalCharacter"' in page  # /ontology#FictionalCharacter lands on it
    assert "personnage de fiction" in page and "fiktive Figur" in page
    r = client.get("/ontology/FictionalCharacter", headers=HTML)
    assert r.status_code == 200 and "<svg" in r.text and "fictional character" in r.text
    assert 'href="/class/mkg/FictionalCharacter"' in r.text
    found = triples(client.get("/ontology.ttl").content, ox.RdfFormat.TURTLE)
    assert ("https://w3id.org/missions-kg/ontology#FictionalCharacter",
            "http://www.w3.org/2000/01/rdf-schema#label", "fiktive Figur") in found
    assert client.get("/ontology/NoSuchTerm", headers=HTML).status_code == 404


def test_class_page_lists_instances(client):
    page = client.get("/class/mkg/FictionalCharacter", headers=HTML).text
    assert f'href="{JEANNE}"' in page
    assert client.get("/class/nope/Thing", headers=HTML).status_code == 404


def test_static_assets_are_served_from_the_package(client):
    r = client.get("/static/style.css")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/css")
    assert client.get("/static/nothing.js").status_code == 404


def test_diagram_degrades_to_a_list_without_dot(client, monkeypatch):
    from missions_kg.server import diagrams

    monkeypatch.setattr(diagrams, "available", lambda: False)
    monkeypatch.setattr(diagrams, "_CACHE", type(diagrams._CACHE)())
    page = client.get("/id/argos-mission", headers=HTML).text
    assert "<svg" not in page and "Graphviz&#39;s dot is not installed" in page
    assert 'href="/id/character-jeanne-renoir"' in page


def test_the_cast_lists_each_person_once_with_every_source(client):
    """Eight sources credit Hélène Viviès as Jeanne Renoir, each through its own role node:
    the character's page shows her once, with the eight role nodes and eight badges."""
    import re

    page = client.get("/id/character-jeanne-renoir", headers=HTML).text
    cast = page.split('<section class="roles">', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", cast, re.S)
    assert len(rows) == 1 and "Hélène Viviès" in rows[0]
    badges = re.findall(r'class="badge( inferred)?"', rows[0])
    assert rows[0].count("/id/role-") == len(badges) >= 8
    assert "seed-000-memorabletv" in rows[0] and "ref-serienjunkies-s2" in rows[0]


# -- stored queries ------------------------------------------------------------------------

def test_catalogue_as_html_and_json(client):
    page = client.get("/queries", headers=HTML).text
    assert 'href="/queries/episodes"' in page
    r = client.get("/queries", headers={"accept": "application/json"})
    catalogue = {q["name"]: q for q in r.json()}
    assert catalogue["episodes"]["params"]["season"]["type"] == "xsd:integer"
    assert client.get("/queries.json").json() == r.json()
    assert 'type="application/json"' in r.headers["link"]


def test_stored_query_page_with_a_parameter_form_results_and_downloads(client):
    r = client.get("/queries/who-plays", params={"character": "Jeanne Renoir"}, headers=HTML)
    assert r.status_code == 200
    assert 'name="character"' in r.text  # the form for its typed parameter
    assert 'href="/id/helene-vivies"' in r.text  # the results link to entity pages
    assert "/queries/who-plays.csv?character=Jeanne+Renoir" in r.text


@pytest.mark.parametrize("ext", ["csv", "tsv", "srj", "srx", "txt", "json"])
def test_stored_query_downloads(client, ext):
    r = client.get(f"/queries/episodes.{ext}", params={"season": "1"})
    assert r.status_code == 200, r.text
    assert "Ulysse" in r.text and "Survivant" in r.text


def test_stored_query_bad_parameter_is_400(client):
    r = client.get("/queries/episodes.csv", params={"season": "abc"})
    assert r.status_code == 400 and "season" in r.text and "not an integer" in r.text
    no_leak(r.text)
    r = client.get("/queries/episodes", params={"season": "abc"}, headers=HTML)
    assert r.status_code == 400 and "not an integer" in r.text


def test_federated_query_is_not_run(client):
    r = client.get("/queries/wikidata/labels", headers=HTML)
    assert r.status_code == 200 and "does not call other endpoints" in r.text
    assert client.get("/queries/wikidata/labels.csv").status_code == 403
    assert client.get("/queries/nope", headers=HTML).status_code == 404


# -- VoID ----------------------------------------------------------------------------------

def test_void_and_dcat(client):
    r = client.get("/.well-known/void", headers={"accept": "text/turtle"})
    found = triples(r.content, ox.RdfFormat.TURTLE)
    void = "http://rdfs.org/ns/void#"
    dataset = "https://w3id.org/missions-kg/"
    assert (dataset, void + "sparqlEndpoint", "http://testserver/sparql") in found
    total = next(o for s, p, o in found if s == dataset and p == void + "triples")
    from missions_kg import Project, build

    assert int(total) == build(Project.locate(REPO)).triples > 4000  # the build it serves
    assert (dataset, "http://purl.org/dc/terms/source",
            "https://w3id.org/missions-kg/source/thelogbook-missions-ulysse") in found
    assert (dataset, void + "exampleResource", "https://w3id.org/missions-kg/id/missions") \
        in found
    assert ("https://w3id.org/missions-kg/graph/ontology", "http://purl.org/dc/terms/license",
            "https://creativecommons.org/licenses/by/4.0/") in found
    assert client.get("/.well-known/void", headers=HTML).status_code == 200
    assert client.get("/.well-known/void.jsonld").status_code == 200


# -- HTTP caching ----------------------------------------------------------------------------

def test_etag_last_modified_304_and_head(client):
    r = client.get(JEANNE, headers=HTML)
    etag, modified = r.headers["etag"], r.headers["last-modified"]
    again = client.get(JEANNE, headers={**HTML, "if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    since = client.get(JEANNE, headers={**HTML, "if-modified-since": modified})
    assert since.status_code == 304
    other = client.get(JEANNE, headers={"accept": "text/turtle", "if-none-match": etag})
    assert other.status_code == 200  # another representation, another tag
    head = client.head(JEANNE, headers=HTML)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == etag and head.headers["content-type"].startswith("text/html")
    assert "access-control-allow-origin" not in r.headers  # CORS is off by default
