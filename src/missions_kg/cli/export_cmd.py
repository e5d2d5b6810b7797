"""``missions-kg export``: the graph in Turtle, TriG, N-Triples, N-Quads, RDF/XML or JSON-LD."""

from __future__ import annotations

import click

from .. import formats
from . import format_choice, get_project


@click.command("export")
@click.option("-f", "--format", "fmt", default="turtle", show_default=True,
              type=format_choice("export"),
              help=formats.help_text("export") + ". trig, nquads and jsonld keep the named "
                   "graphs; turtle, ntriples and xml hold their union; the Wikidata formats "
                   "hold our statements about entities with a verified item, with references.")
@click.option("--asserted", "which", flag_value="asserted", default=True,
              help="Every graph except the inferred one (default).")
@click.option("--inferred", "which", flag_value="inferred",
              help="Only what OWL RL inference added.")
@click.option("--all", "which", flag_value="all", help="Asserted and inferred.")
@click.option("--source", metavar="NAME",
              help="One graph: IRI, CURIE (mkgg:press-kit) or name after …/graph/.")
@click.option("--framed", is_flag=True,
              help="JSON-LD for web pages and apps: one merged tree per series (seasons, "
                   "episodes, cast roles, people), @set arrays, dates as plain strings.")
@click.option("--provenance", is_flag=True,
              help="With --framed: add each source's facts as a named graph, and the "
                   "descriptions of those sources.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to FILE atomically (the old file stays if anything fails).")
def export_command(fmt: str, which: str, source: str | None, framed: bool, provenance: bool,
                   output: str | None) -> None:
    """Export the knowledge graph. Same input, same bytes (sorted, canonical blank nodes).

    JSON-LD uses the context shipped in the package (@vocab schema.org); nothing is fetched.
    By default it is lossless: every source graph as a named graph, every node flat. With
    --framed it is one merged tree per series, as a web developer reads it; every triple it
    holds is one of the graph's (--provenance says which source states what).
    RDF/XML refuses literals with characters XML cannot carry.

    \b
    Examples:
      missions-kg export > missions.ttl
      missions-kg export --format trig --all -o missions.trig
      missions-kg export --format jsonld --source ref-fr-wikipedia
      missions-kg export --format jsonld --framed -o missions.jsonld
      missions-kg export --format jsonld --framed --provenance -o missions-sources.jsonld
      missions-kg export --inferred --format ntriples
      missions-kg export --format quickstatements -o missions.qs
    """
    from .. import build, export
    from ..files import write_output

    notes: list[str] = []
    data = export(build(get_project()), fmt, which=which, source=source, notes=notes,
                  framed=framed, provenance=provenance)
    if output:
        write_output(output, data)
    else:
        click.echo(data, nl=False)
    for note in notes:
        click.echo(f"Note: {note}", err=True)
