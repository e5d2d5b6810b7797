"""Stable identifiers (issue 12, item 9): an mkgid: IRI, once published, never silently
disappears. tests/published-iris.txt lists every mkgid: IRI the project has published
(append-only); each must still be in the graph or carry a deprecation record in
data/curation.trig (owl:deprecated true + dcterms:isReplacedBy an IRI that is in use).

UPDATE_PUBLISHED_IRIS=1 appends the graph's new mkgid: IRIs to the list."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import REPO

from missions_kg import build, iris
from missions_kg.project import Project

LIST = Path(__file__).resolve().parent / "published-iris.txt"
CURATION = iris.GRAPH + "curation"
DEPRECATED = iris.OWL + "deprecated"
REPLACED_BY = iris.DCTERMS + "isReplacedBy"


def published() -> list[str]:
    return [line.strip() for line in LIST.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


@pytest.fixture(scope="module")
def quads() -> list[ox.Quad]:
    return build(Project.locate(REPO)).quads()


def deprecations(quads) -> dict[str, set[str]]:
    """Deprecated IRI -> the IRIs that replace it (records in the curation graph only)."""
    flagged = {q.subject.value for q in quads if q.graph_name.value == CURATION
               and q.predicate.value == DEPRECATED and q.object.value == "true"}
    out = {iri: set() for iri in flagged}
    for q in quads:
        if q.subject.value in out and q.predicate.value == REPLACED_BY \
                and q.graph_name.value == CURATION:
            out[q.subject.value].add(q.object.value)
    return out


def in_use(quads, deprecated) -> set[str]:
    """mkgid: IRIs used anywhere except in the deprecation records themselves."""
    found = set()
    for q in quads:
        if q.subject.value in deprecated and q.graph_name.value in (CURATION,
                                                                     iris.GRAPH_INFERRED):
            continue
        for term in (q.subject, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(iris.ID):
                found.add(term.value)
    return found


def test_the_list_is_a_list_of_mkgid_iris_without_duplicates():
    listed = published()
    assert len(listed) >= 312
    assert len(listed) == len(set(listed))
    assert all(i.startswith(iris.ID) and " " not in i for i in listed)


def test_every_published_iri_is_in_the_graph_or_deprecated(quads):
    deprecated = deprecations(quads)
    live = in_use(quads, deprecated)
    gone = [i for i in published() if i not in live and i not in deprecated]
    assert gone == [], ("published IRIs that disappeared without a deprecation record in "
                        "data/curation.trig (owl:deprecated true; dcterms:isReplacedBy): "
                        + ", ".join(gone))


def test_every_deprecation_points_at_an_iri_in_use_and_is_not_used_itself(quads):
    deprecated = deprecations(quads)
    live = in_use(quads, deprecated)
    for old, new in deprecated.items():
        assert new, f"{old} is deprecated without dcterms:isReplacedBy"
        assert new <= live, f"{old} is replaced by {new - live}, which is not in the graph"
        assert old not in live, f"{old} is deprecated but still used"


def test_every_mkgid_iri_of_the_graph_is_listed(quads):
    deprecated = deprecations(quads)
    listed = set(published())
    new = sorted(in_use(quads, deprecated) - listed)
    if new and os.environ.get("UPDATE_PUBLISHED_IRIS"):
        with LIST.open("a", encoding="utf-8") as out:
            out.write("".join(f"{i}\n" for i in new))
        return
    assert new == [], ("IRIs in the graph but not in tests/published-iris.txt: append them "
                       "(UPDATE_PUBLISHED_IRIS=1 pytest tests/test_identifiers.py): "
                       + ", ".join(new))


def test_the_check_sees_a_vanished_iri_and_a_deprecated_one():
    def q(s, p, o, g):
        o = o if isinstance(o, ox.Literal) else ox.NamedNode(o)
        return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, ox.NamedNode(g))

    old, new, kept = iris.ID + "old", iris.ID + "new", iris.ID + "kept"
    data = [q(kept, iris.SCHEMA + "about", new, iris.GRAPH + "seed"),
            q(old, DEPRECATED, ox.Literal("true", datatype=ox.NamedNode(iris.XSD + "boolean")),
              CURATION),
            q(old, REPLACED_BY, new, CURATION)]
    deprecated = deprecations(data)
    assert deprecated == {old: {new}}
    assert in_use(data, deprecated) == {kept, new}
    assert in_use(data[:1], deprecations(data[:1])) == {kept, new}  # "old" vanished: not in use
