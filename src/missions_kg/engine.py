"""Run a query on the built dataset with pyoxigraph (default) or rdflib (the reference).

Both engines see the same dataset (:mod:`missions_kg.store` says what it holds) and run the
same text: :func:`prepare` writes the typed parameters in as RDF terms and declares the
project prefixes (:mod:`missions_kg.bindings`), names given for ``match`` parameters having been
resolved to IRIs (:mod:`missions_kg.lookup`). That text is what ``query --show`` prints and what
``query --endpoint`` sends (:mod:`missions_kg.remote`). The engine parses the query itself (no
separate syntax check that could evaluate it).

Limits: ``max_rows`` (stop after N+1 rows; the result says it was truncated) and ``timeout``.
pyoxigraph releases the GIL while it evaluates, so it runs in a daemon thread that the caller
stops waiting for (the CLI then exits, which ends it); rdflib cannot be interrupted, so it runs
in a forked worker process that is killed (:mod:`missions_kg.rdflib_engine`). With the
pyoxigraph engine rdflib is never imported.
"""

from __future__ import annotations

import threading
import time
from itertools import islice

from .answer import QueryTimeout, Result, capped, failure, source
from .bindings import Runnable, runnable
from .catalogue import StoredQuery, is_query_text, parse_query
from .errors import QueryError
from .terms import from_oxigraph

__all__ = ["ENGINES", "DEFAULT_ENGINE", "Result", "QueryTimeout", "load", "prepare",
           "execute", "run_query"]

ENGINES = ("oxigraph", "rdflib")
DEFAULT_ENGINE = "oxigraph"
DEFAULT_MAX_ROWS = 10_000
DEFAULT_TIMEOUT = 30.0


def load(query: StoredQuery | str, query_files=(), *, allow_service: bool = False,
         cache_dir=None) -> StoredQuery:
    """A :class:`StoredQuery` from one, from a stored query's name, a ``.rq`` file, or SPARQL
    text (an ad-hoc query: the project prefixes need not be declared). A query whose header
    declares a SERVICE endpoint still runs only with ``allow_service``."""
    if isinstance(query, str) and is_query_text(query):
        query = parse_query(query, require_summary=False, allow_service=allow_service)
    elif isinstance(query, str):
        from .catalogue import HeaderMemo, resolve

        headers = HeaderMemo(cache_dir)  # its header as YAML read it last time (no import)
        query = resolve(query, query_files, allow_service=allow_service, headers=headers)
        headers.save()
    if not allow_service:  # a declared service is allowed when reading, not when running
        from .safety import check_query_text

        check_query_text(query.text, allow_service=False, name=query.name)
    return query


def prepare(query: StoredQuery, params: dict[str, str] | None = None, *, lang: str = "en",
            resolve=None, allow_service: bool = False) -> Runnable:
    """The exact text ``query`` runs as with ``params`` (``-p`` strings, typed and checked;
    ``resolve(param, name)`` turns names into IRIs, see :func:`missions_kg.lookup.resolver`),
    checked again by the static safety check (SERVICE only with ``allow_service``)."""
    from .safety import check_query_text

    run = runnable(query.text, query.bind(params, lang=lang, resolve=resolve), name=query.name)
    check_query_text(run.text, allow_service=allow_service, name=query.name)
    return run


def run_query(built, query: StoredQuery | str, params: dict[str, str] | None = None, *,
              lang: str = "en", engine: str = DEFAULT_ENGINE, max_rows: int = DEFAULT_MAX_ROWS,
              timeout: float | None = DEFAULT_TIMEOUT, allow_service: bool = False) -> Result:
    """Run a query on ``built`` and return an engine-neutral :class:`Result`.

    ``query`` is a :class:`StoredQuery`, the name of one of the project's stored queries
    (``"who-plays"``), a ``.rq`` file, or SPARQL text.
    ``params`` are ``-p name=value`` strings, typed and checked against the query's header
    (a name for a ``match`` parameter is resolved in ``built``); ``lang`` fills a ``lang``
    parameter. Raises :class:`QueryError` (a bad query, parameter, engine name or limit) or
    :class:`QueryTimeout`.
    """
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r} (use {' or '.join(ENGINES)})")
    from .limits import MAX_ROWS, check_seconds
    from .lookup import resolver

    if not 0 <= max_rows <= MAX_ROWS:
        raise QueryError(f"--max-rows must be between 0 and {MAX_ROWS}")
    if timeout is not None:
        try:
            timeout = check_seconds(timeout)
        except ValueError as e:
            raise QueryError(str(e)) from None
    query = load(query, built.project.query_files(), allow_service=allow_service,
                 cache_dir=built.project.cache_dir)
    run = prepare(query, params, lang=lang, resolve=resolver(built), allow_service=allow_service)
    return execute(built, query, run, engine=engine, max_rows=max_rows, timeout=timeout,
                   allow_service=allow_service)


def execute(built, query: StoredQuery, run: Runnable, *, engine: str = DEFAULT_ENGINE,
            max_rows: int = DEFAULT_MAX_ROWS, timeout: float | None = DEFAULT_TIMEOUT,
            allow_service: bool = False) -> Result:
    """Run the text :func:`prepare` made for ``query`` on ``built``."""
    start = time.perf_counter()
    if engine == "oxigraph":
        from .store import open_store

        store = open_store(built)
        result = _in_thread(lambda: _oxigraph(store, query, run, max_rows), timeout)
    else:
        from .rdflib_engine import run_in_worker

        result = run_in_worker(built, query, run, max_rows, allow_service, timeout)
    result.engine, result.seconds, result.max_rows = engine, time.perf_counter() - start, max_rows
    return result


# -- pyoxigraph ---------------------------------------------------------------------------------

def _oxigraph(store, query: StoredQuery, run: Runnable, max_rows: int) -> Result:
    answer = None  # pyoxigraph's answer may only be dropped on the thread that made it
    try:
        answer = store.query(run.text)
        if query.form == "ASK":
            return Result("ASK", boolean=bool(answer))
        if query.form == "SELECT":
            names = [v.value for v in answer.variables]
            rows = [tuple(from_oxigraph(sol[i]) for i in range(len(names)))
                    for sol in islice(answer, max_rows + 1)]
            return capped(Result("SELECT", vars=names, rows=rows), max_rows)
        triples = [tuple(from_oxigraph(t) for t in (tr.subject, tr.predicate, tr.object))
                   for tr in islice(answer, max_rows + 1)]
        return capped(Result(query.form, triples=triples), max_rows)
    except SyntaxError as e:
        from .syntax import from_oxigraph as syntax_error

        raise syntax_error(e, run.text, source(query), run.original_position) from None
    except (OSError, ValueError, RuntimeError, TypeError) as e:
        raise failure(query, e) from None
    finally:
        answer = None


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
