"""``missions-kg serve`` as a user runs it (its own process, the sandbox on, a free loopback
port), with real clients: SPARQLWrapper for the protocol, and a runaway query next to a
quick ASK (the quick one must not wait beyond 1 s; the runaway's worker is killed)."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from server_support import QUICK, RUNAWAY, live_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(real_cache, tmp_path_factory):
    from server_support import cache_env

    with cache_env(real_cache, tmp_path_factory.mktemp("live-cache")), \
            live_server("--timeout", "4") as url:
        yield url


def test_sparqlwrapper_select_ask_construct(server):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(server + "sparql")
    client.setQuery("""PREFIX schema: <https://schema.org/>
        PREFIX mkg: <https://w3id.org/missions-kg/ontology#>
        SELECT ?name WHERE { ?c a mkg:FictionalCharacter ; schema:name ?name } ORDER BY ?name""")
    client.setReturnFormat(JSON)
    names = [b["name"]["value"] for b in client.query().convert()["results"]["bindings"]]
    assert "Jeanne Renoir" in names and "Martin Najac" in names
    client.setMethod("POST")  # SPARQLWrapper posts the form encoding
    client.setQuery(QUICK)
    assert client.query().convert()["boolean"] is True
    client.setMethod("GET")
    client.setQuery("""PREFIX schema: <https://schema.org/>
        CONSTRUCT { ?s schema:name ?n } WHERE { ?s schema:name ?n } LIMIT 5""")
    client.setReturnFormat(TURTLE)
    body = client.query().convert()
    import pyoxigraph as ox

    assert len(list(ox.parse(body, format=ox.RdfFormat.TURTLE))) == 5


def _get(url: str, query: str, timeout: float = 30.0) -> tuple[int, str, float]:
    start = time.monotonic()
    target = url + "sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(target, headers={
        "accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, reply.read().decode(), time.monotonic() - start
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), time.monotonic() - start


def test_a_runaway_query_does_not_slow_a_quick_one(server):
    runaway: dict = {}
    thread = threading.Thread(target=lambda: runaway.update(zip(
        ("status", "body", "seconds"), _get(server, RUNAWAY), strict=True)))
    thread.start()
    time.sleep(0.5)  # the runaway holds one worker now
    quick = [_get(server, QUICK) for _ in range(5)]
    thread.join(30)
    for status, body, seconds in quick:
        assert status == 200 and '"boolean": true' in body
        assert seconds < 1.0, f"a quick ASK waited {seconds:.2f} s next to a runaway query"
    assert runaway["status"] == 503 and "ran longer than 4 s" in runaway["body"]
    assert runaway["seconds"] < 6
    status, _, seconds = _get(server, QUICK)  # the killed worker was replaced
    assert status == 200 and seconds < 1.0


def test_errors_carry_no_traceback_or_path(server):
    status, body, _ = _get(server, "SELECT ?x WHERE { ?x ?y }")
    assert status == 400 and "invalid SPARQL" in body
    assert "Traceback" not in body and "/work" not in body and ".py" not in body
