"""The build cache: one N-Quads file per input state, never trusted without checking.

The file starts with a one-line JSON header (a N-Quads comment) holding the input key and
the SHA-256 of the body; a file whose header or body does not match is treated as absent
and rebuilt. N-Quads, not pickle: loading a cache must never run code. Writes are atomic
(temp file in the same folder, fsync, ``os.replace``). No rdflib here (fast path).

**Cheap checks, as git's index does.** Hashing every input (and the 250 MB cache file of a
million-quad project) on every command is what made a warm query slow. :class:`StatIndex`
(``stat-index.json`` in the cache folder) remembers, per file, the size, mtime, ctime and
inode it had when it was last hashed, and the hash: a file whose ``stat`` still says the same
is trusted without being read; any change, or an entry recorded less than
:data:`RACY_SECONDS` after the file's last modification ("racily clean": a later write could
leave the same mtime), is hashed again.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path

from . import __version__
from .files import atomic_write

FORMAT = 2
HEADER = "# missions-kg-build "
KEEP = 4  # builds kept per cache folder (one per recent input state)
INDEX = "stat-index.json"
RACY_SECONDS = 2.0
#: Modules whose code decides what a build contains: editing them invalidates the cache.
_LOGIC = ("loading.py", "scanning.py", "reasoning.py", "rules.py", "dataset.py", "cache.py",
          "terms.py", "store.py", "iris.py", "assembly.py", "linesort.py", "userdata.py")


def _stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def sha256_file(path: Path, skip_first_line: bool = False) -> str:
    """SHA-256 of a file's bytes (after its first line when asked), read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        if skip_first_line:
            handle.readline()
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class StatIndex:
    """``path -> [size, mtime_ns, ctime_ns, inode, sha256, hashed_at_ns]`` for one cache folder.
    :meth:`of` shares one per folder in a process (the build, the report key and the
    vocabulary all look files up in it)."""

    _shared: dict[str, StatIndex] = {}

    @classmethod
    def of(cls, folder: Path) -> StatIndex:
        key = str(folder)
        found = cls._shared.get(key)
        if found is None:
            found = cls._shared[key] = cls(Path(folder))
        return found

    def __init__(self, folder: Path) -> None:
        self.path = folder / INDEX
        self.changed = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.entries: dict[str, list] = data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            self.entries = {}

    def trusted(self, path: Path, st: os.stat_result | None = None) -> str | None:
        """The recorded hash of ``path`` when its stat is unchanged and not racy, else None."""
        entry = self.entries.get(str(path))
        try:
            st = st or os.stat(path)
        except OSError:
            return None
        if not isinstance(entry, list) or len(entry) != 6 or entry[:4] != _stat_key(st):
            return None
        if st.st_mtime_ns >= entry[5] - RACY_SECONDS * 1e9:
            return None  # hashed too soon after a write: a second write could look the same
        return entry[4]

    def record(self, path: Path, digest: str, st: os.stat_result | None = None) -> None:
        try:
            st = st or os.stat(path)
        except OSError:
            return
        self.entries[str(path)] = [*_stat_key(st), digest, time.time_ns()]
        self.changed = True

    def digest(self, path: Path) -> str:
        """The SHA-256 of ``path``, from the index when its stat allows, else read and kept."""
        st = os.stat(path)
        found = self.trusted(path, st)
        if found is None:
            found = sha256_file(path)
            self.record(path, found, st)
        return found

    def forget_missing(self) -> None:
        for name in [n for n in self.entries if not os.path.exists(n)]:
            del self.entries[name]
            self.changed = True

    def save(self) -> None:
        """Write the index if it changed (atomically; a failure only costs a re-hash later)."""
        if not self.changed:
            return
        self.forget_missing()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps(self.entries, sort_keys=True).encode())
            self.changed = False
        except OSError:
            pass


def input_key(inputs: Iterable[tuple[str, str]], index: StatIndex | None = None) -> str:
    """SHA-256 over the package version, the build logic, and every input's name and hash
    (``inputs``: (name, sha256 of its bytes))."""
    digest = hashlib.sha256(f"missions-kg {__version__} cache {FORMAT}\n".encode())
    here = Path(__file__).parent
    for name in _LOGIC:
        try:
            digest.update(((index.digest(here / name) if index else
                            sha256_file(here / name)) + name).encode())
        except OSError:
            digest.update(name.encode())
    for name, sha in inputs:
        encoded = name.encode()
        digest.update(len(encoded).to_bytes(8, "big") + encoded + sha.encode())
    return digest.hexdigest()


def path_for(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"build-{key[:32]}.nq"


def read_header(path: Path) -> dict | None:
    """The JSON header of a cache file, or None (missing or not one of ours)."""
    try:
        with open(path, "rb") as handle:
            head = handle.readline()
    except OSError:
        return None
    if not head.startswith(HEADER.encode()) or not head.endswith(b"\n"):
        return None
    try:
        meta = json.loads(head[len(HEADER):])
    except (ValueError, UnicodeDecodeError):
        return None
    return meta if isinstance(meta, dict) else None


def read_meta(path: Path, key: str, index: StatIndex | None = None) -> dict | None:
    """The header of a valid cache file for ``key``, else None (missing, corrupt, stale).
    The body is hashed only when the index cannot vouch for the file."""
    meta = read_header(path)
    if meta is None or meta.get("key") != key or meta.get("format") != FORMAT:
        return None
    recorded = index.trusted(path) if index is not None else None
    if recorded is not None and recorded == meta.get("body_sha256"):
        return meta
    try:
        body = sha256_file(path, skip_first_line=True)
    except OSError:
        return None
    if meta.get("body_sha256") != body:
        return None
    if index is not None:
        index.record(path, body)
    return meta


class Writer:
    """Write a cache file as a stream: ``write(bytes)`` many times, then ``commit(meta)``
    prepends the header (with the body's SHA-256) and renames it into place atomically."""

    def __init__(self, path: Path) -> None:
        import tempfile

        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".body", dir=path.parent)
        self._tmp = Path(tmp)
        self._handle = os.fdopen(fd, "wb", buffering=1 << 20)
        self._digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self._handle.write(data)
        self._digest.update(data)
        self.size += len(data)

    def commit(self, meta: dict, index: StatIndex | None = None) -> dict:
        import tempfile

        meta = {**meta, "format": FORMAT, "body_sha256": self._digest.hexdigest()}
        header = (HEADER + json.dumps(meta, sort_keys=True, ensure_ascii=True) + "\n").encode()
        self._handle.close()
        fd, final = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                     dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as out, open(self._tmp, "rb") as body:
                out.write(header)
                out.flush()
                _copy(body, out)
                os.fsync(out.fileno())
            os.replace(final, self.path)
        except BaseException:
            Path(final).unlink(missing_ok=True)
            raise
        finally:
            self._tmp.unlink(missing_ok=True)
        if index is not None:
            index.record(self.path, meta["body_sha256"])
        _prune(self.path.parent, keep=self.path)
        return meta

    def abort(self) -> None:
        try:
            self._handle.close()
        finally:
            self._tmp.unlink(missing_ok=True)


def _copy(source, target) -> None:
    """Append ``source`` to ``target`` in the kernel where it can (no pass through Python)."""
    import shutil

    start = target.tell()
    if hasattr(os, "copy_file_range"):
        try:
            while os.copy_file_range(source.fileno(), target.fileno(), 1 << 30):
                pass
            return
        except OSError:  # another file system, an old kernel: copy through Python
            source.seek(0)
            target.seek(start)
            target.truncate()
    shutil.copyfileobj(source, target, 1 << 20)


def _prune(folder: Path, keep: Path) -> None:
    import shutil

    try:
        builds = sorted(folder.glob("build-*.nq"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in [b for b in builds if b != keep][KEEP - 1:]:
            old.unlink()
        kept = {p.name for p in folder.glob("build-*.nq")}
        for extra in folder.glob("build-*.nq.*"):  # stores, unions, reports of pruned builds
            base = extra.name.split(".nq.", 1)[0] + ".nq"
            if base not in kept and not extra.is_symlink():
                if extra.is_dir():
                    shutil.rmtree(extra, ignore_errors=True)
                else:
                    extra.unlink()
    except OSError:
        pass  # pruning is housekeeping; a race with another process is harmless
