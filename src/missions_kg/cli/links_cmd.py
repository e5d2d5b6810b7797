"""``missions-kg links``: the Wikidata link store — list, what is missing, reconcile."""

from __future__ import annotations

import json

import click

from ..wikidata import DEFAULT_API, DEFAULT_SPARQL, ENV_API, ENV_SPARQL
from . import format_choice, get_project, lang_option

STATUS_CHOICES = ("verified", "candidate", "rejected")


def _print(rows, fmt: str, columns: tuple[str, ...]) -> None:
    if fmt == "json":
        click.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    for r in rows:
        values = [_cell(getattr(r, c)) for c in columns]
        click.echo("\t".join(values) if fmt == "tsv" else "  ".join(v for v in values if v))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return " ".join(str(value).split())


@click.group("links", invoke_without_command=True)
@click.option("--missing", is_flag=True,
              help="List the people, works, organisations, places and real events that have "
                   "no verified Wikidata link yet (with their open candidates).")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUS_CHOICES),
              help="Only links with this status (repeatable; default: all).")
@click.option("-f", "--format", "fmt", type=format_choice("listing"), default="text",
              show_default=True, help="Output format: text, tsv or json.")
@lang_option
@click.pass_context
def links(ctx: click.Context, missing: bool, statuses: tuple[str, ...], fmt: str,
          lang: str) -> None:
    """The Wikidata link store (data/links.trig): entity, label, QID, status, evidence.

    Verified links are also schema:sameAs; candidates and rejected links are records only.
    Nothing here uses the network except `links reconcile --online`.

    \b
    Examples:
      missions-kg links
      missions-kg links --status candidate --format json
      missions-kg links --missing
      missions-kg links reconcile --online --limit 5
    """
    if ctx.invoked_subcommand is not None:
        return
    from .. import formats

    fmt = formats.get(fmt, "listing").name
    from .. import build
    from ..wikidata.listing import link_rows, missing_rows

    project = get_project()
    built = build(project)
    if missing:
        rows = missing_rows(project, built, lang)
        if fmt == "text":
            click.echo(f"{len(rows)} entities without a verified Wikidata link:")
        _print(rows, fmt, ("kind", "label", "entity", "review"))
        return
    rows = link_rows(project, built, lang, statuses or STATUS_CHOICES)
    if fmt == "text":
        counts = {s: sum(r.status == s for r in rows) for s in STATUS_CHOICES}
        click.echo(", ".join(f"{n} {s}" for s, n in counts.items()) + " link(s):")
    _print(rows, fmt, ("label", "qid", "status", "score", "review", "entity", "evidence"))


@links.command("reconcile")
@click.option("--online", is_flag=True,
              help="Allow network access to Wikidata (required: off by default).")
@click.option("--endpoint", metavar="URL", envvar=ENV_API, default=DEFAULT_API,
              show_default=True,
              help="Action API (wbsearchentities) [env MISSIONS_KG_WIKIDATA_API].")
@click.option("--sparql-endpoint", metavar="URL", envvar=ENV_SPARQL, default=DEFAULT_SPARQL,
              show_default=True,
              help="SPARQL endpoint for P31, dates and relations "
                   "[env MISSIONS_KG_WIKIDATA_SPARQL].")
@click.option("--accept-threshold", type=click.FloatRange(0, 1), default=0.8,
              show_default=True, help="With --accept: the score a candidate needs to become "
                                      "verified.")
@click.option("--accept", is_flag=True,
              help="Mark the best candidate verified when it is unambiguous and scores at least "
                   "--accept-threshold (by \"missions-kg reconcile\"). Without it, only "
                   "candidates are recorded.")
@click.option("--entity", "entities", multiple=True, metavar="NAME|IRI",
              help="Reconcile only this entity (IRI, CURIE, slug or label; repeatable). "
                   "Default: every entity `links --missing` lists.")
@click.option("--limit", type=click.IntRange(min=1), help="Ask for at most N entities.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10.0,
              show_default=True, help="Seconds to wait for each reply.")
@lang_option
def reconcile_command(online: bool, endpoint: str, sparql_endpoint: str,
                      accept_threshold: float, accept: bool, entities: tuple[str, ...],
                      limit: int | None, timeout: float, lang: str) -> None:
    """Find Wikidata candidates for unlinked entities, score them, record them.

    Asks the action API (wbsearchentities) by name and language, then the SPARQL endpoint for
    each hit's P31, birth/death dates and works; scores hits against what the graph knows
    and records them in data/links.trig as candidates with score and reasons. Ambiguous
    names (two candidates close in score) are flagged for review. Only with --accept, and
    only at or above --accept-threshold, does a candidate become verified. A timeout or a
    malformed reply stops the run (exit 2) and leaves the store unchanged.

    \b
    Examples:
      missions-kg links reconcile --online --limit 10
      missions-kg links reconcile --online --entity "Julien Lacombe"
      missions-kg links reconcile --online --accept --accept-threshold 0.9
    """
    from ..errors import UsageError

    if not online:
        raise UsageError("links reconcile asks Wikidata over the network and is off by "
                         "default; nothing was sent",
                         hint="add --online to allow it")
    import datetime

    from .. import build
    from ..wikidata.client import Client
    from ..wikidata.reconcile import reconcile

    for url in (endpoint, sparql_endpoint):
        if not url.startswith(("http://", "https://")):
            raise UsageError(f"{url!r} is not an http(s) URL")
    project = get_project()
    built = build(project)
    targets = [_resolve(project, built, e) for e in entities] or None
    client = Client(endpoint, sparql_endpoint, timeout)
    with network_allowed([endpoint, sparql_endpoint]):
        outcomes = reconcile(project, built, client, entities=targets,
                             threshold=accept_threshold, accept=accept, limit=limit,
                             today=datetime.date.today().isoformat(), lang=lang)
    for o in outcomes:
        click.echo(f"{o.entity.label}  <{o.entity.iri}>: {o.result}")
        for s in o.scored:
            mark = f"  [not kept: {s.dropped}]" if s.dropped else ""
            click.echo(f"    {s.hit.qid}  {s.score:.2f}  {s.hit.label!r}"
                       f"{' — ' + s.hit.description if s.hit.description else ''}{mark}")
            for reason in s.reasons:
                click.echo(f"        {reason}")
    kept = sum(1 for o in outcomes for s in o.scored if not s.dropped)
    click.echo(f"{len(outcomes)} entities asked, {client.requests} requests, {kept} candidate(s) "
               "recorded in data/links.trig; review them with `missions-kg links --status "
               "candidate`.")


def network_allowed(urls):
    """The sandbox's opt-in (issue 4) for the hosts of ``urls``; a no-op without a sandbox."""
    import contextlib
    import urllib.parse

    try:
        from ..sandbox import allow_network
    except ImportError:
        return contextlib.nullcontext()
    return allow_network(sorted({urllib.parse.urlsplit(u).hostname or "" for u in urls}))


def _resolve(project, built, text: str) -> str:
    """An entity's IRI from an IRI, CURIE, slug or exact name (accents and case ignored);
    never a partial match, since the caller writes a link for it."""
    from ..description import resolve
    from ..store import open_store

    return resolve(open_store(built), text, partial=False).value


def _review(status: str):
    @click.argument("entity")
    @click.argument("qid")
    @click.option("--by", required=True, metavar="NAME", help="Who reviewed the link.")
    @click.option("--reason", help="Why (kept as a reason on the record).")
    def command(entity: str, qid: str, by: str, reason: str | None) -> None:
        from .. import build
        from ..wikidata.links import load, set_status
        from ..wikidata.links_writer import write_store

        project = get_project()
        iri = _resolve(project, build(project), entity)
        store = load(project)
        link = set_status(store, iri, qid.upper(), status, by, reason)
        write_store(store)
        click.echo(f"{link.qid} is now {status} for <{iri}> (by {link.accepted_by}).")
    return command


links.command("accept", help="""Mark a candidate verified after reviewing it: its record gets
status verified and --by, and the entity becomes schema:sameAs the item.

\b
Examples:
  missions-kg links reconcile --online --entity "Julien Lacombe"
  missions-kg links accept julien-lacombe Q900000020 --by "A. Maintainer"
""")(_review("verified"))
links.command("reject", help="""Mark a candidate (or a verified link) rejected: the record and
its evidence stay, so reconciliation never proposes it again.

\b
Examples:
  missions-kg links reconcile --online --entity "Julien Lacombe"
  missions-kg links reject julien-lacombe Q900000021 --by "A. Maintainer" --reason "a footballer"
""")(_review("rejected"))
