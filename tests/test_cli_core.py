"""The CLI skin: help with examples, one-line errors, --debug, describe, stats, build."""

from __future__ import annotations

import pytest

CORE = ["build", "validate", "stats", "describe"]


def test_every_command_help_has_examples(cli):
    import click

    from missions_kg.cli import main

    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        result = cli(name, "--help")
        assert result.exit_code == 0, name
        assert "Examples:" in result.stdout, f"{name} --help has no Examples section"
    assert set(CORE) <= set(main.list_commands(ctx))


def test_group_help_documents_exit_codes(cli):
    result = cli("--help")
    assert "Exit codes: 0 ok" in result.stdout and "--root" in result.stdout


def test_version(cli):
    from missions_kg import __version__

    assert cli("--version").stdout.strip() == f"missions-kg, version {__version__}"


def test_root_from_environment(cli, mini_root, monkeypatch):
    monkeypatch.setenv("MISSIONS_KG_ROOT", str(mini_root))
    result = cli("build")
    assert result.exit_code == 0 and f"project: {mini_root} (MISSIONS_KG_ROOT)" in result.stdout


def test_build_prints_graph_counts_and_cache_state(cli, mini_root):
    first = cli("--root", mini_root, "build", "--no-force")
    assert "mkgg:press-kit" in first.stdout and "mkgg:inferred" in first.stdout
    assert "(inference" in first.stdout
    second = cli("--root", mini_root, "build", "--no-force")
    assert "(cache hit)" in second.stdout


def test_stats_lists_sources_with_titles(cli, mini_root):
    result = cli("--root", mini_root, "stats")
    assert result.exit_code == 0
    assert "Missions press kit (schema:WebPage, OCS, 2017-06-01)" in result.stdout
    assert "mkg:Astronaut" in result.stdout


@pytest.mark.parametrize("thing", [
    "https://w3id.org/missions-kg/id/jeanne-renoir",
    "<https://w3id.org/missions-kg/id/jeanne-renoir>",
    "mkgid:jeanne-renoir",
    "jeanne-renoir",
    "JEANNE RENOIR",
])
def test_describe_finds_by_iri_curie_slug_and_label(cli, mini_root, thing):
    result = cli("--root", mini_root, "describe", thing)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("mkgid:jeanne-renoir")
    assert "  label@fr: Jeanne Renoir" in lines
    assert "  mkg:playedBy  mkgid:helene-viviani (Hélène Viviani)  [press-kit, wikipedia-fr]" \
        in lines
    assert "  mkgid:helene-viviani (Hélène Viviani)  mkg:plays  [inferred]" in lines


def test_describe_label_is_accent_insensitive_and_lang_picks_labels(cli, mini_root):
    result = cli("--root", mini_root, "describe", "helene viviani", "--lang", "fr")
    assert result.stdout.startswith("mkgid:helene-viviani")
    assert "mkg:plays  mkgid:jeanne-renoir (Jeanne Renoir)" in result.stdout
    de = cli("--root", mini_root, "describe", "mkgid:jeanne-renoir", "--lang", "de")
    assert "rdf:type  mkg:Astronaut (Astronaut)" in de.stdout


def test_describe_ambiguous_label_lists_candidates_exit_2(cli, mini_root):
    result = cli("--root", mini_root, "describe", "episode")
    assert result.exit_code == 2
    assert "mkgid:s1e1 (Épisode 1)" in result.stderr and "mkgid:s1e2 (Episode 2)" in result.stderr


@pytest.mark.parametrize("thing, why", [
    ("mkgid:nobody", "nothing in the graph is named"),
    ("no such name at all", "no IRI, CURIE or label matches"),
    ("http://bad iri", "not a valid IRI"),
])
def test_describe_unknown_exit_2(cli, mini_root, thing, why):
    result = cli("--root", mini_root, "describe", thing)
    assert result.exit_code == 2 and why in result.stderr


def test_a_bug_is_one_line_exit_70_and_debug_shows_traceback(cli, mini_root, monkeypatch):
    import missions_kg.stats

    def boom(*args, **kwargs):
        raise ZeroDivisionError("kaboom")

    monkeypatch.setattr(missions_kg.stats, "stats", boom)
    result = cli("--root", mini_root, "stats")
    assert result.exit_code == 70
    assert "internal error (ZeroDivisionError: kaboom)" in result.stderr
    assert "--debug" in result.stderr and "Traceback" not in result.output
    with pytest.raises(ZeroDivisionError):
        cli("--root", mini_root, "--debug", "stats")


def test_usage_error_from_click_is_exit_2(cli, mini_root):
    result = cli("--root", mini_root, "validate", "--format", "xml")
    assert result.exit_code == 2 and "Invalid value for '-f' / '--format'" in result.stderr


def test_real_project_describe_names_its_source(cli, real_project):
    result = cli("--root", real_project.root, "describe", "mkgid:missions")
    assert result.exit_code == 0, result.output
    assert "rdf:type  schema:TVSeries" in result.stdout
    assert "seed-000-memorabletv" in result.stdout


def test_real_project_builds_with_inferences(cli, real_project):
    result = cli("--root", real_project.root, "build")
    assert result.exit_code == 0, result.output
    assert "mkgg:ontology" in result.stdout and "mkgg:inferred" in result.stdout
