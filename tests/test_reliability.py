"""Reliability, round 2: ordinary setups work under the sandbox, special files are not
replaced, memory is bounded, and messages say what happened. Setups the temp dir would hide
run with the sandbox's temp dir elsewhere, so the project is *outside* the trusted temp dir,
as a checkout in a home folder is."""

from __future__ import annotations

import os
import shutil
import stat
import sys
import threading
from pathlib import Path

import pytest
from bad_inputs.harness import run_process
from conftest import MINI, REPO, environ
from servers import free_port

pytestmark = pytest.mark.slow

RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d\n"


@pytest.fixture
def outside(tmp_path) -> dict[str, Path]:
    """A home-like folder for projects, and a separate temp dir for the sandbox."""
    home, sandbox_tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    sandbox_tmp.mkdir()
    return {"home": home, "tmp": sandbox_tmp}


def _env(tmp: Path, **extra) -> dict:
    env = {"MISSIONS_KG_CACHE": str(tmp / "cache"), "MISSIONS_KG_SANDBOX": "on"}
    env.update(extra)
    return env


def _checkout(root: Path, *, with_src: bool = False) -> Path:
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    if with_src:
        shutil.copytree(REPO / "src", root / "src",
                        ignore=shutil.ignore_patterns("__pycache__", "_project"))
    return root


# -- the sandbox and ordinary setups --------------------------------------------------------------

def test_an_editable_install_works_from_another_folder(outside):
    """pip install -e CHECKOUT, then a command from elsewhere: the package is imported from the
    checkout, which Project.locate recognises by its pyproject.toml."""
    checkout = _checkout(outside["home"] / "checkout", with_src=True)
    elsewhere = outside["home"] / "elsewhere"
    elsewhere.mkdir()
    code = (f"import sys; sys.path.insert(0, {str(checkout / 'src')!r}); "
            "from missions_kg.cli import main; main()")
    result = run_process(["query", "cast", "--format", "csv", "--max-rows", "3"],
                         sandbox_tmp=outside["tmp"], cwd=elsewhere, python=["-c", code],
                         extra_env=_env(outside["tmp"]))
    assert result.exit_code == 0, result.stderr
    assert "blocked" not in result.stderr and result.stdout.startswith("actor_name,")


def test_data_folder_symlinked_outside_the_project(outside):
    project = outside["home"] / "project"
    project.mkdir()
    for folder in ("ontology", "shapes", "queries"):
        shutil.copytree(MINI / folder, project / folder)
    shutil.copytree(MINI / "data", outside["home"] / "shared-data")
    (project / "data").symlink_to(outside["home"] / "shared-data")
    result = run_process(["--root", project, "validate"], sandbox_tmp=outside["tmp"],
                         cwd=outside["home"], extra_env=_env(outside["tmp"]))
    assert result.exit_code == 0, result.stderr
    assert "Conforms" in result.stdout


def test_output_to_dev_stdout(outside):
    result = run_process(["--root", MINI, "export", "--format", "ntriples", "-o", "/dev/stdout"],
                         sandbox_tmp=outside["tmp"], cwd=outside["home"],
                         extra_env=_env(outside["tmp"]))
    assert result.exit_code == 0, result.stderr
    assert "<https://w3id.org/missions-kg/id/" in result.stdout


def test_a_cache_symlinked_elsewhere_is_not_written_through(outside):
    """<root>/.cache -> a folder outside (say /etc): nothing is written or pruned there."""
    project = _checkout(outside["home"] / "checkout")
    victim = outside["home"] / "etc"
    victim.mkdir()
    (victim / "passwd").write_text("keep me\n")
    (project / ".cache").symlink_to(victim)
    env = {k: v for k, v in _env(outside["tmp"]).items() if k != "MISSIONS_KG_CACHE"}
    env["XDG_CACHE_HOME"] = str(outside["home"] / "xdg")
    with environ(MISSIONS_KG_CACHE=None):
        result = run_process(["build"], sandbox_tmp=outside["tmp"], cwd=project, extra_env=env)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in victim.iterdir()) == ["passwd"]
    assert list((outside["home"] / "xdg" / "missions-kg").rglob("build-*.nq"))


# -- special files --------------------------------------------------------------------------------

@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_dev_full_is_an_error_and_stays_a_device(cli):
    result = cli("--root", MINI, "export", "-o", "/dev/full")
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_fifo_is_written_not_replaced(cli, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read():
        with open(fifo, "rb") as pipe:
            received.append(pipe.read())

    reader = threading.Thread(target=read)
    reader.start()
    result = cli("--root", MINI, "export", "--format", "nquads", "-o", fifo)
    reader.join(10)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert b"<https://w3id.org/missions-kg/graph/press-kit>" in received[0]


# -- memory ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_runaway_query_stops_at_the_memory_ceiling(outside, engine):
    query = outside["home"] / "runaway.rq"
    query.write_text(RUNAWAY)
    result = run_process(["--root", REPO, "--max-memory", "256", "query", query,
                          "--engine", engine, "--format", "csv", "--timeout", "120"],
                         sandbox_tmp=outside["tmp"], cwd=outside["home"],
                         extra_env=_env(outside["tmp"]), timeout=120)
    assert result.exit_code == 2, result.stderr[-500:]
    assert "used more than 256 MB of memory" in result.stderr
    assert "--max-memory" in result.stderr and "Traceback" not in result.stderr


def test_the_ceiling_holds_for_build_and_validate(outside):
    big = outside["home"] / "big.nt"
    with big.open("w") as out:  # 100k triples: the build holds them in memory several times
        for i in range(100_000):
            out.write(f'<https://example.org/s{i}> <https://schema.org/name> "name {i}" .\n')

    def run(*args):
        return run_process(["--root", REPO, *args], sandbox_tmp=outside["tmp"],
                           cwd=outside["home"], extra_env=_env(outside["tmp"]))

    stopped = run("--max-memory", "64", "build", "--force", "--data", big)
    assert stopped.exit_code == 2, stopped.stderr
    assert "used more than 64 MB of memory" in stopped.stderr
    # validate's own work past the ceiling (the real graph alone now fits in 64 MB): the
    # build is cached under the default ceiling first
    assert run("build", "--data", big).exit_code == 0
    cache = outside["tmp"] / "cache"
    builds = {p: p.stat().st_mtime_ns for p in cache.glob("build-*.nq")}
    stopped = run("--max-memory", "64", "validate", "--data", big)
    assert {p: p.stat().st_mtime_ns for p in cache.glob("build-*.nq")} == builds  # reused
    assert stopped.exit_code == 2, stopped.stderr
    assert "used more than 64 MB of memory" in stopped.stderr
    assert "Traceback" not in stopped.stderr


# -- messages -------------------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_an_unreachable_service_is_a_network_error(outside, engine):
    endpoint = f"http://127.0.0.1:{free_port()}/sparql"
    result = run_process(["--root", REPO, "query", "wikidata/labels", "--allow-service",
                          "--wikidata-endpoint", endpoint, "--engine", engine],
                         sandbox_tmp=outside["tmp"], cwd=outside["home"],
                         extra_env=_env(outside["tmp"]))
    assert result.exit_code == 2
    assert "a SERVICE call failed (network error" in result.stderr
    assert "unsendable" not in result.stderr and "could not be read" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_wikidata_export_says_what_it_wrote(cli):
    result = cli("--root", REPO, "export", "--format", "quickstatements")
    assert result.exit_code == 0
    assert "entities have a verified Wikidata link; 0 statements written" in result.stderr
    assert "links --missing" in result.stderr


def test_two_data_files_of_the_same_name_keep_two_graphs(cli, tmp_path):
    for folder in ("d1", "d2"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.nt").write_text(
            f'<https://w3id.org/missions-kg/id/{folder}> <https://schema.org/name> "{folder}" .\n')
    result = cli("--root", MINI, "build", "--data", tmp_path / "d1" / "same.nt",
                 "--data", tmp_path / "d2" / "same.nt")
    assert result.exit_code == 0, result.stderr
    graphs = [line.split()[-1] for line in result.stdout.splitlines()
              if "mkgg:user/same.nt" in line]
    assert len(graphs) == 2 and len(set(graphs)) == 2


def test_build_says_when_it_uses_the_copy_in_the_package(cli, tmp_path):
    copy = tmp_path / "site-packages" / "missions_kg" / "_project"
    shutil.copytree(MINI, copy)
    result = cli("--root", copy, "build")
    assert result.exit_code == 0
    assert "using the copy of the project shipped in the package" in result.stderr


def test_the_sandbox_platform_is_linux():
    """The audit hook and the memory watchdog are tested here, on Linux (README says so)."""
    assert sys.platform.startswith("linux")
    assert Path("/proc/self/statm").exists()
