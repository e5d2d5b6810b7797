"""Put the build's named graphs into a triple store: the SPARQL 1.1 Graph Store HTTP Protocol.

One ``PUT STORE?graph=IRI`` per graph, its triples as N-Triples (``application/n-triples``,
which oxigraph, Fuseki, GraphDB and Virtuoso all accept): a PUT replaces the graph, so
publishing twice leaves the store as publishing once. Every graph of the build goes (the
sources' graphs, ``curation``, ``links``, ``sources``, ``ontology``, ``inferred``), or a
selection; then one ``SELECT (COUNT(*) …) { GRAPH <g> { … } }`` per graph, on the store's
query endpoint, checks that it holds what was sent. Blank nodes are the store's own once
they are in it: a node shared by two graphs becomes one node per graph (counts hold).

A store that refuses a graph, or stops answering half way, ends the run with an error that
says which graphs were sent (:class:`PublishError`, exit 2); a store that holds other counts
than were sent is a failed check (:class:`Mismatch`, exit 1). Credentials: as for
``query --endpoint`` (:mod:`missions_kg.remote`), from the environment only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox

from . import iris
from .errors import MissionsKGError, UsageError

N_TRIPLES = "application/n-triples"
#: store (Graph Store Protocol) path → query path, for the stores whose layout is known
_QUERY_PATHS = [(re.compile(r"/store$"), "/query"),                              # oxigraph
                (re.compile(r"/sparql-graph-crud(-auth)?$"), "/sparql"),          # Virtuoso
                (re.compile(r"/rdf-graphs/service$"), ""),                        # GraphDB
                (re.compile(r"/data$"), "/sparql")]                               # Fuseki


class PublishError(MissionsKGError):
    """The store refused a graph or stopped answering; nothing after it was sent (exit 2)."""


class Mismatch(MissionsKGError):
    """The store holds other triple counts than were sent (exit 1: a check failed)."""

    exit_code = 1


@dataclass(frozen=True)
class Payload:
    """One graph as it was (or would be) sent: its IRI, triples and bytes."""

    graph: str
    triples: int
    size: int


@dataclass
class Report:
    store: str
    sent: list[Payload] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # what the store holds, verified

    @property
    def triples(self) -> int:
        return sum(p.triples for p in self.sent)


class Plan:
    """The graphs to send, in the build's order. Each graph's body is made when its turn
    comes and dropped once sent, so a million-quad build is never in memory as bodies."""

    def __init__(self, built, graphs: list[str]) -> None:
        self.built = built
        self.graphs = list(dict.fromkeys(graphs))

    def __len__(self) -> int:
        return len(self.graphs)

    def bodies(self) -> Iterator[tuple[Payload, bytes]]:
        """Each graph's triples as sorted N-Triples, with what they count."""
        from .store import open_store

        store = open_store(self.built)
        for graph in self.graphs:
            triples = [ox.Triple(q.subject, q.predicate, q.object)
                       for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))]
            body = ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES)
            yield Payload(graph, len(triples), len(body)), body


def plan(built, graphs: list[str] | None = None) -> Plan:
    """What to send: every graph of ``built``, or ``graphs`` (short names such as
    ``seed-001-thelogbook-ulysse`` / ``inferred``, CURIEs or IRIs)."""
    return Plan(built, list(built.graphs) if not graphs else [_graph(built, g) for g in graphs])


def _graph(built, name: str) -> str:
    """``export --source``'s resolver (IRI, CURIE or short name), its error named for
    ``--graphs``."""
    from .exports import resolve_source

    try:
        return resolve_source(built, name.strip().removeprefix("<").removesuffix(">"))
    except UsageError as e:
        raise UsageError(f"--graphs: {e.message}") from None


def query_endpoint_for(store: str) -> str | None:
    """The query endpoint of a store whose layout is known (oxigraph, Virtuoso, GraphDB,
    Fuseki), from its Graph Store Protocol URL; None otherwise."""
    parts = urlsplit(store)
    for pattern, replacement in _QUERY_PATHS:
        if pattern.search(parts.path):
            path = pattern.sub(replacement, parts.path)
            return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    return None


def publish(payloads: Plan, store: str, query_endpoint: str | None, *,
            timeout: float, progress=None) -> Report:
    """PUT each graph of the plan to ``store``, then verify the counts on ``query_endpoint``
    (None: not verified). ``progress(payload)`` is called after each graph the store
    accepted; on a terminal a bar counts the graphs (:mod:`missions_kg.progress`)."""
    from . import remote, sandbox
    from .progress import task

    hosts = [remote.check_url(store, "--store")]
    if query_endpoint:
        hosts.append(remote.check_url(query_endpoint, "--query-endpoint"))
    report = Report(store)
    with (sandbox.allow_network(hosts), remote.client(timeout) as http,
          task("Publishing", total=len(payloads), unit="graph") as bar):
        for payload, body in payloads.bodies():
            try:
                response = remote.request(http, "PUT", store, what="the store", timeout=timeout,
                                          params={"graph": payload.graph},
                                          content=body,
                                          headers={"Content-Type": N_TRIPLES})
            except MissionsKGError as e:
                raise PublishError(f"{e.message}; {_sent(report, payloads)}",
                                   hint=e.hint) from None
            if response.status_code >= 300:
                error = remote.http_error(response, "the store")
                raise PublishError(f"{error.message} for <{payload.graph}>; "
                                   f"{_sent(report, payloads)}", hint=error.hint)
            report.sent.append(payload)
            bar.update(1)
            if progress is not None:
                progress(payload)
    if query_endpoint:
        with task("Verifying", total=len(report.sent), unit="graph") as bar:
            verify(report, query_endpoint, timeout=timeout, done=bar.update)
    return report


def _sent(report: Report, payloads: Plan) -> str:
    if not report.sent:
        return f"nothing was sent (0 of {len(payloads)} graphs)"
    names = ", ".join(short_name(p.graph) for p in report.sent)
    return (f"sent before it: {len(report.sent)} of {len(payloads)} graphs "
            f"({report.triples} triples): {names}")


def short_name(graph: str) -> str:
    """``mkgg:name`` for a project graph, else the IRI."""
    from .terms import curie

    return curie(graph, {"mkgg": iris.GRAPH})


def verify(report: Report, query_endpoint: str, *, timeout: float, done=None) -> None:
    """Count each sent graph's triples on the store; :class:`Mismatch` if one differs.
    ``done(1)`` is called after each graph counted."""
    from . import remote

    wrong = []
    for payload in report.sent:
        text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{payload.graph}> {{ ?s ?p ?o }} }}"
        result = remote.run(query_endpoint, text, "SELECT", timeout=timeout, max_rows=1,
                            name="count")
        cell = result.rows[0][0] if result.rows and result.rows[0] else None
        count = int(cell.value) if cell is not None and cell.value.isdigit() else -1
        report.counts[payload.graph] = count
        if done is not None:
            done(1)
        if count != payload.triples:
            wrong.append(f"{short_name(payload.graph)} holds {count}, {payload.triples} were sent")
    if wrong:
        raise Mismatch(f"the store's counts differ from what was sent: {'; '.join(wrong)}",
                       hint="the store may normalise literals or merge graphs; re-publish, "
                            "or check its settings")
