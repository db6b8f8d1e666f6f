"""The ontology is browsable at /ontology and its IRI dereferences to RDF by content negotiation."""

from __future__ import annotations

import pyoxigraph as ox
from bs4 import BeautifulSoup


def test_ontology_page_documents_every_class_and_property(client):
    r = client.get("/ontology", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    soup = BeautifulSoup(r.data, "html.parser")
    anchors = {s["id"] for s in soup.select("section.term")}
    assert {"Person", "Tenure", "IndicatorObservation", "holdsPost", "locatedIn"} <= anchors
    person = soup.find("section", id="Person")
    assert "foaf:Person" in person.get_text() and "schema:Person" in person.get_text()
    holds = soup.find("section", id="holdsPost").get_text()
    assert "chain" in holds and "org:holds" in holds
    assert 'rel="alternate"' in r.headers.get("Link", "")


def test_ontology_iri_negotiates_rdf(client):
    for accept, fmt in (("text/turtle", ox.RdfFormat.TURTLE), ("application/ld+json", ox.RdfFormat.JSON_LD),
                        ("application/rdf+xml", ox.RdfFormat.RDF_XML)):
        r = client.get("/ontology", headers={"Accept": accept})
        assert r.status_code == 200 and r.mimetype == accept
        triples = list(ox.parse(r.data, format=fmt))
        assert any(t.subject.value == "https://w3id.org/kazkg/ontology#Person" for t in triples)
    assert client.get("/ontology", headers={"Accept": "image/png"}).status_code == 406


def test_ontology_terms_link_from_entity_pages(client):
    r = client.get("/page/person/serik-akhmetov")
    assert b'href="/ontology#Person"' in r.data
