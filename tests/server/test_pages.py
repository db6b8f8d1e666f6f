"""Entity IRIs dereference (303) to pages and data; pages show labels, evidence, provenance."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pyoxigraph as ox
import pytest
from bs4 import BeautifulSoup

AKHMETOV = "https://w3id.org/kazkg/id/person/serik-akhmetov"
RDF_TYPES = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return BeautifulSoup(response.data, "html.parser")


# --- dereferencing -------------------------------------------------------------------------------


def test_entity_iri_redirects_browsers_to_the_page(client):
    r = client.get(
        "/id/person/serik-akhmetov", headers={"Accept": "text/html,application/xhtml+xml"}
    )
    assert r.status_code == 303
    assert r.headers["Location"].endswith("/page/person/serik-akhmetov")
    assert "Accept" in r.headers["Vary"]


@pytest.mark.parametrize("suffix", sorted(RDF_TYPES))
def test_entity_iri_redirects_rdf_clients_to_the_data_they_accept(client, suffix):
    media, fmt = RDF_TYPES[suffix]
    r = client.get("/id/person/serik-akhmetov", headers={"Accept": media})
    assert r.status_code == 303
    assert r.headers["Location"].endswith(f"/data/person/serik-akhmetov.{suffix}")
    data = client.get(r.headers["Location"])
    assert data.mimetype == media
    triples = {(t.subject, t.predicate, t.object) for t in ox.parse(data.data, format=fmt)}
    assert (
        ox.NamedNode(AKHMETOV),
        ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
        ox.Literal("Serik Akhmetov", language="en"),
    ) in triples


def test_data_without_suffix_negotiates(client):
    r = client.get("/data/person/serik-akhmetov", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.mimetype == "application/n-triples"


def test_unacceptable_type_is_406(client):
    assert (
        client.get("/id/person/serik-akhmetov", headers={"Accept": "image/png"}).status_code == 406
    )


def test_pages_carry_link_alternate_to_their_rdf_forms(client):
    r = client.get("/page/person/serik-akhmetov")
    links = r.headers.get_all("Link")
    for suffix, (media, _) in RDF_TYPES.items():
        assert f'</data/person/serik-akhmetov.{suffix}>; rel="alternate"; type="{media}"' in links
    soup = soup_of(r)
    assert {link["type"] for link in soup.select('head link[rel="alternate"]')} == {
        m for m, _ in RDF_TYPES.values()
    }


def test_unknown_iri_is_a_helpful_404_with_guesses(client):
    r = client.get("/id/person/serik-ahmetov", headers={"Accept": "text/html"})
    assert r.status_code == 404
    text = r.get_data(as_text=True)
    assert "Nothing in this dataset is known as" in text
    soup = BeautifulSoup(text, "html.parser")
    assert soup.find("a", href="/page/person/serik-akhmetov"), "the 404 suggests the likely entity"
    assert soup.find("input", attrs={"name": "q"})


def test_unknown_iri_is_a_404_for_rdf_clients_too(client):
    r = client.get("/id/person/nobody-at-all", headers={"Accept": "text/turtle"})
    assert r.status_code == 404


def test_the_ontology_and_its_terms_dereference(client):
    html = client.get("/ontology", headers={"Accept": "text/html"})
    assert html.status_code == 200 and BeautifulSoup(html.data, "html.parser").find(id="Person")
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle"
    assert any(
        t.subject == ox.NamedNode("https://w3id.org/kazkg/ontology#Person")
        for t in ox.parse(turtle.data, format=ox.RdfFormat.TURTLE)
    )
    # an entity's type links to the term's section of the ontology page
    soup = soup_of(client.get("/page/person/serik-akhmetov"))
    assert soup.select_one(".types a.type")["href"] == "/ontology#Person"


def test_resource_page_serves_any_iri_and_redirects_own_ones(client):
    r = client.get("/resource", query_string={"iri": AKHMETOV})
    assert r.status_code == 301 and r.headers["Location"].endswith("/page/person/serik-akhmetov")
    assert client.get("/resource", query_string={"iri": "not an iri"}).status_code == 400


# --- entity pages --------------------------------------------------------------------------------


def test_entity_page_shows_label_and_links(client):
    soup = soup_of(client.get("/page/place/astana"))
    assert soup.h1.get_text(strip=True) == "Astana"
    links = {a["href"] for a in soup.select("table.statements a")}
    assert "/page/place/kazakhstan" in links  # located in
    assert any(
        href.startswith("/page/doc/")
        for href in soup.select_one("#h-mentions").find_parent("section").find_all("a", href=True)
        for href in [href["href"]]
    )


def test_labels_follow_the_chosen_language_with_fallback(client):
    ru = soup_of(client.get("/page/person/serik-akhmetov?lang=ru"))
    assert ru.h1.get_text(strip=True) == "Серик Ахметов" and ru.h1["lang"] == "ru"
    kk = soup_of(client.get("/page/person/serik-akhmetov?lang=kk"))
    assert kk.h1.get_text(strip=True) == "Serik Akhmetov"  # no Kazakh label: English
    assert soup_of(client.get("/page/place/astana?lang=kk")).h1.get_text(strip=True) == "Астана"


def test_the_language_switch_remembers_the_choice(client):
    r = client.get("/lang?set=ru&next=/page/person/serik-akhmetov")
    assert r.status_code == 303 and r.headers["Location"].endswith("/page/person/serik-akhmetov")
    assert "lang=ru" in r.headers["Set-Cookie"]
    assert (
        soup_of(client.get("/page/person/serik-akhmetov")).h1.get_text(strip=True)
        == "Серик Ахметов"
    )
    client.get("/lang?set=en&next=/")
    assert client.get("/lang?set=kk&next=https://evil.example/").headers["Location"].endswith("/")


def test_properties_are_labelled_not_raw_iris(client):
    soup = soup_of(client.get("/page/place/karaganda-region"))
    headers = [
        th.get_text(" ", strip=True) for th in soup.select("table.statements th[scope=rowgroup]")
    ]
    assert "located in" in " ".join(headers)
    assert not any(h.startswith("http") for h in headers)


def test_types_and_alternative_names(client):
    soup = soup_of(client.get("/page/person/serik-akhmetov"))
    assert [a.get_text(strip=True) for a in soup.select(".types > a.type")] == ["Person"]
    names = soup.select_one("#h-names").find_parent("section").get_text(" ", strip=True)
    assert "Serik Ahmetov" in names and "Серик Ахметов" in names and "S.Akhmetov" in names


def test_dated_names_are_listed_with_their_periods(client):
    names = soup_of(client.get("/page/place/astana")).select_one("#h-names").find_parent("section")
    row = next(tr for tr in names.select("tr") if "Nur-Sultan" in tr.get_text())
    assert "2019-03-23" in row.get_text() and "2022-09-18" in row.get_text()


def test_facts_carry_evidence_linking_to_the_highlighted_span(client):
    soup = soup_of(client.get("/page/person/serik-akhmetov"))
    quotes = soup.select("blockquote.evidence a[href*='#char=']")
    assert quotes
    href = next(a["href"] for a in quotes if "000_14161995b5d2d40a" in a["href"])
    page, _, anchor = href.partition("#")
    doc = soup_of(client.get(page))
    target = doc.find(id=anchor)
    assert target is not None and "Serik Akhmetov" in target.get_text()


def test_asserted_and_inferred_statements_are_told_apart(client):
    soup = soup_of(client.get("/page/person/serik-akhmetov"))
    inferred = soup.select("details.inferred-block tr.inferred")
    assert any("Prime Minister" in tr.get_text() for tr in inferred)  # holds post: a property chain
    assert soup.select("table.statements .badge.asserted")
    assert soup.select(".badge.curated")
    hidden = soup_of(client.get("/page/person/serik-akhmetov?inferred=hide"))
    assert not hidden.select("tr.inferred")


def test_statements_name_the_articles_that_state_them(client):
    soup = soup_of(client.get("/page/org/government-of-kazakhstan"))
    row = next(
        tr
        for tr in soup.select("table.statements tr")
        if "Government of the Republic" not in tr.get_text()
        and tr.select(".sources a[href^='/page/doc/']")
    )
    assert row.select_one(".badge.asserted")


def test_incoming_links_have_counts_and_pages(client):
    soup = soup_of(client.get("/page/place/kazakhstan"))
    more = [a for a in soup.select("table.statements a") if a.get_text().startswith("all ")]
    assert more, "high-degree inbound properties link to a paged list"
    first = client.get(more[0]["href"])
    assert first.status_code == 200
    total = int(more[0].get_text().split()[1])
    listed = soup_of(first).select("ul.members li")
    assert len(listed) == min(total, 100)


def test_inbound_links_are_paged_by_a_cursor(client):
    # 100+ organizations are typed kz:Organization: two pages
    iri = "https://w3id.org/kazkg/ontology#Organization"
    prop = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    page1 = soup_of(client.get("/links", query_string={"iri": iri, "p": prop}))
    first = [a["href"] for a in page1.select("ul.members a")]
    assert len(first) == 100
    next_link = page1.find("a", rel="next")
    page2 = soup_of(client.get(next_link["href"]))
    second = [a["href"] for a in page2.select("ul.members a")]
    assert second and not set(first) & set(second)


def test_open_in_sparql_gives_a_ready_query_for_this_entity(client):
    soup = soup_of(client.get("/page/person/serik-akhmetov"))
    href = soup.find("a", string="open in SPARQL")["href"]
    query = parse_qs(urlsplit(href).query)["q"][0]
    assert f"<{AKHMETOV}>" in unquote(query)
    r = client.get(
        "/sparql",
        query_string={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    rows = r.get_json(force=True)["results"]["bindings"]
    assert {row["how"]["value"] for row in rows} == {"asserted", "inferred"}
    assert any(row.get("document") for row in rows)


def test_fact_nodes_show_what_they_were_read_from(client):
    soup = soup_of(client.get("/page/tenure/000_14161995b5d2d40a-1"))
    read_from = soup.select_one("#h-evidence").find_parent("section")
    assert "Prime Minister of Kazakhstan Serik Akhmetov" in read_from.get_text()


def test_home_page_has_counts_and_entry_points(client):
    soup = soup_of(client.get("/"))
    stats = {
        dt.get_text(strip=True): int(dd.get_text(strip=True))
        for dt, dd in zip(soup.select("dl.stats dt"), soup.select("dl.stats dd"), strict=True)
    }
    assert stats["News article"] == 5
    assert stats["Person"] >= 14
    assert stats["Statements"] > 1000
    for href in (
        "/sparql",
        "/programs",
        "/officials",
        "/organizations",
        "/regions",
        "/indicators",
        "/projects",
        "/meetings",
        "/documents",
        "/downloads",
        "/asof",
        "/report",
    ):
        assert soup.find("a", href=href), href
    assert soup.select_one("input[data-suggest]")
