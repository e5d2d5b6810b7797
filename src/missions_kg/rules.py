"""A fast forward-chainer for the part of OWL RL this project's ontology uses.

owlrl took 1.0 s on 1.6k triples (all of its rules, many passes over the whole graph). This
module applies only the OWL RL rules that can fire on the vocabulary we use —
subclass/subproperty (with equivalences), domain, range, inverse, symmetric and transitive
properties — and gives exactly owlrl's closure on it (a test compares them on the real data).
``SUPPORTED`` lists that vocabulary; ``reasoning`` hands anything else to a complete reasoner.

**Per triple, from a table.** Once the schema (the ``rdfs:subClassOf`` … axioms) is known,
every rule but transitivity has one premise: what a triple ``s p o`` entails depends only on
``p``, on whether ``o`` is a literal, and (for ``rdf:type``) on the class. :class:`Rules`
works that out once per predicate and class, so a million triples cost a dictionary lookup
each, and can be streamed from a sorted file without holding the graph. Transitive
properties join triples with each other: :meth:`Rules.transitive_closure` does that on the
(few) triples of those properties.

Terms are N-Triples text as bytes (``b"<iri>"``, ``b"_:b1"``, ``b'"v"@en'``), the form in
which the build streams them; :func:`expand` takes and returns such triples.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from . import iris


def term(iri: str) -> bytes:
    return b"<" + iri.encode() + b">"


TYPE = term(iris.RDF + "type")
SCO, SPO = term(iris.RDFS + "subClassOf"), term(iris.RDFS + "subPropertyOf")
DOMAIN, RANGE = term(iris.RDFS + "domain"), term(iris.RDFS + "range")
EQC, EQP = term(iris.OWL + "equivalentClass"), term(iris.OWL + "equivalentProperty")
INV = term(iris.OWL + "inverseOf")
SYMMETRIC, TRANSITIVE = term(iris.OWL + "SymmetricProperty"), term(iris.OWL + "TransitiveProperty")
#: Predicates of the axioms the rules read (plus ``rdf:type`` with the two classes above).
SCHEMA_PREDICATES = frozenset({SCO, SPO, EQC, EQP, DOMAIN, RANGE, INV})
#: OWL terms that either drive the rules above or never produce triples in OWL RL.
SUPPORTED = frozenset(term(iris.OWL + t) for t in (
    "Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty", "Ontology",
    "versionInfo", "versionIRI", "imports", "priorVersion", "backwardCompatibleWith",
    "incompatibleWith", "deprecated", "DeprecatedClass", "DeprecatedProperty", "Thing",
    "NamedIndividual", "inverseOf", "SymmetricProperty", "TransitiveProperty",
    "equivalentClass", "equivalentProperty", "OntologyProperty"))
_OWL = b"<" + iris.OWL.encode()


def is_schema(p: bytes, o: bytes) -> bool:
    """True for a triple the rules read as an axiom."""
    return p in SCHEMA_PREDICATES or (p == TYPE and o in (SYMMETRIC, TRANSITIVE))


def unsupported(predicates: Iterable[bytes], types: Iterable[bytes]) -> set[bytes]:
    """OWL terms in predicate or type position that this engine does not implement."""
    return {t for t in (*predicates, *types) if t.startswith(_OWL) and t not in SUPPORTED}


def is_literal(t: bytes) -> bool:
    return t[:1] == b'"'


def reachable(start, edges: dict) -> set:
    """``start`` (nodes) and every node reachable from it through ``edges`` (node ->
    set(nodes)): the class hierarchy walk that validation and the link listing share."""
    seen, stack = set(start), list(start)
    while stack:
        for nxt in edges.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def _closure(pairs: dict) -> dict:
    """Reflexive-transitive closure of a relation given as node -> set(nodes)."""
    return {start: reachable((start,), pairs) for start in pairs}


class Rules:
    """The rules compiled against one schema (its axioms, as byte triples)."""

    def __init__(self, axioms: Iterable[tuple[bytes, bytes, bytes]]) -> None:
        sco, spo = defaultdict(set), defaultdict(set)
        self.dom, self.rng, self.inv = defaultdict(set), defaultdict(set), defaultdict(set)
        self.sym, self.trans = set(), set()
        for s, p, o in set(axioms):
            if p == SCO:
                sco[s].add(o)
            elif p == SPO:
                spo[s].add(o)
            elif p == EQC:
                sco[s].add(o)
                sco[o].add(s)
            elif p == EQP:
                spo[s].add(o)
                spo[o].add(s)
            elif p == DOMAIN:
                self.dom[s].add(o)
            elif p == RANGE:
                self.rng[s].add(o)
            elif p == INV:
                self.inv[s].add(o)
                self.inv[o].add(s)
            elif p == TYPE and o == SYMMETRIC:
                self.sym.add(s)
            elif p == TYPE and o == TRANSITIVE:
                self.trans.add(s)
        self.sco_all, self.spo_all = _closure(sco), _closure(spo)
        self._table: dict[tuple[bytes, bool], tuple] = {}
        self._types: dict[bytes, tuple[bytes, ...]] = {}

    def axioms(self) -> set[tuple[bytes, bytes, bytes]]:
        """What the schema entails about itself: the subclass and subproperty closures, and
        equivalences from mutual subsumption (scm-eqc2 / scm-eqp2)."""
        out = set()
        for closure, sub, eq in ((self.sco_all, SCO, EQC), (self.spo_all, SPO, EQP)):
            for c, supers in closure.items():
                for d in supers:
                    out.add((c, sub, d))
                    if c in closure.get(d, ()):
                        out.add((c, eq, d))
        return out

    def supertypes(self, c: bytes) -> tuple[bytes, ...]:
        """``c`` and every class it is a subclass of."""
        found = self._types.get(c)
        if found is None:
            found = self._types[c] = tuple(sorted({c} | self.sco_all.get(c, set())))
        return found

    def _compile(self, p: bytes, literal: bool) -> tuple:
        """(states, types of s, types of o) entailed by ``s p o``; a state (flip, q) stands
        for the triple ``s q o`` (``o q s`` when flipped)."""
        states, todo = {(False, p)}, [(False, p)]
        types = ({False: set(), True: set()})  # keyed by "is it the object's"
        while todo:
            flip, q = todo.pop()
            object_is_resource = flip or not literal
            new = [(flip, q2) for q2 in self.spo_all.get(q, ())]
            types[flip] |= self.dom.get(q, set())
            if object_is_resource:
                types[not flip] |= self.rng.get(q, set())
                new += [(not flip, q3) for q3 in self.inv.get(q, ())]
                if q in self.sym:
                    new.append((not flip, q))
            for state in new:
                if state not in states:
                    states.add(state)
                    todo.append(state)
        s_types = {t for c in types[False] for t in self.supertypes(c)}
        o_types = {t for c in types[True] for t in self.supertypes(c)}
        return tuple(sorted(states)), tuple(sorted(s_types)), tuple(sorted(o_types))

    def entailed(self, s: bytes, p: bytes, o: bytes) -> list[tuple[bytes, bytes, bytes]]:
        """Every triple ``s p o`` entails on its own (itself included; no transitivity)."""
        if p == TYPE:
            if o in self.sco_all:
                return [(s, TYPE, c) for c in self.supertypes(o)]
            return [(s, p, o)]
        literal = is_literal(o)
        key = (p, literal)
        compiled = self._table.get(key)
        if compiled is None:
            compiled = self._table[key] = self._compile(p, literal)
        states, s_types, o_types = compiled
        if len(states) == 1 and not s_types and not o_types:
            return [(s, p, o)]
        out = [(o, q, s) if flip else (s, q, o) for flip, q in states]
        out += [(s, TYPE, c) for c in s_types]
        out += [(o, TYPE, c) for c in o_types]
        for flip, q in states:  # a subproperty of rdf:type: the object is a class
            if q == TYPE:
                x, y = (o, s) if flip else (s, o)
                out += [(x, TYPE, c) for c in self.supertypes(y)]
        return out

    def fires(self, p: bytes, o: bytes) -> bool:
        """Cheap test: can ``s p o`` entail anything but itself?"""
        if p == TYPE:
            return o in self.sco_all
        return bool(p in self.spo_all or p in self.dom or p in self.rng or p in self.inv
                    or p in self.sym)

    def transitive_closure(self, triples: set) -> set:
        """New triples from joining the triples of transitive properties (given as
        ``triples``, which grows), with everything those entail in turn."""
        new: set = set()
        while True:
            by_p = defaultdict(lambda: defaultdict(set))
            for s, p, o in triples:
                if p in self.trans:
                    by_p[p][s].add(o)
            found = set()
            for p, edges in by_p.items():
                for s in edges:
                    found |= {(s, p, o) for o in reachable(edges.get(s, ()), edges)}
            found -= triples
            if not found:
                return new
            for t in found:
                for entailed in self.entailed(*t):
                    if entailed not in triples:
                        triples.add(entailed)
                        new.add(entailed)


def expand(triples: Iterable[tuple[bytes, bytes, bytes]]) -> set[tuple[bytes, bytes, bytes]]:
    """All triples entailed by the supported rules, minus the input ones."""
    known = set(triples)
    rules = Rules(t for t in known if is_schema(t[1], t[2]))
    closure = set(known) | rules.axioms()
    for t in list(closure):
        closure.update(rules.entailed(*t))
    rules.transitive_closure(closure)
    return closure - known
