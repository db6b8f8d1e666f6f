"""Entity IRIs dereference to pages that show the label and link to other entities."""

from __future__ import annotations

from bs4 import BeautifulSoup


def test_entity_iri_redirects_browsers_to_the_page(client):
    r = client.get("/id/person/serik-akhmetov", headers={"Accept": "text/html"})
    assert r.status_code == 303
    assert r.headers["Location"].endswith("/page/person/serik-akhmetov")


def test_entity_iri_redirects_rdf_clients_to_data(client):
    r = client.get("/id/person/serik-akhmetov", headers={"Accept": "text/turtle"})
    assert r.status_code == 303
    assert r.headers["Location"].endswith("/data/person/serik-akhmetov.ttl")
    data = client.get(r.headers["Location"])
    assert data.mimetype == "text/turtle"
    assert b"Serik Akhmetov" in data.data


def test_entity_page_shows_label_and_links(client):
    r = client.get("/page/place/astana")
    assert r.status_code == 200
    soup = BeautifulSoup(r.data, "html.parser")
    assert soup.h1.get_text(strip=True) == "Astana"
    links = {a["href"] for a in soup.select("table.statements a")}
    assert "/page/place/kazakhstan" in links  # located in
    assert any(href.startswith("/page/doc/") for href in links)  # mentioned in documents


def test_unknown_iri_is_a_helpful_404(client):
    r = client.get("/id/person/nobody-at-all", headers={"Accept": "text/html"})
    assert r.status_code == 404
    assert b"Nothing in this dataset is known as" in r.data


def test_home_page_has_counts_and_entry_points(client):
    r = client.get("/")
    assert r.status_code == 200
    soup = BeautifulSoup(r.data, "html.parser")
    stats = {dt.get_text(strip=True): int(dd.get_text(strip=True))
             for dt, dd in zip(soup.select("dl.stats dt"), soup.select("dl.stats dd"))}
    assert stats["News Article"] == 5
    assert stats["Person"] >= 14
    assert soup.find("a", href="/sparql")
