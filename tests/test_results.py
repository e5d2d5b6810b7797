"""Every result format parses back with an independent reader and keeps every term."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from query_support import QUERIES, make_built

from missions_kg.catalogue import load_query
from missions_kg.engine import Result
from missions_kg.engine import run_query as run
from missions_kg.errors import UsageError
from missions_kg.labels import pick_label
from missions_kg.results import render
from missions_kg.terms import Term, curie

ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
NS = {"r": "http://www.w3.org/2005/sparql-results#"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return make_built(tmp_path_factory.mktemp("results"))


@pytest.fixture(scope="module")
def result(built):
    r = run(built, ALL)
    assert any(t.lang for row in r.rows for t in row) and any(t.kind == "bnode" for row in
                                                             r.rows for t in row)
    return r


def test_json_round_trip(result):
    doc = json.loads(render(result, "json"))
    assert doc["head"]["vars"] == ["s", "p", "o"]
    back = [tuple(Term(b[v]["type"], b[v]["value"], b[v].get("datatype"), b[v].get("xml:lang"))
                  for v in ("s", "p", "o")) for b in doc["results"]["bindings"]]
    assert back == result.rows


def test_xml_round_trip(result):
    root = ET.fromstring(render(result, "xml"))
    rows = []
    for res in root.iterfind("r:results/r:result", NS):
        row = []
        for b in res.iterfind("r:binding", NS):
            (el,) = list(b)
            kind = el.tag.split("}")[1]
            row.append(Term("literal" if kind == "literal" else kind, el.text or "",
                            el.get("datatype"),
                            el.get("{http://www.w3.org/XML/1998/namespace}lang")))
        rows.append(tuple(row))
    assert rows == result.rows


def test_csv_and_tsv_parse(result):
    rows = list(csv.reader(io.StringIO(render(result, "csv").decode(), newline="")))
    assert rows[0] == ["s", "p", "o"] and len(rows) == len(result.rows) + 1
    assert [r[2] for r in rows[1:]] == [t[2].value if t[2].kind != "bnode" else f"_:{t[2].value}"
                                        for t in result.rows]
    lines = render(result, "tsv").decode().splitlines()
    assert lines[0] == "?s\t?p\t?o" and len(lines) == len(result.rows) + 1
    assert all(len(line.split("\t")) == 3 for line in lines)


def test_table_shows_curies_and_counts(result):
    text = render(result, "table").decode()
    assert "mkgid:s1e3" in text and "schema:name" in text
    assert text.rstrip().endswith(f"({len(result.rows)} rows)")


def test_ask_formats():
    r = Result("ASK", boolean=True)
    assert json.loads(render(r, "json")) == {"head": {}, "boolean": True}
    assert ET.fromstring(render(r, "xml")).find("r:boolean", NS).text == "true"


def test_graph_formats_parse(built):
    import pyoxigraph as ox
    from rdflib import Graph

    r = run(built, load_query(QUERIES / "episode-card.rq"), {"episode": "mkgid:s1e3"})
    ttl = render(r, "turtle")
    assert len(Graph().parse(data=ttl, format="turtle")) == len(r.triples)
    assert len(list(ox.parse(ttl, format=ox.RdfFormat.TURTLE))) == len(r.triples)
    assert len(Graph().parse(data=render(r, "ntriples"), format="nt")) == len(r.triples)
    assert len(Graph().parse(data=render(r, "jsonld"), format="json-ld")) == len(r.triples)


@pytest.mark.parametrize("form, fmt", [("SELECT", "turtle"), ("ASK", "jsonld"),
                                       ("CONSTRUCT", "csv"), ("DESCRIBE", "table")])
def test_wrong_format_for_form(form, fmt):
    with pytest.raises(UsageError, match=f"--format {fmt} does not fit"):
        render(Result(form), fmt)


def test_xml_refuses_control_characters():
    r = Result("SELECT", vars=["x"], rows=[(Term("literal", "ring\x07"),)])
    with pytest.raises(UsageError, match="U\\+0007"):
        render(r, "xml")
    assert json.loads(render(r, "json"))["results"]["bindings"][0]["x"]["value"] == "ring\x07"


def test_truncation_is_said(built):
    r = run(built, ALL, max_rows=2)
    assert "truncated at --max-rows 2" in render(r, "table").decode()


def test_curie():
    assert curie("https://schema.org/name") == "schema:name"
    assert curie("https://example.org/x") == "https://example.org/x"
    # a W3C CURIE may hold '/' (mkgg:user/x.ttl); one that would end in '.' or hold a space
    # stays a full IRI
    assert curie("https://w3id.org/missions-kg/id/a/b") == "mkgid:a/b"
    assert curie("https://w3id.org/missions-kg/id/a.") == "https://w3id.org/missions-kg/id/a."
    assert curie("https://w3id.org/missions-kg/id/a b") == "https://w3id.org/missions-kg/id/a b"
    # the longest namespace wins
    assert curie("https://w3id.org/missions-kg/graph/x") == "mkgg:x"


@pytest.mark.parametrize("cands, lang, want", [
    ([("Jeanne", "fr"), ("Jane", "en")], "fr", "Jeanne"),
    ([("Jeanne", "fr"), ("Jane", "en")], "de", "Jane"),
    ([("Très bien", "fr-FR"), ("Good", "en")], "fr", "Très bien"),
    ([("Folge", "de"), ("plain", None)], "fr", "plain"),
    ([("Folge", "de"), ("Épisode", "fr")], "en", "Épisode"),  # then fr, then de
    ([("Folge", "de"), ("Episode", "es")], "en", "Folge"),
    ([("Episodio", "it"), ("Episode", "es")], "fr", "Episode"),  # then by tag
    ([], "fr", None),
])
def test_pick_label(cands, lang, want):
    assert pick_label(cands, lang) == want


def test_label_column(built):
    r = run(built, load_query(QUERIES / "by-name.rq"), {"name": "Folge 3"})
    from missions_kg.labels import Labeller
    from missions_kg.store import open_store

    text = render(r, "csv", label_for=Labeller(open_store(built), "de").display).decode()
    assert text.splitlines()[0] == "thing,thing_label,name"
    assert "Folge 3" in text.splitlines()[1]
    fr = render(r, "csv", label_for=Labeller(open_store(built), "fr").display).decode()
    assert "Épisode 3" in fr
