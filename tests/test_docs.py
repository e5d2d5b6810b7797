"""Docs that are tested: every command is in the README with --help examples, and every
`$ missions-kg …` example in the README runs and prints what the README shows."""

from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner
from conftest import REPO

from missions_kg.cli import main

README = (REPO / "README.md").read_text(encoding="utf-8")


def _examples() -> list[tuple[str, int, list[str]]]:
    """(command line, expected exit code, expected output lines) from ```console blocks."""
    examples = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        current = None
        for line in block.splitlines():
            if line.startswith("$ missions-kg"):
                command, _, comment = line[2:].partition("  # exit ")
                current = (command.strip(), int(comment or 0), [])
                examples.append(current)
            elif current is not None:
                current[2].append(line.rstrip())
    return examples


EXAMPLES = _examples()


def test_readme_opens_with_the_two_fresh_machine_commands():
    first_block = README.split("```")[1].strip().splitlines()
    assert first_block[1].endswith("missions-kg query cast")
    assert first_block[2].endswith("python -m pytest -q")


def test_every_command_is_documented_with_examples():
    runner = CliRunner()
    ctx = main.make_context("missions-kg", [], resilient_parsing=True)
    names = main.list_commands(ctx)
    assert {"build", "validate", "queries", "query", "export", "describe", "stats"} <= set(names)
    for name in names:
        assert f"missions-kg {name}" in README, f"README has no example of `missions-kg {name}`"
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert "Examples" in result.output, f"`missions-kg {name} --help` has no Examples"


def test_readme_has_examples_to_run():
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize(("command", "code", "expected"), EXAMPLES,
                         ids=[c for c, _, _ in EXAMPLES])
def test_readme_example_runs_as_shown(command, code, expected, monkeypatch, tmp_path):
    monkeypatch.setenv("MISSIONS_KG_ROOT", str(REPO))
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    args = shlex.split(command)[1:]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == code, result.output
    if "-o" in args:
        assert (tmp_path / args[args.index("-o") + 1]).stat().st_size > 0
    actual = [line.rstrip() for line in result.output.splitlines()]
    if "…" in expected:  # an abridged example: the lines shown must come first
        shown = expected[: expected.index("…")]
        assert actual[: len(shown)] == shown
    else:
        while expected and not expected[-1]:
            expected = expected[:-1]
        assert actual == expected
