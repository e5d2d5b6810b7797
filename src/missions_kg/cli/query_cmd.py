"""``missions-kg query`` and ``missions-kg queries``: run a stored query; list the catalogue."""

from __future__ import annotations

import shutil
import sys

import click

from .. import formats
from ..engine import DEFAULT_ENGINE, DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, ENGINES
from ..limits import MAX_ROWS
from ..remote import ENV_AUTH, ENV_PASSWORD, ENV_TOKEN, ENV_USER
from ..wikidata import ENV_SPARQL
from . import SECONDS, data_option, echo_notes, format_choice, get_project, lang_option


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
@click.argument("name", metavar="QUERY")
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
@click.option("--columns", metavar="A,B,…",
              help="SELECT: only these columns, in this order.")
@click.option("--show", is_flag=True,
              help="Print the exact text that would run (parameters written in as RDF "
                   "terms, prefixes declared), ready to paste into any SPARQL UI; run nothing. "
                   "It is checked as a run would be.")
@click.option("--endpoint", metavar="URL",
              help="Run on this SPARQL 1.1 Protocol endpoint instead of the local project "
                   "(network access to its host only). Credentials from the environment "
                   f"only: {ENV_USER} and {ENV_PASSWORD} (basic; {ENV_AUTH}=digest for "
                   f"digest), or {ENV_TOKEN} (bearer).")
@click.option("--engine", type=click.Choice(ENGINES), default=DEFAULT_ENGINE,
              show_default=True, help="Local runs: pyoxigraph (fast) or rdflib (the "
                                      "reference engine).")
@click.option("--allow-service", is_flag=True,
              help="Allow SERVICE (federated calls to other endpoints): network access.")
@click.option("--wikidata-endpoint", metavar="URL", envvar=ENV_SPARQL,
              help="With --allow-service: send the SERVICE of a federated stored query "
                   "(queries/wikidata/*.rq) to URL instead of the endpoint it declares "
                   "[env MISSIONS_KG_WIKIDATA_SPARQL].")
@click.option("--max-rows", type=click.IntRange(0, MAX_ROWS), default=DEFAULT_MAX_ROWS,
              show_default=True,
              help="Stop after this many rows (or triples); the output says it was cut.")
@click.option("--timeout", type=SECONDS, default=DEFAULT_TIMEOUT,
              show_default=True, help="Stop the query after this many seconds (exit 2).")
@data_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write to FILE (atomically) instead of standard output.")
def query(name, params, fmt, lang, labels, columns, show, endpoint, engine, allow_service,
          wikidata_endpoint, max_rows, timeout, extra_data, output) -> None:
    """Run QUERY: a stored query's NAME (see `missions-kg queries`), a FILE.rq, SPARQL text,
    or - to read it from standard input.

    Parameters are typed and checked, then written into the query as RDF terms (never as
    the text typed); a name given for an entity is resolved to its IRI first. Prefixes of
    the project (`missions-kg prefixes`) need no PREFIX line. SPARQL Update, FROM and SERVICE
    are refused (SERVICE only with --allow-service).

    \b
    Examples:
      missions-kg query cast
      missions-kg query episodes -p season=2 --format csv
      missions-kg query characters-of-actor -p actor="Hélène Viviès" --lang fr --labels
      missions-kg query who-plays -p character="jeanne renoir" --show
      missions-kg query 'SELECT ?s WHERE { GRAPH ?g { ?s a schema:TVSeason } }'
      echo 'ASK { GRAPH ?g { mkgid:missions ?p ?o } }' | missions-kg query -
      missions-kg query cast --columns actor_name,character_name,work_name
      missions-kg query examples/my-question.rq --data examples/my-facts.ttl --engine rdflib
      missions-kg query examples/episode-card.rq -p episode=mkgid:missions-s1e2 -f jsonld
      missions-kg query wikidata/labels --allow-service --engine rdflib
      missions-kg query episodes -p season=1 --endpoint http://localhost:7878/query
    """
    from .. import build, render
    from ..engine import execute, prepare
    from ..lookup import resolver
    from ..results import default_format

    project = get_project()
    stored = _load(name, project, allow_service)
    if stored.service and allow_service and wikidata_endpoint:
        from ..catalogue import with_endpoint

        stored = with_endpoint(stored, wikidata_endpoint)
    if endpoint:
        from ..remote import check_url, not_remote

        check_url(endpoint)
        if extra_data:
            raise not_remote("--data")
    box: list = []

    def built():
        if not box:
            box.append(build(project, extra_data=extra_data))
            echo_notes(box[0].notes)
        return box[0]

    given = _split_param(params)
    run = prepare(stored, given, lang=lang, resolve=resolver(built), allow_service=allow_service)
    if show:
        from ..syntax import Checker

        Checker().check(run.text, str(stored.path or stored.name), run.original_position)
        click.echo(run.text, nl=not run.text.endswith("\n"))
        return
    if endpoint:
        from .. import remote

        result = remote.run(endpoint, run.text, stored.form, timeout=timeout,
                            max_rows=max_rows, name=stored.name)
    else:
        result = execute(built(), stored, run, engine=engine, max_rows=max_rows,
                         timeout=timeout, allow_service=allow_service)
    if columns:
        from ..results import select_columns

        result = select_columns(result, [c.strip().lstrip("?") for c in columns.split(",")
                                         if c.strip()])
    tty = output is None and sys.stdout.isatty()
    fmt = fmt or default_format(result, tty=tty)
    label_for = None
    if labels:
        from ..labels import Labeller
        from ..store import open_store

        label_for = Labeller(open_store(built()), lang).display
    width = shutil.get_terminal_size().columns if tty else None
    data = render(result, fmt, label_for=label_for, width=width)
    if output:
        from ..files import write_output

        write_output(output, data)
    else:
        click.echo(data, nl=False)
    if result.form == "SELECT" and not result.rows and given:
        shown = ", ".join(f"{k}={v!r}" for k, v in given.items())
        echo_notes([f"no rows for {shown}: check the value(s); `missions-kg queries` says what "
                    "each parameter takes, and `missions-kg describe NAME` finds a thing by "
                    "name (accents and case ignored)"])
    if result.truncated and fmt != "table":
        click.echo(f"Warning: result truncated at --max-rows {max_rows}", err=True)


def _load(name: str, project, allow_service: bool):
    """QUERY as a StoredQuery: ``-`` reads standard input."""
    from ..engine import load

    if name == "-":
        from ..catalogue import parse_query

        text = sys.stdin.read()
        return parse_query(text, name="<stdin>", require_summary=False,
                           allow_service=allow_service)
    return load(name, project.query_files(), allow_service=allow_service,
                cache_dir=project.cache_dir)


@click.command("prefixes")
def prefixes() -> None:
    """List the prefixes every query may use without declaring them (SPARQL PREFIX lines,
    ready to paste).

    \b
    Examples:
      missions-kg prefixes
    """
    from ..iris import PREFIXES

    for prefix, iri in PREFIXES.items():
        click.echo(f"PREFIX {prefix + ':':<8} <{iri}>")


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
