"""Test machinery shared by the bad-input, sandbox and fuzz tests.

* :class:`Listener`: a loopback HTTP server on a random port that counts every connection
  (a fetch that should never happen shows up as a hit, whatever the client sends).
* :func:`recording`: an audit hook (installed once, a no-op outside the ``with``) that lists
  every file the process opens, so a test can prove a path was never even tried.
* :func:`run_cli` / :func:`run_process`: the CLI in-process (CliRunner, sandbox forced on) or
  as a separate ``missions-kg`` process (sandbox on by default, as for a user).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BIN = Path(sys.executable).parent / "missions-kg"


class Listener:
    """``url`` is ``http://127.0.0.1:<port>``; ``hits`` lists (method, path) per connection."""

    def __init__(self) -> None:
        hits: list[tuple[str, str]] = []
        self.hits = hits

        class Handler(BaseHTTPRequestHandler):
            def setup(self):
                hits.append(("CONNECT", ""))
                super().setup()

            def _answer(self):
                hits[-1] = (self.command, self.path)
                body = b'{"@context": {}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/ld+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = do_PUT = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def reset(self) -> None:
        self.hits.clear()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


_OPENED: list[str] | None = None
_HOOKED = False


def _record(event: str, args: tuple) -> None:
    opened = _OPENED
    if opened is not None and event == "open" and not isinstance(args[0], int):
        opened.append(os.fsdecode(args[0]))


@contextmanager
def recording():
    """Yield a list that receives every path ``open``-ed (any thread) inside the block."""
    global _OPENED, _HOOKED
    if not _HOOKED:
        sys.addaudithook(_record)
        _HOOKED = True
    opened: list[str] = []
    _OPENED = opened
    try:
        yield opened
    finally:
        _OPENED = None


def opened_under(opened: list[str], folder: Path) -> list[str]:
    folder = os.path.realpath(folder)
    return [p for p in opened
            if os.path.realpath(p) == folder or os.path.realpath(p).startswith(folder + os.sep)]


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    opened: list[str] = field(default_factory=list)
    policies: list = field(default_factory=list)  # sandbox policies the command ran under


def run_cli(args: list[str], *, sandbox_tmp: Path | None = None, monkeypatch=None,
            sandbox_on: bool = True) -> Outcome:
    """Run the CLI in-process with the sandbox on (its temp dir is ``sandbox_tmp``)."""
    import tempfile

    from click.testing import CliRunner

    from missions_kg import sandbox
    from missions_kg.cli import main

    policies: list = []
    if monkeypatch is not None:
        if sandbox_tmp is not None:
            monkeypatch.setattr(tempfile, "tempdir", str(sandbox_tmp))
        make = sandbox.base_policy

        def base_policy():
            policy = make()
            policies.append(policy)
            return policy

        monkeypatch.setattr(sandbox, "base_policy", base_policy)
    env = {"MISSIONS_KG_SANDBOX": "on" if sandbox_on else "off"}
    with recording() as opened:
        start = time.perf_counter()
        result = CliRunner().invoke(main, [str(a) for a in args], env=env,
                                    catch_exceptions=False)
        seconds = time.perf_counter() - start
    return Outcome(result.exit_code, result.stdout, result.stderr, seconds, list(opened),
                   policies)


def run_process(args: list[str], *, sandbox_tmp: Path, cwd: Path, timeout: float = 60,
                extra_env: dict | None = None, python: list[str] | None = None) -> Outcome:
    """Run ``missions-kg ARGS`` as a user would: a new process, the sandbox on by default."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTEST_CURRENT_TEST", "MISSIONS_KG_SANDBOX")}
    env["TMPDIR"] = str(sandbox_tmp)
    env.update(extra_env or {})
    if python is not None:
        command = [sys.executable, *python]
    elif BIN.exists():
        command = [str(BIN)]
    else:
        command = [sys.executable, "-c", "from missions_kg.cli import main; main()"]
    start = time.perf_counter()
    proc = subprocess.run(command + [str(a) for a in args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=timeout)
    return Outcome(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - start)


def one_line_error(stderr: str) -> bool:
    """Exit-2 output: one ``Error: …`` line, or click's usage block ending in one."""
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    if len(lines) == 1:
        return lines[0].startswith("Error: ")
    return bool(lines) and lines[0].startswith("Usage: ") and lines[-1].startswith("Error: ") \
        and sum(line.startswith("Error: ") for line in lines) == 1
