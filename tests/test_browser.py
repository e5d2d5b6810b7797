"""A person's walk through the served graph in a real browser: Playwright driving Debian's
``chromium`` (Playwright cannot download its own browsers here), against ``missions-kg
serve`` on a free loopback port. Home → search "Jeanne" → the character → her actress →
a stored query with a parameter → a source badge; then the language switch. Screenshots go
to ``tests/artifacts/`` (ignored by git; look at them). Any console error fails the test.

CI installs the browser with ``apt-get install -y chromium`` (Debian); without it, or
without the ``playwright`` package, the test is skipped with the reason printed.
"""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import TESTS
from server_support import cache_env, live_server

pytestmark = pytest.mark.slow

ARTIFACTS = TESTS / "artifacts"
CHROMIUM = os.environ.get("MISSIONS_KG_CHROMIUM") or shutil.which("chromium") or \
    "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="the playwright package is not installed")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no chromium at {CHROMIUM} (Debian: apt-get install -y chromium)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def server(real_cache, tmp_path_factory):
    with cache_env(real_cache, tmp_path_factory.mktemp("browser-cache")), \
            live_server() as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not problems, "\n".join(problems)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_walk_from_home_to_a_source(page, server):
    page.goto(server)
    assert page.locator("h1").first.text_content().strip() == "Missions"
    shot(page, "1-home")

    page.fill("#home-q", "Jeanne")
    page.press("#home-q", "Enter")
    page.wait_for_url("**/search?q=Jeanne*")
    page.click("text=Jeanne Renoir")
    page.wait_for_url("**/id/character-jeanne-renoir")
    assert page.locator("h1").text_content() == "Jeanne Renoir"
    assert page.locator("tr.conflict").count() >= 2  # psychiatrist / psychologist
    assert page.locator(".diagram svg a").count() > 3  # clickable nodes
    shot(page, "2-character")

    page.locator("section.roles a", has_text="Hélène Viviès").first.click()
    page.wait_for_url("**/id/helene-vivies")
    assert page.locator("h1").text_content() == "Hélène Viviès"
    shot(page, "3-actress")

    page.click("header nav >> text=Queries")
    page.click("text=characters-of-actor")
    page.wait_for_url("**/queries/characters-of-actor*")
    page.fill("input[name=actor]", "Hélène Viviès")
    page.click("form.params button")
    page.wait_for_url("**actor=H*")
    assert page.locator("table.results").count() == 1
    assert page.locator("table.results a", has_text="Jeanne Renoir").count() >= 1
    shot(page, "4-stored-query")

    page.locator("table.results a", has_text="Jeanne Renoir").first.click()
    page.wait_for_url("**/id/character-jeanne-renoir*")
    page.locator("a.badge", has_text="seed-001-thelogbook-ulysse").first.click()
    page.wait_for_url("**/graph/seed-001-thelogbook-ulysse*")
    assert "thelogbook.com/logbook/missions/ulysse" in page.content()
    shot(page, "5-source")


def test_language_switch(page, server):
    page.goto(server + "id/character-jeanne-renoir")
    assert page.locator("p.types").text_content().count("fictional character") == 1
    page.click("header .langs a[hreflang=fr]")
    page.wait_for_url("**lang=fr")
    assert "personnage de fiction" in page.locator("p.types").text_content()
    assert page.locator("html").get_attribute("lang") == "fr"
    page.locator("section.roles a", has_text="Hélène Viviès").first.click()
    page.wait_for_url("**/id/helene-vivies?lang=fr")  # the choice follows the links
    page.click("header .langs a[hreflang=de]")
    page.wait_for_url("**lang=de")
    shot(page, "6-language-de")


def test_editor_runs_an_example(page, server):
    page.goto(server + "sparql")
    page.select_option("#example", "cast")
    assert "SELECT" in page.input_value("#query")
    page.click("form.editor button")
    page.wait_for_selector("table.results")
    assert page.locator("table.results tbody tr").count() > 10
    shot(page, "7-editor")
