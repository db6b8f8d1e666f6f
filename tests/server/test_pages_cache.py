"""Pages of an immutable build are computed once: per-build indexes, few queries per page, rendered
pages kept per process, ETags and 304s; a SPARQL Update makes every page new again."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from server.state import bind_parameters

PERSON = "/page/person/serik-akhmetov"
AKHMETOV = "https://w3id.org/kazkg/id/person/serik-akhmetov"
PAGES = [
    "/",
    "/programs",
    "/officials?sort=label&dir=asc",
    PERSON,
    "/page/place/astana",
    "/page/program/industrialization-map",
    "/page/indicator/jobs",
    "/page/doc/000_14161995b5d2d40a",
    "/search?q=akhmetov",
    "/search.json?q=astana",
    "/asof?date=2015-06-01",
    "/class?iri=https://w3id.org/kazkg/ontology%23Person",
]


class CountingStore:
    def __init__(self, store) -> None:
        self._store, self.queries = store, 0

    def query(self, *args, **kwargs):
        self.queries += 1
        return self._store.query(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._store, name)


@pytest.fixture(scope="module")
def fresh(built):
    """An app of its own: these tests count its queries and fill and empty its caches."""
    from server import create_app

    application = create_app(built[0])
    yield application
    application.extensions["kazkg"].executor.close()


@pytest.fixture(scope="module")
def curated(built):
    """A single-process server over the in-memory store that takes updates."""
    from server import create_app

    application = create_app(built[0].replace(update_token="secret", server_workers=1))  # noqa: S106
    yield application
    application.extensions["kazkg"].executor.close()


# --- ETag, 304, Cache-Control ---------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_a_weak_etag_of_the_build_and_answer_304(client, app, path):
    first = client.get(path)
    assert first.status_code == 200
    tag, weak = first.get_etag()
    assert weak and tag.startswith(app.extensions["kazkg"].build_id + "-")
    assert first.headers["Cache-Control"] == "public, max-age=60"
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["X-Kazkg-Build"] == app.extensions["kazkg"].build_id
    other = client.get(path, headers={"If-None-Match": 'W/"someone-else"'})
    assert other.status_code == 200 and other.data == first.data


def test_the_etag_differs_by_label_language_and_says_so_in_vary(client):
    english = client.get(PERSON)
    kazakh = client.get(PERSON, headers={"Accept-Language": "kk"})
    assert english.headers["ETag"] != kazakh.headers["ETag"]
    assert {"Accept-Language", "Cookie"} <= set(english.vary)
    client.set_cookie("lang", "ru")
    try:
        russian = client.get(PERSON, headers={"If-None-Match": english.headers["ETag"]})
    finally:
        client.delete_cookie("lang")
    assert russian.status_code == 200 and russian.headers["ETag"] != english.headers["ETag"]


def test_a_permalink_of_the_served_build_is_immutable(client, app):
    build = app.extensions["kazkg"].build_id
    r = client.get(f"{PERSON}?build={build}")
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    old = client.get(f"{PERSON}?build=0123456789ab")
    assert old.headers["Cache-Control"] == "public, max-age=60" and "Warning" in old.headers


def test_errors_and_uncached_routes_get_no_etag(client):
    missing = client.get("/page/person/nobody-at-all")
    assert missing.status_code == 404 and "ETag" not in missing.headers
    assert "ETag" not in client.get("/sparql?query=ASK%7B%7D").headers
    assert "ETag" not in client.get("/downloads").headers


def test_data_negotiated_by_accept_keeps_one_page_per_type(client):
    turtle = client.get("/data/person/serik-akhmetov", headers={"Accept": "text/turtle"})
    triples = client.get("/data/person/serik-akhmetov", headers={"Accept": "application/n-triples"})
    again = client.get("/data/person/serik-akhmetov", headers={"Accept": "text/turtle"})
    assert turtle.mimetype == again.mimetype == "text/turtle"
    assert triples.mimetype == "application/n-triples"
    assert turtle.headers["ETag"] != triples.headers["ETag"] and turtle.data == again.data
    assert "Accept" in turtle.vary


# --- the page cache -------------------------------------------------------------------------------


def test_a_second_view_is_the_kept_page_with_the_same_headers(fresh):
    st = fresh.extensions["kazkg"]
    client = fresh.test_client()
    first = client.get("/search.json?q=astana")
    hits = st.pages.hits
    second = client.get("/search.json?q=astana")
    assert st.pages.hits == hits + 1
    assert second.data == first.data and second.mimetype == "application/json"
    assert second.headers["Access-Control-Allow-Origin"] == "*"
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    page = client.get(PERSON)
    kept = client.get(PERSON)
    assert kept.data == page.data and kept.headers.get_all("Link") == page.headers.get_all("Link")
    head = client.head(PERSON)
    assert head.status_code == 200 and head.headers["ETag"] == page.headers["ETag"]


def test_the_page_cache_is_bounded(built):
    from server import create_app

    small = create_app(built[0].replace(page_cache_size=2))
    try:
        client = small.test_client()
        for path in ("/programs", "/officials", "/regions", "/programs"):
            assert client.get(path).status_code == 200
        assert len(small.extensions["kazkg"].pages) == 2
    finally:
        small.extensions["kazkg"].executor.close()


def test_the_page_cache_is_bounded_in_bytes():
    from server.pagecache import Page, PageCache

    cache = PageCache(100, max_bytes=1000)
    for n in range(5):
        cache.put(("page", n), Page("200 OK", (), b"x" * 400))
    assert len(cache) == 2 and cache.bytes == 800
    assert cache.get(("page", 4)) is not None and cache.get(("page", 0)) is None
    cache.put(("page", 4), Page("200 OK", (), b"y" * 100))
    assert cache.bytes == 500
    cache.put(("huge", 0), Page("200 OK", (), b"z" * 1001))
    assert cache.get(("huge", 0)) is None


def test_no_page_cache_still_answers_304(built):
    from server import create_app

    none = create_app(built[0].replace(page_cache_size=0))
    try:
        client = none.test_client()
        first = client.get(PERSON)
        assert len(none.extensions["kazkg"].pages) == 0
        revalidated = client.get(PERSON, headers={"If-None-Match": first.headers["ETag"]})
        assert revalidated.status_code == 304
    finally:
        none.extensions["kazkg"].executor.close()


# --- computed once, few queries -------------------------------------------------------------------


def test_pages_ask_few_queries_once_the_build_is_indexed(built):
    from server import create_app

    uncached = create_app(built[0].replace(page_cache_size=0))
    st = uncached.extensions["kazkg"]
    client = uncached.test_client()
    counting = CountingStore(st.backend.store())
    st.backend.store = lambda: counting
    try:
        for path in ("/", "/programs", "/asof?date=2015-06-01", "/search?q=x"):
            client.get(path)  # indexes of the build, read on first use
        asked = {}
        for path in (PERSON, "/page/place/astana", "/page/program/industrialization-map",
                     "/page/doc/000_14161995b5d2d40a", "/page/indicator/jobs", "/", "/officials",
                     "/asof?date=2013-01-01", "/search?q=astana"):
            before = counting.queries
            assert client.get(path).status_code == 200
            asked[path] = counting.queries - before
    finally:
        st.executor.close()
    # an entity page: one query for the entity, one for the views of its kind
    assert all(asked[p] <= 2 for p in asked if p.startswith("/page/")), asked
    assert asked["/"] == asked["/officials"] == asked["/asof?date=2013-01-01"] == 0, asked
    assert asked["/search?q=astana"] == 0, asked


def test_per_build_indexes_are_read_once(fresh):
    st = fresh.extensions["kazkg"]
    client = fresh.test_client()
    client.get("/programs")
    rows = st.memo["index:programs"]
    client.get("/programs?sort=end")
    client.get("/")
    assert st.memo["index:programs"] is rows


# --- updates --------------------------------------------------------------------------------------


def test_an_update_makes_every_page_new(curated):
    st = curated.extensions["kazkg"]
    client = curated.test_client()
    before = client.get(PERSON)
    assert st.updatable and before.headers["Cache-Control"] == "no-cache"
    assert "Serik Akhmetov" in before.get_data(as_text=True)
    tag = before.headers["ETag"]
    client.get(PERSON)
    assert len(st.pages) >= 1
    update = f"""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        DELETE {{ <{AKHMETOV}> skos:prefLabel ?old }} WHERE {{ <{AKHMETOV}> skos:prefLabel ?old }} ;
        INSERT DATA {{ <{AKHMETOV}> skos:prefLabel "Serik N. Akhmetov-Renamed"@en }}"""
    r = client.post("/sparql", data={"update": update}, headers={"Authorization": "Bearer secret"})
    assert r.status_code == 204
    assert st.revision == 1 and st.build_id.endswith("+1") and len(st.pages) == 0
    after = client.get(PERSON, headers={"If-None-Match": tag})
    assert after.status_code == 200
    assert after.headers["ETag"] != tag and after.get_etag()[0].startswith(st.build_id + "-")
    assert "Serik N. Akhmetov-Renamed" in after.get_data(as_text=True)
    assert "Serik N. Akhmetov-Renamed" in client.get("/officials?sort=label").get_data(as_text=True)
    assert client.get("/search.json?q=Renamed").get_json()[0]["iri"] == AKHMETOV


# --- parameters -----------------------------------------------------------------------------------


def test_parameters_are_bound_in_values_blocks_written_by_pyoxigraph():
    text = ("SELECT * WHERE { VALUES ?e { UNDEF } ?e ?p ?o { VALUES ?e  {UNDEF} } "
            "VALUES ?x { UNDEF } }")
    bound, rest = bind_parameters(text, {
        "e": ox.NamedNode("https://w3id.org/kazkg/id/person/a"),
        "x": [ox.Literal('say "hi"\n', language="en"), ox.Literal("2")],
        "y": ox.Literal("left for substitution"),
    })
    assert bound.count("VALUES ?e { <https://w3id.org/kazkg/id/person/a> }") == 2
    assert 'VALUES ?x { "say \\"hi\\"\\n"@en "2" }' in bound
    assert rest == {"y": ox.Literal("left for substitution")}
    store = ox.Store()
    assert list(store.query(bound.replace("?e ?p ?o", ""))) is not None  # valid SPARQL


@pytest.mark.parametrize("value", ["<http://evil> } ?s ?p ?o {", 42, ox.BlankNode("b")])
def test_parameters_must_be_rdf_terms(value):
    with pytest.raises(TypeError):
        bind_parameters("SELECT * WHERE { VALUES ?e { UNDEF } }", {"e": value})


def test_unbound_placeholders_keep_the_query_open():
    text, rest = bind_parameters("SELECT * WHERE { VALUES ?e { UNDEF } ?e ?p ?o }", {})
    assert text == "SELECT * WHERE { VALUES ?e { UNDEF } ?e ?p ?o }" and rest == {}
