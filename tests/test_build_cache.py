"""The build cache: hit, miss on change, rebuild when corrupt; cheap checks (stat, as git's
index); the union file and the on-disk store made by the build; inference without noise."""

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
    names = sorted(p.name for p in built.nquads_path.parent.iterdir())
    assert names == sorted([built.nquads_path.name, built.union_path.name, "stat-index.json"])


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

    real = cache.Writer.__init__
    cache_dir = mini.cache_dir

    def refuse(self, path):
        if cache_dir in path.parents:
            raise PermissionError(13, "Permission denied", str(path))
        real(self, path)

    monkeypatch.setattr(cache.Writer, "__init__", refuse)
    built = build(mini)
    assert built.nquads_path.is_file() and cache_dir not in built.nquads_path.parents
    assert open_store(built).query("ASK { GRAPH ?g { ?s ?p ?o } }")


def test_a_missing_cache_folder_is_created(mini, monkeypatch, tmp_path):
    """A fresh checkout has no .cache/ yet: the first build makes it (and a second hits it)."""
    cache = tmp_path / "not" / "there" / "yet"
    monkeypatch.setenv("MISSIONS_KG_CACHE", str(cache))
    first = build(mini)
    assert first.nquads_path.parent == cache.resolve() and not first.cache_hit
    assert build(mini).cache_hit


def _age(root, seconds: float = 60) -> None:
    """Make every file of ``root`` look written ``seconds`` ago (older than the racy window)."""
    import time

    past = time.time() - seconds
    for path in root.rglob("*"):
        os.utime(path, (past, past))


def test_an_unchanged_project_is_not_read_again(mini, monkeypatch):
    """A hit reads no input and does not hash the cache file: their stat vouches for them."""
    from missions_kg import cache

    _age(mini.root)
    first = build(mini)
    _age(first.nquads_path.parent, 30)  # as if the build were older than the racy window
    index = cache.StatIndex.of(mini.cache_dir)  # the one the build uses in this process
    for path in [first.nquads_path, *mini.input_files()]:
        index.record(path, index.entries[str(path)][4])
    index.save()
    hashed = []
    monkeypatch.setattr(cache, "sha256_file", lambda path, **kw: hashed.append(path) or "x")
    again = build(mini)
    assert again.cache_hit and again.nquads_path == first.nquads_path and hashed == []


def test_a_change_that_keeps_size_and_mtime_is_seen_when_racy(mini):
    """Like git's "racily clean" entries: a file hashed within seconds of its last write is
    hashed again, so a same-size edit that restores the mtime is still seen."""
    data = mini.root / "data" / "press-kit.trig"
    first = build(mini)
    st = data.stat()
    text = data.read_text()
    data.write_text(text.replace('"Episode 2"@en', '"Episode 7"@en'))
    os.utime(data, ns=(st.st_atime_ns, st.st_mtime_ns))
    again = build(mini)
    assert not again.cache_hit and again.key != first.key


def test_build_does_nothing_when_nothing_changed(cli, mini_root):
    first = cli("--root", mini_root, "build")
    second = cli("--root", mini_root, "build")
    assert first.exit_code == second.exit_code == 0
    assert "(cache hit)" not in first.stdout and "(cache hit)" in second.stdout
    assert "(cache hit)" not in cli("--root", mini_root, "build", "--force").stdout


def test_the_union_holds_every_triple_once(mini):
    import pyoxigraph as ox

    built = build(mini)
    quads = built.quads()
    union = [ox.Triple(q.subject, q.predicate, q.object)
             for q in ox.parse(path=built.union_path, format=ox.RdfFormat.N_TRIPLES)]
    assert len(union) == len(set(union)) < len(quads)
    assert set(union) == {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    assert built.union_path.read_bytes().isascii()


def test_a_large_build_makes_its_store_during_the_build(mini, monkeypatch):
    from missions_kg import store

    monkeypatch.setattr(store, "DISK_STORE_MIN_BYTES", 0)
    monkeypatch.setattr(store, "_STORES", {})
    built = build(mini, force=True)
    folder = store.store_path(built.nquads_path)
    assert (folder / store.MARKER).is_file()
    opened = open_store(built)
    assert opened.query('ASK { GRAPH ?g { ?s ?p "Jeanne Renoir"@fr } }')
    count = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'  # the default graph: a set
    assert int(next(iter(opened.query(count)))[0].value) == len(
        built.union_path.read_bytes().splitlines())


def test_blank_nodes_keep_their_labels_in_the_store(mini_root, mini, monkeypatch):
    """The store's ``_:b…`` is the cache file's (pyoxigraph's loaders would rename it), in the
    named graph and in the union alike."""
    import pyoxigraph as ox

    from missions_kg import store

    (mini_root / "data" / "blank.trig").write_text(
        "<https://w3id.org/missions-kg/graph/b> { <https://w3id.org/missions-kg/id/x> "
        "<https://schema.org/netWorth> [ <https://schema.org/minValue> 5 ] . }\n")
    for threshold in (10**12, 0):  # in memory, then on disk
        monkeypatch.setattr(store, "DISK_STORE_MIN_BYTES", threshold)
        monkeypatch.setattr(store, "_STORES", {})
        built = build(mini, force=True)
        [node] = {q.object for q in built.quads() if q.predicate.value.endswith("netWorth")}
        graphs = {q.graph_name for q in open_store(built).quads_for_pattern(node, None, None)}
        assert graphs == {ox.NamedNode("https://w3id.org/missions-kg/graph/b"),
                          ox.DefaultGraph()}
