"""Quads to bytes in any RDF format of the registry, faithfully or not at all.

TriG, N-Quads and JSON-LD keep the named graphs; Turtle, N-Triples and RDF/XML hold the
*union* of the quads' triples (a set: a fact stated by two graphs appears once). What a format
cannot carry is refused, not mangled: RDF/XML refuses characters outside XML 1.0.
Same quads in, same bytes out (the caller canonicalises blank nodes; this sorts).
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from . import formats
from .errors import UsageError
from .iris import PREFIXES

_OX_FORMAT = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG,
              "ntriples": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
              "xml": ox.RdfFormat.RDF_XML}
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: The prefixes every Turtle, TriG and RDF/XML output declares (sorted: stable bytes).
PREFIXES = dict(sorted(PREFIXES.items()))


def ox_format(name: str) -> ox.RdfFormat:
    """pyoxigraph's format for a registry name (turtle, trig, ntriples, nquads, xml)."""
    return _OX_FORMAT[name]


def serialize_quads(quads: list[ox.Quad], fmt: str) -> bytes:
    """``quads`` in the ``rdf`` format ``fmt`` (a name or alias from :mod:`missions_kg.formats`)."""
    name = formats.get(fmt, "rdf").name
    if name == "jsonld":
        from .jsonld import jsonld_from_quads

        return jsonld_from_quads(quads)
    prefixes = PREFIXES
    if formats.get(name, "rdf").keeps_graphs:
        return ox.serialize(sorted(quads, key=str), format=_OX_FORMAT[name], prefixes=prefixes)
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    if name == "xml":
        _check_xml(triples)
        data = ox.serialize(triples, format=_OX_FORMAT[name], prefixes=prefixes)
        # pyoxigraph writes CR raw and XML parsers turn it into LF; a CR can only come from a
        # literal (IRIs cannot hold one, lines end in LF), so write it as a character reference
        return data.replace(b"\r", b"&#13;")
    return ox.serialize(triples, format=_OX_FORMAT[name], prefixes=prefixes)


def _check_xml(triples: list[ox.Triple]) -> None:
    for t in triples:
        check_xml_term(t)


def check_xml_term(t) -> bool:
    """True, or UsageError when RDF/XML cannot carry a character of triple ``t``."""
    for term in (t.subject, t.predicate, t.object):
        m = _NOT_XML.search(term.value)
        if m:
            raise UsageError(
                f"RDF/XML cannot carry character U+{ord(m.group()):04X} found in "
                f"{term.value[:40]!r}; export as Turtle, N-Triples or JSON-LD instead")
    return True
