"""The SHACL engine's input without implied types: what is left out, and when nothing is.

The report itself is held to pySHACL's on the whole input in tests/test_shacl_parity.py;
here: the pruned data keeps every node's SHACL instances (``rdf:type/rdfs:subClassOf*``),
and the shapes that could see a type triple get the data whole.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missions_kg import shacl
from missions_kg.project import Project
from missions_kg.redundant_types import prune, query_may_read_types, shapes_allow

TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SCO = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"


def _nt(*triples: tuple[str, str, str]) -> bytes:
    return "".join(f"{s} {p} {o} .\n" for s, p, o in sorted(triples)).encode()


def _types(data: bytes) -> set[tuple[str, str]]:
    return {(t.subject.value, t.object.value)
            for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
            if t.predicate.value.endswith("#type")}


def test_each_node_keeps_its_most_specific_types():
    data = _nt(("<x:A>", SCO, "<x:B>"), ("<x:B>", SCO, "<x:C>"), ("<x:A>", SCO, "<x:C>"),
               ("<x:n>", TYPE, "<x:A>"), ("<x:n>", TYPE, "<x:B>"), ("<x:n>", TYPE, "<x:C>"),
               ("<x:n>", TYPE, "<x:D>"), ("<x:m>", TYPE, "<x:B>"), ("<x:m>", TYPE, "<x:C>"),
               ("<x:k>", TYPE, "<x:C>"), ("_:b1", TYPE, "<x:A>"), ("_:b1", TYPE, "<x:C>"),
               ("<x:n>", "<x:name>", '"n"'))
    pruned, dropped = prune(data)
    assert _types(pruned) == {("x:n", "x:A"), ("x:n", "x:D"), ("x:m", "x:B"),
                              ("x:k", "x:C"), ("b1", "x:A")}
    assert dropped == 4
    assert set(data.splitlines()) - set(pruned.splitlines()) == {
        line for line in data.splitlines()
        if line in {f"<x:n> {TYPE} <x:B> .".encode(), f"<x:n> {TYPE} <x:C> .".encode(),
                    f"<x:m> {TYPE} <x:C> .".encode(), f"_:b1 {TYPE} <x:C> .".encode()}}


def test_classes_that_are_each_others_superclass_are_both_kept():
    data = _nt(("<x:A>", SCO, "<x:B>"), ("<x:B>", SCO, "<x:A>"),
               ("<x:n>", TYPE, "<x:A>"), ("<x:n>", TYPE, "<x:B>"))
    assert prune(data) == (data, 0)


def test_a_type_iri_inside_a_literal_is_left_alone():
    literal = f'"<x:A> {TYPE} <x:B> ."'
    data = _nt(("<x:A>", SCO, "<x:B>"), ("<x:n>", "<x:note>", literal),
               ("<x:n>", TYPE, "<x:A>"), ("<x:n>", TYPE, "<x:B>"))
    pruned, dropped = prune(data)
    assert dropped == 1 and literal.encode() in pruned
    assert _types(pruned) == {("x:n", "x:A")}


CLASSES = [f"<x:C{i}>" for i in range(5)] + ["_:k1"]  # a class may be a blank node


@settings(max_examples=150, deadline=None)
@given(edges=st.sets(st.tuples(st.sampled_from(CLASSES), st.sampled_from(CLASSES)),
                     max_size=10),
       typed=st.lists(st.sets(st.sampled_from(CLASSES), min_size=1), min_size=1, max_size=4),
       order=st.randoms(use_true_random=False))
def test_every_node_keeps_its_shacl_instances(edges, typed, order):
    """Any hierarchy (cycles too), any types, IRI or blank nodes, the lines in any order:
    rdf:type/rdfs:subClassOf* is unchanged."""
    triples = {(a, SCO, b) for a, b in edges}
    triples |= {(f"<x:n{i}>" if i % 2 else f"_:n{i}", TYPE, c)
                for i, types in enumerate(typed) for c in types}
    lines = _nt(*triples).splitlines(keepends=True)
    order.shuffle(lines)
    data = b"".join(lines)
    pruned, dropped = prune(data)
    assert dropped == len(data.splitlines()) - len(pruned.splitlines())

    def instances(text: bytes) -> set:
        store = ox.Store()
        store.extend(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))  # blank labels kept
        return {(r["n"].value, r["c"].value) for r in store.query(
            f"SELECT ?n ?c WHERE {{ ?n {TYPE}/{SCO}* ?c }}")}

    assert instances(pruned) == instances(data)


def test_the_real_shapes_allow_it(real_project):
    assert shapes_allow(shacl.shape_quads(real_project))


SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix schema: <https://schema.org/> .
@prefix ex: <https://example.org/> .
ex:S a sh:NodeShape ; sh:targetClass schema:Person ; {} .
"""


@pytest.mark.parametrize("query", [
    "SELECT $this WHERE { $this a schema:Person }",
    "SELECT $this WHERE { $this ?p ?o }",
    "SELECT $this WHERE { $this schema:knows ?v ; ?p ?value }",  # after ";"
    "SELECT $this WHERE { $this schema:knows ?v . ?v ?p <https://schema.org/Person> }",
    "SELECT $this WHERE { $this ?p?value }",  # no space
    "SELECT $this WHERE { $this #c\n ?p ?value }",  # a comment
    "SELECT $this WHERE { $this schema:knows [ ?p ?o ] }",
    "SELECT $this WHERE { <https://example.org/x> ?p $this }",
    "SELECT $this WHERE { $this <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?c }",
    "SELECT $this WHERE { $this <http://www.w3.org/1999/02/22-rdf-syntax-ns#\\u0074ype> ?c }",
    "PREFIX r: <http://www.w3.org/1999/02/22-rdf-syntax-ns#ty> "
    "SELECT $this WHERE { $this r:pe ?c }",
    "BASE <http://www.w3.org/1999/02/> SELECT $this WHERE { $this <22-rdf-syntax-ns#%74> ?c }",
    "SELECT $this WHERE { $this !schema:name ?o }",
    "SELECT $this WHERE { $this schema:knows/rdfs:subClassOf ?y }",
    "SELECT $this WHERE { { SELECT $this (COUNT(*) AS ?n) WHERE { $this schema:knows ?v ; ?p ?o } "
    "GROUP BY $this } FILTER(?n > 2) }",
    "SELECT $this WHERE { FILTER(?a<?b).$this?p?o.FILTER(?c>?d) }",  # "<...>" not an IRI
])
def test_a_query_that_could_read_a_type_triple_is_refused(query):
    assert query_may_read_types(query)


@pytest.mark.parametrize("query", [
    "SELECT $this WHERE { FILTER NOT EXISTS { $this schema:name ?title } "
    "FILTER NOT EXISTS { $this <http://www.w3.org/2000/01/rdf-schema#comment> ?reason } }",
    "SELECT $this WHERE { $this schema:knows ?friend . ?friend schema:name \"Bo\" . }",
])
def test_a_query_that_reads_named_predicates_only_is_allowed(query):
    assert not query_may_read_types(query)


@pytest.mark.parametrize("body", [
    "sh:property [ sh:path rdf:type ; sh:minCount 2 ]",
    "sh:property [ sh:path ( schema:knows rdf:type ) ; sh:hasValue schema:Person ]",
    "sh:property [ sh:path [ sh:inversePath rdf:type ] ; sh:maxCount 1 ]",
    "sh:targetSubjectsOf rdf:type",
    "sh:closed true ; sh:ignoredProperties ( schema:name )",
    'sh:closed "1"^^<http://www.w3.org/2001/XMLSchema#boolean>',
    'sh:declare [ sh:prefix "r" ; sh:namespace "http://www.w3.org/1999/02/22-rdf-syntax-ns#ty" ]',
    "sh:property [ sh:path schema:knows ; sh:equals rdf:type ]",
    'sh:sparql [ sh:select "SELECT $this WHERE { $this a schema:Person }" ]',
    'sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o }" ]',
    'sh:sparql [ sh:select "SELECT $this WHERE { $this <http://www.w3.org/1999/02/'
    '22-rdf-syntax-ns#type> ?c }" ]',
    'sh:sparql [ sh:select "SELECT $this WHERE { $this !schema:name ?o }" ]',
    'sh:sparql [ sh:ask "ASK { ?x schema:knows/rdfs:subClassOf ?y }" ]',
], ids=["path", "sequence-path", "inverse-path", "target", "closed", "closed-1",
          "declared-namespace", "equals", "sparql-a",
        "sparql-variable-predicate", "sparql-type-iri", "sparql-negated-set", "sparql-ask"])
def test_shapes_that_could_see_a_type_triple_get_the_data_whole(tmp_path, body):
    assert not shapes_allow(_shapes(tmp_path, body))


@pytest.mark.parametrize("body", [
    "sh:class schema:Person",
    "sh:property [ sh:path schema:knows ; sh:class schema:Person ]",
    "sh:closed false",
    'sh:sparql [ sh:select "SELECT $this WHERE { FILTER NOT EXISTS { $this schema:name ?n } }" ]',
])
def test_shapes_that_read_types_only_through_classes_allow_it(tmp_path, body):
    assert shapes_allow(_shapes(tmp_path, body))


def _shapes(tmp_path, body: str) -> list:
    (tmp_path / "shapes").mkdir(exist_ok=True)
    (tmp_path / "shapes" / "s.ttl").write_text(SHAPES.replace("{}", body), encoding="utf-8")
    return shacl.shape_quads(Project(tmp_path))
