"""The link store (data/links.trig): what `missions-kg links` shows, how it is rewritten, and
the checks `validate` runs on links (shapes/links.ttl, queries/checks/links-*-violation.rq)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import REPO

from missions_kg import iris
from missions_kg.wikidata.links import Evidence, Link, read_store
from missions_kg.wikidata.links_writer import render_file, write_store

STORE = REPO / "data" / "links.trig"
ID = iris.ID
#: The verified identifiers of the research note (shared/research/…, section 1).
RESEARCH = {"le-monde": "Q12461", "nasa": "Q23548", "esa": "Q42262", "vladimir-lenin": "Q1394",
            "mars": "Q111", "morocco": "Q1028", "france": "Q142", "switzerland": "Q39",
            "russia": "Q159", "soviet-union": "Q15180", "italy": "Q38", "germany": "Q183",
            "usa": "Q30", "french": "Q150", "russian": "Q7737", "english": "Q1860"}


@pytest.fixture
def project(project_copy) -> Path:
    return project_copy


def test_the_store_holds_exactly_the_research_notes_verified_links():
    store = read_store(STORE)
    assert {k.entity[len(ID):]: k.qid for k in store.links} == RESEARCH
    assert all(k.status == "verified" and k.accepted_by for k in store.links)
    assert store.extra == []


def test_every_link_names_the_described_source_it_rests_on():
    """A reader can ask which source supports each link: record → evidence → source."""
    ds = ox.Dataset(ox.parse(path=str(STORE), format=ox.RdfFormat.TRIG))
    store = ox.Store()
    store.extend(ds)
    rows = list(store.query("""
        PREFIX schema: <https://schema.org/> PREFIX mkg: <https://w3id.org/missions-kg/ontology#>
        PREFIX mkgg: <https://w3id.org/missions-kg/graph/>
        SELECT ?entity ?item ?source ?title WHERE {
          GRAPH mkgg:links { ?entity schema:sameAs ?item .
                             ?record schema:about ?entity ; mkg:linkTarget ?item ;
                                     mkg:evidence/schema:isBasedOn ?source }
          GRAPH mkgg:sources { ?source schema:name ?title }
        }"""))
    assert len(rows) == len(RESEARCH)
    assert {r["title"].value for r in rows} == {
        "Missions (OCS, 2017): Wikidata identifiers and facts, with evidence"}


def test_no_wikidata_link_outside_the_store():
    for path in (REPO / "data").glob("*.trig"):
        if path.name != "links.trig":
            assert "wikidata.org/entity/Q" not in path.read_text(encoding="utf-8"), path.name
    assert not (REPO / "data" / "ref-wikidata-research.trig").exists()


def test_rewriting_the_store_unchanged_gives_the_same_bytes(tmp_path):
    copy = tmp_path / "links.trig"
    shutil.copy(STORE, copy)
    write_store(read_store(copy))
    assert copy.read_bytes() == STORE.read_bytes()


def test_a_write_keeps_the_rest_of_the_file(tmp_path):
    copy = tmp_path / "links.trig"
    shutil.copy(STORE, copy)
    store = read_store(copy)
    store.links.append(Link(ID + "julien-lacombe", "Q900000020", score=0.5,
                            reasons=["name: test (+0.4)"], evidence=[Evidence(
                                source=iris.SOURCE + "wikidata", checked_on="2024-02-29",
                                matched_label="Julien Lacombe", label_lang="en")]))
    write_store(store)
    old, new = STORE.read_text(), copy.read_text()
    head = old[:old.index("GRAPH mkgg:links {")]
    tail = old[old.index("# --- the sources the links rest on"):]
    assert new.startswith(head) and new.endswith(tail)
    again = read_store(copy)
    assert again.find(ID + "julien-lacombe", "Q900000020").evidence[0].checked_on == "2024-02-29"
    assert "mkgid:julien-lacombe schema:sameAs" not in new  # a candidate is no sameAs


def test_a_failed_write_leaves_the_store_unchanged(tmp_path, monkeypatch):
    import os

    copy = tmp_path / "links.trig"
    shutil.copy(STORE, copy)
    store = read_store(copy)
    store.links.append(Link(ID + "ocs", "Q900000001"))

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    from missions_kg.errors import UsageError

    with pytest.raises(UsageError, match="the old file is unchanged"):
        write_store(store)
    assert copy.read_bytes() == STORE.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["links.trig"]  # no temp file left


def test_a_malformed_qid_is_refused_before_writing(tmp_path):
    from missions_kg.errors import InputError

    store = read_store(STORE)
    store.links.append(Link(ID + "ocs", "Q0123"))
    with pytest.raises(InputError, match="not a Wikidata item id"):
        render_file(store, STORE.read_text())


def test_links_lists_every_verified_link_with_evidence(cli, real_project):
    result = cli("links", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["entity"][len(ID):]: r["qid"] for r in rows} == RESEARCH
    for row in rows:
        assert row["status"] == "verified" and row["label"]
        assert "research-wikidata-and-external-facts" in row["evidence"]
    text = cli("links").stdout
    assert text.startswith("16 verified, 0 candidate, 0 rejected link(s):")
    assert "France  Q142  verified" in text and "country in Western Europe" in text


def test_links_missing_lists_people_works_and_organisations_without_a_verified_qid(cli,
                                                                                   real_project):
    result = cli("links", "--missing", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["entity"][len(ID):]: r for r in json.loads(result.stdout)}
    for slug, kind in (("julien-lacombe", "person"), ("helene-vivies", "person"),
                       ("missions", "work"), ("ocs", "organisation"),
                       ("vladimir-komarov", "person"), ("soyuz-1", "event")):
        assert rows[slug]["kind"] == kind, slug
    for slug in RESEARCH:
        assert slug not in rows  # verified
    for slug in rows:
        assert not slug.startswith(("character-", "link-", "role-")), slug


def test_accept_and_reject_by_a_person(cli, project):
    store = read_store(project / "data" / "links.trig")
    for qid in ("Q900000020", "Q900000021"):
        store.links.append(Link(ID + "julien-lacombe", qid, score=0.7,
                                ambiguous_with=[q for q in ("Q900000020", "Q900000021")
                                                if q != qid],
                                evidence=[Evidence(source=iris.SOURCE + "wikidata")]))
    write_store(store)
    assert cli("--root", project, "links", "accept", "julien-lacombe", "Q900000020").exit_code == 2
    result = cli("--root", project, "links", "accept", "julien-lacombe", "q900000020",
                 "--by", "A. Reviewer")
    assert result.exit_code == 0, result.output
    result = cli("--root", project, "links", "accept", "julien-lacombe", "Q900000021",
                 "--by", "A. Reviewer")
    assert result.exit_code == 2 and "already linked to Q900000020" in result.stderr
    result = cli("--root", project, "links", "accept", "mkgid:helene-vivies", "Q142",
                 "--by", "A. Reviewer")
    assert result.exit_code == 2 and "no link record" in result.stderr
    assert cli("--root", project, "links", "reject", "julien-lacombe", "Q900000021", "--by",
               "A. Reviewer", "--reason", "a footballer").exit_code == 0
    links = {k.qid: k for k in read_store(project / "data" / "links.trig").links
             if k.entity == ID + "julien-lacombe"}
    assert links["Q900000020"].status == "verified" and links["Q900000020"].ambiguous_with == []
    assert links["Q900000021"].status == "rejected"
    assert "review: a footballer" in links["Q900000021"].reasons
    result = cli("--root", project, "validate")
    assert result.exit_code == 0, result.output


# -- the checks ---------------------------------------------------------------------------------

BAD = """
PREFIX schema: <https://schema.org/>
PREFIX mkg: <https://w3id.org/missions-kg/ontology#>
PREFIX mkgid: <https://w3id.org/missions-kg/id/>
PREFIX mkgg: <https://w3id.org/missions-kg/graph/>
PREFIX src: <https://w3id.org/missions-kg/source/>
PREFIX wd: <http://www.wikidata.org/entity/>
GRAPH mkgg:links {
%s
}
"""


def record(slug: str, qid: str, status: str = "verified", extra: str = "") -> str:
    same = f"mkgid:{slug} schema:sameAs wd:{qid} .\n" if status == "verified" else ""
    return same + f"""mkgid:link-{slug}-{qid.lower()} a mkg:WikidataLink ;
    schema:name "Wikidata link: {slug} = {qid}"@en ; schema:about mkgid:{slug} ;
    mkg:linkTarget wd:{qid} ; mkg:linkStatus "{status}" ; mkg:acceptedBy "A. Tester" ;
    mkg:evidence mkgid:link-{slug}-{qid.lower()}-evidence-1 {extra}.
mkgid:link-{slug}-{qid.lower()}-evidence-1 a mkg:LinkEvidence ;
    schema:name "Evidence 1 for {slug} = {qid}"@en ;
    schema:isBasedOn src:research-wikidata-and-external-facts ."""


CASES = {
    "links-one-entity-per-qid": record("switzerland", "Q142"),
    "links-one-qid-per-entity": record("france", "Q900000001"),
    "links-type-mismatch": record("julien-lacombe", "Q142", "candidate"),
    "links-type-mismatch-p31": record("helene-vivies", "Q900000040", "candidate",
                                      "; mkg:targetInstanceOf wd:Q5398426 "),
    "links-well-formed": "mkgid:ocs schema:sameAs <https://www.wikidata.org/wiki/Q900000002> .",
    "links-well-formed-candidate-sameas": record("ocs", "Q900000003", "candidate")
    + "\nmkgid:ocs schema:sameAs wd:Q900000003 .",
}


def link_check_results(project: Path) -> list:
    """What the links-*-violation.rq checks find (the SHACL shapes have their own cases)."""
    from missions_kg import build
    from missions_kg.project import Project
    from missions_kg.validation import run_check

    p = Project.locate(project)
    built = build(p)
    return [r for path in p.check_files() if path.name.startswith("links-")
            for r in run_check(path, built)]


@pytest.mark.parametrize("case", sorted(CASES))
def test_link_checks_catch_bad_links(project, case):
    (project / "data" / "zz-bad-links.trig").write_text(BAD % CASES[case], encoding="utf-8")
    results = link_check_results(project)
    sources = {r.source.rsplit("/", 1)[-1] for r in results}
    check = "-".join(case.split("-")[:5]) if case.startswith("links-one") else \
        "links-" + case.split("-")[1] + ("-mismatch" if "type" in case else "-formed")
    assert check + "-violation" in sources, [(r.source, r.message) for r in results]


def test_link_outside_the_store_is_caught(project):
    (project / "data" / "zz-elsewhere.trig").write_text(
        "PREFIX schema: <https://schema.org/>\nGRAPH <https://w3id.org/missions-kg/graph/x> {\n"
        "<https://w3id.org/missions-kg/id/ocs> schema:sameAs "
        "<http://www.wikidata.org/entity/Q900000005> . }\n", encoding="utf-8")
    messages = [r.message for r in link_check_results(project)
                if "links-well-formed" in r.source]
    assert any("outside the link store" in m for m in messages), messages


def test_the_real_links_pass_every_check(real_project):
    assert link_check_results(real_project.root) == []
