"""Stored-query documents: header, parameter typing, catalogue errors."""

from __future__ import annotations

import pytest
from query_support import FIXTURE_QUERIES, QUERIES

from missions_kg.catalogue import load_catalogue, load_query, parse_query, resolve
from missions_kg.errors import QueryError
from missions_kg.iris import ID, XSD
from missions_kg.params import Param, convert
from missions_kg.syntax import Checker

HEAD = "#+ summary: s\n"


def test_header_parsed():
    q = load_query(QUERIES / "episodes.rq")
    assert q.name == "episodes" and q.form == "SELECT"
    assert q.summary == "Episodes from a given number on, in broadcast order."
    assert q.description.startswith("Test fixture.")
    assert q.tags == ("episodes", "fixture")
    p = q.params["min"]
    assert (p.type, p.default, p.min, p.max, p.doc) == (
        "xsd:integer", "1", "0", "1000", "the first episode number")
    assert not p.required


def test_doc_may_hold_commas_and_curies():
    q = parse_query(HEAD + "#+ params:\n#+   actor: {type: iri, doc: \"the actor, e.g. "
                    "mkgid:helene-vivies\"}\nSELECT ?actor WHERE { ?actor ?p ?o }")
    assert q.params["actor"].doc == "the actor, e.g. mkgid:helene-vivies"
    assert q.params["actor"].required


def test_header_is_yaml_as_grlc_reads_it():
    """grlc: the lines starting with #+, with '#' and '+' stripped, are one YAML document."""
    import yaml

    text = ("#+ summary: \"Who plays whom: cast, by season\"\n#+ description: >-\n"
            "#+   Folded,\n#+   over lines.\n#+ tags:\n#+   - cast\n#+   - seasons\n"
            "#+ method: GET\nSELECT * WHERE { ?s ?p ?o }\n")
    q = parse_query(text)
    grlc = yaml.safe_load("\n".join(r.lstrip("#+") for r in text.split("\n")
                                    if r.startswith("#+")))
    assert q.summary == grlc["summary"] == "Who plays whom: cast, by season"
    assert q.description == "Folded, over lines."
    assert q.tags == ("cast", "seasons")  # grlc's own keys (method) are accepted


def test_a_header_that_is_not_yaml_names_its_line():
    with pytest.raises(QueryError, match=r"t:2: the #\+ header is not valid YAML"):
        parse_query("#+ summary: s\n#+ description: a: b\nSELECT * {}", name="t")


def test_continuation_lines_and_subfolder_names(tmp_path):
    (tmp_path / "queries" / "wikidata").mkdir(parents=True)
    f = tmp_path / "queries" / "wikidata" / "links.rq"
    f.write_text("#+ summary: one\n#+   two\nASK {}\n")
    q = load_query(f)
    assert q.name == "wikidata/links" and q.summary == "one two" and q.form == "ASK"


def test_catalogue_of_fixture_queries():
    cat = load_catalogue(FIXTURE_QUERIES)
    assert sorted(cat) == ["by-name", "episode-card", "episodes", "played-by"]
    assert cat["episode-card"].form == "CONSTRUCT"


@pytest.mark.parametrize("text, message", [
    ("SELECT * {}", r"no '#\+ summary"),
    ("#+ summery: x\nSELECT * {}", "unknown header key 'summery'"),
    (HEAD + "#+ params:\n#+   x: {type: number}\nSELECT ?x {}", "type 'number' is not one of"),
    (HEAD + "#+ params:\n#+   x: {kind: iri}\nSELECT ?x {}", "unknown key"),
    (HEAD + "#+ params:\n#+   x: {type: xsd:integer, default: ten}\nSELECT ?x {}",
     "not an integer"),
    (HEAD + "#+ params:\n#+   x: {type: iri}\nSELECT ?y WHERE { ?x ?p ?y }",
     "must be in the SELECT projection"),
    (HEAD + "SELECT * WHERE {\n  ?s ?p \n ?o . FILTER( }", "t:4:7: invalid SPARQL"),
    (HEAD + "SELECT * WHERE { ?s foo:p ?o }", "t:2:21: invalid SPARQL: undeclared prefix 'foo:'"),
])
def test_catalogue_errors(text, message):
    with pytest.raises(QueryError, match=message):
        parse_query(text, name="t", syntax=Checker())


def test_invalid_sparql_gives_line_and_column():
    with pytest.raises(QueryError) as e:
        parse_query(HEAD + "SELECT * WHERE {\n  ?s ?p ?o . FILTER(?o > ) }", name="t",
                    syntax=Checker())
    assert "t:3:" in str(e.value) and "invalid SPARQL" in str(e.value)


def test_reading_a_query_never_runs_it(tmp_path):
    """The syntax check parses (rdflib's parser) and remembers what parsed; it never
    evaluates, so a SERVICE in a declared federated query sends nothing."""
    checker = Checker(tmp_path)
    text = (HEAD + "#+ service: http://127.0.0.1:9/sparql\n"
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    q = parse_query(text, name="t", syntax=checker)
    assert q.service == "http://127.0.0.1:9/sparql"
    checker.save()
    assert (tmp_path / "syntax-ok.json").is_file()
    Checker(tmp_path).check(text, "t")  # remembered: not parsed again


def test_unknown_name_suggests_closest():
    with pytest.raises(QueryError, match="did you mean episodes"):
        resolve("episods", FIXTURE_QUERIES)
    with pytest.raises(QueryError, match="no such query file"):
        resolve("nope.rq", FIXTURE_QUERIES)


def test_missing_and_unknown_parameters():
    q = load_query(QUERIES / "played-by.rq")
    with pytest.raises(QueryError, match=r"missing parameter actor \(iri: the actor"):
        q.bind({})
    with pytest.raises(QueryError, match="unknown parameter 'actress'"):
        q.bind({"actor": "mkgid:x", "actress": "mkgid:y"})
    bound = q.bind({"actor": "mkgid:helene-viviani"}, lang="fr")
    assert bound["actor"].value == ID + "helene-viviani"
    assert bound["lang"].value == "fr"  # a `lang` parameter is filled from --lang
    assert q.bind({"actor": "mkgid:x", "lang": "de"}, lang="fr")["lang"].value == "de"


def P(type_, **kw):
    return Param("x", type_, **kw)


@pytest.mark.parametrize("param, raw, value, datatype, lang", [
    (P("iri"), "mkgid:helene-viviani", ID + "helene-viviani", None, None),
    (P("iri"), "<https://example.org/a>", "https://example.org/a", None, None),
    (P("iri"), "urn:isbn:123", "urn:isbn:123", None, None),
    (P("xsd:integer"), "8", "8", XSD + "integer", None),
    (P("xsd:integer"), "+08", "8", XSD + "integer", None),
    (P("xsd:decimal"), "2.5", "2.5", XSD + "decimal", None),
    (P("xsd:decimal"), "3", "3.0", XSD + "decimal", None),
    (P("xsd:boolean"), "TRUE", "true", XSD + "boolean", None),
    (P("xsd:boolean"), "0", "false", XSD + "boolean", None),
    (P("xsd:date"), "2017-06-15", "2017-06-15", XSD + "date", None),
    (P("xsd:gYear"), "2017", "2017", XSD + "gYear", None),
    (P("literal"), 'x" || "1"="1', 'x" || "1"="1', None, None),
    (P("xsd:string"), "Dark@en", "Dark@en", None, None),
    (P("langString"), "Dark@en", "Dark", None, "en"),
    (P("langString"), "Sombre", "Sombre", None, "fr"),
    (P("langString", lang="de"), "Dunkel", "Dunkel", None, "de"),
])
def test_parameter_types(param, raw, value, datatype, lang):
    term = convert(param, raw, lang="fr")
    assert (term.value, term.datatype, term.lang) == (value, datatype, lang)


@pytest.mark.parametrize("param, raw, why", [
    (P("iri"), "http://ex/s1> ?p ?o . ?a ?b ?c } #", "invalid IRI: contains '>'"),
    (P("iri"), "http://ex/a b", "invalid IRI: contains ' '"),
    (P("iri"), "http://ex/a>b", "invalid IRI: contains '>'"),
    (P("iri"), "http://ex/{x}", "invalid IRI"),
    (P("iri"), "helene", "not absolute and not a CURIE"),
    (P("iri"), "mkgd:helene", "unknown prefix 'mkgd:'"),
    (P("xsd:integer"), "eight", "not an integer"),
    (P("xsd:integer"), "99999999999999999999", "out of range"),
    (P("xsd:integer", min="1", max="3"), "4", r"out of range \(1..3\)"),
    (P("xsd:integer"), "1.5", "not an integer"),
    (P("xsd:decimal"), "1e3", "not a decimal"),
    (P("xsd:boolean"), "yes", "not a boolean"),
    (P("xsd:date"), "2021-02-30", "not a date"),
    (P("xsd:date"), "20210201", "not a date"),
    (P("xsd:gYear"), "17", "not a year"),
    (P("langString", lang="not a tag"), "x", "invalid language tag"),
])
def test_bad_parameter_values(param, raw, why):
    with pytest.raises(QueryError, match=why):
        convert(param, raw)


def test_bad_lang_option_for_langstring():
    with pytest.raises(QueryError, match="invalid language tag 'f r'"):
        convert(P("langString"), "x", lang="f r")
