"""`missions-kg query`, `queries` and `export` in-process: exit codes, messages, outputs."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from query_support import EXTRA, QUERIES

PLAYED_BY = str(QUERIES / "played-by.rq")
EPISODES = str(QUERIES / "episodes.rq")


@pytest.fixture
def q(cli, mini_root):
    def run(*args):
        return cli("--root", mini_root, *args)
    return run


def test_query_by_name_tsv_off_terminal(q):
    r = q("query", "cast")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[0] == "?character\t?actor"
    assert '"Jeanne Renoir"@fr\t"Hélène Viviani"' in r.stdout


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml"])
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_select_formats(q, fmt, engine):
    r = q("query", EPISODES, "--data", EXTRA, "-p", "min=2", "--format", fmt, "--engine", engine)
    assert r.exit_code == 0, r.stderr
    if fmt == "json":
        assert len(json.loads(r.stdout)["results"]["bindings"]) == 4
    elif fmt == "xml":
        assert len(ET.fromstring(r.stdout.encode())[1]) == 4
    elif fmt == "csv":
        assert len(list(csv.reader(io.StringIO(r.stdout)))) == 5
    else:
        assert "Folge 3" in r.stdout


@pytest.mark.parametrize("fmt, oxf", [("turtle", ox.RdfFormat.TURTLE),
                                      ("ntriples", ox.RdfFormat.N_TRIPLES),
                                      ("jsonld", ox.RdfFormat.JSON_LD)])
def test_construct_formats(q, fmt, oxf):
    r = q("query", str(QUERIES / "episode-card.rq"), "--format", fmt)
    assert r.exit_code == 0, r.stderr
    assert len(list(ox.parse(r.stdout.encode(), format=oxf))) == 4


def test_labels_and_lang(q):
    r = q("query", PLAYED_BY, "-p", "actor=mkgid:helene-viviani", "--lang", "fr", "--labels",
          "--format", "csv")
    assert r.exit_code == 0, r.stderr
    header, row = list(csv.reader(io.StringIO(r.stdout)))
    assert header == ["actor", "actor_label", "character", "character_label", "label", "lang"]
    assert row[1] == "Hélène Viviani" and row[4] == "Jeanne Renoir" and row[5] == "fr"


@pytest.mark.parametrize("args, message", [
    (["query", "castt"], "no stored query named 'castt'; did you mean cast?"),
    (["query", PLAYED_BY], "missing parameter actor (iri"),
    (["query", PLAYED_BY, "-p", "actor=http://ex/s1> ?p ?o . ?a ?b ?c } #"], "invalid IRI"),
    (["query", PLAYED_BY, "-p", "actor=mkgid:x", "-p", "actres=y"], "unknown parameter"),
    (["query", EPISODES, "-p", "min=eight"], "not an integer"),
    (["query", EPISODES, "-p", "min=99999999999999999999"], "out of range"),
    (["query", EPISODES, "-p", "min"], "expected NAME=VALUE"),
    (["query", EPISODES, "--format", "turtle"], "--format turtle does not fit SELECT"),
    (["query", "missing.rq"], "no such query file"),
    (["export", "--source", "nope"], "no source graph 'nope'"),
])
def test_errors_are_one_line_exit_2(q, args, message):
    r = q(*args)
    assert r.exit_code == 2
    assert message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and r.stdout == ""


@pytest.mark.parametrize("text, message", [
    ("SELECT * { OPTIONAL { service <http://127.0.0.1:9/> { ?s ?p ?o } } }", "--allow-service"),
    ("INSERT DATA { <http://ex/a> <http://ex/b> <http://ex/c> }", "SPARQL Update"),
    ("SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }", "FROM"),
    ("SELECT * WHERE {\n ?s ?p ?o . FILTER(?o > ) }", ":2:"),
])
def test_refused_queries(q, tmp_path, text, message):
    f = tmp_path / "ad-hoc.rq"
    f.write_text(text)
    r = q("query", f)
    assert r.exit_code == 2 and message in r.stderr, r.stderr


def test_injection_literal_gives_no_rows(q):
    r = q("query", str(QUERIES / "by-name.rq"), "-p", 'name=x" || "1"="1', "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["results"]["bindings"] == []


def test_max_rows_and_timeout(q, tmp_path):
    f = tmp_path / "all.rq"
    f.write_text("SELECT * { ?s ?p ?o }")
    r = q("query", f, "--max-rows", "3", "--format", "csv")
    assert r.exit_code == 0 and len(r.stdout.splitlines()) == 4
    assert "truncated at --max-rows 3" in r.stderr
    f.write_text("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
                 "?m ?n2 ?o }")
    r = q("query", f, "--timeout", "0.5", "--engine", "rdflib")
    assert r.exit_code == 2 and "longer than 0.5 s" in r.stderr


def test_output_file(q, tmp_path):
    out = tmp_path / "cast.json"
    r = q("query", "cast", "--format", "json", "-o", out)
    assert r.exit_code == 0 and r.stdout == ""
    assert len(json.loads(out.read_text())["results"]["bindings"]) == 2


def test_queries_catalogue(q):
    r = q("queries")
    assert r.exit_code == 0
    assert "cast  [SELECT]  Characters and the people who play them." in r.stdout


def test_export_command(q, tmp_path):
    out = tmp_path / "kg.trig"
    r = q("export", "--format", "trig", "--all", "-o", out)
    assert r.exit_code == 0, r.stderr
    graphs = {x.graph_name.value for x in ox.parse(out.read_bytes(), format=ox.RdfFormat.TRIG)}
    assert "https://w3id.org/missions-kg/graph/inferred" in graphs
    r2 = q("export", "--format", "trig", "--all")
    assert r2.stdout.encode() == out.read_bytes()
    r3 = q("export", "--format", "ntriples", "--source", "press-kit")
    assert r3.exit_code == 0 and "jean-toussaint-bernard" in r3.stdout


@pytest.mark.parametrize("command", ["query", "queries", "export"])
def test_help_has_examples(cli, command):
    r = cli(command, "--help")
    assert r.exit_code == 0 and "Examples:" in r.stdout
