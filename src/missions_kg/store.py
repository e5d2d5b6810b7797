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
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyoxigraph as ox

_STORES: dict[str, ox.Store] = {}
_MARKER = "missions-kg-store.json"
#: Below this N-Quads size, loading into memory beats opening the on-disk store (measured:
#: 0.6 MB loads + unions in 16 ms; a read-only RocksDB open costs 15-36 ms).
DISK_STORE_MIN_BYTES = 1_500_000
_UNION = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"  # our own text, never a user's


def open_store(built) -> ox.Store:
    """The pyoxigraph store of ``built`` (see the module docstring), opened once per process.

    A large build keeps it on disk next to its N-Quads file (``<name>.oxigraph/``), so a cold
    command opens it read-only in milliseconds instead of parsing; when that folder cannot be
    written or read, an in-memory store is used instead."""
    nquads = Path(built.nquads_path)
    key = str(nquads)
    if key not in _STORES:
        small = nquads.stat().st_size < DISK_STORE_MIN_BYTES
        _STORES[key] = _in_memory(nquads) if small else _on_disk(nquads)
    return _STORES[key]


def graph_quads(store: ox.Store, subject=None, predicate=None, obj=None):
    """Quads matching the pattern in the named graphs only (never the union's copy)."""
    for quad in store.quads_for_pattern(subject, predicate, obj):
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            yield quad


def _in_memory(nquads: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.update(_UNION)
    return store


def _on_disk(nquads: Path) -> ox.Store:
    folder = nquads.with_name(nquads.name + ".oxigraph")
    size = nquads.stat().st_size
    try:
        if not folder.is_symlink():
            meta = json.loads((folder / _MARKER).read_text())
            if meta.get("nquads") == nquads.name and meta.get("size") == size:
                return ox.Store.read_only(str(folder))
    except (OSError, ValueError):
        pass
    memory = _in_memory(nquads)
    for stale in nquads.parent.glob("*.nq.oxigraph"):  # builds the cache has pruned
        if not stale.with_suffix("").exists() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
    tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    try:
        if folder.is_symlink():
            raise OSError("the store folder is a symlink; not following it")
        shutil.rmtree(folder, ignore_errors=True)
        disk = ox.Store(str(tmp))
        disk.bulk_load(memory.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
        disk.flush()
        del disk
        (tmp / _MARKER).write_text(json.dumps({"nquads": nquads.name, "size": size}))
        os.replace(tmp, folder)
    except OSError:  # unwritable or raced by another process: the in-memory store will do
        shutil.rmtree(tmp, ignore_errors=True)
    return memory


def rdflib_dataset(quads):
    """The rdflib side of the contract: a ``Dataset(default_union=True)`` holding ``quads`` in
    their graphs (the union default graph is a set, as above). Imports rdflib."""
    from rdflib import Dataset, URIRef

    from .namespaces import bind_prefixes
    from .quiet import quiet_rdflib
    from .terms import oxigraph_to_rdflib

    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    graphs: dict[str, object] = {}
    memo: dict[object, object] = {}

    def conv(term):
        found = memo.get(term)
        if found is None:
            found = memo[term] = oxigraph_to_rdflib(term)
        return found

    with quiet_rdflib():
        for q in quads:
            name = q.graph_name.value
            graph = graphs.get(name)
            if graph is None:
                graph = graphs[name] = dataset.graph(URIRef(name))
            graph.add((conv(q.subject), conv(q.predicate), conv(q.object)))
    return dataset
