"""``missions-kg serve``: the graph over HTTP (SPARQL 1.1 Protocol + Linked Data pages)."""

from __future__ import annotations

import click

from . import SECONDS, get_project

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default; 0.0.0.0 for every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port, printed at startup).")
@click.option("--base", metavar="URL",
              help="Public URL of the server's root when it is reached through a proxy or "
                   "a w3id redirect (e.g. https://kg.example.org/missions/); its path is the "
                   "prefix of every route. Absolute URLs (Service Description, VoID) use it.")
@click.option("--timeout", type=SECONDS, default=10.0, show_default=True,
              help="Stop a query after this many seconds (its worker process is killed).")
@click.option("--workers", type=click.IntRange(1, 16), default=2, show_default=True,
              help="Query worker processes (a runaway query keeps only one busy).")
@click.option("--max-rows", type=click.IntRange(1, 1_000_000), default=10_000,
              show_default=True, help="Rows (or triples) of one answer; more are cut.")
@click.option("--max-body", type=click.IntRange(1, 1024), default=16, metavar="MB",
              show_default=True, help="Largest response body, in MB (a larger answer is 503).")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Allow cross-origin requests from ORIGIN (e.g. https://example.org); "
                   "repeatable. Off by default; '*' is refused: name the origins.")
@click.option("--check", is_flag=True,
              help="Start, answer one SPARQL query on /sparql over loopback, print the "
                   "answer and stop (exit 0 when the server works).")
def serve_command(host, port, base, timeout, workers, max_rows, max_body, cors,
                  check) -> None:
    """Serve the graph: a read-only SPARQL endpoint and Linked Data pages.

    \b
    Routes: / (overview, class index, search), /sparql (SPARQL 1.1 Protocol: GET, POST
    form, POST application/sparql-query; a Service Description without a query; the
    editor in a browser), /id/{slug} and /source/{slug} (HTML, Turtle, JSON-LD,
    N-Triples by Accept), /graph/{name}, /ontology, /ontology/{Term}, /queries,
    /queries/{name} (a form for its parameters; downloads /queries/{name}.csv?param=…),
    /.well-known/void (VoID and DCAT). Update, LOAD, SERVICE and FROM of a graph outside
    the dataset are refused (403). Queries run in worker processes, each under
    --timeout and the memory ceiling (--max-memory, per worker). Ctrl-C stops.

    \b
    Examples:
      missions-kg serve --port 0 --check
      missions-kg serve --port 0 --timeout 5 --cors https://example.org --check
      missions-kg serve --base https://w3id.org/missions-kg/ --port 0 --check
    """
    from .. import limits
    from ..server.app import create_app
    from ..server.context import Settings

    settings = Settings(base=base or "", timeout=timeout,
                        max_rows=max_rows, max_body=max_body * 1024 * 1024, workers=workers,
                        max_memory=limits.current_ceiling(), cors=tuple(cors))
    app = create_app(get_project(), settings=settings)
    from ..server.run import run

    run(app, host, port, check=check, echo=click.echo,
        allow_network=host not in LOOPBACK)
