"""Figures: value in base units, unit, counted noun, sign, kind and period — and what is not a figure."""

from __future__ import annotations

from decimal import Decimal

import pytest


def only(x):
    assert len(x.observations) == 1, [(o.span.text, o.value) for o in x.observations]
    return x.observations[0]


# --- values and units -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, surface, value, unit", [
    ("The volume of investments in the region reached 27.1 trillion tenge in 2019.",
     "27.1 trillion tenge", "27100000000000", "KZT"),
    ("Exports amounted to KZT1.4 trillion in 2021.", "KZT1.4 trillion", "1400000000000", "KZT"),
    ("The fund allocated KZT 350 billion for the projects in 2022.", "KZT 350 billion", "350000000000", "KZT"),
    ("The project cost is estimated at $ 450 million.", "$ 450 million", "450000000", "USD"),
    ("Foreign direct investment totaled US$1.2 billion in 2018.", "US$1.2 billion", "1200000000", "USD"),
    ("The gross regional product made up 7.9trln tenge in 2020.", "7.9trln tenge", "7900000000000", "KZT"),
    ("The fund spent 350 mln tenge on equipment.", "350 mln tenge", "350000000", "KZT"),
    ("Exports reached 500 million US dollars.", "500 million US dollars", "500000000", "USD"),
    ("Exports reached 3.5 billion U.S. dollars last year.", "3.5 billion U.S. dollars", "3500000000", "USD"),
    ("The plant will cost 1.5 bln euros.", "1.5 bln euros", "1500000000", "EUR"),
    ("The budget is 12,5 billion tenge.", "12,5 billion tenge", "12500000000", "KZT"),
    ("The share of processing in exports was 12.5% in 2017.", "12.5%", "12.5", "percent"),
    ("The share of SMEs in GDP reached 36.5 percent of the total.", "36.5 percent", "36.5", "percent"),
], ids=["trillion-tenge", "KZT-attached", "KZT-spaced", "dollar-sign-spaced", "US$", "trln-attached",
        "mln-tenge", "US-dollars", "U.S.-dollars", "euros", "decimal-comma", "percent-sign", "percent-word"])
def test_money_and_percent(extract, text, surface, value, unit):
    o = only(extract(text))
    assert o.span.text == surface
    assert o.value == Decimal(value)
    assert o.unit == unit
    assert o.counted is None


@pytest.mark.parametrize("text, surface, value", [
    ("Labour productivity grew by 3.5 times compared to 2010.", "3.5 times", "3.5"),
    ("Output increased 5 and a half times over the decade.", "5 and a half times", "5.5"),
    ("Output increased 3 times compared to 2015.", "3 times", "3"),
    ("The output of the plant doubled in 2019.", "doubled", "2"),
    ("Output tripled in 2022.", "tripled", "3"),
    ("The company plans that exports will double.", "double", "2"),
])
def test_multiples(extract, text, surface, value):
    o = only(extract(text))
    assert (o.span.text, o.value, o.unit, o.measure) == (surface, Decimal(value), "times", "multiple")


def test_fold_multiple(extract):
    o = only(extract("Investments will grow 1.5-fold by 2028."))
    assert (o.value, o.unit) == (Decimal("1.5"), "times")


@pytest.mark.parametrize("text, surface, value, counted", [
    ("Each workshop will create 8-12 jobs.", "8-12 jobs", 12, "jobs"),
    ("The region launched nine projects worth 40 billion tenge.", "nine projects", 9, "projects"),
    ("The projects created 25,000 new jobs in 2018.", "25,000 new jobs", 25000, "jobs"),
    ("About 1.2 million people live in the region.", "1.2 million people", 1200000, "people"),
    ("The plant will employ 350 people.", "350 people", 350, "jobs"),
    ("The tractor plant has 27 workshops.", "27 workshops", 27, "workshops"),
    ("The number of enterprises reached 1,250.", "1,250", 1250, "enterprises"),
])
def test_counts(extract, text, surface, value, counted):
    o = next(o for o in extract(text).observations if o.unit == "count")
    assert (o.span.text, o.value, o.counted, o.measure) == (surface, value, counted, "count")


def test_bare_million_of_a_population_counts_people(extract):
    o = only(extract("The population of the region is 1.2 million."))
    assert (o.value, o.unit, o.counted) == (Decimal("1200000"), "count", "people")


def test_bare_billion_after_a_money_figure_takes_its_currency(extract):
    x = extract("Exports reached 4 billion tenge, imports 1.5 billion.")
    assert [(o.value, o.unit) for o in x.observations] == [
        (Decimal("4000000000"), "KZT"), (Decimal("1500000000"), "KZT")]


def test_physical_units_are_other(extract):
    o = only(extract("In 2023 the plant produced 45,000 tons of steel."))
    assert (o.value, o.unit, o.counted, o.measure) == (45000, "other", "tons", "level")


@pytest.mark.parametrize("text, qualifier", [
    ("More than 25,000 new jobs were created in 2018.", "more than"),
    ("Nearly 300 people work there.", "nearly"),
    ("The plant employs 300 people.", None),
])
def test_qualifiers(extract, text, qualifier):
    assert only(extract(text)).qualifier == qualifier


# --- signs --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("Industrial output decreased by 2.3 percent in 2020.", "-2.3"),
    ("Exports fell by 4.1% in 2016.", "-4.1"),
    ("Imports declined by 12 billion tenge in 2016.", "-12000000000"),
    ("Industrial output increased by 2.3 percent in 2020.", "2.3"),
])
def test_decreases_are_negative_changes(extract, text, value):
    o = only(extract(text))
    assert o.value == Decimal(value)
    assert o.kind == "change"


def test_a_multiple_is_never_negative(extract):
    o = only(extract("The number of accidents decreased 3 times in 2021."))
    assert (o.value, o.unit) == (3, "times")


# --- kinds -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, kind", [
    ("The volume of investments reached 27.1 trillion tenge in 2019.", "actual"),
    ("Industrial output increased by 2.3 percent in 2020.", "change"),
    ("It is planned to attract 500 billion tenge of investment in 2024.", "plan"),
    ("For 2025-2029 the plan envisages 1.5 trillion tenge of investment.", "plan"),
    ("By 2030 the share of manufacturing in GDP will reach 15%.", "target"),
    ("The target is to raise the share of manufacturing to 15% by 2030.", "target"),
    ("By 2030 the export of machine-building products will double.", "target"),
])
def test_kinds(extract, text, kind):
    assert only(extract(text)).kind == kind


def test_value_to_reach_by_a_horizon_is_a_target(extract):
    o = only(extract("By 2030 the share of manufacturing in GDP should reach 15%."))
    assert o.kind == "target"


@pytest.mark.parametrize("text, measure", [
    ("Industrial output increased by 2.3 percent in 2020.", "percentChange"),
    ("The share of SMEs in GDP reached 36.5 percent of the total.", "share"),
    ("Imports declined by 12 billion tenge in 2016.", "absoluteChange"),
    ("The volume of investments reached 27.1 trillion tenge in 2019.", "level"),
])
def test_measures(extract, text, measure):
    assert only(extract(text)).measure == measure


def test_change_against_a_base_year(extract):
    o = only(extract("Exports grew by 12.5% against 2021."))
    assert o.kind == "change"
    assert o.base_period is not None and o.base_period.label == "2021"
    assert o.period is None  # the base year is not the period of the figure


# --- periods ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, label", [
    ("The volume of investments reached 27.1 trillion tenge in 2019.", "2019"),
    ("In 9 months of 2020 the region produced goods worth 300 billion tenge.", "2020-01/2020-09"),
    ("In the first nine months of 2021 exports reached 2 billion dollars.", "2021-01/2021-09"),
    ("From January to June 2022 exports reached 4.2 billion dollars.", "2022-01/2022-06"),
    ("In the first half of 2017 investments grew by 8.4%.", "2017-01/2017-06"),
    ("In the second half of 2018 investments grew by 6.1%.", "2018-07/2018-12"),
    ("In the second quarter of 2023 output grew by 3%.", "2023-04/2023-06"),
    ("For 2025-2029 the plan envisages 1.5 trillion tenge of investment.", "2025-2029"),
    ("By 2030 the share of manufacturing in GDP will reach 15%.", "2030"),
    ("Tax revenues grew by 2.5 times in 2015-2019.", "2015-2019"),
    ("In 2022, growth amounted to 3.1 percent.", "2022"),
])
def test_periods(extract, text, label):
    o = only(extract(text))
    assert o.period is not None and o.period.label == label


def test_period_dates(extract):
    o = only(extract("In 9 months of 2020 the region produced goods worth 300 billion tenge."))
    assert (o.period.start.isoformat(), o.period.end.isoformat()) == ("2020-01-01", "2020-09-30")


def test_this_year_and_last_year_need_the_reported_year(extract):
    head = "Aktobe output report\n14.02.2024 10:00\n"
    x = extract(head + "This year the region will invest 90 billion tenge. Last year it invested "
                       "70 billion tenge.\n")
    assert [o.period.label for o in x.observations] == ["2024", "2023"]
    undated = extract("This year the region will invest 90 billion tenge.")
    assert only(undated).period is None


def test_figure_without_a_period(extract):
    assert only(extract("The plant employs 300 people.")).period is None


# --- not figures ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The plant opened in 2019.",
    "The program was adopted in 2019 and will run for 10 months.",
    "Construction will take two and a half years.",
    "The EXPO-2027 exhibition will be held in the capital.",
    "On March 3 the akim opened the plant.",
    "The plant opened on 3 March, the 5th workshop in the region.",
    "The region ranks 2nd in the country.",
    "The forum took place on 12 October 2022 in Aktau.",
    "The 4G network covers the district.",
])
def test_not_figures(extract, text):
    assert extract(text).observations == []


def test_year_before_a_word_number_is_not_a_count(extract):
    o = only(extract("In 2021 nine projects were launched in the region."))
    assert (o.value, o.counted) == (9, "projects")


def test_year_before_a_digit_count_is_not_a_count(extract):
    o = only(extract("In 2021 9 projects were launched."))
    assert (o.value, o.counted, o.period.label) == (9, "projects", "2021")


def test_figure_in_a_headline_repeated_in_the_body_is_one_figure(extract):
    x = extract("Aktobe plant to create 450 jobs\n"
                "The new ferroalloy plant in Aktobe will create 450 jobs, the akimat said.\n")
    assert [(o.value, o.counted) for o in x.observations] == [(450, "jobs")]
    assert x.observations[0].span.start > x.doc.title_span[1]


# --- context -------------------------------------------------------------------------------------------

def test_area_is_the_place_named_in_the_sentence(extract):
    x = extract("In Pavlodar region investments grew by 5% in 2022.")
    assert x.entities[only(x).area].name == "Pavlodar region"


def test_area_defaults_to_the_country(extract):
    x = extract("Investments grew by 5% in 2022.")
    assert x.entities[only(x).area].name == "Kazakhstan"


def test_stated_by_the_speaker(extract):
    x = extract("Minister of Energy Nurlan Zhaksybekov said that output grew by 4% in 2023.")
    o = only(x)
    assert x.entities[o.stated_by].name == "Nurlan Zhaksybekov"


def test_figure_spans_are_offsets_into_the_text(extract):
    text = ("Aktobe plant report\nThe plant in Aktobe produced 45,000 tons of chrome in 2023, and "
            "its exports grew by 7.5% to $ 120 million.\n")
    x = extract(text)
    assert len(x.observations) == 3
    for o in x.observations:
        assert text[o.span.start:o.span.end] == o.span.text
