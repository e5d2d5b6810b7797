"""A user's own files (``--data FILE``): first-class sources, in graphs of their own.

* A file with named graphs (TriG, N-Quads, JSON-LD with ``@graph`` names) keeps them; its
  default-graph triples, and all of a Turtle, N-Triples or plain JSON-LD file, go to the
  file's own graph ``mkgg:user/<file name>`` (two files of the same name in one run:
  ``mkgg:user/<name>~<hash of its path>``, so each file keeps a graph, named stably from its
  path).
* Every new graph is described in ``mkgg:sources`` as derived from the file: a
  ``schema:DataDownload`` with its name, format and SHA-256 (no date: the same files give the
  same bytes), so the stored queries' provenance columns name it like any source.
* A graph the project already has (``mkgg:seed-001-…``) is added to, with a note; a reserved
  graph (``mkgg:inferred``, ``sources``, ``links``, ``ontology``, ``curation``) is refused: user
  data can never fake an inference, a source description or a verified link.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from . import iris
from .errors import InputError
from .loading import read_quads, user_format

RESERVED = {iris.GRAPH_INFERRED: "inferences", iris.GRAPH_SOURCES: "source descriptions",
            iris.GRAPH + "links": "the Wikidata link store",
            iris.GRAPH_ONTOLOGY: "the ontology", iris.GRAPH + "curation": "curation"}
_S, _P, _RDF = iris.SCHEMA, iris.PROV, iris.RDF


def load(paths: list[Path], project_graphs: set[str]) -> tuple[list[ox.Quad], list[str]]:
    """The quads of every user file, with their source descriptions, and notes for the user."""
    names = [p.name for p in paths]
    quads: list[ox.Quad] = []
    notes: list[str] = []
    for path in paths:
        clash = names.count(path.name) > 1
        file_quads, file_notes = _one(path, _own_graph(path, clash), project_graphs)
        quads += file_quads
        notes += file_notes
    return quads, notes


def _own_graph(path: Path, clash: bool) -> str:
    name = quote(path.name, safe="")
    if clash:
        where = hashlib.sha256(os.fsencode(os.path.realpath(path))).hexdigest()[:8]
        name += f"~{where}"
    return iris.GRAPH_USER + name


def _one(path: Path, own: str, project_graphs: set[str]) -> tuple[list[ox.Quad], list[str]]:
    fmt = user_format(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()  # names the source: no dates
    parsed = read_quads(path, fmt, name=str(path))
    out, counts = [], {}
    for q in parsed:
        graph = own if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        if graph in RESERVED:
            raise InputError(f"writes to the graph <{graph}> ({RESERVED[graph]}), which user "
                             "data may not touch", path=str(path),
                             hint="put your facts in a graph of your own, or in no graph")
        counts[graph] = counts.get(graph, 0) + 1
        out.append(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(graph)))
    notes = []
    source = ox.NamedNode(f"{iris.SOURCE}user/{digest[:16]}")
    new = sorted(g for g in counts if g not in project_graphs)
    for graph in sorted(counts):
        if graph in project_graphs:
            notes.append(f"{path}: adds {counts[graph]} triple(s) to the project's source graph "
                         f"<{graph}>")
    if new:
        out += _describe(source, path, digest, fmt, new)
    return out, notes


def _describe(source: ox.NamedNode, path: Path, digest: str, fmt, graphs: list[str]):
    g = ox.NamedNode(iris.GRAPH_SOURCES)
    n, lit = ox.NamedNode, ox.Literal
    out = [ox.Quad(source, n(_RDF + "type"), n(_S + "DataDownload"), g),
           ox.Quad(source, n(_RDF + "type"), n(_S + "CreativeWork"), g),
           ox.Quad(source, n(_S + "name"), lit(path.name), g),
           ox.Quad(source, n(_S + "encodingFormat"), lit(fmt.media_type), g),
           ox.Quad(source, n(_S + "sha256"), lit(digest), g),
           # the language of a user's file is not known: BCP 47 "und" (undetermined)
           ox.Quad(source, n(_S + "inLanguage"), lit("und"), g)]
    for graph in graphs:
        node = n(graph)
        out += [ox.Quad(node, n(_RDF + "type"), n(_P + "Entity"), g),
                ox.Quad(node, n(_P + "wasDerivedFrom"), source, g),
                ox.Quad(node, n(_P + "hadPrimarySource"), source, g)]
    return out
