"""validate: exit 0 conforms, 1 results at/above --fail-on, 2 broken input/shape/check."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

ID = "https://w3id.org/missions-kg/id/"
BAD = """@prefix schema: <https://schema.org/> .
@prefix mkgid: <https://w3id.org/missions-kg/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/missions-kg/graph/bad> {
  mkgid:nobody a schema:Person .
  mkgid:s1e3 a schema:TVEpisode ; schema:name "Three" ;
      schema:episodeNumber "three"^^xsd:integer ; schema:partOfSeries mkgid:missions .
}
"""
WARN_ONLY = """<https://w3id.org/missions-kg/graph/warn> {
  <https://w3id.org/missions-kg/id/s1e9> a <https://schema.org/TVEpisode> ;
      <https://schema.org/episodeNumber> 9 .
}
"""


def test_fixture_conforms(cli, mini_root):
    result = cli("--root", mini_root, "validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Conforms: 0 violation(s)")


def test_violations_exit_1_and_name_node_shape_and_source_graph(cli, mini_root):
    (mini_root / "data" / "bad.trig").write_text(BAD)
    result = cli("--root", mini_root, "validate", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    by_focus = {(r["focus"], r["source"]): r for r in report["results"]}
    nobody = by_focus[(ID + "nobody", "https://w3id.org/missions-kg/shapes#PersonShape-name")]
    assert nobody["message"] == "A person needs a schema:name."
    assert nobody["path"] == "https://schema.org/name"
    assert nobody["source_graphs"] == ["https://w3id.org/missions-kg/graph/bad"]
    number = by_focus[(ID + "s1e3",
                       "https://w3id.org/missions-kg/shapes#EpisodeShape-episodeNumber")]
    assert number["value"] == '"three"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert number["focus_label"] == "Three"


def test_check_query_rows_are_violations(cli, mini_root):
    (mini_root / "data" / "dup.trig").write_text(
        "<https://w3id.org/missions-kg/graph/dup> { <https://w3id.org/missions-kg/id/s1e7> "
        "<https://schema.org/partOfSeries> <https://w3id.org/missions-kg/id/missions> ; "
        "<https://schema.org/episodeNumber> 1 ; <https://schema.org/name> \"Seven\" ; "
        "a <https://schema.org/TVEpisode> }\n")
    result = cli("--root", mini_root, "validate")
    assert result.exit_code == 1
    assert "episode number 1 is used twice" in result.stdout
    assert "mkgid:s1e7 (Seven)" in result.stdout
    assert "check/episode-number-unique-violation" in result.stdout


def test_warnings_pass_by_default_and_fail_with_fail_on_warning(cli, mini_root):
    (mini_root / "data" / "warn.trig").write_text(WARN_ONLY)
    assert cli("--root", mini_root, "validate").exit_code == 0
    result = cli("--root", mini_root, "validate", "--fail-on", "warning")
    assert result.exit_code == 1
    assert "An episode should have a title." in result.stdout


def test_turtle_report_reparses_as_a_shacl_report(cli, mini_root):
    (mini_root / "data" / "bad.trig").write_text(BAD)
    result = cli("--root", mini_root, "validate", "--format", "turtle")
    assert result.exit_code == 1
    graph = Graph().parse(data=result.stdout, format="turtle")
    report = next(graph.subjects(SH.conforms, None))
    assert graph.value(report, SH.conforms) == Literal(False)
    focus = set(graph.objects(None, SH.focusNode))
    assert URIRef(ID + "nobody") in focus and URIRef(ID + "s1e3") in focus


def test_user_data_file_is_validated_in_its_own_graph(cli, mini_root, tmp_path):
    extra = tmp_path / "contrib.ttl"
    extra.write_text("<https://w3id.org/missions-kg/id/ghost> a <https://schema.org/Person> .\n")
    result = cli("--root", mini_root, "validate", "--format", "json", "--data", extra)
    assert result.exit_code == 1
    [row] = json.loads(result.stdout)["results"]
    assert row["source_graphs"] == ["https://w3id.org/missions-kg/graph/user/contrib.ttl"]
    assert row["locations"] == [f"{extra.resolve()}:1"]


@pytest.mark.parametrize("shape, why", [
    ('mkgsh:EpisodeShape-episodeNumber sh:minCount "one" .', "MinCount"),
    ('mkgsh:Broken a sh:NodeShape ; sh:targetClass <https://schema.org/Person> ; '
     'sh:property [ sh:minCount 1 ] .', "PropertyShape"),
    ('mkgsh:PersonShape-name sh:pattern "([a-z" .', "cannot load the SHACL shapes"),
])
def test_broken_shape_exits_2_not_1(cli, mini_root, shape, why):
    path = mini_root / "shapes" / "mini.ttl"
    path.write_text(path.read_text() + "\n" + shape + "\n")
    result = cli("--root", mini_root, "validate")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and why in result.stderr
    assert "Traceback" not in result.output


def test_sparql_with_service_in_a_shape_is_refused(cli, mini_root):
    path = mini_root / "shapes" / "mini.ttl"
    path.write_text(path.read_text() + '\nmkgsh:PersonShape sh:sparql [ sh:select '
                    '"SELECT $this WHERE { SERVICE <http://127.0.0.1:9/> { $this ?p ?o } }" ] .\n')
    result = cli("--root", mini_root, "validate")
    assert result.exit_code == 2 and "SERVICE" in result.stderr


@pytest.mark.parametrize("text, why", [
    ("# why\nSELECT ?focus WHERE { ?focus ?p }\n", "invalid SPARQL"),
    ("# why\nSELECT ?focus WHERE { SERVICE <http://127.0.0.1:9/> { ?focus ?p ?o } }\n",
     "SERVICE"),
    ("# why\nASK { ?s ?p ?o }\n", "must be a SELECT"),
])
def test_broken_check_exits_2(cli, mini_root, text, why):
    (mini_root / "queries" / "checks" / "broken-violation.rq").write_text(text)
    result = cli("--root", mini_root, "validate")
    assert result.exit_code == 2, result.output
    assert "broken-violation.rq" in result.stderr and why in result.stderr


def test_real_project_validates_without_errors(cli, real_project):
    result = cli("--root", real_project.root, "validate", "--format", "json")
    assert result.exit_code in (0, 1), result.output  # 2 would mean a broken shape or check
    report = json.loads(result.stdout)
    assert set(report["counts"]) == {"Violation", "Warning", "Info"}


DUPLICATE = """@prefix schema: <https://schema.org/> .
@prefix mkgid: <https://w3id.org/missions-kg/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/missions-kg/graph/dup> {
  mkgid:s1e7 a schema:TVEpisode ; schema:name "Seven" ;
      schema:partOfSeries mkgid:missions ; schema:partOfSeason mkgid:missions-s1 ;
      schema:episodeNumber 1 .
  mkgid:x-person a schema:Person ; schema:name "X" ;
      schema:birthDate "1990-05-01"^^xsd:date ; schema:deathDate "1990-01-01"^^xsd:date .
}
"""


def test_each_problem_once_with_the_file_and_line(cli, project_copy):
    """A duplicate episode number and a death before birth were reported twice (by a
    sh:sparql rule and by the check saying the same); each is one result now, naming the
    file and the line that writes the offending triple."""
    (project_copy / "data" / "dup.trig").write_text(DUPLICATE)
    result = cli("--root", project_copy, "validate", "--format", "json")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)["results"]
    keys = [(r["focus"], r["path"], r["value"], r["message"]) for r in rows]
    assert len(keys) == len(set(keys))
    seven = [r for r in rows if r["focus"] == ID + "s1e7"]
    assert [r["source"].rsplit("/", 1)[-1] for r in seven] == [
        "episode-number-unique-violation"]
    assert seven[0]["locations"] == ["data/dup.trig:7"]
    person = [r for r in rows if r["focus"] == ID + "x-person"]
    assert [r["source"].rsplit("/", 1)[-1] for r in person] == ["birth-before-death-violation"]
    assert person[0]["locations"] == ["data/dup.trig:9"]
    text = cli("--root", project_copy, "validate").stdout
    assert "at: data/dup.trig near line 7" in text
    assert text.count("death date 1990-01-01 is before birth date 1990-05-01") == 1


def test_an_unchanged_project_is_not_validated_again(cli, mini_root, monkeypatch):
    from missions_kg import shacl

    (mini_root / "data" / "bad.trig").write_text(BAD)
    first = cli("--root", mini_root, "validate", "--format", "json")
    monkeypatch.setattr(shacl, "run", lambda *a, **k: pytest.fail("validated again"))
    again = cli("--root", mini_root, "validate", "--format", "json")
    assert again.exit_code == first.exit_code == 1 and again.stdout == first.stdout
    with pytest.raises(pytest.fail.Exception, match="validated again"):
        cli("--root", mini_root, "validate", "--lang", "fr")  # labels in another language
    shapes = mini_root / "shapes" / "mini.ttl"
    shapes.write_text(shapes.read_text() + "\n# a changed shape file: validated again\n")
    with pytest.raises(pytest.fail.Exception, match="validated again"):
        cli("--root", mini_root, "validate")


def test_the_streamed_schema_org_check_is_the_check(mini_root, mini):
    """vocabulary.check_build (the union file, as lines) finds what vocabulary.check (every
    quad, in memory) finds, graph for graph."""
    from missions_kg import build, vocabulary
    from missions_kg.store import open_store
    from missions_kg.validation import vocabulary_file

    (mini_root / "data" / "bad.trig").write_text(BAD.replace(
        "mkgid:nobody a schema:Person .",
        "mkgid:nobody a schema:Person ; schema:episodeNumber 3 ; schema:nmae \"é\" ."))
    built = build(mini)
    from conftest import REPO

    vocab = vocabulary.load(vocabulary_file(mini) or REPO / vocabulary.RELEASE_FILE)
    streamed = vocabulary.check_build(built.union_path, open_store(built), vocab)
    assert streamed == vocabulary.check(built.quads(), vocab)
    assert {v.reason.split(" ")[0] for v in streamed} >= {"unknown", "subject"}


def test_locate_finds_the_statement_as_the_file_spells_it(tmp_path):
    from missions_kg.locate import Locator

    (tmp_path / "x.trig").write_text(
        "@prefix s: <https://schema.org/> .\n"                     # 1
        "PREFIX m: <https://w3id.org/missions-kg/id/>\n"           # 2
        "<https://w3id.org/missions-kg/graph/x> {\n"               # 3
        "  m:a s:name \"A\" ;  # m:b s:episodeNumber 3 (a comment)\n"  # 4
        "      s:episodeNumber 3 ;\n"                              # 5
        "      s:episodeNumber 4 .\n"                              # 6
        "  <https://w3id.org/missions-kg/id/b> a s:TVEpisode ;\n"  # 7
        "      s:partOfSeries m:a .\n"                             # 8
        "  m:c s:episodeNumber 3 .\n"                              # 9
        "}\n")
    where = Locator(tmp_path)
    ep = "https://schema.org/episodeNumber"
    integer = "^^<http://www.w3.org/2001/XMLSchema#integer>"
    assert where.line("x.trig", "https://w3id.org/missions-kg/id/a", ep, f'"4"{integer}') == 6
    assert where.line("x.trig", "https://w3id.org/missions-kg/id/a", ep, f'"3"{integer}') == 5
    assert where.line("x.trig", "https://w3id.org/missions-kg/id/a") == 4
    assert where.line("x.trig", "https://w3id.org/missions-kg/id/b",
                      "http://www.w3.org/1999/02/22-rdf-syntax-ns#type") == 7
    assert where.line("x.trig", "https://w3id.org/missions-kg/id/c", ep) == 9
    assert where.line("x.trig", "https://w3id.org/missions-kg/id/nowhere") is None
    assert where.line("missing.trig", "https://w3id.org/missions-kg/id/a") is None
