"""``missions-kg publish``: put the project's named graphs into a triple store."""

from __future__ import annotations

import click

from . import SECONDS, data_option, echo_notes, get_project


@click.command("publish")
@click.option("--store", "store_url", metavar="URL", required=True,
              help="The store's SPARQL 1.1 Graph Store Protocol endpoint (oxigraph: …/store; "
                   "Fuseki: …/DATASET/data; GraphDB: …/repositories/ID/rdf-graphs/service; "
                   "Virtuoso: …/sparql-graph-crud-auth). Network access to its host only.")
@click.option("--query-endpoint", metavar="URL",
              help="Where to count what arrived (default: derived from --store for oxigraph, "
                   "Fuseki, GraphDB and Virtuoso).")
@click.option("--graphs", "graphs", multiple=True, metavar="NAME",
              help="Only these graphs (short name such as inferred or seed-002-german-"
                   "description, CURIE or IRI); repeatable, or comma-separated.")
@click.option("--dry-run", is_flag=True,
              help="List what would be sent (graph, triples, bytes); send nothing.")
@click.option("--no-verify", is_flag=True,
              help="Do not count the triples on the store afterwards.")
@click.option("--timeout", type=SECONDS, default=60.0, show_default=True,
              help="Seconds to wait for each request.")
@click.option("-v", "--verbose", is_flag=True,
              help="Print one line per graph the store accepted (graph, triples, bytes).")
@data_option
def publish_command(store_url, query_endpoint, graphs, dry_run, no_verify, timeout, verbose,
                    extra_data) -> None:
    """Upload every named graph of the project (asserted, inferred, sources, ontology) to a
    triple store: one HTTP PUT per graph (SPARQL 1.1 Graph Store Protocol), so publishing
    again replaces each graph instead of adding to it. Then each graph's triples are counted
    on the store's query endpoint: a count that differs is exit 1.

    Credentials come from the environment only, never from the command line:
    MISSIONS_KG_ENDPOINT_USER and MISSIONS_KG_ENDPOINT_PASSWORD (basic auth;
    MISSIONS_KG_ENDPOINT_AUTH=digest for Virtuoso's digest auth), or
    MISSIONS_KG_ENDPOINT_TOKEN (bearer).
    A store that refuses or stops answering is exit 2, and the message says which graphs
    were sent. On a terminal a progress bar counts the graphs sent and verified; each
    graph's body is made when it is sent, so a large build is never all in memory.

    \b
    Examples:
      missions-kg publish --store http://localhost:7878/store --dry-run
      missions-kg publish --store http://localhost:7878/store
      missions-kg publish --store http://localhost:7878/store --graphs inferred,sources -v
    """
    from .. import build
    from ..publish import plan, publish, query_endpoint_for
    from ..publish import short_name as _short
    from ..remote import check_url

    check_url(store_url, "--store")
    verify_at = None
    if not no_verify and not dry_run:
        verify_at = query_endpoint or query_endpoint_for(store_url)
        if verify_at is None:
            from ..errors import UsageError

            raise UsageError(f"cannot tell the query endpoint of {store_url}",
                             hint="pass --query-endpoint URL, or --no-verify")
    names = [n.strip() for item in graphs for n in item.split(",") if n.strip()]
    built = build(get_project(), extra_data=extra_data)
    echo_notes(built.notes)
    payloads = plan(built, names or None)
    if dry_run:
        width = max((len(_short(g)) for g in payloads.graphs), default=5)
        click.echo(f"{'graph':<{width}}  {'triples':>8}  {'bytes':>9}")
        triples = size = 0
        for p, _body in payloads.bodies():
            click.echo(f"{_short(p.graph):<{width}}  {p.triples:>8}  {p.size:>9}")
            triples, size = triples + p.triples, size + p.size
        click.echo(f"Would PUT {len(payloads)} graph(s), {triples} triples, {size} bytes to "
                   f"{store_url}")
        return

    def progress(p):
        click.echo(f"sent {_short(p.graph)}  {p.triples} triples  {p.size} bytes")

    report = publish(payloads, store_url, verify_at, timeout=timeout,
                     progress=progress if verbose else None)
    click.echo(f"Published {len(report.sent)} graph(s), {report.triples} triples to "
               f"{store_url}" + (f"; verified on {verify_at}: every count matches"
                                 if verify_at else " (not verified)"))
