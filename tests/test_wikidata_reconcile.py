"""`links reconcile` against a stub Wikidata on 127.0.0.1 (tests/fixtures/wikidata/stub.py).

The stub answers ``wbsearchentities`` and SPARQL JSON from a FAKE Wikidata
(``wikidata-fake.ttl``: items Q9000000xx), with two people named "Julien Lacombe", a film and
a series both named "Missions", a namesake of Komarov born in 1970, a series named like an
actor, no match for "Côme Levin", a search that sleeps past the timeout ("OCS") and two
malformed replies ("Milan Music": HTML; "Empreinte Digitale": results without ids).
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from fixtures.wikidata.stub import running

from missions_kg.wikidata.links import read_store

ID = "https://w3id.org/missions-kg/id/"


@pytest.fixture
def project(project_copy) -> Path:
    return project_copy


@pytest.fixture
def stub():
    with running() as server:
        yield server


@pytest.fixture
def reconcile(cli, project, stub):
    def run(*args, timeout: float = 2.0):
        return cli("--root", project, "links", "reconcile", "--online", "--endpoint", stub.api,
                   "--sparql-endpoint", stub.sparql, "--timeout", timeout, *args)
    return run


def links_of(project: Path, slug: str):
    return {k.qid: k for k in read_store(project / "data" / "links.trig").for_entity(ID + slug)}


def test_off_by_default_no_socket_is_opened(cli, project, monkeypatch):
    opened = []

    def refuse(*args, **kwargs):
        opened.append(args)
        raise AssertionError("a socket was used without --online")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    before = (project / "data" / "links.trig").read_bytes()
    result = cli("--root", project, "links", "reconcile", "--entity", "Julien Lacombe")
    assert result.exit_code == 2
    assert "off by default" in result.stderr and "--online" in result.stderr
    assert opened == []
    assert (project / "data" / "links.trig").read_bytes() == before


def test_unambiguous_name_gets_the_right_candidate(reconcile, project):
    result = reconcile("--entity", "Hélène Viviès")
    assert result.exit_code == 0, result.output
    links = links_of(project, "helene-vivies")
    assert set(links) == {"Q900000010"}
    link = links["Q900000010"]
    assert link.status == "candidate"  # found, not accepted: no --accept
    assert link.score >= 0.8
    assert any(r.startswith("type: P31 Q5 fits") for r in link.reasons)
    assert any(r.startswith("relation: P161 of Q900000001") for r in link.reasons)
    ev = link.evidence[-1]
    assert ev.source == "https://w3id.org/missions-kg/source/wikidata"
    assert ev.matched_label == "Hélène Viviès" and ev.matched_description == "fake French actress"
    assert ev.checked_on and ev.url.startswith("http://127.0.0.1:")
    assert "candidate Q900000010" in result.output


def test_accept_above_threshold_makes_a_verified_link(reconcile, project, cli):
    result = reconcile("--entity", "mkgid:vladimir-komarov", "--accept")
    assert result.exit_code == 0, result.output
    links = links_of(project, "vladimir-komarov")
    assert links["Q900000030"].status == "verified"
    assert links["Q900000030"].accepted_by == "missions-kg reconcile"
    assert "Q900000031" not in links  # born 1970, not 1927: scored down and not kept
    assert "birth year 1927 but P569 says 1970 (-0.5)" in result.output
    text = (project / "data" / "links.trig").read_text()
    assert "mkgid:vladimir-komarov schema:sameAs wd:Q900000030 ." in text
    assert cli("--root", project, "validate").exit_code == 0


def test_ambiguous_name_is_flagged_with_both_candidates_and_reasons(reconcile, project):
    result = reconcile("--entity", "Julien Lacombe", "--accept", "--accept-threshold", "0")
    assert result.exit_code == 0, result.output
    assert "ambiguous: Q900000020 (0.70) vs Q900000021 (0.70)" in result.output
    links = links_of(project, "julien-lacombe")
    assert set(links) == {"Q900000020", "Q900000021"}
    assert links["Q900000020"].ambiguous_with == ["Q900000021"]
    assert links["Q900000021"].ambiguous_with == ["Q900000020"]
    for link in links.values():
        assert link.status == "candidate"  # never accepted, even at threshold 0
        assert any(r.startswith("name:") for r in link.reasons)
        assert any(r.startswith("review: ambiguous") for r in link.reasons)
    descriptions = {k.evidence[-1].matched_description for k in links.values()}
    assert descriptions == {"fake French film director", "fake French footballer"}


@pytest.mark.parametrize("threshold", ["0.5", "0.8", "0.95", "1"])
def test_nothing_below_the_threshold_is_written_as_verified(reconcile, project, threshold):
    result = reconcile("--entity", "Hélène Viviès", "--entity", "mkgid:missions",
                       "--entity", "mkgid:vladimir-komarov", "--accept",
                       "--accept-threshold", threshold)
    assert result.exit_code == 0, result.output
    for link in read_store(project / "data" / "links.trig").links:
        if link.accepted_by == "missions-kg reconcile":
            assert link.status == "verified" and link.score >= float(threshold)
        if link.score is not None and link.score < float(threshold):
            assert link.status != "verified"


def test_series_is_scored_by_its_cast(reconcile, project):
    result = reconcile("--entity", "mkgid:missions")
    assert result.exit_code == 0, result.output
    links = links_of(project, "missions")
    assert links["Q900000001"].score > links["Q900000002"].score
    assert any("P161 is Q900000010 'Hélène Viviès'" in r for r in links["Q900000001"].reasons)


def test_type_contradiction_and_no_match_are_not_stored(reconcile, project):
    before = read_store(project / "data" / "links.trig").links
    result = reconcile("--entity", "Vincent Londez", "--entity", "Côme Levin")
    assert result.exit_code == 0, result.output
    assert "not kept: P31 Q5398426 is our TVSeries" in result.output
    assert "Côme Levin" in result.output and "no match" in result.output
    assert read_store(project / "data" / "links.trig").links == before


@pytest.mark.parametrize("entity, message", [
    ("OCS", "did not answer within 0.3 s"),
    ("Milan Music", "malformed reply from 127.0.0.1"),
    ("Empreinte Digitale", "a result without an item id"),
])
def test_timeouts_and_malformed_replies_leave_the_store_unchanged(reconcile, project, entity,
                                                                   message):
    before = (project / "data" / "links.trig").read_bytes()
    # Hélène Viviès is asked first and found: nothing of it may be written either
    result = reconcile("--entity", "Hélène Viviès", "--entity", entity, timeout=0.3)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert (project / "data" / "links.trig").read_bytes() == before


def test_a_rejected_candidate_is_not_proposed_again(reconcile, project, cli):
    assert reconcile("--entity", "Julien Lacombe").exit_code == 0
    result = cli("--root", project, "links", "reject", "julien-lacombe", "Q900000021",
                 "--by", "Test Reviewer", "--reason", "a footballer")
    assert result.exit_code == 0, result.output
    result = reconcile("--entity", "Julien Lacombe", "--accept", "--accept-threshold", "0.6")
    assert "rejected before" in result.output
    links = links_of(project, "julien-lacombe")
    assert links["Q900000021"].status == "rejected"
    assert links["Q900000021"].accepted_by == "Test Reviewer"
    assert links["Q900000020"].status == "verified"  # no rival left: unambiguous now
    assert cli("--root", project, "validate").exit_code == 0


def test_limit_bounds_the_requests(reconcile, stub, project):
    result = reconcile("--entity", "Hélène Viviès", "--entity", "Côme Levin", "--limit", "1")
    assert result.exit_code == 0, result.output
    searches = [p for path, p in stub.requests if path.endswith("api.php")]
    assert [p["search"] for p in searches] == ["Hélène Viviès"]
    assert all(p["language"] == "en" for p in searches)
