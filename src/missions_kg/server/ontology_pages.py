"""The ontology's documentation: every ``mkg:`` term with its labels and comments in the
three languages (``/ontology``, one section per term, so ``…/ontology#Term`` lands on it),
and a page per term (``/ontology/{Term}``) with its axioms and, for a class, a diagram of
its super- and subclasses and the properties that start or end at it."""

from __future__ import annotations

import pyoxigraph as ox

from .. import iris
from ..labels import LANGUAGES
from ..terms import curie
from . import diagrams
from .context import TERM_KINDS, Site, local_path
from .views import group_facts, value_of

G = iris.GRAPH_ONTOLOGY
KINDS = TERM_KINDS


def terms(site: Site) -> list[tuple[str, str]]:
    """(IRI, kind) of every ``mkg:`` term the ontology declares, classes first."""
    out = {}
    for q in site.store.quads_for_pattern(None, ox.NamedNode(iris.RDF + "type"), None,
                                          ox.NamedNode(G)):
        term, kind = q.subject, KINDS.get(q.object.value)
        if kind and isinstance(term, ox.NamedNode) and term.value.startswith(iris.ONTOLOGY):
            out.setdefault(term.value, kind)
    order = list(KINDS.values())
    return sorted(out.items(), key=lambda t: (order.index(t[1]), t[0].casefold()))


def _texts(site: Site, term: str, predicate: str) -> dict[str, str]:
    """Language → text of ``term predicate`` in the ontology graph."""
    out = {}
    for q in site.store.quads_for_pattern(ox.NamedNode(term), ox.NamedNode(predicate), None,
                                          ox.NamedNode(G)):
        if isinstance(q.object, ox.Literal):
            out.setdefault(q.object.language or "", q.object.value)
    return out


def term_summary(site: Site, term: str, kind: str, lang: str) -> dict:
    labels = _texts(site, term, iris.RDFS + "label")
    comments = _texts(site, term, iris.RDFS + "comment")
    local = term[len(iris.ONTOLOGY):]
    return {"iri": term, "local": local, "curie": curie(term), "kind": kind,
            "label": site.labeller(lang).display(term),
            "labels": [(code, labels.get(code, "")) for code in LANGUAGES],
            "comments": [(code, comments.get(code, "")) for code in LANGUAGES],
            "href": f"/ontology/{local}"}


def index(site: Site, lang: str) -> dict:
    header = {}
    onto = iris.BASE + "ontology"
    for key, pred in (("title", iris.DCTERMS + "title"),
                      ("description", iris.DCTERMS + "description"),
                      ("version", iris.OWL + "versionInfo")):
        texts = _texts(site, onto, pred)
        header[key] = texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")
    licence = next((q.object.value for q in site.store.quads_for_pattern(
        ox.NamedNode(onto), ox.NamedNode(iris.DCTERMS + "license"), None, ox.NamedNode(G))),
        None)
    return {"title": header["title"] or "Ontology", "header": header, "licence": licence,
            "terms": [term_summary(site, t, k, lang) for t, k in terms(site)]}


def term_page(site: Site, term: str, lang: str, url) -> dict | None:
    kinds = dict(terms(site))
    if term not in kinds:
        return None
    summary = term_summary(site, term, kinds[term], lang)
    facts = [(q.predicate.value, q.object, [G]) for q in site.store.quads_for_pattern(
        ox.NamedNode(term), None, None, ox.NamedNode(G))
        if q.predicate.value not in (iris.RDFS + "label", iris.RDFS + "comment")]
    facts.sort(key=lambda f: (f[0], str(f[1])))
    used_by = sorted({q.subject.value for q in site.store.quads_for_pattern(
        None, None, ox.NamedNode(term), ox.NamedNode(G))
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(iris.ONTOLOGY)})
    svg = None
    if kinds[term] == "class":
        svg = diagrams.class_svg(site, term, lang, url)
    instances = 0
    if kinds[term] == "class":
        instances = sum(1 for _ in site.store.quads_for_pattern(
            None, ox.NamedNode(iris.RDF + "type"), ox.NamedNode(term), ox.DefaultGraph()))
    return {**summary, "title": summary["label"],
            "groups": group_facts(site, term, facts, lang),
            "related": [value_of(site, ox.NamedNode(u), lang) for u in used_by],
            "diagram": svg, "diagram_note": None if svg or kinds[term] != "class"
            or diagrams.available() else diagrams.NO_DOT,
            "instances": instances,
            "class_href": f"/class/mkg/{summary['local']}" if instances else None,
            "page_href": local_path(term)}
