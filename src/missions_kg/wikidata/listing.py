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

_MISSING = """
PREFIX schema: <https://schema.org/>
PREFIX mkg: <https://w3id.org/missions-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?entity ?kind WHERE {
  VALUES (?class ?kind) { %(kinds)s }
  ?entity a ?type . ?type rdfs:subClassOf* ?class .
  FILTER(STRSTARTS(STR(?entity), "%(id)s"))
  FILTER(!STRSTARTS(STR(?entity), "%(id)slink-"))
  FILTER NOT EXISTS { ?entity a/rdfs:subClassOf* mkg:FictionalEntity }
  FILTER NOT EXISTS { VALUES ?skip { %(skip)s } ?entity a/rdfs:subClassOf* ?skip }
  FILTER NOT EXISTS { ?graph prov:wasDerivedFrom ?entity }
  %(unlinked)s
}
"""


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


def _kinds(store) -> dict[str, str]:
    out: dict[str, str] = {}
    for sol in store.query(_missing_query(all_entities=True)):
        out.setdefault(sol["entity"].value, sol["kind"].value)
    return out


def _missing_query(all_entities: bool = False) -> str:
    unlinked = "" if all_entities else (
        'FILTER NOT EXISTS { ?entity schema:sameAs ?item '
        'FILTER(STRSTARTS(STR(?item), "http://www.wikidata.org/entity/")) }')
    return _MISSING % {
        "kinds": " ".join(f'(schema:{c} "{k}")' for c, k in KINDS), "id": iris.ID,
        "skip": " ".join(f"schema:{s}" for s in SKIPPED), "unlinked": unlinked}


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
    for sol in store.query(_missing_query()):
        entity = sol["entity"].value
        if entity in rows:
            continue
        open_ = [k for k in links.for_entity(entity) if k.status == "candidate"]
        review = ", ".join(f"{k.qid} ({k.score:.2f})" if k.score is not None else k.qid
                           for k in sorted(open_, key=lambda k: -(k.score or 0)))
        rows[entity] = Row(entity, names(entity) or _local(entity), sol["kind"].value,
                           review=f"candidates: {review}" if review else "")
    return sorted(rows.values(), key=lambda r: (r.kind, r.label.casefold(), r.entity))


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]
