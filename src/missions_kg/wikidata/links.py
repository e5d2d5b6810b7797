"""The link store: ``data/links.trig``, graph ``mkgg:links``.

Each link is a record (``mkg:WikidataLink``) about one entity and one Wikidata item, with its
status (``verified`` / ``candidate`` / ``rejected``), score, reasons, the P31 classes seen for
the item, who accepted it, and its evidence (``mkg:LinkEvidence``: the source it rests on, a
citation and excerpt, the matched label and description, the day it was checked). A verified
link is also a ``schema:sameAs`` triple, so queries that follow sameAs see only verified links.

This module holds the model, reads the store and applies a person's review;
:mod:`.links_writer` writes it back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .. import iris
from ..errors import InputError
from . import QID, qid_of

STATUSES = ("verified", "candidate", "rejected")
STORE_FILE = "links.trig"
GRAPH_LINKS = iris.GRAPH + "links"
MKG, S, RDF_TYPE = iris.ONTOLOGY, iris.SCHEMA, iris.RDF + "type"


@dataclass
class Evidence:
    """One piece of evidence for a link (every field optional except what the source gave)."""

    source: str | None = None  # IRI of the described source (schema:isBasedOn)
    citation: str | None = None
    excerpt: str | None = None
    url: str | None = None  # the page or request that showed it
    checked_on: str | None = None  # YYYY-MM-DD, only when known
    matched_label: str | None = None
    label_lang: str | None = None
    matched_description: str | None = None


@dataclass
class Link:
    entity: str
    qid: str
    status: str = "candidate"
    accepted_by: str | None = None
    score: float | None = None
    reasons: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    instance_of: list[str] = field(default_factory=list)  # QIDs of the item's P31
    ambiguous_with: list[str] = field(default_factory=list)  # QIDs of rival candidates
    name: str | None = None  # the record's schema:name
    note: str | None = None  # the record's schema:description (English)

    @property
    def record(self) -> str:
        return record_iri(self.entity, self.qid)

    def validate(self) -> None:
        if not QID.fullmatch(self.qid):
            raise InputError(f"{self.qid!r} is not a Wikidata item id (Q followed by digits)")
        if self.status not in STATUSES:
            raise InputError(f"link status {self.status!r} is not one of {', '.join(STATUSES)}")


def record_iri(entity: str, qid: str) -> str:
    local = entity[len(iris.ID):] if entity.startswith(iris.ID) else re.sub(r"\W+", "-", entity)
    return f"{iris.ID}link-{local}-{qid.lower()}"


@dataclass
class LinkStore:
    path: Path
    links: list[Link]
    extra: list[ox.Quad] = field(default_factory=list)  # other triples in mkgg:links, kept

    def find(self, entity: str, qid: str) -> Link | None:
        return next((k for k in self.links if k.entity == entity and k.qid == qid), None)

    def for_entity(self, entity: str) -> list[Link]:
        return [k for k in self.links if k.entity == entity]

    def verified(self) -> list[Link]:
        return [k for k in self.links if k.status == "verified"]


def store_path(project) -> Path:
    return project.root / "data" / STORE_FILE


# -- reading --------------------------------------------------------------------------------

def read_store(path: Path) -> LinkStore:
    """Parse ``path`` (a missing file is an empty store) into links + kept extra triples."""
    from ..loading import read_quads

    if not path.is_file():
        return LinkStore(path, [])
    quads = [q for q in read_quads(path, ox.RdfFormat.TRIG, name=str(path))
             if q.graph_name.value == GRAPH_LINKS]
    return LinkStore(path, *links_from(quads))


def links_from(quads: list[ox.Quad]) -> tuple[list[Link], list[ox.Quad]]:
    """Split the quads of ``mkgg:links`` into link records and the other triples."""
    by_subject: dict[str, list[ox.Quad]] = {}
    for q in quads:
        by_subject.setdefault(q.subject.value, []).append(q)
    used: set[ox.Quad] = set()
    links = []
    for subject, sq in sorted(by_subject.items()):
        if not any(q.predicate.value == RDF_TYPE and q.object.value == MKG + "WikidataLink"
                   for q in sq):
            continue
        one = {q.predicate.value: q.object for q in sq}
        about, target = one.get(S + "about"), one.get(MKG + "linkTarget")
        qid = qid_of(target.value) if target is not None else None
        if about is None or qid is None:
            continue  # a malformed record stays as extra triples; the shape reports it
        link = Link(about.value, qid, one[MKG + "linkStatus"].value
                    if MKG + "linkStatus" in one else "candidate")
        link.accepted_by = _value(one.get(MKG + "acceptedBy"))
        score = one.get(MKG + "score")
        link.score = float(score.value) if score is not None else None
        link.reasons = [o.value for o in _many(sq, MKG + "reason")]
        link.instance_of = sorted((qid_of(o.value) for o in _many(sq, MKG + "targetInstanceOf")
                                   if qid_of(o.value)), key=_qnum)
        rivals = {_record_qid(o.value, by_subject) for o in _many(sq, MKG + "ambiguousWith")}
        link.ambiguous_with = sorted(rivals - {None}, key=_qnum)
        link.name = _value(one.get(S + "name"))
        link.note = _value(one.get(S + "description"))
        for ev in sorted(_many(sq, MKG + "evidence"), key=_evidence_order):
            eq = by_subject.get(ev.value, [])
            link.evidence.append(_evidence(eq))
            used.update(eq)
        if record_iri(link.entity, qid) != subject:
            continue  # an unexpected record IRI: kept verbatim as extra triples
        used.update(sq)
        links.append(link)
    verified = {(k.entity, k.qid) for k in links if k.status == "verified"}
    for q in quads:  # sameAs of verified links is derived from the records
        if q.predicate.value == S + "sameAs" and (q.subject.value, qid_of(q.object.value)) \
                in verified:
            used.add(q)
    return links, [q for q in quads if q not in used]


def _evidence_order(term) -> tuple:
    head, _, number = term.value.rpartition("-")
    return (head, int(number)) if number.isdigit() else (term.value, 0)


def _many(quads: list[ox.Quad], predicate: str) -> list:
    return sorted((q.object for q in quads if q.predicate.value == predicate), key=str)


def _record_qid(record: str, by_subject) -> str | None:
    for q in by_subject.get(record, []):
        if q.predicate.value == MKG + "linkTarget":
            return qid_of(q.object.value)
    return None


def _evidence(quads: list[ox.Quad]) -> Evidence:
    one = {q.predicate.value: q.object for q in quads}
    label = one.get(MKG + "matchedLabel")
    return Evidence(
        source=_value(one.get(S + "isBasedOn")), citation=_value(one.get(S + "citation")),
        excerpt=_value(one.get(S + "text")), url=_value(one.get(S + "url")),
        checked_on=_value(one.get(MKG + "checkedOn")), matched_label=_value(label),
        label_lang=label.language if isinstance(label, ox.Literal) else None,
        matched_description=_value(one.get(MKG + "matchedDescription")))


def _value(term) -> str | None:
    return None if term is None else term.value


def _qnum(qid: str) -> int:
    return int(qid[1:])


def load(project) -> LinkStore:
    return read_store(store_path(project))


# -- review ---------------------------------------------------------------------------------

def set_status(store: LinkStore, entity: str, qid: str, status: str, by: str,
               reason: str | None = None) -> Link:
    """A person's review: make the record (entity, qid) ``verified`` or ``rejected``.

    Refuses to verify an item that is already another entity's verified item, or a second
    item for an entity that has one (reject the old link first). The record must exist (it
    holds the evidence): links are found by reconciliation or written with their evidence.
    """
    from ..errors import UsageError

    if status not in ("verified", "rejected"):
        raise UsageError(f"a review sets verified or rejected, not {status!r}")
    if not by.strip():
        raise UsageError("say who reviews the link (--by NAME)")
    link = store.find(entity, qid)
    if link is None:
        raise UsageError(f"no link record for <{entity}> = {qid}",
                         hint="run `links reconcile --online --entity …` to find it with evidence")
    if status == "verified":
        for other in store.verified():
            if other.qid == qid and other.entity != entity:
                raise UsageError(f"{qid} is already the verified item of <{other.entity}>")
            if other.entity == entity and other.qid != qid:
                raise UsageError(f"<{entity}> is already linked to {other.qid}",
                                 hint=f"reject {other.qid} first")
    link.status, link.accepted_by = status, by.strip()
    link.ambiguous_with = []
    for rival in store.for_entity(entity):
        rival.ambiguous_with = [q for q in rival.ambiguous_with if q != qid]
    if reason:
        link.reasons.append(f"review: {reason}")
    return link
