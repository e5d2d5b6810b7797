"""Nothing lost on the way out: exports of the real data and of a torture set re-read by
rdflib AND pyoxigraph give back the very same terms (lexical forms, language tags, datatypes,
blank-node structure), are byte-identical across fresh builds, and what a format cannot carry
is refused. tests/test_export.py does the same on the mini fixture; this extends it.

Terms are compared exactly: both sides go through RDFC-1.0 canonical blank-node labels and
are compared as sorted N-Quads lines (stricter than graph isomorphism, which compares literal
values). rdflib reads with ``NORMALIZE_LITERALS = False`` so it keeps lexical forms as written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import MINI, REPO, environ

from missions_kg.errors import UsageError
from missions_kg.exports import canonical, export, select_quads
from missions_kg.terms import rdflib_to_oxigraph as oxigraph_term

OX = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
      "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
      "jsonld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}
RDFLIB = {"turtle": "turtle", "ntriples": "nt", "trig": "trig", "nquads": "nquads",
          "jsonld": "json-ld", "xml": "xml"}
NAMED = ("trig", "nquads", "jsonld")  # keep the named graphs; the others hold the union
FORMATS = ("turtle", "trig", "nquads", "jsonld", "ntriples")

#: Everything a literal can be that a serialiser may get wrong.
TORTURE = r'''
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix schema: <https://schema.org/> .
<https://w3id.org/missions-kg/graph/torture> {
  ex:lit ex:plain "plain" ; ex:empty "" ; ex:str "typed string"^^xsd:string ;
    ex:en "colour"@en-GB ; ex:fr "élève « guillemets »"@fr ; ex:de "Straße"@de-CH-1996 ;
    ex:quotes "say \"hi\" and \\ back'slash" ;
    ex:multi """line one
line two	tab""" ;
    ex:control "bell\u0007nul\u0000us\u001Fdel\u007Fcr\rend" ;
    ex:astral "rocket \U0001F680 and math \U0001D54F" ; ex:rtl "\u202Eright-to-left\u202C" ;
    ex:int "01"^^xsd:integer ; ex:int2 42 ; ex:big "123456789012345678901234567890"^^xsd:integer ;
    ex:neg "-0"^^xsd:integer ; ex:dec "1.50"^^xsd:decimal ; ex:dbl "1E0"^^xsd:double ;
    ex:dbl2 2.5e3 ; ex:bool "1"^^xsd:boolean ; ex:bool2 true ;
    ex:date "2021-02-30"^^xsd:date ; ex:ill "abc"^^xsd:integer ; ex:byte "300"^^xsd:byte ;
    ex:dur "P1Q"^^xsd:duration ; ex:custom "x"^^<http://example.org/type#t> ;
    ex:html "<b>bold</b>"^^rdf:HTML ; ex:json "{\"a\": 1}"^^rdf:JSON ;
    ex:iri <http://example.org/ünïcödé/path?q=1#frag> ;
    ex:list ( "a" 1 ex:b ) ; ex:blank [ ex:nested [ ex:deep "yes" ] ] ; ex:shared _:shared .
  _:shared ex:p "one" ; ex:q "two" .
  <http://example.org/name> schema:name "a name that is not schema's"@en .
}
<https://w3id.org/missions-kg/graph/torture-2> {
  ex:lit ex:plain "plain" .
  _:other ex:p "one" .
}
'''


def _build(root: Path, cache: Path):
    from missions_kg import build
    from missions_kg.project import Project

    with environ(MISSIONS_KG_CACHE=str(cache)):
        return build(Project.locate(root))


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    return _build(REPO, tmp_path_factory.mktemp("real-cache"))


@pytest.fixture(scope="module")
def torture(tmp_path_factory):
    root = tmp_path_factory.mktemp("torture") / "mini"
    shutil.copytree(MINI, root)
    (root / "data" / "torture.trig").write_text(TORTURE, encoding="utf-8")
    return _build(root, root.parent / "cache")


def lines(quads) -> list[str]:
    return [str(q) for q in canonical(list(quads))]


def expected(built, fmt: str, reader: str = "pyoxigraph") -> list[str]:
    quads = select_quads(built, "all")
    if fmt not in NAMED:
        quads = {ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads}
    if reader == "rdflib" and fmt in ("turtle", "trig"):
        quads = [ox.Quad(q.subject, q.predicate, _rdflib_number(q.object), q.graph_name)
                 for q in quads]
    return lines(quads)


_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def _rdflib_number(term):
    """rdflib's Turtle parser reads a bare integer token as int(token): ``01`` becomes "1",
    though the Turtle spec keeps the lexical form as written (pyoxigraph does, and writes
    "01"^^xsd:integer as ``01``). The export is right; this is how rdflib will read it."""
    if isinstance(term, ox.Literal) and term.datatype.value == _INTEGER:
        try:
            return ox.Literal(str(int(term.value)), datatype=term.datatype)
        except ValueError:
            pass
    return term


def read_oxigraph(data: bytes, fmt: str) -> list[str]:
    return lines(ox.parse(data, format=OX[fmt]))


def read_rdflib(data: bytes, fmt: str, monkeypatch) -> list[str]:
    import rdflib
    from rdflib import Dataset

    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)
    dataset = Dataset().parse(data=data, format=RDFLIB[fmt])
    default = str(dataset.default_graph.identifier)
    quads = []
    for s, p, o, g in dataset.quads((None, None, None, None)):
        graph = ox.DefaultGraph() if g is None or str(g) == default else oxigraph_term(g)
        quads.append(ox.Quad(oxigraph_term(s), oxigraph_term(p), oxigraph_term(o), graph))
    return lines(quads)


def _diff(want: list[str], got: list[str]) -> str:
    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    return f"missing {missing[:3]}\nextra {extra[:3]}"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("data_set", ["real", "torture"])
def test_round_trip_by_both_parsers(fmt, data_set, request, monkeypatch):
    built = request.getfixturevalue(data_set)
    want = expected(built, fmt)
    assert len(want) > 100
    data = export(built, fmt, which="all")
    got = read_oxigraph(data, fmt)
    assert got == want, f"pyoxigraph reading {fmt}: {_diff(want, got)}"
    got, want = read_rdflib(data, fmt, monkeypatch), expected(built, fmt, "rdflib")
    assert got == want, f"rdflib reading {fmt}: {_diff(want, got)}"


def test_rdfxml_round_trips_the_real_data(real, monkeypatch):
    data = export(real, "xml", which="all")
    want = expected(real, "xml")
    assert read_oxigraph(data, "xml") == want
    assert read_rdflib(data, "xml", monkeypatch) == want


def test_rdfxml_refuses_what_xml_cannot_carry(torture):
    with pytest.raises(UsageError, match="RDF/XML cannot carry character U\\+0007"):
        export(torture, "xml", which="all")


def test_torture_literals_survive_jsonld_exactly(torture):
    """The literals JSON-LD tools are known to rewrite (native numbers and booleans)."""
    got = {q.object for q in ox.parse(export(torture, "jsonld"), format=ox.RdfFormat.JSON_LD)
           if isinstance(q.object, ox.Literal)}
    xsd = "http://www.w3.org/2001/XMLSchema#"
    for lexical, datatype in [("01", "integer"), ("-0", "integer"), ("1E0", "double"),
                              ("2.5e3", "double"), ("1", "boolean"), ("abc", "integer"),
                              ("123456789012345678901234567890", "integer"), ("42", "integer"),
                              ("true", "boolean")]:
        assert ox.Literal(lexical, datatype=ox.NamedNode(xsd + datatype)) in got, lexical
    assert ox.Literal("colour", language="en-GB") in got


@pytest.mark.parametrize("fmt", FORMATS + ("xml",))
def test_byte_identical_across_fresh_builds(fmt, real, tmp_path):
    """Two builds in two caches (new blank-node labels), two exports, through the CLI."""
    from click.testing import CliRunner

    from missions_kg.cli import main

    outputs = []
    for run in ("one", "two"):
        out = tmp_path / f"{run}.out"
        result = CliRunner().invoke(main, ["--root", str(REPO), "export", "--all", "--format",
                                           fmt, "-o", str(out)],
                                    env={"MISSIONS_KG_CACHE": str(tmp_path / f"cache-{run}")})
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0] == export(real, fmt, which="all")


# -- blank-node structures JSON-LD must not lose (self-loops, cycles, shared nodes) -----------

def _canonical_lines(quads) -> list[str]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(q) for q in dataset)


def test_jsonld_keeps_a_blank_node_that_points_to_itself():
    data = ("@prefix ex: <http://example.org/> .\n"
            "ex:g { _:x ex:self _:x . }\n"
            "ex:h { _:a ex:next _:b . _:b ex:next _:a . ex:s ex:p _:c . }\n"
            "ex:k { ex:t ex:p _:c . }\n")
    quads = list(ox.parse(data.encode(), format=ox.RdfFormat.TRIG))
    from missions_kg.jsonld import jsonld_from_quads

    back = list(ox.parse(jsonld_from_quads(canonical(quads)), format=ox.RdfFormat.JSON_LD))
    assert _canonical_lines(back) == _canonical_lines(quads)


@pytest.mark.slow
def test_jsonld_round_trips_random_blank_node_graphs():
    """Random datasets of blank nodes and IRIs in several graphs (self-loops, cycles, nodes
    shared across graphs): JSON-LD read back by pyoxigraph and by pyld is the same dataset."""
    import json

    from hypothesis import given, settings
    from hypothesis import strategies as st
    from pyld import jsonld

    from missions_kg.jsonld import jsonld_from_quads

    nodes = st.sampled_from([ox.BlankNode(f"b{i}") for i in range(4)]
                            + [ox.NamedNode(f"http://example.org/n{i}") for i in range(2)])
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    objects = st.one_of(nodes, st.sampled_from([ox.Literal("x"), ox.Literal("1", datatype=integer),
                                                ox.Literal("y", language="fr")]))
    graphs = st.sampled_from([ox.DefaultGraph(), ox.NamedNode("http://example.org/g1"),
                              ox.NamedNode("http://example.org/g2")])
    preds = st.sampled_from([ox.NamedNode("http://example.org/p"),
                             ox.NamedNode("https://schema.org/knows")])
    quads = st.lists(st.builds(ox.Quad, nodes, preds, objects, graphs), min_size=1, max_size=12)

    @settings(max_examples=120, deadline=None, derandomize=True, database=None)
    @given(quads)
    def round_trip(qs):
        qs = list(dict.fromkeys(qs))
        data = jsonld_from_quads(canonical(qs))
        assert _canonical_lines(ox.parse(data, format=ox.RdfFormat.JSON_LD)) == \
            _canonical_lines(qs)
        nquads = jsonld.to_rdf(json.loads(data), {"format": "application/n-quads"})
        assert _canonical_lines(ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS)) == \
            _canonical_lines(qs)

    round_trip()
