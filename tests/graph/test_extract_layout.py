"""Page layout and metadata: site chrome left out of analysis (offsets kept), title, date,
publisher and cited source, and the year an undated article reports on."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.layout import analyse_layout
from graph.metadata import find_dates, reported_year

from .conftest import named

PAGE = """Download our app for the latest regional news
Steppe Ledger
Economy | Industry | Regions | Opinion
Kostanay tractor plant doubles its output
27 November 2012, 18:51
1234 views
EN
RU
Photo: Zhanat Omarov
The tractor plant in Kostanay produced 2,400 machines this year, twice as many as a year ago, the regional akimat said on Tuesday.
Subscribe to our Telegram channel
5210 просмотров
"""


def _chrome_lines(text: str) -> list[str]:
    layout = analyse_layout(text)
    return [text[s:e] for s, e in layout.chrome]


def test_analysis_text_keeps_length_and_blanks_chrome_with_spaces():
    layout = analyse_layout(PAGE)
    assert len(layout.analysis_text) == len(PAGE)
    # newlines are kept, every chrome character becomes a space, the rest is untouched
    for i, (a, b) in enumerate(zip(PAGE, layout.analysis_text)):
        in_chrome = any(s <= i < e for s, e in layout.chrome)
        if b != a:
            assert in_chrome and b == " " and a not in "\r\n"
    body = PAGE.index("The tractor plant")
    assert layout.analysis_text[body:body + 40] == PAGE[body:body + 40]


@pytest.mark.parametrize("line", [
    "Download our app for the latest regional news",
    "Economy | Industry | Regions | Opinion",
    "1234 views",
    "EN",
    "RU",
    "Photo: Zhanat Omarov",
    "Subscribe to our Telegram channel",
    "5210 просмотров",
    "27 November 2012, 18:51",
    "Steppe Ledger",
])
def test_site_chrome_lines_are_left_out(line):
    assert line in _chrome_lines(PAGE)


def test_body_and_title_are_not_chrome():
    chrome = _chrome_lines(PAGE)
    assert "Kostanay tractor plant doubles its output" not in chrome
    assert not any(c.startswith("The tractor plant") for c in chrome)


@pytest.mark.parametrize("line", [
    "Views: 812", "read: 1 045", "Қазақша", "Русский", "• kz", "Share", "Read more:",
    "Install our mobile app to read offline", "Follow us on Instagram", "Join our Telegram channel",
    "© 2024 Steppe Ledger. All rights reserved", "Source of photo: gov.kz", "Advertisement",
])
def test_more_chrome_lines(line):
    text = ("Karaganda foundry resumes production\n"
            "The foundry in Temirtau resumed production after a two-year modernization, the company said.\n"
            f"{line}\n")
    assert line in _chrome_lines(text)


def test_chrome_offsets_are_offsets_of_the_original_text(extract):
    x = extract(PAGE)
    assert x.doc.length == len(PAGE)
    for s, e in x.doc.chrome:
        assert PAGE[s:e].strip()  # a real line of the page, not shifted
    spans = {PAGE[s:e] for s, e in x.doc.chrome}
    assert "Subscribe to our Telegram channel" in spans
    # figures of the body keep their original offsets
    fig = next(o for o in x.observations if o.value == 2400)
    assert PAGE[fig.span.start:fig.span.end] == fig.span.text == "2,400 machines"


def test_chrome_is_not_analysed(extract):
    x = extract(PAGE)
    # the view counters are not figures, the photographer is not a person of the article
    assert {o.value for o in x.observations} & {1234, 5210} == set()
    assert named(x, "person") == []


def test_the_same_counter_in_running_text_is_a_figure(extract):
    """Control for the test above: only the chrome line is left out."""
    x = extract("Kostanay tractor plant doubles its output\n"
                "The tractor plant in Kostanay produced 2,400 machines and its video got 1234 views.\n")
    assert 1234 in {o.value for o in x.observations}


# --- title -------------------------------------------------------------------------------------

def test_title_above_its_date_line(extract):
    x = extract(PAGE)
    assert x.doc.title == "Kostanay tractor plant doubles its output"
    s, e = x.doc.title_span
    assert PAGE[s:e] == x.doc.title


def test_title_after_a_date_line(extract):
    text = ("12 April 2019, 10:05\n"
            "Karaganda foundry resumes production after modernization\n"
            "The foundry in Temirtau resumed production after a two-year modernization, the regional "
            "akimat reported on Friday.\n")
    x = extract(text)
    assert x.doc.title == "Karaganda foundry resumes production after modernization"
    assert x.doc.published == dt.date(2019, 4, 12)


def test_site_brand_above_a_menu_is_not_the_title(extract):
    text = ("Qazaq Business Daily\n"
            "Economy | Industry | Regions | Opinion\n"
            "Almaty region to build glass factory\n"
            "The akimat of Almaty region and an investor agreed to build a glass factory worth 60 billion "
            "tenge near Konayev.\n")
    x = extract(text)
    assert x.doc.title == "Almaty region to build glass factory"
    chrome = {text[s:e] for s, e in x.doc.chrome}
    assert {"Qazaq Business Daily", "Economy | Industry | Regions | Opinion"} <= chrome


def test_breadcrumb_menu_above_the_date_is_not_the_title(extract):
    text = ("Home » Industry » News\n"
            "03.07.2021 14:15\n"
            "Shymkent refinery completes scheduled repairs\n"
            "The Shymkent refinery completed scheduled repairs two days ahead of time, the operator said.\n")
    x = extract(text)
    assert x.doc.title == "Shymkent refinery completes scheduled repairs"


def test_article_without_a_headline_has_no_title(extract):
    x = extract("The foundry in Temirtau resumed production after a two-year modernization, the "
                "regional akimat reported on Friday.\n")
    assert x.doc.title is None and x.doc.title_span is None


# --- dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, date, time", [
    ("27 November 2012, 18:51", dt.date(2012, 11, 27), dt.time(18, 51)),
    ("06.12.2023 17:03", dt.date(2023, 12, 6), dt.time(17, 3)),
    ("date 2016-12-07", dt.date(2016, 12, 7), None),
    ("16:20, 05 November 2015", dt.date(2015, 11, 5), dt.time(16, 20)),
    ("March 3, 2021", dt.date(2021, 3, 3), None),
    ("Sept. 14, 2018 at 09:30", dt.date(2018, 9, 14), dt.time(9, 30)),
    ("2 мая 2017", dt.date(2017, 5, 2), None),
])
def test_publication_date_forms(extract, line, date, time):
    text = (f"Aktobe chemical plant expands production line\n{line}\n"
            "The chemical plant in Aktobe launched a second production line, the company said on Monday.\n")
    x = extract(text)
    assert x.doc.published == date
    assert x.doc.published_time == time
    assert x.doc.about_year == date.year and x.doc.about_year_inferred is False
    assert line in {text[s:e] for s, e in x.doc.chrome}


def test_time_printed_before_the_date_is_read(extract):
    x = extract("Aktobe chemical plant expands production line\n16:20, 05 November 2015\n"
                "The chemical plant in Aktobe launched a second production line, the company said.\n")
    assert x.doc.published_time == dt.time(16, 20)


@pytest.mark.parametrize("text", ["31.02.2020", "2020-13-01", "45 March 2019", "in 2019"])
def test_impossible_or_partial_dates_are_not_dates(text):
    assert find_dates(text) == []


def test_date_in_the_body_is_not_the_publication_date(extract):
    x = extract("Aktobe chemical plant expands production line\n"
                "The chemical plant in Aktobe was founded on 14 May 1998 and launched a second production "
                "line in 2021, the company said.\n")
    assert x.doc.published is None


# --- publisher and cited source ---------------------------------------------------------------------

def test_publisher_cites_a_source(extract):
    text = ("Trade turnover with Uzbekistan grows steadily\nMarch 3, 2021\nKapital.kz cites gov.kz\n"
            "Trade turnover between Kazakhstan and Uzbekistan reached 2.1 billion dollars in 2020, the "
            "Ministry of Trade and Integration said.\n")
    x = extract(text)
    assert x.doc.publisher is not None and x.doc.cited_source is not None
    publisher, cited = x.entities[x.doc.publisher], x.entities[x.doc.cited_source]
    assert (publisher.name, publisher.kind, publisher.subkind) == ("Kapital.kz", "org", "media_outlet")
    assert (cited.name.lower(), cited.kind, cited.subkind) == ("gov.kz", "org", "media_outlet")
    assert [x.mentions[m].span.text for m in cited.mentions] == ["gov.kz"]
    assert [x.mentions[m].span.text for m in publisher.mentions] == ["Kapital.kz"]


def test_publisher_that_reports(extract):
    x = extract("Pavlodar aluminium smelter raises output\n"
                "Zerde.kz reports that the aluminium smelter in Pavlodar raised output by 6% in 2022.\n")
    assert x.doc.publisher is not None and x.entities[x.doc.publisher].name == "Zerde.kz"
    assert x.doc.cited_source is None


def test_no_publisher_named(extract):
    x = extract("Pavlodar aluminium smelter raises output\n"
                "The aluminium smelter in Pavlodar raised output by 6% in 2022, the company said.\n")
    assert x.doc.publisher is None and x.doc.cited_source is None


# --- the year an undated article reports on -----------------------------------------------------------

def test_about_year_inferred_from_latest_reported_year(extract):
    x = extract("Zhambyl region attracts new investors\n"
                "The region signed agreements worth 200 billion tenge in 2022, compared to 150 billion "
                "tenge in 2021. By 2030 the region wants to double investments.\n")
    assert x.doc.published is None
    assert x.doc.about_year == 2022
    assert x.doc.about_year_inferred is True


@pytest.mark.parametrize("text, year", [
    ("In 2019 output grew; by 2030 it should double.", 2019),
    ("The program runs until 2029, and in 2021 exports grew.", 2021),
    ("Investments for 2025-2029 were approved in 2024.", 2024),
    ("The plan to 2035 was adopted in 2018, and up to 2027 funds are set.", 2018),
    ("In 2016 the plant opened; in 2045 it will be renewed.", 2016),
    ("No year is named in this text.", None),
])
def test_reported_year_skips_horizons_and_future_years(text, year):
    assert reported_year(text, today=dt.date(2025, 6, 1)) == year


def test_printed_date_wins_over_years_in_the_text(extract):
    x = extract("Zhambyl region attracts new investors\n05.02.2024 08:00\n"
                "The region signed agreements worth 200 billion tenge in 2022.\n")
    assert x.doc.about_year == 2024 and x.doc.about_year_inferred is False


def test_no_year_at_all_leaves_about_year_empty(extract):
    x = extract("Zhambyl region attracts new investors\n"
                "The region signed agreements worth 200 billion tenge with three investors.\n")
    assert x.doc.about_year is None and x.doc.about_year_inferred is False
