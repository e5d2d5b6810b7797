"""A validation report kept beside its build, under the key of everything that decides it.

Validating an unchanged project again gives the same report: the build key (every input
file and the build logic), the shapes, the checks, the schema.org release, the validation
code, the SHACL engine and its version, and the options (the label language). When none of
them changed, ``validate`` reads the report back (JSON, no rdflib, no engine) instead of
running SHACL again. Files are hashed through the build's stat index, so an unchanged file is
not even read. The report file is pruned with its build (``build-….nq.report-….json``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import cache
from .report import Report

FORMAT = 1
#: Modules whose code decides what a report says.
_LOGIC = ("validation.py", "shacl.py", "turbo.py", "vocabulary.py", "report.py", "locate.py",
          "labels.py", "catalogue.py", "headers.py", "verdicts.py", "safety.py")


def key(built, files: list[Path], engine: str, options: dict) -> str:
    """The key of a report on ``built`` by ``engine`` (name and version) with ``files``
    (shapes, checks, vocabulary release) and ``options``."""
    index = cache.StatIndex.of(built.project.cache_dir)
    digest = hashlib.sha256(f"report {FORMAT} {built.key} {engine}\n".encode())
    digest.update(json.dumps(options, sort_keys=True).encode())
    here = Path(__file__).parent
    try:
        for path in [here / name for name in _LOGIC] + sorted(files):
            try:
                digest.update(f"{path.name} {index.digest(path)}\n".encode())
            except OSError:
                digest.update(f"{path.name} missing\n".encode())
    finally:
        index.save()
    return digest.hexdigest()


def path_for(built, report_key: str) -> Path:
    return built.nquads_path.with_name(f"{built.nquads_path.name}.report-{report_key[:24]}.json")


def load(built, report_key: str) -> Report | None:
    """The cached report for ``report_key``, or None."""
    try:
        data = json.loads(path_for(built, report_key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != report_key:
        return None
    try:
        return Report.from_dict(data["report"])
    except (KeyError, TypeError, ValueError):
        return None


def save(built, report_key: str, report: Report) -> None:
    """Keep ``report`` (a failure to write only costs a validation next time)."""
    from .files import atomic_write

    data = {"key": report_key, "report": report.to_dict()}
    try:
        atomic_write(path_for(built, report_key),
                     json.dumps(data, ensure_ascii=False, sort_keys=True).encode())
    except OSError:
        pass


class _Check:
    """What running a check needs from its file: its form, summary and text."""

    def __init__(self, form: str, summary: str, text: str) -> None:
        self.form, self.summary, self.text = form, summary, text


def load_check(path: Path, cache_dir: Path):
    """A check read with :func:`missions_kg.catalogue.load_query` (header, safety check), or,
    when the same bytes passed it before under the same reader code, from ``checks.json``
    in the cache folder (no YAML, no lexer: 5 ms a check on every ``validate``)."""
    from .catalogue import load_query

    index = cache.StatIndex.of(cache_dir)
    here = Path(__file__).parent
    try:
        key = hashlib.sha256(" ".join(
            [index.digest(path)] + [index.digest(here / m) for m in
                                     ("catalogue.py", "safety.py", "verdicts.py")]).encode()
                             ).hexdigest()
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError):
        return load_query(path, require_summary=False)
    finally:
        index.save()
    kept = cache_dir / "checks.json"
    try:
        known = json.loads(kept.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if isinstance(known, dict) and isinstance(known.get(key), list):
        form, summary = known[key]
        return _Check(form, summary, text)
    check = load_query(path, require_summary=False)
    known = known if isinstance(known, dict) else {}
    known[key] = [check.form, check.summary]
    try:
        from .files import atomic_write

        atomic_write(kept, json.dumps(known, sort_keys=True).encode())
    except OSError:
        pass
    return check
