"""The server's pure parts, without a server: content negotiation from the format registry,
error messages without paths, links of the static site, the static site's link checker."""

from __future__ import annotations

import pytest

from missions_kg.server.http import negotiate, parse_accept, public_message
from missions_kg.server.render import ServerLinker, StaticLinker
from missions_kg.server.static_site import check_links


def test_accept_is_read_by_quality_and_order():
    assert parse_accept("text/html;q=0.5, text/turtle") == [("text/turtle", 1.0),
                                                            ("text/html", 0.5)]
    assert parse_accept("text/turtle;q=0") == []
    assert parse_accept(None) == [("*/*", 1.0)]


@pytest.mark.parametrize(("accept", "offers", "expected"), [
    ("text/turtle", ["text/html", "text/turtle"], "text/turtle"),
    ("*/*", ["text/html", "text/turtle"], "text/html"),
    ("text/*", ["application/ld+json", "text/turtle"], "text/turtle"),
    ("image/png", ["text/html", "text/turtle"], None),
    # what clients send besides the registry's media types
    ("application/json", ["application/sparql-results+json"], "application/sparql-results+json"),
    ("application/xml", ["text/csv", "application/sparql-results+xml"],
     "application/sparql-results+xml"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
     ["application/sparql-results+json", "text/html"], "text/html"),
])
def test_negotiation(accept, offers, expected):
    assert negotiate(accept, offers) == expected


def test_public_messages_carry_no_file_path():
    text = ("/work/x/queries/cast.rq:3:4: invalid SPARQL near /home/me/.cache/y.nq "
            "about <https://w3id.org/missions-kg/id/x>")
    shown = public_message(text, roots=("/work/x",))
    assert "/work" not in shown and "/home" not in shown
    assert "queries/cast.rq:3:4" in shown and "y.nq" in shown
    assert "https://w3id.org/missions-kg/id/x" in shown  # IRIs are kept whole


def test_server_links_keep_a_chosen_language_only():
    assert ServerLinker("", None)("/id/x") == "/id/x"
    assert ServerLinker("", "fr")("/id/x") == "/id/x?lang=fr"
    assert ServerLinker("/kg", None)("/id/x", ext=".ttl") == "/kg/id/x.ttl"
    assert ServerLinker("", "de")("/ontology#Spacecraft") == "/ontology?lang=de#Spacecraft"


@pytest.mark.parametrize(("here", "target", "expected"), [
    ("/", "/id/x", "id/x.html"),
    ("/id/a", "/id/b", "b.html"),
    ("/id/a", "/", "../index.html"),
    ("/graph/user/f", "/ontology#T", "../../ontology.html#T"),
    ("/queries/wikidata/labels", "/queries", "../../queries.html"),
])
def test_static_links_are_relative_to_the_page(here, target, expected):
    assert StaticLinker(here)(target) == expected


def test_the_link_checker_finds_missing_files_and_fragments(tmp_path):
    (tmp_path / "id").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="id/a.html">a</a> <a href="id/gone.html">gone</a> '
        '<a href="id/a.html#here">ok</a> <a href="id/a.html#nowhere">bad</a> '
        '<a href="https://example.org/">external</a> <a href="../outside.html">out</a>')
    (tmp_path / "id" / "a.html").write_text('<p id="here">x</p><a href="../index.html">up</a>')
    broken = check_links(tmp_path)
    assert broken == ["index.html: id/gone.html", "index.html: id/a.html#nowhere (no such "
                      "#fragment)", "index.html: ../outside.html"]


def test_settings_hold_their_rules_for_any_caller():
    """create_app's callers other than `serve` get the same refusals and normalisation."""
    from missions_kg.errors import UsageError
    from missions_kg.server.context import Settings

    for bad in ({"cors": ("*",)}, {"cors": ("example.org",)}, {"base": "ftp://example.org"}):
        with pytest.raises(UsageError):
            Settings(**bad)
    assert Settings(base="https://w3id.org/missions-kg").base == "https://w3id.org/missions-kg/"
    assert Settings(cors=("https://example.org",)).cors == ("https://example.org",)
