"""The SHACL shapes, tested by data: ``tests/shapes/{valid,invalid}/<Class>-<case>.ttl``.

Each case is a small Turtle graph, validated the way ``missions-kg validate`` does it: a
throw-away project holding the repository's ``ontology/`` and ``shapes/`` and the case as its
only data file, built (strict parsing + OWL RL inference) and validated by
``missions_kg.validation.validate``. ``queries/checks`` and the schema.org check are left out
on purpose: the cases test the shapes, and the checks have their own tests.

A valid case must produce no result at all. An invalid case has its expected results beside
it, as data (the way pySHACL's test corpus keeps them), in ``<Class>-<case>.toml``::

    shape = "https://w3id.org/missions-kg/shapes#EpisodeShape-duration"
    path = "https://schema.org/duration"        # or "^IRI" for an inverse path, or "none"
    components = ["http://www.w3.org/ns/shacl#MinCountConstraintComponent"]  # 1 or more
    foci = ["https://w3id.org/missions-kg/id/ep1"]                            # 1 or more
    known_bug = "why the shape does not catch it yet"   # optional: a strict xfail

The results, as (shape, path, component, focus) tuples, must equal every combination of the
expected values: nothing missing, nothing extra. ``shape`` is the shape pyshacl names as
``sh:sourceShape``: the named property shape; the node shape for a node-level constraint
(``sh:or``, ``sh:sparql``: path ``none``); or, for a blank-node property shape, the node shape
holding it via ``sh:property`` (the result's source must be the one with the expected path).
"""

from __future__ import annotations

import re
import shutil
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import REPO, TESTS
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, SH

from missions_kg import iris
from missions_kg.project import Project
from missions_kg.shacl import shapes_graph as _shapes_graph
from missions_kg.validation import validate

CASES = TESTS / "shapes"
VALID = sorted((CASES / "valid").glob("*.ttl"))
INVALID = sorted((CASES / "invalid").glob("*.ttl"))
CASE_GRAPH = iris.GRAPH + "shape-case/"
NAME = re.compile(r"^(?P<cls>[A-Z][A-Za-z]+)-[a-z0-9]+(?:-[a-z0-9]+)*\.ttl$")


# -- running a case the way the project validates ---------------------------------------------

def validate_case(case: Path, tmp_path: Path):
    """The project's Report for one case file: ontology + shapes + the case as data."""
    root = tmp_path / "project"
    for folder in ("ontology", "shapes"):  # not ontology/imports: the schema.org check has
        shutil.copytree(REPO / folder, root / folder,  # tests of its own
                        ignore=shutil.ignore_patterns("imports"))
    (root / "data").mkdir()
    (root / "queries").mkdir()
    graph = ox.NamedNode(CASE_GRAPH + case.stem)
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph)
             for t in ox.parse(path=case, format=ox.RdfFormat.TURTLE)]
    (root / "data" / "case.trig").write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG))
    return validate(Project(root).checked())


def listing(report) -> str:
    return "\n".join(f"  {r.component.rsplit('#', 1)[-1] if r.component else '?'} "
                     f"focus={r.focus} path={r.path} source={r.source} value={r.value}\n"
                     f"      {r.message}" for r in report.sorted_results()) or "  (none)"


# -- the shapes graph, labelled exactly as the validator loads it -----------------------------

@cache
def shapes() -> Graph:
    """The validator's own loader (private, on purpose): blank-node property shapes get the
    same file-stable labels the report names as sh:sourceShape."""
    return _shapes_graph(Project(REPO))


def path_text(graph: Graph, path) -> str:
    """``IRI``, ``^IRI`` for an inverse path, as the project's report writes it."""
    if isinstance(path, URIRef):
        return str(path)
    inverse = graph.value(path, SH.inversePath)
    return f"^{inverse}" if inverse is not None else "(complex path)"


def node_shapes() -> list[URIRef]:
    return sorted(s for s in shapes().subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef))


def property_shapes() -> set:
    g = shapes()
    return set(g.objects(None, SH.property)) | set(g.subjects(RDF.type, SH.PropertyShape))


def _local(term) -> str:
    return re.split(r"[#/]", str(term))[-1]


# -- invalid-case headers -------------------------------------------------------------------

@dataclass
class Expectation:
    shape: str = ""
    path: str = ""
    components: list[str] = field(default_factory=list)
    foci: list[str] = field(default_factory=list)
    known_bug: list[str] = field(default_factory=list)

    def tuples(self) -> set[tuple[str, str, str, str]]:
        return {(self.shape, self.path, c, f) for c in self.components for f in self.foci}


def read_expectation(case: Path) -> Expectation:
    """The results an invalid case must produce, from ``<case>.toml`` beside it."""
    sidecar = case.with_suffix(".toml")
    assert sidecar.is_file(), f"{case.name}: no {sidecar.name} saying what it must produce"
    data = tomllib.loads(sidecar.read_text(encoding="utf-8"))
    unknown = set(data) - {"shape", "path", "components", "foci", "known_bug"}
    assert not unknown, f"{sidecar.name}: unknown keys {sorted(unknown)}"
    exp = Expectation(shape=data.get("shape", ""), path=data.get("path", ""),
                      components=list(data.get("components", [])),
                      foci=list(data.get("foci", [])),
                      known_bug=[data["known_bug"]] if data.get("known_bug") else [])
    missing = [k for k, v in (("shape", exp.shape), ("path", exp.path),
                              ("components", exp.components), ("foci", exp.foci)) if not v]
    assert not missing, f"{sidecar.name} lacks {', '.join(missing)}"
    return exp


def accepted_sources(exp: Expectation) -> set[str]:
    """The sh:sourceShape values (as the report writes them) that count as ``exp.shape``."""
    g = shapes()
    shape = URIRef(exp.shape)
    assert (shape, None, None) in g, f"no shape {exp.shape} in shapes/"
    own_path = g.value(shape, SH.path)
    if exp.path == "none":
        assert own_path is None, f"{exp.shape} is a property shape: give its path"
        return {exp.shape}
    if own_path is not None:
        assert path_text(g, own_path) == exp.path, (
            f"{exp.shape} has path {path_text(g, own_path)}, the header says {exp.path}")
        return {exp.shape}
    held = {f"_:{p}" for p in g.objects(shape, SH.property)
            if isinstance(p, BNode) and path_text(g, g.value(p, SH.path)) == exp.path}
    assert held, f"{exp.shape} holds no blank property shape with path {exp.path}"
    return held


# -- the cases ------------------------------------------------------------------------------

def _param(case: Path):
    marks = []
    if case.parent.name == "invalid":
        bug = read_expectation(case).known_bug
        if bug:
            marks.append(pytest.mark.xfail(strict=True, reason=" ".join(bug)))
    return pytest.param(case, id=f"{case.parent.name}/{case.stem}", marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in VALID])
def test_valid_case_conforms(case, tmp_path):
    report = validate_case(case, tmp_path)
    assert not report.results, f"{case.name} should conform, but:\n{listing(report)}"


@pytest.mark.parametrize("case", [_param(c) for c in INVALID])
def test_invalid_case_fails_exactly_as_expected(case, tmp_path):
    exp = read_expectation(case)
    sources = accepted_sources(exp)
    report = validate_case(case, tmp_path)
    got = {(exp.shape if r.source in sources else r.source, r.path or "none",
            r.component or "", r.focus) for r in report.results}
    expected = exp.tuples()
    missing, extra = sorted(expected - got), sorted(got - expected)
    assert not missing and not extra, (
        f"{case.name}\n  missing (shape, path, component, focus): {missing}\n"
        f"  unexpected: {extra}\n  all results:\n{listing(report)}")


# -- the suite covers the shapes, and the shapes read well ----------------------------------

def test_every_node_shape_has_an_invalid_case():
    g = shapes()
    covered = set()
    for case in INVALID:
        exp = read_expectation(case)
        if exp.known_bug:
            continue  # a case that does not fail yet covers nothing
        shape = URIRef(exp.shape)
        covered.add(shape)
        covered.update(g.subjects(SH.property, shape))  # a named property shape's node shape
    uncovered = [_local(s) for s in node_shapes() if s not in covered]
    assert not uncovered, f"node shapes without a case in tests/shapes/invalid: {uncovered}"


def test_every_property_shape_has_name_message_and_severity():
    g = shapes()
    lacking = []
    for ps in property_shapes():
        gaps = [_local(p) for p in (SH.path, SH.name, SH.message, SH.severity)
                if g.value(ps, p) is None]
        if gaps:
            owner = ps if isinstance(ps, URIRef) else next(g.subjects(SH.property, ps), ps)
            lacking.append(f"{_local(owner)} {path_text(g, g.value(ps, SH.path))}: "
                           f"no sh:{', sh:'.join(gaps)}")
    assert not lacking, "property shapes that do not read well in a report:\n" + "\n".join(
        sorted(lacking))


def test_case_files_are_named_after_a_class():
    ontology = Graph()
    for path in Project(REPO).ontology_files():
        ontology.parse(path, format="turtle")
    classes = {_local(c) for c in ontology.subjects(RDF.type, OWL.Class)} | {"Entity"}  # prov:
    wrong = [f"{c.parent.name}/{c.name}" for c in VALID + INVALID
             if not (m := NAME.match(c.name)) or m["cls"] not in classes]
    assert not wrong, f"not <Class>-<case>.ttl with a class of ontology/ (or Entity): {wrong}"


def test_enough_cases():
    assert len(VALID) >= 10 and len(INVALID) >= 20, (len(VALID), len(INVALID))
    sidecars = sorted((CASES / "valid").glob("*.toml"))
    assert not sidecars, f"valid cases produce nothing, so have no .toml: {sidecars}"
    orphans = [t.name for t in (CASES / "invalid").glob("*.toml")
               if not t.with_suffix(".ttl").is_file()]
    assert not orphans, f"expectations without a case: {orphans}"
