"""What YAML made of each stored query's ``#+`` header, remembered between runs.

grlc reads our headers as YAML (``lstrip('#+')`` then ``yaml.safe_load``), and so do we; but
importing PyYAML costs ~10 ms of a cold ``missions-kg query``. :class:`HeaderMemo` keeps the
parsed header by the hash of its lines in the cache folder, so YAML runs only for a header
it has not seen. :mod:`missions_kg.catalogue` still checks every value each time.
"""

from __future__ import annotations

from pathlib import Path


class BadYAML(Exception):
    """A header YAML cannot read: the line of the header (0-based) and the problem."""

    def __init__(self, line: int | None, problem: str) -> None:
        self.line, self.problem = line, problem


def yaml_load(lines: str):
    """``yaml.safe_load``; :class:`BadYAML` for a header YAML cannot read."""
    import yaml  # 10 ms: only for a header the memo has not seen

    try:
        return yaml.safe_load(lines)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise BadYAML(mark.line if mark is not None else None,
                       getattr(e, "problem", None) or "not YAML") from None


class HeaderMemo:
    """What YAML made of each ``#+`` header, by the SHA-256 of its lines, kept in
    ``<cache>/headers.json``: a cold ``query`` then imports no YAML. Only values that come
    back from JSON unchanged are kept; the checks on them (keys, parameters) run every time."""

    FILE, LIMIT = "headers.json", 2000

    def __init__(self, cache_dir: Path | None) -> None:
        import json

        self.cache_dir, self.known, self.changed = cache_dir, {}, False
        try:
            data = json.loads((cache_dir / self.FILE).read_text(encoding="utf-8"))
            self.known = data if isinstance(data, dict) else {}
        except (OSError, ValueError, TypeError):
            pass

    def parse(self, lines: str):
        import hashlib
        import json

        key = hashlib.sha256(lines.encode("utf-8", "surrogatepass")).hexdigest()
        if key in self.known:
            return self.known[key]
        data = yaml_load(lines)
        try:
            if json.loads(json.dumps(data)) == data:
                self.known[key], self.changed = data, True
        except (TypeError, ValueError):  # dates, non-string keys: not kept
            pass
        return data

    def save(self) -> None:
        """Keep the new headers (a cache that cannot be written only costs time)."""
        if self.cache_dir is None or not self.changed:
            return
        import json

        from .files import atomic_write

        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            atomic_write(self.cache_dir / self.FILE,
                         json.dumps(dict(list(self.known.items())[-self.LIMIT:])).encode())
        except OSError:
            pass
        self.changed = False
