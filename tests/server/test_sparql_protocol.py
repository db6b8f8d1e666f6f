"""The SPARQL 1.1 Protocol as clients use it: request shapes, result formats, content negotiation,
the dataset, limits, self-description (service description, VoID) and the query UI."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
import rdflib

KZ = "https://w3id.org/kazkg/ontology#"
AKHMETOV = "https://w3id.org/kazkg/id/person/serik-akhmetov"
ASSERTED = "https://w3id.org/kazkg/graph/asserted"
INFERRED = "https://w3id.org/kazkg/graph/inferred"
PREFIXES = f"PREFIX kz: <{KZ}>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
NAME = PREFIXES + f'SELECT ?name WHERE {{ <{AKHMETOV}> skos:prefLabel ?name FILTER (lang(?name) = "en") }}'
ASK = PREFIXES + f"ASK {{ <{AKHMETOV}> a kz:Person }}"
CONSTRUCT = PREFIXES + f"CONSTRUCT {{ <{AKHMETOV}> skos:prefLabel ?n }} WHERE {{ <{AKHMETOV}> skos:prefLabel ?n }}"
SRJ = "application/sparql-results+json"
SRX = "application/sparql-results+xml"


def names_in(response) -> list[str]:
    return [b["name"]["value"] for b in json.loads(response.data)["results"]["bindings"]]


# --- request shapes ----------------------------------------------------------------------------

def test_get_post_form_and_post_direct_give_the_same_answer(client):
    get = client.get("/sparql", query_string={"query": NAME}, headers={"Accept": SRJ})
    form = client.post("/sparql", data={"query": NAME}, headers={"Accept": SRJ})
    direct = client.post("/sparql", data=NAME.encode(), content_type="application/sparql-query",
                         headers={"Accept": SRJ})
    assert names_in(get) == names_in(form) == names_in(direct) == ["Serik Akhmetov"]


def test_two_queries_in_one_request_are_refused(client):
    r = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert r.status_code == 400
    assert "exactly one 'query'" in r.get_data(as_text=True)


def test_query_in_body_and_url_at_once_is_refused(client):
    r = client.post("/sparql?query=ASK%7B%7D", data=b"ASK {}", content_type="application/sparql-query")
    assert r.status_code == 400


def test_unsupported_post_content_type_is_415(client):
    r = client.post("/sparql", data=b"ASK {}", content_type="text/plain")
    assert r.status_code == 415


def test_parameters_the_protocol_does_not_define_are_ignored(client):
    # SPARQLWrapper sends all three; an unknown parameter must not change the answer.
    r = client.get("/sparql", query_string={"query": NAME, "format": "json", "output": "json",
                                            "results": "json", "foo": "bar"})
    assert r.status_code == 200 and names_in(r) == ["Serik Akhmetov"]


@pytest.mark.parametrize("override, media", [("json", SRJ), ("xml", SRX), ("csv", "text/csv"),
                                             ("tsv", "text/tab-separated-values")])
def test_format_parameter_overrides_accept(client, override, media):
    r = client.get("/sparql", query_string={"query": NAME, "format": override},
                   headers={"Accept": "application/sparql-results+xml"})
    assert r.status_code == 200 and r.mimetype == media


def test_malformed_query_gets_400_with_the_parser_message_and_position(client):
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    text = r.get_data(as_text=True)
    assert "parse error" in text.lower() and "1:" in text


def test_query_that_is_not_utf8_is_400(client):
    r = client.post("/sparql", data=b"ASK { \xff }", content_type="application/sparql-query")
    assert r.status_code == 400 and "UTF-8" in r.get_data(as_text=True)


# --- result formats and content negotiation -------------------------------------------------------

def test_select_as_xml_csv_and_tsv(client):
    xml = client.get("/sparql", query_string={"query": NAME}, headers={"Accept": SRX})
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    assert [e.text for e in ET.fromstring(xml.data).findall(".//s:literal", ns)] == ["Serik Akhmetov"]
    csv_ = client.get("/sparql", query_string={"query": NAME}, headers={"Accept": "text/csv"})
    assert list(csv.reader(io.StringIO(csv_.get_data(as_text=True)))) == [["name"], ["Serik Akhmetov"]]
    tsv = client.get("/sparql", query_string={"query": NAME},
                     headers={"Accept": "text/tab-separated-values"})
    assert tsv.get_data(as_text=True).splitlines() == ["?name", '"Serik Akhmetov"@en']


@pytest.mark.parametrize("accept, media", [(SRJ, SRJ), (SRX, SRX), ("application/json", SRJ)])
def test_ask_formats(client, accept, media):
    r = client.get("/sparql", query_string={"query": ASK}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == media
    assert b"true" in r.data


@pytest.mark.parametrize("accept, fmt", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml")])
def test_construct_formats_parse_to_the_same_graph(client, accept, fmt):
    r = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept
    g = rdflib.Graph().parse(data=r.data, format=fmt)
    assert {str(o) for o in g.objects()} >= {"Serik Akhmetov"}


def test_construct_in_a_dataset_format_when_asked(client):
    for accept in ("application/trig", "application/n-quads"):
        r = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
        assert r.status_code == 200 and r.mimetype == accept


def test_q_values_and_wildcards_decide(client):
    r = client.get("/sparql", query_string={"query": NAME},
                   headers={"Accept": "text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1"})
    assert r.mimetype == SRX
    r = client.get("/sparql", query_string={"query": NAME}, headers={"Accept": "text/*"})
    assert r.mimetype in ("text/csv", "text/tab-separated-values")
    r = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": "*/*"})
    assert r.mimetype == "text/turtle"


def test_nothing_acceptable_is_406_with_the_offered_types(client):
    r = client.get("/sparql", query_string={"query": NAME}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert SRJ in r.get_data(as_text=True)


def test_responses_vary_on_accept(client):
    r = client.get("/sparql", query_string={"query": NAME}, headers={"Accept": SRJ})
    assert "Accept" in r.headers["Vary"]


def test_describe_is_the_concise_bounded_description_both_ways(client, store):
    r = client.get("/sparql", query_string={"query": f"DESCRIBE <{AKHMETOV}>"},
                   headers={"Accept": "application/n-triples"})
    g = rdflib.Graph().parse(data=r.data, format="nt")
    node = rdflib.URIRef(AKHMETOV)
    assert (node, None, None) in g, "outgoing triples"
    assert (None, None, node) in g, "incoming triples"


# --- the dataset ------------------------------------------------------------------------------------

def count(client, query: str, **params) -> int:
    r = client.get("/sparql", query_string={"query": query, **params}, headers={"Accept": SRJ})
    assert r.status_code == 200, r.get_data(as_text=True)
    return int(json.loads(r.data)["results"]["bindings"][0]["n"]["value"])


def test_default_graph_holds_asserted_and_inferred_facts_once(client):
    typed = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{AKHMETOV}> a ?c }}"
    asserted = f"SELECT (COUNT(*) AS ?n) FROM <{ASSERTED}> WHERE {{ <{AKHMETOV}> a ?c }}"
    assert count(client, typed) > count(client, asserted) >= 1
    dupes = ("SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?s ?p ?o (COUNT(*) AS ?k) WHERE { ?s ?p ?o } "
             "GROUP BY ?s ?p ?o } FILTER (?k > 1) }")
    assert count(client, dupes) == 0


def test_asserted_only_through_the_protocol_parameter(client):
    inferred_only = (f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{KZ}Agent> }}")
    assert count(client, inferred_only) > 0
    assert count(client, inferred_only, **{"default-graph-uri": ASSERTED}) < count(client, inferred_only)


def test_documents_are_named_graphs(client):
    q = PREFIXES + ("SELECT (COUNT(DISTINCT ?doc) AS ?n) WHERE { GRAPH ?doc { ?doc a kz:NewsArticle } }")
    assert count(client, q) == 5


def test_unknown_protocol_graph_is_empty_and_flagged(client):
    r = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                            "default-graph-uri": "http://example.org/nothing"},
                   headers={"Accept": SRJ})
    assert r.status_code == 200
    assert json.loads(r.data)["results"]["bindings"][0]["n"]["value"] == "0"
    assert "http://example.org/nothing" in r.headers["Warning"]


def test_from_a_graph_the_dataset_does_not_hold_is_refused(client):
    r = client.get("/sparql", query_string={"query": "SELECT * FROM <http://example.org/remote> WHERE { ?s ?p ?o }"})
    assert r.status_code == 400 and "does not load remote data" in r.get_data(as_text=True)


def test_service_is_refused(client):
    r = client.get("/sparql", query_string={
        "query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})
    assert r.status_code == 400 and "SERVICE" in r.get_data(as_text=True)


# --- limits ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_app(built):
    from server import create_app
    application = create_app(built[0].replace(sparql_max_rows=3, max_request_bytes=2000, cache_size=0))
    yield application
    application.extensions["kazkg"].executor.close()


def test_row_cap_is_signalled_in_a_header_and_the_json(small_app):
    r = small_app.test_client().get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"},
                                    headers={"Accept": SRJ})
    data = json.loads(r.data)
    assert len(data["results"]["bindings"]) == 3
    assert r.headers["X-SPARQL-Truncated"] == "true" and r.headers["X-SPARQL-Max-Rows"] == "3"
    assert data["truncated"] is True and data["limit"] == 3


def test_a_result_within_the_cap_is_not_flagged(small_app):
    r = small_app.test_client().get("/sparql", query_string={"query": ASK}, headers={"Accept": SRJ})
    assert r.headers["X-SPARQL-Truncated"] == "false" and "truncated" not in json.loads(r.data)


def test_graph_results_are_capped_too(small_app):
    r = small_app.test_client().get("/sparql", query_string={
        "query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"}, headers={"Accept": "application/n-triples"})
    assert r.headers["X-SPARQL-Truncated"] == "true"
    assert len(r.get_data(as_text=True).strip().splitlines()) == 3


def test_request_size_cap_is_413(small_app):
    big = "ASK { " + "?s ?p ?o . " * 400 + "}"
    r = small_app.test_client().post("/sparql", data={"query": big})
    assert r.status_code == 413


def test_timeout_parameter_must_be_a_number(client):
    r = client.get("/sparql", query_string={"query": ASK, "timeout": "soon"})
    assert r.status_code == 400 and "timeout" in r.get_data(as_text=True)


def test_a_request_may_ask_for_a_shorter_timeout(client):
    runaway = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    r = client.get("/sparql", query_string={"query": runaway, "timeout": "0.5"})
    assert r.status_code == 503 and "0.5" in r.get_data(as_text=True)
    assert client.get("/sparql", query_string={"query": ASK}, headers={"Accept": SRJ}).status_code == 200


# --- updates -----------------------------------------------------------------------------------------

INSERT = "INSERT DATA { <http://example.org/a> <http://example.org/b> \"c\" }"


@pytest.mark.parametrize("send", [
    lambda c: c.post("/sparql", data=INSERT.encode(), content_type="application/sparql-update"),
    lambda c: c.post("/sparql", data={"update": INSERT}),
    lambda c: c.post("/sparql", data={"query": INSERT}),
])
def test_updates_are_refused_by_default(client, send):
    r = send(client)
    assert r.status_code == 403 and "read-only" in r.get_data(as_text=True)
    assert count(client, "SELECT (COUNT(*) AS ?n) WHERE { <http://example.org/a> ?p ?o }") == 0


@pytest.fixture()
def curation_app(built):
    from server import create_app
    application = create_app(built[0].replace(update_token="s3cret", server_workers=1, cache_size=8))
    yield application
    application.extensions["kazkg"].executor.close()


def test_update_with_the_token_is_applied_and_seen_by_later_queries(curation_app):
    c = curation_app.test_client()
    probe = "SELECT (COUNT(*) AS ?n) WHERE { <http://example.org/a> ?p ?o }"
    before_build = c.get("/sparql", query_string={"query": probe}, headers={"Accept": SRJ}).headers["X-Kazkg-Build"]
    assert count(c, probe) == 0
    r = c.post("/sparql", data=INSERT.encode(), content_type="application/sparql-update",
               headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 204
    after = c.get("/sparql", query_string={"query": probe}, headers={"Accept": SRJ})
    assert json.loads(after.data)["results"]["bindings"][0]["n"]["value"] == "1"
    assert after.headers["X-Kazkg-Build"] != before_build


@pytest.mark.parametrize("auth", [None, "Bearer wrong", "s3cret", "Basic czNjcmV0"])
def test_update_without_the_right_token_is_refused_and_nothing_stored(curation_app, auth):
    c = curation_app.test_client()
    headers = {"Authorization": auth} if auth else {}
    r = c.post("/sparql", data={"update": "INSERT DATA { <http://example.org/x> <http://example.org/y> 1 }"},
               headers=headers)
    assert r.status_code == 401
    assert count(c, "SELECT (COUNT(*) AS ?n) WHERE { <http://example.org/x> ?p ?o }") == 0


def test_load_is_refused_even_with_the_token(curation_app):
    r = curation_app.test_client().post(
        "/sparql", data={"update": "LOAD <http://127.0.0.1:9/data.ttl>"},
        headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 400 and "never sends requests" in r.get_data(as_text=True)


def test_updates_need_a_single_process_server(built):
    from server import create_app
    application = create_app(built[0].replace(update_token="s3cret", server_workers=2))
    try:
        r = application.test_client().post("/sparql", data={"update": INSERT},
                                           headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 409 and "--workers 1" in r.get_data(as_text=True)
    finally:
        application.extensions["kazkg"].executor.close()


# --- CORS, self-description, UI --------------------------------------------------------------------

def test_cors_preflight_and_headers(client):
    pre = client.options("/sparql", headers={"Origin": "https://example.org",
                                             "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 204 and pre.headers["Access-Control-Allow-Origin"] == "*"
    r = client.get("/sparql", query_string={"query": ASK}, headers={"Origin": "https://example.org"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-SPARQL-Truncated" in r.headers["Access-Control-Expose-Headers"]


def test_service_description_for_rdf_clients(client):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    g = rdflib.Graph().parse(data=r.data, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, rdflib.RDF.type, sd.Service) in g
    assert (None, sd.supportedLanguage, sd.SPARQL11Query) in g
    assert len(list(g.objects(None, sd.resultFormat))) >= 8


def test_void_describes_the_dataset(client):
    r = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    g = rdflib.Graph().parse(data=r.data, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    dataset = rdflib.URIRef("https://w3id.org/kazkg/dataset")
    assert (dataset, rdflib.RDF.type, void.Dataset) in g and (dataset, rdflib.RDF.type, dcat.Dataset) in g
    assert int(g.value(dataset, void.triples)) > 1000
    assert g.value(dataset, void.sparqlEndpoint) == rdflib.URIRef("http://localhost/sparql")
    persons = [p for p in g.objects(dataset, void.classPartition)
               if g.value(p, void["class"]) == rdflib.URIRef(KZ + "Person")]
    assert len(persons) == 1 and int(g.value(persons[0], void.entities)) >= 10
    assert rdflib.URIRef(KZ) in set(g.objects(dataset, void.vocabulary))
    assert set(g.objects(dataset, void.exampleResource))
    assert len(set(g.objects(dataset, void.dataDump))) == 3
    assert g.value(dataset, rdflib.DCTERMS.license) is not None
    linksets = list(g.subjects(rdflib.RDF.type, void.Linkset))
    assert any(g.value(ls, void.objectsTarget) == rdflib.URIRef("http://www.wikidata.org/") for ls in linksets)


def test_void_counts_match_the_store(client, store):
    r = client.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    g = rdflib.Graph().parse(data=r.data, format="nt")
    dataset = rdflib.URIRef("https://w3id.org/kazkg/dataset")
    default_size = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert int(g.value(dataset, rdflib.URIRef("http://rdfs.org/ns/void#triples"))) == default_size


def test_void_in_any_rdf_format_and_406(client):
    assert client.get("/.well-known/void", headers={"Accept": "application/ld+json"}).mimetype == "application/ld+json"
    assert client.get("/.well-known/void").mimetype == "text/turtle"
    assert client.get("/.well-known/void", headers={"Accept": "image/png"}).status_code == 406


def test_browsers_get_the_query_page_with_the_competency_questions(client):
    r = client.get("/sparql", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    html = r.get_data(as_text=True)
    assert html.count('class="example"') >= 20


def test_the_plain_form_is_always_there(client):
    html = client.get("/sparql?ui=plain", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'id="query"' in html and 'name="query"' in html


def test_yasgui_is_served_locally_when_installed(client, app):
    from pathlib import Path
    installed = (Path(app.static_folder) / "yasgui" / "yasgui.min.js").is_file()
    html = client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert ('id="yasgui"' in html) == installed
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    if installed:
        for path in ("/static/yasgui/yasgui.min.js", "/static/query-ui.js"):
            response = client.get(path)
            assert response.status_code == 200
            response.close()


def test_html_results_in_the_browser(client):
    r = client.get("/sparql", query_string={"query": NAME}, headers={"Accept": "text/html"})
    assert r.status_code == 200 and "Serik Akhmetov" in r.get_data(as_text=True)
