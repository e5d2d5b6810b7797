"""The dataset contract, and the one store every reader of a build uses.

**The contract** (the same in the embedded engines, in an export loaded into any SPARQL store,
and in ``queries/README.md``):

* every fact lives in a named graph: one per source (``mkgg:seed-…``, ``mkgg:ref-…``, a user's
  ``--data`` file), plus ``mkgg:curation``, ``mkgg:links``, ``mkgg:ontology`` (the vocabulary)
  and ``mkgg:inferred`` (what OWL RL adds);
* ``mkgg:sources`` describes each source graph (``prov:wasDerivedFrom`` its source document);
* stored queries and checks say ``GRAPH ?g`` where they mean "which source", and never rely on
  what the default graph holds, so they give the same rows on a store whose default graph is
  empty (Oxigraph, Fuseki) and on one whose default graph is the union (Virtuoso, GraphDB).

**Here**, for ad-hoc queries, the default graph is the union of all named graphs as a *set*
(each triple once, however many sources state it), on both engines: pyoxigraph gets the union
materialised (its own ``use_default_graph_as_union`` keeps one copy per graph, so counts
would differ from rdflib's), rdflib gets ``Dataset(default_union=True)``. Readers that walk
quads (``describe``, ``stats``) use :func:`graph_quads`, which skips that copy.

Blank nodes keep the labels of the cache file in the store (see :func:`load_block`), so a
query's ``_:b…`` is the one exports and reports show.

**Where the union comes from.** The build writes it beside its N-Quads file (``.union.nt``:
the sorted quads give each triple once in one pass), and for a large build loads both files
into an on-disk store during the build (``.oxigraph/``), so a command opens it read-only in
milliseconds; a small build is loaded into memory, which is faster than opening RocksDB.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

_STORES: dict[str, ox.Store] = {}
MARKER = "missions-kg-store.json"
#: Below this N-Quads size, loading into memory beats opening the on-disk store (measured:
#: 0.6 MB loads + unions in 16 ms; a read-only RocksDB open costs 15-36 ms).
DISK_STORE_MIN_BYTES = 1_500_000
#: Lines per call to pyoxigraph's bulk loader: it holds a call's quads in memory (1.3M quads
#: in one call: 1.1 GB; in calls of 200k lines: 300 MB, at the same speed).
BULK_LINES = 150_000
_UNION = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"  # our own text, never a user's


def union_path(nquads: Path) -> Path:
    """The union of a build's graphs, one triple a line (written by the build)."""
    return nquads.with_name(nquads.name + ".union.nt")


def store_path(nquads: Path) -> Path:
    """The on-disk store of a (large) build."""
    return nquads.with_name(nquads.name + ".oxigraph")


def open_store(built) -> ox.Store:
    """The pyoxigraph store of ``built`` (see the module docstring), opened once per process.

    A large build has its store on disk next to its N-Quads file (the build made it when its
    quads reached :data:`DISK_STORE_MIN_BYTES`), opened read-only; a small one is loaded into
    memory. When a large build's folder is missing (removed by hand, an older build) or
    cannot be read, it is made again from the files, or an in-memory store is used."""
    nquads = Path(built.nquads_path)
    key = str(nquads)
    if key not in _STORES:
        made = _read_only(nquads)
        if made is None:
            small = _quad_bytes(nquads) < DISK_STORE_MIN_BYTES
            made = _in_memory(nquads) if small else _on_disk(nquads)
        _STORES[key] = made
    return _STORES[key]


def _quad_bytes(nquads: Path) -> int:
    """The size of a cache file's quads, its header line left out (what the build counts)."""
    with open(nquads, "rb") as handle:
        first = handle.readline()
    header = len(first) if first.startswith(b"#") else 0
    return nquads.stat().st_size - header


def graph_quads(store: ox.Store, subject=None, predicate=None, obj=None):
    """Quads matching the pattern in the named graphs only (never the union's copy)."""
    for quad in store.quads_for_pattern(subject, predicate, obj):
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            yield quad


def bulk_load(store: ox.Store, lines: Iterable[bytes], fmt: ox.RdfFormat) -> None:
    """Load N-Quads or N-Triples ``lines`` (already checked by the build's strict parser) in
    blocks of :data:`BULK_LINES`, so the loader's memory stays bounded."""
    from .linesort import chunks

    for block in chunks(lines, BULK_LINES):
        load_block(store, block.splitlines(keepends=True), fmt)


def load_block(store: ox.Store, lines: list[bytes], fmt: ox.RdfFormat) -> None:
    """Load ``lines`` into ``store``, keeping blank node labels: pyoxigraph's loaders give
    each call's blank nodes fresh labels (``_:b1`` in two calls would be two nodes, and a
    store's ``_:b1`` would not be the cache file's), so lines with a blank node go through
    the parser, which keeps them, and the rest through the fast bulk loader."""
    plain = [line for line in lines if b"_:" not in line]
    if plain:
        store.bulk_load(b"".join(plain), format=fmt, lenient=True)
    if len(plain) < len(lines):
        blank = b"".join(line for line in lines if b"_:" in line)
        store.bulk_extend(ox.parse(blank, format=fmt, lenient=True))


def write_marker(folder: Path, nquads: Path) -> None:
    """Record which N-Quads file (name and size) the store in ``folder`` holds."""
    size = nquads.stat().st_size
    (folder / MARKER).write_text(json.dumps({"nquads": nquads.name, "size": size}))


def _lines(path: Path) -> Iterable[bytes]:
    with open(path, "rb", buffering=1 << 20) as handle:
        for line in handle:
            if not line.startswith(b"#"):
                yield line


def _fill(store: ox.Store, nquads: Path, blocks: bool) -> None:
    """Both files of a build into ``store``: its quads, and the union as the default graph.
    ``blocks``: a large build, loaded in bounded blocks with the union file; a small one is
    loaded at once, its union made by SPARQL (the order a store returns solutions in, which
    GROUP_CONCAT shows, then stays what it always was)."""
    union = union_path(nquads)
    if blocks:
        bulk_load(store, _lines(nquads), ox.RdfFormat.N_QUADS)
        if union.is_file():
            bulk_load(store, _lines(union), ox.RdfFormat.N_TRIPLES)
            return
    else:  # pyoxigraph's parser keeps blank node labels (see load_block)
        store.extend(ox.parse(path=nquads, format=ox.RdfFormat.N_QUADS))
    store.update(_UNION)


def _in_memory(nquads: Path) -> ox.Store:
    store = ox.Store()
    _fill(store, nquads, blocks=False)
    return store


def _read_only(nquads: Path) -> ox.Store | None:
    """The store the build made for ``nquads``, if its marker says it holds that file."""
    folder = store_path(nquads)
    try:
        if not folder.is_symlink():
            meta = json.loads((folder / MARKER).read_text())
            if meta.get("nquads") == nquads.name and meta.get("size") == nquads.stat().st_size:
                return ox.Store.read_only(str(folder))
    except (OSError, ValueError):
        pass
    return None


def _on_disk(nquads: Path) -> ox.Store:
    folder = store_path(nquads)
    for stale in nquads.parent.glob("*.nq.oxigraph"):  # stores of builds the cache pruned
        if not stale.with_suffix("").exists() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
    tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    try:
        if folder.is_symlink():
            raise OSError("the store folder is a symlink; not following it")
        shutil.rmtree(tmp, ignore_errors=True)
        disk = ox.Store(str(tmp))
        _fill(disk, nquads, blocks=True)
        disk.flush()
        disk.optimize()
        del disk
        write_marker(tmp, nquads)
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)
        return ox.Store.read_only(str(folder))
    except OSError:  # unwritable or raced by another process: the in-memory store will do
        shutil.rmtree(tmp, ignore_errors=True)
    return _in_memory(nquads)


def rdflib_dataset(quads):
    """The rdflib side of the contract: a ``Dataset(default_union=True)`` holding ``quads`` in
    their graphs (the union default graph is a set, as above). Imports rdflib."""
    from rdflib import Dataset, URIRef

    from .namespaces import bind_prefixes
    from .quiet import quiet_rdflib
    from .terms import rdflib_converter

    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    graphs: dict[str, object] = {}
    conv = rdflib_converter()

    with quiet_rdflib():
        for q in quads:
            name = q.graph_name.value
            graph = graphs.get(name)
            if graph is None:
                graph = graphs[name] = dataset.graph(URIRef(name))
            graph.add((conv(q.subject), conv(q.predicate), conv(q.object)))
    return dataset
