"""What each page shows, as template variables: the home page, search, an entity, a class,
a source graph. The same functions feed the server's routes and the static site, so the two
show the same pages. Labels come from the one label policy, in the page's language."""

from __future__ import annotations

import pyoxigraph as ox

from .. import iris
from ..description import describe
from ..errors import UsageError
from ..store import graph_quads
from ..terms import curie
from . import diagrams
from .context import Site, local_path
from .views import (
    badge,
    group_facts,
    inbound,
    property_label,
    roles,
    text_in,
    value_of,
    wikidata_links,
)

SERIES = iris.ID + "missions"


def home(site: Site, lang: str, url) -> dict:
    from ..stats import stats

    numbers = stats(site.built, lang=lang)
    classes = [{"iri": c, "label": label or curie(c), "curie": curie(c), "count": n,
                "href": url(class_path(c)) if class_path(c) else c}
               for c, label, n in numbers.classes]
    series = None
    if site.exists(SERIES):
        desc = describe(site.built, SERIES, lang=lang)
        keep = {iris.SCHEMA + p for p in ("description", "genre", "numberOfSeasons",
                                          "numberOfEpisodes", "startDate", "endDate",
                                          "countryOfOrigin", "creator")}
        series = {"iri": SERIES, "href": local_path(SERIES),
                  "label": site.labeller(lang).display(SERIES),
                  "description": text_in(site, SERIES, iris.SCHEMA + "description", lang),
                  "facts": group_facts(site, SERIES, [f for f in desc.facts if f[0] in keep
                                                      and f[0] != iris.SCHEMA + "description"],
                                       lang)}
    sources = [{"badge": badge(site, s.graph, lang), "title": s.title or curie(s.source),
                "triples": s.triples} for s in numbers.sources]
    return {"title": "missions-kg", "series": series, "classes": classes,
            "triples": sum(site.built.graphs.values()), "graphs": len(site.built.graphs),
            "sources": sources, "queries": queries_list(site)}


def class_path(cls: str) -> str | None:
    """``schema:Person`` → ``/class/schema/Person`` (None for an IRI without a prefix)."""
    short = curie(cls)
    prefix, sep, local = short.partition(":")
    return f"/class/{prefix}/{local}" if sep and short != cls and local else None


def queries_list(site: Site) -> list:
    return [{"name": q.name, "summary": q.summary, "form": q.form, "tags": list(q.tags),
             "federated": bool(q.service), "params": list(q.params)}
            for q in site.catalogue.values()]


def search(site: Site, text: str, lang: str) -> dict:
    hits = []
    for iri, labels in site.search(text):
        hits.append({"value": value_of(site, ox.NamedNode(iri), lang), "labels": labels,
                     "types": _types(site, iri, lang)})
    return {"title": f"Search: {text}" if text else "Search", "q": text, "hits": hits}


def _types(site: Site, iri: str, lang: str) -> list:
    seen = {q.object.value for q in graph_quads(site.store, ox.NamedNode(iri),
                                                   ox.NamedNode(iris.RDF + "type"))
            if isinstance(q.object, ox.NamedNode) and q.graph_name.value != iris.GRAPH_INFERRED}
    return sorted((value_of(site, ox.NamedNode(t), lang) for t in seen), key=lambda v: v.text)


def entity(site: Site, iri: str, lang: str, url) -> dict:
    """The entity page: label, types, facts by property with badges and conflicts,
    "mentioned by", Wikidata links with evidence, the neighbourhood diagram."""
    try:
        desc = describe(site.built, iri, lang=lang)
    except UsageError:
        raise LookupError(iri) from None
    groups = group_facts(site, iri, desc.facts, lang)
    types = next((g for g in groups if g.iri == iris.RDF + "type"), None)
    svg = diagrams.neighbourhood_svg(site, iri, lang, url)
    edges = [] if svg else [
        {"value": value_of(site, ox.NamedNode(b if d == "out" else a), lang), "label": label,
         "direction": d} for a, b, label, d in diagrams.neighbourhood_edges(site, iri, lang)]
    label = site.labeller(lang).display(iri)
    return {"title": label, "iri": iri, "curie": curie(iri), "label": label,
            "description": text_in(site, iri, iris.SCHEMA + "description", lang),
            "types": types.facts if types else [],
            "groups": [g for g in groups if g.iri != iris.RDF + "type"],
            "conflicts": sum(1 for g in groups if g.conflict),
            "inbound": inbound(site, desc, lang), "links": wikidata_links(site, iri, lang),
            "roles": roles(site, iri, lang),
            "diagram": svg, "diagram_edges": edges,
            "diagram_note": None if svg or not edges else diagrams.NO_DOT}


def class_page(site: Site, cls: str, lang: str) -> dict:
    members = sorted({q.subject.value for q in graph_quads(
        site.store, None, ox.NamedNode(iris.RDF + "type"), ox.NamedNode(cls))
        if isinstance(q.subject, ox.NamedNode)})
    items = sorted((value_of(site, ox.NamedNode(m), lang) for m in members),
                   key=lambda v: v.text.casefold())
    label = site.labeller(lang).display(cls)
    return {"title": label, "iri": cls, "curie": curie(cls), "label": label, "members": items,
            "term_href": site.page_path(cls) or cls}


def graph_page(site: Site, graph: str, lang: str) -> dict:
    """A named graph: its description in ``mkgg:sources`` (what it was derived from, the
    citation) and what it says, by subject."""
    g = ox.NamedNode(graph)
    described = []
    sources = ox.NamedNode(iris.GRAPH_SOURCES)
    about = [graph] + [q.object.value for q in site.store.quads_for_pattern(
        g, ox.NamedNode(iris.PROV + "wasDerivedFrom"), None, sources)
        if isinstance(q.object, ox.NamedNode)]
    for node in dict.fromkeys(about):
        facts = [(q.predicate.value, q.object, [iris.GRAPH_SOURCES])
                 for q in site.store.quads_for_pattern(ox.NamedNode(node), None, None, sources)]
        if facts:
            described.append({"value": value_of(site, ox.NamedNode(node), lang),
                              "groups": group_facts(site, node, sorted(
                                  facts, key=lambda f: (f[0], str(f[1]))), lang)})
    by_subject: dict[str, list] = {}
    for q in site.store.quads_for_pattern(None, None, None, g):
        by_subject.setdefault(_key(q.subject), []).append(q)
    subjects = []
    for key in sorted(by_subject, key=lambda k: (k.startswith("_:"), k))[:400]:
        quads = by_subject[key]
        subject = quads[0].subject
        subjects.append({"value": value_of(site, subject, lang), "facts": [
            {"property": property_label(site, q.predicate.value, lang),
             "property_href": site.page_path(q.predicate.value) or q.predicate.value,
             "value": value_of(site, q.object, lang)}
            for q in sorted(quads, key=lambda q: (q.predicate.value, str(q.object)))]})
    name = site.graph_name(graph)
    label = site.labeller(lang)(graph) or name
    return {"title": label, "iri": graph, "name": name, "label": label,
            "triples": site.built.graphs.get(graph, 0), "described": described,
            "subjects": subjects, "more": max(0, len(by_subject) - 400),
            "source_graph": site.is_source_graph(graph)}


def _key(term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def graphs_index(site: Site, lang: str) -> dict:
    rows = [{"badge": badge(site, g, lang), "triples": n, "label": site.labeller(lang)(g)}
            for g, n in sorted(site.built.graphs.items())]
    return {"title": "Graphs", "rows": rows}
