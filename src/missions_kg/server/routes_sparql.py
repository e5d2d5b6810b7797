"""The SPARQL 1.1 Protocol at ``/sparql`` (query only), its Service Description, the editor
page, and the VoID / DCAT description at ``/.well-known/void``.

A query is checked in the server by the one static check
(:func:`missions_kg.safety.check_query_text`, with ``FROM`` / ``FROM NAMED`` allowed for the
dataset's own graphs), then run in a worker process (:mod:`.pool`) under the timeout, the
row cap and the memory ceiling. Refusals are ``403`` (Update, ``LOAD``, ``SERVICE``,
``FROM`` outside the dataset), bad requests ``400``, a query stopped by a limit ``503``.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.routing import Route

from .. import iris
from ..engine import QueryTimeout
from ..errors import QueryError
from ..results import render
from ..safety import check_query_text
from ..serialize import serialize_quads
from . import void
from .http import HTML, choose, link_alternates, media_format, offers
from .pool import WorkerGone
from .responses import data, error_response, linker, not_acceptable, page, root_path, site_of
from .tables import result_table

RESULT_NAMES = ["json", "xml", "csv", "tsv", "table"]
GRAPH_NAMES = ["turtle", "jsonld", "ntriples", "xml"]
FORM = "application/x-www-form-urlencoded"
EDITOR_PREFIXES = ("schema", "mkg", "mkgid", "mkgg", "src", "prov", "rdf", "rdfs", "xsd",
                   "skos", "owl", "wd")


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def routes() -> list:
    return [Route("/sparql", sparql, methods=["GET", "POST"]),
            Route("/.well-known/void", void_page, methods=["GET"]),
            Route("/.well-known/void.{ext}", void_page, methods=["GET"])]


def public_base(request) -> str:
    base = request.app.state.settings.base
    return base if base.endswith("/") and base else (base + "/" if base else
                                                      str(request.base_url))


async def _params(request) -> dict[str, list[str]]:
    """Protocol parameters from the URL and, for POST, the body (size-capped)."""
    limit = request.app.state.settings.max_request
    params = parse_qs(request.url.query, keep_blank_values=True)
    if len(request.url.query) > limit:
        raise Refused(414, f"the query string is over {limit} bytes")
    if request.method == "POST":
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise Refused(413, f"the request body is over {limit} bytes")
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == FORM:
            for key, values in parse_qs(body.decode("utf-8", "replace"),
                                        keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        elif kind == "application/sparql-query":
            params.setdefault("query", []).append(body.decode("utf-8", "replace"))
        elif kind == "application/sparql-update":
            raise Refused(403, "SPARQL Update is refused: this endpoint is read-only")
        else:
            raise Refused(415, "POST a query as application/sparql-query or as the form "
                          f"field 'query' ({FORM})")
    return params


async def sparql(request):
    try:
        params = await _params(request)
        if "update" in params:
            raise Refused(403, "SPARQL Update is refused: this endpoint is read-only")
        queries = params.get("query", [])
        if len(queries) > 1:
            raise Refused(400, "give one 'query' parameter, not several")
        if not queries:
            return description(request)
        return await run_sparql(request, queries[0], params)
    except Refused as e:
        return error_response(request, e.status, e.message)


def _dataset(site, params, name: str) -> list[str] | None:
    given = params.get(name)
    if not given:
        return None
    for g in given:
        if g not in site.built.graphs:
            raise Refused(400, f"{name} <{g}> is not a graph of this dataset (see "
                          "/.well-known/void for its graphs)")
    return list(dict.fromkeys(given))


async def run_sparql(request, text: str, params):
    site = site_of(request)
    settings = request.app.state.settings
    if not text.strip():
        raise Refused(400, "the query is empty")
    try:
        shape = check_query_text(text, allow_from=site.graphs)
    except QueryError as e:
        refused = "refused" in e.message or "not a graph of this dataset" in e.message
        raise Refused(403 if refused else 400, str(e)) from None
    default_graphs = _dataset(site, params, "default-graph-uri")
    named_graphs = _dataset(site, params, "named-graph-uri")
    graph = shape.form in ("CONSTRUCT", "DESCRIBE")
    kind, names = ("rdf", GRAPH_NAMES) if graph else ("results", RESULT_NAMES)
    media = choose(request, kind, names, page=True, data_first=True)
    if media is None:
        return not_acceptable(request, offers(kind, names, page=True))
    job = ("sparql", text, shape.form, default_graphs, named_graphs, settings.max_rows)
    try:
        result = await request.app.state.pool.run(job, settings.timeout)
    except (QueryTimeout, WorkerGone) as e:
        raise Refused(503, str(e)) from None
    except QueryError as e:
        raise Refused(400, str(e)) from None
    if media == HTML:
        return editor(request, text, result=result)
    fmt = media_format(media, kind)
    try:
        body = render(result, fmt.name)
    except QueryError as e:
        raise Refused(400, str(e)) from None
    except Exception as e:  # a value the format cannot carry (XML), told plainly
        raise Refused(406, f"this answer cannot be written as {fmt.name}: "
                      f"{getattr(e, 'message', type(e).__name__)}") from None
    if len(body) > settings.max_body:
        cap = settings.max_body
        shown = f"{cap // (1024 * 1024)} MB" if cap >= 1024 * 1024 else f"{cap} bytes"
        raise Refused(503, f"the answer is over the {shown} response cap; add LIMIT or "
                      "narrow the query")
    response = data(body, media)
    if result.truncated:
        response.headers["x-missions-kg-truncated"] = f"max-rows={settings.max_rows}"
    return response


def description(request):
    """``/sparql`` without a query: the editor for browsers, else the Service Description."""
    media = choose(request, "rdf", GRAPH_NAMES, page=True, data_first=True)
    if media == HTML:
        return editor(request)
    if media is None:
        return not_acceptable(request, offers("rdf", GRAPH_NAMES, page=True))
    site = site_of(request)
    fmt = media_format(media, "rdf")
    body = serialize_quads(void.service_description(site, public_base(request)), fmt.name)
    return data(body, media)


def editor(request, text: str | None = None, *, result=None):
    """The SPARQL editor: a textarea with the predeclared prefixes, the stored queries as
    examples, and (after a run) the answer as a table with links."""
    site = site_of(request)
    prefixes = "".join(f"PREFIX {p}: <{iris.PREFIXES[p]}>\n" for p in EDITOR_PREFIXES)
    examples = [{"name": q.name, "summary": q.summary, "text": q.text}
                for q in site.catalogue.values() if not q.service]
    chosen = request.query_params.get("example")
    if text is None and chosen:
        text = next((e["text"] for e in examples if e["name"] == chosen), None)
    if text is None:
        text = prefixes + "\nSELECT ?character ?name WHERE {\n  ?character a mkg:" \
            "FictionalCharacter ;\n             schema:name ?name .\n} ORDER BY ?name\nLIMIT 20\n"
    _, lang = linker(request)
    table = result_table(site, result, lang) if result is not None else None
    return page(request, "editor.html", title="SPARQL editor", text=text, examples=examples,
                table=table, prefixes=prefixes, max_rows=request.app.state.settings.max_rows)


async def void_page(request):
    site = site_of(request)
    media = choose(request, "rdf", GRAPH_NAMES, page=True, ext=request.path_params.get("ext"))
    if media is None:
        return not_acceptable(request, offers("rdf", GRAPH_NAMES, page=True))
    quads = void.dataset_description(site, public_base(request))
    prefix = root_path(request)
    link = link_alternates(prefix + "/.well-known/void", "rdf", GRAPH_NAMES, page=True)
    if media == HTML:
        turtle = serialize_quads(quads, "turtle").decode()
        return page(request, "void.html", title="Dataset description (VoID, DCAT)",
                    turtle=turtle, headers={"link": link})
    fmt = media_format(media, "rdf")
    return data(serialize_quads(quads, fmt.name), media, link=link)
