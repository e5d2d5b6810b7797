"""Progress bars: on a terminal after a delay, never on a pipe, never with --quiet.

The commands run in their own process with standard error on a pseudo-terminal (a real tty,
as a person's shell gives), the delay set to 0 so a quick build shows its bars.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time

import pytest

from missions_kg import progress

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
CLI = [sys.executable, "-c", "import sys; from missions_kg.cli import main; sys.exit(main())"]


def _run(args: list[str], *, tty: bool, tmp_path, sized: bool = True) -> tuple[int, str, str]:
    env = {**os.environ, progress.ENV_DELAY: "0", "MISSIONS_KG_CACHE": str(tmp_path / "c")}
    env.pop("PYTEST_CURRENT_TEST", None)
    if not tty:
        proc = subprocess.run(CLI + args, env=env, capture_output=True, text=True, timeout=120)
        return proc.returncode, proc.stdout, proc.stderr
    leader, follower = pty.openpty()  # a terminal 100 columns wide (a new pty has none)
    if sized:
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    out_file = tmp_path / "stdout.txt"  # a file, not a pipe: a full pipe would block the child
    with open(out_file, "wb") as out:
        proc = subprocess.Popen(CLI + args, env=env, stdout=out, stderr=follower,
                                stdin=subprocess.DEVNULL)
    os.close(follower)
    chunks, deadline = [], time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if not select.select([leader], [], [], 1)[0]:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            chunks.append(chunk)
        else:
            proc.kill()
        proc.wait(timeout=10)
    finally:
        os.close(leader)
    return proc.returncode, out_file.read_text(), b"".join(chunks).decode(errors="replace")


def test_a_terminal_sees_the_build_and_validate_progress(mini_root, tmp_path):
    code, out, err = _run(["--root", str(mini_root), "build"], tty=True, tmp_path=tmp_path)
    assert code == 0 and "triples in" in out
    assert "Parsing" in err and "Writing" in err and "\r" in err
    code, out, err = _run(["--root", str(mini_root), "validate"], tty=True, tmp_path=tmp_path)
    assert code == 0 and out.startswith("Conforms") and "Validating" in err


def test_nothing_on_a_pipe(mini_root, tmp_path):
    code, out, err = _run(["--root", str(mini_root), "build"], tty=False, tmp_path=tmp_path)
    assert code == 0 and "triples in" in out
    assert "Parsing" not in err and "\r" not in err


def test_nothing_with_quiet(mini_root, tmp_path):
    code, out, err = _run(["--quiet", "--root", str(mini_root), "build", "--force"], tty=True,
                          tmp_path=tmp_path)
    assert code == 0 and "triples in" in out
    assert "Parsing" not in err and "Writing" not in err


def test_the_api_is_silent_off_a_terminal(capsys):
    with progress.task("Counting", total=3, unit="x") as bar:
        bar.update(1)
        bar.describe("Counting more")
        bar.set_total(4)
    assert capsys.readouterr().err == ""


def test_a_terminal_sees_export_and_publish_progress(mini_root, tmp_path):
    """The other two long commands: export counts quads, publish counts the graphs sent to a
    real store (an oxigraph server on a loopback port) and then the graphs verified."""
    from servers import Unavailable, start_oxigraph

    code, out, err = _run(["--root", str(mini_root), "export", "--format", "nquads", "-o",
                           str(tmp_path / "out.nq")], tty=True, tmp_path=tmp_path)
    assert code == 0 and "Exporting" in err and (tmp_path / "out.nq").stat().st_size > 0
    try:
        server = start_oxigraph(tmp_path / "store")
    except Unavailable as e:
        pytest.skip(str(e))
    try:
        code, out, err = _run(["--root", str(mini_root), "publish", "--store", server.store],
                              tty=True, tmp_path=tmp_path)
    finally:
        server.stop()
    assert code == 0, err
    assert "Publishing" in err and "Verifying" in err and "graph" in err
    assert out.startswith("Published ") and "every count matches" in out
    assert "sent " not in out  # one line per graph only with --verbose


def test_a_terminal_that_says_no_size_still_sees_the_bars(mini_root, tmp_path):
    """`script` without a terminal of its own gives a pseudo-terminal of 0x0: tqdm alone would
    draw nothing there; the bars assume 80x24."""
    code, out, err = _run(["--root", str(mini_root), "build"], tty=True, tmp_path=tmp_path,
                          sized=False)
    assert code == 0 and "triples in" in out and "Parsing" in err
