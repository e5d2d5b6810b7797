"""Export the built dataset: the chosen graphs, deterministic, faithful.

``export(built, fmt, which=..., source=...)`` returns bytes in an ``export`` format of
:mod:`missions_kg.formats`: the RDF formats (:mod:`missions_kg.serialize` says which keep the
named graphs), or a plugin's (QuickStatements, Wikidata RDF), loaded by name.

``which``: ``asserted`` (every graph but the inferred one; the default), ``inferred`` (only
``…/graph/inferred``), ``all``. ``source``: one graph, by IRI, CURIE (``mkgg:press-kit``) or the
name after ``…/graph/`` (``press-kit``).

Same input → same bytes: blank nodes are canonicalised (RDFC-1.0), quads sorted, prefixes
fixed. Writing the bytes to a file is :func:`missions_kg.files.write_output`'s job.

**Streamed.** The build's cache file is already sorted N-Quads, so an export reads it line by
line, keeps the chosen graphs, and writes as it goes: N-Quads and N-Triples are those lines,
TriG, Turtle and RDF/XML are pyoxigraph's serializers fed block by block, and only the quads
holding a blank node are canonicalised apart (RDFC-1.0 labels depend on nothing else) and
merged back in order. No list of every quad; JSON-LD, one JSON document, is still made in
memory.
"""

from __future__ import annotations

import heapq
import io
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from . import formats, iris, progress
from .errors import UsageError
from .serialize import serialize_quads

WHICH = ("asserted", "inferred", "all")
_BLOCK = 50_000  # lines parsed and serialised at a time


def resolve_source(built, name: str) -> str:
    """A graph IRI from an IRI, a CURIE or the name after ``…/graph/``."""
    graph = built.graph_named(name)
    if graph is None:
        raise UsageError(f"no source graph {name!r}", hint=built.graph_hint(name))
    return graph


def _chosen(built, which: str, source: str | None):
    """A test ``graph IRI -> kept?`` for the selection (UsageError for a bad one)."""
    if which not in WHICH:
        raise UsageError(f"unknown selection {which!r} (use {', '.join(WHICH)})")
    if source is not None:
        graph = resolve_source(built, source)
        inferred = graph == iris.GRAPH_INFERRED
        if (which == "asserted" and inferred) or (which == "inferred" and not inferred):
            raise UsageError(f"--source {source} is not among the {which} graphs; add --all")
        return lambda g: g == graph
    if which == "all":
        return lambda g: True
    want_inferred = which == "inferred"
    return lambda g: (g == iris.GRAPH_INFERRED) == want_inferred


def select_quads(built, which: str = "asserted", source: str | None = None) -> list[ox.Quad]:
    keep = _chosen(built, which, source)
    return [q for q in built.iter_quads() if keep(getattr(q.graph_name, "value", None))]


def canonical(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Blank nodes renamed by RDFC-1.0 and quads sorted: the basis of byte-stable output."""
    dataset = ox.Dataset(quads)
    if any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object)):
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


def _lines(built, which: str, source: str | None) -> Iterator[bytes]:
    """The chosen quads as sorted N-Quads lines, blank nodes canonical (see the docstring)."""
    from .linesort import split_graph

    keep = _chosen(built, which, source)
    names: dict[bytes, bool] = {}
    plain, blank = [], []

    def chosen(handle) -> Iterator[bytes]:
        for line in handle:
            if line.startswith(b"#"):
                continue
            graph = split_graph(line)[1]
            if graph not in names:
                names[graph] = keep(graph[1:-1].decode())
            if names[graph]:
                yield line

    with open(built.nquads_path, "rb", buffering=1 << 20) as handle:
        for line in chosen(handle):  # first pass: only the lines with a blank node are kept
            if b"_:" in line:
                blank.append(line)
    if blank:
        quads = list(ox.parse(b"".join(blank), format=ox.RdfFormat.N_QUADS))
        blank = [f"{q} .\n".encode() for q in canonical(quads)]
    with open(built.nquads_path, "rb", buffering=1 << 20) as handle:
        plain = (line for line in chosen(handle) if b"_:" not in line)
        yield from heapq.merge(plain, blank) if blank else plain


def _triples(lines: Iterable[bytes]) -> Iterator[bytes]:
    """Sorted quad lines as sorted N-Triples lines, each triple once (the union)."""
    from .linesort import split_graph

    previous = None
    for line in lines:
        triple = split_graph(line)[0]
        if triple != previous:
            previous = triple
            yield triple + b" .\n"


def _parsed(lines: Iterable[bytes], fmt: ox.RdfFormat) -> Iterator:
    from .linesort import chunks

    for block in chunks(lines, _BLOCK):
        yield from ox.parse(block, format=fmt)


def stream(built, fmt: str, output, *, which: str = "asserted",
           source: str | None = None) -> None:
    """Write the chosen graphs of ``built`` in the RDF format ``fmt`` to the binary file
    ``output``, as they are read (the same bytes :func:`export` returns)."""
    from .serialize import PREFIXES, check_xml_term, ox_format

    name = formats.get(fmt, "rdf").name
    total = sum(n for g, n in built.graphs.items() if _chosen(built, which, source)(g))
    with progress.task(f"Exporting {name}", total=total, unit="quad", scale=True) as bar:
        lines = progress.counted(_lines(built, which, source), bar, _BLOCK)
        if name == "jsonld":
            output.write(serialize_quads(list(_parsed(lines, ox.RdfFormat.N_QUADS)), name))
            return
        keeps_graphs = formats.get(name, "rdf").keeps_graphs
        if not keeps_graphs:
            lines = _triples(lines)
        if name in ("nquads", "ntriples"):
            from .linesort import chunks

            for block in chunks(lines, _BLOCK):
                output.write(block)
            return
        items = _parsed(lines, ox.RdfFormat.N_QUADS if keeps_graphs else
                        ox.RdfFormat.N_TRIPLES)
        if name == "xml":
            items = (t for t in items if check_xml_term(t))
            buffer = io.BytesIO()
            ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in items),
                         buffer, ox_format(name), prefixes=PREFIXES)
            # a CR can only come from a literal: written as a character reference
            output.write(buffer.getvalue().replace(b"\r", b"&#13;"))
            return
        if not keeps_graphs:
            items = (ox.Triple(q.subject, q.predicate, q.object) for q in items)
        ox.serialize(items, output, ox_format(name), prefixes=PREFIXES)


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
    output = io.BytesIO()
    stream(built, chosen.name, output, which=which, source=source)
    return output.getvalue()
