"""OWL RL closure with owlrl, keeping only the new triples a reader cares about.

owlrl expands a graph in place and adds much that no one asked for (reflexive sameAs,
``owl:Thing`` types, axioms about rdf:/rdfs:/owl:/xsd: terms, literals as subjects). We run
it on a copy of the union (ontology + data) and keep the *new* triples that survive
``is_noise``; they go to their own graph so exports can leave them out.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from . import iris

#: Namespaces whose terms only get axioms, never facts worth showing.
BUILTIN = (iris.RDF, iris.RDFS, iris.OWL, iris.XSD)
#: Types that say nothing about an entity (everything is a Thing / Resource / Class ...).
NOISE_TYPES = frozenset(
    iris.OWL + t for t in ("Thing", "Class", "ObjectProperty", "DatatypeProperty",
                           "AnnotationProperty", "NamedIndividual", "Nothing")
) | frozenset(iris.RDFS + t for t in ("Resource", "Class", "Datatype", "Literal")) | frozenset(
    iris.RDF + t for t in ("Property", "List")
) | {iris.SCHEMA + "Thing"}  # schema.org's owl:Thing
#: Schema-level inferences nobody reads: domains and ranges widened to superclasses.
NOISE_PREDICATES = frozenset({iris.RDFS + "domain", iris.RDFS + "range"})
#: Predicates whose reflexive statements (x p x) are always true, hence noise.
REFLEXIVE = frozenset({
    iris.OWL + "sameAs", iris.OWL + "equivalentClass", iris.OWL + "equivalentProperty",
    iris.RDFS + "subClassOf", iris.RDFS + "subPropertyOf",
})


def is_noise(s, p, o) -> bool:
    """True for an inferred triple that states nothing about the project's own things."""
    from rdflib import Literal, URIRef

    if isinstance(s, Literal) or isinstance(p, Literal):
        return True
    s_str, p_str, o_str = str(s), str(p), str(o)
    if s_str.startswith(BUILTIN) or p_str == iris.OWL + "sameAs" and s == o:
        return True
    if p_str in REFLEXIVE and s == o or p_str in NOISE_PREDICATES:
        return True
    if p_str == iris.RDF + "type" and (o_str in NOISE_TYPES or o_str.startswith(iris.XSD)):
        return True
    if o_str == iris.SCHEMA + "Thing":
        return True  # every class is a subclass of schema:Thing; everything is one
    if isinstance(o, URIRef) and o_str.startswith(BUILTIN) and p_str != iris.RDF + "type":
        return True  # e.g. X rdfs:subClassOf owl:Thing, p rdfs:subPropertyOf owl:topObjectProperty
    if isinstance(o, Literal) and p_str.startswith(BUILTIN) and p_str != iris.RDFS + "label":
        return True  # datatype machinery
    return False


def infer(triples: Iterable[tuple], engine: str = "auto") -> tuple[list[tuple], float, str]:
    """New, non-noise triples entailed under OWL RL: (triples sorted, seconds, engine used).

    ``engine``: ``rules`` (fast, the OWL RL rules our vocabulary needs), ``owlrl`` (the
    reference, ~50x slower), or ``auto``: ``rules`` unless the input uses an OWL term it does
    not implement (then ``owlrl``, so nothing is silently left out).
    """
    from . import rules

    start = time.perf_counter()
    base = list(dict.fromkeys(triples))
    if engine == "auto":
        engine = "owlrl" if rules.unsupported_terms(base) else "rules"
    new = rules.expand(base) if engine == "rules" else _owlrl(base)
    kept = [t for t in new if not is_noise(*t)]
    kept.sort(key=lambda t: tuple(str(x) for x in t))
    return kept, time.perf_counter() - start, engine


def _owlrl(base: list[tuple]) -> set[tuple]:
    import owlrl
    from rdflib import Graph

    graph = Graph()
    for t in base:
        graph.add(t)
    closure = Graph()
    closure += graph
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False,
        rdfs_closure=False,
    ).expand(closure)
    return {t for t in closure if t not in graph}
