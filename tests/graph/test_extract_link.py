"""Linking entities across articles: variants of one name, renamed places, reference entities and
the minted IRIs of unseen ones."""

from __future__ import annotations

import pytest

from graph.iris import Minter, slugify
from graph.link import link_documents

ID = "https://w3id.org/kazkg/id/"


@pytest.fixture(scope="module")
def link(resources, vocab):
    def run(*extractions):
        return link_documents(list(extractions), resources.gazetteer, Minter(vocab))
    return run


def iri_of(linking, x, kind, name):
    found = [e for e in x.entities if e.kind == kind and e.name == name]
    assert len(found) == 1, [e.name for e in x.entities if e.kind == kind]
    return linking.iri(x.doc.stem, found[0].id)


@pytest.mark.parametrize("first, second", [
    ("Aidos Kassymbekov", "Aidos Kasymbekov"),      # doubled letter
    ("Yerzhan Kydyrbayev", "Erzhan Kidirbaev"),     # y/i, ye/e and yev/ev
    ("Nurlan Zhaksybekov", "Nurlan Jaksybekov"),    # zh/j
    ("Saltanat Akhmediyarova", "Saltanat Ahmediarova"),  # kh/h, iya/ia
])
def test_transliteration_variants_are_one_person(extract, link, first, second):
    a = extract(f"Akim of Zhambyl region {first} opened a sugar plant on Monday.", "001_a.txt")
    b = extract(f"Akim of Zhambyl region {second} said the plant employs 400 people.", "002_b.txt")
    linking = link(a, b)
    assert iri_of(linking, a, "person", first) == iri_of(linking, b, "person", second) \
        == ID + "person/" + slugify(first)


def test_one_letter_surname_typo_with_the_same_given_name_is_one_person(extract, link):
    a = extract("Minister of Finance Dana Temirbayeva presented the budget.", "001_a.txt")
    b = extract("Minister of Finance Dana Temirbayeca said revenues grew.", "002_b.txt")
    linking = link(a, b)
    assert iri_of(linking, a, "person", "Dana Temirbayeva") == iri_of(linking, b, "person", "Dana Temirbayeca")


def test_different_given_names_with_one_surname_are_two_people(extract, link):
    a = extract("Minister of Finance Aida Bekova presented the budget.", "001_a.txt")
    b = extract("Minister of Finance Dana Bekova said revenues grew.", "002_b.txt")
    linking = link(a, b)
    assert iri_of(linking, a, "person", "Aida Bekova") != iri_of(linking, b, "person", "Dana Bekova")


def test_surname_alone_links_to_the_full_name_in_another_article(extract, link):
    # the surname-only article sorts first: full names are linked before surnames anyway
    a = extract("The plant was praised by the investors. Sarsenov said output grew by 8%.", "001_a.txt")
    b = extract("Akim of Pavlodar region Yerlan Sarsenov opened a ferroalloy plant.", "002_b.txt")
    linking = link(a, b)
    assert iri_of(linking, a, "person", "Sarsenov") == iri_of(linking, b, "person", "Yerlan Sarsenov") \
        == ID + "person/yerlan-sarsenov"


def test_ambiguous_surname_alone_is_not_linked(extract, link):
    a = extract("Minister of Finance Aida Bekova presented the budget.", "001_a.txt")
    b = extract("Akim Marat Bekov said revenues grew.", "002_b.txt")
    c = extract("The budget was approved. Bekova said it will grow.", "003_c.txt")
    linking = link(a, b, c)
    alone = iri_of(linking, c, "person", "Bekova")
    assert alone not in {iri_of(linking, a, "person", "Aida Bekova"), iri_of(linking, b, "person", "Marat Bekov")}


def test_nur_sultan_and_astana_are_one_place(extract, link):
    a = extract("Investors from Korea visited Nur-Sultan in 2021.", "001_a.txt")
    b = extract("A new bus plant will be built in Astana in 2024.", "002_b.txt")
    linking = link(a, b)
    assert iri_of(linking, a, "place", "Nur-Sultan") == iri_of(linking, b, "place", "Astana") == ID + "place/astana"
    assert linking.entities[ID + "place/astana"].name == "Astana"
    assert linking.entities[ID + "place/astana"].reference is True


def test_reference_person_keeps_the_reference_iri(extract, link):
    a = extract("Prime Minister Alikhan Smaiylov said exports grew.", "001_a.txt")
    b = extract("Prime Minister Alikhan Smailov chaired the session.", "002_b.txt")
    linking = link(a, b)
    iri = ID + "person/alikhan-smailov"
    assert iri_of(linking, a, "person", "Alikhan Smaiylov") == iri_of(linking, b, "person", "Alikhan Smailov") == iri
    linked = linking.entities[iri]
    assert linked.reference is True and linked.name == "Alikhan Smailov"


def test_reference_organization_across_name_forms(extract, link):
    a = extract("The Regional Development Ministry drafted the plan.", "001_a.txt")
    b = extract("Minister of Regional Development Marat Bekov presented it.", "002_b.txt")
    linking = link(a, b)
    iri = ID + "org/ministry-of-regional-development"
    assert iri_of(linking, a, "org", "Regional Development Ministry") == iri
    assert iri_of(linking, b, "org", "Ministry of Regional Development") == iri


def test_unseen_organization_in_two_articles_is_one_minted_entity(extract, link):
    a = extract('LLP "Irtysh Cement" invested 5 billion tenge in a new kiln.', "001_a.txt")
    b = extract('LLP "Irtysh Cement" hired 200 workers.', "002_b.txt")
    linking = link(a, b)
    iri = ID + "org/irtysh-cement"
    assert iri_of(linking, a, "org", "Irtysh Cement") == iri_of(linking, b, "org", "Irtysh Cement") == iri
    assert linking.entities[iri].reference is False


def test_minted_iri_is_the_slug_of_the_earliest_document_s_name(extract, link):
    early = extract("Akim of Pavlodar region Aidos Kasymbekov opened a plant.", "000_early.txt")
    late = extract("Akim of Pavlodar region Aidos Kassymbekov visited a mine.", "005_late.txt")
    assert iri_of(link(late, early), late, "person", "Aidos Kassymbekov") == ID + "person/aidos-kasymbekov"
    renamed_early = extract("Akim of Pavlodar region Aidos Kassymbekov visited a mine.", "000_early.txt")
    renamed_late = extract("Akim of Pavlodar region Aidos Kasymbekov opened a plant.", "005_late.txt")
    linking = link(renamed_early, renamed_late)
    assert iri_of(linking, renamed_late, "person", "Aidos Kasymbekov") == ID + "person/aidos-kassymbekov"


def test_minted_iris_are_stable_for_unchanged_input(extract, link):
    texts = [("001_a.txt", "Akim of Zhambyl region Yerzhan Kydyrbayev opened the Zhanatas industrial zone."),
             ("002_b.txt", 'Minister of Finance Dana Temirbayeva visited LLP "Irtysh Cement" in Semey.')]
    first = link(*[extract(t, n) for n, t in texts])
    again = link(*[extract(t, n) for n, t in reversed(texts)])
    assert first.iri_of == again.iri_of
    assert sorted(first.entities) == sorted(again.entities)


def test_adding_a_later_document_does_not_change_existing_iris(extract, link):
    a = extract("Akim of Zhambyl region Yerzhan Kydyrbayev opened a sugar plant.", "001_a.txt")
    b = extract('LLP "Irtysh Cement" hired 200 workers in Semey.', "002_b.txt")
    c = extract("Akim of Zhambyl region Erzhan Kidirbaev and Yerlan Sarsenov met.", "003_c.txt")
    before = link(a, b)
    after = link(a, b, c)
    for key, iri in before.iri_of.items():
        assert after.iri_of[key] == iri


def test_linked_entity_collects_every_name_seen(extract, link):
    a = extract("Akim of Zhambyl region Yerzhan Kydyrbayev opened a sugar plant.", "001_a.txt")
    b = extract("Akim of Zhambyl region Erzhan Kidirbaev said it employs 400 people.", "002_b.txt")
    linking = link(a, b)
    linked = linking.entities[ID + "person/yerzhan-kydyrbayev"]
    assert set(linked.names) == {"Yerzhan Kydyrbayev", "Erzhan Kidirbaev"}
    assert linked.first_seen == ("001_a.txt", next(e.id for e in a.entities if e.name == "Yerzhan Kydyrbayev"))


def test_preferred_name_of_a_minted_person_is_the_full_name(extract, link):
    a = extract("The plant was praised. Sarsenov said output grew by 8%.", "001_a.txt")
    b = extract("Sarsenov noted exports rose. Akim of Pavlodar region Yerlan Sarsenov opened a plant.",
                "002_b.txt")
    linking = link(a, b)
    assert linking.entities[ID + "person/yerlan-sarsenov"].name == "Yerlan Sarsenov"
