"""``missions-kg site -o DIR``: the same pages as static files, every internal link
resolving (the checker reads every page back), stored results written in every format."""

from __future__ import annotations

import csv

import pytest

pytestmark = pytest.mark.slow  # writes ~560 pages and draws ~350 diagrams


@pytest.fixture(scope="module")
def site(tmp_path_factory, real_cache):
    from click.testing import CliRunner
    from conftest import REPO
    from server_support import cache_env

    from missions_kg.cli import main

    out = tmp_path_factory.mktemp("site") / "www"
    with cache_env(real_cache, tmp_path_factory.mktemp("site-cache")):
        result = CliRunner().invoke(main, ["--root", str(REPO), "site", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "every internal link resolves" in result.output
    return out


def test_no_broken_internal_link(site):
    from missions_kg.server.static_site import check_links

    assert check_links(site) == []
    assert len(list(site.rglob("*.html"))) > 500


def test_entity_pages_have_badges_conflicts_and_relative_links(site):
    page = (site / "id" / "character-jeanne-renoir.html").read_text()
    assert "<h1>Jeanne Renoir</h1>" in page
    assert 'href="../graph/seed-001-thelogbook-ulysse.html"' in page
    assert 'class="conflict"' in page and "<svg" in page
    assert 'href="../static/style.css"' in page and "/sparql" not in page
    assert (site / "id" / "character-jeanne-renoir.ttl").read_text().count("Jeanne Renoir")


def test_stored_results_are_written_in_every_format(site):
    rows = list(csv.DictReader((site / "queries" / "episodes.csv").open()))
    assert [r["title"] for r in rows] == ["Ulysse", "Mars", "Survivant", "Pierre", "Alliance",
                                          "Irène", "Faute", "Phénix", "Volodia", "Orage"]
    for ext in ("tsv", "srj", "srx", "txt"):
        assert "Ulysse" in (site / "queries" / f"episodes.{ext}").read_text()
    page = (site / "queries" / "episodes.html").read_text()
    assert 'href="../id/missions-s1e1.html"' in page and 'href="episodes.csv"' in page
    assert (site / "ontology.html").read_text().count('id="FictionalCharacter"') == 1
    assert (site / "graph" / "seed-001-thelogbook-ulysse.html").exists()


def test_a_broken_link_fails_the_command(tmp_path, monkeypatch):
    from click.testing import CliRunner
    from conftest import REPO

    from missions_kg.cli import main
    from missions_kg.server import static_site

    def broken(site, out, **_):
        (out / "index.html").write_text('<a href="id/missing.html">x</a>')
        return {"home": 1}

    monkeypatch.setattr(static_site, "write_site", broken)
    result = CliRunner().invoke(main, ["--root", str(REPO), "site", "-o", str(tmp_path / "w")])
    assert result.exit_code == 1
    assert "Broken link: index.html: id/missing.html" in result.stderr
