"""Shared by the server tests: the app on the real data (in process, with its worker
processes), and ``missions-kg serve`` started for real on a free loopback port."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO, environ
from servers import stop_process, wait_until_up

#: A query that runs for ever and needs no memory (a count over a triple cross join).
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: A query that wants gigabytes (sorting a cross join): for the memory ceiling.
HUNGRY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d"
QUICK = "ASK { ?s ?p ?o }"
JEANNE = "/id/character-jeanne-renoir"


@contextlib.contextmanager
def cache_env(real_cache, folder: Path):
    """MISSIONS_KG_CACHE pointing at ``folder`` holding the session's build, for fixtures
    wider than one test (the autouse per-test cache does not reach them)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in real_cache:
        shutil.copy(path, folder / path.name)
    with environ(MISSIONS_KG_CACHE=str(folder)):
        yield folder


@contextlib.contextmanager
def app_client(**options):
    """A TestClient on ``create_app`` for the repository's project (workers started)."""
    import warnings

    from missions_kg import Project
    from missions_kg.server import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Starlette 1.x asks for httpx2 in its TestClient
        from starlette.testclient import TestClient

        app = create_app(Project.locate(REPO), **options)
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client


@contextlib.contextmanager
def live_server(*args: str, env: dict | None = None, timeout: float = 30.0):
    """``missions-kg serve --port 0 ARGS`` in its own process (the sandbox on, as a user
    runs it); yields the base URL; stops it by its process id."""
    command = [sys.executable, "-c", "from missions_kg.cli import main; main()",
               "serve", "--port", "0", *args]
    environment = {**os.environ, "MISSIONS_KG_SANDBOX": "on", **(env or {})}
    environment.pop("PYTEST_CURRENT_TEST", None)
    proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=environment)
    try:
        deadline = time.monotonic() + timeout
        line = ""
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if line or proc.poll() is not None:
                break
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        if not found:
            proc.kill()
            raise AssertionError(f"serve did not start: {line!r} {proc.stderr.read()[-2000:]}")
        url = found.group(1)
        wait_until_up(url + "static/style.css", proc, None, max(1.0, deadline - time.monotonic()),
                      ok_only=True)
        yield url
    finally:
        stop_process(proc)

