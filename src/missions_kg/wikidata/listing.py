"""What ``missions-kg links`` shows: the link store's records with labels and evidence, and
the entities that should have a Wikidata item but have no verified link yet."""

from __future__ import annotations

from dataclasses import dataclass

from .. import iris
from .links import STATUSES, Link, load

#: Kinds of thing Wikidata covers, as (our class, kind shown); fictional things are left out.
KINDS = (("Person", "person"), ("CreativeWork", "work"), ("Organization", "organisation"),
         ("Place", "place"), ("Event", "event"))
#: Works and events that are the sources' own documents or broadcasts, not things to link.
SKIPPED = ("Claim", "Review", "WebPage", "Article", "DigitalDocument", "PublicationEvent",
           "BroadcastEvent", "ScreeningEvent", "VideoObject", "Report")

@dataclass
class Row:
    entity: str
    label: str
    kind: str
    qid: str = ""
    status: str = ""
    score: float | None = None
    evidence: str = ""
    accepted_by: str = ""
    review: str = ""

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


def _kinds(store, *, unlinked_only: bool = False) -> dict[str, str]:
    """entity → kind shown, for our entities (``mkgid:``) of a kind Wikidata covers: not
    fictional, not one of the sources' own documents, not a source; with ``unlinked_only``,
    only those without a verified item. Classes are closed over ``rdfs:subClassOf`` in
    Python: the same answer as a property path per entity, in a fraction of the time."""
    import pyoxigraph as ox

    from ..rules import reachable
    from ..store import graph_quads

    parents: dict[str, set[str]] = {}
    for q in graph_quads(store, None, ox.NamedNode(iris.RDFS + "subClassOf")):
        parents.setdefault(q.subject.value, set()).add(q.object.value)
    closure: dict[str, set[str]] = {}

    def ancestors(cls: str) -> set[str]:
        if cls not in closure:
            closure[cls] = reachable((cls,), parents)
        return closure[cls]

    wanted = {iris.SCHEMA + c: k for c, k in KINDS}
    skipped = {iris.SCHEMA + s for s in SKIPPED} | {iris.ONTOLOGY + "FictionalEntity"}
    sources = {q.object.value for q in graph_quads(store, None, ox.NamedNode(
        iris.PROV + "wasDerivedFrom"))}
    linked = {q.subject.value for q in graph_quads(store, None, ox.NamedNode(
        iris.SCHEMA + "sameAs")) if q.object.value.startswith(iris.WD)}
    classes: dict[str, set[str]] = {}
    for q in graph_quads(store, None, ox.NamedNode(iris.RDF + "type")):
        entity = q.subject.value
        if isinstance(q.subject, ox.NamedNode) and entity.startswith(iris.ID) and \
                not entity.startswith(iris.ID + "link-"):
            classes.setdefault(entity, set()).update(ancestors(q.object.value))
    out = {}
    for entity, all_classes in sorted(classes.items()):
        if all_classes & skipped or entity in sources or (unlinked_only and entity in linked):
            continue
        kinds = [k for c, k in wanted.items() if c in all_classes]
        if kinds:
            out[entity] = kinds[0]
    return out


def evidence_text(link: Link) -> str:
    parts = []
    for ev in link.evidence:
        bits = [ev.source.rsplit("/", 1)[-1] if ev.source else "no source"]
        if ev.checked_on:
            bits.append(f"checked {ev.checked_on}")
        if ev.matched_label:
            shown = f"matched {ev.matched_label!r}"
            if ev.matched_description:
                shown += f" ({ev.matched_description})"
            bits.append(shown)
        if ev.citation:
            bits.append(ev.citation)
        parts.append("; ".join(bits))
    return " | ".join(parts)


def link_rows(project, built, lang: str = "en", statuses=STATUSES) -> list[Row]:
    """One row per link record whose status is in ``statuses``, sorted by label."""
    from ..labels import Labeller
    from ..store import open_store

    store = open_store(built)
    names, kinds = Labeller(store, lang), _kinds(store)
    rows = []
    for link in load(project).links:
        if link.status not in statuses:
            continue
        review = ""
        if link.ambiguous_with:
            review = "ambiguous with " + ", ".join(link.ambiguous_with)
        rows.append(Row(link.entity, names(link.entity) or _local(link.entity),
                        kinds.get(link.entity, ""), link.qid, link.status, link.score,
                        evidence_text(link), link.accepted_by or "", review))
    rows.sort(key=lambda r: (STATUSES.index(r.status), r.label.casefold(), r.qid))
    return rows


def missing_rows(project, built, lang: str = "en") -> list[Row]:
    """Entities of the kinds Wikidata covers with no verified link; candidates counted."""
    from ..labels import Labeller
    from ..store import open_store

    store = open_store(built)
    names = Labeller(store, lang)
    links = load(project)
    rows = {}
    for entity, kind in _kinds(store, unlinked_only=True).items():
        open_ = [k for k in links.for_entity(entity) if k.status == "candidate"]
        review = ", ".join(f"{k.qid} ({k.score:.2f})" if k.score is not None else k.qid
                           for k in sorted(open_, key=lambda k: -(k.score or 0)))
        rows[entity] = Row(entity, names(entity) or _local(entity), kind,
                           review=f"candidates: {review}" if review else "")
    return sorted(rows.values(), key=lambda r: (r.kind, r.label.casefold(), r.entity))


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]
