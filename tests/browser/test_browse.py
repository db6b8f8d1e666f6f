"""Browsing in a real browser: open an entity page and follow a link, search and pick a
suggestion, run a query in the query UI, see a chart; screenshots in test-artifacts/."""

from __future__ import annotations

import re

import pytest

expect = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is missing"
).expect
pytestmark = pytest.mark.browser


def test_open_an_entity_page_and_follow_a_link(page, artifacts):
    page.goto("/page/person/serik-akhmetov")
    expect(page.locator("h1")).to_have_text("Serik Akhmetov")
    page.screenshot(path=str(artifacts / "entity-page.png"), full_page=True)
    page.screenshot(path=str(artifacts / "entity-page-top.png"))  # the README's screenshot
    page.locator("table.tenures a", has_text="Prime Minister of Kazakhstan").first.click()
    expect(page).to_have_url(re.compile(r"/page/post/prime-minister--government-of-kazakhstan$"))
    expect(page.locator("h1")).to_contain_text("Prime Minister")
    expect(page.locator("table.tenures")).to_contain_text("Serik Akhmetov")


def test_evidence_opens_the_article_at_the_highlighted_words(page, artifacts):
    page.goto("/page/person/serik-akhmetov")
    page.locator("table.tenures tr.attested blockquote.evidence a[href*='#char=']").first.click()
    expect(page).to_have_url(re.compile(r"/page/doc/[^#]+#char=\d+,\d+$"))
    target = page.locator(":target")
    expect(target).to_be_visible()
    expect(target).to_contain_text("Serik Akhmetov")
    assert target.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    page.screenshot(path=str(artifacts / "document-page.png"))


def test_search_and_pick_a_suggestion_with_the_keyboard(page, artifacts):
    page.goto("/")
    box = page.locator("#home-search")
    box.fill("Ахметов")
    suggestions = page.locator("ul.suggestions li[role=option]")
    expect(suggestions.first).to_be_visible()
    expect(suggestions.first).to_contain_text("Serik Akhmetov")
    expect(box).to_have_attribute("aria-expanded", "true")
    page.screenshot(path=str(artifacts / "search-suggestions.png"))
    box.press("ArrowDown")
    expect(suggestions.first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/page/person/serik-akhmetov$"))


def test_search_and_pick_a_suggestion_with_the_mouse(page):
    page.goto("/page/indicator/jobs")
    box = page.locator("#site-search")
    box.press_sequentially("Nur-Sultan", delay=20)
    option = page.locator("ul.suggestions li[role=option]", has_text="Astana").first
    expect(option).to_be_visible()
    option.click()
    expect(page).to_have_url(re.compile(r"/page/place/astana$"))
    expect(page.locator("h1")).to_have_text("Astana")


def test_search_without_a_suggestion_submits_the_form(page):
    page.goto("/")
    page.locator("#home-search").fill("industrialization")
    page.locator("form.search.big button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/search\?q=industrialization"))
    expect(page.locator("ol.hits li").first).to_contain_text("Industrialization")


def test_run_a_query_in_the_ui(page, artifacts):
    # The plain query form (GET /sparql?ui=plain; YASGUI is the default UI): a textarea#query in
    # a form with a submit button; the HTML results page lists the rows (templates/sparql*.html).
    page.goto("/sparql?ui=plain")
    query = page.locator("#query")
    query.fill(
        "PREFIX kz: <https://w3id.org/kazkg/ontology#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?name WHERE { ?p a kz:Person ; skos:prefLabel ?name FILTER (lang(?name) = 'en') }\n"
        "ORDER BY ?name"
    )
    page.locator("form:has(#query) [type=submit]").first.click()
    expect(page.locator("body")).to_contain_text("Serik Akhmetov")
    page.screenshot(path=str(artifacts / "query-results.png"))


def test_see_the_chart(page, artifacts):
    page.goto("/page/indicator/jobs")
    chart = page.locator("figure.chart")
    expect(chart).to_be_visible()
    panel = chart.locator("svg.panel").first
    box = panel.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100
    points = panel.locator("a.point")
    assert points.count() > 3
    first_mark = points.first.locator("circle, rect, path").first
    assert first_mark.bounding_box()["width"] > 5  # drawn, not collapsed
    chart.screenshot(path=str(artifacts / "indicator-chart.png"))


def test_keyboard_skip_link_and_focus(page):
    page.goto("/page/place/astana")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["x"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_pages_fit_a_phone_screen(page, artifacts):
    page.set_viewport_size({"width": 375, "height": 800})
    for path in ("/", "/page/person/serik-akhmetov", "/page/doc/000_14161995b5d2d40a", "/programs"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px"
    page.goto("/page/person/serik-akhmetov")
    page.screenshot(path=str(artifacts / "entity-page-phone.png"), full_page=True)


def test_as_of_date_picker(page):
    page.goto("/page/post/prime-minister--government-of-kazakhstan")
    page.locator("form.asof input[type=date]").fill("2015-01-01")
    page.locator("form.asof button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"asof=2015-01-01"))
    expect(page.locator("section.asof-result")).to_contain_text("Karim Massimov")
