"""Shared helpers for the query/export tests: a built copy of the mini fixture project plus
``tests/fixtures/queries/extra.trig`` (languages, datatypes, blank nodes, escapes)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import FIXTURES

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
    from conftest import environ

    from missions_kg import build

    with environ(MISSIONS_KG_CACHE=str(tmp / "cache")):
        return build(make_project(tmp), extra_data=list(extra))


def canon(rows, concat_separator: str | None = None):
    """Rows as sorted tuples with blank node labels blanked out (engines name them freely).

    ``concat_separator``: the order inside GROUP_CONCAT is unspecified in SPARQL (oxigraph and
    rdflib differ), so plain literals holding it are compared as sorted parts.
    """
    def norm(t):
        if t is None:
            return ("", "", "", "")
        if t.kind == "bnode":
            t = t._replace(value="_")
        elif concat_separator and t.kind == "literal":
            # nested lists ("10 [graph-a, graph-b]") are unordered too
            value = re.sub(r"\[([^\]]*)\]",
                           lambda m: "[" + ", ".join(sorted(m.group(1).split(", "))) + "]", t.value)
            t = t._replace(value=concat_separator.join(sorted(value.split(concat_separator))))
        return (t.kind, t.value, t.datatype or "", t.lang or "")

    return sorted(tuple(norm(t) for t in row) for row in rows)
