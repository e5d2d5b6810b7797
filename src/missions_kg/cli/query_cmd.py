"""``missions-kg query`` and ``missions-kg queries``: run a stored query; list the catalogue."""

from __future__ import annotations

import sys

import click

from .. import formats
from ..engine import DEFAULT_ENGINE, DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, ENGINES
from ..wikidata import ENV_SPARQL
from . import data_option, format_choice, get_project, lang_option


def _split_param(values: tuple[str, ...]) -> dict[str, str]:
    from ..errors import UsageError

    params: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"-p {item!r}: expected NAME=VALUE")
        if name in params:
            raise UsageError(f"-p {name}: given twice")
        params[name] = value
    return params


@click.command("query")
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter (see `missions-kg queries`); repeatable.")
@click.option("-f", "--format", "fmt", type=format_choice("results", "rdf"),
              help="Output format. SELECT/ASK: table (default on a terminal), tsv (default "
                   "otherwise), " + formats.help_text("results") + ". CONSTRUCT/DESCRIBE: "
                   "turtle (default), " + formats.help_text("rdf") + ".")
@lang_option
@click.option("--labels", is_flag=True,
              help="table/csv/tsv: add a <var>_label column after each column of IRIs "
                   "(label in --lang, else en, untagged, any; else the CURIE).")
@click.option("--engine", type=click.Choice(ENGINES), default=DEFAULT_ENGINE,
              show_default=True, help="pyoxigraph (fast) or rdflib (the reference engine).")
@click.option("--allow-service", is_flag=True,
              help="Allow SERVICE (federated calls to other endpoints): network access.")
@click.option("--wikidata-endpoint", metavar="URL", envvar=ENV_SPARQL,
              help="With --allow-service: send the SERVICE of a federated stored query "
                   "(queries/wikidata/*.rq) to URL instead of the endpoint it declares "
                   "[env MISSIONS_KG_WIKIDATA_SPARQL].")
@click.option("--max-rows", type=click.IntRange(min=0), default=DEFAULT_MAX_ROWS,
              show_default=True,
              help="Stop after this many rows (or triples); the output says it was cut.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
              default=DEFAULT_TIMEOUT,
              show_default=True, help="Stop the query after this many seconds (exit 2).")
@data_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write to FILE (atomically) instead of standard output.")
def query(name, params, fmt, lang, labels, engine, allow_service, wikidata_endpoint, max_rows,
          timeout, extra_data, output) -> None:
    """Run a stored query by NAME (see `missions-kg queries`) or a FILE.rq.

    Parameters are typed and checked, then bound as RDF terms (never pasted into the query).
    SPARQL Update, FROM and SERVICE are refused (SERVICE only with --allow-service).

    \b
    Examples:
      missions-kg query cast
      missions-kg query episodes -p season=2 --format csv
      missions-kg query characters-of-actor -p actor="Hélène Viviès" --lang fr --labels
      missions-kg query examples/my-question.rq --data examples/my-facts.ttl --engine rdflib
      missions-kg query examples/episode-card.rq -p episode=mkgid:missions-s1e2 -f jsonld
      missions-kg query wikidata/labels --allow-service --engine rdflib
    """
    from .. import build, render, run_query
    from ..catalogue import resolve
    from ..results import default_format

    project = get_project()
    stored = resolve(name, project.query_files(), allow_service=allow_service)
    if stored.service and allow_service and wikidata_endpoint:
        from ..catalogue import with_endpoint

        stored = with_endpoint(stored, wikidata_endpoint)
    built = build(project, extra_data=extra_data)
    result = run_query(built, stored, _split_param(params), lang=lang, engine=engine,
                 max_rows=max_rows, timeout=timeout, allow_service=allow_service)
    fmt = fmt or default_format(result, tty=output is None and sys.stdout.isatty())
    label_for = None
    if labels:
        from ..labels import Labeller
        from ..store import open_store

        label_for = Labeller(open_store(built), lang).display
    data = render(result, fmt, label_for=label_for)
    if output:
        from ..files import write_output

        write_output(output, data)
    else:
        click.echo(data, nl=False)
    if result.truncated and fmt != "table":
        click.echo(f"Warning: result truncated at --max-rows {max_rows}", err=True)


@click.command("queries")
@click.option("--tag", help="Only queries with this tag.")
@click.option("-f", "--format", "fmt", type=format_choice("catalogue"), default="text",
              show_default=True, help=formats.help_text("catalogue") + ".")
def queries(tag: str | None, fmt: str) -> None:
    """List the stored queries: name, summary, parameters (type, default).

    Reading the catalogue never runs a query: each is checked by a static safety check and
    parsed (not evaluated).

    \b
    Examples:
      missions-kg queries
      missions-kg queries --tag cast
      missions-kg queries --format json
      missions-kg queries --format markdown
    """
    from .. import queries as stored_queries
    from .. import query_docs
    from ..catalogue import project_checks

    project = get_project()
    catalogue = stored_queries(project)
    shown = [q for q in catalogue.values() if tag is None or tag in q.tags]
    fmt = formats.get(fmt, "catalogue").name
    if fmt == "json":
        click.echo(query_docs.to_json(shown, project.root), nl=False)
    elif fmt == "markdown":
        checks = project_checks(project) if tag is None else None
        click.echo(query_docs.to_markdown(type(catalogue)((q.name, q) for q in shown), checks),
                   nl=False)
    elif not shown:
        click.echo("No stored queries" + (f" tagged {tag!r}." if tag else "."))
    else:
        click.echo(query_docs.to_text(shown), nl=False)
