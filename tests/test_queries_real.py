"""Every stored query of the real project parses, has a summary, and runs alike on both
engines (skipped while queries/*.rq is empty)."""

from __future__ import annotations

import pytest
from conftest import REPO
from query_support import canon

STORED = sorted(p for p in (REPO / "queries").glob("**/*.rq")
                if (REPO / "queries" / "checks") not in p.parents)
pytestmark = pytest.mark.skipif(not STORED, reason="no stored queries in queries/ yet")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import os

    from missions_kg import build
    from missions_kg.project import Project

    os.environ.setdefault("MISSIONS_KG_CACHE", str(tmp_path_factory.mktemp("real-cache")))
    return build(Project.locate(REPO))


def test_catalogue_loads():
    from missions_kg.catalogue import load_catalogue

    catalogue = load_catalogue(STORED, base=REPO / "queries")
    assert all(q.summary for q in catalogue.values())


@pytest.mark.slow  # tests/test_stored_queries.py compares the engines in the inner loop
@pytest.mark.parametrize("path", STORED, ids=lambda p: p.stem)
def test_both_engines_agree(built, path):
    from missions_kg.catalogue import load_query
    from missions_kg.engine import run_query as run

    q = load_query(path, base=REPO / "queries")
    if q.service:
        pytest.skip("federated (network): tests/test_wikidata_federated.py runs it on a stub")
    required = [p for p in q.params.values() if p.required]
    if required:
        pytest.skip(f"needs -p {required[0].name}; covered by its own snapshot test")
    ox, rd = (run(built, q, engine=e, timeout=60) for e in ("oxigraph", "rdflib"))
    assert ox.vars == rd.vars and ox.boolean == rd.boolean
    assert canon(ox.rows, " | ") == canon(rd.rows, " | ")
    assert canon(ox.triples) == canon(rd.triples)
