"""``query --endpoint`` and ``publish`` when the other side misbehaves: down, slow, HTML, a
refusal, a store that dies half way; credentials from the environment and never shown.

The misbehaving side is a loopback stub (:class:`servers.Stub`): a real store cannot be made
to refuse or die on demand. Each failure is exit 2, one line, no traceback.
"""

from __future__ import annotations

import base64
import json

import pytest
from conftest import REPO
from servers import Stub, free_port

pytestmark = pytest.mark.slow

SELECT_JSON = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [
    {"x": {"type": "literal", "value": "ok"}}]}}).encode()
SPARQL_JSON = {"Content-Type": "application/sparql-results+json"}


def _ok(request):
    return {"body": SELECT_JSON, "headers": SPARQL_JSON}


def _query(cli, endpoint, *extra):
    return cli("--root", REPO, "query", "SELECT ?x WHERE { GRAPH ?g { ?x ?p ?o } }",
               "--endpoint", endpoint, "--format", "csv", *extra)


def _one_error_line(result):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def test_the_endpoint_answer_is_printed(cli):
    with Stub(_ok) as stub:
        result = _query(cli, stub.url + "/sparql")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["x", "ok"]
    (request,) = stub.requests
    assert request["method"] == "POST" and request["path"] == "/sparql"
    assert b"query=SELECT" in request["body"]
    assert "application/sparql-results+json" in request["headers"]["Accept"]


def test_an_endpoint_that_is_down(cli):
    error = _one_error_line(_query(cli, f"http://127.0.0.1:{free_port()}/sparql"))
    assert "cannot reach the endpoint" in error and "check the URL" in error


def test_an_endpoint_past_the_timeout(cli):
    with Stub(lambda r: {"delay": 3, "body": SELECT_JSON, "headers": SPARQL_JSON}) as stub:
        error = _one_error_line(_query(cli, stub.url + "/sparql", "--timeout", "0.5"))
    assert "did not answer within 0.5 s" in error


def test_an_endpoint_that_answers_html(cli):
    page = b"<html><body><h1>Welcome to the store</h1></body></html>"
    with Stub(lambda r: {"body": page, "headers": {"Content-Type": "text/html"}}) as stub:
        error = _one_error_line(_query(cli, stub.url + "/"))
    assert "answered with an HTML page, not SPARQL results" in error
    assert "is it the query endpoint?" in error


def test_an_http_error_shows_the_store_s_own_words(cli):
    said = b"Parse error: unexpected token at line 3"
    with Stub(lambda r: {"status": 400, "body": said,
                         "headers": {"Content-Type": "text/plain"}}) as stub:
        error = _one_error_line(_query(cli, stub.url + "/sparql"))
    assert "answered HTTP 400 Bad Request: Parse error: unexpected token at line 3" in error


def test_a_non_sparql_content_type(cli):
    with Stub(lambda r: {"body": b"x,y", "headers": {"Content-Type": "text/csv"}}) as stub:
        error = _one_error_line(_query(cli, stub.url + "/sparql"))
    assert "answered text/csv, not SPARQL results" in error


def test_xml_results_are_read_too(cli):
    xml = (b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
           b'<head><variable name="x"/></head><results><result><binding name="x">'
           b'<literal xml:lang="fr">oui</literal></binding></result></results></sparql>')
    with Stub(lambda r: {"body": xml, "headers": {
            "Content-Type": "application/sparql-results+xml"}}) as stub:
        result = _query(cli, stub.url + "/sparql", "--format", "tsv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["?x", '"oui"@fr']


# -- credentials: from the environment only, never shown ---------------------------------------

SECRET = "s3cret-Pa55"


def _needs_basic(request):
    expected = "Basic " + base64.b64encode(f"reader:{SECRET}".encode()).decode()
    if request["headers"].get("Authorization") != expected:
        return {"status": 401, "body": b"who are you?",
                "headers": {"WWW-Authenticate": 'Basic realm="store"'}}
    return _ok(request)


def test_basic_auth_from_the_environment(cli, monkeypatch):
    monkeypatch.setenv("MISSIONS_KG_ENDPOINT_USER", "reader")
    monkeypatch.setenv("MISSIONS_KG_ENDPOINT_PASSWORD", SECRET)
    with Stub(_needs_basic) as stub:
        result = _query(cli, stub.url + "/sparql")
    assert result.exit_code == 0, result.output
    assert SECRET not in result.output


def test_a_refused_login_never_shows_the_password(cli, monkeypatch):
    monkeypatch.setenv("MISSIONS_KG_ENDPOINT_USER", "reader")
    monkeypatch.setenv("MISSIONS_KG_ENDPOINT_PASSWORD", "wrong-" + SECRET)
    with Stub(_needs_basic) as stub:
        error = _one_error_line(_query(cli, stub.url + "/sparql"))
    assert "HTTP 401" in error and "set the credentials" in error
    assert SECRET not in error and "reader" not in error


def test_bearer_token_from_the_environment(cli, monkeypatch):
    monkeypatch.setenv("MISSIONS_KG_ENDPOINT_TOKEN", SECRET)
    with Stub(_ok) as stub:
        result = _query(cli, stub.url + "/sparql")
    assert result.exit_code == 0, result.output
    assert stub.requests[0]["headers"]["Authorization"] == f"Bearer {SECRET}"
    assert SECRET not in result.output


def test_credentials_in_the_url_are_refused_and_not_echoed(cli):
    with Stub(_ok) as stub:
        url = stub.url.replace("http://", f"http://reader:{SECRET}@") + "/sparql"
        error = _one_error_line(_query(cli, url))
        assert stub.requests == []
    assert "holds credentials" in error and "MISSIONS_KG_ENDPOINT_USER" in error
    assert SECRET not in error


def test_data_files_are_local_only(cli, tmp_path):
    extra = tmp_path / "mine.ttl"
    extra.write_text("<urn:x:a> <urn:x:b> <urn:x:c> .\n")
    error = _one_error_line(_query(cli, "http://127.0.0.1:9/sparql", "--data", extra))
    assert "--data works on the local project" in error


# -- publish -------------------------------------------------------------------------------------

def test_dry_run_lists_graphs_triples_and_bytes_and_sends_nothing(cli, real_built):
    with Stub(lambda r: {"status": 201}) as stub:
        result = cli("--root", REPO, "publish", "--store", stub.url + "/store", "--dry-run")
        assert stub.requests == []
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["graph", "triples", "bytes"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:-1]}
    assert rows["mkgg:inferred"][0] == str(real_built.graphs[
        "https://w3id.org/missions-kg/graph/inferred"])
    assert len(rows) == len(real_built.graphs)
    assert lines[-1].startswith(f"Would PUT {len(real_built.graphs)} graph(s), "
                                f"{sum(real_built.graphs.values())} triples")


def test_graphs_selection_puts_each_graph_once_as_ntriples(cli):
    with Stub(lambda r: {"status": 201}) as stub:
        result = cli("--root", REPO, "publish", "--store", stub.url + "/store", "--no-verify",
                     "--graphs", "inferred,sources", "--graphs", "mkgg:links")
    assert result.exit_code == 0, result.output
    assert [r["method"] for r in stub.requests] == ["PUT"] * 3
    targets = sorted(r["path"] for r in stub.requests)
    assert targets == sorted(f"/store?graph=https%3A%2F%2Fw3id.org%2Fmissions-kg%2Fgraph%2F{g}"
                             for g in ("inferred", "sources", "links"))
    assert all(r["headers"]["Content-Type"] == "application/n-triples" for r in stub.requests)
    assert "Published 3 graph(s)" in result.stdout and "(not verified)" in result.stdout


def test_a_store_that_refuses(cli):
    with Stub(lambda r: {"status": 403, "body": b"Forbidden: read-only store"}) as stub:
        result = cli("--root", REPO, "publish", "--store", stub.url + "/store", "--no-verify")
    error = _one_error_line(result)
    assert "the store" in error and "answered HTTP 403 Forbidden: Forbidden: read-only store" \
        in error and "nothing was sent (0 of" in error
    assert len(stub.requests) == 1


def test_a_store_that_dies_half_way_says_which_graphs_were_sent(cli):
    accepted = []

    def respond(request):
        if len(accepted) < 3:
            accepted.append(request["path"])
            return {"status": 204}
        return {"hang_up": True}

    with Stub(respond) as stub:
        result = cli("--root", REPO, "publish", "--store", stub.url + "/store", "--no-verify",
                     "--verbose")
    error = _one_error_line(result)
    sent = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("sent ")]
    assert len(sent) == 3
    assert "sent before it: 3 of" in error and all(name in error for name in sent)


def test_a_store_whose_counts_differ_is_a_failed_check(cli):
    count = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [
        {"n": {"type": "literal", "value": "1",
               "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}).encode()

    def respond(request):
        if request["method"] == "PUT":
            return {"status": 201}
        return {"body": count, "headers": SPARQL_JSON}

    with Stub(respond) as stub:
        result = cli("--root", REPO, "publish", "--store", stub.url + "/store",
                     "--graphs", "sources")
    assert result.exit_code == 1, result.output
    assert "mkgg:sources holds 1" in result.stderr


def test_a_store_whose_query_endpoint_is_unknown_needs_one(cli):
    error = _one_error_line(cli("--root", REPO, "publish", "--store", "http://127.0.0.1:9/gsp"))
    assert "cannot tell the query endpoint" in error and "--query-endpoint" in error


# -- the network opt-in: the endpoint's host, and no other ---------------------------------------

def test_endpoint_opens_the_network_to_its_host_only(cli, monkeypatch):
    """With the sandbox on, --endpoint lets the command reach that host (here a documentation
    address the test guard then refuses, so: 'cannot reach', not 'blocked'), and a redirect to
    another host name is blocked by the sandbox before any lookup."""
    monkeypatch.setenv("MISSIONS_KG_SANDBOX", "on")
    allowed = _one_error_line(_query(cli, "http://192.0.2.1:9/sparql", "--timeout", "2"))
    assert "cannot reach the endpoint" in allowed and "sandbox" not in allowed
    elsewhere = {"status": 302, "headers": {"Location": "http://elsewhere.invalid:9/sparql"}}
    with Stub(lambda r: elsewhere) as stub:
        redirected = _one_error_line(_query(cli, stub.url + "/sparql", "--timeout", "2"))
    assert "network access to elsewhere.invalid:9 blocked by the sandbox" in redirected
