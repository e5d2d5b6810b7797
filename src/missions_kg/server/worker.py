"""The worker process side: open the build's store, then answer queries until told to stop.

A worker is started by the ``forkserver`` method (see :mod:`.pool`), so it never inherits the
server's store, threads or sockets: it opens the build's store itself with
:func:`missions_kg.store.open_store` (in memory for a small build, the on-disk store read-only
for a large one, shared by every worker) and watches its own memory
(:func:`missions_kg.limits.start_watchdog`, exiting with :data:`~missions_kg.limits.MEMORY_EXIT`).

Two kinds of job:

* ``("stored", StoredQuery, params, lang, max_rows)``: :func:`missions_kg.run_query`, the
  library's own path (typed parameters bound by the engine);
* ``("sparql", text, form, default_graphs, named_graphs, max_rows)``: a protocol query,
  already checked by :func:`missions_kg.safety.check_query_text` in the server with the
  dataset's graphs allowed in ``FROM``; evaluated here with the protocol's dataset
  (``default-graph-uri`` / ``named-graph-uri``), which ``run_query`` has no parameter for.
"""

from __future__ import annotations

import os
import signal
from itertools import islice

from .. import limits
from ..engine import Result
from ..errors import MissionsKGError, QueryError
from ..terms import from_oxigraph


def serve_jobs(conn, built, ceiling: int | None) -> None:
    """The worker's main loop (the target of its process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers itself
    if ceiling and limits.resident_bytes() is not None:
        limits.start_watchdog(ceiling, lambda _message: os._exit(limits.MEMORY_EXIT))
    from ..store import open_store

    store = open_store(built)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            conn.send(("ok", run(built, store, job)))
        except MissionsKGError as e:
            conn.send(("error", type(e), e.message, e.hint))
        except Exception as e:  # an engine failure: one line, never a traceback
            conn.send(("error", QueryError, f"the query failed: {type(e).__name__}", None))


def run(built, store, job) -> Result:
    kind = job[0]
    if kind == "stored":
        from ..engine import run_query

        _, query, params, lang, max_rows = job
        return run_query(built, query, params, lang=lang, max_rows=max_rows, timeout=None)
    if kind == "sparql":
        _, text, form, default_graphs, named_graphs, max_rows = job
        return evaluate(store, text, form, default_graphs, named_graphs, max_rows)
    raise QueryError(f"unknown job {kind!r}")


def evaluate(store, text: str, form: str, default_graphs, named_graphs,
             max_rows: int) -> Result:
    """A protocol query on ``store`` with the given dataset, as an engine-neutral Result."""
    import pyoxigraph as ox

    kwargs = {}
    if default_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    if named_graphs is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        answer = store.query(text, **kwargs)
    except SyntaxError as e:
        from ..syntax import from_oxigraph as syntax_error

        raise syntax_error(e, text, "query") from None
    except (OSError, ValueError, RuntimeError, TypeError) as e:
        raise QueryError(f"the query failed: {' '.join(str(e).split())[:300]}") from None
    if form == "ASK":
        return Result("ASK", boolean=bool(answer), max_rows=max_rows, engine="oxigraph")
    if form == "SELECT":
        names = [v.value for v in answer.variables]
        rows = [tuple(from_oxigraph(sol[i]) for i in range(len(names)))
                for sol in islice(answer, max_rows + 1)]
        result = Result("SELECT", vars=names, rows=rows)
        items = result.rows
    else:
        triples = [tuple(from_oxigraph(t) for t in (tr.subject, tr.predicate, tr.object))
                   for tr in islice(answer, max_rows + 1)]
        result = Result(form, triples=triples)
        items = result.triples
    if len(items) > max_rows:
        del items[max_rows:]
        result.truncated = True
    result.max_rows, result.engine = max_rows, "oxigraph"
    return result
