"""pyshacl-turbo called below its Python layer (:mod:`missions_kg.turbo`): the results the
public ``pyshacl_turbo.validate()`` gives, without rdflib in the process."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO
from test_shacl_parity import _signature

from missions_kg import shacl, turbo
from missions_kg.project import Project
from missions_kg.validation import validate

pytestmark = pytest.mark.skipif("turbo" not in shacl.available(),
                                reason="pyshacl-turbo is not installed")

#: Shapes with no sh:message (the engines word those results themselves), blank property
#: shapes, an inverse path, a list, numbers and a pattern.
BARE_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/shapes#> .

ex:Person a sh:NodeShape ; sh:targetClass schema:Person ;
    sh:property [ sh:path schema:name ; sh:minCount 1 ; sh:datatype xsd:integer ] ,
                [ sh:path schema:birthDate ; sh:minCount 1 ; sh:severity sh:Warning ] ,
                [ sh:path [ sh:inversePath schema:actor ] ; sh:minCount 1 ] ,
                [ sh:path schema:name ; sh:in ( "Jean-Toussaint Bernard" 3 ) ] ,
                [ sh:path schema:name ; sh:pattern "^X" ; sh:message "starts with X"@en ] .
ex:Episode a sh:NodeShape ; sh:targetClass schema:TVEpisode ;
    sh:property [ sh:path schema:partOfSeries ; sh:class schema:TVSeason ] ,
                [ sh:path schema:episodeNumber ; sh:maxInclusive 1 ; sh:nodeKind sh:IRI ] .
"""


@pytest.fixture
def bare(mini_root) -> Project:
    (mini_root / "shapes" / "mini.ttl").write_text(BARE_SHAPES, encoding="utf-8")
    return Project(mini_root).checked()


def test_the_results_are_the_public_validates(bare):
    """Same focus, path, value, message, severity, shape and component, result for result."""
    import pyshacl_turbo

    from missions_kg import build

    built, shapes = build(bare), shacl.shape_quads(bare)
    direct = shacl._read(turbo.validate(built.union_path.read_text(encoding="utf-8"), shapes))
    public = pyshacl_turbo.validate(
        pyshacl_turbo.rdf.Input(built.union_path.read_text(encoding="utf-8"), "oxigraph-nquads",
                                None, {}, preserve_ids=True),
        shacl_graph=_typed(shapes), **shacl._OPTIONS)[1]
    assert len(direct) >= 8
    assert set(direct) == set(shacl._read(public.serialize(format="nt")))
    assert pyshacl_turbo._native is turbo.native()  # one engine module in the process


def _typed(quads):
    """The shapes as an rdflib Graph whose every literal keeps its datatype, as the data
    (read by pyoxigraph) has them: else ``sh:in ("x")`` would miss ``"x"``."""
    from rdflib import Graph, Literal
    from rdflib.namespace import XSD

    from missions_kg.terms import oxigraph_to_rdflib

    def term(t):
        node = oxigraph_to_rdflib(t)
        plain = isinstance(node, Literal) and node.datatype is None and not node.language
        return Literal(str(node), datatype=XSD.string) if plain else node

    graph = Graph()
    for q in quads:
        graph.add((term(q.subject), term(q.predicate), term(q.object)))
    return graph


def test_without_sh_message_only_some_wording_differs_from_pyshacl(bare):
    """For a shape without sh:message pyshacl-turbo words some results as pySHACL does
    ("Less than 1 values on ...") and others as "<Component> violated at <focus>" where
    pySHACL describes the constraint; every other field is pySHACL's. (Our own shapes all
    carry sh:message, so the parity tests compare messages.) Should pyshacl-turbo take up
    pySHACL's wording everywhere, this fails, and the note in docs/benchmarks.md goes."""
    reference = validate(bare, engine="pyshacl", reuse=False)
    got = validate(bare, engine="turbo", reuse=False)
    assert reference.conforms is got.conforms is False

    def by_result(report):
        return {s[:3] + s[4:]: s[3] for s in _signature(report)}

    ours, theirs = by_result(got), by_result(reference)
    assert ours.keys() == theirs.keys()
    same = {k for k in ours if ours[k] == theirs[k]}
    assert {k[5].rsplit("#", 1)[-1] for k in same} == {
        "MinCountConstraintComponent", "ClassConstraintComponent", "PatternConstraintComponent"}
    assert {ours[k] for k in ours.keys() - same} == {
        f"{k[5].rsplit('#', 1)[-1]} violated at <{k[0]}>" for k in ours.keys() - same}


def test_the_prefixes_are_rdflibs():
    from rdflib import Graph

    assert turbo.RDFLIB_DEFAULT_PREFIXES == tuple((p, str(n)) for p, n in Graph().namespaces())


def test_validate_imports_no_rdflib(tmp_path):
    """rdflib's import is most of a cold validate's floor: the turbo path must not pay it."""
    code = ("import sys\nfrom missions_kg.validation import validate\n"
            "report = validate(reuse=False)\n"
            "assert report.conforms and report.checks, report\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('rdflib', 'pyshacl', 'pyshacl_turbo', 'owlrl')))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['pyshacl_turbo._native']"
