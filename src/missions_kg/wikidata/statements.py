"""Our statements that Wikidata could take: about entities with a VERIFIED item, through the
property map of the ontology (``skos:exactMatch`` / ``closeMatch`` to ``wdt:P…``).

Only the properties of :data:`EXPORTED` are considered, and a statement is kept only when its
subject and every item value (object, qualifier) have a verified link; literals (numbers,
dates) need none. Cast goes through ``schema:PerformanceRole`` nodes: the role's actor is the
value of P161, its character (if verified) a P453 qualifier, its character name a P4633
qualifier. Each statement carries one reference per source graph stating it: the source's
``schema:url`` (reference URL, P854) and, where the data has it, its ``schema:datePublished``
(publication date, P577). The data records no day on which a source was read, so "retrieved"
(P813) is never written: no date is invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import iris
from . import propmap

#: Wikidata properties we export, in the order of the issue.
EXPORTED = ("P161", "P57", "P58", "P86", "P170", "P272", "P449", "P495", "P364", "P915",
            "P2437", "P1113", "P580")
CHARACTER, CHARACTER_NAME, REF_URL, PUBLISHED = "P453", "P4633", "P854", "P577"
_ROLE = iris.SCHEMA + "PerformanceRole"
_NOT_SOURCES = (iris.GRAPH_INFERRED, iris.GRAPH_ONTOLOGY, iris.GRAPH_SOURCES,
                iris.GRAPH + "links")
_TIME = {"gYear": 9, "gYearMonth": 10, "date": 11, "dateTime": 11}


@dataclass(frozen=True, order=True)
class Value:
    kind: str  # item | quantity | time | string
    value: str  # Q-id, number, ISO date (YYYY, YYYY-MM or YYYY-MM-DD), text
    precision: int = 0  # time: 9 year, 10 month, 11 day


@dataclass(frozen=True, order=True)
class Reference:
    url: str
    published: Value | None = None


@dataclass(frozen=True)
class Statement:
    subject: str  # Q-id
    pid: str
    value: Value
    qualifiers: tuple[tuple[str, Value], ...]
    references: tuple[Reference, ...]

    def key(self):
        return (int(self.subject[1:]), int(self.pid[1:]), self.value, self.qualifiers)


def _literal(term) -> Value | None:
    dt = term.datatype.value.rsplit("#", 1)[-1]
    if dt in ("integer", "nonNegativeInteger", "positiveInteger", "int", "decimal"):
        return Value("quantity", term.value)
    if dt in _TIME:
        text = term.value[:10] if dt != "gYearMonth" else term.value[:7]
        return Value("time", text if dt != "gYear" else term.value[:4], _TIME[dt])
    if dt == "string" and not term.language:
        return Value("string", term.value)
    return None


def verified_items(store) -> dict[str, str]:
    """entity IRI → Q-id of its verified link (``schema:sameAs`` in the link store)."""
    rows = store.query(f"""SELECT ?e ?q WHERE {{ GRAPH <{iris.GRAPH}links> {{
        ?e <{iris.SCHEMA}sameAs> ?q . ?r <{iris.ONTOLOGY}linkTarget> ?q ;
        <{iris.SCHEMA}about> ?e ; <{iris.ONTOLOGY}linkStatus> "verified" }} }}""")
    return {r["e"].value: r["q"].value.rsplit("/", 1)[-1] for r in rows}


def references(store) -> dict[str, Reference]:
    """source graph IRI → its reference (only graphs whose primary source has a URL)."""
    S, P = iris.SCHEMA, iris.PROV
    out = {}
    for r in store.query(f"""SELECT ?g ?url ?date WHERE {{ GRAPH <{iris.GRAPH_SOURCES}> {{
            ?g <{P}hadPrimarySource> ?src . ?src <{S}url> ?url .
            OPTIONAL {{ ?src <{S}datePublished> ?date }} }} }}"""):
        date = _literal(r["date"]) if r["date"] is not None else None
        out.setdefault(r["g"].value, Reference(r["url"].value, date))
    return out


def statements(built) -> tuple[list[Statement], int]:
    """(the exportable statements in a stable order, how many were left without a URL)."""
    from ..store import open_store

    store = open_store(built)
    pmap = propmap.read(store)
    items = verified_items(store)
    refs = references(store)
    found: dict[tuple, set[Reference]] = {}
    unreferenced = set()
    skip = ", ".join(f"<{g}>" for g in _NOT_SOURCES)
    for pid in EXPORTED:
        for term in pmap.terms_for(pid):
            rows = store.query(f"""SELECT ?g ?s ?o WHERE {{ GRAPH ?g {{ ?s <{term}> ?o }}
                FILTER(?g NOT IN ({skip})) }}""")
            for row in rows:
                subject = items.get(row["s"].value)
                if subject is None:
                    continue
                for value, qualifiers in _values(store, row["g"].value, row["o"], term, items):
                    key = (subject, pid, value, qualifiers)
                    ref = refs.get(row["g"].value)
                    if ref is None:
                        unreferenced.add(key)
                    else:
                        found.setdefault(key, set()).add(ref)
    result = [Statement(s, p, v, q, tuple(sorted(r))) for (s, p, v, q), r in found.items()]
    return sorted(result, key=Statement.key), len(unreferenced - set(found))


def _values(store, graph: str, obj, term: str, items: dict[str, str]):
    """(value, qualifiers) for one object; a PerformanceRole unfolds into its actor."""
    import pyoxigraph as ox

    if isinstance(obj, ox.Literal):
        value = _literal(obj)
        return [(value, ())] if value is not None else []
    if not isinstance(obj, ox.NamedNode):
        return []
    if obj.value in items:
        return [(Value("item", items[obj.value]), ())]
    if not store.query(f"ASK {{ <{obj.value}> a <{_ROLE}> }}"):
        return []
    out = []
    for r in store.query(f"""SELECT ?actor ?character ?name WHERE {{ GRAPH <{graph}> {{
            <{obj.value}> <{term}> ?actor .
            OPTIONAL {{ <{obj.value}> <{iris.ONTOLOGY}playsCharacter> ?character }}
            OPTIONAL {{ <{obj.value}> <{iris.SCHEMA}characterName> ?name }} }} }}"""):
        actor = items.get(r["actor"].value)
        if actor is None:
            continue
        quals = []
        if r["character"] is not None and r["character"].value in items:
            quals.append((CHARACTER, Value("item", items[r["character"].value])))
        if r["name"] is not None and not r["name"].language:
            quals.append((CHARACTER_NAME, Value("string", r["name"].value)))
        out.append((Value("item", actor), tuple(sorted(quals))))
    return out
