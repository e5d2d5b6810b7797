"""Shared fixtures: no network, an isolated cache, a fresh copy of the mini project."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", default=False,
                     help="also run the tests marked slow (e.g. the OWL API DL profile check)")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: left out of the default run; --run-slow runs it")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with pytest --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def _guard(original):
    def connect(self, address, *args, **kwargs):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in LOOPBACK and self.family != socket.AF_UNIX:
            raise OSError(f"network access blocked in tests: {address!r}")
        return original(self, address, *args, **kwargs)
    return connect


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Tests never reach the network: only loopback connections are allowed."""
    monkeypatch.setattr(socket.socket, "connect", _guard(socket.socket.connect))
    monkeypatch.setattr(socket.socket, "connect_ex", _guard(socket.socket.connect_ex))


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch, tmp_path_factory):
    """No test sees the user's MISSIONS_KG_ROOT, and each test gets its own cache folder."""
    monkeypatch.delenv("MISSIONS_KG_ROOT", raising=False)
    monkeypatch.setenv("MISSIONS_KG_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def mini_root(tmp_path) -> Path:
    """A writable copy of tests/fixtures/mini (tests may damage it)."""
    root = tmp_path / "mini"
    shutil.copytree(MINI, root, ignore=shutil.ignore_patterns(".cache"))
    return root


@pytest.fixture
def mini(mini_root):
    from missions_kg.project import Project

    return Project.locate(mini_root)


@pytest.fixture
def real_project():
    """The repository's own project; skipped until data/ holds TriG files."""
    from missions_kg.project import Project

    if not list((REPO / "data").glob("*.trig")):
        pytest.skip("the real data has not landed yet (no data/*.trig)")
    return Project.locate(REPO)


@pytest.fixture
def cli():
    """Run ``missions-kg ARGS`` in-process; returns click's Result (stdout/stderr split)."""
    from click.testing import CliRunner

    from missions_kg.cli import main

    def run(*args, **kwargs):
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False,
                                  **kwargs)
    return run


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A writable copy of the repository's own project (ontology, data, shapes, queries)."""
    root = tmp_path / "project"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


@pytest.fixture
def wikidata_fixture_project(tmp_path) -> Path:
    """The repository's ontology and shapes over tests/fixtures/wikidata/project/data (fake
    verified items), with an empty queries/ folder."""
    root = tmp_path / "fixture"
    for folder in ("ontology", "shapes"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copytree(Path(__file__).parent / "fixtures" / "wikidata" / "project" / "data",
                    root / "data")
    (root / "queries").mkdir()
    return root
