"""The ``missions-kg`` command: a thin skin over the library.

Commands are imported lazily (only the one that runs), so ``missions-kg query`` does not pay
for rdflib, pyshacl or owlrl. Errors: a ``MissionsKGError`` prints one line ``Error: …`` and
exits with its code (0 ok · 1 data or check failed · 2 usage or unreadable input); anything
else is a bug: one line, exit 70, and ``--debug`` shows the traceback.
"""

from __future__ import annotations

import functools
import importlib
import sys

import click

from .. import __version__, limits
from ..errors import INTERNAL_ERROR_EXIT, MissionsKGError

EXIT_CODES = """\b
Exit codes: 0 ok · 1 the data or a check failed · 2 usage error or unreadable input
(file, shape, query) · 70 internal error (a bug; rerun with --debug) · 130 interrupted."""


class LazyGroup(click.Group):
    """A group whose commands are imported on first use ("name" -> "module:attribute")."""

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, str] = dict(lazy or {})

    def add_lazy_command(self, name: str, target: str) -> None:
        """Register ``name`` -> ``"missions_kg.cli.x_cmd:attr"`` without importing it."""
        self.lazy[name] = target

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx, name):
        if name not in self.commands and name in self.lazy:
            module, attr = self.lazy[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attr), name)
        command = super().get_command(ctx, name)
        return sandboxed(command) if command is not None else None

    def invoke(self, ctx):
        megabytes = ctx.params.get("max_memory")
        ceiling = megabytes * 1024 * 1024 if megabytes and limits.watch_wanted() else None
        with limits.memory_ceiling(ceiling):
            return self._invoke(ctx)

    def _invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except MissionsKGError as exc:
            if ctx.params.get("debug"):
                raise
            click.echo(f"Error: {_one_line(str(exc))}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # `missions-kg queries | head`: the reader has all it wanted
            _silence_stdout()
            ctx.exit(0)
        except OSError as exc:  # the machine, not a bug: disk full, read-only, permissions
            if ctx.params.get("debug"):
                raise
            where = f": {exc.filename}" if exc.filename else ""
            click.echo(f"Error: {_one_line(exc.strerror or str(exc))}{where} (a file could not "
                       "be read or written; check free space and permissions)", err=True)
            ctx.exit(2)
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            click.echo(f"Error: internal error ({type(exc).__name__}: {_one_line(str(exc))}); "
                       "this is a bug — rerun with --debug for the traceback and report it.",
                       err=True)
            ctx.exit(INTERNAL_ERROR_EXIT)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    import os
    import sys

    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _one_line(text: str, limit: int = 1500) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@click.group(cls=LazyGroup, epilog=EXIT_CODES, context_settings={"max_content_width": 100})
@click.option("--root", type=click.Path(file_okay=False, path_type=str),
              help="Project folder holding ontology/ data/ shapes/ queries/ "
                   "[env MISSIONS_KG_ROOT; default: the checkout around you, else the "
                   "copy shipped in the package].")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.option("-q", "--quiet", is_flag=True,
              help="No progress bars (they show only on a terminal, after 2 s).")
@click.option("--max-memory", type=click.IntRange(limits.MIN_MAX_MEMORY_MB, 1_048_576),
              metavar="MB", envvar=limits.ENV_MAX_MEMORY, default=limits.DEFAULT_MAX_MEMORY_MB,
              show_default=True,
              help="Stop (exit 2) when the command's resident memory passes MB megabytes "
                   f"(a runaway query, a huge input) [env {limits.ENV_MAX_MEMORY}; Linux].")
@click.option("--version", is_flag=True, expose_value=False,
              callback=lambda ctx, _p, value: _print_version(ctx) if value else None,
              help="Show the version and the project folder in use, then exit.")
@click.pass_context
def main(ctx: click.Context, root: str | None, debug: bool, quiet: bool,
         max_memory: int) -> None:
    """A knowledge graph of the French TV series Missions: build, validate, query, export.

    \b
    Examples:
      missions-kg build
      missions-kg validate --format json
      missions-kg stats
      missions-kg describe "Jeanne Renoir" --lang fr
      missions-kg --max-memory 2048 validate
      missions-kg --quiet build --force
    """
    from .. import progress

    progress.set_quiet(quiet)
    ctx.ensure_object(dict)
    ctx.obj["root"] = root
    ctx.obj["debug"] = debug


def _print_version(ctx: click.Context) -> None:
    """``missions-kg --version``: the version, and which project folder commands would use
    (a plain install run outside a checkout answers from the copy in the package)."""
    from ..errors import MissionsKGError
    from ..project import Project

    click.echo(f"missions-kg {__version__}")
    try:
        click.echo(f"project: {Project.locate(ctx.params.get('root')).describe()}")
    except MissionsKGError as exc:
        click.echo(f"project: none ({exc})")
    ctx.exit(0)


def get_project(ctx: click.Context | None = None):
    """The ``Project`` for this invocation (``--root``, env, checkout, or embedded)."""
    from .. import sandbox
    from ..project import Project

    ctx = ctx or click.get_current_context()
    project = Project.locate(ctx.find_root().obj.get("root"))
    sandbox.allow_tree(project.root)  # no-ops unless the sandbox is on
    sandbox.allow_tree(project.cache_dir)
    for kind, files in (("ontology", project.ontology_files()), ("data", project.data_files()),
                        ("shape", project.shape_files()),
                        ("query", project.query_files() + project.check_files())):
        for path in files:
            sandbox.allow_project_file(path, kind)
    return project


#: Parameters that opt a command in to network access, and the flag to name in messages.
#: ``allow_service`` opens the network to any host (a SERVICE IRI can point anywhere); a
#: command with ``online`` names its flag and calls ``sandbox.allow_network(hosts)`` itself.
NETWORK_FLAGS = {"allow_service": "--allow-service", "online": "--online",
                 "endpoint": "--endpoint"}


def sandboxed(command: click.Command) -> click.Command:
    """Run ``command``'s callback (and its subcommands') inside the sandbox (see
    :mod:`missions_kg.sandbox`): offline, opening only the project, its cache, Python and
    the files named on the command line. Wraps the callback once; idempotent."""
    callback = command.callback
    if callback is not None and not getattr(callback, "_sandboxed", False):
        @functools.wraps(callback)
        def run(*args, **kwargs):
            from .. import sandbox

            if not sandbox.wanted():
                return callback(*args, **kwargs)
            policy = _command_policy(sandbox, kwargs)
            with sandbox.active(policy):
                try:
                    if kwargs.get("allow_service"):
                        with sandbox.allow_network():
                            return callback(*args, **kwargs)
                    return callback(*args, **kwargs)
                except MissionsKGError:
                    raise
                except Exception as exc:  # a library wrapped the denial in its own error
                    if policy.denied:
                        raise policy.denied[0] from exc
                    raise

        run._sandboxed = True
        command.callback = run
    for sub in getattr(command, "commands", {}).values():
        sandboxed(sub)
    return command


def _command_policy(sandbox, kwargs):
    ctx = click.get_current_context()
    policy = sandbox.base_policy()
    named: list = []
    node = ctx
    while node is not None:
        params = kwargs if node is ctx else node.params
        for key, value in params.items():
            if key == "root" and node.parent is None:
                if value:
                    policy.allow_tree(value)
                continue
            named.extend(value if isinstance(value, list | tuple) else [value])
        node = node.parent
    for value in named:
        if isinstance(value, str) and value or hasattr(value, "__fspath__"):
            policy.allow_file(value)
    flags = [flag for key, flag in NETWORK_FLAGS.items() if key in kwargs]
    policy.network_flag = (f"pass {flags[0]} to allow it" if flags
                           else "this command has no option to allow network access")
    return policy


def echo_notes(notes) -> None:
    """What a person should know but is not the output: on stderr, one line each."""
    for note in notes:
        click.echo(f"Note: {note}", err=True)


def data_option(func):
    """``--data FILE`` (repeatable): add a contributor's RDF file to the project graph."""
    return click.option(
        "--data", "extra_data", multiple=True, metavar="FILE", callback=_local_files,
        help="Extra RDF file (Turtle .ttl, TriG .trig, N-Triples .nt, N-Quads .nq, JSON-LD "
             ".jsonld) added in graph …/graph/user/<name>; repeatable. RDF/XML is refused.",
    )(func)


def _local_files(ctx, param, values):
    """Refuse a URL given as ``--data`` as the user typed it (``Path`` would fold ``//``)."""
    import re

    from ..errors import InputError

    for value in values:
        url = re.match(r"^[A-Za-z][A-Za-z0-9+.-]+://", value)
        if url or value.lower().startswith("file:"):
            raise InputError("--data must be a local file, not a URL (nothing is fetched)",
                             path=value, hint="download it yourself, check it, then pass "
                             "the local file")
    return values


class FormatChoice(click.ParamType):
    """``--format NAME``: any name or alias of the given kinds in :mod:`missions_kg.formats`
    (any case); the value is the name as typed, resolved per kind where it is used."""

    name = "format"

    def __init__(self, *kinds: str) -> None:
        self.kinds = kinds

    def _names(self) -> list[str]:
        from .. import formats

        return list(dict.fromkeys(n for k in self.kinds for n in formats.names(k)))

    def _accepted(self) -> set[str]:
        from .. import formats

        return {n.lower() for k in self.kinds for n in formats.names(k, aliases=True)}

    def get_metavar(self, param, ctx=None) -> str:
        return "[" + "|".join(self._names()) + "]"

    def convert(self, value, param, ctx):
        if str(value).lower() not in self._accepted():
            self.fail(f"{value!r} is not one of {', '.join(self._names())}", param, ctx)
        return str(value).lower()

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        return [CompletionItem(n) for n in self._names() if n.startswith(incomplete)]


def format_choice(*kinds: str) -> FormatChoice:
    return FormatChoice(*kinds)


class Seconds(click.ParamType):
    """A finite number of seconds above 0 and at most a day (``nan``, ``inf``, ``1e300`` and
    ``0`` are usage errors, exit 2)."""

    name = "seconds"

    def convert(self, value, param, ctx):
        from ..limits import check_seconds

        try:
            return check_seconds(float(value), "--" + (param.name if param else "timeout"))
        except (TypeError, ValueError) as e:
            self.fail(str(e) if "must be" in str(e) else f"{value!r} is not a number of "
                      "seconds", param, ctx)


SECONDS = Seconds()


def lang_option(func):
    """``--lang fr|en|de``: which language labels are shown in (falls back en, fr, de)."""
    return click.option("--lang", type=click.Choice(["fr", "en", "de"]), default="en",
                        show_default=True, help="Language of labels.")(func)


# Every command, imported only when it runs (so `query` never pays for rdflib or pyshacl).
for _name, _target in {
    "build": "build_cmd:build_command",
    "validate": "validate_cmd:validate_command",
    "stats": "stats_cmd:stats_command",
    "describe": "describe_cmd:describe_command",
    "query": "query_cmd:query",
    "queries": "query_cmd:queries",
    "prefixes": "query_cmd:prefixes",
    "export": "export_cmd:export_command",
    "publish": "publish_cmd:publish_command",
    "links": "links_cmd:links",
    "serve": "serve_cmd:serve_command",
    "site": "site_cmd:site_command",
}.items():
    main.add_lazy_command(_name, f"missions_kg.cli.{_target}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
