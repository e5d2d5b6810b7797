"""The one label policy: which text names a thing, in the language the user asked for.

Every command that shows a label (``query --labels``, ``describe``, ``stats``, ``validate``,
``links``) and the server's pages use this module, so one IRI reads the same everywhere.

* Predicates, in tiers: ``schema:name``, ``rdfs:label``, ``skos:prefLabel`` (a name); then
  ``schema:alternateName``, ``skos:altLabel`` (only when a thing has no name at all).
* Languages, within a tier: the asked one (``fr-FR`` counts as ``fr``), English, untagged,
  French, German, then any other (alphabetically by tag). Ties go to the alphabetically first
  text, so the answer never depends on the order a store returns triples in.
* Nothing found: ``None``; :meth:`Labeller.display` then shows the CURIE.

Runs on the pyoxigraph store of a build (:func:`missions_kg.store.open_store`); never imports
rdflib.
"""

from __future__ import annotations

from collections.abc import Iterable

from .iris import RDFS, SCHEMA, SKOS
from .terms import curie

NAME_PREDICATES = (SCHEMA + "name", RDFS + "label", SKOS + "prefLabel")
ALTERNATE_PREDICATES = (SCHEMA + "alternateName", SKOS + "altLabel")
#: Every predicate that holds a label, names first (what label search looks through).
LABEL_PREDICATES = NAME_PREDICATES + ALTERNATE_PREDICATES
LANGUAGES = ("fr", "en", "de")


def _primary(tag: str | None) -> str | None:
    return tag.lower().split("-")[0] if tag else None


def pick_label(candidates: Iterable[tuple[str, str | None]], lang: str = "en") -> str | None:
    """The best of ``(text, language or None)`` candidates, listed in predicate preference
    order (see the module docstring): language first, then predicate, then text."""
    ranked = [(rank, text, tag) for rank, (text, tag) in enumerate(candidates)]
    if not ranked:
        return None
    for want in dict.fromkeys((_primary(lang), "en", None, "fr", "de")):
        matches = [(rank, text) for rank, text, tag in ranked if _primary(tag) == want]
        if matches:
            return min(matches)[1]
    return min(ranked, key=lambda c: ((c[2] or "").lower(), c[0], c[1]))[1]


class Labeller:
    """IRI → label over a pyoxigraph store (any graph), memoised; :meth:`display` falls back
    to the CURIE."""

    def __init__(self, store, lang: str = "en") -> None:
        self.store, self.lang = store, lang
        self._memo: dict[str, str | None] = {}

    def __call__(self, iri: str) -> str | None:
        if iri not in self._memo:
            self._memo[iri] = self._find(iri)
        return self._memo[iri]

    def display(self, iri: str) -> str:
        return self(iri) or curie(iri)

    def _find(self, iri: str) -> str | None:
        import pyoxigraph as ox

        try:
            subject = ox.NamedNode(iri)
        except ValueError:
            return None
        for tier in (NAME_PREDICATES, ALTERNATE_PREDICATES):
            candidates = []
            for pred in tier:
                found = {(q.object.value, q.object.language)
                         for q in self.store.quads_for_pattern(subject, ox.NamedNode(pred), None)
                         if isinstance(q.object, ox.Literal)}
                candidates += sorted(found, key=lambda c: (c[0], c[1] or ""))
            label = pick_label(candidates, self.lang)
            if label is not None:
                return label
        return None
