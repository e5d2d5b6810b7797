"""Shared helpers for the query/export tests: a built copy of the mini fixture project plus
``tests/fixtures/queries/extra.trig`` (languages, datatypes, blank nodes, escapes)."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
QUERIES = FIXTURES / "queries"
EXTRA = QUERIES / "extra.trig"
FIXTURE_QUERIES = sorted(QUERIES.glob("*.rq"))


def make_project(tmp: Path):
    from missions_kg.project import Project

    root = tmp / "mini"
    shutil.copytree(FIXTURES / "mini", root, ignore=shutil.ignore_patterns(".cache"))
    return Project.locate(root)


def make_built(tmp: Path, extra=(EXTRA,)):
    """Build with the cache under ``tmp`` (module-scoped fixtures outlive conftest's
    per-test MISSIONS_KG_CACHE)."""
    import os

    from missions_kg.build import build

    old = os.environ.get("MISSIONS_KG_CACHE")
    os.environ["MISSIONS_KG_CACHE"] = str(tmp / "cache")
    try:
        return build(make_project(tmp), extra_data=list(extra))
    finally:
        if old is None:
            del os.environ["MISSIONS_KG_CACHE"]
        else:
            os.environ["MISSIONS_KG_CACHE"] = old


def canon(rows):
    """Rows as sorted tuples with blank node labels blanked out (engines name them freely)."""
    return sorted(tuple(None if t is None else (t if t.kind != "bnode" else t._replace(value="_"))
                        for t in row) for row in rows)
