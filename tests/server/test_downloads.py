"""Dumps, the DCAT catalog, the build report, and citable permalinks carrying the build id."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
from bs4 import BeautifulSoup

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return BeautifulSoup(response.data, "html.parser")


def body(client, path: str, **kwargs):
    response = client.get(path, **kwargs)
    data = response.data
    response.close()
    return response, data


# --- dumps ---------------------------------------------------------------------------------------


def test_downloads_page_lists_the_three_formats(client, built):
    soup = soup_of(client.get("/downloads"))
    hrefs = {a["href"] for a in soup.select("table a[download]")}
    assert hrefs == {"/downloads/kazkg.trig", "/downloads/kazkg.nq", "/downloads/kazkg.jsonld"}
    text = soup.get_text(" ")
    build_id = built[1].build_id
    assert build_id in text and "creativecommons.org/licenses/by/4.0" in text
    assert soup.find("a", href="/.well-known/void") and soup.find("a", href="/dcat.ttl")


def test_the_trig_dump_is_the_built_file_and_its_checksum_names_the_build(
    client, built, dataset_path
):
    response, data = body(client, "/downloads/kazkg.trig")
    assert response.status_code == 200 and response.mimetype == "application/trig"
    assert data == dataset_path.read_bytes()
    assert hashlib.sha256(data).hexdigest().startswith(built[1].build_id)
    assert response.headers["ETag"].strip('"') == built[1].build_id
    again, _ = body(
        client, "/downloads/kazkg.trig", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    "ext,fmt,media",
    [
        ("nq", ox.RdfFormat.N_QUADS, "application/n-quads"),
        ("jsonld", ox.RdfFormat.JSON_LD, "application/ld+json"),
    ],
)
def test_other_dumps_hold_the_same_dataset(client, store, ext, fmt, media):
    response, data = body(client, f"/downloads/kazkg.{ext}")
    assert response.status_code == 200 and response.mimetype == media
    copy = ox.Store()
    copy.load(data, format=fmt)
    assert len(copy) == len(store)
    assert set(copy.named_graphs()) == set(store.named_graphs())
    page = soup_of(client.get("/downloads")).get_text()
    assert hashlib.sha256(data).hexdigest() in page  # the checksum is listed once the file exists


def test_unknown_dump_is_404(client):
    assert client.get("/downloads/kazkg.xlsx").status_code == 404


# --- DCAT and VoID -------------------------------------------------------------------------------


def test_dcat_catalog_gives_license_version_issued_and_distributions(client, built):
    body(client, "/downloads/kazkg.trig")
    response, data = body(client, "/dcat.ttl")
    assert response.mimetype == "text/turtle"
    graph = ox.Store()
    graph.load(data, format=ox.RdfFormat.TURTLE)
    dataset = ox.NamedNode("https://w3id.org/kazkg/dataset")
    assert ox.Quad(dataset, RDF_TYPE, ox.NamedNode(DCAT + "Dataset")) in graph

    def objects(s, p):
        return [q.object for q in graph.quads_for_pattern(s, ox.NamedNode(p), None)]

    assert objects(dataset, DCT + "license") == [
        ox.NamedNode("https://creativecommons.org/licenses/by/4.0/")
    ]
    assert [o.value for o in objects(dataset, DCAT + "version")] == [built[1].build_id]
    assert objects(dataset, DCT + "issued")[0].value.startswith(built[1].started[:10])
    urls = {o.value.rsplit("/", 1)[-1] for o in objects(dataset, DCAT + "distribution")}
    assert urls == {"kazkg.trig", "kazkg.nq", "kazkg.jsonld"}
    trig = ox.NamedNode("http://localhost/downloads/kazkg.trig")
    assert objects(trig, DCAT + "byteSize")  # the file exists: its size and checksum are given
    see_also = {o.value for o in objects(dataset, "http://www.w3.org/2000/01/rdf-schema#seeAlso")}
    assert "http://localhost/.well-known/void" in see_also and "http://localhost/report" in see_also


def test_dcat_negotiates_and_has_every_syntax(client):
    response, data = body(client, "/dcat", headers={"Accept": "application/ld+json"})
    assert response.mimetype == "application/ld+json"
    for ext in ("ttl", "jsonld", "nt", "rdf"):
        assert body(client, f"/dcat.{ext}")[0].status_code == 200
    assert client.get("/dcat.xlsx").status_code == 404


def test_the_void_description_offers_the_dumps_this_server_serves(client):
    response, data = body(client, "/.well-known/void", headers={"Accept": "text/turtle"})
    if response.status_code == 404:
        pytest.skip("the VoID description is not served (server/void.py)")
    graph = ox.Store()
    graph.load(data, format=ox.RdfFormat.TURTLE)
    dumps = [
        q.object.value
        for q in graph.quads_for_pattern(
            None, ox.NamedNode("http://rdfs.org/ns/void#dataDump"), None
        )
    ]
    assert dumps
    for url in dumps:
        assert body(client, urlsplit(url).path)[0].status_code == 200, url


# --- build report --------------------------------------------------------------------------------


def test_build_report_shows_shacl_counts_and_changes(client, built):
    soup = soup_of(client.get("/report"))
    text = soup.get_text(" ")
    assert built[1].build_id in text
    assert "Conforms" in soup.select_one("#h-shacl").find_parent("section").get_text()
    counts = soup.select_one("#h-counts").find_parent("section")
    assert "persons" in counts.get_text() and "tenures" in counts.get_text()
    assert soup.select_one("#h-classes")
    assert soup.select_one("#h-changes")
    scores = soup.select_one("#h-scores").find_parent("section")
    assert scores.find("a", href="/report/scores") or scores.find("table")


def test_extraction_scores_against_the_gold_annotations(client):
    soup = soup_of(client.get("/report/scores"))
    rows = {
        tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")]
        for tr in soup.select("main table")[0].select("tbody tr")
    }
    assert {"persons", "posts", "quantities", "meetings"} <= set(rows)
    assert all(0 <= float(values[2]) <= 1 for values in rows.values())
    report = client.get("/report.json").get_json()
    assert report["build_id"] and report["report"]["validation"]["conforms"] is True
    assert report["scores"]["scores"]["persons"]["f1"] > 0.5


def test_report_shows_changes_when_the_build_recorded_them(client, monkeypatch):
    from server import downloads

    st = client.application.extensions["kazkg"]
    report = dict(downloads.build_report(st))
    report["changes"] = {
        "previous_build": "0123456789ab",
        "counts": {"persons": [20, 27]},
        "added": ["https://w3id.org/kazkg/id/person/serik-akhmetov"],
        "removed": [],
    }
    monkeypatch.setitem(st.memo, "build_report", report)
    section = soup_of(client.get("/report")).select_one("#h-changes").find_parent("section")
    assert "0123456789ab" in section.get_text() and "+7" in section.get_text()
    assert section.find("a", href="/page/person/serik-akhmetov")


# --- citing --------------------------------------------------------------------------------------


def test_every_page_has_a_permalink_with_the_build(client, built):
    r = client.get("/page/person/serik-akhmetov")
    assert r.headers["X-Kazkg-Build"] == built[1].build_id
    soup = soup_of(r)
    permalink = soup.find("a", rel="bookmark")["href"]
    assert parse_qs(urlsplit(permalink).query)["build"] == [built[1].build_id]
    cite = soup.find("a", string="cite this page")["href"]
    citation = soup_of(client.get(cite))
    assert (
        "Serik Akhmetov" in citation.get_text()
        and built[1].build_id in citation.select_one("pre").get_text()
    )
    assert "@misc{kazkg-" in citation.get_text()


def test_a_permalink_of_another_build_says_so(client, built):
    r = client.get("/page/person/serik-akhmetov?build=000000000000")
    assert r.status_code == 200
    assert "000000000000" in r.headers["Warning"] and built[1].build_id in r.headers["Warning"]
    banner = BeautifulSoup(r.data, "html.parser").select_one(".banner")
    assert banner and "000000000000" in banner.get_text()
    same = client.get(f"/page/person/serik-akhmetov?build={built[1].build_id}")
    assert "Warning" not in same.headers and not BeautifulSoup(same.data, "html.parser").select_one(
        ".banner"
    )


def test_a_query_is_cited_with_its_results_checksum(client, built):
    query = "SELECT ?p WHERE { ?p a <https://w3id.org/kazkg/ontology#Person> }"
    first = soup_of(client.get("/cite", query_string={"query": query}))
    second = soup_of(client.get("/cite", query_string={"query": query}))
    checksum = first.select_one("code.hash").get_text()
    assert len(checksum) == 64 and checksum == second.select_one("code.hash").get_text()
    permalink = first.find("a", rel="bookmark")["href"]
    args = parse_qs(urlsplit(permalink).query)
    assert args["query"] == [query] and args["build"] == [built[1].build_id]
    rerun = client.get(
        urlsplit(permalink).path,
        query_string={"query": query, "build": built[1].build_id},
        headers={"Accept": "text/tab-separated-values"},
    )
    from server.cite import results_checksum

    assert results_checksum(rerun.data, "SELECT")[1] == checksum


def test_citing_a_broken_query_explains(client):
    soup = soup_of(client.get("/cite", query_string={"query": "SELECT WHERE {"}))
    assert soup.select_one("[role=alert]")


def test_results_checksum_ignores_row_order():
    from server.cite import results_checksum

    a = results_checksum(b"?x\n<a>\n<b>\n", "SELECT")
    b = results_checksum(b"?x\n<b>\n<a>\n", "SELECT")
    assert a == b and a[0] == 2
