"""What every page of the server and of the static site reads, loaded once per build.

:class:`Site` holds the build, its store (the parent's copy, for pages: reading quads is
quick and bounded; queries run in worker processes, see :mod:`.pool`), the stored-query
catalogue, the graphs, the conflicts the ``disagreements`` stored query finds (the one
definition of a conflict, so pages highlight exactly what that query lists), a folded label
index for search, and the validators of HTTP caching (ETag from the build key,
Last-Modified from the build file).
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from dataclasses import dataclass, field
from email.utils import formatdate

import pyoxigraph as ox

from .. import __version__, iris
from ..description import _fold as fold  # the one accent- and case-folding of labels
from ..labels import LABEL_PREDICATES, LANGUAGES, Labeller
from ..store import graph_quads, open_store

#: Path prefixes of the project's own IRIs that have a page here, and their route.
LOCAL_SPACES = {iris.ID: "id", iris.SOURCE: "source"}
#: Graphs that are not a source: shown with these names on badges.
SPECIAL_GRAPHS = ("curation", "links", "ontology", "inferred", "sources")
#: The kinds of ontology term that have a page, by their OWL class.
TERM_KINDS = {iris.OWL + "Class": "class", iris.OWL + "ObjectProperty": "object property",
              iris.OWL + "DatatypeProperty": "datatype property",
              iris.OWL + "AnnotationProperty": "annotation property"}


@dataclass
class Settings:
    """How the server runs: limits, the public base URL, CORS origins."""

    #: the public URL the server's root stands for (``https://w3id.org/missions-kg/``: then
    #: ``…/id/x`` is served at ``/id/x``); absolute URLs use it ("" = as requested)
    base: str = ""
    timeout: float = 10.0
    max_rows: int = 10_000
    max_body: int = 16 * 1024 * 1024  # bytes of one response
    max_request: int = 256 * 1024  # bytes of one query (GET parameter or POST body)
    workers: int = 2
    max_memory: int | None = None  # bytes per worker (None: the command's ceiling, if any)
    cors: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """The rules for any caller of :func:`~missions_kg.server.app.create_app`, not only
        ``serve``: explicit CORS origins, an http(s) base ending in ``/``."""
        from ..errors import UsageError

        for origin in self.cors:
            if origin.strip() in ("*", ""):
                raise UsageError("--cors needs explicit origins (https://example.org), not '*'")
            if not origin.startswith(("http://", "https://")):
                raise UsageError(f"--cors {origin!r}: an origin is scheme://host[:port]")
        if self.base:
            if not self.base.startswith(("http://", "https://")):
                raise UsageError(f"--base {self.base!r}: give an http(s) URL")
            self.base = self.base.rstrip("/") + "/"


@dataclass
class Site:
    """A build, read once for every page (see the module docstring)."""

    built: object
    catalogue: dict
    settings: Settings = field(default_factory=Settings)

    def __post_init__(self) -> None:
        self.store = open_store(self.built)
        self.graphs = sorted(self.built.graphs)
        self.etag_seed = hashlib.sha256(
            f"{self.built.key}|{__version__}|{self.settings}".encode()).hexdigest()[:20]
        mtime = os.stat(self.built.nquads_path).st_mtime
        self.last_modified = formatdate(mtime, usegmt=True)
        self._labellers: dict[str, Labeller] = {}
        self.pages = self._pages()
        self.conflicts = self._conflicts()
        self.search_index = self._search_index()

    # -- labels ----------------------------------------------------------------------------
    def labeller(self, lang: str) -> Labeller:
        lang = lang if lang in LANGUAGES else "en"
        if lang not in self._labellers:
            self._labellers[lang] = Labeller(self.store, lang)
        return self._labellers[lang]

    # -- IRIs and graphs -------------------------------------------------------------------
    def graph_name(self, graph_iri: str) -> str:
        """``…/graph/seed-001-x`` → ``seed-001-x`` (the name in ``/graph/{name}``)."""
        return graph_iri.removeprefix(iris.GRAPH)

    def graph_iri(self, name: str) -> str | None:
        candidate = iris.GRAPH + name
        return candidate if candidate in self.built.graphs else None

    def is_source_graph(self, graph_iri: str) -> bool:
        return self.graph_name(graph_iri) not in SPECIAL_GRAPHS

    def exists(self, iri: str) -> bool:
        """Is ``iri`` named in any named graph (as subject or object)?"""
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            return False
        return (next(graph_quads(self.store, node), None) is not None
                or next(graph_quads(self.store, None, None, node), None) is not None)

    # -- conflicts -------------------------------------------------------------------------
    def _conflicts(self) -> dict[tuple[str, str], set]:
        """(subject IRI, property IRI) → the rival values, from the ``disagreements`` query."""
        found: dict[tuple[str, str], set] = defaultdict(set)
        query = self.catalogue.get("disagreements")
        if query is None:
            return found
        from ..engine import run_query

        result = run_query(self.built, query, timeout=60, max_rows=100_000)
        names = result.vars
        for row in result.rows:
            cell = dict(zip(names, row, strict=True))
            subject, prop, value = cell.get("subject"), cell.get("property"), cell.get("value")
            if subject is None or prop is None or value is None:
                continue
            found[(subject.value, expand(prop.value))].add(value)
        return found

    def conflict_values(self, subject: str, prop: str) -> set:
        return self.conflicts.get((subject, prop), set())

    # -- search ----------------------------------------------------------------------------
    def _search_index(self) -> list[tuple[str, str, str]]:
        """(folded label, label, IRI) for every label of every IRI with a page."""
        out = set()
        for pred in LABEL_PREDICATES:
            for q in graph_quads(self.store, None, ox.NamedNode(pred)):
                if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal) \
                        and q.subject.value in self.pages:
                    out.add((fold(q.object.value), q.object.value, q.subject.value))
        return sorted(out)

    def search(self, text: str, limit: int = 50) -> list[tuple[str, list[str]]]:
        """IRIs whose label contains ``text`` (accents and case ignored), exact matches
        first: [(IRI, matching labels)]."""
        wanted = fold(text.strip())
        if not wanted:
            return []
        hits: dict[str, list[str]] = {}
        exact: set[str] = set()
        for folded, label, iri in self.search_index:
            if wanted in folded:
                hits.setdefault(iri, [])
                if label not in hits[iri]:
                    hits[iri].append(label)
                if folded == wanted:
                    exact.add(iri)
        ranked = sorted(hits.items(), key=lambda kv: (kv[0] not in exact, fold(kv[1][0]), kv[0]))
        return ranked[:limit]

    # -- which IRIs have a page -------------------------------------------------------------
    def _pages(self) -> set[str]:
        """IRIs with a page: entities and sources named anywhere in a named graph, the
        ontology's declared ``mkg:`` terms, the graphs."""
        found = set(self.built.graphs)
        for q in graph_quads(self.store):
            for term in (q.subject, q.object):
                if isinstance(term, ox.NamedNode) and term.value.startswith(
                        tuple(LOCAL_SPACES)):
                    found.add(term.value)
        for q in self.store.quads_for_pattern(None, ox.NamedNode(iris.RDF + "type"), None,
                                              ox.NamedNode(iris.GRAPH_ONTOLOGY)):
            if q.object.value in TERM_KINDS and isinstance(q.subject, ox.NamedNode) \
                    and q.subject.value.startswith(iris.ONTOLOGY):
                found.add(q.subject.value)
        return found

    def page_path(self, iri: str) -> str | None:
        """The path of ``iri``'s page here, or None when it has none."""
        return local_path(iri) if iri in self.pages else None


def expand(curie_or_iri: str) -> str:
    prefix, sep, local = curie_or_iri.partition(":")
    if sep and prefix in iris.PREFIXES and not local.startswith("//"):
        return iris.PREFIXES[prefix] + local
    return curie_or_iri


def local_path(iri: str) -> str | None:
    """The server path of a project IRI with a page (``/id/slug``, ``/source/slug``,
    ``/ontology/Term``, ``/graph/name``), else None."""
    for space, route in LOCAL_SPACES.items():
        if iri.startswith(space) and len(iri) > len(space):
            return f"/{route}/{iri[len(space):]}"
    if iri.startswith(iris.ONTOLOGY) and len(iri) > len(iris.ONTOLOGY):
        return f"/ontology/{iri[len(iris.ONTOLOGY):]}"
    if iri.startswith(iris.GRAPH) and len(iri) > len(iris.GRAPH):
        return f"/graph/{iri[len(iris.GRAPH):]}"
    return None
