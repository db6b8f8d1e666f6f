"""Mentions and entities of one article: persons, organizations, places and programs."""

from __future__ import annotations

import pytest

from .conftest import entity_named, mention_texts, named

REF = "https://w3id.org/kazkg/id/"


# --- persons -----------------------------------------------------------------------------------------

def test_full_name_and_later_surname_are_one_person(extract):
    x = extract("Akim of Kostanay region Yerlan Sarsenov visited the car assembly plant on Monday. "
                "Sarsenov said the plant will produce 30,000 cars next year.")
    persons = named(x, "person")
    assert [p.name for p in persons] == ["Yerlan Sarsenov"]
    forms = {x.mentions[m].span.text: x.mentions[m].form for m in persons[0].mentions}
    assert forms == {"Yerlan Sarsenov": "name", "Sarsenov": "surname"}


@pytest.mark.parametrize("text, surname, form_text", [
    ("Deputy akim A. Zhumabekova presented the details of the project.", "Zhumabekova", "A. Zhumabekova"),
    ("The report was made by Zh.Omarov, head of the department.", "Omarov", "Zh.Omarov"),
    ("S.Temirkhanov said that the plant is ready.", "Temirkhanov", "S.Temirkhanov"),
])
def test_initials_forms_are_persons_named_by_their_surname(extract, text, surname, form_text):
    x = extract(text)
    persons = named(x, "person")
    assert [p.name for p in persons] == [surname]
    assert [(x.mentions[m].span.text, x.mentions[m].form) for m in persons[0].mentions] == [(form_text, "initials")]


def test_initials_form_joins_the_full_name_with_the_same_initial(extract):
    x = extract("Minister of Energy Nurlan Zhaksybekov opened the substation. "
                "N. Zhaksybekov noted that 300 people work there.")
    persons = named(x, "person")
    assert [p.name for p in persons] == ["Nurlan Zhaksybekov"]
    assert "N. Zhaksybekov" in mention_texts(x, persons[0])


def test_initials_form_with_another_initial_is_another_person(extract):
    x = extract("Minister of Energy Nurlan Zhaksybekov opened the substation. "
                "A. Zhaksybekov, his deputy, noted that 300 people work there.")
    assert len(named(x, "person")) == 2


def test_one_letter_typo_of_a_surname_is_the_same_person(extract):
    x = extract("Akim of Kostanay region Yerlan Sarsenov visited the plant on Monday. "
                "Sarsemov noted that 1,200 people work at the plant.")
    persons = named(x, "person")
    assert [p.name for p in persons] == ["Yerlan Sarsenov"]
    assert mention_texts(x, persons[0]) == ["Yerlan Sarsenov", "Sarsemov"]


def test_full_name_with_a_typo_in_the_surname_is_an_alias(extract):
    x = extract("The plant director Aigul Temirbayeva presented new models. "
                "Aigul Temirbaeyva added that exports grew.")
    persons = named(x, "person")
    assert len(persons) == 1
    forms = [x.mentions[m].form for m in persons[0].mentions]
    assert persons[0].name == "Aigul Temirbayeva" and forms == ["name", "alias"]


def test_same_surname_different_given_names_are_two_people(extract):
    x = extract("Minister of Finance Aida Bekova and her brother Marat Bekov, akim of Ekibastuz, "
                "met on Friday. Marat Bekov said the city needs a new plant.")
    assert sorted(p.name for p in named(x, "person")) == ["Aida Bekova", "Marat Bekov"]


def test_byline_is_a_person(extract):
    x = extract("Kostanay region expands car assembly\n\n"
                "The car assembly plant will produce 30,000 cars next year, the akimat said.\n\n"
                "By Dana Akhmetova\n")
    assert [p.name for p in named(x, "person")] == ["Dana Akhmetova"]


def test_sentence_openers_and_titles_are_not_names(extract):
    x = extract("Meanwhile Pavlodar Aluminium plans expansion. According to the Ministry of Energy, "
                "Prime Minister Olzhas Bektenov approved the plan.")
    assert [p.name for p in named(x, "person")] == ["Olzhas Bektenov"]


def test_adverb_before_a_surname_is_not_part_of_the_name(extract):
    x = extract("Akim of Kostanay region Yerlan Sarsenov visited the plant on Monday. "
                "Later Sarsemov noted that 1,200 people work at the plant.")
    assert [p.name for p in named(x, "person")] == ["Yerlan Sarsenov"]


# --- organizations ---------------------------------------------------------------------------------

def test_reference_ministry_by_its_name(extract):
    x = extract("The Ministry of Trade and Integration published new export rules on Monday.")
    org = entity_named(x, "org", "Ministry of Trade and Integration")
    assert org.subkind == "ministry"
    assert org.reference == REF + "org/ministry-of-trade-and-integration"


def test_x_ministry_and_ministry_of_x_are_one_organization(extract):
    x = extract("The Ministry of Trade and Integration signed a memorandum with the Regional Development "
                "Ministry. Later the Ministry of Regional Development published the text.")
    ministries = named(x, "org")
    assert len(ministries) == 2
    regional = entity_named(x, "org", "Regional Development Ministry")
    assert regional.reference == REF + "org/ministry-of-regional-development"
    assert mention_texts(x, regional) == ["Regional Development Ministry", "Ministry of Regional Development"]


def test_unknown_ministry_is_read_by_pattern(extract):
    x = extract("The Ministry of Mining and Metallurgy drafted a new code in 2023.")
    org = entity_named(x, "org", "Ministry of Mining and Metallurgy")
    assert org.subkind == "ministry" and org.reference is None


@pytest.mark.parametrize("text, first, second", [
    ("The Ministry of Trade and Integration and the Regional Development Ministry signed a memorandum.",
     "Ministry of Trade and Integration", "Regional Development Ministry"),
    ("The Association of Food Producers and the Union of Machine Builders of Kazakhstan supported the plan.",
     "Association of Food Producers", "Union of Machine Builders of Kazakhstan"),
])
def test_two_organizations_joined_by_and_the_are_two(extract, text, first, second):
    x = extract(text)
    assert {e.name for e in named(x, "org")} == {first, second}


def test_national_company_with_legal_form(extract):
    x = extract('JSC "NC "Kazakh Steppe Railways" will build a new line to Khorgos.')
    orgs = named(x, "org")
    assert len(orgs) == 1
    assert orgs[0].subkind == "national_company"
    assert "Kazakh Steppe Railways" in orgs[0].name


@pytest.mark.parametrize("text, name", [
    ('LLP "Irtysh Cement" invested 5 billion tenge in a new kiln.', "Irtysh Cement"),
    ('JSC "Aral Salt" will expand its plant.', "Aral Salt"),
    ('"Kokshe Agro" LLP opened a feed mill.', "Kokshe Agro"),
])
def test_companies_with_legal_forms(extract, text, name):
    x = extract(text)
    org = entity_named(x, "org", name)
    assert org.subkind == "company"


def test_akimats_of_several_regions_are_one_akimat_per_region(extract):
    x = extract("The akimats of Kostanay, Pavlodar and Atyrau regions reported on the progress.")
    akimats = [e for e in named(x, "org") if e.subkind == "akimat"]
    assert sorted(e.name for e in akimats) == [
        "Akimat of Atyrau region", "Akimat of Kostanay region", "Akimat of Pavlodar region"]
    # each akimat is mentioned by its region's name in the list
    assert sorted(t for e in akimats for t in mention_texts(x, e)) == ["Atyrau", "Kostanay", "Pavlodar"]


def test_akimat_of_one_region(extract):
    x = extract("The akimat of Mangystau region allocated land for the plant.")
    akimat = next(e for e in named(x, "org") if e.subkind == "akimat")
    assert akimat.name == "Akimat of Mangystau region"


def test_union_and_association(extract):
    x = extract("The Union of Machine Builders of Kazakhstan welcomed the decision. "
                "The Association of Food Producers of Zhetysu also supported it.")
    union = entity_named(x, "org", "Union of Machine Builders of Kazakhstan")
    assert union.subkind == "association"
    assert union.reference == REF + "org/union-of-machine-builders-of-kazakhstan"
    association = entity_named(x, "org", "Association of Food Producers of Zhetysu")
    assert association.reference is None


def test_government_mention_has_the_canonical_name(extract):
    x = extract("The Government approved the plan. Later the Government of Kazakhstan funded it.")
    gov = [e for e in named(x, "org") if e.subkind == "government"]
    assert len(gov) == 1 and gov[0].name == "Government of Kazakhstan"
    assert gov[0].reference == REF + "org/government-of-kazakhstan"
    assert mention_texts(x, gov[0]) == ["Government", "Government of Kazakhstan"]


def test_government_and_kazakh_government_are_one_entity(extract):
    x = extract("The Government approved the plan. The Kazakh Government will fund it.")
    gov = [e for e in named(x, "org") if e.subkind == "government"]
    assert len(gov) == 1


# --- places ----------------------------------------------------------------------------------------

def test_region_from_reference(extract):
    x = extract("Investments in Mangystau region grew last year.")
    region = entity_named(x, "place", "Mangystau region")
    assert region.subkind == "region" and region.reference == REF + "place/mangystau-region"


def test_enumerated_regions_are_one_place_each(extract):
    x = extract("Factories were opened in Kostanay, Pavlodar and Atyrau regions.")
    regions = named(x, "place")
    assert sorted(e.name for e in regions) == ["Atyrau region", "Kostanay region", "Pavlodar region"]
    assert all(e.subkind == "region" for e in regions)


def test_enumerated_region_is_not_the_city_of_the_same_name(extract):
    x = extract("Factories were opened in Karaganda and Aktobe regions.")
    assert {(e.name, e.subkind) for e in named(x, "place")} == {
        ("Karaganda region", "region"), ("Aktobe region", "region")}


@pytest.mark.parametrize("text, name, iri", [
    ("A new plant in Ekibastuz started work.", "Ekibastuz", "place/ekibastuz"),
    ("A warehouse in Aktau city opened.", "Aktau city", "place/aktau"),
    ("The plant in Oskemen produces titanium.", "Oskemen", "place/ust-kamenogorsk"),
    ("Investors visited Nur-Sultan in May.", "Nur-Sultan", "place/astana"),
])
def test_cities_from_reference_data(extract, text, name, iri):
    x = extract(text)
    place = entity_named(x, "place", name)
    assert place.reference == REF + iri


def test_city_and_its_alias_in_one_article_are_one_place(extract):
    x = extract("A warehouse in Aktau city opened. Aktau will also get a new port terminal.")
    places = named(x, "place")
    assert len(places) == 1 and mention_texts(x, places[0]) == ["Aktau city", "Aktau"]


def test_industrial_zone_is_a_place(extract):
    x = extract("The Zhanatas industrial zone has 12 resident companies.")
    zone = entity_named(x, "place", "Zhanatas industrial zone")
    assert zone.subkind == "other"


def test_town_inside_an_industrial_zone_name_is_also_a_place(extract):
    x = extract("The Taldykorgan industrial zone attracted two investors.")
    names = {e.name for e in named(x, "place")}
    assert names == {"Taldykorgan industrial zone", "Taldykorgan"}


# --- programs ----------------------------------------------------------------------------------------

def test_reference_state_program_with_years(extract):
    x = extract("The State Program of Industrial-Innovative Development for 2020-2025 was discussed.")
    program = entity_named(x, "program", "State Program of Industrial-Innovative Development for 2020-2025")
    assert program.subkind == "state_program"
    assert program.reference == REF + "program/state-program-of-industrial-innovative-development-for-2020-2025"


def test_unknown_state_program_with_years_and_its_anaphor(extract):
    x = extract("The government adopted the State Program of Agro-Industrial Modernization for 2021-2025. "
                "Under the program, 40 plants will be built.")
    programs = named(x, "program")
    assert len(programs) == 1
    assert programs[0].name == "State Program of Agro-Industrial Modernization for 2021-2025"
    assert [x.mentions[m].form for m in programs[0].mentions] == ["name", "anaphor"]


def test_comprehensive_plan(extract):
    x = extract("The Comprehensive Plan for the Development of the Light Industry for 2023-2027 was approved.")
    plan = entity_named(x, "program", "Comprehensive Plan for the Development of the Light Industry for 2023-2027")
    assert plan.subkind == "comprehensive_plan"


def test_the_map_refers_to_the_industrialization_map(extract):
    x = extract("The Industrialization Map includes 120 projects. In 2024, 20 projects of the Map were "
                "commissioned.")
    maps = named(x, "program")
    assert len(maps) == 1 and maps[0].reference == REF + "program/industrialization-map"
    assert [(x.mentions[m].span.text, x.mentions[m].form) for m in maps[0].mentions] == [
        ("Industrialization Map", "name"), ("Map", "anaphor")]


def test_sentence_initial_the_map_refers_to_the_map(extract):
    x = extract("The Industrialization Map includes 120 projects. The Map will be updated next year.")
    maps = named(x, "program")
    assert len(maps[0].mentions) == 2


def test_the_map_is_not_the_program_it_belongs_to(extract):
    x = extract("The State Program of Industrial-Innovative Development for 2015-2019 is implemented "
                "through the Industrialization Map.")
    assert {e.subkind for e in named(x, "program")} == {"state_program", "project_map"}
    assert len(named(x, "program")) == 2


def test_program_named_loosely_in_the_headline_is_the_one_in_the_body(extract):
    x = extract("Comprehensive Light Industry Plan approved\n"
                "The Government approved the Comprehensive Plan for the Development of the Light Industry "
                "for 2023-2027 on Tuesday.\n")
    programs = named(x, "program")
    assert len(programs) == 1
    assert programs[0].name == "Comprehensive Plan for the Development of the Light Industry for 2023-2027"
    assert len(programs[0].mentions) == 2


def test_mention_spans_are_offsets_into_the_text(extract):
    text = ("Akim of Kostanay region Yerlan Sarsenov met the Union of Machine Builders of Kazakhstan "
            "in Rudny.")
    x = extract(text)
    assert x.mentions
    for m in x.mentions:
        assert text[m.span.start:m.span.end] == m.span.text
        s, e = x.sentences[m.span.sentence]
        assert s <= m.span.start < e
