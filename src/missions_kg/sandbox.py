"""An audit hook that keeps a command offline and inside its files (defence in depth).

The static checks (the SPARQL lexer, the JSON-LD context check, ``--data`` path checks) refuse
unsafe input before anything runs; this is the net under them. While a ``missions-kg`` command
runs, :func:`active` turns on a ``sys.addaudithook`` hook that denies

* network: ``socket.getaddrinfo`` / ``socket.connect`` / ``socket.sendto`` /
  ``http.client.connect`` / ``urllib.Request`` to anything but loopback, unless the command
  opted in (``query --allow-service``, or a library call to :func:`allow_network`);
* files: ``open`` (Python's ``open``, ``os.open``, imports) of anything outside the project
  root, the build cache, the package, Python's own stdlib / site-packages / ``sys.path``,
  the temp dir, the ``pyproject.toml`` files around the current directory (how the checkout
  is found), and the files the user named on the command line (``--data``, ``-o``,
  ``FILE.rq``, ...: every string value of the command's parameters, as an exact file).

A denied operation raises :class:`SandboxError` (exit 2) naming what was blocked and the flag
that allows it. Audit hooks cannot be removed, so the hook is installed once and is a no-op
(one global read) while no command is active; the CLI never activates it under pytest
(``PYTEST_CURRENT_TEST``) unless a test asks, and ``MISSIONS_KG_SANDBOX=off`` turns it off
(``=on`` forces it on).

What it cannot see: I/O done by native code without Python (pyoxigraph's Rust file reads and
RocksDB store, any C library opening files itself), ``os.stat`` / directory listings, and
child processes started with ``subprocess`` (they are not audited as opens or connects).
"""

from __future__ import annotations

import os
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from .errors import MissionsKGError

ENV = "MISSIONS_KG_SANDBOX"
#: Anything: allow_network(None) opens the network to every host.
ANY_HOST = "*"
_NET_EVENTS = frozenset({"socket.getaddrinfo", "socket.connect", "socket.sendto",
                         "socket.gethostbyname", "socket.gethostbyname_ex",
                         "socket.gethostbyaddr", "http.client.connect", "urllib.Request"})
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost",
                             "ip6-loopback", "::1", "0:0:0:0:0:0:0:1"})


class SandboxError(MissionsKGError):
    """The sandbox denied a network call or a file open (exit 2)."""


@dataclass
class Policy:
    """What one command may touch. Paths are absolute and symlink-resolved."""

    trees: list[str] = field(default_factory=list)
    files: set[str] = field(default_factory=set)
    #: (folder, name) of named output files: ``folder/.name.*.tmp`` is an atomic write's temp
    temp_of: set[tuple[str, str]] = field(default_factory=set)
    hosts: set[str] = field(default_factory=set)  # allowed non-loopback hosts; ANY_HOST = all
    network_flag: str = "no option of this command allows it"
    denied: list[SandboxError] = field(default_factory=list)  # in order, for reports

    def allow_tree(self, folder) -> None:
        real = _real(folder)
        if real and real not in self.trees:
            self.trees.append(real)

    def allow_file(self, path) -> None:
        real = _real(path)
        if real:
            self.files.add(real)
            self.temp_of.add(os.path.split(real))

    def may_open(self, real: str) -> bool:
        if real in self.files:
            return True
        for tree in self.trees:
            if real.startswith(tree) and (len(real) == len(tree) or real[len(tree)] == os.sep
                                          or tree == os.sep):
                return True
        folder, name = os.path.split(real)
        for dir_, named in self.temp_of:
            if folder == dir_ and name.startswith(f".{named}.") and name.endswith(".tmp"):
                return True
        return False

    def may_reach(self, host) -> bool:
        if host is None:
            return True
        if isinstance(host, bytes | bytearray):
            host = host.decode("ascii", "replace")
        host = str(host).strip("[]").lower()
        if host in _LOOPBACK_NAMES or host.startswith(("127.", "::ffff:127.")):
            return True
        if ANY_HOST in self.hosts or host in self.hosts:
            return True
        return _ANY_IP in self.hosts and (":" in host or host.replace(".", "").isdigit())


_ANY_IP = "\0ip"  # marker: some host is allowed, so raw connects to IP addresses are too
_POLICY: Policy | None = None
_INSTALLED = False
_LOCK = threading.Lock()


def _real(path) -> str | None:
    try:
        return os.path.realpath(os.fsdecode(path))
    except (TypeError, ValueError):
        return None


def _hook(event: str, args: tuple) -> None:
    policy = _POLICY
    if policy is None:
        return
    if event == "open":
        path = args[0]
        if isinstance(path, int):  # an already-open file descriptor
            return
        real = _real(path)
        if real is None or policy.may_open(real):
            return
        mode = args[1] if len(args) > 1 else None
        flags = args[2] if len(args) > 2 else 0
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
        shown = os.fsdecode(path)
        if real != os.path.abspath(shown):
            shown += f" (-> {real})"
        what = f"{'writing' if writing else 'reading'} {shown}"
        _deny(policy, what, "missions-kg only opens the project, its cache and the files "
              "named on the command line; name the file (--data FILE, -o FILE, FILE.rq) or "
              "point --root at its project")
    elif event in _NET_EVENTS:
        host, port = _target(event, args)
        if host is _LOCAL or policy.may_reach(host):
            return
        where = f"{host}:{port}" if port not in (None, "") else f"{host}"
        _deny(policy, f"network access to {where}",
              f"missions-kg works offline; {policy.network_flag}")


_LOCAL = object()


def _target(event: str, args: tuple):
    """(host, port) an audited network event is about; ``_LOCAL`` for local IPC."""
    if event == "urllib.Request":
        url = str(args[0])
        if not url.lower().startswith(("http:", "https:", "ftp:")):
            return _LOCAL, None  # file: URLs end in an audited open
        from urllib.parse import urlsplit  # already imported by urllib.request

        parts = urlsplit(url)
        return parts.hostname or "", parts.port
    if event in ("socket.connect", "socket.sendto"):
        sock, address = args[0], args[-1]
        family = getattr(sock, "family", None)
        if getattr(family, "name", "") == "AF_UNIX" or not isinstance(address, tuple):
            return _LOCAL, None
        return address[0], address[1] if len(address) > 1 else None
    if event == "http.client.connect":
        return args[1], args[2]
    if event == "socket.getaddrinfo":
        return args[0], args[1]
    return args[0], None  # gethostbyname(_ex) / gethostbyaddr


def _deny(policy: Policy, what: str, hint: str) -> None:
    error = SandboxError(f"{what} blocked by the sandbox", hint=hint)
    error.what = what
    policy.denied.append(error)
    raise error


# -- switching it on ---------------------------------------------------------------------------

def wanted() -> bool:
    """Should the CLI turn the sandbox on? ``MISSIONS_KG_SANDBOX`` on/off, else not under pytest."""
    setting = os.environ.get(ENV, "").strip().lower()
    if setting in ("0", "off", "no", "false"):
        return False
    if setting in ("1", "on", "yes", "true"):
        return True
    return "PYTEST_CURRENT_TEST" not in os.environ


def base_policy() -> Policy:
    """Python itself, this package, the temp dir, and pyproject.toml files around the cwd."""
    import tempfile

    policy = Policy()
    here = os.path.dirname(os.path.abspath(__file__))
    cwd = os.getcwd()
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, here,
             tempfile.gettempdir()}
    roots.update(p for p in sys.path if p and os.path.isdir(p) and _real(p) != _real(cwd))
    for root in sorted(roots):
        policy.allow_tree(root)
    # Project.locate reads pyproject.toml to recognise a checkout, around the current folder
    # and around the imported package (an editable install: pip install -e CHECKOUT)
    for start in (cwd, here):
        folder = start
        while True:
            policy.files.add(_real(os.path.join(folder, "pyproject.toml")))
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
    for name in ("/dev/null", "/dev/urandom"):
        policy.files.add(name)
    return policy


@contextmanager
def active(policy: Policy | None = None):
    """Turn the sandbox on with ``policy`` (default :func:`base_policy`) for the block."""
    global _POLICY, _INSTALLED
    policy = policy or base_policy()
    with _LOCK:
        if not _INSTALLED:
            sys.addaudithook(_hook)
            _INSTALLED = True
        previous, _POLICY = _POLICY, policy
    try:
        yield policy
    finally:
        _POLICY = previous


def current() -> Policy | None:
    """The active policy, or None when the sandbox is off."""
    return _POLICY


def allow_tree(folder) -> None:
    """Let the running command open files under ``folder`` (no-op when the sandbox is off)."""
    if _POLICY is not None and folder is not None:
        _POLICY.allow_tree(folder)


def allow_project_file(link, kind: str) -> None:
    """Let the running command read a project file that a symlink puts elsewhere (a ``data/``
    folder kept in another repository), but only a file of the same kind: ``data/x.trig``
    pointing to a ``.trig`` file is read, pointing to ``~/.ssh/id_rsa`` is denied here, before
    anything opens it."""
    policy = _POLICY
    if policy is None:
        return
    real = _real(link)
    if real is None or policy.may_open(real):
        return
    if os.path.splitext(real)[1].lower() == os.path.splitext(os.fspath(link))[1].lower():
        policy.allow_file(real)
        return
    _deny(policy, f"reading {os.fspath(link)} (-> {real})",
          f"a project {kind} file may be a symlink only to a file of the same kind; point "
          "--root at the project that holds it, or copy it into the project")


def allow_file(path) -> None:
    """Let the running command open ``path`` (and write it atomically via a temp sibling)."""
    if _POLICY is not None and path is not None:
        _POLICY.allow_file(path)


@contextmanager
def allow_network(hosts=None):
    """Allow network access to ``hosts`` (host names; None: any host) for the block.

    Call it on the code path a command's opt-in flag enables (``--allow-service``,
    ``--online``). The check is by host name where Python resolves it (``getaddrinfo``,
    ``http.client``, ``urllib``); a raw ``connect`` to an IP is allowed once any host is.
    Without an active sandbox it does nothing.
    """
    policy = _POLICY
    if policy is None:
        yield
        return
    added = {ANY_HOST} if hosts is None else {str(h).lower() for h in hosts} | _proxy_hosts()
    added -= policy.hosts
    if added - {ANY_HOST} and _ANY_IP not in policy.hosts:
        added.add(_ANY_IP)
    policy.hosts |= added
    try:
        yield
    finally:
        policy.hosts -= added


def _proxy_hosts() -> set[str]:
    """Hosts of the user's HTTP(S) proxies: with one set, every request connects there."""
    from urllib.parse import urlsplit
    from urllib.request import getproxies

    return {(urlsplit(url).hostname or "").lower() for scheme, url in getproxies().items()
            if scheme in ("http", "https") and "://" in url} - {""}
