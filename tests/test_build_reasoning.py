"""The fast rule engine and owlrl (the reference) infer the same triples."""

from __future__ import annotations

import pytest
from rdflib import Graph

from missions_kg import reasoning

ONTOLOGY = """
@prefix : <http://ex/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
:A rdfs:subClassOf :B . :B rdfs:subClassOf :C . :C owl:equivalentClass :D .
:p rdfs:subPropertyOf :q ; rdfs:domain :A ; rdfs:range :B .
:q owl:inverseOf :qi . :r a owl:SymmetricProperty . :t a owl:TransitiveProperty .
:e owl:equivalentProperty :p .
:x :p :y . :y :r :z . :a :t :b . :b :t :c . :c :t :d . :w :e :v . :x :q "lit" .
"""


def triples(text):
    return list(Graph().parse(data=text, format="turtle"))


def test_rules_and_owlrl_agree_on_every_rule_we_implement():
    base = triples(ONTOLOGY)
    fast, _, engine = reasoning.infer(base, "rules")
    reference, _, _ = reasoning.infer(base, "owlrl")
    assert engine == "rules"
    assert set(fast) == set(reference)
    shown = {tuple(str(t).removeprefix("http://ex/") for t in triple) for triple in fast}
    assert ("a", "http://ex/t", "d") in {(s, "http://ex/t", o) for s, p, o in shown if p == "t"}
    assert ("z", "r", "y") in shown and ("y", "qi", "x") in shown
    assert ("w", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "D") in shown


def test_unsupported_owl_term_falls_back_to_owlrl():
    base = triples(ONTOLOGY + ":f a <http://www.w3.org/2002/07/owl#FunctionalProperty> .")
    assert reasoning.infer(base, "auto")[2] == "owlrl"
    assert reasoning.infer(triples(ONTOLOGY), "auto")[2] == "rules"


def test_engines_agree_on_the_real_data(real_project):
    from missions_kg import build

    dataset = build(real_project).rdflib_dataset()
    base = [(s, p, o) for s, p, o, g in dataset.quads((None, None, None, None))
            if str(g) != reasoning.iris.GRAPH_INFERRED]
    fast, fast_s, _ = reasoning.infer(base, "rules")
    reference, _, _ = reasoning.infer(base, "owlrl")
    assert set(fast) == set(reference)
    assert fast_s < 0.5


@pytest.mark.parametrize("triple", [
    ("http://ex/x", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "https://schema.org/Thing"),
    ("http://ex/x", "http://www.w3.org/2002/07/owl#sameAs", "http://ex/x"),
    ("http://www.w3.org/2002/07/owl#Thing", "http://www.w3.org/2000/01/rdf-schema#subClassOf",
     "http://www.w3.org/2000/01/rdf-schema#Resource"),
])
def test_noise(triple):
    from rdflib import URIRef

    assert reasoning.is_noise(*(URIRef(t) for t in triple))
