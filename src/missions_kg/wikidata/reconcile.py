"""Reconciliation: find Wikidata candidates for our unlinked entities, score them, record them.

For each entity (by default every one ``links --missing`` lists) the action API's
``wbsearchentities`` is asked for items by the entity's name and language; the SPARQL endpoint
then gives each hit's P31 classes, birth and death dates (P569/P570) and the works it is cast
member, director, screenwriter, composer or creator of (P161/P57/P58/P86/P170). A hit scores
(0 to 1, each step a reason in words):

* name: +0.4 for the exact label or alias (accents and case aside), +0.2 otherwise;
* type: +0.3 when P31 holds the Wikidata class our class maps to (ontology SKOS), and the hit
  is dropped when its P31 maps to another of our classes only;
* dates: +0.15 per matching birth/death year, -0.5 per contradicting one;
* relations: +0.3 when it is related as in our graph (cast member, director, screenwriter,
  composer, creator: either way round) to the item linked to the other entity, +0.2 when the
  related item's label is the other entity's name.

Hits that score under ``MIN_SCORE``, contradict our class, or are already another entity's
verified item are reported but not stored. The others become ``candidate`` records. Two
candidates within ``MARGIN`` of each other are *ambiguous*: flagged for review, never accepted.
With ``accept`` the best candidate becomes ``verified`` only if it is unambiguous and scores at
least the threshold. Everything is asked first and written once at the end (atomically), so a
timeout or a malformed reply leaves the store as it was.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from .. import iris
from ..errors import UsageError
from . import WD
from .client import Client, Hit, qid_values
from .links import Evidence, Link, LinkStore, load, write_store

MIN_SCORE = 0.3
MARGIN = 0.1
DEFAULT_THRESHOLD = 0.8
TOOL = "missions-kg reconcile"
SOURCE = iris.SOURCE + "wikidata"
RELATIONS = ("P161", "P57", "P58", "P86", "P170")
PERSON_ROLE = iris.SCHEMA + "PerformanceRole"


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
    #: QIDs linked to it) for the relations of RELATIONS in our graph
    related: list[tuple[str, str, set[str], set[str]]] = field(default_factory=list)


@dataclass
class Scored:
    hit: Hit
    url: str
    score: float
    reasons: list[str]
    instance_of: list[str]
    dropped: str = ""  # why it is not stored


@dataclass
class Outcome:
    entity: Entity
    scored: list[Scored]
    result: str  # no match / candidate / ambiguous / accepted / below threshold / ...


def norm(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c))
                    .casefold().split())


def _year(value: str | None) -> str | None:
    if not value:
        return None
    text = value.lstrip("+")
    return text[:4] if text[:4].isdigit() else None


# -- what our graph knows ------------------------------------------------------------------------

def entity_facts(store, iri: str, pmap, links: LinkStore, lang: str = "en") -> Entity:
    S = iris.SCHEMA
    names: dict[str, str] = {}
    for sol in store.query(f"SELECT ?n WHERE {{ <{iri}> <{S}name>|<{S}alternateName> ?n }}"):
        names.setdefault(sol["n"].language or "", sol["n"].value)
    tag = next((t for t in (lang, "en", "", "fr", "de") if t in names), None)
    label = names[tag] if tag is not None else (next(iter(names.values()), iri))
    entity = Entity(iri, label, (tag or "en") if tag != "" else "en", set(names.values()))
    entity.classes = {s["t"].value for s in store.query(f"SELECT ?t WHERE {{ <{iri}> a ?t }}")}
    for prop, attr in ((S + "birthDate", "birth"), (S + "deathDate", "death")):
        for sol in store.query(f"SELECT ?d WHERE {{ <{iri}> <{prop}> ?d }}"):
            setattr(entity, attr, _year(sol["d"].value))
    for pid in RELATIONS:
        for term in pmap.terms_for(pid):
            # the entity as object (a person credited on a work: "^P161") or as subject
            # (a work crediting people: "P161"); cast goes through PerformanceRole nodes
            for prop, q in (("^" + pid, f"{{ ?x <{term}> <{iri}> }} UNION {{ ?x <{term}> ?r . "
                                         f"?r a <{PERSON_ROLE}> ; <{term}> <{iri}> }}"),
                            (pid, f"{{ <{iri}> <{term}> ?x }} UNION {{ <{iri}> <{term}> ?r . "
                                  f"?r a <{PERSON_ROLE}> ; <{term}> ?x }}")):
                for sol in store.query(f"SELECT DISTINCT ?x WHERE {{ {q} }}"):
                    other = sol["x"].value
                    if other == iri or store.query(f"ASK {{ <{other}> a <{PERSON_ROLE}> }}"):
                        continue
                    onames = {s["n"].value for s in store.query(
                        f"SELECT ?n WHERE {{ <{other}> <{S}name>|<{S}alternateName> ?n }}")}
                    qids = {k.qid for k in links.for_entity(other) if k.status != "rejected"}
                    entity.related.append((prop, other, onames, qids))
    return entity


# -- what Wikidata knows -------------------------------------------------------------------------

def facts_query(qids) -> str:
    inverse = " ".join(f'(<{iris.WDT}{p}> "^{p}")' for p in RELATIONS)
    forward = " ".join(f'(<{iris.WDT}{p}> "{p}")' for p in RELATIONS)
    return f"""PREFIX wdt: <{iris.WDT}>
PREFIX rdfs: <{iris.RDFS}>
SELECT ?item ?prop ?value ?valueLabel WHERE {{
  VALUES ?item {{ {qid_values(qids)} }}
  {{ ?item wdt:P31 ?value . BIND("P31" AS ?prop) }}
  UNION {{ ?item wdt:P569 ?value . BIND("P569" AS ?prop) }}
  UNION {{ ?item wdt:P570 ?value . BIND("P570" AS ?prop) }}
  UNION {{ VALUES (?rel ?prop) {{ {inverse} }}
           ?value ?rel ?item .
           OPTIONAL {{ ?value rdfs:label ?valueLabel
                      FILTER(LANG(?valueLabel) IN ("en", "fr", "de")) }} }}
  UNION {{ VALUES (?rel ?prop) {{ {forward} }}
           ?item ?rel ?value .
           OPTIONAL {{ ?value rdfs:label ?valueLabel
                      FILTER(LANG(?valueLabel) IN ("en", "fr", "de")) }} }}
}}"""


def item_facts(client: Client, qids) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """qid → prop → [(value, label)] from one SPARQL request."""
    out: dict[str, dict[str, list[tuple[str, str]]]] = {}
    if not qids:
        return out
    for row in client.select(facts_query(qids)):
        item, prop, value = (row.get(k, {}).get("value") for k in ("item", "prop", "value"))
        if not (item and prop and value and item.startswith(WD)):
            continue
        label = row.get("valueLabel", {}).get("value", "")
        out.setdefault(item[len(WD):], {}).setdefault(prop, []).append((value, label))
    return out


# -- scoring -------------------------------------------------------------------------------------

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
        theirs = {_year(v) for v, _ in facts.get(prop, [])} - {None}
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


# -- the run -------------------------------------------------------------------------------------

def reconcile(project, built, client: Client, *, entities=None, threshold=DEFAULT_THRESHOLD,
              accept=False, limit=None, today: str, lang="en") -> list[Outcome]:
    """Ask, score and (at the end, once) write the store; return what happened per entity."""
    from ..engine import query_store
    from . import propmap
    from .listing import missing_rows

    if not 0 <= threshold <= 1:
        raise UsageError("--accept-threshold must be between 0 and 1")
    store = query_store(built)
    pmap = propmap.read(store)
    links = load(project)
    targets = list(entities) if entities else [r.entity for r in missing_rows(project, built)]
    if limit is not None:
        targets = targets[:limit]
    verified_by_qid = {k.qid: k.entity for k in links.verified()}
    outcomes = []
    for iri in targets:
        entity = entity_facts(store, iri, pmap, links, lang)
        if any(k.status == "verified" for k in links.for_entity(iri)):
            outcomes.append(Outcome(entity, [], "already verified"))
            continue
        url, hits = client.search(entity.label, entity.language)
        facts = item_facts(client, [h.qid for h in hits])
        scored = [score(entity, h, facts.get(h.qid, {}), pmap, verified_by_qid) for h in hits]
        for s in scored:
            s.url = url
        scored.sort(key=lambda s: (-s.score, int(s.hit.qid[1:])))
        outcomes.append(Outcome(entity, scored, _record(links, entity, scored, threshold,
                                                         accept, today)))
    write_store(links)
    return outcomes


def _record(links: LinkStore, entity: Entity, scored: list[Scored], threshold: float,
            accept: bool, today: str) -> str:
    kept = [s for s in scored if not s.dropped]
    for s in kept:
        link = links.find(entity.iri, s.hit.qid)
        if link is not None and link.status == "rejected":
            s.dropped = "rejected before"
            continue
        if link is None:
            link = Link(entity.iri, s.hit.qid, "candidate")
            links.links.append(link)
        link.name = f"Wikidata link: {entity.label} = {s.hit.qid}"
        link.score, link.reasons, link.instance_of = s.score, list(s.reasons), s.instance_of
        link.ambiguous_with = []
        link.evidence = [e for e in link.evidence if e.source != SOURCE] + [Evidence(
            source=SOURCE, url=s.url, checked_on=today, matched_label=s.hit.label or None,
            label_lang=s.hit.language, matched_description=s.hit.description or None)]
    kept = [s for s in kept if not s.dropped]
    if not kept:
        return "no match" if not scored else "no candidate kept"
    best = kept[0]
    if len(kept) > 1 and best.score - kept[1].score < MARGIN:
        rivals = [s for s in kept if best.score - s.score < MARGIN]
        for s in rivals:
            link = links.find(entity.iri, s.hit.qid)
            link.ambiguous_with = [r.hit.qid for r in rivals if r is not s]
            link.reasons.append(f"review: ambiguous, {len(rivals) - 1} other candidate(s) "
                                f"within {MARGIN} of this score")
        return "ambiguous: " + " vs ".join(f"{s.hit.qid} ({s.score:.2f})" for s in rivals)
    if accept and best.score >= threshold:
        link = links.find(entity.iri, best.hit.qid)
        link.status, link.accepted_by = "verified", TOOL
        link.reasons.append(f"accepted: score {best.score:.2f} >= threshold {threshold:.2f}")
        return f"accepted {best.hit.qid} ({best.score:.2f})"
    if best.score < threshold:
        return f"candidate {best.hit.qid} ({best.score:.2f}, below threshold {threshold:.2f})"
    return f"candidate {best.hit.qid} ({best.score:.2f}; --accept to verify)"
