"""``missions-kg validate``: SHACL shapes + ``*-violation.rq`` checks, with exit codes."""

from __future__ import annotations

import click

from . import data_option, echo_notes, format_choice, get_project, lang_option


@click.command("validate")
@click.option("-f", "--format", "fmt", type=format_choice("report"), default="text",
              show_default=True, help="Report format: text, json, or turtle (a SHACL "
                                      "ValidationReport).")
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info"]),
              default="violation", show_default=True,
              help="Exit 1 when a result has this severity or a higher one.")
@click.option("--engine", type=click.Choice(["turbo", "pyshacl"]), default=None,
              help="SHACL engine: turbo (pyshacl-turbo, the default when installed) or "
                   "pyshacl (the reference); both give the same report.")
@data_option
@lang_option
def validate_command(fmt: str, fail_on: str, engine: str | None, extra_data: tuple[str, ...],
                     lang: str) -> None:
    """Check the graph against shapes/*.ttl and queries/checks/*-violation.rq.

    Exit 0 when no result reaches --fail-on, 1 when one does, 2 when an input, shape or
    check cannot be read. Each result names the focus node, path, value, message, the
    shape or check, the source graph(s) holding the offending triple, and the file and
    line near which it is written. An unchanged project is not validated again: its
    report is kept with the build.

    \b
    Examples:
      missions-kg validate
      missions-kg validate --fail-on warning
      missions-kg validate --format json > report.json
      missions-kg validate --data examples/my-new-facts.ttl
      missions-kg validate --engine pyshacl     # the reference engine
    """
    from pathlib import Path

    from .. import formats, validate

    report = validate(get_project(), extra_data=[Path(p) for p in extra_data], lang=lang,
                      engine=engine)
    echo_notes(report.notes)
    fmt = formats.get(fmt, "report").name
    if fmt == "json":
        click.echo(report.to_json(), nl=False)
    elif fmt == "turtle":
        click.echo(report.to_turtle(), nl=False)
    else:
        click.echo(report.to_text(), nl=False)
    raise SystemExit(1 if report.failed(fail_on) else 0)
