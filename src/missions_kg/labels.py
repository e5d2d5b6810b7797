"""Pick a human label for an IRI in the language the user asked for.

Labels come from ``schema:name``, ``rdfs:label`` and ``skos:prefLabel`` (in that order of
preference within each step). The fallback order is: the asked language (``--lang fr``; a tag
like ``fr-FR`` counts as ``fr``) → English → an untagged label → any label (the
alphabetically first language) → the CURIE (``mkgid:jeanne-renoir``).

The query command uses it for ``--labels`` (adds a ``<var>_label`` column after each column of
IRIs in table/csv/tsv output). It reads the union of all graphs through pyoxigraph, so it
never imports rdflib.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from missions_kg.iris import RDFS, SCHEMA, SKOS
from missions_kg.results import curie

LABEL_PREDICATES = (SCHEMA + "name", RDFS + "label", SKOS + "prefLabel")


def pick_label(candidates: Iterable[tuple[str, str | None]], lang: str) -> str | None:
    """``candidates`` are ``(text, language or None)`` in predicate preference order."""
    items = list(candidates)

    def first(match) -> str | None:
        for text, tag in items:
            if match(tag):
                return text
        return None

    def primary(tag: str | None) -> str | None:
        return tag.lower().split("-")[0] if tag else None

    for want in dict.fromkeys((lang.lower(), "en")):
        found = first(lambda tag, want=want: tag is not None and
                      (tag.lower() == want or primary(tag) == primary(want)))
        if found is not None:
            return found
    found = first(lambda tag: tag is None)
    if found is not None:
        return found
    tagged = sorted((tag.lower(), text) for text, tag in items if tag)
    return tagged[0][1] if tagged else None


def label_lookup(store, lang: str = "en") -> Callable[[str], str]:
    """IRI → label (or CURIE) over a pyoxigraph store whose default graph is the union
    (``missions_kg.engine.query_store(built)``); answers are memoised."""
    import pyoxigraph as ox

    preds = [ox.NamedNode(p) for p in LABEL_PREDICATES]
    memo: dict[str, str] = {}

    def lookup(iri: str) -> str:
        if iri not in memo:
            subject = ox.NamedNode(iri)
            candidates = []
            for pred in preds:
                quads = store.quads_for_pattern(subject, pred, None, ox.DefaultGraph())
                found = [(q.object.value, q.object.language) for q in quads
                         if isinstance(q.object, ox.Literal)]
                candidates += sorted(found, key=lambda c: (c[0], c[1] or ""))
            memo[iri] = pick_label(candidates, lang) or curie(iri)
        return memo[iri]

    return lookup
