"""`describe` follows a retired IRI (issue 12, item 9): an mkgid: IRI that was published and
then retired carries owl:deprecated true and dcterms:isReplacedBy in data/curation.trig;
describing it says so on the first line and describes the replacement. A retired IRI without a
single replacement is described as it is, and said to be retired."""

from __future__ import annotations

import pytest

from missions_kg import build, describe
from missions_kg.project import Project

OPERATOR = "https://w3id.org/missions-kg/id/zillion-1-private-operator"
ZILLION = "https://w3id.org/missions-kg/id/zillion-1"


def test_a_retired_iri_is_followed_to_its_replacement(real_built):
    desc = describe(real_built, "mkgid:zillion-1-private-operator")
    assert desc.iri == ZILLION
    assert desc.followed == [OPERATOR]
    assert not desc.deprecated and desc.replaced_by == []
    assert desc.notice() == ("Deprecated: mkgid:zillion-1-private-operator is replaced by "
                             "mkgid:zillion-1; describing mkgid:zillion-1.")
    first, second = desc.to_text().splitlines()[:2]
    assert first == desc.notice() and second.startswith("mkgid:zillion-1  <")
    assert any(p.endswith("launchedBy") for p, _o, _g in desc.facts)  # Zillion-1's own facts


def test_a_current_iri_has_no_notice(real_built):
    desc = describe(real_built, "mkgid:zillion-1")
    assert desc.followed == [] and not desc.deprecated and desc.notice() == ""
    assert desc.to_text().startswith("mkgid:zillion-1  <")


@pytest.mark.parametrize("thing", ["mkgid:zillion-1-private-operator", OPERATOR,
                                   "zillion-1-private-operator"])
def test_the_command_says_so_on_its_first_line(cli, real_project, thing):
    result = cli("describe", thing)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Deprecated: mkgid:zillion-1-private-operator is replaced by "
                               "mkgid:zillion-1")
    assert lines[1].startswith("mkgid:zillion-1  <")


RECORDS = """
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix mkgid: <https://w3id.org/missions-kg/id/> .
@prefix mkgg: <https://w3id.org/missions-kg/graph/> .

mkgg:curation {
    mkgid:retired-alone owl:deprecated true ; rdfs:comment "Retired, nothing replaces it."@en .
    mkgid:retired-twice owl:deprecated true ; dcterms:isReplacedBy mkgid:retired-once .
    mkgid:retired-once owl:deprecated true ; dcterms:isReplacedBy mkgid:s1e2 .
    mkgid:retired-split owl:deprecated true ;
        dcterms:isReplacedBy mkgid:s1e2, mkgid:jean-toussaint-bernard .
    mkgid:loop-a owl:deprecated true ; dcterms:isReplacedBy mkgid:loop-b .
    mkgid:loop-b owl:deprecated true ; dcterms:isReplacedBy mkgid:loop-a .
}
"""


@pytest.fixture
def retired(mini_root):
    (mini_root / "data" / "retired.trig").write_text(RECORDS, encoding="utf-8")
    return build(Project.locate(mini_root))


def test_a_retired_iri_without_replacement_says_it_is_retired(retired):
    desc = describe(retired, "mkgid:retired-alone")
    assert desc.iri.endswith("/retired-alone") and desc.deprecated and desc.followed == []
    assert desc.notice() == "Deprecated: mkgid:retired-alone is retired and has no replacement."
    assert desc.to_text().splitlines()[0] == desc.notice()


def test_a_chain_of_replacements_is_followed_to_its_end(retired):
    desc = describe(retired, "mkgid:retired-twice")
    assert desc.iri.endswith("/s1e2")
    assert [i.rsplit("/", 1)[1] for i in desc.followed] == ["retired-twice", "retired-once"]
    assert desc.notice() == ("Deprecated: mkgid:retired-twice is replaced by mkgid:s1e2 (via "
                             "mkgid:retired-once); describing mkgid:s1e2.")


def test_several_replacements_are_listed_not_guessed(retired):
    desc = describe(retired, "mkgid:retired-split")
    assert desc.iri.endswith("/retired-split") and desc.deprecated
    assert [i.rsplit("/", 1)[1] for i in desc.replaced_by] == ["jean-toussaint-bernard", "s1e2"]
    assert "describe the one you mean" in desc.notice()


def test_a_loop_of_replacements_ends(retired):
    desc = describe(retired, "mkgid:loop-a")
    assert desc.iri.endswith("/loop-b") and desc.deprecated
    assert [i.rsplit("/", 1)[1] for i in desc.followed] == ["loop-a"]
    assert desc.notice().endswith("describing mkgid:loop-b (itself retired: its replacements "
                                  "loop or split).")
