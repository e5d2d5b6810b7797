"""The whole series (issue 13): every episode of the three seasons, its sources, the counts.

* the episode nodes of each season number what the sources' own counts say (10, 10 and 5;
  season 3's rival count of 10 stays a disagreement, never extra nodes);
* a sample of new facts, asked by SPARQL in the graph of the page that states them;
* the episodes no page names are number-season-series nodes with a reason, never a title;
* ``episodes -p season=N`` and ``season-guide`` list every episode, in order;
* ``checks/season-episode-count-violation`` passes on the real data and fires on broken data;
* ``disagreements`` shows two different titles but not one title written differently.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from conftest import REPO

from missions_kg import iris, run_query
from missions_kg.store import open_store

PREFIXES = "".join(f"PREFIX {name}: <{ns}>\n" for name, ns in iris.PREFIXES.items())
ID = "https://w3id.org/missions-kg/id/"
CHECK = REPO / "queries" / "checks" / "season-episode-count-violation.rq"
DISAGREEMENTS = REPO / "queries" / "disagreements.rq"


@pytest.fixture(scope="module")
def built(session_built):
    return session_built


@pytest.fixture(scope="module")
def store(built):
    return open_store(built)


def select(store, query: str) -> list[list[str]]:
    rows = store.query(PREFIXES + query, use_default_graph_as_union=True)
    return [[term.value if term is not None else None for term in row] for row in rows]


def ask(store, query: str) -> bool:
    return bool(store.query(PREFIXES + query, use_default_graph_as_union=True))


# -- the counts ------------------------------------------------------------------------------

def episode_nodes(store, season: int) -> set[str]:
    return {r[0] for r in select(store, f"""
        SELECT DISTINCT ?e WHERE {{
            GRAPH ?g {{ ?e schema:partOfSeason ?s }}  GRAPH ?t {{ ?e a schema:TVEpisode }}
            GRAPH ?n {{ ?s schema:seasonNumber {season} }}
            GRAPH mkgg:sources {{ ?g prov:wasDerivedFrom ?a . ?t prov:wasDerivedFrom ?b .
                                  ?n prov:wasDerivedFrom ?c }} }}""")}


def source_counts(store, season: int) -> dict[int, set[str]]:
    counts: dict[int, set[str]] = {}
    for count, graph in select(store, f"""
            SELECT ?count ?g WHERE {{
                GRAPH ?n {{ ?s schema:seasonNumber {season} }}
                GRAPH ?g {{ ?s schema:numberOfEpisodes ?count }}
                GRAPH mkgg:sources {{ ?g prov:wasDerivedFrom ?src }} }}"""):
        counts.setdefault(int(count), set()).add(graph.rsplit("/", 1)[-1])
    return counts


@pytest.mark.parametrize(("season", "expected"), [(1, 10), (2, 10), (3, 5)])
def test_each_season_has_as_many_episode_nodes_as_a_source_counts(store, season, expected):
    nodes = episode_nodes(store, season)
    counts = source_counts(store, season)
    assert len(nodes) == expected
    assert expected in counts, f"season {season}: no source counts {expected}: {counts}"
    assert nodes == {f"{ID}missions-s{season}e{n}" for n in range(1, expected + 1)}


def test_season_3_keeps_both_counts_and_five_nodes(store):
    counts = source_counts(store, 3)
    assert counts[5] >= {"ref-bullesdeculture-s3"}
    assert counts[10] == {"ref-en-wikipedia", "ref-dvdcheck-s3"}
    assert len(episode_nodes(store, 3)) == 5
    # and the series as a whole: 25 episodes, as fr.wikipedia, de.wiki.li and Clubic say
    series = {r[0] for r in select(store, """
        SELECT DISTINCT ?e WHERE { GRAPH ?g { ?e schema:partOfSeries mkgid:missions }
                                   GRAPH ?t { ?e a schema:TVEpisode } }""")}
    assert len(series) == 25
    assert ask(store, "ASK { GRAPH mkgg:ref-clubic-2022 {"
                      " mkgid:missions schema:numberOfEpisodes 25 } }")


# -- facts, each in the graph of the page that states it ---------------------------------------

FACTS = [
    ("ref-mediatheque-be-s1",
     "mkgid:missions-s1e4 schema:name 'Pierre' ; schema:episodeNumber 4 .",
     "- 4. Pierre"),
    ("ref-mediatheque-be-s1",
     "mkgid:missions-s1e10 schema:name 'Orage' ; schema:episodeNumber 10 .",
     "- 10. Orage"),
    ("ref-mediatheque-be-s1", "mkgid:missions-s1 schema:contributor ?r . "
     "?r schema:contributor mkgid:etienne-forget ; schema:roleName 'Auteur de la musique'@fr .",
     "Etienne FORGET : Auteur de la musique"),
    ("ref-springfieldspringfield-s01e07", "mkgid:missions-s1e7 schema:name 'Faute' ;"
     " schema:episodeNumber 7 ; schema:partOfSeason mkgid:missions-s1 .",
     "Missions (2017) s01e07 Episode Script / Faute"),
    ("ref-davblog-s01e01", "mkgid:missions-s1e1 schema:publication ?b . ?b schema:startDate"
     " '2017-06-01'^^xsd:date ; schema:publishedBy mkgid:ocs-city .",
     "Diffusé en France à partir du 1er juin 2017 sur OCS CITY FR"),
    ("ref-thelogbook-mars", "mkgid:missions-s1e2 schema:author mkgid:julien-lacombe ;"
     " schema:director mkgid:julien-lacombe ; schema:musicBy mkgid:etienne-forget ;"
     " schema:actor ?r . ?r schema:actor mkgid:vincent-londez ;"
     " mkg:playsCharacter mkgid:character-ivan-goldstein .",
     "written by Julien Lacombe / directed by Julien Lacombe / ..."
     " Vincent Londez (Ivan Goldstein)"),
    ("ref-justonemoreep-s02e01-02", "mkgid:missions-s2e1 schema:name 'Aube' ;"
     " schema:episodeNumber 1 ; schema:partOfSeason mkgid:missions-s2 .",
     "Missions – S02E01-02 / Épisode 1 – Aube"),
    ("ref-justonemoreep-s02e03-04", "mkgid:missions-s2e3 schema:name 'Evolution' .",
     "Épisode 3 – Evolution (no accent, as written)"),
    ("ref-justonemoreep-s03e01", "mkgid:missions-s3e1 schema:name 'Le Rasoir d’Ockham' ;"
     " schema:description 'Ce premier épisode dure près de 49 minutes.'@fr .",
     "Épisode 1 – Le Rasoir d’Ockham; ce premier épisode dure près de 49 minutes"),
    ("ref-justonemoreep-s03e03", "mkgid:missions-s3e3 schema:name 'Empty Handed' ;"
     " schema:episodeNumber 3 ; schema:partOfSeason mkgid:missions-s3 .",
     "Épisode 3 – Empty Handed"),
    ("ref-justonemoreep-s03e05", "mkgid:missions-s3e5 schema:name 'Théogonie' .",
     "Épisode 5 – Théogonie"),
    ("ref-fernsehserien-2021", "mkgid:missions-s2 schema:actor ?r . ?r schema:actor"
     " mkgid:stany-coppet . FILTER NOT EXISTS { ?r mkg:playsCharacter ?c }",
     "In weiteren Hauptrollen sind ... Stany Coppet zu sehen (no character named)"),
    ("ref-fernsehserien-2021", "mkgid:missions-s2 schema:actor ?r . ?r schema:actor"
     " mkgid:mathias-mlekuz ; mkg:playsCharacter mkgid:character-william-meyer .",
     "William Meyer (Mathias Mlekuz)"),
    ("ref-fernsehserien-2021",
     "mkgid:missions schema:author mkgid:julien-lacombe, mkgid:ami-cohen ;"
     " schema:producer mkgid:raphael-rocher, mkgid:henri-debeurme .",
     "gemeinsam mit Ami Cohen die Drehbücher verfasste ... Produziert ... von Raphaël Rocher und"
     " Henri Debeurme"),
    ("ref-serienjunkies-s2", "mkgid:helene-vivies schema:alternateName 'Helene Vivie' .",
     "Jeanne Renoir (Helene Vivie): the page's spelling kept as an alternate name"),
    ("ref-bullesdeculture-s3", "mkgid:missions-s3 schema:director mkgid:julien-lacombe ;"
     " schema:author mkgid:julien-lacombe, mkgid:ami-cohen ; schema:contributor ?r ."
     " ?r schema:contributor mkgid:maxime-cointe ; schema:roleName 'images'@fr .",
     "des scénarios de Julien Lacombe et Ami Cohen, des images de Maxime Cointe, ..."),
    ("ref-deadline-2017", "mkgid:missions-s2 schema:numberOfEpisodes 10 ;"
     " schema:productionCompany mkgid:shudder .",
     "will also co-produce the 10-episode Season 2"),
    ("ref-clubic-2022", "mkgid:missions schema:director mkgid:ami-cohen, mkgid:henri-debeurme,"
     " mkgid:julien-lacombe .", "Réalisation / Ami Cohen, Henri Debeurme, Julien Lacombe"),
    ("ref-senscritique", "mkgid:missions schema:alternateName 'Open Space' ;"
     " schema:author mkgid:ami-cohen, mkgid:julien-lacombe .",
     "Aussi connu sous le nom de : Open Space; Scénaristes : Ami Cohen, Julien Lacombe"),
    ("ref-leinwandreporter-s2", "mkgid:missions-s2 schema:actor ?r . ?r schema:actor"
     " mkgid:barbara-probst ; schema:characterName 'Alice' ;"
     " mkg:playsCharacter mkgid:character-alice ."
     " mkgid:character-william-meyer schema:children mkgid:character-alice .",
     "Milliardär William (Mathias Mlekuz) ... seiner Tochter Alice (Barbara Probst)"),
    ("ref-dvdcheck-s2", "mkgid:missions-s2 schema:director mkgid:julien-lacombe ;"
     " schema:author mkgid:julien-lacombe ; schema:numberOfEpisodes 10 .",
     "Regie führte Julien Lacombe, der ebenfalls die Skripte zu den Episoden schrieb ..."
     " 10 weitere Episoden"),
    ("ref-dvdcheck-s3", "mkgid:missions-s3 schema:numberOfEpisodes 10 .",
     "der letzten 10 Episoden (a rival count, kept)"),
    ("ref-filme-de-s2", "mkgid:missions-s2 schema:publication ?p . ?p schema:startDate"
     " '2020-12-04'^^xsd:date ; schema:publishedBy mkgid:pandastorm .",
     "Am 4. Dezember 2020 kam „Missions – Staffel 2“ auf Blu-ray und DVD in den Handel"),
    ("curation", "mkgid:missions-s1e4 schema:partOfSeason mkgid:missions-s1 ; rdfs:comment ?why .",
     "the record missions-1-vm4011's ten episodes are season 1's (a decision, with its reason)"),
]


@pytest.mark.parametrize(("graph", "pattern", "quote"), FACTS,
                         ids=[f"{g}-{i}" for i, (g, _, _) in enumerate(FACTS)])
def test_new_fact_is_in_its_source_graph(store, graph, pattern, quote):
    assert ask(store, f"ASK {{ GRAPH mkgg:{graph} {{ {pattern} }} }}"), f"{graph}: {quote}"


def test_every_new_source_page_is_described_with_its_address(store):
    pages = select(store, """
        SELECT ?g ?url WHERE { GRAPH mkgg:sources {
            ?g prov:hadPrimarySource ?page . ?page schema:url ?url ; schema:inLanguage ?lang ;
                  schema:name ?title ; schema:description ?quote } }""")
    urls = {g.rsplit("/", 1)[-1]: url for g, url in pages}
    for graph in ("ref-mediatheque-be-s1", "ref-davblog-s01e01", "ref-justonemoreep-s02e05-06",
                  "ref-justonemoreep-s03e04", "ref-fernsehserien-2021", "ref-clubic-2022",
                  "ref-bullesdeculture-s3", "ref-thelogbook-mars", "ref-springfieldspringfield"):
        assert urls.get(graph, "").startswith("http"), graph


# -- nothing invented --------------------------------------------------------------------------

PLACEHOLDERS = ["missions-s2e2", "missions-s2e4", "missions-s2e6", "missions-s2e8",
                "missions-s2e9", "missions-s2e10", "missions-s3e2"]


@pytest.mark.parametrize("episode", PLACEHOLDERS)
def test_an_episode_no_page_names_has_a_reason_and_no_title(store, episode):
    assert not ask(store, f"ASK {{ GRAPH ?g {{ mkgid:{episode} schema:name ?title }} }}")
    graphs = {r[0] for r in select(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g"
                                          f" {{ mkgid:{episode} ?p ?o }}"
                                          " FILTER(?g != mkgg:inferred) }")}
    assert graphs == {"https://w3id.org/missions-kg/graph/curation"}
    assert ask(store, f"ASK {{ GRAPH mkgg:curation {{ mkgid:{episode} rdfs:comment ?why ;"
                      " schema:episodeNumber ?n ; schema:partOfSeason ?s ;"
                      " schema:partOfSeries mkgid:missions } }")


def test_every_title_comes_from_a_source_page_not_from_curation(store):
    assert not ask(store, "ASK { GRAPH mkgg:curation { ?e a schema:TVEpisode ; schema:name ?t } }")
    assert not ask(store, "ASK { GRAPH mkgg:curation {"
                          " ?e schema:partOfSeason ?s ; schema:name ?t } }")
    titled = {r[0] for r in select(store, """
        SELECT DISTINCT ?e WHERE { GRAPH ?g { ?e schema:name ?t } GRAPH ?h { ?e a schema:TVEpisode }
                                   GRAPH mkgg:sources { ?g prov:wasDerivedFrom ?src } }""")}
    assert len(titled) == 18  # 10 + 4 + 4: the titles a reachable page gives


# -- the queries -------------------------------------------------------------------------------

@pytest.mark.parametrize(("season", "count"), [(1, 10), (2, 10), (3, 5)])
def test_episodes_query_lists_the_whole_season_in_order(built, season, count):
    result = run_query(built, "episodes", {"season": str(season)})
    column = result.vars.index("episode_number")
    numbers = [int(row[column].value) for row in result.rows]
    assert numbers == list(range(1, count + 1))


def test_episodes_query_shows_the_credits_of_the_logbook_pages(built):
    result = run_query(built, "episodes", {"season": "1"})
    rows = {int(r[result.vars.index("episode_number")].value): r for r in result.rows}
    director = result.vars.index("directors")
    assert rows[2][director].value == "Julien Lacombe"
    assert rows[4][result.vars.index("title")].value == "Pierre"


def test_season_guide_has_one_row_per_episode_in_order(built):
    result = run_query(built, "season-guide")
    col = {v: i for i, v in enumerate(result.vars)}
    rows = [[t.value if t else "" for t in row] for row in result.rows]
    assert [(int(r[col["season"]]), r[col["number"]]) for r in rows] == (
        [(1, str(n)) for n in range(1, 11)] + [(2, str(n)) for n in range(1, 11)]
        + [(3, str(n)) for n in range(1, 6)])
    by_iri = {r[col["episode"]].rsplit("/", 1)[-1]: r for r in rows}
    assert by_iri["missions-s1e6"][col["titles"]] == "Irène"
    assert by_iri["missions-s1e1"][col["air_date"]] == "2017-06-01 OCS City"
    assert by_iri["missions-s1e1"][col["directors"]] == "Julien Lacombe"
    assert by_iri["missions-s3e4"][col["directors"]] == "Julien Lacombe (season)"
    assert by_iri["missions-s2e5"][col["directors"]] == "Julien Lacombe (season)"  # dvdcheck.de
    for episode in PLACEHOLDERS:
        assert by_iri[episode][col["titles"]] == ""
        assert by_iri[episode][col["sources"]] == "curation"
    assert "ref-justonemoreep-s02e05-06" in by_iri["missions-s2e5"][col["sources"]]


# -- the count check, on the real data and on broken data --------------------------------------

def run_check(store: ox.Store) -> list[tuple[str, str]]:
    rows = store.query(CHECK.read_text(encoding="utf-8"), use_default_graph_as_union=True)
    return sorted((row["focus"].value, row["message"].value) for row in rows)


def test_the_count_check_passes_on_the_real_data(store):
    assert run_check(store) == []


def test_the_count_check_fires_when_an_episode_node_is_missing(built):
    store = ox.Store()
    store.extend(q for q in built.quads()
                 if not (q.subject.value == ID + "missions-s2e10"))
    focus = {f for f, _ in run_check(store)}
    assert focus == {ID + "missions-s2", ID + "missions"}
    messages = dict(run_check(store))
    assert messages[ID + "missions-s2"].startswith(
        "9 episode node(s), but the sources count 10 in ")


def test_the_count_check_fires_on_an_episode_no_count_allows(built):
    store = ox.Store()
    store.extend(built.quads())
    store.load(PREFIXES.encode() + b"""
        GRAPH mkgg:ref-justonemoreep-s03e05 {
            mkgid:missions-s3e6 a schema:TVEpisode ; schema:name "Six" ; schema:episodeNumber 6 ;
                schema:partOfSeason mkgid:missions-s3 ; schema:partOfSeries mkgid:missions . }""",
               format=ox.RdfFormat.TRIG)
    focus = {f for f, _ in run_check(store)}
    assert {ID + "missions-s3", ID + "missions"} <= focus


BROKEN_SOURCE = """
GRAPH mkgg:sources {
    mkgg:a prov:wasDerivedFrom <urn:page:a> . mkgg:b prov:wasDerivedFrom <urn:page:b> . }
GRAPH mkgg:a {
    mkgid:s a schema:TVSeason ; schema:seasonNumber 1 ; schema:numberOfEpisodes 2 .
    mkgid:e1 a schema:TVEpisode ; schema:partOfSeason mkgid:s ; schema:episodeNumber 1 .
    mkgid:e2 a schema:TVEpisode ; schema:partOfSeason mkgid:s ; schema:episodeNumber %s . }
GRAPH mkgg:b { mkgid:e2 schema:episodeNumber %s . }
"""


@pytest.mark.parametrize(("a", "b", "fires"), [
    ("2", "2", []),                             # consistent
    ("1", "2", ["e1", "e2"]),                   # source a numbers both episodes 1
    ("2", "1", []),                             # a says 2, b says 1: two sources disagree, each
                                                # consistent (disagreements shows it)
    ("3", "3", ["e2"]),                         # a gives the season 2 episodes, numbers one 3
])
def test_the_count_check_judges_numbers_per_source(a, b, fires):
    store = ox.Store()
    store.load((PREFIXES + BROKEN_SOURCE % (a, b)).encode(), format=ox.RdfFormat.TRIG)
    assert sorted({f.rsplit("/", 1)[-1] for f, _ in run_check(store)}) == fires


# -- titles in disagreements: rival titles shown, spellings of one title not ------------------

TITLES = """
GRAPH mkgg:sources { mkgg:a prov:wasDerivedFrom <urn:page:a> .
                     mkgg:b prov:wasDerivedFrom <urn:page:b> .
                     mkgg:curation prov:wasDerivedFrom <urn:page:c> . }
GRAPH mkgg:a { mkgid:e a schema:TVEpisode ; schema:name %s . }
GRAPH mkgg:b { mkgid:e %s . }
"""


def title_rows(a: str, b: str) -> set[tuple[str, str]]:
    store = ox.Store()
    store.load((PREFIXES + TITLES % (a, b)).encode(), format=ox.RdfFormat.TRIG)
    rows = store.query(DISAGREEMENTS.read_text(encoding="utf-8"), use_default_graph_as_union=True)
    return {(row["value_shown"].value, row["sources"].value) for row in rows}


@pytest.mark.parametrize(("a", "b"), [
    ('"Evolution"', 'schema:name "Évolution"'),
    ('"Le Rasoir d’Ockham"', "schema:alternateName \"le rasoir d'Ockham\""),
    ('"Théogonie"', 'schema:alternateName "THEOGONIE !"'),
    ('"Aube"@fr', 'schema:name "Dawn"@en'),                      # a translation
    ('"Mars"', 'schema:name "Mars" ; schema:alternateName "♂"'),  # a display title beside it
])
def test_one_title_written_differently_is_not_a_disagreement(a, b):
    assert title_rows(a, b) == set()


def test_two_different_titles_are_a_disagreement_with_their_sources():
    assert title_rows('"Survivant"', 'schema:alternateName "Pierre"') == {
        ("Survivant", "a"), ("Pierre", "b")}


def test_the_curation_graphs_canonical_title_is_not_a_rival():
    store = ox.Store()
    store.load((PREFIXES + TITLES % ('"Survivant"', 'schema:alternateName "Survivant"')
                + 'GRAPH mkgg:curation { mkgid:e schema:name "Autre titre" . }').encode(),
               format=ox.RdfFormat.TRIG)
    rows = list(store.query(DISAGREEMENTS.read_text(encoding="utf-8"),
                            use_default_graph_as_union=True))
    assert rows == []


GUIDE = """
GRAPH mkgg:sources { mkgg:a prov:wasDerivedFrom <urn:page:a> . }
GRAPH mkgg:a {
    mkgid:show a schema:TVSeries ; schema:name "Show" ; schema:director mkgid:d1 .
    mkgid:d1 a schema:Person ; schema:name "Series Director" .
    mkgid:d2 a schema:Person ; schema:name "Season Director" .
    mkgid:d3 a schema:Person ; schema:name "Episode Director" .
    mkgid:s1 a schema:TVSeason ; schema:seasonNumber 1 ; schema:partOfSeries mkgid:show .
    mkgid:s2 a schema:TVSeason ; schema:seasonNumber 2 ; schema:partOfSeries mkgid:show ;
        schema:director mkgid:d2 .
    mkgid:e11 a schema:TVEpisode ; schema:name "One" ; schema:episodeNumber 1 ;
        schema:partOfSeason mkgid:s1 ; schema:partOfSeries mkgid:show ; schema:director mkgid:d3 .
    mkgid:e12 a schema:TVEpisode ; schema:name "Two" ; schema:episodeNumber 2 ;
        schema:partOfSeason mkgid:s1 ; schema:partOfSeries mkgid:show .
    mkgid:e21 a schema:TVEpisode ; schema:name "Three" ; schema:episodeNumber 1 ;
        schema:partOfSeason mkgid:s2 ; schema:partOfSeries mkgid:show . }
GRAPH <urn:not-a-source> { mkgid:e12 schema:director mkgid:d3 .
                           mkgid:e99 schema:partOfSeason mkgid:s1 . }
"""


def test_season_guide_marks_season_and_series_credits_and_reads_only_source_graphs():
    store = ox.Store()
    store.load((PREFIXES + GUIDE).encode(), format=ox.RdfFormat.TRIG)
    text = (REPO / "queries" / "season-guide.rq").read_text(encoding="utf-8")
    rows = {row["episode"].value.rsplit("/", 1)[-1]: row["directors"].value
            for row in store.query(text)}  # the default graph is empty: nothing relies on it
    assert rows == {"e11": "Episode Director", "e12": "Series Director (series)",
                    "e21": "Season Director (season)"}
