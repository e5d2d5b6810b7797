"""Every SHACL engine the code can use gives pySHACL's report: same verdict, same results.

pySHACL is the reference. Each other engine (:func:`missions_kg.shacl.available`) validates
the real graph, a damaged copy of it, and every case in ``tests/shapes/`` (valid and invalid),
exactly as ``missions-kg validate`` does; the reports must be equal result for result (focus,
path, value, message, severity, source shape, component, graphs, locations). The shape cases
run twice per engine, so they are marked slow; the real graph is the inner loop's.
"""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest
from conftest import REPO
from test_shapes import INVALID, VALID, validate_case

from missions_kg import redundant_types, shacl
from missions_kg.dataset import build
from missions_kg.project import Project
from missions_kg.validation import validate

OTHERS = [e for e in shacl.available() if e != "pyshacl"]
DAMAGE = """@prefix schema: <https://schema.org/> .
@prefix mkgid: <https://w3id.org/missions-kg/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/missions-kg/graph/damage> {
  mkgid:missions-s1e2 schema:episodeNumber "two"^^xsd:integer ; schema:partOfSeason mkgid:nowhere .
  mkgid:nobody a schema:Person .
  mkgid:link-germany-q183 <https://w3id.org/missions-kg/ontology#linkStatus> "maybe" .
  mkgid:julien-lacombe schema:birthDate "1990"^^xsd:integer ; schema:deathDate "1980"^^xsd:gYear .
}
"""
#: A literal outside its datatype's lexical space: SHACL says it fails ``sh:datatype``;
#: rdflib reads ``"1990-01-01"^^xsd:gYear`` as the year 1990, so pySHACL lets it pass.
ILL_TYPED = """@prefix schema: <https://schema.org/> .
@prefix mkgid: <https://w3id.org/missions-kg/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/missions-kg/graph/damage> {
  mkgid:julien-lacombe schema:birthDate "1990-01-01"^^xsd:gYear .
}
"""


def _signature(report) -> set:
    return {(r.focus, r.path, r.value, r.message, r.severity, r.source, r.component,
             r.source_graphs, r.locations) for r in report.results}


def _compare(reference, other, engine: str) -> None:
    assert reference.conforms == other.conforms
    ref, got = _signature(reference), _signature(other)
    assert ref == got, (f"{engine} differs from pyshacl:\n  only pyshacl: "
                        f"{sorted(ref - got, key=str)}\n  only {engine}: "
                        f"{sorted(got - ref, key=str)}")


def test_an_engine_other_than_pyshacl_is_in_use():
    """pyshacl-turbo is a dependency: a missing one would leave validate 10-30x slower."""
    assert shacl.default_engine() == "turbo" and OTHERS == ["turbo"]


@pytest.mark.parametrize("engine", OTHERS)
def test_real_graph(real_project, engine):
    reference = validate(real_project, engine="pyshacl", reuse=False)
    _compare(reference, validate(real_project, engine=engine, reuse=False), engine)


def _damaged(tmp_path, damage: str) -> Project:
    root = tmp_path / "project"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "data" / "zz-damage.trig").write_text(damage, encoding="utf-8")
    return Project(root).checked()


@pytest.mark.parametrize("engine", OTHERS)
def test_damaged_real_graph(tmp_path, engine):
    project = _damaged(tmp_path, DAMAGE)
    reference = validate(project, engine="pyshacl", reuse=False)
    assert not reference.conforms and len(reference.results) >= 5
    _compare(reference, validate(project, engine=engine, reuse=False), engine)


#: Results that rest on the class hierarchy, where pyshacl-turbo's input holds only the most
#: specific types (missions_kg.redundant_types): a spacecraft that is also a person (kinds
#: reached through Spacecraft -> Vehicle -> Product), a season link to a node that is a
#: CreativeWorkSeason but not a TVSeason, a crew member typed only by a subclass of Person.
HIERARCHY = """@prefix schema: <https://schema.org/> .
@prefix mkg: <https://w3id.org/missions-kg/ontology#> .
@prefix mkgid: <https://w3id.org/missions-kg/id/> .
<https://w3id.org/missions-kg/graph/damage> {
  mkgid:two-kinds a mkg:Spacecraft, schema:Person ; schema:name "Two kinds"@en .
  mkgid:missions-s1e2 schema:partOfSeason mkgid:a-season .
  mkgid:a-season a schema:CreativeWorkSeason ; schema:name "A season"@en .
}
"""
#: A shape that reads rdf:type itself: the engine must then get every type triple.
COUNTS_TYPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix schema: <https://schema.org/> .
@prefix ex: <https://example.org/shapes#> .
ex:OneTypeShape a sh:NodeShape ; sh:targetClass schema:TVEpisode ;
    sh:property [ sh:path rdf:type ; sh:maxCount 2 ; sh:severity sh:Warning ;
                  sh:message "more than two types"@en ] .
"""
#: The same through SPARQL, with a variable predicate (the query names no type).
SPARQL_READS_TYPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <https://schema.org/> .
@prefix ex: <https://example.org/shapes#> .
ex:WorkShape a sh:NodeShape ; sh:targetClass schema:TVEpisode ;
    sh:sparql [ sh:severity sh:Warning ; sh:message "a creative work"@en ;
        sh:select '''SELECT $this ?value WHERE {
            $this ?p ?value . FILTER(?value = <https://schema.org/CreativeWork>) }''' ] .
"""


@pytest.mark.parametrize("engine", OTHERS)
def test_results_that_rest_on_the_class_hierarchy(tmp_path, engine):
    project = _damaged(tmp_path, HIERARCHY)
    reference = validate(project, engine="pyshacl", reuse=False)
    shapes = {r.source.rsplit("#", 1)[-1] for r in reference.results}
    assert {"DisjointKindsShape", "EpisodeShape-partOfSeason"} <= shapes, shapes
    other = validate(project, engine=engine, reuse=False)
    built = build(project)
    assert redundant_types.shapes_allow(shacl.shape_quads(project))
    assert redundant_types.prune(built.union_path.read_bytes())[1] > 500  # it did prune
    _compare(reference, other, engine)


@pytest.mark.parametrize("engine", OTHERS)
def test_shapes_that_read_types_see_every_type(tmp_path, engine):
    """A path and a SPARQL constraint that read type triples: either alone turns pruning
    off (tests/test_redundant_types.py), so one project holds both."""
    project = _damaged(tmp_path, HIERARCHY)
    for name, shape in (("types.ttl", COUNTS_TYPES), ("sparql.ttl", SPARQL_READS_TYPES)):
        (project.root / "shapes" / name).write_text(shape, encoding="utf-8")
        assert not redundant_types.shapes_allow(ox.parse(shape, format=ox.RdfFormat.TURTLE))
    reference = validate(project, engine="pyshacl", reuse=False)
    for message in ("more than two types", "a creative work"):
        assert len([r for r in reference.results if r.message == message]) >= 3, message
    _compare(reference, validate(project, engine=engine, reuse=False), engine)


@pytest.mark.parametrize("engine", OTHERS)
def test_ill_typed_literal_is_the_one_known_difference(tmp_path, engine):
    """pySHACL reads ``"1990-01-01"^^xsd:gYear`` through rdflib, which (depending on what
    else the process did with rdflib) may take it for the year 1990; pyshacl-turbo, as SHACL
    says, fails it on ``sh:datatype``. Everything else must be the same."""
    project = _damaged(tmp_path, ILL_TYPED)
    reference = _signature(validate(project, engine="pyshacl", reuse=False))
    got = _signature(validate(project, engine=engine, reuse=False))
    assert reference <= got
    known = {(
        "https://w3id.org/missions-kg/id/julien-lacombe", "https://schema.org/birthDate",
        '"1990-01-01"^^<http://www.w3.org/2001/XMLSchema#gYear>',
        "http://www.w3.org/ns/shacl#OrConstraintComponent")}
    assert {(r[0], r[1], r[2], r[6]) for r in got - reference} <= known
    assert known <= {(r[0], r[1], r[2], r[6]) for r in got}  # SHACL says it fails


@pytest.mark.slow
@pytest.mark.parametrize("engine", OTHERS)
@pytest.mark.parametrize("case", VALID + INVALID, ids=lambda c: f"{c.parent.name}/{c.stem}")
def test_shape_case(case, engine, tmp_path):
    reference = validate_case(case, tmp_path / "pyshacl", engine="pyshacl")
    _compare(reference, validate_case(case, tmp_path / engine, engine=engine), engine)
