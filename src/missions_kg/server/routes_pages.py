"""Linked Data pages: the home page, label search, entities (``/id/{slug}``,
``/source/{slug}``), classes, source graphs and the ontology, each as HTML for browsers and
as RDF by ``Accept`` (or by extension: ``/id/x.ttl``), with ``Link: rel=alternate``."""

from __future__ import annotations

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from .. import iris
from ..exports import canonical
from ..serialize import serialize_quads
from ..store import graph_quads
from . import ontology_pages, pages
from .http import HTML, choose, extension_of, link_alternates, offers
from .responses import data, error_response, linker, not_acceptable, page, root_path, site_of

RDF_NAMES = None  # every rdf format of the registry


def routes() -> list:
    return [
        Route("/", home, methods=["GET"]),
        Route("/search", search, methods=["GET"]),
        Route("/id/{slug}", entity, methods=["GET"]),
        Route("/source/{slug}", entity, methods=["GET"]),
        Route("/class/{prefix}/{local}", class_page, methods=["GET"]),
        Route("/graph", graphs_index, methods=["GET"]),
        Route("/graph/{name:path}", graph, methods=["GET"]),
        Route("/ontology", ontology, methods=["GET"]),
        Route("/ontology.{ext}", ontology, methods=["GET"]),
        Route("/ontology/{term}", term, methods=["GET"]),
        Route("/static/{name}", asset, methods=["GET"]),
    ]


#: The vendored assets, read once from the package (no CDN; no guessing of media types
#: from the system's mime.types, which the sandbox would not let us read anyway).
ASSET_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
               ".svg": "image/svg+xml"}
_ASSETS: dict[str, tuple[bytes, str]] = {}


def _assets() -> dict[str, tuple[bytes, str]]:
    if not _ASSETS:
        from importlib import resources

        for item in resources.files("missions_kg.server").joinpath("static").iterdir():
            kind = ASSET_TYPES.get("." + item.name.rpartition(".")[2])
            if kind and item.is_file():
                _ASSETS[item.name] = (item.read_bytes(), kind)
    return _ASSETS


async def asset(request):
    found = _assets().get(request.path_params["name"])
    if found is None:
        raise HTTPException(404)
    body, kind = found
    return Response(body, media_type=kind, headers={"cache-control": "public, max-age=86400"})


async def home(request):
    site = site_of(request)
    url, lang = linker(request)
    context = await run_in_threadpool(pages.home, site, lang, url)
    return page(request, "home.html", **context)


async def search(request):
    site = site_of(request)
    _, lang = linker(request)
    text = request.query_params.get("q", "")[:200]
    context = await run_in_threadpool(pages.search, site, text, lang)
    return page(request, "search.html", **context)


def _rdf_response(request, quads, base_path: str, ext: str | None, *, filename: str):
    """Quads in the negotiated RDF format, or None when HTML is wanted."""
    media = choose(request, "rdf", RDF_NAMES, page=True, ext=ext)
    if media is None:
        return not_acceptable(request, offers("rdf", RDF_NAMES, page=True))
    if media == HTML:
        return None
    from .http import media_format

    fmt = media_format(media, "rdf")
    body = serialize_quads(canonical(quads), fmt.name)
    prefix = root_path(request)
    return data(body, media, link=link_alternates(prefix + base_path, "rdf", RDF_NAMES,
                                                  page=True),
                filename=filename + fmt.extension)


async def entity(request):
    site = site_of(request)
    space = iris.SOURCE if request.url.path.removeprefix(
        root_path(request)).startswith("/source/") else iris.ID
    slug, ext = extension_of(request.path_params["slug"], "rdf")
    iri = space + slug
    route = "/source/" if space == iris.SOURCE else "/id/"
    if not site.exists(iri):
        raise HTTPException(404)
    node = ox.NamedNode(iri)
    quads = list(graph_quads(site.store, node)) + list(graph_quads(site.store, None, None, node))
    rdf = _rdf_response(request, quads, route + slug, ext, filename=slug)
    if rdf is not None:
        return rdf
    url, lang = linker(request)
    try:
        context = await run_in_threadpool(pages.entity, site, iri, lang, url)
    except LookupError:
        raise HTTPException(404) from None
    prefix = root_path(request)
    return page(request, "entity.html", headers={"link": link_alternates(
        prefix + route + slug, "rdf", RDF_NAMES, page=True)}, **context)


async def class_page(request):
    site = site_of(request)
    prefix, local = request.path_params["prefix"], request.path_params["local"]
    if prefix not in iris.PREFIXES:
        raise HTTPException(404)
    cls = iris.PREFIXES[prefix] + local
    _, lang = linker(request)
    context = await run_in_threadpool(pages.class_page, site, cls, lang)
    if not context["members"]:
        raise HTTPException(404)
    return page(request, "class.html", **context)


async def graphs_index(request):
    _, lang = linker(request)
    return page(request, "graphs.html", **pages.graphs_index(site_of(request), lang))


async def graph(request):
    site = site_of(request)
    name, ext = extension_of(request.path_params["name"], "rdf")
    graph_iri = site.graph_iri(name)
    if graph_iri is None:
        raise HTTPException(404)
    quads = list(site.store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri)))
    rdf = _rdf_response(request, quads, f"/graph/{name}", ext, filename=name.replace("/", "-"))
    if rdf is not None:
        return rdf
    _, lang = linker(request)
    context = await run_in_threadpool(pages.graph_page, site, graph_iri, lang)
    prefix = root_path(request)
    return page(request, "graph.html", headers={"link": link_alternates(
        prefix + f"/graph/{name}", "rdf", RDF_NAMES, page=True)}, **context)


async def ontology(request):
    site = site_of(request)
    quads = list(site.store.quads_for_pattern(None, None, None,
                                              ox.NamedNode(iris.GRAPH_ONTOLOGY)))
    quads = [q for q in quads if _in_ontology(q)]
    rdf = _rdf_response(request, quads, "/ontology", request.path_params.get("ext"),
                        filename="mkg")
    if rdf is not None:
        return rdf
    _, lang = linker(request)
    context = await run_in_threadpool(ontology_pages.index, site, lang)
    return page(request, "ontology.html", **context)


def _in_ontology(quad) -> bool:
    """Triples about our own terms (the schema.org slice stays out of /ontology)."""
    value = getattr(quad.subject, "value", "")
    return value.startswith(iris.ONTOLOGY) or value == iris.BASE + "ontology"


async def term(request):
    site = site_of(request)
    name, ext = extension_of(request.path_params["term"], "rdf")
    iri = iris.ONTOLOGY + name
    url, lang = linker(request)
    node = ox.NamedNode(iri)
    quads = list(site.store.quads_for_pattern(node, None, None,
                                              ox.NamedNode(iris.GRAPH_ONTOLOGY)))
    if not quads:
        raise HTTPException(404)
    rdf = _rdf_response(request, quads, f"/ontology/{name}", ext, filename=name)
    if rdf is not None:
        return rdf
    context = await run_in_threadpool(ontology_pages.term_page, site, iri, lang, url)
    if context is None:
        return error_response(request, 404, f"mkg:{name} is not a term of the ontology")
    return page(request, "term.html", **context)
