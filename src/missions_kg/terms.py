"""RDF terms as plain data, and the one place that converts them between libraries.

:class:`Term` is what parameters are typed into, what both query engines answer with, and what
every output format reads: a result never depends on which engine ran. The converters to and
from pyoxigraph and rdflib live here and nowhere else. Importing this module imports neither
library (the cold ``query`` path must not pay for rdflib); each converter imports what it needs.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .iris import PREFIXES, RDF, XSD

XSD_STRING = XSD + "string"
RDF_LANGSTRING = RDF + "langString"
_LOCAL = re.compile(r"[\w.\-/%~]*")


class Term(NamedTuple):
    """An RDF term: ``kind`` is ``uri``, ``literal`` or ``bnode`` (as in SPARQL JSON results);
    ``datatype`` is ``None`` for plain and language-tagged strings."""

    kind: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    def n3(self) -> str:
        """The N-Triples spelling (TSV cells, sort keys, the text of ``query --show``)."""
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = (self.value.replace("\\", "\\\\").replace('"', '\\"')
                .replace("\n", "\\n").replace("\r", "\\r"))
        if self.lang:
            return f'"{text}"@{self.lang}'
        return f'"{text}"^^<{self.datatype}>' if self.datatype else f'"{text}"'


def iri(value: str) -> Term:
    return Term("uri", value)


def literal(value: str, datatype: str | None = None, lang: str | None = None) -> Term:
    """A literal; ``xsd:string`` and ``rdf:langString`` are implied, so they are dropped."""
    if datatype in (XSD_STRING, RDF_LANGSTRING):
        datatype = None
    return Term("literal", value, datatype, lang.lower() if lang else None)


def curie(value: str | None, prefixes: dict[str, str] | None = None) -> str:
    """``https://schema.org/name`` → ``schema:name`` with the longest project prefix that
    fits and leaves a valid local name; anything else is returned unchanged."""
    if not value:
        return value or ""
    best, name = "", value
    for prefix, ns in (prefixes or PREFIXES).items():
        if value.startswith(ns) and len(ns) > len(best):
            local = value[len(ns):]
            if _LOCAL.fullmatch(local) and not local.endswith("."):
                best, name = ns, f"{prefix}:{local}"
    return name


# -- pyoxigraph ----------------------------------------------------------------------------------

def to_oxigraph(term: Term):
    import pyoxigraph as ox

    if term.kind == "uri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        return ox.BlankNode(term.value)
    if term.lang:
        return ox.Literal(term.value, language=term.lang)
    return ox.Literal(term.value,
                      datatype=ox.NamedNode(term.datatype) if term.datatype else None)


def from_oxigraph(term) -> Term | None:
    """A pyoxigraph term (or None, an unbound variable) as a :class:`Term`."""
    if term is None:
        return None
    kind = type(term).__name__
    if kind == "NamedNode":
        return iri(term.value)
    if kind == "BlankNode":
        return Term("bnode", term.value)
    if kind == "Literal":
        return literal(term.value, term.datatype.value, term.language)
    raise TypeError(f"unsupported RDF term {kind} (RDF-star is not used here)")


# -- rdflib --------------------------------------------------------------------------------------

def to_rdflib(term: Term):
    from rdflib import BNode, Literal, URIRef

    if term.kind == "uri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    return Literal(term.value, lang=term.lang,
                   datatype=URIRef(term.datatype) if term.datatype else None, normalize=False)


def from_rdflib(term) -> Term | None:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return iri(str(term))
    if isinstance(term, BNode):
        return Term("bnode", str(term))
    if isinstance(term, Literal):
        return literal(str(term), str(term.datatype) if term.datatype else None, term.language)
    raise TypeError(f"unsupported rdflib term {term!r}")


# -- pyoxigraph <-> rdflib, for whole datasets ---------------------------------------------------

def oxigraph_to_rdflib(term):
    """One pyoxigraph term as an rdflib term, lexical forms kept exactly as written."""
    from rdflib import BNode, Literal, URIRef

    kind = type(term).__name__
    if kind == "NamedNode":
        return URIRef(term.value)
    if kind == "BlankNode":
        return BNode(term.value)
    if kind == "Literal":
        if term.language:
            return Literal(term.value, lang=term.language, normalize=False)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == XSD_STRING else URIRef(dt),
                       normalize=False)
    raise TypeError(f"unsupported RDF term {kind} (RDF-star is not used here)")


def rdflib_converter():
    """:func:`oxigraph_to_rdflib` with a memo, for loading many triples into rdflib: a term
    met again (a predicate, a class, a busy node) is converted once."""
    memo: dict = {}

    def convert(term):
        found = memo.get(term)
        if found is None:
            found = memo[term] = oxigraph_to_rdflib(term)
        return found
    return convert


def rdflib_to_oxigraph(term):
    """One rdflib term as a pyoxigraph term (the inverse of :func:`oxigraph_to_rdflib`)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported rdflib term {term!r}")
