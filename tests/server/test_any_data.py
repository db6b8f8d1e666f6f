"""`kazkg serve --data FILE` serves any RDF file, not only kazkg builds."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.config import Config
from server import create_app

TRIPLES = [
    ox.Triple(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
              ox.Literal("Ä label", language="en")),
    ox.Triple(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"),
              ox.NamedNode("http://example.org/b")),
]
FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD,
           ".rdf": ox.RdfFormat.RDF_XML, ".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}


@pytest.mark.parametrize("suffix", sorted(FORMATS))
def test_serves_every_rdf_syntax(tmp_path, suffix):
    fmt = FORMATS[suffix]
    data = [ox.Quad(t.subject, t.predicate, t.object) for t in TRIPLES] if fmt.supports_datasets else TRIPLES
    path = tmp_path / f"data{suffix}"
    path.write_bytes(ox.serialize(data, format=fmt))
    app = create_app(Config(data_path=path))
    try:
        client = app.test_client()
        r = client.get("/sparql", query_string={"query": "SELECT ?o WHERE { <http://example.org/a> ?p ?o }"},
                       headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200
        values = sorted(b["o"]["value"] for b in r.get_json(force=True)["results"]["bindings"])
        assert values == ["http://example.org/b", "Ä label"]
        page = client.get("/resource", query_string={"iri": "http://example.org/a"})
        assert page.status_code == 200 and "Ä label" in page.get_data(as_text=True)
        assert client.get("/").status_code == 200
    finally:
        app.extensions["kazkg"].executor.close()


def test_a_broken_file_names_the_problem(tmp_path):
    from server.backends import BackendError
    path = tmp_path / "broken.ttl"
    path.write_text("<http://example.org/a> <http://example.org/p> .\n")
    with pytest.raises(BackendError, match="broken.ttl"):
        create_app(Config(data_path=path))
