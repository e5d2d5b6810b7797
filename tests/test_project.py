"""Project.locate: explicit root, env, checkout around the CWD, file lists, cache folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO

from missions_kg.errors import ProjectError
from missions_kg.project import Project


def test_explicit_root_wins_over_env(mini_root, monkeypatch, tmp_path):
    monkeypatch.setenv("MISSIONS_KG_ROOT", str(tmp_path))
    project = Project.locate(mini_root)
    assert project.root == mini_root.resolve() and project.found_by == "--root"


def test_env_root(mini_root, monkeypatch):
    monkeypatch.setenv("MISSIONS_KG_ROOT", str(mini_root))
    assert Project.locate().found_by == "MISSIONS_KG_ROOT"


def test_checkout_around_the_current_directory(mini_root, monkeypatch):
    monkeypatch.chdir(mini_root / "data")
    project = Project.locate()
    assert project.root == mini_root.resolve()
    assert project.found_by == "checkout around the current directory"


def test_a_folder_of_another_project_is_not_a_checkout(mini_root, monkeypatch):
    pyproject = mini_root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"missions-kg"', '"other"'))
    monkeypatch.chdir(mini_root)
    assert Project.locate().root != mini_root.resolve()


def test_editable_install_finds_this_checkout(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    project = Project.locate()
    embedded = Path(__import__("missions_kg").__file__).parent / "_project"
    expected = embedded if embedded.is_dir() else REPO
    assert project.root == expected.resolve()


def test_missing_folders_say_which_and_what_to_do(tmp_path):
    (tmp_path / "data").mkdir()
    with pytest.raises(ProjectError) as info:
        Project.locate(tmp_path)
    assert "has no ontology/, shapes/, queries/" in str(info.value)
    assert info.value.exit_code == 2 and "--root" in str(info.value)


def test_file_lists(mini):
    assert [p.name for p in mini.data_files()] == ["press-kit.trig", "sources.trig",
                                                   "wikipedia-fr.trig"]
    assert [p.name for p in mini.ontology_files()] == ["mini.ttl"]
    assert [p.name for p in mini.shape_files()] == ["mini.ttl"]
    assert [p.name for p in mini.check_files()] == ["episode-number-unique-violation.rq"]
    assert "episode-number-unique-violation.rq" not in [p.name for p in mini.query_files()]
    assert "cast.rq" in [p.name for p in mini.query_files()]


def test_query_files_include_subfolders_but_not_checks(mini):
    sub = mini.root / "queries" / "people"
    sub.mkdir()
    (sub / "actors.rq").write_text("SELECT * { ?s ?p ?o }")
    assert "actors.rq" in [p.name for p in mini.query_files()]


def test_cache_dir_env_then_local_then_user(mini, monkeypatch, tmp_path):
    assert mini.cache_dir == Path(str(mini.cache_dir))  # env set by conftest
    monkeypatch.delenv("MISSIONS_KG_CACHE")
    assert mini.cache_dir == mini.root / ".cache"
    monkeypatch.setattr("missions_kg.project._writable", lambda folder: False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert mini.cache_dir.parent == tmp_path / "xdg" / "missions-kg"
