"""The ontology as documentation (/ontology, HTML generated from kazkg.ttl) and as data (conneg)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, request
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from graph.ontology import OntologyFiles

from . import conneg
from .state import state

bp = Blueprint("ontology", __name__)
SUFFIXES = conneg.DESCRIPTION_SUFFIXES


@dataclass
class TermDoc:
    iri: str
    local: str
    label: str
    comment: str
    kind: str  # class | object property | datatype property
    parents: list[tuple[str, str]] = field(default_factory=list)  # (iri, label or qname)
    children: list[tuple[str, str]] = field(default_factory=list)
    domain: list[tuple[str, str]] = field(default_factory=list)
    range: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # inverse, transitive, chains, hasValue


def _qname(iri: str, prefixes: dict[str, str]) -> str:
    for prefix, ns in sorted(prefixes.items(), key=lambda p: -len(p[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _text(graph: Graph, node, prop) -> str:
    for value in graph.objects(node, prop):
        if isinstance(value, Literal) and value.language in (None, "en"):
            return str(value)
    return ""


def document(tbox: Graph, kz: str, prefixes: dict[str, str]) -> dict:
    """Classes and properties of the ontology with their alignments, for the HTML page."""
    def ref(node) -> tuple[str, str]:
        iri = str(node)
        return iri, (_text(tbox, node, RDFS.label) if iri.startswith(kz) else "") or _qname(iri, prefixes)

    terms: dict[str, TermDoc] = {}
    for kind_uri, kind in ((OWL.Class, "class"), (OWL.ObjectProperty, "object property"),
                           (OWL.DatatypeProperty, "datatype property")):
        for node in tbox.subjects(RDF.type, kind_uri):
            if isinstance(node, URIRef) and str(node).startswith(kz):
                terms[str(node)] = TermDoc(str(node), str(node)[len(kz):], _text(tbox, node, RDFS.label),
                                           _text(tbox, node, RDFS.comment), kind)
    for iri, doc in terms.items():
        node = URIRef(iri)
        sup_prop = RDFS.subClassOf if doc.kind == "class" else RDFS.subPropertyOf
        for sup in tbox.objects(node, sup_prop):
            if isinstance(sup, URIRef):
                doc.parents.append(ref(sup))
            elif isinstance(sup, BNode) and tbox.value(sup, OWL.hasValue) is not None:
                doc.notes.append(f"every member has {_qname(str(tbox.value(sup, OWL.onProperty)), prefixes)} "
                                 f"{_qname(str(tbox.value(sup, OWL.hasValue)), prefixes)}")
        for sub in tbox.subjects(sup_prop, node):
            if isinstance(sub, URIRef):
                doc.children.append(ref(sub))
        doc.domain = [ref(d) for d in tbox.objects(node, RDFS.domain) if isinstance(d, URIRef)]
        doc.range = [ref(r) for r in tbox.objects(node, RDFS.range) if isinstance(r, URIRef)]
        for equivalent in tbox.objects(node, OWL.equivalentClass):
            if isinstance(equivalent, BNode) and tbox.value(equivalent, OWL.hasValue) is not None:
                doc.notes.append(f"equivalent to: has {_qname(str(tbox.value(equivalent, OWL.onProperty)), prefixes)} "
                                 f"{_qname(str(tbox.value(equivalent, OWL.hasValue)), prefixes)}")
        for inverse in tbox.objects(node, OWL.inverseOf):
            doc.notes.append(f"inverse of {_qname(str(inverse), prefixes)}")
        if (node, RDF.type, OWL.TransitiveProperty) in tbox:
            doc.notes.append("transitive")
        for chain in tbox.objects(node, OWL.propertyChainAxiom):
            steps = " ∘ ".join(_qname(str(s), prefixes) for s in Collection(tbox, chain))
            doc.notes.append(f"derived by the chain {steps}")
        for key in ("parents", "children", "domain", "range"):
            getattr(doc, key).sort(key=lambda r: r[1].lower())
    classes = sorted((t for t in terms.values() if t.kind == "class"), key=lambda t: t.label.lower())
    properties = sorted((t for t in terms.values() if t.kind != "class"), key=lambda t: t.label.lower())
    roots = [c for c in classes if not any(p[0] in terms for p in c.parents)]
    onto = URIRef(kz.rstrip("#"))
    return {"classes": classes, "properties": properties, "terms": terms, "roots": roots,
            "title": _text(tbox, onto, RDFS.label), "comment": _text(tbox, onto, RDFS.comment),
            "version": str(tbox.value(onto, OWL.versionInfo) or ""),
            "version_iri": str(tbox.value(onto, OWL.versionIRI) or ""),
            "license": str(tbox.value(onto, URIRef("http://purl.org/dc/terms/license")) or "")}


def _files() -> OntologyFiles:
    st = state()
    return st.once("ontology_files", lambda: OntologyFiles(st.config.ontology_dir, st.vocab))


def _ontology_quads() -> list[ox.Triple]:
    """The ontology as served: the dataset's ontology graph if present, else the file."""
    st = state()
    graph = ox.NamedNode(st.vocab.graph("ontology"))
    quads = list(st.store().quads_for_pattern(None, None, None, graph))
    if quads:
        return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    from graph.convert import rdflib_graph_to_quads
    return [ox.Triple(q.subject, q.predicate, q.object) for q in rdflib_graph_to_quads(_files().tbox, "urn:x")]


def _serve_rdf(media: str) -> Response:
    fmt = conneg.RDF_FORMAT[media]
    triples = _ontology_quads()
    data = (ox.Quad(t.subject, t.predicate, t.object) for t in triples) if fmt.supports_datasets else triples
    prefixes = state().vocab.prefixes if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    response = Response(ox.serialize(data, format=fmt, prefixes=prefixes),
                        content_type=f"{media}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/ontology")
def ontology() -> Response:
    accept = request.headers.get("Accept")
    if not conneg.wants_html(accept) and accept:
        media = conneg.negotiate(accept, list(SUFFIXES.values()), conneg.GRAPH_ALIASES)
        if media is None:
            abort(406)
        return _serve_rdf(media)
    st = state()
    if "ontology_doc" not in st.memo:
        st.memo["ontology_doc"] = document(_files().tbox, st.vocab.kz, st.vocab.prefixes)
    html = render_template("ontology.html", doc=st.memo["ontology_doc"], iri=st.vocab.ontology_iri,
                           alternates={k: f"/ontology.{k}" for k in SUFFIXES})
    response = Response(html, mimetype="text/html")
    response.headers["Vary"] = "Accept"
    for suffix, media in SUFFIXES.items():
        response.headers.add("Link", f'</ontology.{suffix}>; rel="alternate"; type="{media}"')
    return response


@bp.route("/ontology.<suffix>")
def ontology_file(suffix: str) -> Response:
    if suffix not in SUFFIXES:
        abort(404)
    return _serve_rdf(SUFFIXES[suffix])


@bp.route("/shapes.ttl")
def shapes() -> Response:
    path = _files().shapes_path
    return Response(path.read_bytes(), content_type="text/turtle; charset=utf-8")
