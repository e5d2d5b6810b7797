"""OWL RL closure, keeping only the new triples a reader cares about.

A complete OWL RL reasoner adds much that no one asked for (reflexive sameAs, ``owl:Thing``
types, axioms about rdf:/rdfs:/owl:/xsd: terms, literals as subjects). The build keeps the
*new* triples that survive :func:`noise`; they go to their own graph so exports can leave
them out.

Engines: :mod:`missions_kg.rules` (fast; exactly owlrl's closure on the vocabulary it
supports, streamed by the build), ``owlrl`` (the reference, in the tests), and for input that
uses an OWL term ``rules`` does not implement, ``reasonable`` (a complete OWL 2 RL reasoner in
Rust, ~20x faster than owlrl) *added to* ``rules`` (reasonable misses a few ontology-level
subproperty chains that ``rules`` has), or owlrl when reasonable is not installed.

Terms are N-Triples bytes as in :mod:`missions_kg.rules`; :func:`infer` also takes rdflib
triples (tests, notebooks).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from . import iris, rules
from .rules import TYPE, is_literal, term

BUILTIN = tuple(b"<" + ns.encode() for ns in (iris.RDF, iris.RDFS, iris.OWL, iris.XSD))
_XSD = b"<" + iris.XSD.encode()
#: Types that say nothing about an entity (everything is a Thing / Resource / Class ...).
NOISE_TYPES = frozenset(
    term(iris.OWL + t) for t in ("Thing", "Class", "ObjectProperty", "DatatypeProperty",
                                 "AnnotationProperty", "NamedIndividual", "Nothing")
) | frozenset(term(iris.RDFS + t) for t in ("Resource", "Class", "Datatype", "Literal")) | {
    term(iris.RDF + "Property"), term(iris.RDF + "List"), term(iris.SCHEMA + "Thing")}
#: Schema-level inferences nobody reads: domains and ranges widened to superclasses.
NOISE_PREDICATES = frozenset({term(iris.RDFS + "domain"), term(iris.RDFS + "range")})
#: Predicates whose reflexive statements (x p x) are always true, hence noise.
REFLEXIVE = frozenset(term(t) for t in (
    iris.OWL + "sameAs", iris.OWL + "equivalentClass", iris.OWL + "equivalentProperty",
    iris.RDFS + "subClassOf", iris.RDFS + "subPropertyOf"))
THING = term(iris.SCHEMA + "Thing")
LABEL = term(iris.RDFS + "label")


def noise(s: bytes, p: bytes, o: bytes) -> bool:
    """True for an inferred triple that states nothing about the project's own things."""
    if is_literal(s) or is_literal(p) or s.startswith(BUILTIN):
        return True
    if p in NOISE_PREDICATES or (s == o and p in REFLEXIVE):
        return True
    if p == TYPE and (o in NOISE_TYPES or o.startswith(_XSD)):
        return True
    if o == THING:
        return True  # every class is a subclass of schema:Thing; everything is one
    if p != TYPE and o.startswith(BUILTIN):
        return True  # e.g. X rdfs:subClassOf owl:Thing, p rdfs:subPropertyOf owl:topObjectProperty
    return is_literal(o) and p.startswith(BUILTIN) and p != LABEL  # datatype machinery


def nt(node) -> bytes:
    """An rdflib or pyoxigraph term (or N-Triples bytes) as N-Triples bytes."""
    if isinstance(node, bytes):
        return node
    from .terms import rdflib_to_oxigraph

    if type(node).__module__.startswith("rdflib"):
        node = rdflib_to_oxigraph(node)
    return str(node).encode()


def is_noise(s, p, o) -> bool:
    """:func:`noise` for terms of any library."""
    return noise(nt(s), nt(p), nt(o))


def infer(triples: Iterable[tuple], engine: str = "auto") -> tuple[list[tuple], float, str]:
    """New, non-noise triples entailed under OWL RL: (triples sorted, seconds, engine used).
    ``triples`` are rdflib triples (returned as rdflib) or N-Triples bytes (returned so).

    ``engine``: ``rules``, ``owlrl`` (the reference, ~50x slower), ``reasonable``, or
    ``auto``: ``rules``, completed by :func:`complete` when the input uses an OWL term it
    does not implement (so nothing is silently left out).
    """
    start = time.perf_counter()
    given = list(dict.fromkeys(triples))
    as_rdflib = bool(given) and not isinstance(given[0][0], bytes)
    base = [tuple(nt(x) for x in t) for t in given] if as_rdflib else given
    if engine in ("auto", "rules"):
        new = rules.expand(base)
        if engine == "auto" and rules.unsupported({p for _, p, _ in base},
                                                  {o for _, p, o in base if p == TYPE}):
            new |= complete(base)
            engine = "rules+" + complete_engine()
        else:
            engine = "rules"
    else:
        new = complete(base, engine)
    kept = sorted(t for t in new if not noise(*t))
    if as_rdflib:
        kept = [tuple(_rdflib(x) for x in t) for t in kept]
    return kept, time.perf_counter() - start, engine


def complete_engine() -> str:
    """The complete reasoner :func:`complete` uses: reasonable if installed, else owlrl."""
    try:
        import reasonable  # noqa: F401
    except ImportError:
        return "owlrl"
    return "reasonable"


def complete(base: list[tuple[bytes, bytes, bytes]], engine: str | None = None) -> set:
    """Everything a complete OWL RL reasoner derives from ``base`` (byte triples) that is
    not in it, as byte triples. Loads rdflib (and the reasoner)."""
    import pyoxigraph as ox
    from rdflib import Graph

    from .quiet import quiet_rdflib
    from .terms import rdflib_converter

    engine = engine or complete_engine()
    conv = rdflib_converter()
    with quiet_rdflib():
        graph = Graph()  # through pyoxigraph: rdflib's parser would rename blank nodes
        text = b"".join(b" ".join(t) + b" .\n" for t in base)
        for t in ox.parse(text, format=ox.RdfFormat.N_TRIPLES):
            graph.add((conv(t.subject), conv(t.predicate), conv(t.object)))
        if engine == "reasonable":
            import reasonable

            reasoner = reasonable.PyReasoner()
            reasoner.from_graph(graph)
            derived = reasoner.reason()
        elif engine == "owlrl":
            import owlrl

            closure = Graph()
            closure += graph
            owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                                   datatype_axioms=False, rdfs_closure=False).expand(closure)
            derived = closure
        else:
            raise ValueError(f"unknown reasoner {engine!r}")
        known = set(base)
        out = set()
        for triple in derived:
            t = tuple(nt(_plain(x)) for x in triple)
            if t not in known:
                out.add(t)
    return out


def _plain(node):
    """reasonable writes plain literals as ``xsd:string``; RDF 1.1 says they are the same."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    if isinstance(node, Literal) and node.datatype == XSD.string and not node.language:
        return Literal(str(node))
    return node


def _rdflib(node: bytes):
    import pyoxigraph as ox

    from .terms import oxigraph_to_rdflib

    text = node.decode("utf-8")
    if text.startswith("<"):
        return oxigraph_to_rdflib(ox.NamedNode(text[1:-1]))
    if text.startswith("_:"):
        return oxigraph_to_rdflib(ox.BlankNode(text[2:]))
    triple = next(iter(ox.parse(f"<x:s> <x:p> {text} .", format=ox.RdfFormat.N_TRIPLES)))
    return oxigraph_to_rdflib(triple.object)
