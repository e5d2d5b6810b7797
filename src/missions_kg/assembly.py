"""The cold build, streamed: parse every input strictly, infer, write the cache file, the
union of its graphs and (for a large project) the on-disk store, in one pass each.

Memory is bounded by a sort run (:mod:`missions_kg.linesort`) and a bulk-load block
(:mod:`missions_kg.store`), not by the size of the project: no list or set of every quad,
no rdflib. The steps (CPU at a million asserted quads, on the bench machine):

1. **parse** each file with pyoxigraph (strict, with line and column on error, blank nodes
   relabelled per file) and add its N-Quads lines to a :class:`~linesort.Sorter`; collect
   the axioms the rules read;
2. **infer**: stream the lines once through :class:`~missions_kg.rules.Rules` (what a
   triple entails depends only on its predicate or class), keep what is not
   :func:`~missions_kg.reasoning.noise`, sort that too;
3. **write**: merge the two sorted streams; a triple's quads are adjacent, so duplicates go,
   an inference already asserted goes, and each triple is written once to the union, while
   the lines are fed to the cache file and the store's bulk loader; the store is then
   compacted (``optimize``: 2 s at a million quads, and every query after it takes half).
"""

from __future__ import annotations

import heapq
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

from . import cache, iris, progress, reasoning, rules
from .linesort import Sorter, ascii_line, split_graph, terms, unique

INFERRED = b"<" + iris.GRAPH_INFERRED.encode() + b">"
_AXIOM_PREDICATES = {ox.NamedNode(p[1:-1].decode()) for p in rules.SCHEMA_PREDICATES}
_TYPE = ox.NamedNode(iris.RDF + "type")
_AXIOM_TYPES = {ox.NamedNode(c[1:-1].decode()) for c in (rules.SYMMETRIC, rules.TRANSITIVE)}


class Parsed:
    """What the parse step gathers: the sorted lines, the rules' axioms, and which files
    write each graph (for the report's "file, near line")."""

    def __init__(self, work: Path) -> None:
        self.lines = Sorter(work)
        self.axioms: set[tuple[bytes, bytes, bytes]] = set()
        self.graph_files: dict[str, list[str]] = {}
        self.notes: list[str] = []

    def take(self, quads: list[ox.Quad], names: list[str]) -> None:
        """Add one file's quads (``names``: the files that may have written them)."""
        graphs = set()
        for q in quads:
            graphs.add(q.graph_name)
            p = q.predicate
            if p in _AXIOM_PREDICATES or (p == _TYPE and q.object in _AXIOM_TYPES):
                self.axioms.add((str(q.subject).encode(), str(p).encode(),
                                 str(q.object).encode()))
        for graph in graphs:
            files = self.graph_files.setdefault(graph.value, [])
            files += [n for n in names if n not in files]
        self.lines.add(ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines(True))


def parse(items, work: Path) -> Parsed:
    """Step 1: every input (``(name, path, kind)``), strictly, into sorted runs."""
    from . import loading, userdata

    parsed = Parsed(work)
    with progress.task("Parsing", total=len(items), unit="file") as bar:
        for name, file, kind in items:
            if kind == "ontology":
                parsed.take(loading.ontology_quads(file, name), [name])
            elif kind == "data":
                parsed.take(loading.data_quads(file, name), [name])
            bar.update(1)
        users = [file for _, file, kind in items if kind == "user"]
        if users:  # any of them may have written a graph (a TriG file names its own)
            quads, parsed.notes = userdata.load(users, set(parsed.graph_files))
            parsed.take(quads, [str(Path(f).resolve()) for f in users])  # any cwd finds it
    return parsed


def infer(parsed: Parsed, work: Path) -> tuple[Sorter, str]:
    """Step 2: the new, non-noise triples as sorted lines in the inferred graph, and the
    engine that found them."""
    engine = rules.Rules(parsed.axioms)
    out = Sorter(work)
    pending: list[bytes] = []
    chain: set = set()  # triples of transitive properties, joined at the end
    predicates: set[bytes] = set()
    types: set[bytes] = set()

    def emit(triples) -> None:
        for t in triples:
            if t[1] in engine.trans:
                chain.add(t)
            if not reasoning.noise(*t):
                pending.append(b" ".join(t) + b" " + INFERRED + b" .\n")
        if len(pending) > 100_000:
            out.add(pending)
            pending.clear()

    emit(engine.axioms())
    previous = None
    with progress.task("Inferring", total=parsed.lines.count, unit="quad", scale=True) as bar:
        for line in progress.counted(parsed.lines.unsorted(), bar):
            triple, _graph = split_graph(line)
            if triple == previous:
                continue
            previous = triple
            s, p, o = terms(triple)
            predicates.add(p)
            if p == rules.TYPE:
                types.add(o)
            if p in engine.trans:
                chain.add((s, p, o))
            if engine.fires(p, o):
                emit(t for t in engine.entailed(s, p, o) if t != (s, p, o))
    if engine.trans:
        emit(engine.transitive_closure(chain))
    name = "rules"
    if rules.unsupported(predicates, types):  # a complete reasoner adds the rest
        base = [terms(split_graph(line)[0]) for line in unique(parsed.lines.merged())]
        emit(reasoning.complete(base))
        name = "rules+" + reasoning.complete_engine()
    out.add(pending)
    return out, name


class Output:
    """Step 3's targets: the cache file, the union file, the store (or none), fed in blocks
    of :data:`~missions_kg.store.BULK_LINES` lines."""

    def __init__(self, path: Path, work: Path) -> None:
        from .store import BULK_LINES

        self.cache = cache.Writer(path)
        self.union = open(work / "union.nt", "wb", buffering=1 << 20)
        self.work = work
        self.store_dir: Path | None = None
        self.store: ox.Store | None = None
        self.quads: list[bytes] = []
        self.triples: list[bytes] = []
        self.block = BULK_LINES

    def add(self, quads: list[bytes], triple: bytes) -> None:
        self.quads += quads
        self.triples.append(ascii_line(triple + b" .\n"))
        if len(self.triples) >= self.block:
            self.flush()

    def flush(self, last: bool = False) -> None:
        """Write a block. The first one decides whether the build gets an on-disk store:
        it does when the cache file's quads reach :data:`~missions_kg.store.DISK_STORE_MIN_BYTES`,
        the rule :func:`~missions_kg.store.open_store` follows (a block that is not the last
        holds 150k triples, far more than that)."""
        from .store import DISK_STORE_MIN_BYTES, load_block

        quads, triples = self.quads, self.triples
        self.quads, self.triples = [], []
        body = b"".join(quads)
        if self.cache.size == 0 and (not last or len(body) >= DISK_STORE_MIN_BYTES):
            self.store_dir = self.work / "store"
            self.store = ox.Store(str(self.store_dir))
        self.cache.write(body)
        self.union.write(b"".join(triples))
        if self.store is not None:
            load_block(self.store, quads, ox.RdfFormat.N_QUADS)
            load_block(self.store, triples, ox.RdfFormat.N_TRIPLES)


def write(parsed: Parsed, inferred: Sorter, out: Output) -> Counter:
    """Step 3: merge, drop what is repeated or already asserted, write; graph counts."""
    counts: Counter = Counter()
    lines: list[bytes] = []
    graphs: list[bytes] = []
    current = None
    total = parsed.lines.count + inferred.count
    with progress.task("Writing", total=total, unit="quad", scale=True) as bar:
        merged = unique(progress.counted(heapq.merge(parsed.lines.merged(), inferred.merged()),
                                         bar))
        for line in merged:
            triple, graph = split_graph(line)
            if triple != current:
                if lines:
                    _flush(lines, graphs, current, out, counts)
                lines, graphs, current = [], [], triple
            lines.append(line)
            graphs.append(graph)
        if lines:
            _flush(lines, graphs, current, out, counts)
        out.flush(last=True)
    return counts


def _flush(lines, graphs, triple, out: Output, counts: Counter) -> None:
    if len(graphs) > 1 and INFERRED in graphs:  # an inference a source states is not new
        kept = [(line, g) for line, g in zip(lines, graphs, strict=True) if g != INFERRED]
        lines, graphs = [line for line, _ in kept], [g for _, g in kept]
    for graph in graphs:
        counts[graph] += 1
    out.add(lines, triple)


def assemble(project, items, key: str, path: Path, index: cache.StatIndex) -> dict:
    """Build ``items`` into the cache file ``path`` (its union and store beside it); returns
    the header written."""
    from . import __version__, store

    start = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=path.parent))
    try:
        parsed = parse(items, work)
        started = time.perf_counter()
        inferred, engine = infer(parsed, work)
        inference_seconds = time.perf_counter() - started
        out = Output(path, work)
        try:
            counts = write(parsed, inferred, out)
            out.union.close()
            if out.store is not None:
                with progress.task("Optimizing the store"):
                    out.store.flush()
                    out.store.optimize()  # compacts the blocks' files: queries take half
                out.store = None
        except BaseException:
            out.cache.abort()
            raise
        graphs = {g.decode()[1:-1]: n for g, n in sorted(counts.items())}
        meta = {"key": key, "version": __version__, "graphs": graphs,
                "build_seconds": round(time.perf_counter() - start, 4),
                "inference_seconds": round(inference_seconds, 4), "reasoner": engine,
                "files": [name for name, _, _ in items], "notes": parsed.notes,
                "graph_files": dict(sorted(parsed.graph_files.items()))}
        (work / "union.nt").replace(store.union_path(path))  # same key, same bytes
        meta = out.cache.commit(meta, index)
        if out.store_dir is not None:
            store.write_marker(out.store_dir, path)
            target = store.store_path(path)
            if not target.is_symlink():
                shutil.rmtree(target, ignore_errors=True)  # --force, or a store left over
            try:
                out.store_dir.replace(target)
            except OSError:  # another process put its store (of the same inputs) there first
                pass
        return meta
    finally:
        shutil.rmtree(work, ignore_errors=True)
