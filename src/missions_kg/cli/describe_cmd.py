"""``missions-kg describe THING``: labels, facts with their sources, inbound links."""

from __future__ import annotations

import click

from . import get_project, lang_option


@click.command("describe")
@click.argument("thing")
@lang_option
def describe_command(thing: str, lang: str) -> None:
    """Show everything the graph says about THING and which source graph says it.

    THING is a full IRI, a CURIE (mkgid:, mkg:, schema:, …), an entity slug, or a
    label/name (case- and accent-insensitive; an ambiguous name lists the candidates
    and exits 2).

    A retired IRI (owl:deprecated true) is followed to what replaces it
    (dcterms:isReplacedBy): the first line says so, and the replacement is described. A
    retired IRI without a single replacement is described as it is, and the first line
    says it is retired.

    \b
    Examples:
      missions-kg describe "Jeanne Renoir"
      missions-kg describe mkgid:character-jeanne-renoir --lang fr
      missions-kg describe https://w3id.org/missions-kg/id/character-jeanne-renoir
      missions-kg describe mkg:FictionalCharacter --lang de
      missions-kg describe mkgid:zillion-1-private-operator
    """
    from .. import build, describe

    click.echo(describe(build(get_project()), thing, lang=lang).to_text(), nl=False)
