"""Run the application with uvicorn on a socket bound here (so ``--port 0`` can print the
port it got), print the URL, and stop cleanly on Ctrl-C; or, with ``check``, answer one
SPARQL query over loopback and stop (what ``serve --check`` and the help examples run)."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.parse
import urllib.request

CHECK_QUERY = "ASK { GRAPH ?g { ?s ?p ?o } }"


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        from ..errors import UsageError

        raise UsageError(f"cannot listen on {host}:{port}: {e.strerror or e}",
                         hint="choose another --port (0 picks a free one)") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def run(app, host: str, port: int, *, check: bool = False, echo=print,
        allow_network: bool = False) -> None:
    import uvicorn

    from .. import sandbox

    sock = bind(host, port)
    url = url_of(sock)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                            timeout_graceful_shutdown=3, server_header=False)
    server = uvicorn.Server(config)
    base = app.state.settings.base
    echo(f"Serving missions-kg at {url} (SPARQL endpoint {url}sparql"
         + (f"; public base {base}" if base else "") + ")" + ("" if check else
                                                               "; Ctrl-C stops"))
    with sandbox.allow_network([host]) if allow_network else _nothing():
        if not check:
            server.run(sockets=[sock])
            return
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        try:
            echo(ask(server, url))
        finally:
            server.should_exit = True
            thread.join(10)


def ask(server, url: str, timeout: float = 30.0) -> str:
    """Wait for the server, send :data:`CHECK_QUERY` to ``/sparql``, describe the answer."""
    from ..errors import MissionsKGError

    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline:
            raise MissionsKGError("the server did not start within 30 s")
        time.sleep(0.02)
    target = url + "sparql?" + urllib.parse.urlencode({"query": CHECK_QUERY})
    request = urllib.request.Request(target, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            answer = json.loads(reply.read())
            status = reply.status
    except (OSError, ValueError) as e:
        raise MissionsKGError(f"the server did not answer /sparql: {e}") from None
    if status != 200 or answer.get("boolean") is not True:
        raise MissionsKGError(f"/sparql answered {status} {answer!r}; expected true")
    return f"Check: GET /sparql?query={CHECK_QUERY} answered 200, boolean true; stopping."


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
