"""The exportable statements in Wikidata's RDF shape (Turtle), for comparison with Wikidata:

    wd:Q1 wdt:P161 wd:Q2 ; p:P161 stmt:… .
    stmt:… ps:P161 wd:Q2 ; pq:P4633 "Jeanne Renoir" ; prov:wasDerivedFrom ref:… .
    ref:… pr:P854 <https://…> ; pr:P577 "2017"^^xsd:gYear .

Statement and reference nodes are named in the project's namespace by a hash of what they
hold (deterministic; they are not Wikidata's own statement ids, which do not exist yet).
Times are written with the XSD type of their precision (gYear, gYearMonth, date).
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox

from .. import iris
from ..iris import WD, WDT
from .statements import PUBLISHED, REF_URL, Statement, Value

P, PS, PQ, PR = (f"http://www.wikidata.org/prop/{k}" for k in ("", "statement/", "qualifier/",
                                                             "reference/"))
STATEMENT = iris.BASE + "wikidata-export/statement/"
REFERENCE = iris.BASE + "wikidata-export/reference/"
PREFIXES = {"wd": WD, "wdt": WDT, "p": P, "ps": PS, "pq": PQ, "pr": PR, "prov": iris.PROV,
            "xsd": iris.XSD, "mkgst": STATEMENT, "mkgref": REFERENCE}
_XSD_TIME = {9: "gYear", 10: "gYearMonth", 11: "date"}


def term(v: Value):
    if v.kind == "item":
        return ox.NamedNode(WD + v.value)
    if v.kind == "quantity":
        return ox.Literal(v.value, datatype=ox.NamedNode(iris.XSD + "decimal"))
    if v.kind == "time":
        return ox.Literal(v.value, datatype=ox.NamedNode(iris.XSD + _XSD_TIME[v.precision]))
    return ox.Literal(v.value)


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def triples(statements: list[Statement]) -> list[ox.Triple]:
    N = ox.NamedNode
    out = set()
    for st in statements:
        subject, value = N(WD + st.subject), term(st.value)
        node = N(STATEMENT + _digest(st.subject, st.pid, st.value, st.qualifiers))
        out.add(ox.Triple(subject, N(WDT + st.pid), value))
        out.add(ox.Triple(subject, N(P + st.pid), node))
        out.add(ox.Triple(node, N(PS + st.pid), value))
        for pid, q in st.qualifiers:
            out.add(ox.Triple(node, N(PQ + pid), term(q)))
        for ref in st.references:
            rnode = N(REFERENCE + _digest(ref))
            out.add(ox.Triple(node, N(iris.PROV + "wasDerivedFrom"), rnode))
            out.add(ox.Triple(rnode, N(PR + REF_URL), N(ref.url)))
            if ref.published is not None:
                out.add(ox.Triple(rnode, N(PR + PUBLISHED), term(ref.published)))
    return sorted(out, key=str)


def export(built) -> bytes:
    from .statements import statements

    found, _ = statements(built)
    return ox.serialize(triples(found), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
