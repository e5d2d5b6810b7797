"""Every stored query in ``queries/`` on the real data, on every kind of store, against reviewed
snapshots.

Independent of the library's loader on purpose: the dataset is loaded here with rdflib and
pyoxigraph directly (ontology files into ``…/graph/ontology``, every ``data/*.trig`` with its
named graphs), so these tests say what the queries answer whatever the loader does.

For each query (with its default parameters, plus the extra cases in ``CASES``):

* the header (read by the library's catalogue, and as YAML the way grlc reads it) has a summary,
  tags, and a doc and default for every parameter;
* the text that runs is the library's (:func:`missions_kg.engine.prepare`, what ``query --show``
  prints): parameters typed, names resolved in the library's build, terms written in;
* it parses with rdflib's ``prepareQuery``;
* the dataset contract (``queries/README.md``) holds: the same rows on a store whose default
  graph is empty (``oxigraph-named``: an ``oxigraph serve``; ``rdflib-named``), on one whose
  default graph is the union (``rdflib``; ``oxigraph`` with ``use_default_graph_as_union``, a
  bag; ``oxigraph-set``, the union copied in as the CLI's engine does) and on one that also
  holds graphs of its own (``oxigraph-foreign``: system graphs like a fresh Virtuoso's, in a
  union default graph); rows compared as sorted lists of strings;
* the rows equal the reviewed snapshot ``tests/snapshots/queries/<case>.json``.

rdflib runs with the library's ``GRAPH ?g`` shortcut (:func:`missions_kg.rdflib_engine.
graph_by_index`: the same answers, fewer graphs visited), or the suite would take minutes.

Regenerate the snapshots with ``UPDATE_SNAPSHOTS=1 pytest tests/test_stored_queries.py`` and read
the diff before committing. ``test_key_facts`` pins facts that a regenerated snapshot must not
lose.

Cells: an IRI is written ``<curie>`` (or ``<full IRI>``), a literal as its text, with ``@lang``
or ``^^xsd:type`` (none for plain strings), an unbound variable as ``null``. Lists built with
``GROUP_CONCAT(…; separator=" | ")`` (and ", "-joined lists in [brackets]) come in no fixed order
from either engine, so their parts are sorted before comparing.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from conftest import REPO as ROOT
from conftest import TESTS
from rdflib import Dataset, Literal, URIRef
from rdflib.plugins.sparql import CUSTOM_EVALS, prepareQuery

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

QUERIES = ROOT / "queries"
CHECKS = QUERIES / "checks"
SNAPSHOTS = TESTS / "snapshots" / "queries"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"
GRAPH = "https://w3id.org/missions-kg/graph/"
SEP = " | "

PREFIXES = {
    "mkgid": "https://w3id.org/missions-kg/id/",
    "mkgg": GRAPH,
    "mkg": "https://w3id.org/missions-kg/ontology#",
    "src": "https://w3id.org/missions-kg/source/",
    "schema": "https://schema.org/",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
XSD = PREFIXES["xsd"]

#: Extra runs beyond the defaults: case name → (query, parameters as -p strings).
CASES = {
    "who-plays--komarov": ("who-plays", {"character": "vladimir komarov"}),
    "characters-of-actor--giorgia-sinicorni": ("characters-of-actor",
                                               {"actor": "Giorgia Sinicorni"}),
    "episodes--season-3": ("episodes", {"season": "3"}),
    "labels--esa": ("labels", {"entity": "mkgid:esa"}),
    "fact-sources--argos-spacecraft": ("fact-sources", {"subject": "mkgid:argos-mission",
                                                        "property": "mkg:spacecraft"}),
    "source-says--fr-wikipedia-by-iri": ("source-says", {
        "source": "https://w3id.org/missions-kg/graph/ref-fr-wikipedia"}),
    "series-overview--fr": ("series-overview", {"lang": "fr"}),
    "argos-crew--de": ("argos-crew", {"lang": "de"}),
}


# -- loading -----------------------------------------------------------------------------------

def _inputs():
    ontology = sorted((ROOT / "ontology").glob("*.ttl"))
    data = sorted((ROOT / "data").glob("*.trig"))
    return ontology, data


def load_rdflib(ontology, data) -> Dataset:
    ds = Dataset(default_union=True)
    for path in ontology:
        ds.graph(URIRef(GRAPH + "ontology")).parse(path, format="turtle")
    for path in data:
        ds.parse(path, format="trig")
    return ds


def load_oxigraph(ontology, data, *, materialize_union: bool) -> ox.Store:
    store = ox.Store()
    for path in ontology:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE,
                        to_graph=ox.NamedNode(GRAPH + "ontology"))
    for path in data:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
    if materialize_union:  # the CLI engine's store: the union, as a set, in the default graph
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store


#: What a fresh Virtuoso holds besides our data (its owl#, virtrdf#, DAV/ and service
#: description graphs, in small), plus decoys: a foreign graph described with
#: prov:wasDerivedFrom outside mkgg:sources, and a foreign thing named like our characters.
FOREIGN = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://www.w3.org/2002/07/owl#> {
  owl:Class a rdfs:Class ; rdfs:label "Class" ; rdfs:subClassOf rdfs:Class .
  owl:Thing a owl:Class ; rdfs:label "Thing" .
  owl:sameAs a rdf:Property ; rdfs:label "sameAs" ; rdfs:domain owl:Thing .
}
<http://localhost:8890/DAV/> {
  <http://localhost:8890/DAV/home/> dcterms:created "2026-01-01T00:00:00"^^xsd:dateTime ;
      dcterms:extent 0 ; a <http://www.openlinksw.com/schemas/DAV#resource> .
}
<http://localhost:8890/sparql> {
  <http://localhost:8890/sparql> a <http://www.w3.org/ns/sparql-service-description#Service> ;
      rdfs:label "Virtuoso SPARQL endpoint" ; prov:wasDerivedFrom <http://localhost:8890/> .
  <http://example.org/decoy> schema:name "Jeanne Renoir" ; a schema:Person, schema:Review ;
      schema:award "a foreign award" .
}
"""


@pytest.fixture(scope="module")
def engines():
    from missions_kg.rdflib_engine import graph_by_index, hash_join, hash_left_join

    CUSTOM_EVALS["missions-kg test: GRAPH ?g by index"] = graph_by_index
    CUSTOM_EVALS["missions-kg test: hash join"] = hash_join  # the engine's, as a user gets it
    CUSTOM_EVALS["missions-kg test: hash left join"] = hash_left_join
    ontology, data = _inputs()
    union = load_rdflib(ontology, data)
    named = Dataset(default_union=False)
    for quad in union.quads((None, None, None, None)):
        named.add(quad)
    foreign = load_oxigraph(ontology, data, materialize_union=False)
    foreign.load(("@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> ." + FOREIGN)
                 .encode(), format=ox.RdfFormat.TRIG)
    yield {
        "rdflib": union,
        "rdflib-named": named,
        "oxigraph": load_oxigraph(ontology, data, materialize_union=False),
        "oxigraph-set": load_oxigraph(ontology, data, materialize_union=True),
        "oxigraph-foreign": foreign,
    }
    CUSTOM_EVALS.pop("missions-kg test: GRAPH ?g by index", None)
    CUSTOM_EVALS.pop("missions-kg test: hash join", None)
    CUSTOM_EVALS.pop("missions-kg test: hash left join", None)


# -- the text that runs: the library's, as the CLI makes it ------------------------------------

@pytest.fixture(scope="session")
def built(session_built):
    """The library's build of the real data, where names given as parameters are resolved
    (built in a session cache of its own, never in the repository's .cache)."""
    return session_built


def query_text(built, name: str, values: dict[str, str] | None = None) -> str:
    """The text ``missions-kg query NAME -p …`` runs (and ``--show`` prints)."""
    from missions_kg.catalogue import load_query
    from missions_kg.engine import prepare
    from missions_kg.lookup import resolver

    return prepare(load_query(QUERIES / f"{name}.rq"), values, resolve=resolver(built)).text


# -- running -----------------------------------------------------------------------------------

def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and re.fullmatch(r"[\w.\-]*", iri[len(ns):]):
            return f"<{prefix}:{iri[len(ns):]}>"
    return f"<{iri}>"


def _sorted_lists(text: str) -> str:
    """Sort the parts of " | "-joined lists, and of ", "-joined lists in [brackets]."""
    text = re.sub(r"\[([^\[\]]*)\]",
                  lambda m: "[" + ", ".join(sorted(m.group(1).split(", "))) + "]", text)
    return SEP.join(sorted(text.split(SEP))) if SEP in text else text


def _literal(text: str, lang: str | None, datatype: str | None) -> str:
    text = _sorted_lists(text)
    if lang:
        return f"{text}@{lang}"
    if datatype and datatype != XSD + "string":
        return f"{text}^^{_curie(datatype)[1:-1]}"
    return text


def cell_rdflib(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, Literal):
        return _literal(str(term), term.language, str(term.datatype) if term.datatype else None)
    if isinstance(term, URIRef):
        return _curie(str(term))
    return "_:b"


def cell_oxigraph(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return _literal(term.value, term.language, term.datatype.value)
    if isinstance(term, ox.NamedNode):
        return _curie(term.value)
    return "_:b"


#: oxigraph stores and whether their default graph is the union of the named graphs
OXIGRAPH = {"oxigraph": True, "oxigraph-set": False, "oxigraph-named": False,
            "oxigraph-foreign": True}


def rows_oxigraph(store, text: str, union: bool) -> tuple[list[str], list]:
    answer = store.query(text, use_default_graph_as_union=union)
    names = [v.value for v in answer.variables]
    return names, sorted(([cell_oxigraph(sol[n]) for n in names] for sol in answer),
                         key=json.dumps)


_RUNS: dict[str, dict] = {}


def run(engines, built, name: str, values: dict[str, str] | None = None) -> dict[str, list]:
    """Rows (sorted) per engine, with the header's defaults overridden by ``values`` (run
    once per session: ``test_key_facts`` reads the same answers)."""
    key = json.dumps([name, values or {}], sort_keys=True)
    if key not in _RUNS:
        _RUNS[key] = _run(engines, built, name, values)
    return _RUNS[key]


def _run(engines, built, name: str, values: dict[str, str] | None = None) -> dict[str, list]:
    text = query_text(built, name, values)
    out = {}
    for engine in ("rdflib", "rdflib-named"):
        result = engines[engine].query(text)
        names = [str(v) for v in result.vars]
        out["vars"] = names
        out[engine] = sorted(([cell_rdflib(row[i]) for i in range(len(names))]
                              for row in result), key=json.dumps)
    for engine, union in OXIGRAPH.items():
        store = engines["oxigraph" if engine == "oxigraph-named" else engine]
        ox_names, out[engine] = rows_oxigraph(store, text, union)
        assert ox_names == out["vars"], f"{engine} projects {ox_names}, rdflib {out['vars']}"
    return out


def stored_queries() -> list[Path]:
    return sorted(QUERIES.glob("*.rq"))


def check_queries() -> list[Path]:
    return sorted(CHECKS.glob("*-violation.rq"))


ALL_CASES = {p.stem: (p.stem, {}) for p in stored_queries()} | CASES


# -- tests -------------------------------------------------------------------------------------

def test_there_are_enough_queries():
    assert len(stored_queries()) >= 22
    assert len(check_queries()) >= 2


def _grlc_header(text: str) -> dict:
    """The header exactly as grlc reads it: the #+ lines, '#' and '+' stripped, as YAML."""
    return yaml.safe_load("\n".join(r.lstrip("#+") for r in text.split("\n")
                                    if r.startswith("#+")))


@pytest.mark.parametrize("path", stored_queries(), ids=lambda p: p.stem)
def test_header(path: Path):
    from missions_kg.catalogue import load_query

    text = path.read_text(encoding="utf-8")
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", path.stem), "file names are kebab-case"
    query = load_query(path)
    assert query.summary, "the header needs '#+ summary: …'"
    assert query.tags, "the header needs '#+ tags: […]'"
    for name, param in query.params.items():
        assert param.doc, f"parameter {name} has no doc"
        assert param.default is not None, f"parameter {name} has no default"
    grlc = _grlc_header(text)
    assert grlc["summary"] == query.summary and list(grlc["tags"]) == list(query.tags)
    prepareQuery(text)


@pytest.mark.parametrize("case", sorted(ALL_CASES), ids=str)
def test_query_result(engines, built, case: str):
    name, values = ALL_CASES[case]
    out = run(engines, built, name, values)
    assert out["rdflib"], f"{case}: no rows on the real data"
    for engine in ("rdflib-named", *OXIGRAPH):
        assert out[engine] == out["rdflib"], f"{case}: {engine} differs from rdflib"
    snapshot = {"query": name, "params": values, "vars": out["vars"], "rows": out["rdflib"]}
    path = SNAPSHOTS / f"{case}.json"
    if UPDATE:
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(snapshot, ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
    assert path.exists(), (f"no snapshot {path.name}: run UPDATE_SNAPSHOTS=1 pytest "
                           f"{Path(__file__).name} and review it")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert expected["vars"] == out["vars"]
    assert expected["rows"] == out["rdflib"], (
        f"{case}: result differs from {path.name}; if the change is intended, run "
        "UPDATE_SNAPSHOTS=1 pytest tests/test_stored_queries.py and review `git diff`")


def test_every_snapshot_belongs_to_a_case():
    stale = {p.stem for p in SNAPSHOTS.glob("*.json")} - set(ALL_CASES)
    assert not stale, f"snapshots without a query: {sorted(stale)}"


def test_readme_tables_are_generated_from_the_headers():
    """queries/README.md's tables are what `missions-kg queries --format markdown` prints:
    run `make docs` after changing a header."""
    from missions_kg import Project, queries
    from missions_kg.catalogue import project_checks
    from missions_kg.query_docs import to_markdown, update_readme

    project = Project.locate(ROOT)
    readme = (QUERIES / "README.md").read_text(encoding="utf-8")
    fresh = update_readme(readme, to_markdown(queries(project), project_checks(project)))
    assert readme == fresh, "queries/README.md is stale: run `make docs` and commit it"


# -- the *-violation.rq checks -----------------------------------------------------------------

_BROKEN_PREFIXES = """
PREFIX schema: <https://schema.org/>
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX mkg: <https://w3id.org/missions-kg/ontology#>
PREFIX mkgid: <https://w3id.org/missions-kg/id/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
#: check name → a small dataset that breaks the rule (each must give at least one row).
BROKEN = {
    "season-episode-count-violation": """
        GRAPH <urn:test:a> { mkgid:s1 schema:numberOfEpisodes 3 .
                             mkgid:e1 a schema:TVEpisode ; schema:partOfSeason mkgid:s1 .
                             mkgid:e2 a schema:TVEpisode ; schema:partOfSeason mkgid:s1 . }
        GRAPH <https://w3id.org/missions-kg/graph/sources> {
            <urn:test:a> <http://www.w3.org/ns/prov#wasDerivedFrom> <urn:test:page> . }
    """,
    "episode-number-unique-violation": """
        GRAPH <urn:test:a> { mkgid:e1 schema:partOfSeason mkgid:s1 ; schema:episodeNumber 1 . }
        GRAPH <urn:test:b> { mkgid:e2 schema:partOfSeason mkgid:s1 ; schema:episodeNumber 1 . }
    """,
    "season-number-unique-violation": """
        GRAPH <urn:test:a> { mkgid:s1 schema:partOfSeries mkgid:x ; schema:seasonNumber 1 .
                             mkgid:s9 schema:partOfSeries mkgid:x ; schema:seasonNumber 1 . }
    """,
    "birth-before-death-violation": """
        GRAPH <urn:test:a> { mkgid:p schema:birthDate "1927-03-16"^^xsd:date ;
                                      schema:deathDate "1867"^^xsd:gYear . }
    """,
    "role-without-work-violation": """
        GRAPH <urn:test:a> { mkgid:r a schema:PerformanceRole ; schema:actor mkgid:p . }
    """,
    "canonical-name-unique-violation": """
        GRAPH <urn:test:a> { mkgid:p schema:name "Etienne Forget" . }
        GRAPH <urn:test:b> { mkgid:p schema:name "Étienne Forget" . }
    """,
    "links-well-formed-violation": """
        GRAPH <urn:test:a> { mkgid:p schema:sameAs <https://www.wikidata.org/wiki/Q42> . }
    """,
    "links-one-entity-per-qid-violation": """
        GRAPH <https://w3id.org/missions-kg/graph/links> {
            mkgid:a schema:sameAs wd:Q900000001 . mkgid:b schema:sameAs wd:Q900000001 . }
    """,
    "links-one-qid-per-entity-violation": """
        GRAPH <https://w3id.org/missions-kg/graph/links> {
            mkgid:a schema:sameAs wd:Q900000001, wd:Q900000002 . }
    """,
    "links-type-mismatch-violation": """
        GRAPH <urn:test:a> { mkgid:p a schema:Person . mkgid:c a schema:Country, schema:Place . }
        GRAPH <https://w3id.org/missions-kg/graph/links> {
            mkgid:c schema:sameAs wd:Q900000003 .
            mkgid:link-p a mkg:WikidataLink ; schema:about mkgid:p ;
                mkg:linkTarget wd:Q900000003 ; mkg:linkStatus "candidate" . }
    """,
}


def _check_rows(engines, text: str) -> dict[str, list]:
    rdflib_rows = sorted(json.dumps([cell_rdflib(row[v]) for v in ("focus", "message")])
                         for row in engines["rdflib"].query(text))
    out = {"rdflib": rdflib_rows}
    for name, union in (("oxigraph", True), ("oxigraph-named", False)):
        store = engines.get(name) or engines["oxigraph"]
        out[name] = sorted(json.dumps([cell_oxigraph(sol[v]) for v in ("focus", "message")])
                           for sol in store.query(text, use_default_graph_as_union=union))
    return out


@pytest.mark.parametrize("path", check_queries(), ids=lambda p: p.stem)
def test_check_is_documented_and_selects_focus_and_message(path: Path):
    from missions_kg.catalogue import load_query

    text = path.read_text(encoding="utf-8")
    check = load_query(path)
    assert len(check.summary) > 20 and "check" in check.tags, "#+ summary: why; tags: [check]"
    assert _grlc_header(text)["summary"] == check.summary
    select = re.search(r"\bSELECT\b(.*?)\bWHERE\b", text, re.DOTALL)
    assert select and {"?focus", "?message"} <= set(re.findall(r"\?\w+", select.group(1)))
    prepareQuery(text)


@pytest.mark.parametrize("path", check_queries(), ids=lambda p: p.stem)
def test_check_passes_on_the_real_data(engines, path: Path):
    rows = _check_rows(engines, path.read_text(encoding="utf-8"))
    assert rows["rdflib"] == [], f"{path.stem} finds violations: {rows['rdflib'][:5]}"
    assert rows["oxigraph"] == [] and rows["oxigraph-named"] == []


@pytest.mark.parametrize("path", check_queries(), ids=lambda p: p.stem)
def test_check_fires_on_a_broken_example(path: Path):
    if path.stem not in BROKEN:
        pytest.skip(f"no broken example for {path.stem} here (add one to BROKEN)")
    data = _BROKEN_PREFIXES + BROKEN[path.stem]
    ontology, _ = _inputs()
    ds = load_rdflib(ontology, [])
    ds.parse(data=data, format="trig")
    store = load_oxigraph(ontology, [], materialize_union=False)
    store.load(data.encode(), format=ox.RdfFormat.TRIG)
    rows = _check_rows({"rdflib": ds, "oxigraph": store}, path.read_text(encoding="utf-8"))
    assert rows["rdflib"], f"{path.stem} misses the broken example"
    assert rows["rdflib"] == rows["oxigraph"] == rows["oxigraph-named"]


# -- facts a regenerated snapshot must not lose ------------------------------------------------

def _rows(engines, built, name: str, values: dict[str, str] | None = None) -> list[dict]:
    out = run(engines, built, name, values)
    return [dict(zip(out["vars"], row, strict=True)) for row in out["rdflib"]]


def test_key_facts(engines, built):
    # who plays Jeanne Renoir
    assert {r["actor_name"] for r in _rows(engines, built, "who-plays")} == {"Hélène Viviès"}
    # the Argos is commanded by Martin Najac; Jeanne Renoir is on board
    crew = {r["member_name"]: r for r in _rows(engines, built, "argos-crew")}
    commanders = {n for n, r in crew.items() if r["commander"] == "true^^xsd:boolean"}
    assert commanders == {"Martin Najac"}
    assert "Jeanne Renoir" in crew
    # Jeanne Renoir: psychiatrist or psychologist, depending on the source
    assert {"psychiatrist", "psychologist"} <= set(crew["Jeanne Renoir"]["occupations"]
                                                   .split(SEP))
    # the disagreements the sources are known for
    found = {(r["subject"], r["property"], r["value_shown"])
             for r in _rows(engines, built, "disagreements")}
    for fact in [
        ("<mkgid:argos-mission>", "mkg:spacecraft", "Argos"),
        ("<mkgid:argos-mission>", "mkg:spacecraft", "Ulysse"),
        ("<mkgid:zillion-1>", "mkg:launchedBy", "NASA"),
        ("<mkgid:zillion-1>", "mkg:overtook", "Argos"),
        ("<mkgid:zillion-1>", "mkg:departedBefore", "Argos"),
        ("<mkgid:zillion-1-message>", "mkg:messagePurpose", "distress call@en"),
        ("<mkgid:zillion-1-message>", "mkg:messagePurpose", "warning to stay away@en"),
        ("<mkgid:vladimir-komarov>", "schema:deathPlace", "Earth@en"),
        ("<mkgid:vladimir-komarov>", "schema:deathPlace", "outer space@en"),
        ("<mkgid:argos-mission>", "mkg:multinationalCrew", "false^^xsd:boolean"),
        ("<mkgid:argos-mission>", "mkg:multinationalCrew", "true^^xsd:boolean"),
        ("<mkgid:missions-s2-soundtrack>", "schema:publisher", "Milan Music"),
        ("<mkgid:missions-s2-soundtrack>", "schema:publisher", "Sony Music Soundtracks"),
        ("<mkgid:character-jeanne-renoir>", "schema:hasOccupation", "psychiatrist@en"),
        ("<mkgid:character-jeanne-renoir>", "schema:hasOccupation", "psychologist@en"),
        ("<mkgid:argos-mission>", "mkg:travelTime", "P10M^^xsd:duration"),
        ("<mkgid:argos-mission>", "mkg:travelTime", "fast ein Jahr@de"),
        ("<mkgid:missions-s3>", "schema:numberOfEpisodes", "5^^xsd:integer"),
        ("<mkgid:missions-s3>", "schema:numberOfEpisodes", "10^^xsd:integer"),
    ]:
        assert fact in found, f"disagreements lost {fact}"
    # false conflicts stay out (issue 12, item 4): compatible occupations, two production
    # companies, OCS and its channel OCS City, a launcher the source did not name as such
    subjects_props = {(s, p) for s, p, _ in found}
    for false in [("<mkgid:julien-lacombe>", "schema:hasOccupation"),
                  ("<mkgid:missions>", "schema:productionCompany"),
                  ("<mkgid:missions>", "mkg:originalBroadcaster"),
                  ("<mkgid:broadcast-s1-premiere>", "schema:publishedBy"),
                  ("<mkgid:argos-mission>", "mkg:launchedBy")]:
        assert false not in subjects_props, f"a false disagreement: {false}"
    # names and prose never count as disagreements
    assert not {p for _, p, _ in found} & {"schema:name", "schema:description",
                                           "schema:alternateName", "schema:reviewBody"}
    # the real history behind the story
    real = {r["name"]: r for r in _rows(engines, built, "real-history")}
    assert real["Vladimir Komarov"]["kind"] == "person"
    assert real["Soyuz 1"]["kind"] == "space mission"
    assert not any(r["name"] in ("Argos", "Zillion-1") for r in real.values())
    # departures from history are the comparisons with matchesHistory false
    departures = [r for r in _rows(engines, built, "departures-from-history")
                  if r["matches_history"] == "false^^xsd:boolean"]
    assert departures and all(r["real_event"] == "Soyuz 1" for r in departures)
    # the series overview is one row, with its three creators
    (overview,) = _rows(engines, built, "series-overview")
    assert set(overview["creators"].split(SEP)) == {"Ami Cohen", "Henri Debeurme",
                                                    "Julien Lacombe"}
    # fact-sources: every source graph that gives Jeanne Renoir an occupation
    graphs = {r["graph_name"] for r in _rows(engines, built, "fact-sources")}
    assert {"seed-000-memorabletv", "seed-001-thelogbook-ulysse",
            "seed-002-german-description", "seed-003-musiquefantastique"} <= graphs
    # labels follow --lang, with a fallback
    crew_de = {r["member_name"]: r for r in _rows(engines, built, "argos-crew", {"lang": "de"})}
    assert "Psychiater" in crew_de["Jeanne Renoir"]["occupations"].split(SEP)


def test_same_answers_with_owl_rl_inference(built):
    """The CLI queries the library's build, which adds an OWL RL inferred graph: every query
    must answer as in its snapshot (types through rdfs:subClassOf*, inverse and symmetric
    properties through paths, sources only from source graphs), on a store without a union
    default graph too."""
    if not built.graphs.get(GRAPH + "inferred"):
        pytest.skip("the build has no inferred graph")
    store = ox.Store()
    store.bulk_load(path=str(built.nquads_path), format=ox.RdfFormat.N_QUADS)
    differ = []
    for case, (name, values) in sorted(ALL_CASES.items()):
        path = SNAPSHOTS / f"{case}.json"
        if not path.exists():
            continue
        text = query_text(built, name, values)
        expected = json.loads(path.read_text(encoding="utf-8"))["rows"]
        for union in (True, False):
            if rows_oxigraph(store, text, union)[1] != expected:
                differ.append(f"{case} ({'union' if union else 'named graphs only'})")
    assert not differ, f"answers change with the inferred graph: {differ}"
