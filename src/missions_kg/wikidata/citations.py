"""How each source graph is cited in a Wikidata reference, decided from its description in
``mkgg:sources``.

* A page on ``<code>.wikipedia.org``: "imported from Wikimedia project" (P143) with the item
  of that edition, and "Wikimedia import URL" (P4656) with the page's address.
* A copy of Wikipedia elsewhere (the description says it is a copy or mirror of "the German
  Wikipedia ..."): P143 with the edition's item. Its own address is not a Wikimedia page, so
  it is not given as P4656, and it is not a "reference URL" (P854) either: the fact comes
  from Wikipedia, not from the mirror. A copy without an address can still be cited.
* Anything else with an address: "reference URL" (P854).

The items of the Wikipedia editions, with the public evidence for each, are in
``wikimedia.toml`` beside this module; an edition without a verified item is cited by its
import URL alone, and a mirror of one cannot be cited. Every source may add its publication
date (P577). The data records no day on which a source was read: "retrieved" (P813) is never
written.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from urllib.parse import urlsplit

from .. import iris

REF_URL, PUBLISHED, IMPORTED_FROM, IMPORT_URL = "P854", "P577", "P143", "P4656"
_COPY = re.compile(r"\b(copy|copies|copied|mirror|mirrors|mirrored)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Edition:
    code: str  # the language code of its host, en.wikipedia.org -> "en"
    name: str  # "English Wikipedia"
    qid: str  # "" when no item id is verified


@dataclass(frozen=True)
class Reference:
    """One Wikidata reference: its snaks (empty strings are absent)."""
    url: str = ""  # P854 reference URL
    imported_from: str = ""  # P143 Q-id of a Wikimedia project
    import_url: str = ""  # P4656 Wikimedia import URL
    published: object = None  # P577: a statements.Value of kind "time", or None

    def key(self):
        return (self.url, self.imported_from, self.import_url, repr(self.published))


@dataclass(frozen=True)
class Citation:
    reference: Reference
    note: str = ""  # what a person should know about this citation ("" = nothing)


def editions() -> dict[str, Edition]:
    """Language code -> edition, from ``wikimedia.toml``."""
    text = resources.files(__package__).joinpath("wikimedia.toml").read_text("utf-8")
    return {e["code"]: Edition(e["code"], e["name"], e.get("qid", ""))
            for e in tomllib.loads(text)["edition"]}


def wikipedia_edition(url: str, known: dict[str, Edition]) -> Edition | None:
    """The edition whose host serves ``url`` (``fr.wikipedia.org``, ``fr.m.wikipedia.org``)."""
    host = (urlsplit(url).hostname or "").lower()
    if not host.endswith(".wikipedia.org"):
        return None
    code = host.split(".")[0]
    return known.get(code) or Edition(code, f"{code}.wikipedia.org", "")


def copied_edition(texts: list[str], known: dict[str, Edition]) -> Edition | None:
    """The edition a source copies, when one sentence of its name or description says it is a
    copy or mirror of that Wikipedia (``"de.wiki.li copy of the German Wikipedia article"``)."""
    for text in texts:
        for sentence in re.split(r"[.;]\s", text):
            if not _COPY.search(sentence):
                continue
            for edition in known.values():
                if re.search(rf"\b{re.escape(edition.name)}\b", sentence, re.IGNORECASE):
                    return edition
    return None


def cite(url: str, texts: list[str], published, known: dict[str, Edition],
         label: str) -> Citation | None:
    """How to cite one source (``label`` names it in notes); None when it cannot be cited."""
    edition = wikipedia_edition(url, known) if url else None
    if edition is not None:
        if edition.qid:
            return Citation(Reference(imported_from=edition.qid, import_url=url,
                                      published=published))
        return Citation(Reference(import_url=url, published=published),
                        f"{label}: {edition.name} has no verified Wikidata item in "
                        "wikidata/wikimedia.toml; cited by its Wikimedia import URL (S4656) "
                        "alone")
    edition = copied_edition(texts, known)
    if edition is not None:
        if not edition.qid:
            return None
        why = (f"its address ({url}) is not a Wikimedia page, so no S4656 and no S854" if url
               else "its address was not recorded")
        return Citation(Reference(imported_from=edition.qid, published=published),
                        f"{label} is a copy of the {edition.name}: cited as imported from it "
                        f"(S143 {edition.qid}); {why}")
    if url:
        return Citation(Reference(url=url, published=published))
    return None


def citations(store, literal) -> dict[str, Citation]:
    """Source graph IRI -> how to cite it, for every graph that can be cited. ``literal``
    turns a date literal into a statements.Value."""
    S, P = iris.SCHEMA, iris.PROV
    known = editions()
    found: dict[str, dict] = {}
    for r in store.query(f"""SELECT ?g ?url ?date ?text WHERE {{ GRAPH <{iris.GRAPH_SOURCES}> {{
            ?g <{P}hadPrimarySource> ?src .
            OPTIONAL {{ ?src <{S}url> ?url }}
            OPTIONAL {{ ?src <{S}datePublished> ?date }}
            OPTIONAL {{ ?src <{S}name>|<{S}description> ?text }} }} }}"""):
        entry = found.setdefault(r["g"].value, {"urls": set(), "dates": {}, "texts": set()})
        if r["url"] is not None:
            entry["urls"].add(r["url"].value)
        if r["date"] is not None:
            entry["dates"][str(r["date"])] = literal(r["date"])
        if r["text"] is not None:
            entry["texts"].add(r["text"].value)
    out = {}
    for graph, entry in sorted(found.items()):  # several addresses or dates: the first, sorted
        label = graph.removeprefix(iris.GRAPH)
        url = min(entry["urls"], default="")
        date = entry["dates"][min(entry["dates"])] if entry["dates"] else None
        citation = cite(url, sorted(entry["texts"]), date, known, label)
        if citation is not None:
            out[graph] = citation
    return out
