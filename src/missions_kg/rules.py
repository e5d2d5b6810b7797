"""A fast forward-chainer for the part of OWL RL this project's ontology uses.

owlrl took 1.0 s on 1.6k triples (all of its rules, many passes over the whole graph),
against a 1 s budget for the whole build. This module applies only the OWL RL rules that
can fire on the vocabulary we use — subclass/subproperty (with equivalences), domain,
range, inverse, symmetric and transitive properties — to a fixpoint with a work list.
``SUPPORTED`` lists that vocabulary; ``reasoning.infer`` falls back to owlrl as soon as the
input uses any other OWL term, and a test checks both engines agree on the real data.
Terms are rdflib terms; rdflib is imported by the caller.
"""

from __future__ import annotations

from collections import defaultdict

from . import iris

TYPE = iris.RDF + "type"
SCO, SPO = iris.RDFS + "subClassOf", iris.RDFS + "subPropertyOf"
DOMAIN, RANGE = iris.RDFS + "domain", iris.RDFS + "range"
EQC, EQP = iris.OWL + "equivalentClass", iris.OWL + "equivalentProperty"
INV = iris.OWL + "inverseOf"
SYMMETRIC, TRANSITIVE = iris.OWL + "SymmetricProperty", iris.OWL + "TransitiveProperty"
#: OWL terms that either drive the rules above or never produce triples in OWL RL.
SUPPORTED = frozenset({iris.OWL + t for t in (
    "Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty", "Ontology",
    "versionInfo", "versionIRI", "imports", "priorVersion", "backwardCompatibleWith",
    "incompatibleWith", "deprecated", "DeprecatedClass", "DeprecatedProperty", "Thing",
    "NamedIndividual", "inverseOf", "SymmetricProperty", "TransitiveProperty",
    "equivalentClass", "equivalentProperty", "OntologyProperty")})


def unsupported_terms(triples) -> set[str]:
    """OWL terms in predicate or type position that this engine does not implement."""
    found = set()
    for _s, p, o in triples:
        for term in (str(p), str(o) if str(p) == TYPE else ""):
            if term.startswith(iris.OWL) and term not in SUPPORTED:
                found.add(term)
    return found


def _closure(pairs: dict) -> dict:
    """Reflexive-transitive closure of a relation given as node -> set(nodes)."""
    out = {}
    for start in pairs:
        seen, stack = {start}, [start]
        while stack:
            for nxt in pairs.get(stack.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        out[start] = seen
    return out


def expand(triples) -> set[tuple]:
    """All triples entailed by the supported rules, minus the input ones."""
    from rdflib import Literal, URIRef

    known = set(triples)
    sco, spo = defaultdict(set), defaultdict(set)
    dom, rng, inv = defaultdict(set), defaultdict(set), defaultdict(set)
    sym, trans = set(), set()
    for s, p, o in known:
        ps = str(p)
        if ps == SCO:
            sco[s].add(o)
        elif ps == SPO:
            spo[s].add(o)
        elif ps == EQC:
            sco[s].add(o)
            sco[o].add(s)
        elif ps == EQP:
            spo[s].add(o)
            spo[o].add(s)
        elif ps == DOMAIN:
            dom[s].add(o)
        elif ps == RANGE:
            rng[s].add(o)
        elif ps == INV:
            inv[s].add(o)
            inv[o].add(s)
        elif ps == TYPE and str(o) == SYMMETRIC:
            sym.add(s)
        elif ps == TYPE and str(o) == TRANSITIVE:
            trans.add(s)
    sco_all, spo_all = _closure(sco), _closure(spo)
    rdf_type, sco_iri, spo_iri = URIRef(TYPE), URIRef(SCO), URIRef(SPO)
    new: set[tuple] = set()

    def add(t):
        if t not in known:
            known.add(t)
            new.add(t)
            queue.append(t)

    queue: list[tuple] = []
    eqc_iri, eqp_iri = URIRef(EQC), URIRef(EQP)
    for closure, sub, eq in ((sco_all, sco_iri, eqc_iri), (spo_all, spo_iri, eqp_iri)):
        for c, supers in closure.items():
            for d in supers:
                add((c, sub, d))
                if c in closure.get(d, ()):  # scm-eqc2 / scm-eqp2: mutual subsumption
                    add((c, eq, d))
    by_sp, by_po = defaultdict(set), defaultdict(set)  # transitive properties only
    for s, p, o in known:
        if p in trans:
            by_sp[(s, p)].add(o)
            by_po[(p, o)].add(s)
    queue = list(known)
    while queue:
        s, p, o = queue.pop()
        resource = not isinstance(o, Literal)
        if p == rdf_type:
            for d in sco_all.get(o, ()):
                add((s, rdf_type, d))
            continue
        for q in spo_all.get(p, ()):
            add((s, q, o))
        for c in dom.get(p, ()):
            add((s, rdf_type, c))
        if not resource:
            continue
        for c in rng.get(p, ()):
            add((o, rdf_type, c))
        for q in inv.get(p, ()):
            add((o, q, s))
        if p in sym:
            add((o, p, s))
        if p in trans:
            by_sp[(s, p)].add(o)
            by_po[(p, o)].add(s)
            for z in list(by_sp.get((o, p), ())):
                add((s, p, z))
            for w in list(by_po.get((p, s), ())):
                add((w, p, o))
    return new
