"""A user's own files (``--data``) take part in stored queries like any source (issue 10):
a Turtle file in a graph of its own, described as a source, so provenance columns name it;
a TriG naming an existing source graph adds to it, with a note on stderr."""

from __future__ import annotations

import json

from conftest import REPO

MKGID = "https://w3id.org/missions-kg/id/"
SCHEMA = "https://schema.org/"


def test_a_new_episode_from_a_turtle_file_shows_in_episodes(cli, tmp_path):
    episode = tmp_path / "my-episode.ttl"
    episode.write_text(f"""@prefix schema: <{SCHEMA}> .
<{MKGID}test-s1e4> a schema:TVEpisode ; schema:partOfSeason <{MKGID}missions-s1> ;
    schema:episodeNumber 4 ; schema:name "A test episode" .
""")
    before = cli("--root", REPO, "query", "episodes", "-p", "season=1", "--format", "json")
    after = cli("--root", REPO, "query", "episodes", "-p", "season=1", "--format", "json",
                "--data", episode)
    assert before.exit_code == after.exit_code == 0, after.output
    rows = {b["title"]["value"]: b for b in json.loads(after.stdout)["results"]["bindings"]
            if "title" in b}
    assert "A test episode" not in before.stdout
    assert rows["A test episode"]["sources"]["value"] == "user/my-episode.ttl"
    assert rows["A test episode"]["episode_number"]["value"] == "4"
    sources = cli("--root", REPO, "query", "sources", "--format", "csv", "--data", episode)
    line = next(x for x in sources.stdout.splitlines() if x.startswith("user/my-episode.ttl,"))
    assert "my-episode.ttl" in line.split(",")[1]  # the file is the source's title


def test_a_trig_naming_an_existing_source_graph_adds_to_it(cli, tmp_path):
    extra = tmp_path / "more-cast.trig"
    extra.write_text(f"""@prefix schema: <{SCHEMA}> .
@prefix mkg: <https://w3id.org/missions-kg/ontology#> .
<https://w3id.org/missions-kg/graph/seed-001-thelogbook-ulysse> {{
  <{MKGID}missions-s1e1> schema:actor <{MKGID}test-role> .
  <{MKGID}test-role> a schema:PerformanceRole ; schema:actor <{MKGID}test-actor> ;
      mkg:playsCharacter <{MKGID}character-jeanne-renoir> .
  <{MKGID}test-actor> a schema:Person ; schema:name "Test Understudy" .
}}
""")
    result = cli("--root", REPO, "query", "who-plays", "-p", "character=Jeanne Renoir",
                 "--format", "csv", "--data", extra)
    assert result.exit_code == 0, result.output
    assert ("Note: " in result.stderr and "adds 6 triple(s) to the project's source graph "
            "<https://w3id.org/missions-kg/graph/seed-001-thelogbook-ulysse>" in result.stderr)
    row = next(x for x in result.stdout.splitlines() if "Test Understudy" in x)
    assert ",seed-001-thelogbook-ulysse," in row and ",Ulysse," in row
    sources = cli("--root", REPO, "query", "sources", "--format", "csv", "--data", extra)
    assert sources.exit_code == 0 and "seed-001-thelogbook-ulysse" in sources.stdout, sources.output
    assert "more-cast.trig" not in sources.stdout  # no new source: the graph had one


def test_a_trig_with_graphs_of_its_own_keeps_their_names(cli, tmp_path):
    extra = tmp_path / "fan-notes.trig"
    extra.write_text(f"""@prefix schema: <{SCHEMA}> .
<http://example.org/fan-notes> {{
  <{MKGID}missions> schema:award "Best fan theory, 2030" .
}}
""")
    result = cli("--root", REPO, "query", "awards", "--format", "csv", "--data", extra)
    assert result.exit_code == 0, result.output
    row = next(x for x in result.stdout.splitlines() if "fan theory" in x)
    assert ",http://example.org/fan-notes," in row  # its own graph, named in full
