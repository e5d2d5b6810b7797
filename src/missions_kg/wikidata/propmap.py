"""The property map: which Wikidata property or class each of our terms stands for.

Read from the ontology graph of a build (``ontology/mkg.ttl``: ``skos:exactMatch`` /
``skos:closeMatch`` to ``wdt:P…`` and ``wd:Q…``), never typed here, so the ontology stays the
one place a mapping is decided. A ``skos:relatedMatch`` to a property (``schema:name`` to
title, P1476) is kept apart: it holds only under a condition the exporter states (a work's
name is its title; a person's is not).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import iris
from ..iris import WD, WDT

_QUERY = f"""
SELECT ?term ?target ?kind WHERE {{
  GRAPH <{iris.GRAPH_ONTOLOGY}> {{
    ?term ?kind ?target .
    VALUES ?kind {{ <{iris.SKOS}exactMatch> <{iris.SKOS}closeMatch> <{iris.SKOS}relatedMatch> }}
  }}
}}
"""


@dataclass
class PropertyMap:
    #: our property IRI → Wikidata P-id (exact matches win over close ones)
    properties: dict[str, str] = field(default_factory=dict)
    #: our class IRI → Wikidata class Q-id
    classes: dict[str, str] = field(default_factory=dict)
    exact: set[str] = field(default_factory=set)
    #: our property IRI -> Wikidata P-ids it is only related to (skos:relatedMatch)
    related: dict[str, set[str]] = field(default_factory=dict)

    def terms_for(self, pid: str) -> list[str]:
        """Our properties mapped to ``pid``, exact matches first, then by IRI."""
        return sorted((t for t, p in self.properties.items() if p == pid),
                      key=lambda t: (t not in self.exact, t))

    def related_terms(self, pid: str) -> list[str]:
        """Our properties ``skos:relatedMatch`` to ``pid``, by IRI."""
        return sorted(t for t, pids in self.related.items() if pid in pids)

    def class_for(self, qid: str) -> list[str]:
        return sorted(t for t, q in self.classes.items() if q == qid)


def read(store) -> PropertyMap:
    """The map from the store of a build (``missions_kg.store.open_store(built)``)."""
    found = PropertyMap()
    rows = sorted(((s["term"].value, s["target"].value, s["kind"].value)
                   for s in store.query(_QUERY)),
                  key=lambda r: (not r[2].endswith("exactMatch"), r))  # exact matches first
    for term, target, kind in rows:
        if kind.endswith("relatedMatch"):
            if target.startswith(WDT):
                found.related.setdefault(term, set()).add(target[len(WDT):])
            continue
        if target.startswith(WDT):
            found.properties.setdefault(term, target[len(WDT):])
        elif target.startswith(WD):
            found.classes.setdefault(term, target[len(WD):])
        else:
            continue
        if kind.endswith("exactMatch"):
            found.exact.add(term)
    return found
