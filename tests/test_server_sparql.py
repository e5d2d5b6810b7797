"""The SPARQL 1.1 Protocol at ``/sparql``, in process: the three ways to send a query,
results by ``Accept``, the Service Description, the dataset parameters, every refusal, and
the limits (timeout that kills the worker, memory ceiling, row and body caps, CORS)."""

from __future__ import annotations

import csv
import io
import time

import pyoxigraph as ox
import pytest
from server_support import HUNGRY, QUICK, RUNAWAY, app_client, cache_env

pytestmark = pytest.mark.slow  # starts the query worker processes

G = "https://w3id.org/missions-kg/graph/"
NAMES = """PREFIX schema: <https://schema.org/>
SELECT ?name WHERE {
  <https://w3id.org/missions-kg/id/character-jeanne-renoir> schema:name ?name
}"""
JSON = {"accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def env(real_cache, tmp_path_factory):
    with cache_env(real_cache, tmp_path_factory.mktemp("sparql-cache")) as folder:
        yield folder


@pytest.fixture(scope="module")
def client(env):
    with app_client(timeout=5) as c:
        yield c


def names_of(r) -> list[str]:
    return [b["name"]["value"] for b in r.json()["results"]["bindings"]]


def test_get_post_form_and_post_query(client):
    r = client.get("/sparql", params={"query": NAMES}, headers=JSON)
    assert r.status_code == 200 and names_of(r) == ["Jeanne Renoir"]
    r = client.post("/sparql", data={"query": NAMES}, headers=JSON)
    assert r.status_code == 200 and names_of(r) == ["Jeanne Renoir"]
    r = client.post("/sparql", content=NAMES.encode(),
                    headers={**JSON, "content-type": "application/sparql-query"})
    assert r.status_code == 200 and names_of(r) == ["Jeanne Renoir"]
    r = client.get("/sparql", params={"query": NAMES})  # */* is JSON for protocol clients
    assert r.headers["content-type"].startswith("application/sparql-results+json")


@pytest.mark.parametrize(("accept", "check"), [
    ("application/sparql-results+xml", lambda t: "<literal>Jeanne Renoir</literal>" in t),
    ("text/csv", lambda t: list(csv.reader(io.StringIO(t))) == [["name"], ["Jeanne Renoir"]]),
    ("text/tab-separated-values", lambda t: t.splitlines() == ["?name", '"Jeanne Renoir"']),
    ("application/json", lambda t: '"Jeanne Renoir"' in t),
])
def test_select_results_by_accept(client, accept, check):
    r = client.get("/sparql", params={"query": NAMES}, headers={"accept": accept})
    assert r.status_code == 200 and check(r.text), r.text


def test_ask_and_construct(client):
    r = client.get("/sparql", params={"query": QUICK}, headers=JSON)
    assert r.json()["boolean"] is True
    construct = ("PREFIX schema: <https://schema.org/> CONSTRUCT { ?c schema:name ?n } WHERE { "
                 "?c a <https://w3id.org/missions-kg/ontology#FictionalCharacter> ; "
                 "schema:name ?n }")
    for accept, fmt in (("text/turtle", ox.RdfFormat.TURTLE),
                        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                        ("application/ld+json", ox.RdfFormat.JSON_LD)):
        r = client.get("/sparql", params={"query": construct}, headers={"accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
        names = {t.object.value for t in ox.parse(r.content, format=fmt)}
        assert "Jeanne Renoir" in names and "Martin Najac" in names
    r = client.get("/sparql", params={"query": construct}, headers={"accept": "text/csv"})
    assert r.status_code == 406


def test_service_description_and_editor(client):
    r = client.get("/sparql", headers={"accept": "text/turtle"})
    found = {(t.subject.value, t.predicate.value, t.object.value)
             for t in ox.parse(r.content, format=ox.RdfFormat.TURTLE)}
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = "http://testserver/sparql"
    assert (endpoint, sd + "endpoint", endpoint) in found
    assert (endpoint, sd + "supportedLanguage", sd + "SPARQL11Query") in found
    assert (endpoint, sd + "resultFormat", "http://www.w3.org/ns/formats/SPARQL_Results_CSV") \
        in found
    assert any(p == sd + "name" and o == G + "seed-000-memorabletv" for _, p, o in found)
    page = client.get("/sparql", headers={"accept": "text/html"}).text
    assert "<textarea" in page and "PREFIX mkg: &lt;https://w3id.org/missions-kg/ontology#&gt;" \
        in page and 'data-name="who-plays"' in page
    page = client.get("/sparql", params={"query": NAMES}, headers={"accept": "text/html"}).text
    assert "Jeanne Renoir" in page and "1 row" in page


def count(client, **params) -> int:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    r = client.get("/sparql", params={"query": query, **params}, headers=JSON)
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_dataset_parameters_and_from(client):
    seed = G + "seed-002-german-description"
    assert count(client, **{"default-graph-uri": seed}) == 130
    assert count(client) > 3000  # the default graph is the union
    query = f"SELECT (COUNT(*) AS ?n) FROM <{seed}> WHERE {{ ?s ?p ?o }}"
    r = client.get("/sparql", params={"query": query}, headers=JSON)
    assert r.status_code == 200 and r.json()["results"]["bindings"][0]["n"]["value"] == "130"
    named = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.get("/sparql", params={"query": named, "named-graph-uri": [seed, G + "links"]},
                   headers=JSON)
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "2"
    r = client.get("/sparql", params={"query": named,
                                      "default-graph-uri": "http://example.org/other"})
    assert r.status_code == 400 and "not a graph of this dataset" in r.text


@pytest.mark.parametrize(("how", "status", "words"), [
    ({"params": {"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}}, 403, "Update"),
    ({"params": {"query": "LOAD <http://example.org/x>"}}, 403, "LOAD"),
    ({"params": {"update": "DELETE WHERE { ?s ?p ?o }"}}, 403, "read-only"),
    ({"content": b"CLEAR ALL", "headers": {"content-type": "application/sparql-update"}}, 403,
     "read-only"),
    ({"params": {"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}},
     403, "SERVICE"),
    ({"params": {"query": "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }"}}, 403,
     "not a graph of this dataset"),
    ({"params": {"query": "SELECT * FROM NAMED <http://example.org/g> WHERE { ?s ?p ?o }"}}, 403,
     "not a graph of this dataset"),
    ({"params": {"query": "SELECT ?x WHERE { ?x ?y }"}}, 400, "invalid SPARQL"),
    ({"params": {"query": ["ASK {}", "ASK {}"]}}, 400, "one 'query'"),
    ({"params": {"query": "  "}}, 400, "empty"),
    ({"content": b"query=ASK{}", "headers": {"content-type": "text/plain"}}, 415, "POST a query"),
    ({"content": b"ASK {" + b" " * 300_000 + b"}",
      "headers": {"content-type": "application/sparql-query"}}, 413, "over"),
])
def test_refusals_are_plain_4xx(client, how, status, words):
    method = "post" if "content" in how else "get"
    r = getattr(client, method)("/sparql", **how)
    assert r.status_code == status, r.text
    assert words in r.text and r.headers["content-type"].startswith("text/plain")
    assert "Traceback" not in r.text and "/work/" not in r.text and ".py" not in r.text


def test_a_timeout_kills_the_worker_and_the_pool_recovers(env):
    with app_client(timeout=1, workers=1) as client:
        pool = client.app.state.pool
        before = list(pool.pids)
        start = time.monotonic()
        r = client.get("/sparql", params={"query": RUNAWAY}, headers=JSON)
        took = time.monotonic() - start
        assert r.status_code == 503 and "ran longer than 1 s" in r.text
        assert took < 3, took
        assert pool.replaced == 1 and pool.pids != before  # killed and replaced
        r = client.get("/sparql", params={"query": QUICK}, headers=JSON)
        assert r.status_code == 200 and r.json()["boolean"] is True


def test_the_memory_ceiling_stops_a_hungry_query(env):
    with app_client(timeout=60, workers=1, max_memory=300 * 1024 * 1024) as client:
        start = time.monotonic()
        r = client.get("/sparql", params={"query": HUNGRY}, headers=JSON)
        assert r.status_code == 503 and "more than 300 MB" in r.text, r.text
        assert time.monotonic() - start < 30
        assert client.get("/sparql", params={"query": QUICK}, headers=JSON).status_code == 200


def test_row_and_body_caps(env):
    query = "SELECT ?s WHERE { ?s ?p ?o }"
    with app_client(max_rows=5, max_body=500, workers=1) as client:
        r = client.get("/sparql", params={"query": query}, headers={"accept": "text/csv"})
        assert r.status_code == 200 and len(r.text.splitlines()) == 6
        assert r.headers["x-missions-kg-truncated"] == "max-rows=5"
        r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                       headers={"accept": "application/sparql-results+xml"})
        assert r.status_code == 503 and "over the 500 bytes response cap" in r.text


def test_cors_only_for_the_origins_given(env):
    with app_client(cors=("https://example.org",), workers=1) as client:
        r = client.get("/sparql", params={"query": QUICK},
                       headers={**JSON, "origin": "https://example.org"})
        assert r.headers["access-control-allow-origin"] == "https://example.org"
        r = client.get("/sparql", params={"query": QUICK},
                       headers={**JSON, "origin": "https://evil.example"})
        assert "access-control-allow-origin" not in r.headers
        r = client.options("/sparql", headers={"origin": "https://example.org",
                                               "access-control-request-method": "POST"})
        assert r.status_code == 200


def test_base_url_names_the_public_endpoint(env):
    with app_client(base="https://w3id.org/missions-kg/", workers=1) as client:
        r = client.get("/sparql", headers={"accept": "application/n-triples"})
        assert "<https://w3id.org/missions-kg/sparql>" in r.text
        assert client.get("/id/missions", headers={"accept": "text/html"}).status_code == 200
