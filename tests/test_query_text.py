"""The text a query runs as (``query --show``): parameters written in as RDF terms, names
resolved to IRIs on the client, project prefixes declared; ad-hoc queries (inline, standard
input); tables that fit the terminal; ``--columns``; ``missions-kg prefixes``."""

from __future__ import annotations

import json

import pytest
from conftest import REPO

from missions_kg.bindings import runnable
from missions_kg.catalogue import parse_query
from missions_kg.errors import QueryError
from missions_kg.results import fit_widths
from missions_kg.terms import iri, literal

HEAD = "#+ summary: s\n"
XSD = "http://www.w3.org/2001/XMLSchema#"


# -- parameters written in ---------------------------------------------------------------------

def test_terms_are_written_where_the_variable_is_used_and_nowhere_else():
    text = ('SELECT ?x ?n WHERE {\n  ?s <urn:p> ?x . # ?x in a comment\n'
            '  FILTER(?n != "?x" && STR(?s) != "<?x>")\n'
            '  { SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?q ?x } GROUP BY ?s ?x }\n'
            '} GROUP BY ?x ?n ORDER BY ?x DESC(?n)')
    out = runnable(text, {"x": literal('say "hi"\n', lang="en")}).text
    term = '"say \\"hi\\"\\n"@en'
    assert out.startswith(f"SELECT ({term} AS ?x) ?n WHERE")
    assert f"?s <urn:p> {term} . # ?x in a comment" in out            # not in comments
    assert 'FILTER(?n != "?x" && STR(?s) != "<?x>")' in out          # nor in strings
    assert f"{{ SELECT ?s (COUNT(*) AS ?n) WHERE {{ ?s ?q {term} }} GROUP BY ?s  }}" in out
    assert "GROUP BY  ?n ORDER BY  DESC(?n)" in out                   # a constant neither groups


def test_a_clause_of_only_parameters_goes():
    out = runnable("SELECT ?x (COUNT(*) AS ?n) WHERE { ?s ?p ?x } GROUP BY ?x ORDER BY ?x",
                   {"x": iri("urn:x:1")}).text
    assert out == "SELECT (<urn:x:1> AS ?x) (COUNT(*) AS ?n) WHERE { ?s ?p <urn:x:1> }  "


def test_a_parameter_cannot_be_assigned():
    with pytest.raises(QueryError, match=r"the parameter \?x is assigned in the query"):
        runnable("SELECT ?x WHERE { BIND(1 AS ?x) }", {"x": literal("1")})


def test_project_prefixes_are_declared_only_when_used_and_typos_stay_errors(cli):
    out = runnable("SELECT * WHERE { ?s schema:name ?n ; mkg:x ?y }").text
    assert out.splitlines()[:2] == ["PREFIX schema: <https://schema.org/>",
                                    "PREFIX mkg: <https://w3id.org/missions-kg/ontology#>"]
    assert runnable("PREFIX schema: <urn:mine#>\nASK { ?s schema:x ?o }").text.count(
        "PREFIX") == 1
    typo = cli("--root", REPO, "query", "SELECT ?s WHERE { GRAPH ?g { ?s shcema:name ?n } }")
    assert typo.exit_code == 2
    assert "query:1:33: invalid SPARQL: undeclared prefix 'shcema:'" in typo.stderr


def test_syntax_errors_point_at_the_text_the_user_wrote(cli):
    """The runnable text has a prefix line inserted: positions map back (oxigraph reports
    this error at the end of the text: line 3 as written, line 4 as run)."""
    text = "SELECT ?s WHERE {\n  GRAPH ?g { ?s schema:name ?n . FILTER( }\n}"
    result = cli("--root", REPO, "query", text)
    assert result.exit_code == 2 and "query:3:2: invalid SPARQL" in result.stderr
    stored = cli("--root", REPO, "query", "who-plays", "-p", "character=Jeanne Renoir",
                 "--show")
    assert stored.exit_code == 0


def test_a_literal_cannot_break_out_of_its_quotes(cli):
    hostile = 'en")) } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #'
    shown = cli("--root", REPO, "query", "cast", "-p", f"lang={hostile}", "--show")
    assert shown.exit_code == 0, shown.output
    escaped = '"en\\")) } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #"'
    assert f"({escaped} AS ?lang)" in shown.stdout
    assert hostile not in shown.stdout.replace(escaped, "")
    ran = cli("--root", REPO, "query", "cast", "-p", f"lang={hostile}", "--format", "csv")
    assert ran.exit_code == 0 and ran.stdout.count("\n") > 40  # names fall back to English


def test_show_prints_the_text_every_engine_runs(cli, real_built):
    from missions_kg.engine import execute, prepare, run_query
    from missions_kg.lookup import resolver

    shown = cli("--root", REPO, "query", "episodes", "-p", "season=3", "--show").stdout
    integer3 = f'"3"^^<{XSD}integer>'
    assert f"GRAPH ?gs1 {{ ?season_iri schema:seasonNumber {integer3} }}" in shown
    direct = run_query(real_built, shown)
    stored = run_query(real_built, "episodes", {"season": "3"})
    assert sorted(direct.rows) == sorted(stored.rows) and stored.rows
    query = parse_query(shown, require_summary=False)
    rdflib = execute(real_built, query, prepare(query, resolve=resolver(real_built)),
                     engine="rdflib")
    assert sorted(rdflib.rows) == sorted(stored.rows)


def test_show_checks_the_parameters_as_a_run_does(cli):
    bad = cli("--root", REPO, "query", "episodes", "-p", "season=three", "--show")
    assert bad.exit_code == 2 and "not an integer" in bad.stderr and bad.stdout == ""


# -- names resolved on the client --------------------------------------------------------------

@pytest.mark.parametrize("given", ["Hélène Viviès", "helene vivies", "HÉLÈNE VIVIÈS",
                                   "mkgid:helene-vivies",
                                   "<https://w3id.org/missions-kg/id/helene-vivies>"])
def test_a_name_or_an_iri_gives_the_same_iri(cli, given):
    shown = cli("--root", REPO, "query", "characters-of-actor", "-p", f"actor={given}",
                "--show")
    assert shown.exit_code == 0, shown.output
    assert "(<https://w3id.org/missions-kg/id/helene-vivies> AS ?actor)" in shown.stdout
    assert "Viv" not in shown.stdout.split("PREFIX", 1)[1]  # the query compares IRIs only


def test_the_class_keeps_a_name_unambiguous(cli):
    """'Vladimir Komarov' names the real cosmonaut and the character; who-plays wants a
    mkg:FictionalCharacter, so the character it is."""
    both = cli("--root", REPO, "describe", "vladimir komarov")
    assert both.exit_code == 2 and "matches 2 things" in both.stderr
    shown = cli("--root", REPO, "query", "who-plays", "-p", "character=vladimir komarov",
                "--show")
    assert "<https://w3id.org/missions-kg/id/character-vladimir-komarov>" in shown.stdout


def test_an_ambiguous_name_lists_the_candidates(cli, tmp_path):
    twin = tmp_path / "twin.ttl"
    twin.write_text('<https://w3id.org/missions-kg/id/test-twin> a '
                    '<https://w3id.org/missions-kg/ontology#FictionalCharacter> ;\n'
                    '  <https://schema.org/name> "Jeanne Renoir"@fr .\n')
    result = cli("--root", REPO, "query", "who-plays", "-p", "character=Jeanne Renoir",
                 "--data", twin)
    assert result.exit_code == 2
    assert "names 2 things: mkgid:character-jeanne-renoir (Jeanne Renoir); mkgid:test-twin " \
           "(Jeanne Renoir)" in result.stderr and "give the IRI or CURIE" in result.stderr


def test_a_name_that_matches_nothing_has_a_hint(cli):
    result = cli("--root", REPO, "query", "who-plays", "-p", "character=Jeanne Renier")
    assert result.exit_code == 2
    assert "no name or label of a mkg:FictionalCharacter is that" in result.stderr
    assert "missions-kg describe NAME" in result.stderr
    close = cli("--root", REPO, "query", "who-plays", "-p", "character=Renoir")
    assert close.exit_code == 2 and "did you mean mkgid:character-jeanne-renoir" in close.stderr


def test_a_graph_by_its_short_name(cli):
    shown = cli("--root", REPO, "query", "source-says", "-p", "source=ref-fr-wikipedia",
                "--show")
    assert "GRAPH <https://w3id.org/missions-kg/graph/ref-fr-wikipedia>" in shown.stdout
    wrong = cli("--root", REPO, "query", "source-says", "-p", "source=ref-fr-wiki")
    assert wrong.exit_code == 2 and "did you mean ref-fr-wikipedia" in wrong.stderr


@pytest.mark.parametrize("spec, message", [
    ("{type: literal, match: label, doc: d}", "match must be one of label, graph"),
    ("{type: iri, match: name, doc: d}", "match must be one of label, graph"),
    ("{type: iri, class: schema:Person, doc: d}", "class goes with match: label"),
    ("{type: iri, match: label, class: 'no such', doc: d}", "class 'no such'"),
])
def test_match_and_class_are_checked_in_the_header(spec, message):
    with pytest.raises(QueryError, match=message):
        parse_query(f"{HEAD}#+ params:\n#+   x: {spec}\nSELECT ?x WHERE {{ ?x ?p ?o }}",
                    name="t")


def test_without_a_resolver_a_name_is_refused():
    query = parse_query(f"{HEAD}#+ params:\n#+   x: {{type: iri, match: label, doc: d}}\n"
                        "SELECT ?x WHERE { ?x ?p ?o }", name="t")
    assert query.bind({"x": "mkgid:a"})["x"] == iri("https://w3id.org/missions-kg/id/a")
    with pytest.raises(QueryError, match="a name, and nothing here resolves names"):
        query.bind({"x": "Some Name"})


# -- ad-hoc queries, columns, width, prefixes ---------------------------------------------------

def test_inline_and_standard_input_queries(cli):
    inline = cli("--root", REPO, "query",
                 "SELECT DISTINCT ?n WHERE { GRAPH ?g { ?s schema:seasonNumber ?n } } ORDER BY ?n",
                 "--format", "csv")
    assert inline.exit_code == 0 and inline.stdout.split() == ["n", "1", "2", "3"]
    piped = cli("--root", REPO, "query", "-", "--format", "json",
                input="ASK { GRAPH mkgg:links { ?s schema:sameAs ?o } }")
    assert piped.exit_code == 0 and json.loads(piped.stdout)["boolean"] is True


def test_columns_choose_and_order(cli):
    result = cli("--root", REPO, "query", "episodes", "--columns", "title,episode_number",
                 "--format", "csv")
    assert result.stdout.splitlines()[:2] == ["title,episode_number", "Ulysse,1"]
    wrong = cli("--root", REPO, "query", "episodes", "--columns", "titel")
    assert wrong.exit_code == 2 and "no column 'titel' (the query has: season," in wrong.stderr


def test_widths_fit_the_terminal():
    widths = fit_widths([60, 20, 3, 45], 80)
    assert sum(widths) + 2 * 3 <= 80 and widths[2] == 3
    assert fit_widths([10, 10], 80) == [10, 10]
    assert fit_widths([40] * 30, 80) == [6] * 30  # no narrower than that: it cannot fit


def test_the_table_fits_the_terminal_width(real_built):
    from missions_kg import render, run_query

    result = run_query(real_built, "cast")
    wide = render(result, "table").decode()
    assert max(map(len, wide.splitlines())) > 200  # what a terminal got before
    fitted = render(result, "table", width=100).decode()
    assert max(map(len, fitted.splitlines())) <= 100
    assert "…" in fitted and fitted.splitlines()[-1] == f"({len(result.rows)} rows)"


def test_prefixes_command(cli):
    result = cli("prefixes")
    lines = result.stdout.splitlines()
    assert "PREFIX schema:  <https://schema.org/>" in lines
    assert {line.split()[1] for line in lines} >= {"schema:", "mkg:", "mkgid:", "mkgg:",
                                                   "prov:", "rdfs:", "xsd:", "owl:", "skos:",
                                                   "wd:", "wdt:"}
