"""Store backends: in-memory, on-disk Oxigraph (`kazkg load --store DIR`) and a remote SPARQL
endpoint (`kazkg load/serve --store URL`, tested against a Virtuoso when one can be started)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.config import PROJECT_ROOT
from server.backends import BackendError, OxigraphDisk, open_backend, store_kind
from server.load import load_disk
from server.remote import bind_values, skolemize

VIRTUOSO_SH = PROJECT_ROOT.parent / "shared" / "tools" / "virtuoso.sh"
SRJ = "application/sparql-results+json"


# --- pure helpers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("memory", ("memory", "")), ("oxigraph:/data/store", ("disk", "/data/store")),
    ("/data/store", ("disk", "/data/store")), ("http://h:8890/sparql", ("remote", "http://h:8890/sparql")),
])
def test_store_kinds(value, expected):
    assert store_kind(value) == expected


def test_unknown_store_scheme_is_refused():
    with pytest.raises(BackendError, match="unknown store"):
        store_kind("ftp://example.org/store")


def test_bind_values_puts_a_values_block_in_the_where_clause():
    query = "CONSTRUCT { ?e ?p ?o } WHERE { ?e ?p ?o }"
    bound = bind_values(query, {ox.Variable("e"): ox.NamedNode("http://example.org/a")})
    assert " ".join(bound.split()) == "CONSTRUCT { ?e ?p ?o } WHERE { VALUES (?e) { (<http://example.org/a>) } ?e ?p ?o }"
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"), ox.Literal("x")))
    store.add(ox.Quad(ox.NamedNode("http://example.org/b"), ox.NamedNode("http://example.org/p"), ox.Literal("y")))
    assert len(list(store.query(bound))) == 1


def test_bound_literals_are_escaped_by_the_rdf_library():
    hostile = ox.Literal('x" } ; DROP ALL ; INSERT DATA { <a> <b> "', language="en")
    bound = bind_values("SELECT ?s WHERE { ?s ?p ?name }", {ox.Variable("name"): hostile})
    ox.Store().query(bound)  # still one well-formed query: the payload stays inside the literal
    assert '\\"' in bound


def test_blank_nodes_cannot_be_bound_remotely():
    with pytest.raises(ValueError):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {ox.Variable("s"): ox.BlankNode()})


def test_skolemized_blank_nodes_keep_their_identity():
    node = ox.BlankNode("b1")
    base = "https://w3id.org/kazkg/"
    a = skolemize(node, base)
    assert isinstance(a, ox.NamedNode) and a.value.startswith(base + ".well-known/genid/")
    assert skolemize(ox.BlankNode("b1"), base) == a != skolemize(ox.BlankNode("b2"), base)


# --- on-disk store -------------------------------------------------------------------------------------

def default_graph_size(store) -> int:
    return int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)


def test_load_disk_builds_a_store_with_the_build_id(tmp_path, dataset_path, store):
    target = tmp_path / "store"
    count = load_disk(dataset_path, target, log=lambda s: None)
    assert count == len(store)
    backend = OxigraphDisk(target).load()
    assert backend.build_id == open_backend_memory(dataset_path).build_id
    assert default_graph_size(backend.store()) == default_graph_size(store)


def open_backend_memory(path: Path):
    from server.backends import OxigraphMemory
    return OxigraphMemory(path).load()


def test_reloading_swaps_the_store_and_a_failed_load_keeps_the_old_one(tmp_path, dataset_path):
    target = tmp_path / "store"
    load_disk(dataset_path, target, log=lambda s: None)
    first = (target / "BUILD_ID").read_text()
    broken = tmp_path / "broken.trig"
    broken.write_text("<a> <b> .\n")
    with pytest.raises(BackendError, match="broken.trig"):
        load_disk(broken, target, log=lambda s: None)
    assert (target / "BUILD_ID").read_text() == first
    assert not any(p.name.startswith(".store.") for p in tmp_path.iterdir())
    small = tmp_path / "small.nt"
    small.write_text('<http://example.org/a> <http://example.org/b> "c" .\n')
    load_disk(small, target, log=lambda s: None)
    assert default_graph_size(OxigraphDisk(target).load().store()) == 1


def test_the_app_serves_from_disk_like_from_memory(tmp_path, built, client):
    from server import create_app
    config = built[0]
    target = tmp_path / "store"
    load_disk(config.data_path, target, log=lambda s: None)
    app = create_app(config.replace(store=str(target)))
    try:
        disk = app.test_client()
        for name in ("cq/01-posts-held", "cq/16-organizations-by-kind"):
            query = app.extensions["kazkg"].queries.get(name).text
            a = client.post("/sparql", data={"query": query}, headers={"Accept": SRJ})
            b = disk.post("/sparql", data={"query": query}, headers={"Accept": SRJ})
            assert _terms(a) == _terms(b) and _terms(a)
        assert disk.get("/.well-known/void").status_code == 200
    finally:
        app.extensions["kazkg"].executor.close()


def test_missing_disk_store_is_a_clear_error(tmp_path, built):
    with pytest.raises(BackendError, match="kazkg load"):
        open_backend(built[0].replace(store=str(tmp_path / "nowhere")))


def test_cli_load_to_a_folder(tmp_path, dataset_path):
    result = subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / "kazkg"), "load", "--data", str(dataset_path),
                             "--store", str(tmp_path / "s")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "loaded" in result.stderr and (tmp_path / "s" / "BUILD_ID").is_file()


# --- a remote store: Virtuoso ---------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    if not VIRTUOSO_SH.is_file():
        pytest.skip(f"{VIRTUOSO_SH} is not here (the shared tools are outside the repository)")
    if shutil.which("virtuoso-t") is None:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    folder = tmp_path_factory.mktemp("virtuoso")
    http, sql = _free_port(), _free_port()
    started = subprocess.run([str(VIRTUOSO_SH), "start", str(folder), str(http), str(sql)],
                             capture_output=True, text=True, timeout=180)
    if started.returncode != 0:
        pytest.skip(f"Virtuoso did not start: {started.stderr.strip()[-300:]}")
    yield f"http://127.0.0.1:{http}"
    subprocess.run([str(VIRTUOSO_SH), "stop", str(folder)], capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def remote_app(virtuoso, built):
    from server import create_app
    from server.load import load_remote
    config = built[0]
    load_remote(config.data_path, f"{virtuoso}/sparql", f"{virtuoso}/sparql-auth", config.base_iri,
                user="dba", password="dba", gsp_url=f"{virtuoso}/sparql-graph-crud-auth", log=lambda s: None)
    app = create_app(config.replace(store=f"{virtuoso}/sparql", cache_size=0))
    yield app
    app.extensions["kazkg"].executor.close()


def _terms(response) -> list[tuple]:
    """Rows as sorted tuples of parsed terms: the same answer whatever the server's formatting."""
    parsed = ox.parse_query_results(response.data, format=ox.QueryResultsFormat.JSON)
    names = [v.value for v in parsed.variables]
    return sorted(tuple(str(row[n]) if row[n] is not None else "" for n in names) for row in parsed)


@pytest.mark.virtuoso
def test_remote_store_knows_the_build(remote_app, app):
    assert remote_app.extensions["kazkg"].build_id == app.extensions["kazkg"].build_id


@pytest.mark.virtuoso
def test_remote_default_graph_holds_each_fact_once(remote_app, store):
    c = remote_app.test_client()
    r = c.post("/sparql", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}, headers={"Accept": SRJ})
    assert int(json.loads(r.data)["results"]["bindings"][0]["n"]["value"]) == default_graph_size(store)


def _values(response) -> list[tuple]:
    """Rows as sorted tuples of lexical values: engines differ on the language tags and types
    their functions return (CONCAT, GROUP_CONCAT), not on the answer."""
    parsed = ox.parse_query_results(response.data, format=ox.QueryResultsFormat.JSON)
    names = [v.value for v in parsed.variables]
    def lexical(term) -> str:
        if term is None:
            return ""
        # GROUP_CONCAT's order is left to the engine: compare the parts as a set.
        return "; ".join(sorted(term.value.split("; "))) if "; " in term.value else term.value

    return sorted(tuple(lexical(row[n]) for n in names) for row in parsed)


CQ_NAMES = [f"cq/{p.stem}" for p in sorted((PROJECT_ROOT / "queries" / "cq").glob("*.rq"))]
# Virtuoso 7.2's own behaviour, not kazkg's: its cost estimator refuses some joins outright
# ("estimated execution time exceeds the limit"), EXISTS inside BIND(IF()) and an empty string
# for an unbound COALESCE differ from the SPARQL 1.1 semantics that Oxigraph follows.
VIRTUOSO_DEVIATIONS = {
    "cq/04-figures-of-an-indicator": "Virtuoso's cost estimator refuses the query (SR: estimated time > 400 s)",
    "cq/15-programs-with-periods": "Virtuoso raises an error for YEAR() of an unbound value (SPARQL: unbound)",
    "cq/20-timeline-of-a-region": "Virtuoso binds ?when across UNION branches differently",
    "cq/23-inferred-facts-of-an-entity": "Virtuoso evaluates EXISTS { GRAPH <g> {…} } inside BIND(IF()) wrongly",
    "cq/24-what-each-article-contains": "Virtuoso's cost estimator refuses the query (SR: estimated time > 400 s)",
}


@pytest.mark.virtuoso
@pytest.mark.parametrize("name", CQ_NAMES)
def test_kazkg_passes_virtuoso_answers_through_unchanged(virtuoso, remote_app, app, name):
    """Through kazkg, each competency question gets the answer Virtuoso gives directly."""
    import urllib.parse
    import urllib.request
    query = app.extensions["kazkg"].queries.get(name).text
    through = remote_app.test_client().post("/sparql", data={"query": query}, headers={"Accept": SRJ})
    body = urllib.parse.urlencode({"query": query, "default-graph-uri": "https://w3id.org/kazkg/graph/default"})
    direct = urllib.request.Request(f"{virtuoso}/sparql", data=body.encode(), headers={"Accept": SRJ})
    try:
        with urllib.request.urlopen(direct, timeout=60) as response:
            expected = response.read()
    except urllib.error.HTTPError as exc:
        assert through.status_code >= 400, "kazkg answered what Virtuoso refused"
        exc.close()
        return
    assert through.status_code == 200, through.get_data(as_text=True)
    assert _terms(through) == sorted(
        tuple(str(row[v]) if row[v] is not None else "" for v in (x.value for x in parsed.variables))
        for parsed in [ox.parse_query_results(expected, format=ox.QueryResultsFormat.JSON)] for row in parsed)


@pytest.mark.virtuoso
@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(reason=VIRTUOSO_DEVIATIONS[n], strict=True))
    if n in VIRTUOSO_DEVIATIONS else n for n in CQ_NAMES])
def test_competency_questions_answer_the_same_from_virtuoso(remote_app, client, app, name):
    query = app.extensions["kazkg"].queries.get(name).text
    local = client.post("/sparql", data={"query": query}, headers={"Accept": SRJ})
    remote = remote_app.test_client().post("/sparql", data={"query": query}, headers={"Accept": SRJ})
    assert remote.status_code == 200, remote.get_data(as_text=True)
    assert _values(remote) == _values(local)


@pytest.mark.virtuoso
def test_remote_pages_and_safety_rules(remote_app):
    c = remote_app.test_client()
    assert c.get("/").status_code == 200
    assert c.get("/.well-known/void").status_code == 200
    r = c.get("/sparql", query_string={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert r.status_code == 400
    r = c.post("/sparql", data={"update": "INSERT DATA { <a:b> <a:c> <a:d> }"})
    assert r.status_code == 403


@pytest.mark.virtuoso
def test_remote_row_cap(virtuoso, built):
    from server import create_app
    app = create_app(built[0].replace(store=f"{virtuoso}/sparql", sparql_max_rows=5, cache_size=0))
    try:
        r = app.test_client().get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"},
                                  headers={"Accept": SRJ})
        assert r.headers["X-SPARQL-Truncated"] == "true"
        assert len(json.loads(r.data)["results"]["bindings"]) == 5
    finally:
        app.extensions["kazkg"].executor.close()
