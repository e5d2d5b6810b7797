"""Build the dataset once (parse, check, infer) and reuse it while the inputs don't change.

``build(project)`` returns a ``Built``: the N-Quads file of the loaded + inferred dataset
(sorted), the union of its graphs beside it, and for a large project an on-disk store
(:mod:`missions_kg.store`), with lazy views for rdflib and pyoxigraph. On a cache hit nothing
is parsed, no input is read unless its ``stat`` changed (:class:`~missions_kg.cache.StatIndex`)
and rdflib is not imported, so ``query``/``stats``/``describe`` start fast. The cold build is
:mod:`missions_kg.assembly`.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import cache, iris
from .project import Project


@dataclass
class Built:
    """The result of a build; ``graphs`` maps each graph IRI to its triple count."""

    project: Project
    nquads_path: Path
    key: str
    graphs: dict[str, int]
    cache_hit: bool
    seconds: float  # this call
    build_seconds: float  # the build that produced the file (cold)
    inference_seconds: float
    files: list[str] = field(default_factory=list)
    #: what a person should know about the inputs (user data added to a project graph)
    notes: list[str] = field(default_factory=list)
    #: graph IRI -> the input files that write it (project-relative, or a --data path)
    graph_files: dict[str, list[str]] = field(default_factory=dict)
    reasoner: str = "rules"
    _rdflib: object = field(default=None, repr=False)

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())

    @property
    def inferred(self) -> int:
        return self.graphs.get(iris.GRAPH_INFERRED, 0)

    @property
    def union_path(self) -> Path:
        """Every triple of every graph once, N-Triples (ASCII), sorted."""
        from .store import union_path

        return union_path(self.nquads_path)

    def graph_named(self, name: str) -> str | None:
        """The IRI of the graph ``name`` gives: an IRI, a CURIE (``mkgg:press-kit``) or the
        name after ``…/graph/`` (``press-kit``, ``user/my.ttl``); None when no graph is."""
        prefix, _, local = name.partition(":")
        for iri in (name, iris.PREFIXES.get(prefix, "\0") + local, iris.GRAPH + name):
            if iri in self.graphs:
                return iri
        return None

    def graph_hint(self, name: str) -> str:
        """What to try instead of ``name``: the close short names, else all of them (a few
        dozen at most), else how to list them."""
        import difflib

        short = sorted(g.removeprefix(iris.GRAPH) for g in self.graphs)
        close = difflib.get_close_matches(name.removeprefix("mkgg:"), short, n=3, cutoff=0.5)
        if close:
            return f"did you mean {', '.join(close)}?"
        if len(short) <= 30:
            return f"graphs: {', '.join(short)}"
        return "`missions-kg query sources` lists the source graphs; or give the graph's IRI"

    def iter_quads(self) -> Iterator[ox.Quad]:
        """The quads, sorted, one at a time (no list of a million quads)."""
        return ox.parse(path=self.nquads_path, format=ox.RdfFormat.N_QUADS)

    def quads(self) -> list[ox.Quad]:
        return list(self.iter_quads())

    def rdflib_dataset(self):
        """The dataset in rdflib (:func:`missions_kg.store.rdflib_dataset`), made once."""
        if self._rdflib is None:
            from .store import rdflib_dataset

            self._rdflib = rdflib_dataset(self.iter_quads())
        return self._rdflib


def _inputs(project: Project, extra_data) -> list[tuple[str, Path, str]]:
    """(name, path, kind) of every input, in a stable order."""
    items = [(project.relative(p), p, "ontology") for p in project.ontology_files()]
    items += [(project.relative(p), p, "data") for p in project.data_files()]
    items += [(f"user:{Path(p)}", Path(p), "user") for p in extra_data]
    return items


def _hashes(items, index: cache.StatIndex) -> list[tuple[str, str]]:
    """(name, SHA-256) of every input; an unchanged file is not read (see the index)."""
    from .errors import InputError
    from .loading import user_format

    out = []
    for name, path, kind in items:
        if kind == "user":
            user_format(path)  # refuse URLs, RDF/XML, unknown formats before reading
        try:
            out.append((name, index.digest(path)))
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None
    return out


def build(project: Project | None = None, *, extra_data=(), force: bool = False) -> Built:
    """Load, check and infer the project (plus ``extra_data`` files), or reuse the cache.
    ``project`` defaults to :meth:`Project.locate` (``--root``'s rules without a root)."""
    start = time.perf_counter()
    project = project or Project.locate()
    items = _inputs(project, extra_data)
    if not any(kind == "data" for _, _, kind in items):
        from .errors import ProjectError

        raise ProjectError(f"no data/*.trig files in {project.root}",
                           hint="add a TriG file with GRAPH blocks under data/")
    index = cache.StatIndex.of(project.cache_dir)
    try:
        key = cache.input_key(_hashes(items, index), index)
        path = cache.path_for(project.cache_dir, key)
        meta = None if force else cache.read_meta(path, key, index)
        if meta is None or not _siblings_ok(path):
            meta = _build(project, items, key, path, index)
            hit, path = False, Path(meta.pop("path", path))
        else:
            hit = True
    finally:
        index.save()
    return Built(project, path, key, meta["graphs"], hit, time.perf_counter() - start,
                 meta["build_seconds"], meta["inference_seconds"], meta.get("files", []),
                 meta.get("notes", []), meta.get("graph_files", {}),
                 meta.get("reasoner", "rules"))


def _siblings_ok(path: Path) -> bool:
    from .store import union_path

    return union_path(path).is_file()


def _build(project: Project, items, key: str, path: Path, index: cache.StatIndex) -> dict:
    from .assembly import assemble

    try:
        return assemble(project, items, key, path, index)
    except OSError:  # an unwritable cache must not stop the command: use a private temp dir
        private = Path(tempfile.mkdtemp(prefix="missions-kg-")) / path.name
        return {**assemble(project, items, key, private, cache.StatIndex(private.parent)),
                "path": str(private)}
