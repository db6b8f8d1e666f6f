"""The SPARQL endpoint answers SELECT queries in JSON and XML, over GET and POST."""

from __future__ import annotations

import xml.etree.ElementTree as ET

QUERY = """PREFIX kz: <https://w3id.org/kazkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?name WHERE { <https://w3id.org/kazkg/id/person/serik-akhmetov> skos:prefLabel ?name
                     FILTER (lang(?name) = "en") }"""


def test_get_select_json(client):
    r = client.get("/sparql", query_string={"query": QUERY},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert r.mimetype == "application/sparql-results+json"
    data = r.get_json(force=True)
    assert data["head"]["vars"] == ["name"]
    assert [b["name"]["value"] for b in data["results"]["bindings"]] == ["Serik Akhmetov"]


def test_post_form_select_xml(client):
    r = client.post("/sparql", data={"query": QUERY},
                    headers={"Accept": "application/sparql-results+xml"})
    assert r.status_code == 200
    assert r.mimetype == "application/sparql-results+xml"
    root = ET.fromstring(r.data)
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    assert [e.text for e in root.findall(".//s:literal", ns)] == ["Serik Akhmetov"]


def test_post_direct_query(client):
    r = client.post("/sparql", data=QUERY.encode(), content_type="application/sparql-query",
                    headers={"Accept": "application/json"})
    assert r.status_code == 200
    assert r.get_json(force=True)["results"]["bindings"][0]["name"]["value"] == "Serik Akhmetov"


def test_malformed_query_is_400_with_position(client):
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    assert "1:" in r.get_data(as_text=True)
