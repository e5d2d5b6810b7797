"""The build cache: hit, miss on change, rebuild when corrupt; inference without noise."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from missions_kg import build, iris
from missions_kg.store import open_store

INFERRED = iris.GRAPH_INFERRED


def test_miss_then_hit_then_miss_after_a_change(mini):
    first = build(mini)
    assert not first.cache_hit and first.nquads_path.is_file()
    second = build(mini)
    assert second.cache_hit and second.nquads_path == first.nquads_path
    assert second.graphs == first.graphs
    data = mini.root / "data" / "press-kit.trig"
    data.write_text(data.read_text().replace('"Episode 2"@en', '"Episode two"@en'))
    third = build(mini)
    assert not third.cache_hit and third.key != first.key


def test_force_rebuilds(mini):
    build(mini)
    assert not build(mini, force=True).cache_hit


@pytest.mark.parametrize("damage", ["truncate", "garbage", "header", "body"])
def test_corrupt_cache_is_rebuilt_not_trusted(mini, damage):
    path = build(mini).nquads_path
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(b"\x00\xff not n-quads")
    elif damage == "header":
        path.write_bytes(data.replace(b'"key": "', b'"key": "0', 1))
    else:  # a changed fact with the header left intact
        path.write_bytes(data.replace(b"Jeanne Renoir", b"Jeanne Rxnoir"))
    again = build(mini)
    assert not again.cache_hit
    store = open_store(again)
    assert store.query('ASK { GRAPH ?g { ?s ?p "Jeanne Renoir"@fr } }')


def test_cache_write_leaves_no_temp_files(mini, fresh_cache):
    built = build(mini)
    assert [p.name for p in built.nquads_path.parent.iterdir()] == [built.nquads_path.name]


def test_cache_file_is_plain_nquads_sorted(mini):
    import pyoxigraph as ox

    path = build(mini).nquads_path
    lines = path.read_bytes().splitlines()
    assert lines[0].startswith(b"# missions-kg-build {")
    assert lines[1:] == sorted(lines[1:])
    assert len(list(ox.parse(path=path, format=ox.RdfFormat.N_QUADS))) == len(lines) - 1


def test_inferred_graph_has_the_facts_and_not_the_noise(mini):
    store = open_store(build(mini))
    inferred = {(q.subject.value, q.predicate.value, getattr(q.object, "value", None))
                for q in store.quads_for_pattern(None, None, None, _graph(INFERRED))}
    mkg, mid = iris.ONTOLOGY, iris.ID
    assert (mid + "helene-viviani", mkg + "plays", mid + "jeanne-renoir") in inferred
    assert (mid + "jeanne-renoir", iris.RDF + "type", mkg + "FictionalCharacter") in inferred
    for s, p, o in inferred:
        assert o not in (iris.OWL + "Thing", iris.RDFS + "Resource", iris.SCHEMA + "Thing")
        assert not s.startswith((iris.RDF, iris.RDFS, iris.OWL, iris.XSD))
        assert p != iris.OWL + "sameAs" and s != o
        assert p not in (iris.RDFS + "domain", iris.RDFS + "range")


def _graph(iri):
    import pyoxigraph as ox

    return ox.NamedNode(iri)


def test_cached_path_does_not_import_rdflib(mini):
    build(mini)  # warm the cache
    code = ("import sys; from missions_kg.cli import main\n"
            "try:\n    main(['--root', sys.argv[1], 'stats'])\n"
            "except SystemExit:\n    pass\n"
            "assert 'rdflib' not in sys.modules, 'rdflib imported on the cached path'\n"
            "assert 'owlrl' not in sys.modules\n")
    proc = subprocess.run([sys.executable, "-c", code, str(mini.root)], capture_output=True,
                          text=True, env=os.environ.copy(), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Missions press kit" in proc.stdout


def test_unwritable_cache_folder_still_builds(mini, tmp_path, monkeypatch):
    from missions_kg import cache

    real = cache.atomic_write
    cache_dir = mini.cache_dir

    def refuse(path, data):
        if cache_dir in path.parents:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, data)

    monkeypatch.setattr(cache, "atomic_write", refuse)
    built = build(mini)
    assert built.nquads_path.is_file() and cache_dir not in built.nquads_path.parents
    assert open_store(built).query("ASK { GRAPH ?g { ?s ?p ?o } }")
