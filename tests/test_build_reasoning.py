"""The fast rule engine and owlrl (the reference) infer the same triples; so does the build,
which streams the rules over its sorted lines; input the rules do not cover is completed by a
complete OWL RL reasoner (reasonable, else owlrl)."""

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


FUNCTIONAL = ":f a <http://www.w3.org/2002/07/owl#FunctionalProperty> . :k :f :y1 , :y2 ."
SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"


def test_unsupported_owl_term_is_completed_by_a_complete_reasoner():
    base = triples(ONTOLOGY + FUNCTIONAL)
    new, _, engine = reasoning.infer(base, "auto")
    assert engine == "rules+" + reasoning.complete_engine()
    shown = {tuple(str(t).removeprefix("http://ex/") for t in triple) for triple in new}
    assert ("y1", SAME_AS, "y2") in shown  # prp-fp, which rules.py does not implement
    assert set(reasoning.infer(base, "owlrl")[0]) == set(new)
    assert reasoning.infer(triples(ONTOLOGY), "auto")[2] == "rules"


def test_transitive_properties_join():
    base = triples("""@prefix : <http://ex/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        :t a owl:TransitiveProperty ; rdfs:domain :D . :u rdfs:subPropertyOf :t .
        :a :t :b . :b :u :c . :c :t :a . :c :t "lit" .""")
    fast, _, _ = reasoning.infer(base, "rules")
    assert set(fast) == set(reasoning.infer(base, "owlrl")[0])
    shown = {tuple(str(t).removeprefix("http://ex/") for t in triple) for triple in fast}
    assert {("a", "t", "c"), ("b", "t", "a"), ("a", "t", "a"), ("a", "t", "lit")} \
        <= shown


def test_the_build_infers_what_owlrl_infers(mini_root, mini):
    """The build's inferred graph (streamed) is owlrl's closure of the asserted graphs, minus
    noise; with a term the rules do not cover it is completed, and says by what."""
    from missions_kg import build

    def inferred_and_base(built):
        inferred, base = set(), set()
        for q in built.iter_quads():
            t = tuple(str(x).encode() for x in (q.subject, q.predicate, q.object))
            (inferred if q.graph_name.value == reasoning.iris.GRAPH_INFERRED else base).add(t)
        return inferred, base - inferred

    built = build(mini)
    inferred, base = inferred_and_base(built)
    assert built.reasoner == "rules" and inferred
    assert inferred == set(reasoning.infer(list(base), "owlrl")[0])
    (mini_root / "data" / "functional.trig").write_text(
        "<https://w3id.org/missions-kg/graph/f> { <http://ex/f> a "
        "<http://www.w3.org/2002/07/owl#FunctionalProperty> . <http://ex/k> <http://ex/f> "
        "<http://ex/y1> , <http://ex/y2> . }\n")
    built = build(mini)
    inferred, base = inferred_and_base(built)
    assert built.reasoner == "rules+" + reasoning.complete_engine()
    assert (b"<http://ex/y1>", b"<" + SAME_AS.encode() + b">", b"<http://ex/y2>") in inferred
    assert inferred == set(reasoning.infer(list(base), "owlrl")[0])


def test_engines_agree_on_the_real_data(real_project):
    from missions_kg import build

    dataset = build(real_project).rdflib_dataset()
    base = [(s, p, o) for s, p, o, g in dataset.quads((None, None, None, None))
            if str(g) != reasoning.iris.GRAPH_INFERRED]
    fast, fast_s, _ = reasoning.infer(base, "rules")
    reference, _, _ = reasoning.infer(base, "owlrl")
    assert set(fast) == set(reference)
    assert fast_s < 0.5
    completed, _, _ = reasoning.infer(base, "reasonable")  # misses a few axioms, never adds
    assert set(completed) <= set(reference) and set(completed) | set(fast) == set(reference)


@pytest.mark.parametrize("triple", [
    ("http://ex/x", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "https://schema.org/Thing"),
    ("http://ex/x", "http://www.w3.org/2002/07/owl#sameAs", "http://ex/x"),
    ("http://www.w3.org/2002/07/owl#Thing", "http://www.w3.org/2000/01/rdf-schema#subClassOf",
     "http://www.w3.org/2000/01/rdf-schema#Resource"),
])
def test_noise(triple):
    from rdflib import URIRef

    assert reasoning.is_noise(*(URIRef(t) for t in triple))
