"""JSON-LD a web developer can use (issue 12, item 8): `export --format jsonld --framed` is one
merged tree per series (series -> seasons -> episodes -> cast roles -> people), with
``@container: @set`` for multi-valued keys, dates as plain strings, and provenance as an
optional block; the lossless per-graph form stays the default.

Checked with pyld (an independent JSON-LD processor): both forms read; every triple the framed
form expands to is a triple of the graph (every quad of its provenance block a quad of the
dataset); and the framed series has no schema.org violation (missions_kg.vocabulary)."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from pyld import jsonld

from missions_kg import vocabulary
from missions_kg.exports import canonical, select_quads
from missions_kg.jsonld_framed import framed

ID = "https://w3id.org/missions-kg/id/"
G = "https://w3id.org/missions-kg/graph/"
S = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def export(cli, *args) -> dict:
    result = cli("export", "--format", "jsonld", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def to_quads(doc: dict) -> list[ox.Quad]:
    """What pyld reads the document as."""
    text = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    return list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS))


def unmatched(got: list[ox.Quad], have: list[ox.Quad], *, triples: bool) -> list[ox.Quad]:
    """The quads of ``got`` that are not in ``have`` (compared as triples, ignoring graphs,
    when ``triples``). pyld renames blank nodes: each of its blank nodes is first mapped to
    ours through a quad whose other end is an IRI or a literal (types last, as many nodes
    share a type), and then every quad must match under that mapping."""
    def key(q, m):
        t = (m.get(q.subject, q.subject), q.predicate, m.get(q.object, q.object))
        return t if triples else (*t, q.graph_name)
    mapping: dict = {}
    for types in (False, True):
        for q in got:
            if (q.predicate.value == RDF_TYPE) != types:
                continue
            for blank, ground, first in ((q.subject, q.object, True),
                                         (q.object, q.subject, False)):
                if not isinstance(blank, ox.BlankNode) or blank in mapping or \
                        isinstance(ground, ox.BlankNode):
                    continue
                for h in have:
                    ours, other = (h.subject, h.object) if first else (h.object, h.subject)
                    if h.predicate == q.predicate and other == ground and \
                            isinstance(ours, ox.BlankNode):
                        mapping[blank] = ours
                        break
    index = {key(h, {}) for h in have}
    return [q for q in got if key(q, mapping) not in index]


@pytest.fixture
def asserted(real_built) -> list[ox.Quad]:
    return canonical(select_quads(real_built))


@pytest.fixture
def doc(cli, real_project) -> dict:
    return export(cli, "--framed")


def text(names) -> str:
    """The first name, plain or language-tagged."""
    first = names[0] if isinstance(names, list) else names
    return first["@value"] if isinstance(first, dict) else first


def tree(doc: dict, iri: str) -> dict:
    return next(n for n in doc["@graph"] if n["@id"] == iri)


def test_one_tree_per_series_with_seasons_episodes_roles_and_people(doc):
    assert [n["@id"] for n in doc["@graph"]] == [
        "mkgid:lost", "mkgid:missions", "mkgid:the-forest",
        "mkgid:victor-hugo-enemy-of-the-state"]
    series = tree(doc, "mkgid:missions")
    assert series["@type"] == ["TVSeries"] and series["name"] == ["Missions"]
    seasons = {s["@id"]: s for s in series["containsSeason"]}
    assert list(seasons) == ["mkgid:missions-s1", "mkgid:missions-s2", "mkgid:missions-s3"]
    episodes = {e["@id"]: e for e in seasons["mkgid:missions-s1"]["episode"]}
    # the ten episodes of season 1 (issue 13), in the framing's order (by IRI)
    assert list(episodes) == sorted(f"mkgid:missions-s1e{n}" for n in range(1, 11))
    roles = episodes["mkgid:missions-s1e2"]["actor"]
    assert all(r["@type"] == ["PerformanceRole"] for r in roles)
    cast = {(text(p["name"]), text(r["mkg:playsCharacter"]["name"]))
            for r in roles if "mkg:playsCharacter" in r for p in r["actor"]}
    assert ("Tiphaine Daviot", "Irene") in cast
    # the people are there in full: the character is not a human, the actress is real
    first = next(r for r in series["actor"] if r["@id"] == "mkgid:role-000-helene-vivies")
    assert first["actor"][0]["@type"] == ["Person", "mkg:RealPerson"]
    assert first["mkg:playsCharacter"]["@type"] == ["Person", "mkg:FictionalCharacter"]


def test_multi_valued_keys_are_sets_and_types_always_arrays(doc):
    ctx = doc["@context"]
    assert ctx["@version"] == 1.1 and ctx["@type"] == {"@container": "@set"}
    assert ctx["actor"] == {"@container": "@set", "@id": "schema:actor"}
    assert ctx["containsSeason"] == {"@container": "@set", "@reverse": "schema:partOfSeries"}
    stack = list(doc["@graph"])
    while stack:
        node = stack.pop()
        assert isinstance(node.get("@type", []), list)
        for key, value in node.items():
            if isinstance(ctx.get(key), dict) and ctx[key].get("@container") == "@set":
                assert isinstance(value, list), (node["@id"], key)
            for v in value if isinstance(value, list) else [value]:
                if isinstance(v, dict) and "@id" in v:
                    stack.append(v)


def test_dates_are_plain_strings_that_read_back_as_the_graphs_typed_literals(doc, asserted):
    assert doc["@context"]["startDate"]["@type"] == "xsd:gYear"
    series = tree(doc, "mkgid:missions")
    assert "2017" in series["startDate"]  # three sources: a year
    assert {"@type": "xsd:date", "@value": "2017-06-01"} in series["startDate"]  # one: a day
    s2 = next(s for s in series["containsSeason"] if s["@id"] == "mkgid:missions-s2")
    assert all(isinstance(d, str) or "@type" in d for d in s2["startDate"])
    starts = {(q.object.value, q.object.datatype.value) for q in to_quads(doc)
              if q.subject.value == ID + "missions" and q.predicate.value == S + "startDate"}
    assert starts == {("2017", XSD + "gYear"), ("2017-06-01", XSD + "date")}


def test_pyld_reads_the_framed_form_as_triples_of_the_graph(doc, asserted):
    got = to_quads(doc)
    assert len(got) > 700 and all(isinstance(q.graph_name, ox.DefaultGraph) for q in got)
    assert unmatched(got, asserted, triples=True) == []
    subjects = {q.subject.value for q in got}
    assert {ID + "missions-s1e1", ID + "helene-vivies", ID + "role-001-helene-vivies"} <= \
        subjects


def test_pyld_reads_the_default_lossless_form_quad_for_quad(cli, real_project, asserted):
    got = to_quads(export(cli))
    assert len(got) == len(asserted)
    assert unmatched(got, asserted, triples=False) == []


def test_the_framed_series_has_no_schema_org_violation(doc, real_project):
    vocab = vocabulary.load(vocabulary.release_path(real_project))
    got = to_quads({"@context": doc["@context"], "@graph": [tree(doc, "mkgid:missions")]})
    assert len(got) > 700
    assert vocabulary.check(got, vocab) == []
    # the check can fail: a book's page count on a TV series is not schema.org
    damaged = dict(tree(doc, "mkgid:missions"), numberOfPages=300)
    got = to_quads({"@context": doc["@context"], "@graph": [damaged]})
    assert [v.predicate for v in vocabulary.check(got, vocab)] == [f"<{S}numberOfPages>"]


def test_provenance_is_an_optional_block_of_named_graphs(cli, real_project, asserted):
    doc = export(cli, "--framed", "--provenance")
    graphs = {n["@id"]: n["@graph"] for n in doc["@graph"] if "@graph" in n}
    assert "mkgg:sources" in graphs and "mkgg:ref-de-wikipedia" in graphs
    missions = next(n for n in graphs["mkgg:ref-de-wikipedia"] if n["@id"] == "mkgid:missions")
    assert {"@type": "xsd:date", "@value": "2017-06-01"} in missions["startDate"]
    described = {n["@id"] for n in graphs["mkgg:sources"]}
    assert {"mkgg:ref-de-wikipedia", "src:de-zxc-wiki-missions"} <= described
    got = to_quads(doc)
    named = [q for q in got if not isinstance(q.graph_name, ox.DefaultGraph)]
    assert len(named) > 800
    assert unmatched(named, asserted, triples=False) == []
    trees = [q for q in got if isinstance(q.graph_name, ox.DefaultGraph)]
    assert len(trees) == len(to_quads(export(cli, "--framed")))


def test_framed_output_is_byte_stable(cli, real_project):
    first = cli("export", "--format", "jsonld", "--framed", "--provenance").stdout
    assert cli("export", "--format", "jsonld", "--framed", "--provenance").stdout == first


def test_one_source_frames_what_that_source_says(cli, real_project):
    """The German Wikipedia copy places its episodes in season 1 but never says season 1 is
    part of the series: they hang under the series itself, pointing at their season."""
    doc = export(cli, "--framed", "--source", "ref-de-wikipedia")
    series = tree(doc, "mkgid:missions")
    assert series["startDate"] in (["2017-06-01"], "2017-06-01")
    assert "containsSeason" not in series
    assert [e["@id"] for e in series["episode"]] == [
        "mkgid:missions-s1e1", "mkgid:missions-s1e2", "mkgid:missions-s1e3"]
    assert doc["@context"]["TVSeries"]["@context"]["episode"]["@reverse"] == \
        "schema:partOfSeries"
    assert all(e["partOfSeason"][0]["@id"] == "mkgid:missions-s1"
               if isinstance(e["partOfSeason"], list) else
               e["partOfSeason"]["@id"] == "mkgid:missions-s1" for e in series["episode"])


@pytest.mark.parametrize("args, words", [
    (["--provenance"], "--provenance goes with --framed"),
    (["--format", "turtle", "--framed"], "--framed is a JSON-LD form"),
])
def test_framed_options_are_checked(cli, real_project, args, words):
    result = cli("export", *args)
    assert result.exit_code == 2 and words in result.stderr


def _q(s, p, o, g="g") -> ox.Quad:
    obj = o if isinstance(o, (ox.Literal, ox.BlankNode)) else ox.NamedNode(o)
    subj = s if isinstance(s, ox.BlankNode) else ox.NamedNode(s)
    return ox.Quad(subj, ox.NamedNode(p), obj, ox.NamedNode(G + g))


def test_an_episode_without_season_hangs_under_its_series_and_blank_cycles_end():
    rdf_type = RDF_TYPE
    b = ox.BlankNode("loop")
    quads = [_q(ID + "show", rdf_type, S + "TVSeries"),
             _q(ID + "pilot", rdf_type, S + "TVEpisode"),
             _q(ID + "pilot", S + "partOfSeries", ID + "show"),
             _q(ID + "pilot", S + "actor", ID + "role"),
             _q(ID + "role", rdf_type, S + "PerformanceRole"),
             _q(ID + "role", S + "actor", b),
             _q(b, rdf_type, S + "Person"), _q(b, S + "knows", b),
             _q(ID + "show", S + "startDate", ox.Literal("2020", datatype=ox.NamedNode(
                 XSD + "gYear")))]
    doc = framed(quads)
    show = doc["@graph"][0]
    assert show["@type"] == ["TVSeries"] and show["episode"][0]["@id"] == "mkgid:pilot"
    assert doc["@context"]["TVSeries"]["@context"]["episode"]["@reverse"] == \
        "schema:partOfSeries"
    assert show["startDate"] == "2020"
    got = to_quads(doc)
    assert unmatched(got, quads, triples=True) == []
    assert len(got) == len(quads)
