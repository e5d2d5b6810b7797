"""Build the dataset once (parse, check, infer) and reuse it while the inputs don't change.

``build(project)`` returns a ``Built``: the N-Quads file of the loaded + inferred dataset,
with lazy views for rdflib and pyoxigraph. On a cache hit nothing is parsed and rdflib is
not imported, so ``query``/``stats``/``describe`` start fast.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import __version__, cache, iris
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
    _rdflib: object = field(default=None, repr=False)

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())

    @property
    def inferred(self) -> int:
        return self.graphs.get(iris.GRAPH_INFERRED, 0)

    def quads(self) -> list[ox.Quad]:
        return list(ox.parse(path=self.nquads_path, format=ox.RdfFormat.N_QUADS))

    def rdflib_dataset(self):
        """The dataset in rdflib (:func:`missions_kg.store.rdflib_dataset`), made once."""
        if self._rdflib is None:
            from .store import rdflib_dataset

            self._rdflib = rdflib_dataset(self.quads())
        return self._rdflib


def _inputs(project: Project, extra_data) -> list[tuple[str, Path, str]]:
    """(name, path, kind) of every input, in a stable order."""
    items = [(project.relative(p), p, "ontology") for p in project.ontology_files()]
    items += [(project.relative(p), p, "data") for p in project.data_files()]
    items += [(f"user:{Path(p)}", Path(p), "user") for p in extra_data]
    return items


def _read_inputs(items) -> list[tuple[str, bytes]]:
    from .errors import InputError
    from .loading import user_format

    out = []
    for name, path, kind in items:
        if kind == "user":
            user_format(path)  # refuse URLs, RDF/XML, unknown formats before reading
        try:
            out.append((name, path.read_bytes()))
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
    key = cache.input_key(_read_inputs(items))
    path = cache.path_for(project.cache_dir, key)
    if not force:
        meta = cache.read_meta(path, key)
        if meta is not None:
            return Built(project, path, key, meta["graphs"], True,
                         time.perf_counter() - start, meta["build_seconds"],
                         meta["inference_seconds"], meta.get("files", []))
    return _build(project, items, key, path, start)


def _build(project: Project, items, key: str, path: Path, start: float) -> Built:
    from . import loading, reasoning
    from .quiet import quiet_rdflib
    from .store import rdflib_dataset
    from .terms import rdflib_to_oxigraph

    quads: list[ox.Quad] = []
    for name, file, kind in items:
        if kind == "ontology":
            quads += loading.ontology_quads(file, name)
        elif kind == "data":
            quads += loading.data_quads(file, name)
        else:
            quads += loading.user_quads(file)
    quads = list(dict.fromkeys(quads))  # the same triple twice in one graph is one triple
    dataset = rdflib_dataset(quads)
    with quiet_rdflib():
        new, inference_seconds, engine = reasoning.infer(
            (s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None)))
    from rdflib import URIRef

    inferred_graph = dataset.graph(URIRef(iris.GRAPH_INFERRED))
    g_inferred = ox.NamedNode(iris.GRAPH_INFERRED)
    for s, p, o in new:
        inferred_graph.add((s, p, o))
        quads.append(ox.Quad(rdflib_to_oxigraph(s), rdflib_to_oxigraph(p),
                             rdflib_to_oxigraph(o), g_inferred))
    lines = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    body = b"".join(sorted(lines))
    graphs = dict(sorted(Counter(q.graph_name.value for q in quads).items()))
    build_seconds = time.perf_counter() - start
    meta = {"key": key, "version": __version__, "graphs": graphs,
            "build_seconds": round(build_seconds, 4),
            "inference_seconds": round(inference_seconds, 4), "reasoner": engine,
            "files": [name for name, _, _ in items]}
    try:
        cache.write(path, body, meta)
    except OSError:  # an unwritable cache must not stop the command: use a private temp file
        path = Path(tempfile.mkdtemp(prefix="missions-kg-")) / path.name
        cache.write(path, body, meta)
    return Built(project, path, key, graphs, False, build_seconds, build_seconds,
                 inference_seconds, meta["files"], _rdflib=dataset)
