"""Run a query on the built dataset with pyoxigraph (default) or rdflib (the reference).

Both engines see the same thing: every named graph, with their union (a set of triples) as the
default graph.
Parameters arrive as typed :class:`~missions_kg.results.Term` values and are bound by the
engine (pyoxigraph ``substitutions=``, rdflib ``initBindings``), never pasted into text.

Limits: ``max_rows`` (stop after N+1 rows; the result says it was truncated) and ``timeout``.
pyoxigraph releases the GIL while it evaluates, so it runs in a daemon thread that the caller
stops waiting for (the CLI then exits, which ends it); rdflib cannot be interrupted, so it runs
in a forked worker process that is killed. With the pyoxigraph engine rdflib is never imported.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from itertools import islice
from pathlib import Path

from missions_kg.errors import MissionsKGError, QueryError
from missions_kg.queries import StoredQuery, parse_query
from missions_kg.results import Result, Term, iri, literal, to_oxigraph

ENGINES = ("oxigraph", "rdflib")
DEFAULT_ENGINE = "oxigraph"
DEFAULT_MAX_ROWS = 10_000
DEFAULT_TIMEOUT = 30.0


class QueryTimeout(QueryError):
    """The query ran longer than ``--timeout`` and was stopped."""


def run(built, query: StoredQuery | str, params: dict[str, str] | None = None, *,
        lang: str = "en", engine: str = DEFAULT_ENGINE, max_rows: int = DEFAULT_MAX_ROWS,
        timeout: float | None = DEFAULT_TIMEOUT, allow_service: bool = False) -> Result:
    """Run a stored query (or SPARQL text) on ``built`` and return an engine-neutral Result.

    ``params`` are ``-p name=value`` strings, typed and checked against the query's header;
    ``lang`` fills a ``lang`` parameter. Raises :class:`QueryError` (bad query or parameters),
    :class:`QueryTimeout`, or :class:`~missions_kg.errors.UsageError` (bad engine/limits).
    """
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r} (use {' or '.join(ENGINES)})")
    if max_rows < 0:
        raise QueryError("--max-rows must be 0 or more")
    if timeout is not None and timeout <= 0:
        raise QueryError("--timeout must be more than 0 seconds")
    if isinstance(query, str):
        query = parse_query(query, require_summary=False, allow_service=allow_service)
    elif allow_service is False:  # re-check: a StoredQuery may have been loaded permissively
        from missions_kg.safety import check_query_text

        check_query_text(query.text, allow_service=False, name=query.name)
    bindings = query.bind(params, lang=lang)
    start = time.perf_counter()
    if engine == "oxigraph":
        store = query_store(built)
        result = _in_thread(lambda: _oxigraph(store, query, bindings, max_rows), timeout)
    else:
        result = _in_worker(built, query, bindings, max_rows, allow_service, timeout)
    result.engine, result.seconds, result.max_rows = engine, time.perf_counter() - start, max_rows
    return result


# -- pyoxigraph ---------------------------------------------------------------------------------

_STORES: dict[str, object] = {}
_MARKER = "missions-kg-store.json"
#: Below this N-Quads size, loading into memory beats opening the on-disk store (measured:
#: 0.6 MB loads + unions in 16 ms; a read-only RocksDB open costs 15-36 ms).
DISK_STORE_MIN_BYTES = 1_500_000


def query_store(built):
    """The pyoxigraph store queries run on: every named graph, plus their union (a *set*) as
    the default graph.

    Why not ``use_default_graph_as_union=True``: pyoxigraph's union keeps a triple once per
    graph that states it (measured: 2 rows where rdflib gives 1), and here several sources
    often state the same fact. For a large build the store is kept on disk next to the
    N-Quads file (``<name>.oxigraph/``), so a cold ``query`` opens it read-only in milliseconds
    instead of parsing; if that folder cannot be written or read, an in-memory store is used.
    """
    nquads = Path(built.nquads_path)
    key = str(nquads)
    if key not in _STORES:
        small = nquads.stat().st_size < DISK_STORE_MIN_BYTES
        _STORES[key] = _union_store(nquads) if small else _open_or_make(nquads)
    return _STORES[key]


def _union_store(nquads: Path):
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")  # our own text only
    return store


def _open_or_make(nquads: Path):
    import pyoxigraph as ox

    folder = nquads.with_name(nquads.name + ".oxigraph")
    size = nquads.stat().st_size
    try:
        meta = json.loads((folder / _MARKER).read_text())
        if meta.get("nquads") == nquads.name and meta.get("size") == size:
            return ox.Store.read_only(str(folder))
    except (OSError, ValueError):
        pass
    memory = _union_store(nquads)
    for stale in nquads.parent.glob("*.nq.oxigraph"):  # builds the cache has pruned
        if not stale.with_suffix("").exists():
            shutil.rmtree(stale, ignore_errors=True)
    tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    try:
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


def _from_oxigraph(term) -> Term | None:
    if term is None:
        return None
    kind = type(term).__name__
    if kind == "NamedNode":
        return iri(term.value)
    if kind == "BlankNode":
        return Term("bnode", term.value)
    if kind == "Literal":
        return literal(term.value, term.datatype.value, term.language)
    raise QueryError(f"unsupported result term {kind} (RDF-star is not used here)")


def _oxigraph(store, query: StoredQuery, bindings: dict[str, Term], max_rows: int) -> Result:
    import pyoxigraph as ox

    subs = {ox.Variable(name): to_oxigraph(term) for name, term in bindings.items()}
    try:
        answer = store.query(query.text, substitutions=subs or None)
    except SyntaxError as e:
        raise QueryError(f"{query.name}: invalid SPARQL: {e}") from None
    except (OSError, ValueError, RuntimeError) as e:
        raise QueryError(f"{query.name}: the query failed: {e}") from None
    if query.form == "ASK":
        return Result("ASK", boolean=bool(answer))
    if query.form == "SELECT":
        names = [v.value for v in answer.variables]
        rows = [tuple(_from_oxigraph(sol[i]) for i in range(len(names)))
                for sol in islice(answer, max_rows + 1)]
        return _capped(Result("SELECT", vars=names, rows=rows), max_rows)
    triples = [tuple(_from_oxigraph(t) for t in (tr.subject, tr.predicate, tr.object))
               for tr in islice(answer, max_rows + 1)]
    return _capped(Result(query.form, triples=triples), max_rows)


def _capped(result: Result, max_rows: int) -> Result:
    items = result.triples if result.is_graph else result.rows
    if len(items) > max_rows:
        del items[max_rows:]
        result.truncated = True
    return result


def _in_thread(work, timeout: float | None) -> Result:
    if timeout is None:
        return work()
    box: dict = {}

    def target():
        try:
            box["result"] = work()
        except BaseException as e:  # handed to the caller below
            box["error"] = e

    thread = threading.Thread(target=target, name="missions-kg-query", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped",
                           hint="raise --timeout, or add LIMIT / narrow the pattern")
    if "error" in box:
        raise box["error"]
    return box["result"]


# -- rdflib ---------------------------------------------------------------------------------------

def _to_rdflib(t: Term):
    from rdflib import BNode, Literal, URIRef

    if t.kind == "uri":
        return URIRef(t.value)
    if t.kind == "bnode":
        return BNode(t.value)
    return Literal(t.value, lang=t.lang, datatype=URIRef(t.datatype) if t.datatype else None,
                   normalize=False)


def _from_rdflib(term) -> Term | None:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return iri(str(term))
    if isinstance(term, BNode):
        return Term("bnode", str(term))
    if isinstance(term, Literal):
        return literal(str(term), str(term.datatype) if term.datatype else None, term.language)
    raise QueryError(f"unsupported result term {term!r}")


def _rdflib(built, query: StoredQuery, bindings: dict[str, Term], max_rows: int,
            allow_service: bool) -> Result:
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.term import Variable

    from missions_kg.safety import check_algebra, disable_rdflib_loading

    disable_rdflib_loading()
    try:
        prepared = prepareQuery(query.text)
    except ParseException as e:
        raise QueryError(f"{query.name}:{e.lineno}:{e.col}: invalid SPARQL (rdflib): "
                         f"{e.msg}") from None
    except Exception as e:  # rdflib raises bare Exception("Unknown namespace prefix : foo")
        raise QueryError(f"{query.name}: invalid SPARQL (rdflib): {e}") from None
    check_algebra(prepared, allow_service=allow_service, name=query.name)
    dataset = built.rdflib_dataset()
    answer = dataset.query(prepared, initBindings={Variable(k): _to_rdflib(v)
                                                   for k, v in bindings.items()})
    if query.form == "ASK":
        return Result("ASK", boolean=bool(answer.askAnswer))
    if query.form == "SELECT":
        names = [str(v) for v in answer.vars]
        rows = [tuple(_from_rdflib(row[i]) for i in range(len(names)))
                for row in islice(answer, max_rows + 1)]
        return _capped(Result("SELECT", vars=names, rows=rows), max_rows)
    triples = [tuple(_from_rdflib(t) for t in tr) for tr in islice(answer, max_rows + 1)]
    return _capped(Result(query.form, triples=triples), max_rows)


def _worker(conn, built, query, bindings, max_rows, allow_service) -> None:
    try:
        conn.send(("ok", _rdflib(built, query, bindings, max_rows, allow_service)))
    except MissionsKGError as e:
        conn.send(("error", type(e), e.message, e.hint))
    except Exception as e:  # a bug or an rdflib failure: report it as one line
        conn.send(("error", QueryError, f"{query.name}: rdflib failed: "
                   f"{type(e).__name__}: {e}", None))
    finally:
        conn.close()


def _in_worker(built, query, bindings, max_rows, allow_service, timeout) -> Result:
    if timeout is None:
        return _rdflib(built, query, bindings, max_rows, allow_service)
    import multiprocessing  # 30 ms: only when rdflib runs

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, name="missions-kg-rdflib",
                       args=(child, built, query, bindings, max_rows, allow_service))
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise QueryTimeout(f"the query ran longer than {timeout:g} s; its worker was "
                               "killed", hint="raise --timeout, or add LIMIT / narrow it")
        try:
            message = parent.recv()
        except EOFError:
            raise QueryError(f"{query.name}: the rdflib worker died "
                             f"(exit code {proc.exitcode})") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        parent.close()
    if message[0] == "error":
        _, cls, text, hint = message
        raise cls(text, hint=hint)
    return message[1]
