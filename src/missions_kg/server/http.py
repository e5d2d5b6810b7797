"""HTTP plumbing shared by every route: content negotiation from the format registry,
``Accept-Language``, ``Link: rel=alternate`` headers, and error responses that never carry a
traceback or a file path.

Formats come from :mod:`missions_kg.formats` (kinds ``results``, ``rdf``, ``catalogue``): a
route names the kind and the formats it serves, and ``text/html`` when it has a page. A
``?format=NAME`` parameter, or a file extension on the path, wins over ``Accept`` (links
and downloads need a URL per format).
"""

from __future__ import annotations

import re

from .. import formats
from ..labels import LANGUAGES

HTML = "text/html"
#: Media types clients send for the SPARQL formats besides the registry's own.
EXTRA_TYPES = {"application/json": ("results", "json"), "application/xml": ("results", "xml"),
               "text/xml": ("results", "xml"), "application/x-turtle": ("rdf", "turtle"),
               "text/plain": ("rdf", "ntriples"), "application/json+ld": ("rdf", "jsonld")}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``Accept`` as (media range, q) pairs, best first (order kept among equals)."""
    if not header:
        return [("*/*", 1.0)]
    out = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(f[2:])))
                except ValueError:
                    q = 0.0
        out.append((fields[0].lower(), q, i))
    out.sort(key=lambda t: (-t[1], t[2]))
    return [(m, q) for m, q, _ in out if q > 0]


def negotiate(accept: str | None, offers: list[str]) -> str | None:
    """The offered media type the client prefers (the first offer for ``*/*``), or None."""
    for media, _q in parse_accept(accept):
        if media in ("*/*", "*"):
            return offers[0] if offers else None
        if media.endswith("/*"):
            hit = next((o for o in offers if o.startswith(media[:-1])), None)
            if hit:
                return hit
        if media in offers:
            return media
        alias = EXTRA_TYPES.get(media)
        if alias:
            for o in offers:
                fmt = media_format(o)
                if fmt is not None and (fmt.kind, fmt.name) == alias:
                    return o
    return None


def media_format(media: str, kind: str | None = None) -> formats.Format | None:
    kinds = (kind,) if kind else ("results", "rdf", "catalogue")
    for k in kinds:
        found = formats.by_media_type(media, k)
        if found is not None:
            return found
    return None


def offers(kind: str, names: list[str] | None = None, *, page: bool = False,
           data_first: bool = False) -> list[str]:
    """Media types of ``kind`` (only ``names``, in that order, when given), and HTML if the
    route has a page: first (``*/*`` gets the page), or last with ``data_first`` (``*/*``
    gets data: the SPARQL endpoint, for protocol clients)."""
    fmts = formats.formats(kind)
    if names is not None:
        fmts = [formats.get(n, kind) for n in names]
    types = [f.media_type for f in fmts]
    if not page:
        return types
    return types + [HTML] if data_first else [HTML] + types


def choose(request, kind: str, names: list[str] | None = None, *, page: bool = False,
           ext: str | None = None, data_first: bool = False) -> str | None:
    """The media type to answer with: ``ext`` (``ttl``), ``?format=``, then ``Accept``."""
    wanted = ext or request.query_params.get("format")
    available = offers(kind, names, page=page, data_first=data_first)
    if wanted:
        if wanted.lower() == "html" and page:
            return HTML
        for f in formats.formats(kind):
            if wanted.lower() in (f.name, f.extension.lstrip("."), *f.aliases):
                return f.media_type if f.media_type in available else None
        return None
    return negotiate(request.headers.get("accept"), available)


def extension_of(path: str, kind: str) -> tuple[str, str | None]:
    """``cast.csv`` → (``cast``, ``csv``) when ``csv`` is an extension or name of ``kind``."""
    stem, dot, ext = path.rpartition(".")
    if not dot or "/" in ext:
        return path, None
    names = {f.extension.lstrip(".") for f in formats.formats(kind)} | {
        f.name for f in formats.formats(kind)} | {"html"}
    return (stem, ext.lower()) if ext.lower() in names else (path, None)


def link_alternates(url: str, kind: str, names: list[str] | None = None, *,
                    page: bool = False) -> str:
    """A ``Link`` header value naming every other format of this resource (by extension)."""
    fmts = formats.formats(kind) if names is None else [formats.get(n, kind) for n in names]
    links = [f'<{url}{f.extension}>; rel="alternate"; type="{f.media_type}"' for f in fmts]
    if page:
        links.insert(0, f'<{url}>; rel="alternate"; type="text/html"')
    return ", ".join(links)


def pick_language(request) -> tuple[str, bool]:
    """(language, chosen explicitly): ``?lang=`` wins, then ``Accept-Language``, then en."""
    asked = request.query_params.get("lang", "").lower()
    if asked in LANGUAGES:
        return asked, True
    for tag, _q in parse_accept(request.headers.get("accept-language")):
        primary = tag.split("-")[0]
        if primary in LANGUAGES:
            return primary, False
    return "en", False


_ABS_PATH = re.compile(r"(?<![\w:/.\-])/(?:[\w.\-]+/)+([\w.\-]*)")


def public_message(text: str, roots=()) -> str:
    """An error message fit for a stranger: one line, no traceback, no file path."""
    for root in roots:
        text = text.replace(str(root).rstrip("/") + "/", "")
    text = _ABS_PATH.sub(lambda m: m.group(1) or "…", text)
    text = " ".join(text.split())
    return text[:1000]
