"""Shared fixtures: no network, an isolated cache, a fresh copy of the mini project.

Paths every test module uses are defined here once (``from conftest import REPO``). The real
project is built once per session; each test still gets its own empty cache folder, with that
one build copied in, so a test that builds the repository's own data gets a cache hit and a
test of any other project starts cold.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TESTS = REPO / "tests"
FIXTURES = TESTS / "fixtures"
MINI = FIXTURES / "mini"
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def pytest_addoption(parser):
    parser.addoption("--run-owlapi", action="store_true", default=False,
                     help="also run the tests marked owlapi (the OWL API's OWL 2 DL profile "
                          "check: a JDK and Debian's libowlapi-java)")


def pytest_configure(config):
    config.addinivalue_line("markers", "owlapi: needs a JDK and the OWL API; left out of the "
                                       "default run, --run-owlapi runs it")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-owlapi"):
        return
    skip = pytest.mark.skip(reason="the OWL API check: run with pytest --run-owlapi")
    for item in items:
        if "owlapi" in item.keywords:
            item.add_marker(skip)


def _guard(original):
    def connect(self, address, *args, **kwargs):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in LOOPBACK and self.family != socket.AF_UNIX:
            raise OSError(f"network access blocked in tests: {address!r}")
        return original(self, address, *args, **kwargs)
    return connect


@contextlib.contextmanager
def environ(**values: str | None):
    """Set environment variables for a block (None removes one), then put them back: for
    fixtures wider than one test, where monkeypatch cannot reach."""
    saved = {k: os.environ.get(k) for k in values}
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Tests never reach the network: only loopback connections are allowed."""
    monkeypatch.setattr(socket.socket, "connect", _guard(socket.socket.connect))
    monkeypatch.setattr(socket.socket, "connect_ex", _guard(socket.socket.connect_ex))


@pytest.fixture(scope="session")
def real_cache(tmp_path_factory) -> list[Path]:
    """The repository's own data built, and its queries parsed, once per session: the cache
    files that gives (none if it does not build; the tests that need it will say why)."""
    cache = tmp_path_factory.mktemp("real-cache")
    with environ(MISSIONS_KG_CACHE=str(cache)):
        try:
            from missions_kg import Project, build, queries

            project = Project.locate(REPO)
            build(project)
            queries(project)
        except Exception:
            pass
    return sorted(p for p in cache.iterdir() if p.is_file())


@pytest.fixture(scope="session")
def session_built(real_cache, tmp_path_factory):
    """The repository's data built once, in a cache folder of its own, for fixtures wider
    than one test (the per-test cache of :func:`isolated_env` does not reach them)."""
    from server_support import cache_env

    from missions_kg import Project, build

    with cache_env(real_cache, tmp_path_factory.mktemp("built-cache")):
        return build(Project.locate(REPO))


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch, tmp_path_factory, real_cache):
    """No test sees the user's MISSIONS_KG_ROOT; each test gets its own cache folder, holding
    only the session's build of the real data (and its parsed queries)."""
    monkeypatch.delenv("MISSIONS_KG_ROOT", raising=False)
    cache = tmp_path_factory.mktemp("cache")
    for path in real_cache:
        shutil.copy(path, cache / path.name)
    monkeypatch.setenv("MISSIONS_KG_CACHE", str(cache))


@pytest.fixture
def fresh_cache(monkeypatch, tmp_path_factory) -> Path:
    """An empty cache folder, for tests of the cache itself."""
    cache = tmp_path_factory.mktemp("empty-cache")
    monkeypatch.setenv("MISSIONS_KG_CACHE", str(cache))
    return cache


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
    """The repository's own project."""
    from missions_kg.project import Project

    return Project.locate(REPO)


@pytest.fixture
def real_built(real_project):
    """The repository's own data, built (a cache hit on the session's build)."""
    from missions_kg import build

    return build(real_project)


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
    shutil.copytree(FIXTURES / "wikidata" / "project" / "data", root / "data")
    (root / "queries").mkdir()
    return root


# -- real triple stores (tests/servers.py), started once per session when a test asks ----------

@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """``oxigraph serve`` on a free loopback port (empty; tests publish into it)."""
    import servers

    try:
        server = servers.start_oxigraph(tmp_path_factory.mktemp("oxigraph") / "db")
    except servers.Unavailable as e:
        print(f"\nSKIP oxigraph server: {e}")
        pytest.skip(f"the oxigraph server cannot start: {e}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """A private Virtuoso (Debian's virtuoso-opensource) on free loopback ports; skipped,
    with the reason printed, where it is not installed or does not start."""
    import servers

    try:
        server = servers.start_virtuoso(tmp_path_factory.mktemp("virtuoso") / "db")
    except servers.Unavailable as e:
        print(f"\nSKIP virtuoso: {e}")
        pytest.skip(f"virtuoso cannot start here: {e}")
    yield server
    server.stop()
