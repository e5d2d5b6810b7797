"""``missions-kg site -o DIR``: the server's pages as a static site, link-checked."""

from __future__ import annotations

from pathlib import Path

import click

from . import SECONDS, get_project, lang_option


@click.command("site")
@click.option("-o", "--output", "output", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the site into (created; files of the same name are "
                   "replaced, nothing else is removed).")
@lang_option
@click.option("--timeout", type=SECONDS, default=30.0, show_default=True,
              help="Stop a stored query after this many seconds (the site build fails).")
def site_command(output: Path, lang: str, timeout: float) -> None:
    """Write the pages of `missions-kg serve` as static files in a folder.

    Entity pages (id/…, source/…, each with its Turtle), source graph pages, the ontology
    and a page per term, class indexes, the query catalogue with each stored query's answer
    for its default parameters (as a table and in every download format), in one language
    (--lang). Links are relative, so the folder works from any static host or from disk
    (open index.html). Every internal link is checked after writing: a broken one is an
    error (exit 1). Search, the SPARQL editor and other parameter values need the server.

    \b
    Examples:
      missions-kg site -o site
      missions-kg site -o site-fr --lang fr
    """
    from .. import build, queries, sandbox
    from ..errors import MissionsKGError
    from ..server.context import Site
    from ..server.static_site import check_links, write_site

    if output.exists() and not output.is_dir():
        raise MissionsKGError(f"{output} exists and is not a folder")
    output.mkdir(parents=True, exist_ok=True)
    sandbox.allow_tree(output.resolve())
    project = get_project()
    site = Site(build(project), queries(project))
    counts = write_site(site, output, lang=lang, timeout=timeout,
                        progress=lambda text: click.echo(text, err=True))
    broken = check_links(output)
    total = sum(counts.values())
    shown = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    if broken:
        for line in broken[:20]:
            click.echo(f"Broken link: {line}", err=True)
        raise click.exceptions.Exit(1)
    click.echo(f"Wrote {total} pages to {output} ({shown}); every internal link resolves. "
               f"Open {output / 'index.html'}.")
