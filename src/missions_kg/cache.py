"""The build cache: one N-Quads file per input state, never trusted without checking.

The file starts with a one-line JSON header (a N-Quads comment) holding the input key and
the SHA-256 of the body; a file whose header or body does not match is treated as absent
and rebuilt. N-Quads, not pickle: loading a cache must never run code. Writes are atomic
(temp file in the same folder, fsync, ``os.replace``). No rdflib here (fast path).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from . import __version__
from .files import atomic_write

FORMAT = 1
HEADER = "# missions-kg-build "
KEEP = 4  # builds kept per cache folder (one per recent input state)
#: Modules whose code decides what a build contains: editing them invalidates the cache.
_LOGIC = ("loading.py", "scanning.py", "reasoning.py", "rules.py", "dataset.py", "cache.py",
          "terms.py", "store.py", "iris.py")


def input_key(inputs: Iterable[tuple[str, bytes]]) -> str:
    """SHA-256 over the package version, the build logic, and every input's name and bytes."""
    digest = hashlib.sha256(f"missions-kg {__version__} cache {FORMAT}\n".encode())
    here = Path(__file__).parent
    for name in _LOGIC:
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    for name, data in inputs:
        encoded = name.encode()
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def path_for(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"build-{key[:32]}.nq"


def read_meta(path: Path, key: str) -> dict | None:
    """The header of a valid cache file for ``key``, else None (missing, corrupt, stale)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, sep, body = data.partition(b"\n")
    if not sep or not head.startswith(HEADER.encode()):
        return None
    try:
        meta = json.loads(head[len(HEADER):])
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(meta, dict) or meta.get("key") != key or meta.get("format") != FORMAT:
        return None
    if meta.get("body_sha256") != hashlib.sha256(body).hexdigest():
        return None
    return meta


def write(path: Path, body: bytes, meta: dict) -> None:
    """Write header + body atomically, then prune old builds in the same folder."""
    meta = {**meta, "format": FORMAT, "body_sha256": hashlib.sha256(body).hexdigest()}
    header = (HEADER + json.dumps(meta, sort_keys=True, ensure_ascii=True) + "\n").encode()
    atomic_write(path, header + body)
    _prune(path.parent, keep=path)


def _prune(folder: Path, keep: Path) -> None:
    try:
        builds = sorted(folder.glob("build-*.nq"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in [b for b in builds if b != keep][KEEP - 1:]:
            old.unlink()
    except OSError:
        pass  # pruning is housekeeping; a race with another process is harmless
