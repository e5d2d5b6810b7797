"""The exportable statements in Wikidata's RDF shape (Turtle), to join with the Wikidata
query service:

    wd:Q1 wdt:P580 "2017-01-01T00:00:00Z"^^xsd:dateTime ; p:P580 stmt:… .
    stmt:… a wikibase:Statement ; ps:P580 "2017-01-01T00:00:00Z"^^xsd:dateTime ;
        psv:P580 val:… ; prov:wasDerivedFrom ref:… .
    val:… a wikibase:TimeValue ; wikibase:timeValue "2017-01-01T00:00:00Z"^^xsd:dateTime ;
        wikibase:timePrecision 9 ; wikibase:timeTimezone 0 ;
        wikibase:timeCalendarModel wd:Q1985727 .
    ref:… a wikibase:Reference ; pr:P143 wd:Q8447 ; pr:P4656 <https://fr.wikipedia.org/…> .

As in Wikidata's RDF dump format (the Wikibase "RDF DATA MODEL" page, copied in
dpriskorn/entitybase-backend ``draft/WIKIDATA/RDF-DATA-MODEL.md``): a time is an
``xsd:dateTime`` whose unknown month and day are ``01`` (the simple value, on ``wdt:``,
``ps:``, ``pq:``, ``pr:``), and its precision (9 year, 10 month, 11 day) is on the full value
node (``psv:``, ``pqv:``, ``prv:``), a ``wikibase:TimeValue`` in the proleptic Gregorian
calendar (Q1985727, "Calendar model. Default value is 'Q1985727' (proleptic Gregorian
calendar)", Perl Wikibase::Datatype::Value::Time). A title is a language-tagged literal.
Statement, reference and value nodes are named in the project's namespace by a hash of what
they hold (deterministic; they are not Wikidata's own ids, which do not exist yet).
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox

from .. import iris
from ..iris import WD, WDT
from .citations import IMPORT_URL, IMPORTED_FROM, PUBLISHED, REF_URL, Reference
from .statements import Statement, Value

P, PS, PQ, PR = (f"http://www.wikidata.org/prop/{k}" for k in ("", "statement/", "qualifier/",
                                                             "reference/"))
PSV, PQV, PRV = (f"http://www.wikidata.org/prop/{k}/value/" for k in ("statement", "qualifier",
                                                                       "reference"))
WIKIBASE = "http://wikiba.se/ontology#"
GREGORIAN = "Q1985727"
STATEMENT = iris.BASE + "wikidata-export/statement/"
REFERENCE = iris.BASE + "wikidata-export/reference/"
VALUE = iris.BASE + "wikidata-export/value/"
PREFIXES = {"wd": WD, "wdt": WDT, "p": P, "ps": PS, "pq": PQ, "pr": PR, "psv": PSV,
            "pqv": PQV, "prv": PRV, "wikibase": WIKIBASE, "prov": iris.PROV, "xsd": iris.XSD,
            "mkgst": STATEMENT, "mkgref": REFERENCE, "mkgval": VALUE}
N = ox.NamedNode
_TYPE = N(iris.RDF + "type")


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=N(iris.XSD + "integer"))


def date_time(v: Value) -> str:
    """``2017`` -> ``2017-01-01T00:00:00Z``; ``2019-09`` -> ``2019-09-01T00:00:00Z``."""
    y, m, d = (v.value.split("-") + ["01", "01"])[:3]
    return f"{y}-{m}-{d}T00:00:00Z"


def term(v: Value):
    if v.kind == "item":
        return N(WD + v.value)
    if v.kind == "quantity":
        return ox.Literal(v.value, datatype=N(iris.XSD + "decimal"))
    if v.kind == "time":
        return ox.Literal(date_time(v), datatype=N(iris.XSD + "dateTime"))
    if v.kind == "monolingual":
        return ox.Literal(v.value, language=v.language)
    return ox.Literal(v.value)


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def _full_value(v: Value, out: set) -> ox.NamedNode | None:
    """The full value node of a time (its precision lives there); None for other kinds."""
    if v.kind != "time":
        return None
    node = N(VALUE + _digest(v))
    out.add(ox.Triple(node, _TYPE, N(WIKIBASE + "TimeValue")))
    out.add(ox.Triple(node, N(WIKIBASE + "timeValue"), term(v)))
    out.add(ox.Triple(node, N(WIKIBASE + "timePrecision"), _integer(v.precision)))
    out.add(ox.Triple(node, N(WIKIBASE + "timeTimezone"), _integer(0)))
    out.add(ox.Triple(node, N(WIKIBASE + "timeCalendarModel"), N(WD + GREGORIAN)))
    return node


def _snak(node, pid: str, v: Value, simple: str, full: str, out: set) -> None:
    out.add(ox.Triple(node, N(simple + pid), term(v)))
    value_node = _full_value(v, out)
    if value_node is not None:
        out.add(ox.Triple(node, N(full + pid), value_node))


def _reference(ref: Reference, out: set) -> ox.NamedNode:
    rnode = N(REFERENCE + _digest(ref.key()))
    out.add(ox.Triple(rnode, _TYPE, N(WIKIBASE + "Reference")))
    if ref.url:
        out.add(ox.Triple(rnode, N(PR + REF_URL), N(ref.url)))
    if ref.imported_from:
        out.add(ox.Triple(rnode, N(PR + IMPORTED_FROM), N(WD + ref.imported_from)))
    if ref.import_url:
        out.add(ox.Triple(rnode, N(PR + IMPORT_URL), N(ref.import_url)))
    if ref.published is not None:
        _snak(rnode, PUBLISHED, ref.published, PR, PRV, out)
    return rnode


def triples(statements: list[Statement]) -> list[ox.Triple]:
    out: set = set()
    for st in statements:
        subject = N(WD + st.subject)
        node = N(STATEMENT + _digest(st.subject, st.pid, st.value, st.qualifiers))
        out.add(ox.Triple(subject, N(WDT + st.pid), term(st.value)))
        out.add(ox.Triple(subject, N(P + st.pid), node))
        out.add(ox.Triple(node, _TYPE, N(WIKIBASE + "Statement")))
        _snak(node, st.pid, st.value, PS, PSV, out)
        for pid, q in st.qualifiers:
            _snak(node, pid, q, PQ, PQV, out)
        for ref in st.references:
            out.add(ox.Triple(node, N(iris.PROV + "wasDerivedFrom"), _reference(ref, out)))
    return sorted(out, key=str)


def export(built, notes: list[str] | None = None) -> bytes:
    from .statements import statements, summary

    found = statements(built)
    if notes is not None:
        notes.append(summary(built, found))
        notes.extend(found.notes)
    return ox.serialize(triples(found.statements), format=ox.RdfFormat.TURTLE,
                        prefixes=PREFIXES)
