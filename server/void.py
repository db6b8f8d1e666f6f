"""The VoID and DCAT description of the served dataset at /.well-known/void (RFC 5785, VoID §7).

Linked-data tools look there to learn what a dataset holds before they query it: how many triples,
entities per class, which vocabularies, example resources, the SPARQL endpoint, the dumps, the
license and the version. Everything is computed from the store once per build and kept in memory.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

import pyoxigraph as ox
from flask import Blueprint, Response, request

from graph.dataset import report_path

from . import conneg
from .state import state

bp = Blueprint("void", __name__)

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SD = "http://www.w3.org/ns/sparql-service-description#"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
PREFIXES = {"void": VOID, "dcat": DCAT, "dcterms": DCT, "foaf": FOAF, "xsd": XSD, "owl": OWL, "sd": SD}

# The dumps the server offers (/downloads), by media type.
DUMPS = {"kazkg.trig": "application/trig", "kazkg.nq": "application/n-quads",
         "kazkg.jsonld": "application/ld+json"}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD + "integer"))


def namespace_of(iri: str) -> str:
    """The vocabulary an IRI belongs to: everything up to its last '#' or '/'."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[:cut + 1] if cut > 0 else iri


def dataset_statistics() -> dict:
    """Counts that describe the served dataset, computed once per build (they do not change)."""
    st = state()
    if "void" in st.memo:
        return st.memo["void"]
    store = st.store()
    classes = [(r["class"].value, int(r["entities"].value))
               for r in st.queries.run(store, "service/void-classes")]
    properties = [(r["property"].value, int(r["triples"].value))
                  for r in st.queries.run(store, "service/void-properties")]
    examples = [r["resource"].value for r in st.queries.run(store, "service/void-examples")]
    links = [(r["predicate"].value, r["target"].value, int(r["triples"].value))
             for r in st.queries.run(store, "service/void-links")]
    named_graphs = sum(1 for _ in store.named_graphs())
    stats = {
        "triples": sum(n for _, n in properties),
        "classes": classes,
        "properties": properties,
        "examples": examples,
        "links": links,
        "named_graphs": named_graphs,
        "entities": sum(1 for _ in store.query(
            "SELECT DISTINCT ?s WHERE { ?s a ?c FILTER (isIRI(?s)) }")),
        "issued": _issued(),
    }
    st.memo["void"] = stats
    return stats


def _issued() -> str | None:
    """When the served build was made: the build report's start time, else the file's mtime."""
    st = state()
    path = getattr(st.backend, "path", None)
    if path is None:
        return None
    report = report_path(path)
    try:
        started = json.loads(report.read_text("utf-8")).get("started")
        if started:
            return str(started)[:10]
    except (OSError, ValueError):
        pass
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).date().isoformat()
    except OSError:
        return None


def void_triples(root: str) -> Iterable[ox.Triple]:
    """The description, with the endpoint and dumps at `root` (this server's base URL)."""
    st = state()
    vocab = st.vocab
    stats = dataset_statistics()
    dataset = _n(vocab.base + "dataset")
    endpoint = _n(root + "sparql")

    def t(s, p, o):
        return ox.Triple(s, p if isinstance(p, ox.NamedNode) else _n(p), o)

    yield t(dataset, RDF_TYPE, _n(VOID + "Dataset"))
    yield t(dataset, RDF_TYPE, _n(DCAT + "Dataset"))
    yield t(dataset, DCT + "title", ox.Literal("kazkg: Kazakhstan's state industrial policy", language="en"))
    yield t(dataset, DCT + "description", ox.Literal(
        "Programs, officials, agencies, regions, investment projects, meetings and economic figures of "
        "Kazakhstan's state industrial policy, read from news articles; every fact is traced to the "
        "sentence it was read from. The default graph is the resolved graph (asserted and inferred, "
        f"each fact once); <{vocab.graph('asserted')}> holds asserted triples only; each article's "
        "facts are also in a named graph whose name is the article's IRI.", language="en"))
    yield t(dataset, DCT + "license", _n(LICENSE))
    yield t(dataset, OWL + "versionInfo", ox.Literal(st.build_id))
    yield t(dataset, DCT + "hasVersion", ox.Literal(st.build_id))
    if stats["issued"]:
        yield t(dataset, DCT + "issued", ox.Literal(stats["issued"], datatype=_n(XSD + "date")))
    yield t(dataset, DCT + "conformsTo", _n(vocab.ontology_iri))
    yield t(dataset, VOID + "uriSpace", ox.Literal(vocab.id))
    yield t(dataset, VOID + "sparqlEndpoint", endpoint)
    yield t(dataset, VOID + "rootResource", _n(root))
    yield t(dataset, VOID + "triples", _int(stats["triples"]))
    yield t(dataset, VOID + "entities", _int(stats["entities"]))
    yield t(dataset, VOID + "classes", _int(len(stats["classes"])))
    yield t(dataset, VOID + "properties", _int(len(stats["properties"])))
    yield t(dataset, VOID + "uriLookupEndpoint", ox.Literal(root + "resource?iri="))
    yield t(dataset, VOID + "openSearchDescription", _n(root + "search"))
    for iri in stats["examples"]:
        yield t(dataset, VOID + "exampleResource", _n(iri))
    for vocabulary in sorted({namespace_of(p) for p, _ in stats["properties"]}
                             | {namespace_of(c) for c, _ in stats["classes"]}):
        yield t(dataset, VOID + "vocabulary", _n(vocabulary))
    for name, media in DUMPS.items():
        url = _n(f"{root}downloads/{name}")
        yield t(dataset, VOID + "dataDump", url)
        distribution = ox.BlankNode(f"dump_{name.replace('.', '_')}")
        yield t(dataset, DCAT + "distribution", distribution)
        yield t(distribution, RDF_TYPE, _n(DCAT + "Distribution"))
        yield t(distribution, DCAT + "downloadURL", url)
        yield t(distribution, DCAT + "mediaType", _n(f"https://www.iana.org/assignments/media-types/{media}"))
        yield t(distribution, DCT + "license", _n(LICENSE))
    service = ox.BlankNode("endpoint")
    yield t(dataset, DCAT + "distribution", service)
    yield t(service, RDF_TYPE, _n(DCAT + "Distribution"))
    yield t(service, DCAT + "accessURL", endpoint)
    yield t(service, DCAT + "accessService", endpoint)
    yield t(endpoint, RDF_TYPE, _n(DCAT + "DataService"))
    yield t(endpoint, RDF_TYPE, _n(SD + "Service"))
    yield t(endpoint, DCAT + "endpointURL", endpoint)
    yield t(endpoint, DCAT + "servesDataset", dataset)
    for n, (cls, count) in enumerate(stats["classes"]):
        part = ox.BlankNode(f"class{n}")
        yield t(dataset, VOID + "classPartition", part)
        yield t(part, VOID + "class", _n(cls))
        yield t(part, VOID + "entities", _int(count))
    for n, (prop, count) in enumerate(stats["properties"]):
        part = ox.BlankNode(f"property{n}")
        yield t(dataset, VOID + "propertyPartition", part)
        yield t(part, VOID + "property", _n(prop))
        yield t(part, VOID + "triples", _int(count))
    for n, (predicate, target, count) in enumerate(stats["links"]):
        linkset = ox.BlankNode(f"links{n}")
        yield t(dataset, VOID + "subset", linkset)
        yield t(linkset, RDF_TYPE, _n(VOID + "Linkset"))
        yield t(linkset, VOID + "linkPredicate", _n(predicate))
        yield t(linkset, VOID + "subjectsTarget", dataset)
        yield t(linkset, VOID + "objectsTarget", _n(target))
        yield t(linkset, VOID + "triples", _int(count))


@bp.route("/.well-known/void")
def void_description() -> Response:
    accept = request.headers.get("Accept")
    media = conneg.negotiate(accept, conneg.GRAPH_TYPES, conneg.GRAPH_ALIASES) if accept else conneg.TURTLE
    override = request.args.get("format")
    if override:
        media = conneg.GRAPH_SHORT.get(override.lower(), override)
    if media not in conneg.RDF_FORMAT:
        return Response("406 Not Acceptable: the VoID description is available as "
                        + ", ".join(conneg.GRAPH_TYPES) + "\n", status=406, mimetype="text/plain")
    fmt = conneg.RDF_FORMAT[media]
    triples = list(void_triples(request.url_root))
    data = [ox.Quad(x.subject, x.predicate, x.object) for x in triples] if fmt.supports_datasets else triples
    body = ox.serialize(data, format=fmt, prefixes=PREFIXES if fmt in (
        ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None)
    response = Response(body, content_type=f"{media}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
