"""Self-description: the SPARQL service description (GET /sparql with no query) and the query UI."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from flask import Response, current_app, render_template, request, url_for

from . import conneg
from .state import state

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                  "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads"]


def service_description_graph(endpoint: str) -> list[ox.Triple]:
    st = state()
    vocab = st.vocab
    service = ox.NamedNode(endpoint)
    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("default")
    void = "http://rdfs.org/ns/void#"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    t = [
        ox.Triple(service, rdf_type, ox.NamedNode(SD + "Service")),
        ox.Triple(service, ox.NamedNode(SD + "endpoint"), service),
        ox.Triple(service, ox.NamedNode(SD + "supportedLanguage"), ox.NamedNode(SD + "SPARQL11Query")),
        ox.Triple(service, ox.NamedNode(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, ox.NamedNode(SD + "Dataset")),
        ox.Triple(dataset, ox.NamedNode(SD + "defaultGraph"), default),
        ox.Triple(default, rdf_type, ox.NamedNode(SD + "Graph")),
        ox.Triple(service, ox.NamedNode("http://purl.org/dc/terms/description"),
                  ox.Literal("kazkg: the knowledge graph of Kazakhstan's state industrial policy. "
                             "Read-only; the default graph is the resolved graph (asserted + "
                             f"inferred); <{vocab.graph('asserted')}> holds asserted triples only.",
                             language="en")),
        ox.Triple(service, ox.NamedNode(void + "sparqlEndpoint"), service),
    ]
    for name in RESULT_FORMATS:
        t.append(ox.Triple(service, ox.NamedNode(SD + "resultFormat"), ox.NamedNode(FORMATS + name)))
    store = st.store()
    from .pages import dataset_size
    default_size = dataset_size(st)
    t.append(ox.Triple(default, ox.NamedNode(void + "triples"),
                       ox.Literal(str(default_size), datatype=ox.NamedNode(
                           "http://www.w3.org/2001/XMLSchema#integer"))))
    for graph in sorted(store.named_graphs(), key=lambda g: str(g)):
        node = ox.BlankNode()
        t.append(ox.Triple(dataset, ox.NamedNode(SD + "namedGraph"), node))
        t.append(ox.Triple(node, ox.NamedNode(SD + "name"), graph))
    return t


def service_description(accept: str | None) -> Response:
    if conneg.wants_html(accept):
        return query_page()
    media = conneg.negotiate(accept, conneg.GRAPH_TYPES, {**conneg.GRAPH_ALIASES})
    if media is None:
        return Response("406 Not Acceptable: the service description is available as "
                        + ", ".join(conneg.GRAPH_TYPES) + "\n", status=406, mimetype="text/plain")
    endpoint = request.base_url
    triples = service_description_graph(endpoint)
    fmt = conneg.RDF_FORMAT[media]
    data = (ox.Quad(t.subject, t.predicate, t.object) for t in triples) if fmt.supports_datasets else triples
    body = ox.serialize(data, format=fmt, prefixes={"sd": SD, "void": "http://rdfs.org/ns/void#",
                                                   "formats": FORMATS} if fmt in (
        ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None)
    response = Response(body, content_type=f"{media}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response


def example_queries() -> list[dict[str, str]]:
    """The competency questions of queries/cq, as ready examples for the query UI."""
    st = state()
    examples = []
    for name in st.queries.names("cq"):
        stored = st.queries.get(name)
        examples.append({"name": name, "title": stored.title, "description": stored.description,
                         "query": stored.text})
    return examples


def yasgui_installed() -> bool:
    """The editor is installed by `make install` from npm; without it the plain form serves."""
    static = Path(current_app.static_folder or "")
    return (static / "yasgui" / "yasgui.min.js").is_file() and (static / "yasgui" / "yasgui.min.css").is_file()


def query_page() -> Response:
    st = state()
    html = render_template("sparql.html", examples=example_queries(),
                           endpoint=url_for("sparql.endpoint"),
                           timeout=st.config.sparql_timeout,
                           max_rows=st.config.sparql_max_rows,
                           asserted_graph=st.vocab.graph("asserted"),
                           yasgui=yasgui_installed(), plain=request.args.get("ui") == "plain",
                           query=request.args.get("q", ""))
    response = Response(html, mimetype="text/html")
    response.headers["Vary"] = "Accept"
    return response
