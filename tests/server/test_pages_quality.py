"""Quality of the pages: every route answers with its content type, the HTML is valid and
accessible, nothing from the data is inserted unescaped, any RDF file can be browsed, and no
page takes more than 300 ms on the corpus build."""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path

import html5lib
import pyoxigraph as ox
import pytest
from bs4 import BeautifulSoup

from graph.config import Config
from server import create_app

SERVER = Path(__file__).resolve().parents[2] / "server"
OWN_BLUEPRINTS = {"pages", "browse", "search", "downloads", "cite"}
# One example request per endpoint of the page blueprints: (path, status, media type).
ROUTES = {
    "pages.home": ("/", 200, "text/html"),
    "pages.dereference": ("/id/person/serik-akhmetov", 303, None),
    "pages.entity_data": ("/data/person/serik-akhmetov.ttl", 200, "text/turtle"),
    "pages.entity_page": ("/page/person/serik-akhmetov", 200, "text/html"),
    "pages.resource_page": (
        "/resource?iri=http://www.w3.org/ns/org%23Membership",
        200,
        "text/html",
    ),
    "pages.inbound": (
        "/links?iri=https://w3id.org/kazkg/id/place/kazakhstan"
        "&p=http://purl.org/linked-data/sdmx/2009/dimension%23refArea",
        200,
        "text/html",
    ),
    "pages.set_language": ("/lang?set=kk&next=/", 303, None),
    "browse.index_page": ("/programs", 200, "text/html"),
    "browse.class_page": ("/class?iri=https://w3id.org/kazkg/ontology%23Program", 200, "text/html"),
    "browse.asof_page": ("/asof?date=2013-05-01", 200, "text/html"),
    "search.search_page": ("/search?q=astana", 200, "text/html"),
    "search.search_json": ("/search.json?q=astana", 200, "application/json"),
    "downloads.downloads_page": ("/downloads", 200, "text/html"),
    "downloads.dump": ("/downloads/kazkg.nq", 200, "application/n-quads"),
    "downloads.dcat": ("/dcat.ttl", 200, "text/turtle"),
    "downloads.report_page": ("/report", 200, "text/html"),
    "downloads.scores_page": ("/report/scores", 200, "text/html"),
    "downloads.report_json": ("/report.json", 200, "application/json"),
    "cite.cite_page": ("/cite?url=/programs", 200, "text/html"),
}
HTML_PAGES = [
    "/",
    "/page/person/serik-akhmetov",
    "/page/place/astana",
    "/page/place/kazakhstan",
    "/page/program/industrialization-map",
    "/page/indicator/jobs",
    "/page/doc/000_14161995b5d2d40a",
    "/page/meeting/000_14161995b5d2d40a-1",
    "/page/post/prime-minister--government-of-kazakhstan",
    "/page/org/government-of-kazakhstan",
    "/page/tenure/000_14161995b5d2d40a-1",
    "/page/person/serik-akhmetov?asof=2013-01-01&lang=ru",
    "/programs",
    "/officials",
    "/organizations?sort=posts&dir=desc",
    "/regions",
    "/indicators",
    "/projects",
    "/meetings",
    "/documents",
    "/search?q=Ахметов",
    "/search?q=zzzz",
    "/asof",
    "/asof?date=2013-05-01",
    "/downloads",
    "/report",
    "/report/scores",
    "/cite?url=/page/person/serik-akhmetov",
    "/cite?query=SELECT%20*%20WHERE%20%7B%20?s%20?p%20?o%20%7D%20LIMIT%203",
    "/class?iri=https://w3id.org/kazkg/ontology%23Person",
    "/id/person/nobody",
    "/links?iri=https://w3id.org/kazkg/ontology%23Organization&p=http://www.w3.org/1999/02/22-rdf-syntax-ns%23type",
]


def get(client, path: str, **kwargs):
    response = client.get(path, **kwargs)
    data = response.data
    response.close()
    return response, data


def test_every_page_route_has_an_example(app):
    endpoints = {
        r.endpoint for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] in OWN_BLUEPRINTS
    }
    assert endpoints == set(ROUTES), "add an example request for each new route"


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_every_route_answers_with_its_content_type(client, endpoint):
    path, status, media = ROUTES[endpoint]
    response, _ = get(client, path, headers={"Accept": "text/html"} if media == "text/html" else {})
    assert response.status_code == status, path
    if media:
        assert response.mimetype == media, path
    client.get("/lang?set=en&next=/")


@pytest.mark.parametrize("path", HTML_PAGES)
def test_pages_are_valid_html(client, path):
    response, data = get(client, path, headers={"Accept": "text/html"})
    assert response.status_code in (200, 404)
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(data)
    assert not parser.errors, [(pos, err, info) for pos, err, info in parser.errors][:5]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_pages_are_accessible(client, path):
    _, data = get(client, path, headers={"Accept": "text/html"})
    soup = BeautifulSoup(data, "html.parser")
    assert soup.html.get("lang") == "en"
    assert soup.find("meta", attrs={"name": "viewport"})
    assert len(soup.find_all("h1")) == 1
    assert soup.select_one("a.skip[href='#main']") and soup.find("main", id="main")
    for nav in soup.find_all("nav"):
        assert nav.get("aria-label"), "every navigation landmark is named"
    labelled = {label["for"] for label in soup.find_all("label", attrs={"for": True})}
    for field in soup.find_all(["input", "select", "textarea"]):
        if field.get("type") in ("hidden", "submit"):
            continue
        assert (
            field.get("id") in labelled or field.get("aria-label") or field.get("aria-labelledby")
        ), field
    for a in soup.find_all("a"):
        assert a.get_text(strip=True) or a.get("aria-label") or a.find("title"), a
    for svg in soup.find_all("svg"):
        assert svg.get("aria-hidden") == "true" or (
            svg.get("role") == "img" and svg.find("title")
        ), "svg needs a name"
    for table in soup.find_all("table"):
        assert table.find("th"), "tables have header cells"
    for element in soup.find_all(lang=True):
        assert re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", element["lang"]), element["lang"]


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_text_colours_have_enough_contrast():
    css = (SERVER / "static" / "style.css").read_text()
    variables = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{6})", css))
    for name in ("ink", "muted", "accent", "warn", "ok"):
        assert contrast(variables[name], "#ffffff") >= 4.5, name
        assert contrast(variables[name], variables["soft"]) >= 4.5, f"{name} on --soft"
    for colour, background in re.findall(
        r"\.badge\.\w+ \{[^}]*?color: (#[0-9a-f]{6}); background: (#[0-9a-f]{6})", css
    ):
        assert contrast(colour, background) >= 4.5, (colour, background)
    from server.charts import KIND_COLOURS, OTHER_COLOURS

    for colour in [*KIND_COLOURS.values(), *OTHER_COLOURS]:
        assert contrast(colour, "#ffffff") >= 4.5, colour
    assert "@media" in css and ":focus-visible" in css


def test_templates_never_mark_data_safe():
    for template in (SERVER / "templates").glob("*.html"):
        text = template.read_text()
        assert "|safe" not in text.replace(" ", "") and "autoescape false" not in text, (
            template.name
        )
    for module in SERVER.glob("*.py"):
        assert "Markup(" not in module.read_text(), module.name


EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def evil_app(tmp_path_factory):
    """A dataset whose names, texts and comments carry markup."""
    kz, kzid = "https://w3id.org/kazkg/ontology#", "https://w3id.org/kazkg/id/"
    skos, rdf = (
        "http://www.w3.org/2004/02/skos/core#",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    )
    nif = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
    person, doc = ox.NamedNode(kzid + "person/evil"), ox.NamedNode(kzid + "doc/evil")
    mention = ox.NamedNode(kzid + "doc/evil#char=0,6")
    g = ox.DefaultGraph()
    quads = [
        ox.Quad(person, ox.NamedNode(rdf + "type"), ox.NamedNode(kz + "Person"), doc),
        ox.Quad(
            person, ox.NamedNode(skos + "prefLabel"), ox.Literal("Evil " + EVIL, language="en"), g
        ),
        ox.Quad(person, ox.NamedNode(skos + "altLabel"), ox.Literal(EVIL), g),
        ox.Quad(
            person,
            ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
            ox.Literal(EVIL),
            g,
        ),
        ox.Quad(person, ox.NamedNode(kz + "attestedOn"), ox.Literal(EVIL, language="en-x-evil"), g),
        ox.Quad(doc, ox.NamedNode(rdf + "type"), ox.NamedNode(kz + "NewsArticle"), g),
        ox.Quad(doc, ox.NamedNode(nif + "isString"), ox.Literal("Evil: " + EVIL), g),
        ox.Quad(
            doc, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal(EVIL), g
        ),
        ox.Quad(mention, ox.NamedNode(rdf + "type"), ox.NamedNode(kz + "Mention"), doc),
        ox.Quad(
            mention,
            ox.NamedNode(nif + "beginIndex"),
            ox.Literal("0", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
            doc,
        ),
        ox.Quad(
            mention,
            ox.NamedNode(nif + "endIndex"),
            ox.Literal("40", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
            doc,
        ),
        ox.Quad(mention, ox.NamedNode(kz + "refersTo"), person, doc),
    ]
    quads += [ox.Quad(q.subject, q.predicate, q.object, g) for q in quads if q.graph_name != g]
    path = tmp_path_factory.mktemp("evil") / "evil.trig"
    path.write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG))
    application = create_app(Config(data_path=path))
    yield application
    application.extensions["kazkg"].executor.close()


@pytest.mark.parametrize(
    "path",
    [
        "/page/person/evil",
        "/page/doc/evil",
        "/search?q=script",
        "/search?q=evil",
        "/officials",
        "/documents",
        "/class?iri=https://w3id.org/kazkg/ontology%23Person",
        "/id/person/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/search?q=%3Cscript%3E",
        "/cite?url=/%3Cscript%3E",
        "/",
    ],
)
def test_nothing_from_the_data_is_inserted_unescaped(evil_app, path):
    response, data = get(evil_app.test_client(), path, headers={"Accept": "text/html"})
    html = data.decode()
    assert (
        "<script>alert" not in html
        and "<img src=x" not in html
        and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    )
    soup = BeautifulSoup(html, "html.parser")
    assert [s.get("src") for s in soup.find_all("script")] == ["/static/suggest.js"]
    assert not soup.find("img")


def test_search_json_carries_names_as_data(evil_app):
    results = evil_app.test_client().get("/search.json?q=evil").get_json()
    assert results and results[0]["label"].startswith("Evil <script>")  # JSON, for textContent


# --- any RDF file --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def foreign_app(tmp_path_factory):
    path = tmp_path_factory.mktemp("foreign") / "data.ttl"
    path.write_text("""
        @prefix ex: <http://example.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix schema: <https://schema.org/> .
        ex:a a schema:Person ; rdfs:label "Ädä Lovelace"@en , "Ада Лавлейс"@ru ; ex:knows ex:b .
        ex:b a schema:Person ; schema:name "Charles Babbage" .
    """)
    application = create_app(Config(data_path=path))
    yield application
    application.extensions["kazkg"].executor.close()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/resource?iri=http://example.org/a",
        "/resource?iri=http://example.org/b",
        "/search?q=ada",
        "/search.json?q=Лавлейс",
        "/class?iri=https://schema.org/Person",
        "/programs",
        "/officials",
        "/asof?date=2020-01-01",
        "/downloads",
        "/downloads/kazkg.trig",
        "/downloads/kazkg.nq",
        "/downloads/kazkg.jsonld",
        "/dcat.ttl",
        "/report",
        "/report/scores",
        "/report.json",
        "/cite?url=/",
        "/resource?iri=http://example.org/a&asof=2020-01-01&lang=ru",
    ],
)
def test_any_rdf_file_can_be_browsed(foreign_app, path):
    response, data = get(foreign_app.test_client(), path, headers={"Accept": "text/html"})
    assert response.status_code == 200, data[:300]


def test_any_rdf_file_labels_and_search(foreign_app):
    client = foreign_app.test_client()
    soup = BeautifulSoup(get(client, "/resource?iri=http://example.org/a")[1], "html.parser")
    assert soup.h1.get_text() == "Ädä Lovelace"
    assert soup.find("a", href="/resource?iri=http://example.org/b").get_text() == "Charles Babbage"
    assert not soup.select("tr.inferred"), "without an inference graph nothing is called inferred"
    results = client.get("/search.json?q=Лавлейс").get_json()
    assert results[0]["iri"] == "http://example.org/a"
    assert client.get("/search.json?q=ada lovelace").get_json()[0]["iri"] == "http://example.org/a"


# --- speed ---------------------------------------------------------------------------------------


def test_no_page_takes_more_than_300_ms(client):
    paths = [p for p in HTML_PAGES if not p.startswith("/cite?query")]  # runs a user query
    for path in paths:  # warm the indexes and caches a process builds once
        get(client, path)
    slow = {}
    for path in paths:
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            get(client, path)
            timings.append(time.perf_counter() - started)
        if statistics.median(timings) > 0.3:
            slow[path] = round(statistics.median(timings), 3)
    assert not slow, slow
