"""Safety rules of the SPARQL protocol surface (issue #5): updates refused with 403 on every
variant and nothing stored, SERVICE and remote FROM refused with a clear 400, malformed queries
answered 400 with the parser's message and position, 413 beyond the request-size cap, CORS on
/sparql, and the row cap signalled in a header and in the JSON."""

from __future__ import annotations

import csv
import io
import re

import pyoxigraph as ox
import pytest

from server import create_app

PERSON = "https://w3id.org/kazkg/id/person/serik-akhmetov"
MARK = "<urn:kazkg:test:s> <urn:kazkg:test:p> \"written\""
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def capped_app(built):
    """The corpus served with small limits: 5 rows, 20 kB requests."""
    application = create_app(built[0], sparql_max_rows=5, max_request_bytes=20_000)
    yield application
    application.extensions["kazkg"].executor.close()


def _size(application) -> int:
    return len(application.extensions["kazkg"].store())


# --- updates -------------------------------------------------------------------------------------

UPDATES = {
    "INSERT DATA": f"INSERT DATA {{ {MARK} }}",
    "INSERT DATA in a graph": f"INSERT DATA {{ GRAPH <urn:kazkg:test:g> {{ {MARK} }} }}",
    "DELETE DATA": f"DELETE DATA {{ <{PERSON}> a <https://w3id.org/kazkg/ontology#Person> }}",
    "DELETE WHERE": "DELETE WHERE { ?s ?p ?o }",
    "DELETE/INSERT WHERE": f"DELETE {{ ?s ?p ?o }} INSERT {{ {MARK} }} WHERE {{ ?s ?p ?o }}",
    "WITH ... DELETE": "WITH <https://w3id.org/kazkg/graph/asserted> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "CLEAR ALL": "CLEAR ALL",
    "DROP ALL": "DROP ALL",
    "DROP DEFAULT": "DROP DEFAULT",
    "CREATE GRAPH": "CREATE GRAPH <urn:kazkg:test:new>",
    "COPY": "COPY DEFAULT TO <urn:kazkg:test:copy>",
    "MOVE": "MOVE <https://w3id.org/kazkg/graph/asserted> TO <urn:kazkg:test:moved>",
    "ADD": "ADD DEFAULT TO <urn:kazkg:test:added>",
    "LOAD": "LOAD <http://127.0.0.1:9/nothing.ttl>",
    "query then update": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT 1 ; INSERT DATA {{ {MARK} }}",
    "prefixed and in lower case": f"prefix x: <urn:kazkg:test:> insert data {{ x:s x:p 'written' }}",
    "two updates": f"CLEAR ALL ; INSERT DATA {{ {MARK} }}",
}

VARIANTS = {
    "POST application/sparql-update": lambda u: {"method": "POST", "data": u.encode(),
                                                 "content_type": "application/sparql-update"},
    "POST application/sparql-update; charset=utf-8": lambda u: {
        "method": "POST", "data": u.encode(), "content_type": "application/sparql-update; charset=UTF-8"},
    "POST APPLICATION/SPARQL-UPDATE": lambda u: {"method": "POST", "data": u.encode(),
                                                 "content_type": "APPLICATION/SPARQL-UPDATE"},
    "POST form update=": lambda u: {"method": "POST", "data": {"update": u}},
    "POST form, update= in the URL": lambda u: {"method": "POST", "query_string": {"update": u},
                                                "data": {"x": "1"}},
    "POST form query=": lambda u: {"method": "POST", "data": {"query": u}},
    "POST application/sparql-query": lambda u: {"method": "POST", "data": u.encode(),
                                                "content_type": "application/sparql-query"},
    "GET update=": lambda u: {"method": "GET", "query_string": {"update": u}},
    "GET query=": lambda u: {"method": "GET", "query_string": {"query": u}},
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_update_variant_is_refused_with_403_and_nothing_changes(capped_app, variant):
    store = capped_app.extensions["kazkg"].store()
    size = _size(capped_app)
    client = capped_app.test_client()
    wrong = []
    for name, update in UPDATES.items():
        r = client.open("/sparql", headers=JSON, **VARIANTS[variant](update))
        body = r.get_data(as_text=True)
        if r.status_code != 403 or "read-only" not in body:
            wrong.append(f"{name}: {r.status_code} {body.strip()[:100]!r}")
        assert r.headers.get("Access-Control-Allow-Origin") == "*"
    assert _size(capped_app) == size
    assert not store.contains_named_graph(ox.NamedNode("urn:kazkg:test:g"))
    assert not list(store.quads_for_pattern(ox.NamedNode("urn:kazkg:test:s"), None, None))
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", ["/", "/page/person/serik-akhmetov", "/id/person/serik-akhmetov",
                                  "/data/person/serik-akhmetov.ttl", "/ontology", "/resource"])
def test_no_other_route_accepts_an_update(capped_app, path):
    size = _size(capped_app)
    client = capped_app.test_client()
    for kwargs in ({"data": UPDATES["INSERT DATA"].encode(), "content_type": "application/sparql-update"},
                   {"data": {"update": UPDATES["DROP ALL"]}}):
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            r = client.open(path, method=method, **kwargs)
            assert r.status_code == 405, f"{method} {path}: {r.status_code}"
    assert _size(capped_app) == size


def test_put_and_delete_on_the_endpoint_are_405(capped_app):
    client = capped_app.test_client()
    for method in ("PUT", "DELETE", "PATCH"):
        r = client.open("/sparql", method=method, data=UPDATES["DROP ALL"],
                        content_type="application/sparql-update")
        assert r.status_code == 405


# --- SERVICE and remote FROM ---------------------------------------------------------------------

@pytest.mark.parametrize("query,message", [
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
     "SERVICE (federated query) is not allowed: this endpoint never sends requests to other servers"),
    ("SELECT * WHERE { ?s ?p ?o . SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }",
     "SERVICE (federated query) is not allowed"),
    ("SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
     "FROM <http://example.org/data.ttl> names a graph this dataset does not hold: the endpoint does "
     "not load remote data"),
    ("SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
     "FROM NAMED <http://example.org/g> names a graph this dataset does not hold"),
])
def test_service_and_remote_from_are_400_with_a_clear_message(capped_app, query, message):
    client = capped_app.test_client()
    for r in (client.get("/sparql", query_string={"query": query}, headers=JSON),
              client.post("/sparql", data={"query": query}, headers=JSON),
              client.post("/sparql", data=query.encode(), content_type="application/sparql-query", headers=JSON)):
        assert r.status_code == 400
        assert r.mimetype == "text/plain"
        assert message in r.get_data(as_text=True)


def test_from_a_graph_the_dataset_holds_is_allowed(capped_app):
    r = capped_app.test_client().get("/sparql", headers=JSON, query_string={
        "query": "ASK FROM <https://w3id.org/kazkg/graph/asserted> WHERE { ?s ?p ?o }"})
    assert r.status_code == 200 and r.get_json(force=True)["boolean"] is True


def test_service_inside_a_string_or_comment_is_not_a_false_alarm(capped_app):
    r = capped_app.test_client().get("/sparql", headers=JSON, query_string={
        "query": "# SERVICE <http://example.org/> in a comment\n"
                 "SELECT ?x WHERE { BIND('SERVICE <http://example.org/> FROM <http://x/>' AS ?x) }"})
    assert r.status_code == 200


# --- malformed queries ---------------------------------------------------------------------------

MALFORMED = [
    "SELECT * WHERE { ?s ?p }",
    "SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  FILTER (?o = )\n}",
    "PREFIX kz: <https://w3id.org/kazkg/ontology#>\nSELECT * WHERE { ?s a kz:Person\n",
    "SELECT * WHERE { ?s ?p ?o } LIMIT -1",
    "SELEKT * WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s undeclared:p ?o }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY",
    "ASK { ?s ?p 'unterminated }",
    "SELECT * WHERE { <http://example.org/a b> ?p ?o }",
    "CONSTRUCT { ?s ?p } WHERE { ?s ?p ?o }",
    "\n\nASK { FILTER ( }",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1 }}}}",
]
POSITION = re.compile(r"\b(\d+):(\d+)\b")


def _parser_position(query: str) -> str:
    """line:column as pyoxigraph's parser reports the error in the query as sent."""
    with pytest.raises(SyntaxError) as error:
        ox.Store().query(query)
    return POSITION.search(str(error.value)).group(0)


@pytest.mark.parametrize("query", MALFORMED, ids=[q.split("\n")[0][:40] for q in MALFORMED])
def test_a_malformed_query_is_400_with_the_parser_message_and_position(capped_app, query):
    client = capped_app.test_client()
    accept = {"Accept": "application/sparql-results+json, text/turtle;q=0.9"}
    expected = _parser_position(query)
    for r in (client.get("/sparql", query_string={"query": query}, headers=accept),
              client.post("/sparql", data={"query": query}, headers=accept),
              client.post("/sparql", data=query.encode(), content_type="application/sparql-query", headers=accept)):
        body = r.get_data(as_text=True)
        assert r.status_code == 400, body
        assert r.mimetype == "text/plain"
        assert body.startswith("Query parse error:"), body
        position = POSITION.search(body)
        assert position, f"no line:column in {body!r}"
        # the position is in the query as the client wrote it (no prologue added in front)
        assert position.group(0) == expected, f"reported {position.group(0)}, the parser says {expected}"


@pytest.mark.parametrize("query", [
    f"DESCRIBE <{PERSON}> garbage {{{{{{",
    f"DESCRIBE <{PERSON}> WHERE {{ ?s ?p }}",
    "DESCRIBE",
])
def test_a_malformed_describe_is_400(capped_app, query):
    r = capped_app.test_client().get("/sparql", query_string={"query": query},
                                     headers={"Accept": "text/turtle"})
    assert r.status_code == 400, r.get_data(as_text=True)[:200]
    assert "parse error" in r.get_data(as_text=True)


@pytest.mark.parametrize("query,iri", [
    ("BASE <https://w3id.org/kazkg/id/person/> DESCRIBE <serik-akhmetov>", PERSON),
    ("BASE <https://w3id.org/kazkg/id/> PREFIX p: <person/> DESCRIBE p:serik-akhmetov", PERSON),
    ("DESCRIBE <x>", "http://localhost/x"),
])
def test_describe_resolves_relative_iris_like_the_other_query_forms(capped_app, query, iri):
    r = capped_app.test_client().get("/sparql", query_string={"query": query},
                                     headers={"Accept": "application/n-triples"})
    assert r.status_code == 200, r.get_data(as_text=True)[:200]
    if iri == PERSON:
        assert f"<{PERSON}>".encode() in r.data


def test_a_relative_iri_resolves_against_the_endpoint_in_other_forms(capped_app):
    r = capped_app.test_client().get("/sparql", query_string={"query": "SELECT ?x WHERE { BIND(<x> AS ?x) }"},
                                     headers=JSON)
    assert r.status_code == 200
    assert r.get_json(force=True)["results"]["bindings"][0]["x"]["value"] == "http://localhost/x"


@pytest.mark.parametrize("query", ["SELECT (<http://example.org/f>(1) AS ?x) {}",
                                   "PREFIX ex: <http://example.org/> SELECT (ex:f(?o) AS ?y) WHERE { ?s ?p ?o } LIMIT 1"])
def test_an_unknown_function_is_400_naming_it(capped_app, query):
    r = capped_app.test_client().get("/sparql", query_string={"query": query}, headers=JSON)
    assert r.status_code == 400, r.get_data(as_text=True)[:200]
    assert "http://example.org/f" in r.get_data(as_text=True)


# --- request size --------------------------------------------------------------------------------

def _padded(size: int) -> str:
    head = "ASK { ?s ?p ?o } #"
    return head + "x" * (size - len(head))


@pytest.mark.parametrize("how", ["GET", "POST form", "POST direct", "POST update"])
def test_requests_beyond_the_size_cap_are_413(capped_app, how):
    client = capped_app.test_client()
    text = _padded(25_000)
    r = {"GET": lambda: client.get("/sparql", query_string={"query": text}, headers=JSON),
         "POST form": lambda: client.post("/sparql", data={"query": text}, headers=JSON),
         "POST direct": lambda: client.post("/sparql", data=text.encode(), headers=JSON,
                                            content_type="application/sparql-query"),
         "POST update": lambda: client.post("/sparql", data=("INSERT DATA {} #" + "x" * 25_000).encode(),
                                            content_type="application/sparql-update")}[how]()
    assert r.status_code == 413
    body = r.get_data(as_text=True).lower()
    assert "too long" in body or "too large" in body


@pytest.mark.parametrize("how", ["GET", "POST form", "POST direct"])
def test_requests_within_the_size_cap_are_answered(capped_app, how):
    client = capped_app.test_client()
    text = _padded(19_000)
    r = {"GET": lambda: client.get("/sparql", query_string={"query": text}, headers=JSON),
         "POST form": lambda: client.post("/sparql", data={"query": text}, headers=JSON),
         "POST direct": lambda: client.post("/sparql", data=text.encode(), headers=JSON,
                                            content_type="application/sparql-query")}[how]()
    assert r.status_code == 200 and r.get_json(force=True)["boolean"] is True


def test_the_413_of_the_endpoint_carries_cors_headers(capped_app):
    # a browser client on another origin can only read why its request failed with CORS headers
    r = capped_app.test_client().post("/sparql", data=_padded(25_000).encode(),
                                      content_type="application/sparql-query", headers={"Origin": "http://a.example"})
    assert r.status_code == 413
    assert r.headers.get("Access-Control-Allow-Origin") == "*"


# --- CORS ----------------------------------------------------------------------------------------

def test_preflight_allows_cross_origin_queries(capped_app):
    r = capped_app.test_client().options("/sparql", headers={
        "Origin": "http://a.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert r.status_code in (200, 204)
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    methods = {m.strip() for m in r.headers["Access-Control-Allow-Methods"].split(",")}
    assert {"GET", "POST"} <= methods
    assert "content-type" in r.headers["Access-Control-Allow-Headers"].lower()


@pytest.mark.parametrize("query,status", [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", 200), ("SELECT * WHERE {", 400),
    ("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }", 400), ("INSERT DATA { }", 403),
])
def test_responses_of_the_endpoint_carry_cors_headers(capped_app, query, status):
    r = capped_app.test_client().get("/sparql", query_string={"query": query},
                                     headers={**JSON, "Origin": "http://a.example"})
    assert r.status_code == status
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip().lower() for h in r.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"x-sparql-truncated", "x-sparql-max-rows"} <= exposed


# --- the row cap ---------------------------------------------------------------------------------

MANY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
FEW = "SELECT ?s WHERE { VALUES ?s { <urn:x:1> <urn:x:2> <urn:x:3> <urn:x:4> <urn:x:5> } }"


def test_a_capped_json_result_says_truncated_in_header_and_body(capped_app):
    r = capped_app.test_client().get("/sparql", query_string={"query": MANY}, headers=JSON)
    assert r.status_code == 200
    assert r.headers["X-SPARQL-Truncated"] == "true" and r.headers["X-SPARQL-Max-Rows"] == "5"
    data = r.get_json(force=True)
    assert data["truncated"] is True and data["limit"] == 5
    assert len(data["results"]["bindings"]) == 5


def test_a_result_within_the_cap_is_not_flagged(capped_app):
    r = capped_app.test_client().get("/sparql", query_string={"query": FEW}, headers=JSON)
    assert r.headers["X-SPARQL-Truncated"] == "false"
    data = r.get_json(force=True)
    assert "truncated" not in data or data["truncated"] is False
    assert len(data["results"]["bindings"]) == 5


@pytest.mark.parametrize("accept", ["text/csv", "text/tab-separated-values", "application/sparql-results+xml"])
def test_other_result_formats_are_capped_and_flagged_in_the_header(capped_app, accept):
    r = capped_app.test_client().get("/sparql", query_string={"query": MANY}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept
    assert r.headers["X-SPARQL-Truncated"] == "true"
    text = r.get_data(as_text=True)
    if accept == "text/csv":
        assert len(list(csv.reader(io.StringIO(text)))) == 6
    elif accept == "text/tab-separated-values":
        assert len(text.strip().split("\n")) == 6
    else:
        assert text.count("<result>") == 5


def test_graph_results_are_capped_and_flagged(capped_app):
    r = capped_app.test_client().get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                                     headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.headers["X-SPARQL-Truncated"] == "true"
    assert len(list(ox.parse(r.data, format=ox.RdfFormat.N_TRIPLES))) == 5


def test_the_html_result_page_warns_of_the_cut(capped_app):
    r = capped_app.test_client().get("/sparql", query_string={"query": MANY, "format": "html"},
                                     headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert "5 rows" in r.get_data(as_text=True) and "cut" in r.get_data(as_text=True)
