"""Our statements that Wikidata could take: about entities with a VERIFIED item, through the
property map of the ontology (``skos:exactMatch`` / ``closeMatch`` to ``wdt:P…``).

Only the properties of :data:`EXPORTED` are considered, and a statement is kept only when its
subject and every item value (object, qualifier) have a verified link; literals (numbers,
dates, titles) need none. Cast goes through ``schema:PerformanceRole`` nodes: the role's actor
is the value of P161, its character (if verified) a P453 qualifier, its character name a P4633
qualifier. "Instance of" (P31) comes from the classes the ontology maps with
``skos:exactMatch`` only (a close match is not the same class). A title (P1476) is the
``schema:name`` of a creative work, which the ontology relates to P1476, and only where the
source tags it with its language (a monolingual text needs one; none is guessed).

Fiction is not reality: a fictional character or entity is never "instance of" human (Q5)
and never the value of a property only real people and organisations hold (:data:`REAL_ONLY`:
cast member, director, ...), whatever a source graph or a mapping says.

Each statement carries one reference per source graph stating it, made by
:mod:`.citations` (reference URL, or imported from a Wikimedia project, and the publication
date where the data has it). What is left out, and why, is counted for the note on stderr.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import iris
from . import citations, propmap

#: Wikidata properties we export.
EXPORTED = ("P31", "P161", "P57", "P58", "P86", "P170", "P272", "P449", "P495", "P364",
            "P915", "P179", "P674", "P2437", "P1113", "P580", "P582", "P1476")
INSTANCE_OF, TITLE, HUMAN = "P31", "P1476", "Q5"
CHARACTER, CHARACTER_NAME = "P453", "P4633"
#: Properties whose values are real people or organisations, never fictional entities.
REAL_ONLY = ("P161", "P57", "P58", "P86", "P170", "P272", "P449")
_ROLE = iris.SCHEMA + "PerformanceRole"
_WORK = iris.SCHEMA + "CreativeWork"
_NOT_SOURCES = (iris.GRAPH_INFERRED, iris.GRAPH_ONTOLOGY, iris.GRAPH_SOURCES,
                iris.GRAPH + "links")
_TIME = {"gYear": 9, "gYearMonth": 10, "date": 11, "dateTime": 11}


@dataclass(frozen=True, order=True)
class Value:
    kind: str  # item | quantity | time | string | monolingual
    value: str  # Q-id, number, ISO date (YYYY, YYYY-MM or YYYY-MM-DD), text
    precision: int = 0  # time: 9 year, 10 month, 11 day
    language: str = ""  # monolingual text: its language tag


@dataclass(frozen=True)
class Statement:
    subject: str  # Q-id
    pid: str
    value: Value
    qualifiers: tuple[tuple[str, Value], ...]
    references: tuple[citations.Reference, ...]

    def key(self):
        return (int(self.subject[1:]), int(self.pid[1:]), self.value, self.qualifiers)


@dataclass
class Found:
    statements: list[Statement] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)  # why -> how many statements
    notes: list[str] = field(default_factory=list)  # how particular sources are cited


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


def fictional(store) -> set[str]:
    """Every node typed as a fictional character or entity, in any graph."""
    return {r["x"].value for r in store.query(f"""SELECT DISTINCT ?x WHERE {{
        VALUES ?c {{ <{iris.ONTOLOGY}FictionalCharacter> <{iris.ONTOLOGY}FictionalEntity> }}
        GRAPH ?g {{ ?x a ?c }} }}""")}


def summary(built, found: Found) -> str:
    """What an export wrote, for stderr: an empty file must not look like a success."""
    from ..store import open_store

    items = len(verified_items(open_store(built)))
    written = len(found.statements)
    text = (f"{items} entit{'y has' if items == 1 else 'ies have'} a verified Wikidata link; "
            f"{written} statement{'' if written == 1 else 's'} written")
    left = "; ".join(f"{why}: {n}" for why, n in sorted(found.left_out.items()) if n)
    if left:
        text += f" (left out: {left})"
    if not written:
        text += ("; nothing to export until entities are linked: `missions-kg links "
                 "--missing` lists them, `missions-kg links reconcile --online` finds items")
    return text


class _Collector:
    """Statements by key with their references, and what was left out and why."""

    def __init__(self, cites: dict[str, citations.Citation]) -> None:
        self.cites, self.found, self.left, self.notes = cites, {}, {}, set()

    def add(self, graph: str, key: tuple) -> None:
        citation = self.cites.get(graph)
        if citation is None:
            self.left.setdefault("without a source to cite", set()).add(key)
            return
        self.found.setdefault(key, set()).add(citation.reference)
        if citation.note:
            self.notes.add(citation.note)

    def refuse(self, why: str, key: tuple) -> None:
        self.left.setdefault(why, set()).add(key)

    def result(self) -> Found:
        stmts = [Statement(s, p, v, q, tuple(sorted(r, key=citations.Reference.key)))
                 for (s, p, v, q), r in self.found.items()]
        left = {why: len(keys - set(self.found)) for why, keys in self.left.items()}
        return Found(sorted(stmts, key=Statement.key), {w: n for w, n in left.items() if n},
                     sorted(self.notes))


def statements(built) -> Found:
    """The exportable statements in a stable order, and what was left out."""
    from ..store import open_store

    store = open_store(built)
    pmap = propmap.read(store)
    items = verified_items(store)
    fiction = fictional(store)
    out = _Collector(citations.citations(store, _literal))
    skip = ", ".join(f"<{g}>" for g in _NOT_SOURCES)
    for pid in EXPORTED:
        if pid == INSTANCE_OF:
            _instances(store, pmap, items, fiction, out, skip)
        elif pid == TITLE:
            _titles(store, pmap, items, out, skip)
        else:
            _property(store, pmap, pid, items, fiction, out, skip)
    return out.result()


def _instances(store, pmap, items, fiction, out: _Collector, skip: str) -> None:
    for cls, qid in sorted(pmap.classes.items()):
        if cls not in pmap.exact:
            continue
        for row in store.query(f"""SELECT ?g ?s WHERE {{ GRAPH ?g {{ ?s a <{cls}> }}
                FILTER(?g NOT IN ({skip})) }}"""):
            subject = items.get(row["s"].value)
            if subject is None:
                continue
            key = (subject, INSTANCE_OF, Value("item", qid), ())
            if qid == HUMAN and row["s"].value in fiction:
                out.refuse("a fictional character as a human (P31 Q5)", key)
            else:
                out.add(row["g"].value, key)


def _titles(store, pmap, items, out: _Collector, skip: str) -> None:
    for term in pmap.related_terms(TITLE):
        for row in store.query(f"""SELECT ?g ?s ?o WHERE {{ GRAPH ?g {{ ?s <{term}> ?o }}
                ?s a <{_WORK}> . FILTER(?g NOT IN ({skip}) && isLiteral(?o)) }}"""):
            subject = items.get(row["s"].value)
            if subject is None:
                continue
            title = row["o"]
            if not title.language:
                out.refuse("a title without a language tag (P1476 needs one)",
                           (subject, TITLE, Value("string", title.value), ()))
                continue
            value = Value("monolingual", title.value, language=title.language)
            out.add(row["g"].value, (subject, TITLE, value, ()))


def _property(store, pmap, pid, items, fiction, out: _Collector, skip: str) -> None:
    for term in pmap.terms_for(pid):
        for row in store.query(f"""SELECT ?g ?s ?o WHERE {{ GRAPH ?g {{ ?s <{term}> ?o }}
                FILTER(?g NOT IN ({skip})) }}"""):
            subject = items.get(row["s"].value)
            if subject is None:
                continue
            for value, qualifiers, entity in _values(store, row["g"].value, row["o"], term,
                                                     items):
                key = (subject, pid, value, qualifiers)
                if pid in REAL_ONLY and entity in fiction:
                    out.refuse(f"a fictional character as a value of {pid}", key)
                else:
                    out.add(row["g"].value, key)


def _values(store, graph: str, obj, term: str, items: dict[str, str]):
    """(value, qualifiers, entity IRI or "") for one object; a PerformanceRole unfolds into
    its actor."""
    import pyoxigraph as ox

    if isinstance(obj, ox.Literal):
        value = _literal(obj)
        return [(value, (), "")] if value is not None else []
    if not isinstance(obj, ox.NamedNode):
        return []
    if obj.value in items:
        return [(Value("item", items[obj.value]), (), obj.value)]
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
        out.append((Value("item", actor), tuple(sorted(quals)), r["actor"].value))
    return out
