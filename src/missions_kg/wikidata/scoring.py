"""Scoring: how well a Wikidata hit fits one of our entities, with each step a reason in words.

A hit scores from 0 to 1:

* name: +0.4 for the exact label or alias (accents and case aside), +0.2 otherwise;
* type: +0.3 when P31 holds the Wikidata class our class maps to (ontology SKOS), and the hit
  is dropped when its P31 maps to another of our classes only;
* dates: +0.15 per matching birth/death year, -0.5 per contradicting one;
* relations: +0.3 when it is related as in our graph (cast member, director, screenwriter,
  composer, creator: either way round) to the item linked to the other entity, +0.2 when the
  related item's label is the other entity's name.

Hits that score under ``MIN_SCORE``, contradict our class, or are already another entity's
verified item are marked dropped (reported, not stored). Nothing here asks the network.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from ..iris import WD
from .client import Hit

MIN_SCORE = 0.3


@dataclass
class Entity:
    iri: str
    label: str
    language: str
    names: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    birth: str | None = None
    death: str | None = None
    #: (P-id, or ^P-id when the entity is the value; the other entity's IRI, its names, the
    #: QIDs linked to it) for the relations of reconcile.RELATIONS in our graph
    related: list[tuple[str, str, set[str], set[str]]] = field(default_factory=list)


@dataclass
class Scored:
    hit: Hit
    url: str
    score: float
    reasons: list[str]
    instance_of: list[str]
    dropped: str = ""  # why it is not stored


def norm(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c))
                    .casefold().split())


def year_of(value: str | None) -> str | None:
    if not value:
        return None
    text = value.lstrip("+")
    return text[:4] if text[:4].isdigit() else None


def score(entity: Entity, hit: Hit, facts: dict, pmap, verified_by_qid: dict[str, str]) -> Scored:
    reasons, total, dropped = [], 0.0, ""
    ours = {norm(n) for n in entity.names}
    if norm(hit.label) in ours or any(norm(a) in ours for a in hit.aliases) \
            or (hit.match_type in ("label", "alias") and norm(hit.match_text) in ours):
        total += 0.4
        reasons.append(f"name: {hit.label!r} is {entity.label!r} (+0.4)")
    else:
        total += 0.2
        reasons.append(f"name: {hit.label!r} only resembles {entity.label!r} (+0.2)")
    p31 = sorted({v[len(WD):] for v, _ in facts.get("P31", []) if v.startswith(WD)},
                 key=lambda q: int(q[1:]) if q[1:].isdigit() else 0)
    expected = {pmap.classes[c] for c in entity.classes if c in pmap.classes}
    seen_ours = {c for q in p31 for c in pmap.class_for(q)}
    short = lambda c: c.rsplit("/", 1)[-1].rsplit("#", 1)[-1]  # noqa: E731
    if expected & set(p31):
        total += 0.3
        fits = sorted(short(c) for c in entity.classes if pmap.classes.get(c) in p31)
        reasons.append(f"type: P31 {', '.join(sorted(expected & set(p31)))} fits "
                       f"{', '.join(fits)} (+0.3)")
    elif seen_ours and not (seen_ours & entity.classes):
        dropped = (f"P31 {', '.join(p31)} is our {', '.join(sorted(map(short, seen_ours)))}, "
                   "not this entity's class")
        reasons.append(f"type: {dropped}")
    elif expected:
        reasons.append(f"type: P31 {', '.join(p31) or 'unknown'} does not show "
                       f"{', '.join(sorted(expected))} (+0)")
    else:
        reasons.append("type: no Wikidata class mapped for this entity's class (+0)")
    for ours_year, prop, what in ((entity.birth, "P569", "birth"), (entity.death, "P570", "death")):
        theirs = {year_of(v) for v, _ in facts.get(prop, [])} - {None}
        if ours_year and theirs:
            if ours_year in theirs:
                total += 0.15
                reasons.append(f"{what} year {ours_year} matches {prop} (+0.15)")
            else:
                total -= 0.5
                reasons.append(f"{what} year {ours_year} but {prop} says "
                               f"{', '.join(sorted(theirs))} (-0.5)")
    total += _relations(entity, facts, reasons)
    if hit.qid in verified_by_qid and verified_by_qid[hit.qid] != entity.iri:
        dropped = f"already the verified item of <{verified_by_qid[hit.qid]}>"
    value = round(min(1.0, max(0.0, total)), 3)
    if not dropped and value < MIN_SCORE:
        dropped = f"score {value:.2f} under {MIN_SCORE}"
    return Scored(hit, "", value, reasons, p31, dropped)


def _relations(entity: Entity, facts: dict, reasons: list[str]) -> float:
    best, why = 0.0, ""
    for prop, other, names, qids in entity.related:
        said = f"{prop[1:]} of" if prop.startswith("^") else f"{prop} is"
        for value, label in facts.get(prop, []):
            qid = value[len(WD):] if value.startswith(WD) else ""
            if qid and qid in qids and best < 0.3:
                best, why = 0.3, f"relation: {said} {qid}, the item linked to <{other}> (+0.3)"
            elif label and norm(label) in {norm(n) for n in names} and best < 0.2:
                best, why = 0.2, f"relation: {said} {qid} {label!r}, as in our graph (+0.2)"
    if why:
        reasons.append(why)
    return best
