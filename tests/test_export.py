"""Exports round-trip (rdflib AND pyoxigraph), keep graphs, are byte-stable and atomic."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from query_support import QUERIES, make_built
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from missions_kg import iris
from missions_kg.errors import UsageError
from missions_kg.exports import export, select_quads
from missions_kg.files import write_output as write_atomic
from missions_kg.jsonld import context
from missions_kg.store import rdflib_dataset as to_rdflib


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return make_built(tmp_path_factory.mktemp("export"))


def _graph(quads) -> Graph:
    g = Graph()
    for s, p, o, _ in to_rdflib(quads).quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _dataset_graphs(ds: Dataset) -> dict[str, Graph]:
    out = {}
    for g in ds.graphs():
        if len(g):
            copy = Graph()
            for t in g:
                copy.add(t)
            out[str(g.identifier)] = copy
    return out


@pytest.mark.parametrize("which", ["asserted", "inferred", "all"])
def test_turtle_ntriples_xml_round_trip(built, which):
    source = _graph(select_quads(built, which))
    assert len(source)
    for fmt, rd, oxf in [("turtle", "turtle", ox.RdfFormat.TURTLE),
                         ("ntriples", "nt", ox.RdfFormat.N_TRIPLES),
                         ("xml", "xml", ox.RdfFormat.RDF_XML)]:
        data = export(built, fmt, which=which)
        assert isomorphic(Graph().parse(data=data, format=rd), source), fmt
        back = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("urn:x-test:g"))
                for t in ox.parse(data, format=oxf)]
        assert isomorphic(_graph(back), source), fmt


@pytest.mark.parametrize("fmt, rd, oxf", [("trig", "trig", ox.RdfFormat.TRIG),
                                          ("nquads", "nquads", ox.RdfFormat.N_QUADS)])
def test_trig_nquads_keep_every_graph(built, fmt, rd, oxf):
    source = to_rdflib(select_quads(built, "all"))
    want = _dataset_graphs(source)
    assert iris.GRAPH_INFERRED in want and len(want) >= 5
    data = export(built, fmt, which="all")
    got = _dataset_graphs(Dataset().parse(data=data, format=rd))
    assert want.keys() == got.keys()
    assert all(isomorphic(want[k], got[k]) for k in want)
    got_ox = _dataset_graphs(to_rdflib(ox.parse(data, format=oxf)))
    assert got_ox.keys() == want.keys() and all(isomorphic(want[k], got_ox[k]) for k in want)


def _refuse_loader(url, options=None):
    raise AssertionError(f"pyld tried to load {url}")


def test_jsonld_read_by_pyld_and_rdflib_matches_turtle(built):
    from pyld import jsonld

    data = export(built, "jsonld")
    doc = json.loads(data)
    assert doc["@context"]["@vocab"] == "https://schema.org/"
    assert "http://schema.org/" not in data.decode()
    turtle = Graph().parse(data=export(built, "turtle"), format="turtle")
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads",
                                 "documentLoader": _refuse_loader})
    via_pyld = _graph(ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS))
    assert isomorphic(via_pyld, turtle)
    via_rdflib = Graph()
    for s, p, o, _ in Dataset().parse(data=data, format="json-ld").quads((None, None, None)):
        via_rdflib.add((s, p, o))
    assert isomorphic(via_rdflib, turtle)


def test_jsonld_reads_as_plain_schema_org(built):
    doc = json.loads(export(built, "jsonld", source="extra"))
    nodes = {n["@id"]: n for g in doc["@graph"] for n in g.get("@graph", [g])}
    ep = nodes["mkgid:s1e3"]
    assert ep["@type"] == "TVEpisode" and ep["episodeNumber"] == 3


def test_context_prefixes_agree_with_iris():
    ctx = context()["@context"]
    assert {k: v for k, v in ctx.items() if not k.startswith("@")} == iris.PREFIXES


@pytest.mark.parametrize("fmt", ["turtle", "trig", "ntriples", "nquads", "xml", "jsonld"])
def test_byte_identical_across_runs(tmp_path, built, fmt):
    first = export(built, fmt, which="all")
    again = export(make_built(tmp_path), fmt, which="all")  # fresh build, fresh bnode ids
    assert first == again


def test_source_selection(built):
    for name in ("press-kit", "mkgg:press-kit", iris.GRAPH + "press-kit"):
        data = export(built, "nquads", source=name)
        assert {q.graph_name.value for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)} == {
            iris.GRAPH + "press-kit"}
    with pytest.raises(UsageError, match=r"no source graph 'nope' \(graphs: .*press-kit"):
        export(built, "turtle", source="nope")
    with pytest.raises(UsageError, match=r"'mkgg:press-kti' \(did you mean press-kit\?\)"):
        export(built, "turtle", source="mkgg:press-kti")
    with pytest.raises(UsageError, match="add --all"):
        export(built, "turtle", source="inferred")


def test_xml_refuses_what_it_cannot_carry(tmp_path):
    b = make_built(tmp_path, extra=(QUERIES / "extra.trig", QUERIES / "bel.ttl"))
    with pytest.raises(UsageError, match="RDF/XML cannot carry character U\\+0007"):
        export(b, "xml")
    data = export(b, "turtle")  # Turtle carries it faithfully
    assert any(t.object.value == "ring\x07ring" for t in ox.parse(data,
                                                                   format=ox.RdfFormat.TURTLE))


def test_atomic_write_keeps_old_file_on_failure(tmp_path, monkeypatch):
    import os

    target = tmp_path / "out.ttl"
    write_atomic(target, b"old\n")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(UsageError, match="No space left on device.*old file is unchanged"):
        write_atomic(target, b"new content\n")
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]  # no temp file left behind
    monkeypatch.undo()
    write_atomic(target, b"new\n")
    assert target.read_bytes() == b"new\n"


def test_write_into_missing_folder_is_an_error(tmp_path):
    with pytest.raises(UsageError, match="cannot write here"):
        write_atomic(tmp_path / "missing" / "out.ttl", b"x")
