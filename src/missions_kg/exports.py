"""Export the built dataset: the chosen graphs, deterministic, faithful.

``export(built, fmt, which=..., source=...)`` returns bytes in an ``export`` format of
:mod:`missions_kg.formats`: the RDF formats (:mod:`missions_kg.serialize` says which keep the
named graphs), or a plugin's (QuickStatements, Wikidata RDF), loaded by name.

``which``: ``asserted`` (every graph but the inferred one; the default), ``inferred`` (only
``…/graph/inferred``), ``all``. ``source``: one graph, by IRI, CURIE (``mkgg:press-kit``) or the
name after ``…/graph/`` (``press-kit``).

Same input → same bytes: blank nodes are canonicalised (RDFC-1.0), quads sorted, prefixes
fixed. Writing the bytes to a file is :func:`missions_kg.files.write_output`'s job.
"""

from __future__ import annotations

import pyoxigraph as ox

from . import formats, iris
from .errors import UsageError
from .serialize import serialize_quads

WHICH = ("asserted", "inferred", "all")


def graph_names(built) -> list[str]:
    return sorted(built.graphs) if hasattr(built, "graphs") else sorted(
        {q.graph_name.value for q in built.quads() if isinstance(q.graph_name, ox.NamedNode)})


def resolve_source(built, name: str) -> str:
    """A graph IRI from an IRI, a CURIE or the name after ``…/graph/``."""
    names = graph_names(built)
    prefix, _, local = name.partition(":")
    candidates = [name, iris.PREFIXES.get(prefix, "\0") + local, iris.GRAPH + name]
    for iri in candidates:
        if iri in names:
            return iri
    short = [n[len(iris.GRAPH):] if n.startswith(iris.GRAPH) else n for n in names]
    raise UsageError(f"no source graph {name!r}; graphs: {', '.join(short)}")


def select_quads(built, which: str = "asserted", source: str | None = None) -> list[ox.Quad]:
    if which not in WHICH:
        raise UsageError(f"unknown selection {which!r} (use {', '.join(WHICH)})")
    quads = built.quads()
    if source is not None:
        graph = resolve_source(built, source)
        inferred = graph == iris.GRAPH_INFERRED
        if (which == "asserted" and inferred) or (which == "inferred" and not inferred):
            raise UsageError(f"--source {source} is not among the {which} graphs; add --all")
        return [q for q in quads if q.graph_name.value == graph]
    if which == "all":
        return quads
    want_inferred = which == "inferred"
    return [q for q in quads
            if (getattr(q.graph_name, "value", None) == iris.GRAPH_INFERRED) == want_inferred]


def canonical(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Blank nodes renamed by RDFC-1.0 and quads sorted: the basis of byte-stable output."""
    dataset = ox.Dataset(quads)
    if any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object)):
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


def export(built, fmt: str, *, which: str = "asserted", source: str | None = None,
           notes: list[str] | None = None, framed: bool = False,
           provenance: bool = False) -> bytes:
    """Serialise the chosen graphs of ``built`` in ``fmt`` (see the module docstring).
    A plugin format may append what a person should know (counts, what was left out) to
    ``notes``; the CLI prints them on stderr. ``framed`` (JSON-LD only): one merged tree per
    series instead of the lossless per-graph form (:mod:`missions_kg.jsonld_framed`), with
    the facts of each source as named graphs when ``provenance``."""
    chosen = formats.get(fmt, "export")
    if provenance and not framed:
        raise UsageError("--provenance goes with --framed (the default JSON-LD keeps every "
                         "graph already)")
    if framed:
        if chosen.name != "jsonld":
            raise UsageError(f"--framed is a JSON-LD form; use --format jsonld, not "
                             f"{chosen.name}")
        from .jsonld_framed import framed_from_quads

        return framed_from_quads(canonical(select_quads(built, which, source)),
                                 provenance=provenance)
    if chosen.writer is not None:  # a plugin: QuickStatements, Wikidata RDF
        if which != "asserted" or source is not None:
            raise UsageError(f"--format {chosen.name} exports every asserted source graph; "
                             "drop --inferred/--all/--source")
        return chosen.load_writer()(built, notes=notes)
    return serialize_quads(canonical(select_quads(built, which, source)), chosen.name)
