"""Security of the server: no outbound connection, no update without the token, no script from
the data, no file outside the static folder, size limits and protective response headers.

Proofs are concrete: a loopback listener whose URL the queries name must see no connection (it
would see pyoxigraph's, which connects from Rust), a guard makes every in-process socket
connection fail, payloads in labels, literals, IRIs, document text and the query itself must come
out as text (the parsed page has no element or attribute they could have created).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from bs4 import BeautifulSoup

from graph.config import Config
from server import create_app
from tests.support.network import listener, no_outbound_connections

ID = "https://w3id.org/kazkg/id/"
PAYLOAD_TTL = r"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix kz: <https://w3id.org/kazkg/ontology#> .
@prefix ex: <http://example.org/> .

<https://w3id.org/kazkg/id/person/xss> a kz:Person ;
    skos:prefLabel "<script>alert('prefLabel')</script>"@en ;
    rdfs:label "\"><img src=x onerror=alert('label')>" ;
    rdfs:comment "</textarea><svg onload=alert('comment')>" , "</pre><script>alert('pre')</script>" ;
    ex:template "{{ 7*7 }} {% if true %}jinja{% endif %} ${7*7}" ;
    ex:typed "typed<script>alert('typed')</script>"^^<http://example.org/dt#'onfocus='alert(5)> ;
    ex:link <javascript:alert('iri')> ;
    ex:quote <https://w3id.org/kazkg/id/x'onmouseover='alert(1)> ;
    <http://example.org/prop'onclick='alert(2)> "<b onmouseover=alert('value')>bold</b>" ;
    ex:other <http://example.org/target> .
<javascript:alert('iri')> rdfs:label "<b onmouseover=alert('jslabel')>js</b>" .
<http://example.org/target> rdfs:label "<iframe src=javascript:alert('target')></iframe>" ;
    ex:back <https://w3id.org/kazkg/id/person/xss> .
<https://w3id.org/kazkg/id/x'onmouseover='alert(1)> a kz:Person ;
    rdfs:label "<script>alert('quote')</script>" .
"""
LEAK_MARKERS = [b"root:x:0:0", b"[build-system]", b"def create_app", b"Application factory"]


# --- fixtures ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def payload_file(tmp_path_factory) -> Path:
    # the file name is shown on the home page: it carries a payload too
    folder = tmp_path_factory.mktemp("payload")
    path = folder / "<img src=x onerror=alert('file')>.ttl"
    path.write_text(PAYLOAD_TTL, "utf-8")
    return path


@pytest.fixture(scope="module")
def payload_app(payload_file):
    application = create_app(Config(data_path=payload_file))
    yield application
    application.extensions["kazkg"].executor.close()


@pytest.fixture(scope="module")
def payload_build(tmp_path_factory, built):
    """A corpus of one article whose title and sentences carry HTML/JS, built and served."""
    from graph.pipeline import build
    folder = tmp_path_factory.mktemp("payload-corpus")
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "xss_doc.txt").write_text(
        "Prime Minister held session <script>alert(\"title\")</script> \"><img src=x onerror=alert(1)>\n\n"
        "27 November 2012, 18:51\n\n"
        "Prime Minister of Kazakhstan Serik Akhmetov held a session focused on the State Program of "
        "Forced Industrial-Innovative Development <script>alert(\"body\")</script> and the "
        "Industrialization Map.\n\n"
        "Deputy Minister Asset Issekeshev said \"</textarea><svg onload=alert(3)>\" at the session "
        "held in Astana.\n\n"
        "The industrial production volume reached 12.1 trillion tenge <img src=x onerror=alert(4)> in 2012.\n",
        "utf-8")
    config = built[0].replace(data_path=folder / "kazkg.trig", cache_dir=folder / "cache")
    build(config, corpus_dir=corpus, log=lambda s: None)
    application = create_app(config)
    yield application
    application.extensions["kazkg"].executor.close()


# --- helpers -------------------------------------------------------------------------------------

def assert_inert(html: bytes | str, where: str) -> BeautifulSoup:
    """The page, parsed as a browser would, has no script, handler or URL its data could create."""
    soup = BeautifulSoup(html, "html5lib")
    for script in soup.find_all("script"):
        src = script.get("src")
        if src is not None:
            assert src.startswith("/static/"), f"{where}: script from {src!r}"
            assert not (script.string or "").strip(), f"{where}: script with src and a body"
        else:
            assert script.get("type") == "application/json", f"{where}: executable inline script {script}"
            json.loads(script.string or "null")  # data only, and it did not end early
    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            assert not attr.lower().startswith("on"), f"{where}: handler {attr}= on <{tag.name}>"
            if attr.lower() in ("href", "src", "action", "formaction", "data", "srcdoc", "xlink:href"):
                text = value if isinstance(value, str) else " ".join(value)
                assert not text.strip().lower().startswith(("javascript:", "vbscript:", "data:text/html")), \
                    f"{where}: {attr}={text!r} on <{tag.name}>"
        assert tag.name not in ("iframe", "object", "embed", "base"), f"{where}: <{tag.name}> element"
        if tag.name == "img":
            assert tag.get("src") != "x", f"{where}: injected <img>"
        if tag.name == "meta":
            assert (tag.get("http-equiv") or "").lower() != "refresh", f"{where}: meta refresh"
    return soup


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def page_text(soup: BeautifulSoup) -> str:
    """Visible text, attribute values and the strings of JSON data islands (where a payload may be
    shown as text)."""
    parts = [soup.get_text(" ")]
    for tag in soup.find_all(True):
        for value in tag.attrs.values():
            parts.append(value if isinstance(value, str) else " ".join(value))
    for script in soup.find_all("script", type="application/json"):
        parts.extend(_strings(json.loads(script.string or "null")))
    return "\n".join(parts)


HTML = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}


# --- no outbound connection ----------------------------------------------------------------------

def test_the_listener_sees_pyoxigraph_connect_so_its_silence_is_proof():
    with listener() as server:
        with pytest.raises(OSError):
            list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{server.url}> {{ ?s ?p ?o }} }}"))
        assert server.settle(), "a SERVICE call by the engine itself must reach the listener"


def _egress_cases(url: str) -> list[tuple[str, dict, int, str]]:
    """(name, request, expected status, expected message part) of queries naming `url`."""
    simple = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    queries = [
        ("SERVICE", f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", 400, "SERVICE"),
        ("SERVICE SILENT in lower case", f"select * where {{ service silent <{url}sparql> {{ ?s ?p ?o }} }}",
         400, "SERVICE"),
        ("SERVICE without spaces", f"SELECT * WHERE{{?s ?p ?o.SERVICE<{url}>{{?s ?p ?o}}}}", 400, "SERVICE"),
        ("SERVICE by prefixed name", f"PREFIX r: <{url}> SELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}",
         400, "SERVICE"),
        ("SERVICE by variable", f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
         400, "SERVICE"),
        ("SERVICE in a subquery", f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
         400, "SERVICE"),
        ("SERVICE after a comment", f"SELECT * WHERE {{ # a comment }}\nSERVICE <{url}> {{ ?s ?p ?o }} }}",
         400, "SERVICE"),
        ("SERVICE in ASK", f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", 400, "SERVICE"),
        ("SERVICE in CONSTRUCT", f"CONSTRUCT WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", 400, "SERVICE"),
        ("SERVICE in DESCRIBE", f"DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", 400, "SERVICE"),
        ("FROM", f"SELECT * FROM <{url}data.ttl> WHERE {{ ?s ?p ?o }}", 400, f"FROM <{url}data.ttl>"),
        ("FROM NAMED", f"SELECT * FROM NAMED <{url}g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", 400,
         f"FROM NAMED <{url}g>"),
        ("FROM by prefixed name", f"PREFIX r: <{url}> SELECT * FROM r:data WHERE {{ ?s ?p ?o }}", 400,
         f"FROM <{url}data>"),
        ("FROM relative to BASE", f"BASE <{url}> SELECT * FROM <data.ttl> WHERE {{ ?s ?p ?o }}", 400, ""),
        ("LOAD as a query", f"LOAD <{url}data.ttl>", 403, "read-only"),
        ("LOAD SILENT INTO GRAPH as a query", f"LOAD SILENT <{url}data.ttl> INTO GRAPH <urn:x:g>", 403,
         "read-only"),
    ]
    cases = []
    for name, query, status, message in queries:
        cases.append((f"{name} (GET)", {"method": "GET", "query_string": {"query": query}}, status, message))
        cases.append((f"{name} (POST form)", {"method": "POST", "data": {"query": query}}, status, message))
        cases.append((f"{name} (POST direct)", {"method": "POST", "data": query.encode(),
                                                 "content_type": "application/sparql-query"}, status, message))
    for name, update in [("LOAD", f"LOAD <{url}data.ttl>"),
                         ("INSERT from a SERVICE", f"INSERT {{ GRAPH <urn:x:g> {{ ?s ?p ?o }} }} "
                                                  f"WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")]:
        cases.append((f"update {name} (POST form)", {"method": "POST", "data": {"update": update}}, 403, "read-only"))
        cases.append((f"update {name} (POST direct)", {"method": "POST", "data": update.encode(),
                                                        "content_type": "application/sparql-update"}, 403,
                      "read-only"))
    cases.append(("default-graph-uri", {"method": "GET", "query_string": {"query": simple,
                                                                          "default-graph-uri": url}}, 200, ""))
    cases.append(("named-graph-uri", {"method": "GET", "query_string": {"query": simple,
                                                                        "named-graph-uri": url + "g"}}, 200, ""))
    cases.append(("resource page", {"method": "GET", "path": "/resource", "query_string": {"iri": url}}, 404, ""))
    cases.append(("entity data", {"method": "GET", "path": "/data/" + url.replace("http://", "") + "x.ttl"}, 404, ""))
    return cases


def test_service_load_and_remote_from_never_open_a_connection(built, monkeypatch):
    with listener() as server, no_outbound_connections(monkeypatch) as attempts:
        application = create_app(built[0])  # its query processes fork under the guard
        try:
            client = application.test_client()
            failures = []
            for name, req, status, message in _egress_cases(server.url):
                req = dict(req)
                path = req.pop("path", "/sparql")
                r = client.open(path, headers={"Accept": "application/sparql-results+json, text/turtle;q=0.9"},
                                **req)
                body = r.get_data(as_text=True)
                if r.status_code != status or message not in body:
                    failures.append(f"{name}: {r.status_code} {body[:120]!r} (expected {status} {message!r})")
            assert not failures, "\n".join(failures)
            assert server.settle(0.5) == [], "a request made the server connect to the listener"
            assert attempts == []
        finally:
            application.extensions["kazkg"].executor.close()


def test_remote_graph_parameters_are_empty_graphs_with_a_warning(app):
    with listener() as server:
        r = app.test_client().get("/sparql", query_string={
            "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "default-graph-uri": server.url},
            headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200
        assert r.get_json(force=True)["results"]["bindings"][0]["n"]["value"] == "0"
        assert server.url in r.headers["Warning"]
        assert server.settle() == []


# --- updates need the token ----------------------------------------------------------------------

TOKEN = "s3cret-token-for-tests"
NEW = "<http://example.org/new> <http://example.org/p> \"stored\" ."


@pytest.fixture()
def token_app(tmp_path, payload_file):
    data = tmp_path / "data.ttl"
    shutil.copy(payload_file, data)
    application = create_app(Config(data_path=data), update_token=TOKEN, server_workers=1)
    yield application
    application.extensions["kazkg"].executor.close()


def _stored(application) -> bool:
    r = application.test_client().get("/sparql", query_string={
        "query": "ASK { <http://example.org/new> ?p ?o } # fresh"},
        headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    return r.get_json(force=True)["boolean"]


def _size(application) -> int:
    return len(application.extensions["kazkg"].store())


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Bearer {TOKEN}x"},
    {"Authorization": f"Bearer {TOKEN[:-1]}"}, {"Authorization": TOKEN}, {"Authorization": f"Basic {TOKEN}"},
    {"Authorization": f"bearer  {TOKEN}"}, {"X-Token": TOKEN},
], ids=["none", "wrong", "longer", "prefix", "no scheme", "basic", "spacing", "other header"])
def test_updates_without_the_token_are_refused_and_nothing_is_stored(token_app, headers):
    size = _size(token_app)
    client = token_app.test_client()
    for kwargs in ({"data": f"INSERT DATA {{ {NEW} }}".encode(), "content_type": "application/sparql-update"},
                   {"data": {"update": f"INSERT DATA {{ {NEW} }}"}},
                   {"data": {"update": "DELETE WHERE { ?s ?p ?o }"}},
                   {"data": {"update": "DROP ALL"}}):
        r = client.post("/sparql", headers=headers, **kwargs)
        assert r.status_code in (401, 403), r.get_data(as_text=True)
        assert "token" in r.get_data(as_text=True).lower() or "read-only" in r.get_data(as_text=True)
    r = client.post("/sparql", query_string={"token": TOKEN}, data={"update": f"INSERT DATA {{ {NEW} }}"})
    assert r.status_code in (401, 403)
    assert _size(token_app) == size and not _stored(token_app)


def test_the_token_cannot_unlock_outbound_requests(token_app):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with listener() as server:
        client = token_app.test_client()
        for update in (f"LOAD <{server.url}data.ttl>", f"LOAD SILENT <{server.url}d> INTO GRAPH <urn:x:g>",
                       f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{server.url}> {{ ?s ?p ?o }} }}",
                       f"insert { '{' } ?s ?p ?o {'}'} where {{ service silent <{server.url}> {{ ?s ?p ?o }} }}"):
            r = client.post("/sparql", data={"update": update}, headers=auth)
            assert r.status_code == 400, (update, r.status_code, r.get_data(as_text=True))
        assert server.settle(0.5) == []


def test_an_update_with_the_token_is_applied_and_seen(token_app):
    r = token_app.test_client().post("/sparql", data=f"INSERT DATA {{ {NEW} }}".encode(),
                                     content_type="application/sparql-update",
                                     headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code in (200, 204), r.get_data(as_text=True)
    assert _stored(token_app)


def test_without_a_configured_token_no_authorization_enables_updates(built):
    application = create_app(built[0])
    try:
        size = _size(application)
        for auth in ("Bearer ", "Bearer", "Bearer None", "Bearer null"):
            r = application.test_client().post("/sparql", data={"update": f"INSERT DATA {{ {NEW} }}"},
                                               headers={"Authorization": auth})
            assert r.status_code == 403
        assert _size(application) == size
    finally:
        application.extensions["kazkg"].executor.close()


# --- HTML/JS payloads are rendered as text -------------------------------------------------------

PAYLOAD_PAGES = [
    ("/page/person/xss", ["<script>alert('prefLabel')</script>", "</textarea><svg onload=alert('comment')>",
                          "<b onmouseover=alert('value')>bold</b>", "{{ 7*7 }}"]),
    ("/resource?iri=" + quote("javascript:alert('iri')", safe=""), ["<b onmouseover=alert('jslabel')>js</b>"]),
    ("/resource?iri=" + quote("http://example.org/target", safe=""), ["<iframe src=javascript:alert('target')>"]),
    ("/page/x'onmouseover='alert(1)", ["<script>alert('quote')</script>"]),
    ("/", []),
    ("/sparql?q=" + quote("</textarea><script>alert('q')</script>"), ["</textarea><script>alert('q')</script>"]),
    ("/sparql?ui=plain&q=" + quote("</textarea><script>alert('q')</script>"),
     ["</textarea><script>alert('q')</script>"]),
    ("/sparql?format=html&query=" + quote("SELECT ?s ?p ?o WHERE { ?s ?p ?o } # </pre><script>alert('query')</script>"),
     ["<script>alert('prefLabel')</script>", "</pre><script>alert('query')</script>", "alert('iri')"]),
    ("/sparql?format=html&query=" + quote("CONSTRUCT WHERE { ?s ?p ?o }"), ["<script>alert('prefLabel')</script>"]),
    ("/sparql?format=html&query=" + quote("ASK { ?s ?p \"</p><script>alert('ask')</script>\" }"), []),
    ("/page/" + quote("<script>alert('404')</script>"), ["<script>alert('404')</script>"]),
    ("/resource?iri=" + quote("<script>alert('400')</script>"), []),
    ("/nothing/" + quote("<script>alert('nf')</script>"), []),
    ("/downloads", []), ("/report", []), ("/ontology", []),
]


@pytest.mark.parametrize("path,shown", PAYLOAD_PAGES, ids=[p for p, _ in PAYLOAD_PAGES])
def test_payloads_in_data_and_requests_are_rendered_as_text(payload_app, path, shown):
    r = payload_app.test_client().get(path, headers=HTML)
    assert r.status_code < 500
    if r.mimetype != "text/html":
        assert r.mimetype == "text/plain", f"{path}: served as {r.mimetype}"
        return
    soup = assert_inert(r.data, path)
    text = page_text(soup)
    for payload in shown:
        assert payload in text, f"{path}: payload {payload!r} not shown as text"
    assert "49" not in soup.get_text(" ").split(), "a template expression in the data was evaluated"


def test_payload_in_the_data_file_name_is_escaped_on_the_home_page(payload_app):
    r = payload_app.test_client().get("/", headers=HTML)
    assert r.status_code == 200
    soup = assert_inert(r.data, "/")
    assert "<img src=x onerror=alert('file')>" in page_text(soup)


def test_payload_in_a_bad_query_comes_back_as_plain_text(payload_app):
    for query in ("SELECT * WHERE { <script>alert(1)</script> }", "<img src=x onerror=alert(1)>"):
        r = payload_app.test_client().get("/sparql", query_string={"query": query}, headers=HTML)
        assert r.status_code == 400
        assert r.mimetype == "text/plain"


@pytest.mark.parametrize("path,shown", [
    ("/page/doc/xss_doc", ['<script>alert("title")</script>', '"><img src=x onerror=alert(1)>']),
    ("/resource?iri=" + quote(ID + "doc/xss_doc#char=117,310", safe=""), ['<script>alert("body")</script>']),
    ("/resource?iri=" + quote(ID + "doc/xss_doc#char=312,415", safe=""), ["</textarea><svg onload=alert(3)>"]),
    ("/page/person/serik-akhmetov", []),
    ("/sparql?format=html&query=" + quote("PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> "
                                          "SELECT ?s ?text WHERE { ?s nif:anchorOf|nif:isString ?text }"),
     ['<script>alert("body")</script>', "<img src=x onerror=alert(4)>"]),
    ("/", []),
])
def test_document_text_with_payloads_is_rendered_as_text(payload_build, path, shown):
    r = payload_build.test_client().get(path, headers=HTML)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    soup = assert_inert(r.data, path)
    text = page_text(soup)
    for payload in shown:
        assert payload in text, f"{path}: payload {payload!r} not shown as text"


# --- no file outside the static folder -----------------------------------------------------------

TRAVERSALS = [
    "/static/../__init__.py", "/static/../../pyproject.toml", "/static/%2e%2e/__init__.py",
    "/static/..%2f__init__.py", "/static/..%2F..%2Fpyproject.toml", "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/....//__init__.py", "/static/..\\__init__.py", "/static/%5c..%5c__init__.py",
    "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/../../../../../../../../etc/passwd",
    "/static/%252e%252e/__init__.py", "/static/%c0%ae%c0%ae/__init__.py", "/static/style.css%00.py",
    "/static/./../__init__.py", "/static/yasgui/../../__init__.py",
    "/data/../../../../etc/passwd", "/data/..%2f..%2f..%2fetc%2fpasswd.ttl", "/data/%2e%2e/%2e%2e/pyproject.toml",
    "/data/file:///etc/passwd.ttl", "/page/../../../etc/passwd", "/id/..%2f..%2fetc%2fpasswd",
    "/ontology/../pyproject.toml", "/ontology.ttl/../../pyproject.toml",
    "/resource?iri=file:///etc/passwd", "/resource?iri=file:///" + quote(str(Path.cwd() / "pyproject.toml")),
    "/.well-known/../../pyproject.toml",
    "/downloads/kazkg.../../../etc/passwd", "/downloads/kazkg.ttl%2f..%2f..%2fetc%2fpasswd",
    "/downloads/kazkg.%2e%2e", "/downloads/..%2fkazkg.trig", "/downloads/kazkg.trig/../../../pyproject.toml",
    "/downloads/kazkg.report.json", "/downloads/kazkg.py", "/report.json/../../pyproject.toml",
    "/dcat.%2e%2e%2f%2e%2e%2fpyproject.toml",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_is_refused(client, path):
    r = client.get(path, follow_redirects=True)  # '//' is merged by a redirect: follow it
    r.close()
    assert r.status_code in (400, 404), f"{path}: {r.status_code}"
    for marker in LEAK_MARKERS:
        assert marker not in r.data, f"{path} leaked a file"


def test_static_files_are_still_served(client):
    r = client.get("/static/style.css")
    r.close()
    assert r.status_code == 200 and r.mimetype == "text/css"


# --- protective response headers -----------------------------------------------------------------

HEADER_ROUTES = [
    ("GET", "/", HTML), ("GET", "/page/person/serik-akhmetov", HTML), ("GET", "/sparql", HTML),
    ("GET", "/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o } LIMIT 1"), {"Accept": "application/json"}),
    ("GET", "/sparql?format=html&query=" + quote("SELECT * WHERE { ?s ?p ?o } LIMIT 1"), HTML),
    ("GET", "/sparql?query=" + quote("SELECT * WHERE {"), {}),
    ("GET", "/nothing-here", HTML), ("GET", "/nothing-here", {"Accept": "application/json"}),
    ("GET", "/page/person/nobody", {}), ("GET", "/static/style.css", {}),
    ("GET", "/data/person/serik-akhmetov.ttl", {}), ("GET", "/ontology", HTML),
    ("OPTIONS", "/sparql", {}), ("PUT", "/sparql", {}), ("GET", "/downloads", HTML), ("GET", "/report", HTML),
    ("GET", "/.well-known/void", {"Accept": "text/turtle"}),
]


def _missing(client, check) -> list[str]:
    missing = []
    for method, path, headers in HEADER_ROUTES:
        r = client.open(path, method=method, headers=headers)
        r.close()
        problem = check(r)
        if problem:
            missing.append(f"{method} {path} -> {r.status_code}: {problem}")
    return missing


def test_content_security_policy_on_every_response(client):
    def check(r):
        csp = r.headers.get("Content-Security-Policy")
        if not csp:
            return "no Content-Security-Policy"
        directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
        source = directives.get("script-src") or directives.get("default-src")
        if not source:
            return f"no script-src or default-src in {csp!r}"
        if "'unsafe-inline'" in source or "'unsafe-eval'" in source or " *" in source or " http:" in source:
            return f"scripts not restricted: {source!r}"
        if "object-src 'none'" not in csp and "'none'" not in directives.get("default-src", ""):
            return f"plugins not refused: {csp!r}"
        return None
    missing = _missing(client, check)
    assert not missing, "\n".join(missing)


def test_nosniff_on_every_response(client):
    def check(r):
        value = r.headers.get("X-Content-Type-Options")
        return None if value == "nosniff" else f"X-Content-Type-Options: {value!r}"
    missing = _missing(client, check)
    assert not missing, "\n".join(missing)


def test_referrer_policy_on_every_response(client):
    safe = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
    def check(r):
        value = r.headers.get("Referrer-Policy")
        return None if value in safe else f"Referrer-Policy: {value!r}"
    missing = _missing(client, check)
    assert not missing, "\n".join(missing)


# --- against a real server process ---------------------------------------------------------------

@pytest.fixture(scope="module")
def real_server(built, tmp_path_factory):
    from tests.support.servers import kazkg_serve
    with kazkg_serve(built[0].data_path, tmp_path_factory.mktemp("server-logs"), workers=2) as server:
        yield server


def _same_site_redirect(raw: bytes) -> bool:
    """A redirect to a normalised path on this site (werkzeug merges '//'), which is then a 404."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    location = next((line.split(":", 1)[1].strip() for line in head.split("\r\n")
                     if line.lower().startswith("location:")), "")
    path = re.sub(r"^https?://[^/]+", "", location)
    return path.startswith("/") and "/.." not in path and "%2e" not in path.lower()


@pytest.mark.slow
def test_real_server_refuses_traversal_on_raw_request_lines(real_server):
    from tests.support.servers import raw_exchange, status_of
    for path in TRAVERSALS + ["/static/%2e%2e/%2e%2e/server/__init__.py", "/static/..;/__init__.py"]:
        raw = raw_exchange("127.0.0.1", real_server.port,
                           f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        status = status_of(raw)
        assert status in (400, 404) or status in (301, 308) and _same_site_redirect(raw), f"{path}: {raw[:300]!r}"
        for marker in LEAK_MARKERS:
            assert marker not in raw, f"{path} leaked a file"


BIG_QUERY = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 1_100_000 + b"\nLIMIT 1"


@pytest.mark.slow
def test_real_server_enforces_the_request_size_limit(real_server):
    from tests.support.servers import raw_exchange, status_of
    raw = raw_exchange("127.0.0.1", real_server.port,
                       b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                       + f"Content-Length: {len(BIG_QUERY)}\r\nConnection: close\r\n\r\n".encode() + BIG_QUERY)
    assert status_of(raw) == 413, raw[:300]
    # a huge announced body is refused at once, without waiting for (or reading) it
    import time
    started = time.monotonic()
    raw = raw_exchange("127.0.0.1", real_server.port,
                       b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                       b"Content-Length: 50000000\r\n\r\nquery=ASK", shutdown_write=False, timeout=10)
    assert status_of(raw) == 413 and time.monotonic() - started < 5, raw[:300]
    status, _, _ = real_server.request("GET", "/sparql?query=" + quote("ASK {}"),
                                       headers={"Accept": "application/sparql-results+json"})
    assert status == 200


@pytest.mark.slow
def test_real_server_refuses_a_chunked_body_beyond_the_limit(real_server):
    from tests.support.servers import raw_exchange, status_of
    chunks = b"".join(f"{len(BIG_QUERY[i:i + 65536]):x}\r\n".encode() + BIG_QUERY[i:i + 65536] + b"\r\n"
                      for i in range(0, len(BIG_QUERY), 65536)) + b"0\r\n\r\n"
    raw = raw_exchange("127.0.0.1", real_server.port,
                       b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                       b"Accept: text/csv\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunks)
    assert status_of(raw) == 413, raw[:300]


@pytest.mark.parametrize("html", [
    "<p><script>alert(1)</script></p>", '<p><img src=x onerror="alert(1)"></p>', '<a href="javascript:alert(1)">x</a>',
    '<textarea></textarea><svg onload=alert(1)></svg>', '<script type="application/json">{"a": 1}</script><script>1</script>',
    '<p title="x" onmouseover="alert(1)">x</p>', '<iframe src="/x"></iframe>',
])
def test_the_inertness_check_catches_what_an_injection_would_create(html):
    with pytest.raises(AssertionError):
        assert_inert(f"<!doctype html><html><body>{html}</body></html>", "sample")


@pytest.mark.slow
def test_payloads_are_escaped_when_served_by_kazkg_serve_data(payload_file, tmp_path):
    from tests.support.servers import kazkg_serve
    with kazkg_serve(payload_file, tmp_path, dev=True) as server:
        for path, shown in PAYLOAD_PAGES:
            status, headers, body = server.request("GET", path, headers=HTML)
            assert status < 500, path
            if headers.get("content-type", "").startswith("text/html"):
                text = page_text(assert_inert(body, path))
                for payload in shown:
                    assert payload in text, f"{path}: {payload!r} not shown as text"
