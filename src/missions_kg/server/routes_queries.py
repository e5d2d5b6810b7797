"""The stored-query catalogue: ``/queries`` (HTML; the catalogue as JSON by ``Accept``) and
``/queries/{name}``: its summary and SPARQL, a form for its typed parameters
(:meth:`missions_kg.StoredQuery.bind` checks them), the answer as a table with links, and a
download in every format (``/queries/{name}.csv?param=…``)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.routing import Route

from .. import formats, query_docs
from ..engine import QueryTimeout
from ..errors import QueryError
from ..results import render
from .http import HTML, choose, extension_of, link_alternates, media_format, offers, public_message
from .pool import WorkerGone
from .responses import data, error_response, linker, not_acceptable, page, root_path, site_of
from .tables import result_table

RESERVED = ("lang", "format")


def routes() -> list:
    return [Route("/queries", catalogue, methods=["GET"]),
            Route("/queries.{ext}", catalogue, methods=["GET"]),
            Route("/queries/{name:path}", stored, methods=["GET"])]


async def catalogue(request):
    site = site_of(request)
    media = choose(request, "catalogue", ["json"], page=True, ext=request.path_params.get("ext"))
    if media is None:
        return not_acceptable(request, offers("catalogue", ["json"], page=True))
    prefix = root_path(request)
    link = link_alternates(prefix + "/queries", "catalogue", ["json"], page=True)
    queries = list(site.catalogue.values())
    if media != HTML:
        root = site.built.project.root
        return data(query_docs.to_json(queries, root).encode(), media, link=link)
    return page(request, "queries.html", title="Stored queries", queries=queries,
                headers={"link": link})


def kind_of(query) -> str:
    return "rdf" if query.form in ("CONSTRUCT", "DESCRIBE") else "results"


def downloads(query) -> list[formats.Format]:
    kind = kind_of(query)
    names = ["turtle", "jsonld", "ntriples", "xml"] if kind == "rdf" else [
        "csv", "tsv", "json", "xml", "table"]
    return [formats.get(n, kind) for n in names]


async def run_stored(request, query, values: dict, lang: str):
    """Bind in the server (a bad value is 400 before any worker is used), run in a worker."""
    settings = request.app.state.settings
    from ..lookup import resolver  # names for match parameters (issue 10): resolved as a run does

    query.bind(values, lang=lang, resolve=resolver(site_of(request).built))
    job = ("stored", query, values, lang, settings.max_rows)
    return await request.app.state.pool.run(job, settings.timeout)


async def stored(request):
    site = site_of(request)
    name, ext = extension_of(request.path_params["name"], "results")
    if ext is None:
        name, ext = extension_of(request.path_params["name"], "rdf")
    query = site.catalogue.get(name)
    if query is None:
        raise HTTPException(404)
    _, lang = linker(request)
    values = {k: v for k, v in request.query_params.items() if k not in RESERVED}
    kind = kind_of(query)
    names = [f.name for f in downloads(query)]
    media = choose(request, kind, names, page=True, ext=ext)
    if media is None:
        return not_acceptable(request, offers(kind, names, page=True))
    prefix = root_path(request)
    link = link_alternates(prefix + f"/queries/{name}", kind, names, page=True)
    missing = [p for p, spec in query.params.items() if spec.required and p not in values]
    result, error = None, None
    if not query.service and not missing:
        try:
            result = await run_stored(request, query, values, lang)
        except (QueryTimeout, WorkerGone) as e:
            error = (503, str(e))
        except QueryError as e:
            error = (400, str(e))
    if media != HTML:
        if query.service:
            return error_response(request, 403, f"{name} is a federated query (SERVICE); "
                                  "this server does not call other endpoints")
        if missing:
            return error_response(request, 400, f"{name}: missing parameter {missing[0]}")
        if error:
            return error_response(request, *error)
        fmt = media_format(media, kind)
        body = render(result, fmt.name)
        if len(body) > request.app.state.settings.max_body:
            return error_response(request, 503, "the answer is over the response cap")
        return data(body, media, link=link, filename=name.replace("/", "-") + fmt.extension)
    shown = {k: v for k, v in request.query_params.items() if k != "format"}
    if error:
        error = (error[0], public_message(error[1], request.app.state.roots))
    return page(request, "query.html", status=error[0] if error else 200,
                headers={"link": link}, **query_page(site, query, shown, result,
                                                     error[1] if error else None, lang))


def query_page(site, query, values: dict, result, error: str | None, lang: str) -> dict:
    """The variables of ``query.html`` (shared with the static site)."""
    form = [{"name": p, "type": spec.type, "doc": spec.doc, "default": spec.default,
             "required": spec.required, "min": spec.min, "max": spec.max,
             "value": values.get(p, spec.default or "")} for p, spec in query.params.items()]
    missing = [p for p, spec in query.params.items() if spec.required and p not in values]
    return {"title": query.name, "query": query, "form": form,
            "table": result_table(site, result, lang) if result is not None else None,
            "error": error, "downloads": downloads(query), "values": values,
            "missing": missing}
