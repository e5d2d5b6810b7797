"""``missions-kg stats``: triples per graph, entities per class, sources."""

from __future__ import annotations

import click

from . import get_project, lang_option


@click.command("stats")
@lang_option
def stats_command(lang: str) -> None:
    """Show triples per graph, entities per class and the sources with their titles.

    \b
    Examples:
      missions-kg stats
      missions-kg stats --lang fr
    """
    from .. import build
    from ..stats import stats

    click.echo(stats(build(get_project()), lang=lang).to_text(), nl=False)
