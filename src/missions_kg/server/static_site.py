"""``missions-kg site -o DIR``: the server's pages as static files, for any static host.

The same page functions and templates as the server (:mod:`.pages`, :mod:`.ontology_pages`,
the query page of :mod:`.routes_queries`), with a :class:`~.render.StaticLinker` that makes
every link relative to the page's own file. Written: the home page, every entity
(``id/…``, ``source/…``, with its Turtle beside it), every class index, every graph, the
ontology and a page per term, the query catalogue with each stored query's answer for its
default parameters (and that answer in every download format), and the assets. What needs a
server (search, the SPARQL editor, other parameter values) is left out of these pages.

:func:`check_links` reads every page back and lists the internal links that lead nowhere
(a missing file, or a ``#fragment`` that is no ``id`` in its page); ``site`` fails on any.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox

from .. import iris
from ..exports import canonical
from ..results import render
from ..serialize import serialize_quads
from ..store import graph_quads
from . import ontology_pages, pages
from .context import Site, local_path
from .render import StaticLinker, render_page
from .routes_queries import downloads, query_page


def write_site(site: Site, out: Path, *, lang: str = "en", timeout: float = 30.0,
               progress=None) -> dict[str, int]:
    """Write every page under ``out``; returns counts by kind of page."""
    counts: dict[str, int] = {}

    def write(path: str, body, kind: str | None = None, ext: str = "") -> None:
        target = out / StaticLinker.file_of(path, ext)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body.encode("utf-8") if isinstance(body, str) else body)
        if kind:
            counts[kind] = counts.get(kind, 0) + 1
            if progress and counts[kind] % 100 == 0:
                progress(f"{counts[kind]} {kind} pages")

    def html(path: str, template: str, context: dict, kind: str) -> None:
        write(path, render_page(template, url=StaticLinker(path), lang=lang, path=path,
                                **context), kind)

    home = pages.home(site, lang, StaticLinker("/"))
    html("/", "home.html", home, "home")
    for c in home["classes"]:
        path = pages.class_path(c["iri"])
        if path:
            html(path, "class.html", pages.class_page(site, c["iri"], lang), "class")
    entities = [(iri, local_path(iri)) for iri in sorted(site.pages)
                if local_path(iri).startswith(("/id/", "/source/"))]
    _draw_ahead(site, lang, entities)
    for iri, path in entities:
        html(path, "entity.html", pages.entity(site, iri, lang, StaticLinker(path)), "entity")
        node = ox.NamedNode(iri)
        quads = list(graph_quads(site.store, node)) + list(graph_quads(site.store, None, None,
                                                                       node))
        write(path, serialize_quads(canonical(quads), "turtle"), ext=".ttl")
    html("/graph", "graphs.html", pages.graphs_index(site, lang), "graph")
    for graph in site.graphs:
        path = local_path(graph)
        html(path, "graph.html", pages.graph_page(site, graph, lang), "graph")
        quads = list(site.store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        write(path, serialize_quads(canonical(quads), "turtle"), ext=".ttl")
    html("/ontology", "ontology.html", ontology_pages.index(site, lang), "ontology")
    for term, _kind in ontology_pages.terms(site):
        path = local_path(term)
        html(path, "term.html", ontology_pages.term_page(site, term, lang, StaticLinker(path)),
             "ontology")
    write("/ontology", serialize_quads(
        [q for q in site.store.quads_for_pattern(None, None, None,
                                                 ox.NamedNode(iris.GRAPH_ONTOLOGY))
         if getattr(q.subject, "value", "").startswith(iris.BASE + "ontology")], "turtle"),
        ext=".ttl")
    _queries(site, lang, timeout, html, write)
    for name in ("style.css", "favicon.svg"):
        (out / "static").mkdir(parents=True, exist_ok=True)
        (out / "static" / name).write_bytes(_asset(name))
    return counts


def _draw_ahead(site: Site, lang: str, entities: list[tuple[str, str]]) -> None:
    """Draw the entities' diagrams in threads before their pages are written: each diagram
    waits for its own ``dot`` process, so several can run at once (the pages then find them
    in the diagrams' cache; one that is not there is drawn again when its page is)."""
    from concurrent.futures import ThreadPoolExecutor

    from . import diagrams

    if not diagrams.available():
        return
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        list(pool.map(lambda entity: diagrams.neighbourhood_svg(
            site, entity[0], lang, StaticLinker(entity[1])), entities[:diagrams.CACHE_SIZE]))


def _queries(site: Site, lang: str, timeout: float, html, write) -> None:
    from ..engine import run_query
    from ..errors import QueryError

    html("/queries", "queries.html", {"title": "Stored queries",
                                      "queries": list(site.catalogue.values())}, "query")
    for name, query in site.catalogue.items():
        result, error = None, None
        missing = [p for p, spec in query.params.items() if spec.required]
        if not query.service and not missing:
            try:
                result = run_query(site.built, query, {}, lang=lang, timeout=timeout,
                                   max_rows=site.settings.max_rows)
            except QueryError as e:
                error = str(e)
        path = f"/queries/{name}"
        html(path, "query.html", query_page(site, query, {}, result, error, lang), "query")
        if result is not None:
            for fmt in downloads(query):
                write(path, render(result, fmt.name), ext=fmt.extension)


def _asset(name: str) -> bytes:
    return resources.files("missions_kg.server").joinpath("static", name).read_bytes()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        for key, value in attrs:
            if key in ("href", "src", "xlink:href") and value:
                self.links.append(value)
            if key == "id" and value:
                self.ids.add(value)


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def check_links(out: Path) -> list[str]:
    """Every internal link of every page of the site at ``out`` that leads nowhere, as
    ``page: link``."""
    parsed: dict[Path, _Links] = {}

    def parse(page: Path) -> _Links:
        if page not in parsed:
            parser = _Links()
            parser.feed(page.read_text(encoding="utf-8"))
            parsed[page] = parser
        return parsed[page]

    broken = []
    for page in sorted(out.rglob("*.html")):
        for link in parse(page).links:
            if _SCHEME.match(link) or link.startswith("//"):
                continue
            parts = urlsplit(link)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            inside = str(target).startswith(str(out.resolve()) + os.sep)
            if not inside or not target.is_file():
                broken.append(f"{page.relative_to(out)}: {link}")
            elif parts.fragment and target.suffix == ".html" and \
                    unquote(parts.fragment) not in parse(target).ids:
                broken.append(f"{page.relative_to(out)}: {link} (no such #fragment)")
    return broken
