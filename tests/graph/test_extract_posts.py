"""Posts read from titles: role slug, organization and place of every title shape."""

from __future__ import annotations

import pytest

from .conftest import posts_as_tuples

REF = "https://w3id.org/kazkg/id/"
KZ = "Kazakhstan"


@pytest.mark.parametrize("text, expected", [
    ("Minister of Energy Nurlan Zhaksybekov said the plant will open in June.",
     ("Nurlan Zhaksybekov", "minister", "Ministry of Energy", KZ)),
    ("Minister of Trade and Integration Aida Bekova said exports grew.",
     ("Aida Bekova", "minister", "Ministry of Trade and Integration", KZ)),
    ("Minister of Energy of the Republic of Kazakhstan Nurlan Zhaksybekov said output grew.",
     ("Nurlan Zhaksybekov", "minister", "Ministry of Energy", "Republic of Kazakhstan")),
    ("Vice Minister of Industry and Construction Aidos Temirov said output grew.",
     ("Aidos Temirov", "vice-minister", "Ministry of Industry and Construction", KZ)),
    ("The akim of Pavlodar region Yerlan Sarsenov said the plant will open in June.",
     ("Yerlan Sarsenov", "akim", "Akimat of Pavlodar region", "Pavlodar region")),
    ("Akim of Almaty city Yerlan Sarsenov opened the plant.",
     ("Yerlan Sarsenov", "akim", "Akimat of Almaty city", "Almaty city")),
    ("Prime Minister of Kazakhstan Olzhas Bektenov said exports grew.",
     ("Olzhas Bektenov", "prime-minister", "Government of Kazakhstan", KZ)),
    ("First Deputy Prime Minister Roman Sklyar chaired the meeting.",
     ("Roman Sklyar", "first-deputy-prime-minister", "Government of Kazakhstan", KZ)),
    ("Head of State Kassym-Jomart Tokayev visited the plant.",
     ("Kassym-Jomart Tokayev", "president", "Presidency of Kazakhstan", KZ)),
    ("President Kassym-Jomart Tokayev visited the plant.",
     ("Kassym-Jomart Tokayev", "president", "Presidency of Kazakhstan", KZ)),
    ("East Kazakhstan region Governor Daniyar Kassenov opened the plant.",
     ("Daniyar Kassenov", "akim", "Akimat of East Kazakhstan region", "East Kazakhstan region")),
    ("Akim (governor) of Kostanay region Yerlan Sarsenov opened the plant.",
     ("Yerlan Sarsenov", "akim", "Akimat of Kostanay region", "Kostanay region")),
    ("Shymkent's akim Marat Ospanov opened the plant.",
     ("Marat Ospanov", "akim", "Akimat of Shymkent", "Shymkent")),
    ("Aida Bekova, Minister of Trade and Integration, said exports grew.",
     ("Aida Bekova", "minister", "Ministry of Trade and Integration", KZ)),
], ids=["minister", "minister-and", "minister-of-republic", "vice-minister", "akim-region", "akim-city",
        "prime-minister", "first-deputy-pm", "head-of-state", "president", "place-governor", "akim-gloss",
        "possessive-akim", "apposition"])
def test_title_shapes(extract, text, expected):
    x = extract(text)
    assert posts_as_tuples(x) == {expected}


def test_post_organizations_are_reference_entities(extract):
    x = extract("Minister of Energy Nurlan Zhaksybekov and akim of Pavlodar region Yerlan Sarsenov "
                "opened the plant.")
    refs = {x.entities[p.organization].reference for p in x.posts}
    assert refs == {REF + "org/ministry-of-energy", REF + "org/akimat-of-pavlodar-region"}
    assert all(x.entities[p.organization].implied for p in x.posts)


def test_deputy_prime_minister_and_minister_is_two_posts(extract):
    x = extract("Deputy Prime Minister – Minister of Trade and Integration Aida Bekova said exports grew.")
    assert posts_as_tuples(x) == {
        ("Aida Bekova", "minister", "Ministry of Trade and Integration", KZ),
        ("Aida Bekova", "deputy-prime-minister", "Government of Kazakhstan", KZ),
    }


def test_vice_prime_minister_dash_minister_becomes_deputy_prime_minister(extract):
    x = extract("Vice Minister — Minister of National Economy Aida Bekova presented the forecast.")
    roles = {p[1] for p in posts_as_tuples(x)}
    assert roles == {"minister", "deputy-prime-minister"}


def test_list_of_ministers_and_akims(extract):
    x = extract("The Ministers of Energy Nurlan Zhaksybekov, Agriculture — Aidos Temirov, akims of "
                "Kostanay region Yerlan Sarsenov, Atyrau region — Marat Ospanov reported on the results.")
    assert posts_as_tuples(x) == {
        ("Nurlan Zhaksybekov", "minister", "Ministry of Energy", KZ),
        ("Aidos Temirov", "minister", "Ministry of Agriculture", KZ),
        ("Yerlan Sarsenov", "akim", "Akimat of Kostanay region", "Kostanay region"),
        ("Marat Ospanov", "akim", "Akimat of Atyrau region", "Atyrau region"),
    }


def test_akim_of_the_region_is_the_article_s_region(extract):
    x = extract("Akim of the region Marat Ospanov said that Atyrau region attracted investments. "
                "Atyrau region is growing.")
    assert posts_as_tuples(x) == {("Marat Ospanov", "akim", "Akimat of Atyrau region", "Atyrau region")}


def test_the_city_s_akim_is_the_article_s_city(extract):
    x = extract("Shymkent hosted the forum. The city's akim Marat Ospanov opened it.")
    assert posts_as_tuples(x) == {("Marat Ospanov", "akim", "Akimat of Shymkent", "Shymkent")}


def test_akim_of_the_region_takes_the_most_mentioned_region(extract):
    x = extract("Investors from Pavlodar region visited Kostanay region. Kostanay region showed them two "
                "plants. Akim of the region Yerlan Sarsenov said Kostanay region needs more capital.")
    assert posts_as_tuples(x) == {("Yerlan Sarsenov", "akim", "Akimat of Kostanay region", "Kostanay region")}


def test_each_person_gets_the_title_before_them(extract):
    x = extract("Minister of National Economy Nurlan Zhaksybekov and Minister of Finance Aida Bekova "
                "made reports.")
    assert posts_as_tuples(x) == {
        ("Nurlan Zhaksybekov", "minister", "Ministry of National Economy", KZ),
        ("Aida Bekova", "minister", "Ministry of Finance", KZ),
    }


def test_chairman_of_a_named_company(extract):
    x = extract("Chairman of the Board of Kazakh Invest National Company Aidos Temirov said 20 projects "
                "are ready.")
    (post,) = x.posts
    assert post.role == "chairman-of-the-board"
    assert x.entities[post.organization].reference == REF + "org/kazakh-invest"


def test_post_span_and_stated_title(extract):
    text = "Minister of Energy Nurlan Zhaksybekov said the plant will open in June."
    x = extract(text)
    (post,) = x.posts
    assert post.stated_title == "Minister of Energy"
    assert post.span.text == "Minister of Energy Nurlan Zhaksybekov" == text[post.span.start:post.span.end]


def test_the_same_post_stated_twice_is_one_post(extract):
    x = extract("Minister of Energy Nurlan Zhaksybekov opened the plant. Later Minister of Energy "
                "Nurlan Zhaksybekov visited Ekibastuz.")
    assert len(x.posts) == 1


@pytest.mark.parametrize("text", [
    "Nurlan Zhaksybekov said the plant will open in June.",
    "The Ministry of Energy Nurlan Zhaksybekov said.",  # a ministry is not a title
    "Ministers discussed the plan with Nurlan Zhaksybekov.",
    "The minister praised Nurlan Zhaksybekov for the plant.",
])
def test_no_post_without_a_title_before_the_name(extract, text):
    assert extract(text).posts == []



# --- titles of other countries and of companies ------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("President of Tatarstan Rustam Minnikhanov visited the plant.",
     ("Rustam Minnikhanov", "president", "Presidency of Tatarstan", "Tatarstan")),
    ("The president of Hyundai Motor Company Lee Won-hee signed the agreement.",
     ("Lee Won-hee", "president", "Hyundai Motor Company", "South Korea")),
    ("Genertec president Lu Yimin signed the agreement.",
     ("Lu Yimin", "president", "Genertec", "China")),
    ("KAMAZ General Director Sergei Kogogin attended.",
     ("Sergei Kogogin", "director", "KAMAZ", "Russia")),
    ("Uzbek President Shavkat Mirziyoyev arrived in Astana.",
     ("Shavkat Mirziyoyev", "president", "Presidency of Uzbekistan", "Uzbekistan")),
    ("Deputy Minister of Industry and Trade of the Russian Federation Alexei Morozov spoke.",
     ("Alexei Morozov", "vice-minister", "Ministry of Industry and Trade of the Russian Federation",
      "Russian Federation")),
], ids=["president-of-region-abroad", "company-president", "prenominal-company", "prenominal-director",
        "demonym-president", "ministry-abroad"])
def test_foreign_and_company_heads(extract, text, expected):
    assert posts_as_tuples(extract(text)) == {expected}


@pytest.mark.parametrize("text", [
    "Russian Foreign Minister Sergei Lavrov arrived in Astana.",
    "Russian Deputy Prime Minister Alexei Overchuk came to Astana.",
    "Tecnotrade president Marco Ricci signed the agreement.",
])
def test_offices_of_unknown_or_foreign_owners_are_not_kazakh_posts(extract, text):
    assert posts_as_tuples(extract(text)) == set()


@pytest.mark.parametrize("text, expected", [
    ("Deputy Foreign Minister Roman Vassilenko met the delegation.",
     ("Roman Vassilenko", "vice-minister", "Ministry of Foreign Affairs", KZ)),
    ("Acting Finance Minister Yerulan Zhamaubayev presented the budget.",
     ("Yerulan Zhamaubayev", "minister", "Ministry of Finance", KZ)),
    ("Vice-Minister of Finance Berik Sholpankulov spoke.",
     ("Berik Sholpankulov", "vice-minister", "Ministry of Finance", KZ)),
    ("Minister of Energy N. Zhaksybekov said the plant will open.",
     ("Zhaksybekov", "minister", "Ministry of Energy", KZ)),
    ("The Ministry of Energy said its head Almassadam Satkaliyev visited the plant.",
     ("Almassadam Satkaliyev", "minister", "Ministry of Energy", KZ)),
    ("Head of the Presidential Administration Aslan Mussin spoke.",
     ("Aslan Mussin", "chairman", "Presidential Administration", KZ)),
    ("Vice-speaker of the Mazhilis Dariga Nazarbayeva said the law is ready.",
     ("Dariga Nazarbayeva", "deputy-speaker", "Mazhilis", KZ)),
], ids=["domain-deputy", "domain-acting", "hyphenated-title", "initials", "its-head", "head-of-named",
        "vice-speaker"])
def test_more_title_shapes(extract, text, expected):
    assert posts_as_tuples(extract(text)) == {expected}


def test_post_of_a_president_abroad_leaves_no_stray_country(extract):
    x = extract("Russian Foreign Minister Sergei Lavrov arrived in Astana.")
    assert [e.name for e in x.entities if e.kind == "place" and e.name == "Russia"] == []
