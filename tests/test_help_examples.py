"""Every example in every command's and subcommand's ``--help`` runs as written, from the
project root, and exits 0.

The examples run in order, in one throw-away copy of the project (ontology, data, shapes,
queries, examples), so an example may build on the one before it (``links reconcile`` records
a candidate that ``links accept`` then accepts). Examples that reach a network service run
against loopback stand-ins: the Wikidata stub (``tests/fixtures/wikidata/stub.py``) through the
environment variables the commands read, and a real ``oxigraph serve`` whose URL replaces
``http://localhost:7878`` (``publish --store``, ``query --endpoint``). ``> FILE`` is honoured,
``echo TEXT | missions-kg …`` feeds TEXT to standard input; ``# …`` is a comment.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import FIXTURES, REPO

from missions_kg.cli import main

sys.path.insert(0, str(FIXTURES / "wikidata"))
import stub as wikidata_stub  # noqa: E402

pytestmark = pytest.mark.slow


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    ctx = click.Context(group, info_name="missions-kg")
    yield prefix, group
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def _examples() -> list[tuple[str, str]]:
    """(command path, example line) for every example, in help order."""
    found = []
    for path, command in _commands(main):
        text = command.help or ""
        if "Examples:" not in text:
            continue
        for line in text.split("Examples:", 1)[1].splitlines():
            line = line.strip()
            if line.startswith("missions-kg ") or "| missions-kg " in line:
                found.append((" ".join(path) or "missions-kg", line))
    return found


EXAMPLES = _examples()


def test_every_command_and_subcommand_has_examples():
    paths = {" ".join(p) or "missions-kg" for p, _ in _commands(main)}
    with_examples = {p for p, _ in EXAMPLES}
    assert paths - with_examples == set(), "commands without a runnable example"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("help-examples") / "project"
    for folder in ("ontology", "data", "shapes", "queries", "examples"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


#: The triple store the examples name; replaced by the real loopback server's URL.
STORE_IN_EXAMPLES = "http://localhost:7878"


@pytest.fixture(scope="module")
def services():
    """The loopback stand-ins for the network services the examples use."""
    saved = (wikidata_stub.TIMEOUT_SEARCH, wikidata_stub.HTML_SEARCH,
             wikidata_stub.NO_ID_SEARCH)
    # the stub's fault-injecting names are for the reconcile tests, not for examples
    wikidata_stub.TIMEOUT_SEARCH = wikidata_stub.HTML_SEARCH = wikidata_stub.NO_ID_SEARCH = "\0"
    try:
        with wikidata_stub.running() as server:
            yield {"MISSIONS_KG_WIKIDATA_API": server.api,
                   "MISSIONS_KG_WIKIDATA_SPARQL": server.sparql}
    finally:
        (wikidata_stub.TIMEOUT_SEARCH, wikidata_stub.HTML_SEARCH,
         wikidata_stub.NO_ID_SEARCH) = saved


def _argv(line: str) -> tuple[list[str], str | None, str | None]:
    stdin = None
    if not line.startswith("missions-kg "):  # echo TEXT | missions-kg …
        feed, line = line.split("| missions-kg ", 1)
        stdin = " ".join(shlex.split(feed, comments=True)[1:]) + "\n"
        line = "missions-kg " + line
    words = shlex.split(line, comments=True)[1:]
    out = None
    if ">" in words:
        at = words.index(">")
        words, out = words[:at], words[at + 1]
    return words, out, stdin


@pytest.mark.parametrize(("command", "line"), EXAMPLES, ids=[line for _, line in EXAMPLES])
def test_help_example_runs(command, line, workdir, services, monkeypatch, request):
    monkeypatch.chdir(workdir)
    monkeypatch.delenv("MISSIONS_KG_ROOT", raising=False)
    for key, value in services.items():
        monkeypatch.setenv(key, value)
    if STORE_IN_EXAMPLES in line:  # only these need the real store (which may be missing)
        line = line.replace(STORE_IN_EXAMPLES, request.getfixturevalue("oxigraph_server").base)
    argv, redirect, stdin = _argv(line)
    result = CliRunner().invoke(main, argv, input=stdin)
    where = f"{command}: `{line}` exited {result.exit_code}\n{result.output[-2000:]}"
    assert result.exit_code == 0, where
    assert "Traceback" not in result.output, where
    if redirect:
        (workdir / redirect).write_text(result.stdout)
        assert (workdir / redirect).stat().st_size > 0, where
