"""Both engines, parameters bound as terms (never pasted), limits, and the cold path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from conftest import REPO
from query_support import FIXTURE_QUERIES, QUERIES, canon, make_built

from missions_kg.catalogue import load_query, parse_query
from missions_kg.engine import ENGINES, QueryTimeout
from missions_kg.engine import run_query as run
from missions_kg.errors import QueryError

CASES = [  # (query file, params)
    ("episodes.rq", {}),
    ("episodes.rq", {"min": "2"}),
    ("played-by.rq", {"actor": "mkgid:helene-viviani"}),
    ("played-by.rq", {"actor": "mkgid:helene-viviani", "lang": "fr"}),
    ("by-name.rq", {"name": "Missions"}),
    ("by-name.rq", {"name": "Hélène Viviani"}),
    ("episode-card.rq", {}),
    ("episode-card.rq", {"episode": "mkgid:s1e3"}),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return make_built(tmp_path_factory.mktemp("engine"))


@pytest.mark.parametrize("name, params", CASES)
def test_engines_agree(built, name, params):
    q = load_query(QUERIES / name)
    ox, rd = (run(built, q, params, engine=e) for e in ENGINES)
    assert ox.vars == rd.vars
    if q.form == "SELECT":
        assert canon(ox.rows) == canon(rd.rows) and ox.rows
    else:
        assert canon(ox.triples) == canon(rd.triples) and ox.triples


def test_params_bound_not_pasted(built):
    r = run(built, load_query(QUERIES / "episodes.rq"), {"min": "3"})
    assert [row[0].value for row in r.rows] == ["3", "3", "3"]  # s1e3 in three languages
    assert {row[2].value for row in r.rows} == {"3"}  # the parameter is projected


def test_union_is_a_set(built):
    # jeanne-renoir playedBy helene-viviani is stated by two sources: one row, not two
    text = ("SELECT ?c WHERE { ?c <https://w3id.org/missions-kg/ontology#playedBy> "
            "<https://w3id.org/missions-kg/id/helene-viviani> }")
    for engine in ENGINES:
        assert len(run(built, text, engine=engine).rows) == 1
    g = ("SELECT ?g WHERE { GRAPH ?g { ?c <https://w3id.org/missions-kg/ontology#playedBy> "
         "<https://w3id.org/missions-kg/id/helene-viviani> } } ORDER BY ?g")
    ox, rd = (run(built, g, engine=e).rows for e in ENGINES)
    assert ox == rd and len(ox) == 2  # GRAPH ?g still sees each source graph


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("payload", ['x" || "1"="1', "x' || '1'='1", '") } SELECT * { ("',
                                     "Missions\\", "Missions\" . ?s ?p ?o . #"])
def test_injection_payloads_match_nothing(built, engine, payload):
    r = run(built, load_query(QUERIES / "by-name.rq"), {"name": payload}, engine=engine)
    assert r.rows == []


def test_payload_that_is_real_data_matches_exactly(built):
    # the description of s1e3 contains the payload; exact STR() match only finds nothing else
    r = run(built, load_query(QUERIES / "by-name.rq"), {"name": "Folge 3"})
    assert [row[0].value for row in r.rows] == ["https://w3id.org/missions-kg/id/s1e3"]


def test_iri_payload_rejected_before_running(built):
    with pytest.raises(QueryError, match="invalid IRI"):
        run(built, load_query(QUERIES / "played-by.rq"),
            {"actor": "http://ex/s1> ?p ?o . ?a ?b ?c . ?d ?e ?f } #"})


@pytest.mark.parametrize("engine", ENGINES)
def test_row_cap(built, engine):
    r = run(built, "SELECT * WHERE { ?s ?p ?o }", engine=engine, max_rows=5)
    assert len(r.rows) == 5 and r.truncated
    r = run(built, "SELECT * WHERE { ?s ?p ?o } LIMIT 3", engine=engine, max_rows=3)
    assert len(r.rows) == 3 and not r.truncated


@pytest.mark.parametrize("engine", ENGINES)
def test_ask_and_describe(built, engine):
    assert run(built, "ASK { ?s a <https://schema.org/TVEpisode> }", engine=engine).boolean
    assert run(built, "ASK { ?s a <https://schema.org/Nothing> }", engine=engine).boolean is False


SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
        "?m ?n2 ?o }")


@pytest.mark.parametrize("engine", ENGINES)
def test_timeout(built, engine):
    import time

    start = time.perf_counter()
    with pytest.raises(QueryTimeout, match="longer than 0.5 s"):
        run(built, SLOW, engine=engine, timeout=0.5)
    assert time.perf_counter() - start < 5


def test_rdflib_worker_reports_errors(built):
    with pytest.raises(QueryError, match="missing parameter"):
        run(built, load_query(QUERIES / "played-by.rq"), {}, engine="rdflib")


def test_rdflib_refuses_service_by_algebra(built):
    q = parse_query("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
                    require_summary=False, allow_service=True)
    with pytest.raises(QueryError, match="SERVICE"):
        run(built, q, engine="rdflib")  # the StoredQuery was loaded permissively


def test_large_builds_use_an_on_disk_store(built, monkeypatch):
    from missions_kg import store

    monkeypatch.setattr(store, "DISK_STORE_MIN_BYTES", 0)
    monkeypatch.setattr(store, "_STORES", {})
    folder = built.nquads_path.with_name(built.nquads_path.name + ".oxigraph")
    stale = built.nquads_path.with_name("build-gone.nq.oxigraph")
    stale.mkdir()
    first = run(built, "SELECT ?c WHERE { ?c ?p <https://w3id.org/missions-kg/id/helene-viviani> }")
    assert (folder / "missions-kg-store.json").is_file() and not stale.exists()
    monkeypatch.setattr(store, "_STORES", {})
    again = run(built, "SELECT ?c WHERE { ?c ?p <https://w3id.org/missions-kg/id/helene-viviani> }")
    assert first.rows == again.rows and len(first.rows) == 1  # read-only reopen, union a set


@pytest.mark.parametrize("over", [0, 1])
def test_the_build_makes_its_store_by_the_rule_commands_open_it_by(mini, monkeypatch, over):
    """One rule: the build makes an on-disk store when its quads reach DISK_STORE_MIN_BYTES
    (else none: making one for nothing cost a cold build of the real graph ~80 ms), and a
    command opens that store, or loads a smaller build into memory, making nothing again."""
    from missions_kg import build, store

    first = build(mini)
    with open(first.nquads_path, "rb") as handle:
        header = len(handle.readline())
    body = first.nquads_path.stat().st_size - header  # the quads, without the header line
    threshold = body + over
    monkeypatch.setattr(store, "DISK_STORE_MIN_BYTES", threshold)
    monkeypatch.setattr(store, "_STORES", {})
    built = build(mini, force=True)
    assert store.store_path(built.nquads_path).is_dir() == (over == 0)

    def refuse(_nquads):
        raise AssertionError("a command made a store")

    monkeypatch.setattr(store, "_on_disk", refuse)
    if over == 0:
        monkeypatch.setattr(store, "_in_memory", refuse)
    rows = run(built, "SELECT ?name WHERE { ?p a <https://schema.org/Person> ; "
                      "<https://schema.org/name> ?name }").rows
    assert rows and len(rows) == len(set(map(str, rows)))


def test_a_block_that_is_not_the_last_passes_the_store_threshold():
    """The build decides on its first block (assembly.Output.flush): one that is not the
    last must hold more quad bytes than the threshold, even of the shortest N-Quads lines
    (``<a> <b> <c> <g> .``, 18 bytes)."""
    from missions_kg import store

    assert store.BULK_LINES * len(b"<a> <b> <c> <g> .\n") >= store.DISK_STORE_MIN_BYTES


def test_cold_query_does_not_import_rdflib(built):
    script = textwrap.dedent(f"""
        import json, sys
        from missions_kg import build
        from missions_kg.engine import run_query as run
        from missions_kg.project import Project
        from missions_kg.catalogue import load_query
        from missions_kg.results import render
        built = build(Project.locate({str(built.project.root)!r}),
                      extra_data=[{str(QUERIES / 'extra.trig')!r}])
        assert built.cache_hit, (built.key, built.nquads_path, built.files)
        r = run(built, load_query({str(QUERIES / 'episodes.rq')!r}))
        render(r, "table"); render(r, "json")
        print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'rdflib')))
    """)
    env = {**os.environ, "MISSIONS_KG_CACHE": str(built.nquads_path.parent)}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []


def test_fixture_queries_exist():
    assert len(FIXTURE_QUERIES) == 4


def test_a_stored_query_run_again_imports_no_yaml(tmp_path):
    """The first run reads the header with YAML and remembers it (headers.json in the cache);
    the next run of the same query reads it from there: no YAML import, the same answer."""
    script = textwrap.dedent("""
        import sys
        from missions_kg.cli import main
        sys.argv = ["missions-kg", "query", "episodes", "-p", "season=1", "--format", "csv"]
        try:
            main()
        except SystemExit as e:
            assert not e.code, e.code
        print("yaml imported:", "yaml" in sys.modules, file=sys.stderr)
    """)
    env = {**os.environ, "MISSIONS_KG_CACHE": str(tmp_path / "cache")}
    first, again = (subprocess.run([sys.executable, "-c", script], capture_output=True,
                                   text=True, env=env, cwd=REPO) for _ in range(2))
    assert "yaml imported: True" in first.stderr, first.stderr
    assert "yaml imported: False" in again.stderr, again.stderr
    assert again.stdout == first.stdout and first.stdout.count("\n") > 5


def test_the_header_memo_keeps_only_what_json_keeps_unchanged(tmp_path):
    from missions_kg.catalogue import HeaderMemo, read_header

    memo = HeaderMemo(tmp_path)
    text = "#+ summary: a\n#+ tags: [x]\nSELECT * WHERE { ?s ?p ?o }\n"
    assert read_header(text, "q.rq", memo) == read_header(text, "q.rq")
    dated = "#+ summary: a\n#+ description: 2017-06-01\nASK {}\n"
    read_header(dated, "d.rq", memo)  # YAML makes a date: JSON would give a string back
    memo.save()
    assert len(HeaderMemo(tmp_path).known) == 1
    with pytest.raises(QueryError, match=r"bad\.rq:2: the #\+ header is not valid YAML"):
        read_header("#+ summary: a\n#+ tags: [x\nASK {}\n", "bad.rq", memo)
