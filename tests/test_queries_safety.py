"""SERVICE, FROM and SPARQL Update are refused in every spelling and nesting (issue 4)."""

from __future__ import annotations

import pytest

from missions_kg.catalogue import parse_query
from missions_kg.errors import QueryError
from missions_kg.safety import check_algebra, check_query_text

P = "PREFIX ex: <http://127.0.0.1:9/>\n"
SERVICE = [
    "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "select * { service <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { SeRvIcE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }",
    P + "SELECT * { SERVICE ex:sparql { ?s ?p ?o } }",
    "SELECT * { ?s ?p ?o OPTIONAL { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    "SELECT * { { ?s ?p ?o } UNION { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    "SELECT * { { SELECT ?s { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } } }",
    "SELECT * { ?s ?p ?o MINUS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    "SELECT * { FILTER EXISTS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    "SELECT * { GRAPH ?g { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    "SELECT * { SERVICE ?endpoint { ?s ?p ?o } VALUES ?endpoint { <http://127.0.0.1:9/> } }",
    "ASK { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * {\n# comment\nSERVICE\n<http://127.0.0.1:9/>{?s ?p ?o}}",
    "SELECT * { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { \\U00000053ervice <http://127.0.0.1:9/> { ?s ?p ?o } }",
    'SELECT * { ?s ?p "x\\u0022 . SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } #" }',
]
UPDATES = [
    "INSERT DATA { <http://ex/a> <http://ex/b> <http://ex/c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR ALL", "DROP GRAPH <http://ex/g>", "CREATE GRAPH <http://ex/g>",
    "ADD <http://ex/a> TO <http://ex/b>", "MOVE DEFAULT TO <http://ex/b>",
    "COPY DEFAULT TO <http://ex/b>",
    "WITH <http://ex/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "SELECT * { ?s ?p ?o } ; INSERT DATA { <http://ex/a> <http://ex/b> <http://ex/c> }",
    "PREFIX ex: <http://ex/> insert data { ex:a ex:b ex:c }",
]
HARMLESS = [
    "SELECT ?service WHERE { ?service <http://ex/p> ?o }",
    'SELECT * WHERE { ?s <http://ex/p> "SERVICE <http://x/> {}" }',
    "SELECT * WHERE { ?s <http://ex/SERVICE> ?o } # SERVICE <http://x/> {}",
    "PREFIX service: <http://ex/> SELECT * WHERE { ?s service:insert ?o }",
    'SELECT * WHERE { ?s ?p "x"@service }',
    "SELECT * WHERE { _:service ?p ?o }",
    "SELECT * WHERE { ?s <http://ex/p> '''multi\nline SERVICE FROM DELETE''' }",
]


@pytest.mark.parametrize("text", SERVICE)
def test_service_refused_with_flag_named(text):
    with pytest.raises(QueryError, match="SERVICE .*--allow-service"):
        check_query_text(text)


@pytest.mark.parametrize("text", SERVICE[:14])
def test_rdflib_algebra_also_refuses_service(text):
    from rdflib.plugins.sparql import prepareQuery

    with pytest.raises(QueryError, match="SERVICE"):
        check_algebra(prepareQuery(text))


def test_service_allowed_with_flag():
    assert check_query_text(SERVICE[0], allow_service=True).form == "SELECT"


@pytest.mark.parametrize("text", UPDATES)
def test_updates_refused(text):
    with pytest.raises(QueryError, match="SPARQL Update"):
        check_query_text(text, allow_service=True)


@pytest.mark.parametrize("text", ["SELECT * FROM <http://127.0.0.1:9/g> { ?s ?p ?o }",
                                  "SELECT * FROM NAMED <file:///etc/passwd> { ?s ?p ?o }",
                                  "ask from <http://x/> {}"])
def test_from_refused(text):
    with pytest.raises(QueryError, match="FROM"):
        check_query_text(text, allow_service=True)


@pytest.mark.parametrize("text", HARMLESS)
def test_lookalikes_are_not_keywords(text):
    assert check_query_text(text).form == "SELECT"
    parse_query(text, require_summary=False)  # and they are valid SPARQL


def test_deep_nesting_refused_before_the_parser_crashes():
    text = "SELECT * WHERE " + "{" * 3000 + "}" * 3000
    with pytest.raises(QueryError, match="nested deeper than 100"):
        parse_query(text, require_summary=False)


def test_stored_query_with_service_fails_catalogue_load(tmp_path):
    from missions_kg.catalogue import load_catalogue

    (tmp_path / "bad.rq").write_text("#+ summary: x\n" + SERVICE[4])
    with pytest.raises(QueryError, match=r"bad.rq: line 2, column \d+: SERVICE"):
        load_catalogue([tmp_path / "bad.rq"])


def test_from_may_name_only_graphs_of_the_dataset():
    """The server's mode: FROM / FROM NAMED of the dataset's own graphs, nothing else."""
    graph = "https://w3id.org/missions-kg/graph/"
    allowed = {graph + "seed-x", graph + "a"}
    text = (f"PREFIX mkgg: <{graph}> SELECT * FROM mkgg:seed-x FROM NAMED <{graph}a> "
            "WHERE { ?s ?p ?o }")
    assert check_query_text(text, allow_from=allowed).form == "SELECT"
    with pytest.raises(QueryError, match="FROM / FROM NAMED is refused"):
        check_query_text(text)
    for bad in ("<http://evil.example/x>", "NAMED <file:///etc/passwd>", "mkgg:other",
                "\\u003chttp://evil.example/x>"):
        with pytest.raises(QueryError, match="not a graph of this dataset|refused"):
            check_query_text(f"PREFIX mkgg: <{graph}> SELECT * FROM {bad} WHERE {{ ?s ?p ?o }}",
                             allow_from=allowed)
