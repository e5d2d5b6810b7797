"""Shapes catch corruption: damage the real data one way at a time, `validate` must say where.

Each mutant is a temp copy of the project (`--root`) whose data/*.trig had one kind of damage
applied (quads removed, replaced or added, then the file written back as TriG); the target is
picked from the real data by SPARQL, so new data does not break the test. `missions-kg
validate --format json` must exit 1 with a Violation whose focus node is the damaged node,
from the expected shape or check, that the undamaged data does not have. The mutants run in
worker processes forked from the test (sandbox on), one per core.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import REPO, environ

from missions_kg import iris
from missions_kg.store import open_store

pytestmark = pytest.mark.slow

MKG, MKGID, SCHEMA, XSD = iris.ONTOLOGY, iris.ID, iris.SCHEMA, iris.XSD
RDF_TYPE = ox.NamedNode(iris.RDF + "type")
PROV = iris.PROV
MUTATION_GRAPH = ox.NamedNode(iris.GRAPH + "mutation")
PREFIXES = ("PREFIX schema: <https://schema.org/> PREFIX mkg: <" + MKG + "> PREFIX prov: <"
            + PROV + "> PREFIX xsd: <" + XSD + "> ")


def S(local: str) -> ox.NamedNode:
    return ox.NamedNode(SCHEMA + local)


def M(local: str) -> ox.NamedNode:
    return ox.NamedNode(MKG + local)


class Data:
    """The project's data files as quads, with the built (inferred) store to pick targets."""

    def __init__(self, root: Path, store: ox.Store) -> None:
        self.root = root
        self.store = store
        self.files = {p: list(ox.parse(path=str(p), format=ox.RdfFormat.TRIG))
                      for p in sorted((root / "data").glob("*.trig"))}
        self.changed: set[Path] = set()
        self.added: list[ox.Quad] = []

    def one(self, variables: str, where: str) -> list:
        """The first row (in a stable order) of ``SELECT variables WHERE { where }``."""
        rows = list(self.store.query(f"{PREFIXES} SELECT {variables} WHERE {{ {where} }}",
                                     use_default_graph_as_union=True))
        assert rows, f"no target in the real data for: {where}"
        rows.sort(key=lambda r: [str(t) for t in r])
        return list(rows[0])

    def remove(self, s, p, o=None) -> list[tuple[Path, ox.Quad]]:
        """Remove (s, p, o) from every graph of every file; return (file, quad) removed."""
        gone = []
        for path, quads in self.files.items():
            hit = [q for q in quads if q.subject == s and q.predicate == p
                   and (o is None or q.object == o)]
            if hit:
                self.files[path] = [q for q in quads if q not in hit]
                self.changed.add(path)
                gone += [(path, q) for q in hit]
        assert gone, f"nothing to remove for {s} {p} {o}"
        return gone

    def add(self, s, p, o) -> None:
        self.added.append(ox.Quad(s, p, o, MUTATION_GRAPH))

    def replace(self, s, p, new) -> None:
        """Every value of (s, p) becomes ``new``, in the graphs and files that stated it
        (or, if none did, ``new`` is added)."""
        if not any(q.subject == s and q.predicate == p for qs in self.files.values() for q in qs):
            return self.add(s, p, new)
        for path, q in self.remove(s, p):
            self.files[path].append(ox.Quad(s, p, new, q.graph_name))

    def write(self) -> None:
        prefixes = dict(sorted(iris.PREFIXES.items()))
        for path in self.changed:
            path.write_bytes(ox.serialize(self.files[path], format=ox.RdfFormat.TRIG,
                                          prefixes=prefixes))
        if self.added:
            (self.root / "data" / "zz-mutation.trig").write_bytes(ox.serialize(
                self.added, format=ox.RdfFormat.TRIG, prefixes=prefixes))


def integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))


# -- the kinds of damage: each returns the damaged node (the expected focus) ------------------

def drop_required_property(d: Data):
    (episode,) = d.one("?e", "?e a schema:TVEpisode ; schema:episodeNumber ?n .")
    d.remove(episode, S("episodeNumber"))
    return episode


def wrong_datatype(d: Data):
    episode, number = d.one("?e ?n", "?e a schema:TVEpisode ; schema:episodeNumber ?n .")
    d.replace(episode, S("episodeNumber"), ox.Literal(number.value))  # "3", a string
    return episode


def value_of_the_wrong_class(d: Data):
    season, person = d.one("?s ?p", "?s a schema:TVSeason ; schema:partOfSeries ?x . "
                           "?p a schema:Person .")
    d.replace(season, S("partOfSeries"), person)
    return season


def duplicate_episode_number(d: Data):
    episode, number = d.one(
        "?e ?n", "?e a schema:TVEpisode ; schema:partOfSeason ?s ; schema:episodeNumber ?n . "
        "?o a schema:TVEpisode ; schema:partOfSeason ?s ; schema:episodeNumber ?m . "
        "FILTER(?m = ?n + 1)")
    d.replace(episode, S("episodeNumber"), integer(int(number.value) + 1))
    return episode


def missing_label_language(d: Data):
    occupation, name = d.one("?o ?n", "?o a schema:Occupation ; schema:name ?n . "
                                      "FILTER(LANG(?n) = 'en')")
    d.remove(occupation, S("name"), name)
    d.add(occupation, S("name"), ox.Literal(name.value))
    return occupation


def birth_after_death(d: Data):
    person, birth = d.one("?p ?b", "?p a schema:Person ; schema:birthDate ?b .")
    year = int(birth.value[:4]) - 10
    d.replace(person, S("deathDate"), ox.Literal(str(year), datatype=ox.NamedNode(XSD + "gYear")))
    return person


def malformed_wikidata_iri(d: Data):
    thing, item = d.one("?t ?q", "?t schema:sameAs ?q . FILTER(STRSTARTS(STR(?q), "
                        "'http://www.wikidata.org/entity/Q'))")
    d.replace(thing, S("sameAs"), ox.NamedNode(item.value.replace("/entity/", "/wiki/")))
    return thing


def untyped_entity(d: Data):
    node = ox.NamedNode(MKGID + "someone-without-a-type")
    d.add(node, S("name"), ox.Literal("Someone", language="en"))
    return node


def dangling_reference(d: Data):
    (series,) = d.one("?s", "?s a schema:TVSeries ; schema:creator ?c .")
    d.add(series, S("creator"), ox.NamedNode(MKGID + "julien-lacombee"))  # a typo
    return ox.NamedNode(MKGID + "julien-lacombee")


def role_without_actor(d: Data):
    role, actor = d.one("?r ?a", "?r a schema:PerformanceRole ; schema:actor ?a .")
    d.remove(role, S("actor"), actor)
    return role


def two_season_numbers(d: Data):
    season, number = d.one("?s ?n", "?s a schema:TVSeason ; schema:seasonNumber ?n .")
    d.add(season, S("seasonNumber"), integer(int(number.value) + 10))
    return season


def negative_crew_size(d: Data):
    (mission,) = d.one("?m", "?m a mkg:SpaceMission .")
    d.add(mission, M("crewSize"), integer(-3))
    return mission


def description_without_language(d: Data):
    (series,) = d.one("?s", "?s a schema:TVSeries .")
    d.add(series, S("description"), ox.Literal("A description with no language tag."))
    return series


def source_graph_without_primary_source(d: Data):
    graph, source = d.one("?g ?p", "?g a prov:Entity ; prov:hadPrimarySource ?p .")
    d.remove(graph, ox.NamedNode(PROV + "hadPrimarySource"), source)
    return graph


def character_based_on_a_fictional_character(d: Data):
    character, other = d.one("?c ?o", "?c a mkg:FictionalCharacter . ?o a mkg:FictionalCharacter . "
                             "FILTER(?c != ?o)")
    d.add(character, M("basedOnRealPerson"), other)
    return character


def label_in_an_unsupported_language(d: Data):
    (occupation,) = d.one("?o", "?o a schema:Occupation .")
    d.add(occupation, S("name"), ox.Literal("escritor", language="es"))
    return occupation


def two_names_in_one_language(d: Data):
    thing, name = d.one("?t ?n", "?t a schema:Occupation ; schema:name ?n . "
                                 "FILTER(LANG(?n) = 'en')")
    d.add(thing, S("name"), ox.Literal(name.value + " (again)", language="en"))
    return thing


def commander_is_a_spacecraft(d: Data):
    """The range of mkg:commander makes the spacecraft a Person too: by design the report
    names that node (two top-level kinds), not the mission whose link is wrong."""
    mission, craft = d.one("?m ?c", "?m a mkg:SpaceMission . ?c a mkg:Spacecraft .")
    d.add(mission, M("commander"), craft)
    return craft


#: kind -> (damage, a fragment of the reporting shape or check, its path or its component)
MUTATIONS = {
    "drop-required-property": (drop_required_property, "EpisodeShape-episodeNumber"),
    "wrong-datatype": (wrong_datatype, "EpisodeShape-episodeNumber"),
    "value-of-the-wrong-class": (value_of_the_wrong_class, "SeasonShape-partOfSeries"),
    "duplicate-episode-number": (duplicate_episode_number, "episode-number-unique"),
    "missing-label-language": (missing_label_language, "DatatypeConstraintComponent"),
    "birth-after-death": (birth_after_death, "birth"),
    "malformed-wikidata-iri": (malformed_wikidata_iri, "sameAs"),
    "untyped-entity": (untyped_entity, "TypedShape"),
    "dangling-reference": (dangling_reference, "TypedShape"),
    "role-without-actor": (role_without_actor, "RoleShape-actor"),
    "two-season-numbers": (two_season_numbers, "SeasonShape-seasonNumber"),
    "negative-crew-size": (negative_crew_size, "MissionShape-crewSize"),
    "description-without-language": (description_without_language, "description"),
    "source-graph-without-primary-source": (source_graph_without_primary_source,
                                            "prov#hadPrimarySource"),
    "character-based-on-a-fictional-character": (character_based_on_a_fictional_character,
                                                 "CharacterShape-basedOnRealPerson"),
    "label-in-an-unsupported-language": (label_in_an_unsupported_language,
                                         "LanguageInConstraintComponent"),
    "two-names-in-one-language": (two_names_in_one_language, "name"),
    "commander-is-a-spacecraft": (commander_is_a_spacecraft, "DisjointKindsShape"),
}


@dataclass
class Run:
    exit_code: int
    report: dict | None
    stderr: str
    focus: str = ""


def _copy_project(dest: Path) -> Path:
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(REPO / folder, dest / folder)
    return dest


def _validate(root: Path, tmp: Path) -> Run:
    """``missions-kg --root ROOT validate --format json`` in a worker forked from the test
    process (its imports are already warm), with the sandbox on and a cache of its own."""
    from click.testing import CliRunner

    from missions_kg.cli import main

    result = CliRunner().invoke(main, ["--root", str(root), "validate", "--format", "json"],
                                env={"MISSIONS_KG_CACHE": str(tmp / "cache"),
                                     "MISSIONS_KG_SANDBOX": "on"})
    try:
        report = json.loads(result.stdout)
    except ValueError:
        report = None
    return Run(result.exit_code, report, result.stderr)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Run]:
    """Validate the clean copy and every mutant (in parallel, one process each)."""
    from missions_kg import build
    from missions_kg.project import Project

    base = tmp_path_factory.mktemp("mutations")
    clean = _copy_project(base / "clean")
    with environ(MISSIONS_KG_CACHE=str(base / "cache")):
        store = open_store(build(Project.locate(clean)))
    jobs = {"clean": (clean, base / "run-clean")}
    focus = {}
    for kind, (damage, _shape) in MUTATIONS.items():
        root = _copy_project(base / kind)
        data = Data(root, store)
        focus[kind] = damage(data).value
        data.write()
        jobs[kind] = (root, base / f"run-{kind}")
    for _root, tmp in jobs.values():
        tmp.mkdir()
    # forkserver, not fork: this process holds the clean build's on-disk store open, and a
    # child forked from a process with RocksDB's threads running can hang on its locks.
    workers = max(2, os.cpu_count() or 2)
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["missions_kg.cli", "pyshacl"])
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        futures = {kind: pool.submit(_validate, root, tmp) for kind, (root, tmp) in jobs.items()}
        results = {kind: f.result() for kind, f in futures.items()}
    for kind, run in results.items():
        run.focus = focus.get(kind, "")
    return results


def test_the_real_data_is_clean(runs):
    clean = runs["clean"]
    assert clean.exit_code == 0, clean.stderr
    assert clean.report["conforms"] and clean.report["counts"]["Violation"] == 0


@pytest.mark.parametrize("kind", list(MUTATIONS))
def test_validate_rejects_the_mutant_on_the_damaged_node(runs, kind):
    run, shape = runs[kind], MUTATIONS[kind][1]
    assert run.exit_code == 1, f"{kind}: exit {run.exit_code}\n{run.stderr}"
    assert "Traceback" not in run.stderr
    baseline = {(r["focus"], r["source"]) for r in runs["clean"].report["results"]}
    hits = [r for r in run.report["results"]
            if r["focus"] == run.focus and r["severity"] == "Violation"
            and (r["focus"], r["source"]) not in baseline]
    assert hits, (f"{kind}: no new Violation on {run.focus}; got "
                  + json.dumps([(r["focus"], r["source"]) for r in run.report["results"]]))
    said = [f"{r['source']} {r['path']} {r['component']}" for r in hits]
    assert any(shape in text for text in said), (kind, said)


def test_at_least_15_kinds_of_damage():
    assert len(MUTATIONS) >= 15
