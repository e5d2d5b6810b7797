"""Run a query on the built dataset with pyoxigraph (default) or rdflib (the reference).

Both engines see the same dataset (:mod:`missions_kg.store` says what it holds).
Parameters arrive as typed :class:`~missions_kg.terms.Term` values and are bound by the
engine (pyoxigraph ``substitutions=``, rdflib ``initBindings``), never pasted into text. The
engine parses the query itself (no separate syntax check that could evaluate it).

Limits: ``max_rows`` (stop after N+1 rows; the result says it was truncated) and ``timeout``.
pyoxigraph releases the GIL while it evaluates, so it runs in a daemon thread that the caller
stops waiting for (the CLI then exits, which ends it); rdflib cannot be interrupted, so it runs
in a forked worker process that is killed. With the pyoxigraph engine rdflib is never imported.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from itertools import islice

from .catalogue import StoredQuery, parse_query
from .errors import MissionsKGError, QueryError
from .terms import Term, from_oxigraph, from_rdflib, to_oxigraph, to_rdflib

ENGINES = ("oxigraph", "rdflib")
DEFAULT_ENGINE = "oxigraph"
DEFAULT_MAX_ROWS = 10_000
DEFAULT_TIMEOUT = 30.0


@dataclass
class Result:
    """The answer of one query: ``vars`` + ``rows`` (SELECT), ``boolean`` (ASK) or
    ``triples`` (CONSTRUCT/DESCRIBE). ``truncated`` is True when the row cap cut it short."""

    form: str
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)
    truncated: bool = False
    max_rows: int | None = None
    engine: str = ""
    seconds: float = 0.0

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    def __len__(self) -> int:
        return len(self.triples) if self.is_graph else len(self.rows)


class QueryTimeout(QueryError):
    """The query ran longer than ``--timeout`` and was stopped."""


def run_query(built, query: StoredQuery | str, params: dict[str, str] | None = None, *,
              lang: str = "en", engine: str = DEFAULT_ENGINE, max_rows: int = DEFAULT_MAX_ROWS,
              timeout: float | None = DEFAULT_TIMEOUT, allow_service: bool = False) -> Result:
    """Run a query on ``built`` and return an engine-neutral :class:`Result`.

    ``query`` is a :class:`StoredQuery`, the name of one of the project's stored queries
    (``"who-plays"``), a ``.rq`` file, or SPARQL text.
    ``params`` are ``-p name=value`` strings, typed and checked against the query's header;
    ``lang`` fills a ``lang`` parameter. Raises :class:`QueryError` (a bad query, parameter,
    engine name or limit) or :class:`QueryTimeout`.
    """
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r} (use {' or '.join(ENGINES)})")
    if max_rows < 0:
        raise QueryError("--max-rows must be 0 or more")
    if timeout is not None and timeout <= 0:
        raise QueryError("--timeout must be more than 0 seconds")
    if isinstance(query, str) and _is_name(query):
        from .catalogue import resolve

        query = resolve(query, built.project.query_files(), allow_service=allow_service)
    elif isinstance(query, str):
        query = parse_query(query, require_summary=False, allow_service=allow_service)
    elif allow_service is False:  # re-check: a StoredQuery may have been loaded permissively
        from .safety import check_query_text

        check_query_text(query.text, allow_service=False, name=query.name)
    bindings = query.bind(params, lang=lang)
    start = time.perf_counter()
    if engine == "oxigraph":
        from .store import open_store

        store = open_store(built)
        result = _in_thread(lambda: _oxigraph(store, query, bindings, max_rows), timeout)
    else:
        result = _in_worker(built, query, bindings, max_rows, allow_service, timeout)
    result.engine, result.seconds, result.max_rows = engine, time.perf_counter() - start, max_rows
    return result


# -- pyoxigraph ---------------------------------------------------------------------------------

def _oxigraph(store, query: StoredQuery, bindings: dict[str, Term], max_rows: int) -> Result:
    import pyoxigraph as ox

    subs = {ox.Variable(name): to_oxigraph(term) for name, term in bindings.items()}
    try:
        answer = store.query(query.text, substitutions=subs or None)
    except SyntaxError as e:
        from .syntax import from_oxigraph as syntax_error

        raise syntax_error(e, query.text, _source(query)) from None
    except (OSError, ValueError, RuntimeError) as e:
        raise QueryError(f"{query.name}: the query failed: {e}") from None
    if query.form == "ASK":
        return Result("ASK", boolean=bool(answer))
    if query.form == "SELECT":
        names = [v.value for v in answer.variables]
        rows = [tuple(from_oxigraph(sol[i]) for i in range(len(names)))
                for sol in islice(answer, max_rows + 1)]
        return _capped(Result("SELECT", vars=names, rows=rows), max_rows)
    triples = [tuple(from_oxigraph(t) for t in (tr.subject, tr.predicate, tr.object))
               for tr in islice(answer, max_rows + 1)]
    return _capped(Result(query.form, triples=triples), max_rows)


def _is_name(text: str) -> bool:
    """A stored query's name or a ``.rq`` path, not SPARQL text (which has spaces, braces)."""
    return bool(text) and not any(c.isspace() or c in "{}" for c in text)


def _source(query: StoredQuery) -> str:
    return str(query.path) if query.path else query.name


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

def _rdflib(built, query: StoredQuery, bindings: dict[str, Term], max_rows: int,
            allow_service: bool) -> Result:
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.term import Variable

    from .safety import check_algebra, disable_rdflib_loading
    from .syntax import from_rdflib as syntax_error

    disable_rdflib_loading()
    try:
        prepared = prepareQuery(query.text)
    except Exception as e:  # pyparsing's ParseException; a bare Exception for a bad prefix
        raise syntax_error(e, query.text, _source(query)) from None
    check_algebra(prepared, allow_service=allow_service, name=query.name)
    dataset = built.rdflib_dataset()
    answer = dataset.query(prepared, initBindings={Variable(k): to_rdflib(v)
                                                   for k, v in bindings.items()})
    if query.form == "ASK":
        return Result("ASK", boolean=bool(answer.askAnswer))
    if query.form == "SELECT":
        names = [str(v) for v in answer.vars]
        rows = [tuple(from_rdflib(row[i]) for i in range(len(names)))
                for row in islice(answer, max_rows + 1)]
        return _capped(Result("SELECT", vars=names, rows=rows), max_rows)
    triples = [tuple(from_rdflib(t) for t in tr) for tr in islice(answer, max_rows + 1)]
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
