"""Reconciliation: find Wikidata candidates for our unlinked entities, score them, record them.

For each entity (by default every one ``links --missing`` lists) the action API's
``wbsearchentities`` is asked for items by the entity's name and language; the SPARQL endpoint
then gives each hit's P31 classes, birth and death dates (P569/P570) and the works it is cast
member, director, screenwriter, composer or creator of (P161/P57/P58/P86/P170). Each hit is
scored by :func:`.scoring.score` (name, type, dates, relations; each step a reason in words).

Hits that score under ``scoring.MIN_SCORE``, contradict our class, or are already another entity's
verified item are reported but not stored. The others become ``candidate`` records. Two
candidates within ``MARGIN`` of each other are *ambiguous*: flagged for review, never accepted.
With ``accept`` the best candidate becomes ``verified`` only if it is unambiguous and scores at
least the threshold. Everything is asked first and written once at the end (atomically), so a
timeout or a malformed reply leaves the store as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import iris
from ..errors import UsageError
from ..iris import WD
from .client import Client, qid_values
from .links import Evidence, Link, LinkStore, load
from .links_writer import write_store
from .scoring import Entity, Scored, score, year_of

MARGIN = 0.1
DEFAULT_THRESHOLD = 0.8
TOOL = "missions-kg reconcile"
SOURCE = iris.SOURCE + "wikidata"
RELATIONS = ("P161", "P57", "P58", "P86", "P170")
PERSON_ROLE = iris.SCHEMA + "PerformanceRole"


@dataclass
class Outcome:
    entity: Entity
    scored: list[Scored]
    result: str  # no match / candidate / ambiguous / accepted / below threshold / ...


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
            setattr(entity, attr, year_of(sol["d"].value))
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



# -- the run -------------------------------------------------------------------------------------

def reconcile(project, built, client: Client, *, entities=None, threshold=DEFAULT_THRESHOLD,
              accept=False, limit=None, today: str, lang="en") -> list[Outcome]:
    """Ask, score and (at the end, once) write the store; return what happened per entity."""
    from ..store import open_store
    from . import propmap
    from .listing import missing_rows

    if not 0 <= threshold <= 1:
        raise UsageError("--accept-threshold must be between 0 and 1")
    store = open_store(built)
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
