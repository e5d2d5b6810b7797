"""Federated stored queries (queries/wikidata/*.rq): refused without --allow-service (and then
nothing is sent), and with it their SERVICE goes to the configured endpoint — here the stub
Wikidata on 127.0.0.1 (tests/fixtures/wikidata/stub.py) — on both engines."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import conftest
import pytest
from conftest import REPO
from fixtures.wikidata.stub import running

from missions_kg.catalogue import load_query, parse_query, with_endpoint
from missions_kg.errors import QueryError

FIXTURES = conftest.FIXTURES / "wikidata"
FEDERATED = sorted((REPO / "queries" / "wikidata").glob("*.rq"))
WIKIDATA = "https://query.wikidata.org/sparql"


@pytest.fixture
def project(wikidata_fixture_project) -> Path:
    """The export fixture (fake verified items) with the repository's federated queries."""
    root = wikidata_fixture_project
    shutil.copytree(REPO / "queries" / "wikidata", root / "queries" / "wikidata")
    return root


@pytest.fixture
def stub():
    with running() as server:
        yield server


def rows(output: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(output), delimiter="\t", quoting=csv.QUOTE_NONE))


def test_there_are_federated_queries_and_each_declares_wikidata():
    assert len(FEDERATED) >= 2
    for path in FEDERATED:
        q = load_query(path, base=REPO / "queries")
        assert q.service == WIKIDATA and "federated" in q.tags and q.summary


@pytest.mark.parametrize("name", [p.stem for p in FEDERATED])
def test_refused_without_allow_service_and_nothing_is_sent(cli, project, stub, name):
    result = cli("--root", project, "query", f"wikidata/{name}",
                 "--wikidata-endpoint", stub.sparql)
    assert result.exit_code == 2
    assert "--allow-service" in result.stderr and "SERVICE" in result.stderr
    assert stub.requests == []


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("name, column, expected", [
    ("labels", "?wikidata_label", {'"Hélène Viviès"@en', '"Hélène Viviès"@fr', '"Missions"@en',
                                   '"Missions"@fr'}),
    ("other-works-of-cast", "?work_label", {'"Another Fake Series"@en', '"Missions"@en'}),
    ("birth-places", "?birth_place_label", {'"Fakeville"@en'}),
])
def test_the_service_call_goes_to_the_configured_endpoint(cli, project, stub, engine, name,
                                                          column, expected):
    result = cli("--root", project, "query", f"wikidata/{name}", "--allow-service",
                 "--wikidata-endpoint", stub.sparql, "--engine", engine, "--format", "tsv")
    assert result.exit_code == 0, result.stderr
    assert {r[column] for r in rows(result.stdout)} >= expected
    assert stub.requests and all(path == "/sparql" for path, _ in stub.requests)


def test_the_endpoint_can_come_from_the_environment(cli, project, stub, monkeypatch):
    monkeypatch.setenv("MISSIONS_KG_WIKIDATA_SPARQL", stub.sparql)
    result = cli("--root", project, "query", "wikidata/birth-places", "--allow-service",
                 "--format", "tsv")
    assert result.exit_code == 0, result.stderr
    assert [r["?birth_place_label"] for r in rows(result.stdout)] == ['"Fakeville"@en']
    assert len(stub.requests) >= 1


def test_a_query_may_only_call_the_endpoint_it_declares():
    text = ("#+ summary: x\n#+ service: https://query.wikidata.org/sparql\n"
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="not the endpoint the header declares"):
        parse_query(text)
    text = text.replace("<http://127.0.0.1:9/sparql>", "?endpoint")
    with pytest.raises(QueryError, match=r"SERVICE \?var"):
        parse_query(text)


def test_with_endpoint_rewrites_only_the_service_iri():
    text = ('#+ summary: x\n#+ service: https://query.wikidata.org/sparql\n'
            'SELECT ?s ("<https://query.wikidata.org/sparql>" AS ?text) WHERE {\n'
            '  SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }')
    q = with_endpoint(parse_query(text), "http://127.0.0.1:1234/sparql")
    assert "SERVICE <http://127.0.0.1:1234/sparql>" in q.text
    assert '"<https://query.wikidata.org/sparql>"' in q.text  # a string is not rewritten
    assert q.service == "http://127.0.0.1:1234/sparql"
    with pytest.raises(QueryError, match="not an http"):
        with_endpoint(parse_query(text), "file:///etc/passwd")


def test_queries_lists_federated_queries_as_needing_allow_service(cli, project):
    result = cli("--root", project, "queries", "--tag", "federated")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("needs --allow-service") == len(FEDERATED)
