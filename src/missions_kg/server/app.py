"""The ASGI application: :func:`create_app` for ``missions-kg serve``, tests and any ASGI
server (``uvicorn 'missions_kg.server:create_app' --factory``).

Around the routes (:mod:`.routes_pages`, :mod:`.routes_sparql`, :mod:`.routes_queries`):

* HTTP caching: every ``GET``/``HEAD`` answer is a function of the build, the URL, ``Accept``
  and ``Accept-Language``, so its ``ETag`` is a hash of those (from the build key) and is
  known before any work: a matching ``If-None-Match`` (or ``If-Modified-Since`` at or after
  the build's time) gets ``304`` at once. ``Last-Modified`` is the build file's time.
* ``HEAD`` answers as ``GET`` without the body; ``Vary: Accept, Accept-Language``.
* Errors: one plain line (or a page with a search box for browsers), never a traceback or a
  file path; a bug is ``500 Internal Server Error`` and nothing more.
* CORS only for the origins given (``--cors ORIGIN``); none by default.
"""

from __future__ import annotations

import hashlib
from email.utils import parsedate_to_datetime

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

from .context import Settings, Site
from .responses import error_response

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
     b"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
]


def create_app(project=None, *, settings: Settings | None = None, built=None, **options):
    """The server for ``project`` (default: :meth:`missions_kg.Project.locate`).

    ``settings`` (or keyword ``options`` of :class:`~.context.Settings`: ``base``,
    ``timeout``, ``max_rows``, ``max_body``, ``workers``, ``max_memory``, ``cors``) say how
    it runs. The build and the catalogue are loaded here; the query workers start with the
    application (its lifespan) and stop with it.
    """
    from contextlib import asynccontextmanager

    from .. import Project, build, queries
    from . import routes_pages, routes_queries, routes_sparql
    from .pool import QueryPool

    settings = settings or Settings(**options)
    project = project or Project.locate()
    built = built or build(project)
    site = Site(built, queries(project), settings)
    ceiling = settings.max_memory
    if ceiling is None:
        from .. import limits

        ceiling = limits.current_ceiling()
    pool = QueryPool(built, size=settings.workers, ceiling=ceiling)

    @asynccontextmanager
    async def lifespan(app):
        await pool.start()
        try:
            yield
        finally:
            await pool.close()

    routes = routes_pages.routes() + routes_sparql.routes() + routes_queries.routes()
    middleware = [Middleware(Caching, site=site)]
    if settings.cors:
        middleware.insert(0, Middleware(
            CORSMiddleware, allow_origins=list(settings.cors), allow_methods=["GET", "HEAD",
                                                                              "POST"],
            allow_headers=["Accept", "Accept-Language", "Content-Type", "If-None-Match"],
            expose_headers=["ETag", "Link", "Last-Modified"], max_age=600))
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={HTTPException: _http_error, Exception: _bug})
    app.state.site, app.state.pool, app.state.settings = site, pool, settings
    app.state.roots = (str(project.root), str(project.cache_dir))
    return app


async def _http_error(request, exc: HTTPException) -> Response:
    message = exc.detail if exc.status_code != 404 else (
        f"Nothing here at {request.url.path}: no page, entity, graph or query by that name.")
    response = error_response(request, exc.status_code, str(message))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _bug(request, exc: Exception) -> Response:
    return Response("Internal Server Error\n", status_code=500, media_type="text/plain")


class Caching:
    """ETag / Last-Modified / 304, HEAD without a body, Vary and security headers."""

    def __init__(self, app, site: Site) -> None:
        self.app, self.site = app, site

    def etag(self, scope) -> str:
        headers = dict(scope.get("headers") or [])
        parts = [self.site.etag_seed, scope.get("path", ""),
                 scope.get("query_string", b"").decode("latin-1"),
                 headers.get(b"accept", b"").decode("latin-1"),
                 headers.get(b"accept-language", b"").decode("latin-1")]
        return 'W/"' + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24] + '"'

    def not_modified(self, scope, etag: str) -> bool:
        headers = dict(scope.get("headers") or [])
        match = headers.get(b"if-none-match")
        if match is not None:
            tags = {t.strip() for t in match.decode("latin-1").split(",")}
            return "*" in tags or etag in tags or etag.removeprefix("W/") in tags
        since = headers.get(b"if-modified-since")
        if since is not None:
            try:
                return parsedate_to_datetime(since.decode("latin-1")) >= parsedate_to_datetime(
                    self.site.last_modified)
            except (TypeError, ValueError):
                return False
        return False

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        cacheable = method in ("GET", "HEAD")
        etag = self.etag(scope) if cacheable else None
        if cacheable and self.not_modified(scope, etag):
            await send({"type": "http.response.start", "status": 304,
                        "headers": [(b"etag", etag.encode()),
                                    (b"last-modified", self.site.last_modified.encode()),
                                    (b"vary", b"Accept, Accept-Language")]})
            await send({"type": "http.response.body", "body": b""})
            return
        status = {}

        async def wrapped(message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in (b"etag", b"last-modified")]
                names = {k.lower() for k, _ in headers}
                headers += [h for h in SECURITY_HEADERS if h[0] not in names]
                if cacheable and message["status"] == 200:
                    headers += [(b"etag", etag.encode()),
                                (b"last-modified", self.site.last_modified.encode())]
                if cacheable and b"vary" not in names:
                    headers.append((b"vary", b"Accept, Accept-Language"))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and method == "HEAD":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, wrapped)
