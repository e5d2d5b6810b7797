"""Pages from Jinja2 templates, with links that work on the server and in the static site.

A page never writes a URL itself: it asks its :class:`Linker`. :class:`ServerLinker` gives
absolute paths under the server's prefix (and keeps ``?lang=`` when the reader chose a
language); :class:`StaticLinker` gives paths relative to the page's own file
(``../id/x.html``), so the static site works from any folder of any static host.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .. import __version__
from ..labels import LANGUAGES
from ..terms import curie

_ENV: Environment | None = None
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "de": "Deutsch"}


def environment() -> Environment:
    global _ENV
    if _ENV is None:
        _ENV = Environment(loader=PackageLoader("missions_kg.server", "templates"),
                           autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                           trim_blocks=True, lstrip_blocks=True)
        _ENV.filters["curie"] = curie
    return _ENV


class ServerLinker:
    """Links for the running server: ``/prefix/id/x`` (+ ``?lang=fr`` when chosen)."""

    static_site = False

    def __init__(self, prefix: str = "", lang: str | None = None) -> None:
        self.prefix, self.lang = prefix, lang

    def __call__(self, path: str, ext: str = "", params: dict | None = None) -> str:
        path, _, fragment = path.partition("#")
        query = dict(params or {})
        if self.lang and not ext:
            query.setdefault("lang", self.lang)
        out = self.prefix + quote(path + ext, safe="/:@-._~!$&'()*+,;=")
        if query:
            out += "?" + urlencode(query)
        return out + (f"#{fragment}" if fragment else "")

    def asset(self, name: str) -> str:
        return f"{self.prefix}/static/{name}?v={__version__}"

    def with_lang(self, path: str, params: dict, lang: str) -> str:
        return ServerLinker(self.prefix, lang)(path, params={k: v for k, v in params.items()
                                                            if k != "lang"})


class StaticLinker:
    """Links between files of the static site, relative to the page at ``here``."""

    static_site = True

    def __init__(self, here: str) -> None:
        self.here = here

    @staticmethod
    def file_of(path: str, ext: str = "") -> str:
        """``/`` → ``index.html``; ``/id/x`` → ``id/x.html``; with ``ext``: ``id/x.ttl``."""
        path = path.strip("/") or "index"
        return path + (ext or ".html")

    def __call__(self, path: str, ext: str = "", params: dict | None = None) -> str:
        path, _, fragment = path.partition("#")
        return self._relative(self.file_of(path, ext)) + (f"#{fragment}" if fragment else "")

    def _relative(self, target: str) -> str:
        start = posixpath.dirname(self.file_of(self.here))
        return quote(posixpath.relpath(target, start or "."), safe="/:@-._~!$&'()*+,;=")

    def asset(self, name: str) -> str:
        return self._relative(f"static/{name}")

    def with_lang(self, path: str, params: dict, lang: str) -> str:
        return self(path)


def render_page(template: str, *, url, lang: str, path: str = "/", params: dict | None = None,
                **context) -> str:
    """A page: ``template`` with the context every page has (links, language switch)."""
    switch = [(code, LANGUAGE_NAMES[code], url.with_lang(path, params or {}, code))
              for code in LANGUAGES]
    return environment().get_template(template).render(
        url=url, lang=lang, languages=switch, static_site=url.static_site,
        version=__version__, path=path, **context)
