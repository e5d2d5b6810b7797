"""``missions-kg build``: parse, check and infer now; print what the graph holds."""

from __future__ import annotations

import click

from . import data_option, echo_notes, get_project


@click.command("build")
@click.option("--force/--no-force", default=False, show_default=True,
              help="Rebuild even if the cache matches the inputs (by default an unchanged "
                   "project is not built again).")
@data_option
def build_command(force: bool, extra_data: tuple[str, ...]) -> None:
    """Load ontology/ and data/, infer (OWL RL), store the result in the cache.

    Other commands build on demand; run this to see counts and timing, or after a
    change to check that every file still parses. Prints triples per graph. Nothing is
    done when no input changed since the last build (--force rebuilds anyway).

    \b
    Examples:
      missions-kg build
      missions-kg build --force             # rebuild even though nothing changed
      missions-kg --root . build            # the project in this folder, whatever the env says
    """
    from pathlib import Path

    from .. import build
    from ..terms import curie

    project = get_project()
    if project.is_embedded:
        echo_notes([f"using the copy of the project shipped in the package ({project.root}); "
                    "run inside your checkout or pass --root to build your own files"])
    built = build(project, extra_data=[Path(p) for p in extra_data], force=force)
    echo_notes(built.notes)
    for graph, count in built.graphs.items():
        click.echo(f"{count:>8}  {curie(graph)}")
    how = "cache hit" if built.cache_hit else f"inference {built.inference_seconds:.2f} s"
    click.echo(f"{built.triples:>8}  triples in {len(built.graphs)} graphs "
               f"({built.inferred} inferred) in {built.seconds:.2f} s ({how})")
    click.echo(f"project: {project.root} ({project.found_by})")
    click.echo(f"cache:   {built.nquads_path}")
