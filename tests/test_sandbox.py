"""The audit-hook sandbox: what it denies, what it lets through, and that the CLI runs in it."""

from __future__ import annotations

import os
import socket
import sys
import textwrap
import urllib.request

import pytest
from bad_inputs.harness import Listener, run_process
from conftest import MINI

from missions_kg import sandbox
from missions_kg.sandbox import Policy, SandboxError


@pytest.fixture
def policy(tmp_path):
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (tmp_path / "secret").write_text("secret\n")
    p = sandbox.base_policy()
    p.trees = [t for t in p.trees if not str(tmp_path).startswith(t)]  # not via the temp dir
    p.allow_tree(allowed)
    p.network_flag = "pass --allow-service to allow it"
    return p


def test_inactive_hook_is_a_no_op(tmp_path, policy):
    with sandbox.active(policy):
        pass  # installs the hook for good
    assert sandbox.current() is None
    assert (tmp_path / "secret").read_text() == "secret\n"
    socket.getaddrinfo("127.0.0.1", 80)


def test_file_opens_outside_the_allowed_places_are_denied(tmp_path, policy):
    with sandbox.active(policy):
        (tmp_path / "allowed" / "ok.txt").write_text("fine")
        assert (tmp_path / "allowed" / "ok.txt").read_text() == "fine"
        with pytest.raises(SandboxError) as err:
            open(tmp_path / "secret").close()
        assert f"reading {tmp_path / 'secret'} blocked by the sandbox" in str(err.value)
        assert "--data FILE" in str(err.value) and err.value.exit_code == 2
        with pytest.raises(SandboxError, match="writing .*new.txt blocked"):
            os.open(tmp_path / "new.txt", os.O_WRONLY | os.O_CREAT)
    assert [e.what for e in policy.denied] == [f"reading {tmp_path / 'secret'}",
                                              f"writing {tmp_path / 'new.txt'}"]
    assert not (tmp_path / "new.txt").exists()


def test_symlinks_cannot_leave_an_allowed_tree(tmp_path, policy):
    (tmp_path / "allowed" / "link").symlink_to(tmp_path / "secret")
    with sandbox.active(policy), pytest.raises(SandboxError, match="secret"):
        (tmp_path / "allowed" / "link").read_text()


def test_named_files_and_their_atomic_temp_siblings(tmp_path, policy):
    out = tmp_path / "out" / "export.ttl"
    out.parent.mkdir()
    policy.allow_file(out)
    policy.allow_file(tmp_path / "secret")
    with sandbox.active(policy):
        from missions_kg.files import write_output as write_atomic

        write_atomic(out, b"data\n")
        assert (tmp_path / "secret").read_text() == "secret\n"  # named: allowed
        with pytest.raises(SandboxError):
            (out.parent / "other.ttl").write_text("x")
        with pytest.raises(SandboxError):
            (out.parent / ".other.ttl.x.tmp").write_text("x")
    assert out.read_bytes() == b"data\n"


def test_network_is_denied_except_loopback(policy):
    listener = Listener()
    try:
        with sandbox.active(policy):
            with pytest.raises(SandboxError, match="network access to example.invalid:80 "
                                                   "blocked.*pass --allow-service"):
                socket.getaddrinfo("example.invalid", 80)  # before any DNS query
            with pytest.raises(SandboxError, match="192.0.2.1:9"):
                socket.create_connection(("192.0.2.1", 9), timeout=1)
            with pytest.raises(SandboxError, match="192.0.2.1"):
                urllib.request.urlopen("http://192.0.2.1/", timeout=1)
            with pytest.raises(SandboxError, match="8.8.8.8:53"):
                sys.audit("socket.sendto", socket.socket(socket.AF_INET, socket.SOCK_DGRAM),
                          ("8.8.8.8", 53))
            with urllib.request.urlopen(listener.url + "/ok", timeout=5) as answer:
                assert answer.status == 200
            for host in ("localhost", "127.0.0.1", "::1", "127.1.2.3"):
                sys.audit("socket.getaddrinfo", host, 80, 0, 0, 0)
        assert len(listener.hits) == 1
    finally:
        listener.close()


def test_allow_network_opens_and_closes(policy):
    fake = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with sandbox.active(policy):
            with sandbox.allow_network(["query.wikidata.org"]):
                sys.audit("socket.getaddrinfo", "query.wikidata.org", 443, 0, 0, 0)
                sys.audit("socket.connect", fake, ("208.80.154.224", 443))
                with pytest.raises(SandboxError):
                    sys.audit("socket.getaddrinfo", "evil.example", 443, 0, 0, 0)
            with pytest.raises(SandboxError):
                sys.audit("socket.getaddrinfo", "query.wikidata.org", 443, 0, 0, 0)
            with pytest.raises(SandboxError):
                sys.audit("socket.connect", fake, ("208.80.154.224", 443))
            with sandbox.allow_network():
                sys.audit("socket.getaddrinfo", "anything.example", 443, 0, 0, 0)
            with pytest.raises(SandboxError):
                sys.audit("http.client.connect", object(), "anything.example", 443)
    finally:
        fake.close()
    with sandbox.allow_network():  # no sandbox: nothing to open
        pass


def test_wanted(monkeypatch):
    monkeypatch.delenv("MISSIONS_KG_SANDBOX", raising=False)
    assert not sandbox.wanted()  # under pytest
    monkeypatch.setenv("MISSIONS_KG_SANDBOX", "on")
    assert sandbox.wanted()
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    monkeypatch.setenv("MISSIONS_KG_SANDBOX", "off")
    assert not sandbox.wanted()
    monkeypatch.delenv("MISSIONS_KG_SANDBOX")
    assert sandbox.wanted()


def test_cli_under_pytest_does_not_turn_it_on(mini_root, monkeypatch):
    made = []
    monkeypatch.setattr(sandbox, "base_policy", lambda: made.append(1) or Policy())
    from click.testing import CliRunner

    from missions_kg.cli import main

    result = CliRunner().invoke(main, ["--root", str(mini_root), "validate"])
    assert result.exit_code == 0 and made == []


def test_a_good_session_passes_the_live_sandbox(tmp_path):
    """No false alarms: every command on the mini project, each in its own process."""
    root = tmp_path / "mini"
    import shutil

    shutil.copytree(MINI, root)
    (tmp_path / "tmp").mkdir()
    data = tmp_path / "mine.ttl"
    data.write_text("<https://w3id.org/missions-kg/id/x> <https://schema.org/name> \"x\" .\n")
    rq = tmp_path / "mine.rq"
    rq.write_text("SELECT ?s WHERE { ?s ?p ?o } LIMIT 2\n")
    for args in (["build"], ["validate", "--data", data], ["stats"],
                 ["describe", "mkgid:jeanne-renoir"],
                 ["query", "cast", "--engine", "rdflib", "--labels"],
                 ["query", rq, "--data", data, "-o", tmp_path / "rows.tsv"],
                 ["export", "--format", "jsonld", "-o", tmp_path / "out.jsonld"],
                 ["queries"]):
        outcome = run_process(["--root", root, *args], sandbox_tmp=tmp_path / "tmp",
                              cwd=tmp_path)
        assert outcome.exit_code == 0, (args, outcome.stderr)
        assert "blocked" not in outcome.stderr
    assert (tmp_path / "out.jsonld").stat().st_size > 100
    assert (tmp_path / "rows.tsv").read_text().startswith("?s")


INJECT = textwrap.dedent("""
    import sys, urllib.request
    import missions_kg.dataset as b
    mode, args = sys.argv[1], sys.argv[2:]
    real = b.build
    def build(*a, **k):
        if mode == "file":
            open(SECRET).read()
        elif mode == "url":
            urllib.request.urlopen("http://192.0.2.7:81/x", timeout=2)
        elif mode == "socket":
            import socket; socket.create_connection(("192.0.2.7", 81), timeout=2)
        elif mode == "wrapped":
            try:
                open(SECRET).read()
            except Exception as e:
                raise RuntimeError("a library wrapped it") from e
        elif mode == "audit-connect":
            import socket; sys.audit("socket.connect", socket.socket(), ("192.0.2.7", 81))
        return real(*a, **k)
    b.build = build
    if mode == "worker":
        import missions_kg.rdflib_engine as e
        def rdflib(*a, **k):
            open(SECRET).read()
        e.run = rdflib
    from missions_kg.cli import main
    main(args)
""")


@pytest.mark.parametrize("mode, args, message", [
    ("file", ["query", "cast"], "reading {secret} blocked by the sandbox (missions-kg only opens"),
    ("wrapped", ["stats"], "reading {secret} blocked by the sandbox (missions-kg only opens"),
    ("url", ["query", "cast"], "network access to 192.0.2.7:81 blocked by the sandbox "
                               "(missions-kg works offline; pass --allow-service to allow it)"),
    ("socket", ["validate"], "network access to 192.0.2.7:81 blocked by the sandbox "
                             "(missions-kg works offline; this command has no option"),
    ("worker", ["query", "cast", "--engine", "rdflib"], "reading {secret} blocked"),
])
def test_the_cli_runs_commands_in_the_sandbox(tmp_path, mode, args, message):
    secret = tmp_path / "secret.txt"
    secret.write_text("CANARY\n")
    (tmp_path / "tmp").mkdir()
    code = INJECT.replace("SECRET", repr(str(secret)))
    outcome = run_process(["--root", MINI, *args], sandbox_tmp=tmp_path / "tmp", cwd=tmp_path,
                          python=["-c", code, mode])
    assert outcome.exit_code == 2, outcome.stderr
    assert outcome.stderr.startswith("Error: " + message.format(secret=secret)), outcome.stderr
    assert "Traceback" not in outcome.stderr and "CANARY" not in outcome.stdout + outcome.stderr


def test_opt_in_flag_and_off_switch(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("CANARY\n")
    (tmp_path / "tmp").mkdir()

    def run(mode, args, **env):
        return run_process(["--root", MINI, *args], sandbox_tmp=tmp_path / "tmp", cwd=tmp_path,
                           python=["-c", INJECT.replace("SECRET", repr(str(secret))), mode],
                           extra_env=env)

    assert run("audit-connect", ["query", "cast"]).exit_code == 2
    assert run("audit-connect", ["query", "cast", "--allow-service"]).exit_code == 0
    assert run("file", ["query", "cast"], MISSIONS_KG_SANDBOX="off").exit_code == 0


def test_allowed_hosts_include_the_users_proxy(policy, monkeypatch):
    monkeypatch.setenv("https_proxy", "http://proxy.corp.example:3128")
    with sandbox.active(policy):
        with sandbox.allow_network(["query.wikidata.org"]):
            sys.audit("socket.getaddrinfo", "proxy.corp.example", 3128, 0, 0, 0)
        with pytest.raises(SandboxError):
            sys.audit("socket.getaddrinfo", "proxy.corp.example", 3128, 0, 0, 0)
