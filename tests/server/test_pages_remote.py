"""The pages answer from a remote SPARQL store (Virtuoso) as they do from the local one."""

from __future__ import annotations

import pytest

from tests.server.test_backends import remote_app, virtuoso  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.virtuoso, pytest.mark.slow]

PATHS = [
    "/", "/page/person/serik-akhmetov", "/page/place/astana", "/page/program/industrialization-map",
    "/page/indicator/jobs", "/page/doc/000_14161995b5d2d40a",
    "/page/meeting/000_14161995b5d2d40a-1",
    "/page/post/prime-minister--government-of-kazakhstan?asof=2015-01-01", "/programs",
    "/officials", "/search?q=Ахметов", "/asof?date=2013-05-01", "/downloads", "/dcat.ttl",
    "/report", "/class?iri=https://w3id.org/kazkg/ontology%23Person", "/id/person/nobody",
]


@pytest.mark.parametrize("path", PATHS)
def test_pages_answer_from_a_remote_store(remote_app, client, path):  # noqa: F811
    remote = remote_app.test_client().get(path, headers={"Accept": "text/html"})
    local = client.get(path, headers={"Accept": "text/html"})
    assert remote.status_code == local.status_code, remote.get_data(as_text=True)[:500]


def test_search_answers_the_same_from_a_remote_store(remote_app, client):  # noqa: F811
    for q in ("Ахметов", "Nur-Sultan"):
        remote = remote_app.test_client().get("/search.json", query_string={"q": q}).get_json()
        local = client.get("/search.json", query_string={"q": q}).get_json()
        assert [r["iri"] for r in remote][:3] == [r["iri"] for r in local][:3]


def test_a_remote_store_offers_no_dumps_but_says_why(remote_app):  # noqa: F811
    r = remote_app.test_client().get("/downloads/kazkg.nq", headers={"Accept": "text/plain"})
    assert r.status_code == 404 and b"remote store" in r.data
