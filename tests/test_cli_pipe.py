"""`missions-kg … | head` is normal use: a closed pipe ends the command quietly."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import REPO


@pytest.mark.skipif(shutil.which("missions-kg") is None and
                    not (REPO / ".venv" / "bin" / "missions-kg").exists(),
                    reason="the console script is not installed")
def test_closed_pipe_is_not_an_error(tmp_path):
    exe = shutil.which("missions-kg") or str(REPO / ".venv" / "bin" / "missions-kg")
    proc = subprocess.run(
        f'"{exe}" --root "{REPO}" export --format nquads | head -n 1',
        shell=True, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "MISSIONS_KG_CACHE": str(tmp_path)},
    )
    assert proc.stdout.count("\n") == 1
    assert "Error" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
