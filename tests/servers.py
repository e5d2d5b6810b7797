"""Real triple stores started by the tests, on free loopback ports (never mocked).

* :func:`start_oxigraph`: ``oxigraph serve --location DIR --bind 127.0.0.1:PORT`` from the
  PyPI package ``oxigraph`` (a test extra): SPARQL 1.1 Protocol at ``/query``, Graph Store
  Protocol at ``/store``, default graph = the default graph only (no union).
* :func:`start_virtuoso`: a private Virtuoso (Debian ``virtuoso-opensource``) in a temp
  folder, as /work/shared/research/real-components.md describes: ``/sparql``, and the Graph
  Store Protocol at ``/sparql-graph-crud-auth`` (digest auth dba/dba); its default graph is
  the union of all graphs, system graphs included.

Each raises :class:`Unavailable` with a reason when the store cannot start, so a fixture can
skip with that reason printed. Every process started here is stopped by its own id.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
VIRTUOSO_USER, VIRTUOSO_PASSWORD = "dba", "dba"


class Unavailable(Exception):
    """The store cannot run here (not installed, or it did not answer in time)."""


@dataclass
class Server:
    """A running store: its base URL and protocol endpoints, and the process to stop."""

    name: str
    base: str
    query: str
    store: str
    process: subprocess.Popen
    log: Path
    extra: dict = field(default_factory=dict)

    def stop(self) -> None:
        stop_process(self.process)


def stop_process(process: subprocess.Popen) -> None:
    """Terminate ``process``, and kill it if it has not gone within 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` server binary of this venv (the PyPI package), else one on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.is_file() else shutil.which("oxigraph")


def wait_until_up(url: str, process: subprocess.Popen, log: Path | None, timeout: float,
                  *, ok_only: bool = False) -> None:
    """Return once ``url`` answers (with ``ok_only``, with a 2xx); else stop ``process`` and
    raise :class:`Unavailable`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Unavailable(f"exited with code {process.returncode}: {_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            if not ok_only:
                return  # it answers (an error page is an answer)
            time.sleep(0.2)
        except OSError:
            time.sleep(0.2)
    process.kill()
    process.wait(5)
    raise Unavailable(f"no answer on {url} after {timeout:g} s: {_tail(log)}")


def _tail(log: Path | None) -> str:
    if log is None:
        return "(no log)"
    try:
        return " ".join(log.read_text(errors="replace").split()[-40:])
    except OSError:
        return "(no log)"


def start_oxigraph(folder: Path, *, timeout: float = 20) -> Server:
    binary = oxigraph_binary()
    if binary is None:
        raise Unavailable("the oxigraph server is not installed (pip install oxigraph)")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder.parent / f"{folder.name}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base + "/query?query=ASK%7B%7D", process, log, timeout)
    return Server("oxigraph", base, base + "/query", base + "/store", process, log)


def start_virtuoso(folder: Path, *, timeout: float = 90) -> Server:
    binary = shutil.which("virtuoso-t")
    if binary is None or not VIRTUOSO_INI.is_file():
        raise Unavailable("virtuoso-opensource is not installed "
                          "(apt-get install virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = VIRTUOSO_INI.read_text()
    ini = ini.replace("/var/lib/virtuoso-opensource-7/db", str(folder))
    out_lines, section = [], ""
    for line in ini.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped
        if stripped.startswith("ServerPort") and section in ("[Parameters]", "[HTTPServer]"):
            port = sql_port if section == "[Parameters]" else http_port
            line = f"ServerPort = {port}"
        out_lines.append(line)
    config = folder / "virtuoso.ini"
    config.write_text("\n".join(out_lines) + "\n")
    log = folder / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([binary, "-f", "-c", str(config)], cwd=folder,
                                   stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL,
                                   env={**os.environ, "LANG": "C.UTF-8"})
    base = f"http://127.0.0.1:{http_port}"
    wait_until_up(base + "/sparql?query=ASK%7B%7D", process, log, timeout)
    return Server("virtuoso", base, base + "/sparql", base + "/sparql-graph-crud-auth",
                  process, log, {"user": VIRTUOSO_USER, "password": VIRTUOSO_PASSWORD,
                                 "auth": "digest"})


class Stub:
    """A loopback HTTP server in a thread, answering as ``respond(request)`` says: a dict with
    ``status``, ``headers``, ``body`` (bytes), ``delay`` (seconds before answering), or
    ``hang_up`` (close the connection without an answer). Every request is kept in
    :attr:`requests` (method, path, headers, body). For what a real store cannot be made to
    do on demand: refuse, be slow, answer HTML, die half way."""

    def __init__(self, respond) -> None:
        import http.server
        import threading

        self.requests: list[dict] = []
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = {"method": self.command, "path": self.path,
                           "headers": dict(self.headers), "body": body}
                stub.requests.append(request)
                answer = respond(request)
                if answer.get("delay"):
                    time.sleep(answer["delay"])
                if answer.get("hang_up"):
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                data = answer.get("body", b"")
                self.send_response(answer.get("status", 200))
                for key, value in answer.get("headers", {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = _handle

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
