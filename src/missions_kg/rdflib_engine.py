"""The rdflib side of the engine: the reference engine, run in a worker process it can kill.

rdflib cannot be interrupted, so with a timeout it runs in a forked worker that is killed
when the time is up (or when it passes the memory ceiling, :mod:`missions_kg.limits`). It runs
the same text as pyoxigraph (:func:`missions_kg.engine.prepare`), parsed with
``prepareQuery`` and checked again on rdflib's algebra (:func:`missions_kg.safety.check_algebra`).

One evaluation shortcut, the same answers: for ``GRAPH ?g { … }`` with ``?g`` unbound, rdflib
evaluates the pattern in every named graph in turn. Stored queries look values up that way
(their data is in named graphs, never in a default graph), so :func:`graph_by_index` first
asks the store's index which graphs hold a triple of the pattern with its subject or object
bound, and evaluates only those: a graph without such a triple cannot match. Anything else
is left to rdflib.

A second one, the same answers again: rdflib joins two groups that it cannot join lazily
(``{…} GRAPH ?g {…}`` nested in a join) by comparing every solution of one side with every
solution of the other; :func:`hash_join` indexes one side on the variables both sides
always bind, and compares only the solutions that agree on them (disagreements: 7 s → 1 s).
The same for ``OPTIONAL { SELECT … }`` (:func:`hash_left_join`): rdflib evaluates the
sub-select again for every solution on the left; a sub-select sees nothing from outside it,
so past :data:`_PER_ROW` solutions it is evaluated once and joined by the same index.
"""

from __future__ import annotations

from itertools import islice

from .answer import QueryTimeout, Result, capped, failure, source
from .errors import MissionsKGError, QueryError
from .terms import from_rdflib

_EVAL_NAME = "missions-kg: GRAPH ?g by the store's index"
_JOIN_NAME = "missions-kg: hash join"
_LEFT_JOIN_NAME = "missions-kg: hash left join"
#: Left solutions up to which OPTIONAL { SELECT … } is evaluated per row, as rdflib does
#: (measured, whole queries: with-wikidata, 16 rows on the left, 0.5 s bound per row and
#: 4.8 s evaluated once; without-wikidata, 759 rows, 3.7 s per row and 1.5 s once).
_PER_ROW = 64


def run(built, query, run, max_rows: int, allow_service: bool) -> Result:
    """``run.text`` (a :class:`~missions_kg.bindings.Runnable`) on rdflib, in this process."""
    from rdflib.plugins.sparql import CUSTOM_EVALS, prepareQuery

    from .safety import check_algebra, disable_rdflib_loading
    from .syntax import from_rdflib as syntax_error

    disable_rdflib_loading()
    hooks = {_EVAL_NAME: graph_by_index, _JOIN_NAME: hash_join, _LEFT_JOIN_NAME: hash_left_join}
    CUSTOM_EVALS.update(hooks)  # for this run only: other rdflib users in the process keep theirs
    try:
        try:
            prepared = prepareQuery(run.text)
        except Exception as e:  # pyparsing's ParseException; a bare Exception for a bad prefix
            raise syntax_error(e, run.text, source(query), run.original_position) from None
        check_algebra(prepared, allow_service=allow_service, name=query.name)
        answer = built.rdflib_dataset().query(prepared)
        if query.form == "ASK":
            return Result("ASK", boolean=bool(answer.askAnswer))
        if query.form == "SELECT":
            names = [str(v) for v in answer.vars]
            rows = [tuple(from_rdflib(row[i]) for i in range(len(names)))
                    for row in islice(answer, max_rows + 1)]
            return capped(Result("SELECT", vars=names, rows=rows), max_rows)
        triples = [tuple(from_rdflib(t) for t in tr) for tr in islice(answer, max_rows + 1)]
        return capped(Result(query.form, triples=triples), max_rows)
    finally:
        for name in hooks:
            CUSTOM_EVALS.pop(name, None)


def _triples(part) -> list:
    """The triple patterns a graph pattern must all match (its BGPs, through filters and
    joins; nothing under OPTIONAL, UNION or MINUS, which a match need not hold)."""
    name = getattr(part, "name", None)
    if name == "BGP":
        return list(part.triples)
    if name in ("Filter", "Extend"):
        return _triples(part.p)
    if name == "Join":
        return _triples(part.p1) + _triples(part.p2)
    return []


def graph_by_index(ctx, part):
    """rdflib ``CUSTOM_EVALS`` hook for ``GRAPH ?g {…}`` (see the module docstring); raises
    NotImplementedError to hand anything else back to rdflib."""
    from rdflib.term import BNode, Literal, URIRef, Variable

    if (getattr(part, "name", None) != "Graph" or ctx.dataset is None
            or not isinstance(part.term, Variable) or ctx[part.term] is not None):
        raise NotImplementedError
    best = None
    for triple in _triples(part.p):
        bound = tuple(None if isinstance(t, BNode) else ctx[t] if isinstance(t, Variable) else t
                      for t in triple)
        if not all(b is None or isinstance(b, URIRef | Literal | BNode) for b in bound):
            continue  # a property path
        score = 2 * (bound[0] is not None) + 2 * (bound[2] is not None) + (bound[1] is not None)
        if best is None or score > best[0]:
            best = (score, bound)
    if best is None or best[0] < 2:  # a predicate alone selects too little to pay off
        raise NotImplementedError
    names = {c.identifier for _, contexts in ctx.dataset.store.triples(best[1], None)
             for c in contexts}
    default = getattr(ctx.dataset, "default_graph", None)
    if default is not None:
        names.discard(default.identifier)
    return _in_graphs(ctx, part, sorted(names))


def hash_join(ctx, part):
    """rdflib ``CUSTOM_EVALS`` hook for a join rdflib would do as a nested loop (see the
    module docstring); NotImplementedError hands a lazy join back to rdflib."""
    if getattr(part, "name", None) != "Join" or part.lazy:
        raise NotImplementedError
    from rdflib.plugins.sparql.evaluate import evalPart

    left = list(evalPart(ctx, part.p1))
    right = set(evalPart(ctx, part.p2))  # as rdflib's evalJoin: duplicates on this side go
    if not left or not right:
        return iter(())
    match = _matcher(left, right)
    return (x.merge(y) for x in left for y in match(x))


def hash_left_join(ctx, part):
    """rdflib ``CUSTOM_EVALS`` hook for ``OPTIONAL { SELECT … }`` without a filter (see the
    module docstring); NotImplementedError hands any other OPTIONAL back to rdflib."""
    if (getattr(part, "name", None) != "LeftJoin"
            or getattr(part.p2, "name", None) != "ToMultiSet"
            or getattr(part.expr, "name", None) != "TrueFilter"):
        raise NotImplementedError
    from rdflib.plugins.sparql.evaluate import evalPart

    left = list(evalPart(ctx, part.p1))
    if len(left) <= _PER_ROW:  # few rows: the sub-select bound by each is cheaper (rdflib's way)
        return _left_join_per_row(ctx, part, left)
    right = list(evalPart(ctx, part.p2))
    if not right:
        return iter(left)
    match = _matcher(left, right)

    def solutions():
        for x in left:
            found = False
            for y in match(x):
                found = True
                yield y.merge(x)
            if not found:
                yield x
    return solutions()


def _left_join_per_row(ctx, part, left):
    """rdflib's own ``evalLeftJoin`` (7.x), over solutions already evaluated."""
    from rdflib.plugins.sparql.evaluate import evalPart
    from rdflib.plugins.sparql.evalutils import _ebv

    for a in left:
        ok = False
        for b in evalPart(ctx.thaw(a), part.p2):
            if _ebv(part.expr, b.forget(ctx)):
                ok = True
                yield b.merge(a)
        if not ok:
            p1_vars = part.p1._vars
            if p1_vars is None or not any(
                    _ebv(part.expr, b)
                    for b in evalPart(ctx.thaw(a.remember(p1_vars)), part.p2)):
                yield a


def _matcher(left: list, right) -> callable:
    """``match(x)``: the solutions of ``right`` compatible with ``x``, looked up by the
    variables every solution on both sides binds."""
    keys = set.intersection(*(set(x) for x in left)) & set.intersection(*(set(y) for y in right))
    if not keys:
        return lambda x: [y for y in right if x.compatible(y)]
    keys = sorted(keys)
    index: dict[tuple, list] = {}
    for y in right:
        index.setdefault(tuple(y[k] for k in keys), []).append(y)
    return lambda x: [y for y in index.get(tuple(x[k] for k in keys), ()) if x.compatible(y)]


def _in_graphs(ctx, part, names):
    from rdflib.plugins.sparql.evaluate import evalPart
    from rdflib.plugins.sparql.evalutils import _join

    ctx = ctx.clone()
    previous = ctx.graph
    for name in names:  # as rdflib's own evalGraph does, over fewer graphs
        inner = ctx.pushGraph(ctx.dataset.get_context(name)).push()
        for solution in _join(evalPart(inner, part.p), [{part.term: name}]):
            solution.ctx.graph = previous
            yield solution


def _worker(conn, built, query, runnable, max_rows, allow_service) -> None:
    from .limits import arm_worker

    arm_worker()
    try:
        conn.send(("ok", run(built, query, runnable, max_rows, allow_service)))
    except MissionsKGError as e:
        conn.send(("error", type(e), e.message, e.hint))
    except Exception as e:  # a network error, an rdflib failure or a bug: one line
        bad = failure(query, e)
        conn.send(("error", QueryError, bad.message.replace(
            "the query failed", "rdflib failed"), bad.hint))
    finally:
        conn.close()


def run_in_worker(built, query, runnable, max_rows, allow_service, timeout) -> Result:
    """:func:`run` in a worker process killed after ``timeout`` seconds (None: in this one)."""
    if timeout is None:
        return run(built, query, runnable, max_rows, allow_service)
    import multiprocessing  # 30 ms: only when rdflib runs

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, name="missions-kg-rdflib",
                       args=(child, built, query, runnable, max_rows, allow_service))
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise QueryTimeout(f"the query ran longer than {timeout:g} s; its worker was "
                               "killed", hint="raise --timeout, or add LIMIT / narrow it")
        try:
            message = parent.recv()
        except EOFError:
            proc.join(5)
            from . import limits

            if proc.exitcode == limits.MEMORY_EXIT:
                raise QueryError(limits.memory_message(limits.current_ceiling() or 0,
                                                       f"{query.name} (rdflib)")) from None
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
