"""The one registry of formats: names, kinds, media types, file extensions and aliases.

Like rdflib's plugin registry, a format is keyed by ``(kind, name)``, so the same name can
mean two things: ``query -f xml`` is SPARQL XML results (kind ``results``), ``export -f xml``
is RDF/XML (kind ``rdf``). The CLI builds its ``--format`` choices and help from here, and the
server its content negotiation. Optional parts register their own formats: the Wikidata
exports live in :mod:`missions_kg.wikidata.formats`, loaded by name on first use (so this
module, and the export module, never import them).

Kinds: ``results`` (SELECT/ASK answers), ``rdf`` (graphs and datasets), ``export`` (the
``rdf`` formats plus exports that are not RDF, such as QuickStatements), ``report``
(validation reports), ``listing`` (``links``) and ``catalogue`` (``queries``).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from .errors import UsageError

KINDS = ("results", "rdf", "export", "report", "listing", "catalogue")
#: Modules that register more formats when imported (rdflib's entry points, in small).
PLUGINS = ("missions_kg.wikidata.formats",)


@dataclass(frozen=True)
class Format:
    """One format of one kind. ``writer`` (``"module:function"``) is for plugin formats."""

    name: str
    kind: str
    media_type: str
    extension: str
    aliases: tuple[str, ...] = ()
    keeps_graphs: bool = False  # rdf: carries named graphs (TriG, N-Quads, JSON-LD)
    summary: str = ""
    writer: str | None = None

    def load_writer(self):
        module, _, attr = (self.writer or "").partition(":")
        return getattr(importlib.import_module(module), attr)


_REGISTRY: dict[tuple[str, str], Format] = {}
_ALIASES: dict[tuple[str, str], str] = {}
_PLUGINS_LOADED = False


def register(fmt: Format) -> None:
    """Add a format (and its aliases) under its kind; ``rdf`` formats are ``export`` ones too."""
    kinds = (fmt.kind, "export") if fmt.kind == "rdf" else (fmt.kind,)
    for kind in kinds:
        _REGISTRY[(kind, fmt.name)] = fmt
        for alias in (fmt.name, *fmt.aliases):
            _ALIASES[(kind, alias.lower())] = fmt.name


def _load_plugins() -> None:
    global _PLUGINS_LOADED
    if not _PLUGINS_LOADED:
        _PLUGINS_LOADED = True
        for module in PLUGINS:
            importlib.import_module(module)


def formats(kind: str) -> list[Format]:
    """Every format of ``kind``, in registration order."""
    if kind == "export":
        _load_plugins()
    return [f for (k, _), f in _REGISTRY.items() if k == kind]


def names(kind: str, *, aliases: bool = False) -> list[str]:
    """Canonical names (and, with ``aliases``, every accepted spelling) of ``kind``."""
    out = [f.name for f in formats(kind)]
    if aliases:
        out += [a for (k, a), _ in _ALIASES.items() if k == kind and a not in out]
    return out


def get(name: str, kind: str) -> Format:
    """The format ``name`` (or an alias, any case) of ``kind``, else UsageError listing them."""
    if kind == "export":
        _load_plugins()
    canonical = _ALIASES.get((kind, name.lower()))
    if canonical is None:
        raise UsageError(f"unknown {kind} format {name!r} (use {', '.join(names(kind))})")
    return _REGISTRY[(kind, canonical)]


def by_media_type(media_type: str, kind: str) -> Format | None:
    media_type = media_type.split(";")[0].strip().lower()
    return next((f for f in formats(kind) if f.media_type == media_type), None)


def help_text(kind: str) -> str:
    """``name (summary)`` for each format of ``kind``, for ``--format`` help."""
    return "; ".join(f"{f.name}" + (f" ({f.summary})" if f.summary else "")
                     for f in formats(kind))


_SPARQL = "application/sparql-results+"
for _f in (
    Format("table", "results", "text/plain", ".txt", ("text",), summary="aligned text"),
    Format("csv", "results", "text/csv", ".csv"),
    Format("tsv", "results", "text/tab-separated-values", ".tsv"),
    Format("json", "results", _SPARQL + "json", ".srj", summary="SPARQL JSON results"),
    Format("xml", "results", _SPARQL + "xml", ".srx", summary="SPARQL XML results"),
    Format("turtle", "rdf", "text/turtle", ".ttl", ("ttl",)),
    Format("trig", "rdf", "application/trig", ".trig", keeps_graphs=True),
    Format("ntriples", "rdf", "application/n-triples", ".nt", ("nt", "n-triples")),
    Format("nquads", "rdf", "application/n-quads", ".nq", ("nq", "n-quads"), keeps_graphs=True),
    Format("xml", "rdf", "application/rdf+xml", ".rdf", ("rdfxml", "rdf/xml", "rdf-xml"),
           summary="RDF/XML"),
    Format("jsonld", "rdf", "application/ld+json", ".jsonld", ("json-ld",), keeps_graphs=True,
           summary="JSON-LD with the shipped context"),
    Format("text", "report", "text/plain", ".txt", ("table",)),
    Format("json", "report", "application/json", ".json"),
    Format("turtle", "report", "text/turtle", ".ttl", ("ttl",),
           summary="a SHACL ValidationReport"),
    Format("text", "listing", "text/plain", ".txt", ("table",)),
    Format("tsv", "listing", "text/tab-separated-values", ".tsv"),
    Format("json", "listing", "application/json", ".json"),
    Format("text", "catalogue", "text/plain", ".txt", ("table",)),
    Format("json", "catalogue", "application/json", ".json", summary="every header, as data"),
    Format("markdown", "catalogue", "text/markdown", ".md", ("md",),
           summary="the tables of queries/README.md"),
):
    register(_f)
