"""Responses every route builds the same way: a page in the reader's language with links
that keep it, an RDF or results body with its ``Link`` alternates, and errors that say
what went wrong in one plain line (HTML with a search box for browsers)."""

from __future__ import annotations

from starlette.responses import Response

from .http import HTML, negotiate, pick_language, public_message
from .render import ServerLinker, render_page


def root_path(request) -> str:
    """The path the application is mounted at (ASGI ``root_path``; "" at the root)."""
    return request.scope.get("root_path", "").rstrip("/")


def site_of(request):
    return request.app.state.site


def linker(request) -> tuple[ServerLinker, str]:
    """The page's linker and language (``?lang=`` kept in links only when chosen)."""
    lang, explicit = pick_language(request)
    return ServerLinker(root_path(request), lang if explicit else None), lang


def page(request, template: str, *, status: int = 200, headers: dict | None = None,
         **context) -> Response:
    url, lang = linker(request)
    path = request.url.path.removeprefix(root_path(request)) or "/"
    body = render_page(template, url=url, lang=lang, path=path,
                       params=dict(request.query_params), **context)
    response = Response(body, status_code=status, media_type="text/html; charset=utf-8")
    response.headers.update(headers or {})
    response.headers["content-language"] = lang
    return response


def data(body: bytes, media_type: str, *, link: str | None = None,
         status: int = 200, filename: str | None = None) -> Response:
    charset = "" if "charset" in media_type or not _textual(media_type) else "; charset=utf-8"
    response = Response(body, status_code=status, media_type=media_type + charset)
    if link:
        response.headers["link"] = link
    if filename:
        response.headers["content-disposition"] = f'inline; filename="{filename}"'
    return response


def _textual(media_type: str) -> bool:
    return media_type.startswith("text/") or media_type.endswith(("json", "xml", "turtle",
                                                                  "trig", "triples", "quads"))


def error_response(request, status: int, message: str) -> Response:
    """One plain line (``text/plain``), or for browsers the error page with a search box."""
    roots = getattr(request.app.state, "roots", ())
    message = public_message(message, roots)
    if negotiate(request.headers.get("accept"), ["text/plain", HTML]) == HTML:
        try:
            return page(request, "error.html", status=status, message=message,
                        title=f"{status} {_reason(status)}")
        except Exception:  # the error page itself must never fail with a traceback
            pass
    return Response(message + "\n", status_code=status, media_type="text/plain; charset=utf-8")


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def not_acceptable(request, offered: list[str]) -> Response:
    return error_response(request, 406, "None of the formats in Accept is available here; "
                          "available: " + ", ".join(offered))
