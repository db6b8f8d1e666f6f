"""Views that fit each kind of entity, "as of" browsing, and the index pages per class."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.conftest import select


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return BeautifulSoup(response.data, "html.parser")


def section(soup: BeautifulSoup, heading_id: str):
    heading = soup.find(id=heading_id)
    assert heading is not None, f"no section {heading_id}"
    return heading.find_parent("section")


# --- person --------------------------------------------------------------------------------------


def test_person_timeline_of_posts_with_sources(client):
    soup = soup_of(client.get("/page/person/serik-akhmetov"))
    posts = section(soup, "h-tenures")
    rows = [tr.get_text(" ", strip=True) for tr in posts.select("table.tenures tbody tr")]
    assert any("2012-09-24 – 2014-04-02" in r and "known tenure" in r for r in rows)
    assert any("attested 2012-11-27" in r for r in rows) and any(
        "attested in 2013" in r for r in rows
    )
    known = posts.select_one("tr.known")
    assert known.find("a", href=lambda h: h and h.startswith("http") and "rferl.org" in h)
    attested = posts.select_one("tr.attested blockquote.evidence a[href*='#char=']")
    assert attested is not None
    svg = posts.select_one("figure.timeline svg")
    assert svg is not None and svg.select("rect.known") and svg.select("circle.attested")
    assert section(soup, "h-meetings").select("tbody tr")


def test_person_figures_stated(client):
    soup = soup_of(client.get("/page/person/asset-issekeshev"))
    figures = section(soup, "h-figures")
    assert "27.6 trillion KZT" in figures.get_text()


# --- program -------------------------------------------------------------------------------------


def test_program_period_targets_next_to_reported_values(client):
    soup = soup_of(
        client.get("/page/program/comprehensive-development-plan-of-machine-building-for-2024-2028")
    )
    program = section(soup, "h-program")
    assert "2024-01-01 – 2028-12-31" in program.get_text()
    targets = program.select("table.targets tbody tr")
    with_targets = [tr for tr in targets if tr.select("td")[0].get_text(strip=True) != "—"]
    values = sorted(tr.select("td")[0].find("a").get_text(strip=True) for tr in with_targets)
    assert values == ["1.5 ×", "2.2 ×", "3 ×", "4.5 ×"]  # the gold targets (cq05)
    assert all("by 2028" in tr.get_text() for tr in with_targets)
    assert section(soup, "h-meetings").select("tbody tr")


def test_program_projects(client):
    soup = soup_of(client.get("/page/program/industrialization-map"))
    projects = section(soup, "h-projects").select("tbody tr")
    expected = select(
        client.application.extensions["kazkg"].store(),
        """
        SELECT DISTINCT ?p WHERE {
          ?p kz:includedIn <https://w3id.org/kazkg/id/program/industrialization-map> }""",
    )
    assert len(projects) == len(expected) > 0


# --- region --------------------------------------------------------------------------------------


def test_region_akims_projects_figures(client):
    karaganda = soup_of(client.get("/page/place/karaganda-region"))
    assert "Zhenis Kassymbek" in section(karaganda, "h-tenures").get_text()
    kostanay = soup_of(client.get("/page/place/kostanay-region"))
    projects = section(kostanay, "h-projects").get_text(" ", strip=True)
    assert "Kostanay" in projects and "commissioned" in projects
    assert section(kostanay, "h-figures").select("table.figures tbody tr")


def test_renamed_city_as_of_a_date(client):
    soup = soup_of(client.get("/page/place/astana?asof=2020-06-01"))
    assert "Nur-Sultan" in section(soup, "h-asof-n").get_text()
    soup = soup_of(client.get("/page/place/astana?asof=2023-06-01"))
    assert "Astana" in section(soup, "h-asof-n").get_text()


# --- indicator -----------------------------------------------------------------------------------


def test_indicator_chart_of_observations_over_time(client):
    soup = soup_of(client.get("/page/indicator/jobs"))
    figures = section(soup, "h-figures")
    svg = figures.select_one("figure.chart svg.panel")
    assert svg is not None and svg.get("role") == "img" and svg.find("title")
    points = figures.select("figure.chart a.point")
    rows = figures.select("table.figures tbody tr")
    assert len(points) == len(rows) > 3  # every jobs figure can be dated (by period or article)
    legend = figures.select("ul.legend li")
    assert any("actual" in li.get_text() for li in legend) and any(
        "plan" in li.get_text() for li in legend
    )


def test_chart_geometry_is_sane():
    import datetime as dt

    from server.charts import Datum, nice_step, observation_chart, value_ticks

    assert nice_step(23) == 5 and nice_step(0.7) == 0.2
    low, high, ticks = value_ticks(3, 27, str)
    assert low == 0 and high >= 27 and ticks[0][0] == 0
    panels = observation_chart(
        [
            Datum(dt.date(2011, 12, 31), 27.6e12, "GDP (KZT)", "actual", "Kazakhstan", "a"),
            Datum(dt.date(2012, 12, 31), 30e12, "GDP (KZT)", "target", "Kazakhstan", "b"),
            Datum(dt.date(2012, 12, 31), 16.7, "growth (%)", "change", "", "c"),
        ]
    )
    assert [p.title for p in panels] == ["GDP (KZT)", "growth (%)"]
    gdp = panels[0]
    left, top, right, bottom = gdp.plot
    for s in gdp.series:
        for pt in s.points:
            assert left <= pt.x <= right and top <= pt.y <= bottom
    assert {s.colour for s in gdp.series} == {"#0b5cad", "#b3261e"}


# --- meeting and document ------------------------------------------------------------------------


def test_meeting_date_chair_speakers_programs(client):
    soup = soup_of(client.get("/page/meeting/000_14161995b5d2d40a-1"))
    meeting = section(soup, "h-meeting").get_text(" ", strip=True)
    assert "2012-11-27" in meeting and "Serik Akhmetov" in meeting and "Asset Issekeshev" in meeting
    assert "Industrialization Map" in meeting
    assert "27.6 trillion KZT" in section(soup, "h-meeting").get_text()


def test_document_text_marks_every_mention_and_links_it(client, store):
    doc = "https://w3id.org/kazkg/id/doc/000_14161995b5d2d40a"
    soup = soup_of(client.get("/page/doc/000_14161995b5d2d40a"))
    text = section(soup, "h-text").select_one("div.doctext")
    mentions = select(
        store,
        f"""SELECT DISTINCT ?b ?e ?entity WHERE {{ GRAPH <{doc}> {{
        ?m kz:refersTo ?entity ; nif:beginIndex ?b ; nif:endIndex ?e }} }}""",
    )
    marks = {m["id"]: m for m in text.select("mark.mention")}
    assert len(marks) == len({(r["b"], r["e"]) for r in mentions})
    for row in mentions:
        mark = marks[f"char={row['b']},{row['e']}"]
        slug = row["entity"].split("/id/", 1)[1]
        assert mark.find("a", href=f"/page/{slug}") or mark.find_parent("a", href=f"/page/{slug}")
    # the text is the whole article (the NIF context string), offsets intact
    full = select(store, f"SELECT ?t WHERE {{ <{doc}> nif:isString ?t }}")[0]["t"]
    first = mentions[0]
    assert (
        full[int(first["b"]) : int(first["e"])]
        == marks[f"char={first['b']},{first['e']}"].get_text()
    )
    for ref in text.select("a.factref"):
        ref.decompose()  # the links to facts after their words are not text of the article
    assert text.get_text() == full


def test_document_lists_facts_read_from_it(client):
    soup = soup_of(client.get("/page/doc/000_14161995b5d2d40a"))
    facts = section(soup, "h-facts")
    links = [a["href"] for a in facts.select("a[href^='#char=']")]
    assert links and all(soup.find(id=href[1:]) for href in links)


def test_document_text_from_sentences_when_the_full_text_is_missing(tmp_path, built):
    """Datasets built before the text was stored: the page shows the stored sentences."""
    import pyoxigraph as ox

    from graph.config import Config
    from server import create_app

    source = ox.Store()
    source.load(path=str(built[0].data_path), format=ox.RdfFormat.TRIG)
    is_string = ox.NamedNode(
        "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString"
    )
    for quad in list(source.quads_for_pattern(None, is_string, None, None)):
        source.remove(quad)
    path = tmp_path / "old.trig"
    source.dump(str(path), format=ox.RdfFormat.TRIG)
    app = create_app(Config(data_path=path))
    try:
        soup = soup_of(app.test_client().get("/page/doc/000_14161995b5d2d40a"))
        blocks = soup.select("div.doctext")
        assert len(blocks) > 1 and soup.select("div.doctext mark.mention")
        assert "Only the sentences that state facts" in soup.get_text()
    finally:
        app.extensions["kazkg"].executor.close()


# --- as of a date --------------------------------------------------------------------------------


def test_asof_page_who_held_what_and_which_programs_ran(client):
    soup = soup_of(client.get("/asof?date=2013-05-01"))
    held = section(soup, "h-held")
    row = next(tr for tr in held.select("tbody tr") if "Serik Akhmetov" in tr.get_text())
    assert "known tenure" in row.get_text() and "Prime Minister" in row.get_text()
    assert "Karim Massimov" not in held.get_text()  # his tenures end 2012 and start 2014
    programs = section(soup, "h-programs").get_text()
    assert "2010-2014" in programs
    soup = soup_of(client.get("/asof?date=2020-01-01"))
    assert "Nur-Sultan" in section(soup, "h-names").get_text()
    assert "Askar Mamin" in section(soup, "h-held").get_text()


def test_asof_mode_on_person_post_organization_program_pages(client):
    person = soup_of(client.get("/page/person/karim-massimov?asof=2015-01-01"))
    assert "Prime Minister" in section(person, "h-asof").get_text()
    post = soup_of(
        client.get("/page/post/prime-minister--government-of-kazakhstan?asof=2015-01-01")
    )
    assert "Karim Massimov" in section(post, "h-asof").get_text()
    assert "Serik Akhmetov" not in section(post, "h-asof").get_text()
    org = soup_of(client.get("/page/org/government-of-kazakhstan?asof=2013-03-01"))
    assert "Serik Akhmetov" in section(org, "h-asof").get_text()
    program = soup_of(
        client.get(
            "/page/program/comprehensive-development-plan-of-machine-building-for-2024-2028"
            "?asof=2025-01-01"
        )
    )
    assert "was running" in section(program, "h-asof-p").get_text()
    assert person.select_one("form.asof input[type=date][name=asof]")


def test_asof_with_a_bad_date(client):
    soup = soup_of(client.get("/asof?date=yesterday"))
    assert soup.select_one("[role=alert]") and not soup.find(id="h-held")
    assert client.get("/page/person/serik-akhmetov?asof=not-a-date").status_code == 200


def test_attestations_explained_by_a_known_tenure_are_not_repeated():
    import datetime as dt

    from server.temporal import Tenure, held_on

    known = Tenure("t1", "p", "post", start=dt.date(2012, 9, 24), end=dt.date(2014, 4, 2))
    attested = Tenure("t2", "p", "post", attested_on=dt.date(2013, 6, 1))
    later = Tenure("t3", "q", "post", attested_on=dt.date(2014, 6, 1))
    assert [h.how for h in held_on_plain([known, attested, later], dt.date(2013, 7, 1))] == [
        "known"
    ]
    assert [h.tenure.iri for h in held_on_plain([known, attested, later], dt.date(2014, 9, 1))] == [
        "t3"
    ]
    assert held_on is not None


def held_on_plain(tenures, day):
    """held_on without the labels it sorts by (no app needed)."""
    from server import temporal

    original = temporal.link
    temporal.link = lambda iri: type("L", (), {"text": iri})()
    try:
        return temporal.held_on(tenures, day)
    finally:
        temporal.link = original


# --- long lists -----------------------------------------------------------------------------------


def test_long_lists_show_their_first_rows_and_say_how_many_more(built, monkeypatch):
    """A hub entity (thousands of figures, meetings, mentions) gets a page of bounded size."""
    from server import create_app, pages

    monkeypatch.setitem(pages.SHOWN, "rows", 1)
    monkeypatch.setitem(pages.SHOWN, "cell", 1)
    monkeypatch.setitem(pages.SHOWN, "documents", 1)
    app = create_app(built[0].replace(page_cache_size=0))
    try:
        client = app.test_client()
        person = soup_of(client.get("/page/person/serik-akhmetov"))
        posts = section(person, "h-tenures")
        assert len(posts.select("table.tenures tbody tr:not(.more)")) == 1
        assert "more tenures (the first 1 of" in posts.select_one("tr.more").get_text()
        mentions = section(person, "h-mentions")
        assert len(mentions.select("ul.mentions > li")) == 1
        more = mentions.find("a", string="all documents that mention it")
        listing = soup_of(client.get(more["href"]))
        assert len(listing.select("main li a[href^='/page/doc/']")) >= 2
        program = soup_of(client.get("/page/program/industrialization-map"))
        figures = program.select_one("table.targets").get_text(" ", strip=True)
        assert "more" in figures
    finally:
        app.extensions["kazkg"].executor.close()


# --- index pages ---------------------------------------------------------------------------------

INDEX_CLASSES = {
    "programs": "kz:Program",
    "officials": "kz:Person",
    "organizations": "kz:Organization",
    "regions": "kz:AdministrativeArea",
    "indicators": "kz:Indicator",
    "projects": "kz:InvestmentProject",
    "meetings": "kz:Meeting",
    "documents": "kz:NewsArticle",
}


@pytest.mark.parametrize("slug", sorted(INDEX_CLASSES))
def test_index_page_lists_every_member_with_its_count(client, store, slug):
    expected = int(
        select(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a {INDEX_CLASSES[slug]} }}")[
            0
        ]["n"]
    )
    soup = soup_of(client.get(f"/{slug}"))
    assert int(soup.h1.select_one("small").get_text()) == expected
    assert len(soup.select("table.index tbody tr")) == min(expected, 100)
    home = soup_of(client.get("/"))
    card = home.select_one(f"ul.cards a[href='/{slug}']")
    assert card.select_one(".count").get_text(strip=True) == str(expected)


def test_index_pages_sort_by_any_column(client):
    def column(soup, n):
        return [
            tr.select("td")[n].get_text(strip=True) for tr in soup.select("table.index tbody tr")
        ]

    by_docs = soup_of(client.get("/officials?sort=documents&dir=desc"))
    counts = [int(v) for v in column(by_docs, 3) if v]
    assert counts == sorted(counts, reverse=True)
    by_name = soup_of(client.get("/officials?sort=label&dir=asc"))
    names = column(by_name, 0)
    assert names == sorted(names, key=str.lower)
    header = by_name.select_one("th[aria-sort]")
    assert header["aria-sort"] == "ascending"
    assert client.get("/officials?sort=nonsense").status_code == 200
    assert client.get("/officials?page=99").status_code == 404


def test_class_listing_for_any_class(client):
    soup = soup_of(
        client.get("/class", query_string={"iri": "https://w3id.org/kazkg/ontology#Organization"})
    )
    assert len(soup.select("ul.members li")) == 100 and soup.find("a", rel="next")
    assert client.get("/class", query_string={"iri": "not an iri"}).status_code == 400
