"""Linked-data pages: the home page, entity pages, dereferencing of entity IRIs (303), RDF data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, abort, redirect, render_template, request, url_for

from . import conneg
from .engine import QueryRequest, execute
from .state import state

bp = Blueprint("pages", __name__)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
RDF_SUFFIXES = {"ttl": conneg.TURTLE, "jsonld": conneg.JSONLD, "nt": conneg.NTRIPLES,
                "rdf": conneg.RDFXML}


class UnknownEntity(Exception):
    def __init__(self, iri: str) -> None:
        super().__init__(iri)
        self.iri = iri


# --- IRIs and URLs ------------------------------------------------------------------------------

def iri_of_path(rest: str) -> str:
    return state().vocab.id + rest


def page_url(iri: str) -> str:
    """Where the HTML page of an IRI is served: /page/… for ours, /resource?iri=… otherwise."""
    vocab = state().vocab
    if iri.startswith(vocab.kz):
        return url_for("ontology.ontology") + "#" + iri[len(vocab.kz):]
    if iri == vocab.ontology_iri:
        return url_for("ontology.ontology")
    base = vocab.id
    if iri.startswith(base):
        path, _, fragment = iri[len(base):].partition("#")
        return url_for("pages.entity_page", rest=path) + (f"#{fragment}" if fragment else "")
    return url_for("pages.resource_page", iri=iri)


def local_name(iri: str) -> str:
    tail = re.split(r"[#/]", iri.rstrip("/#"))[-1]
    return tail or iri


def humanize(iri: str) -> str:
    return _CAMEL.sub(" ", local_name(iri)).replace("_", " ")


def property_labels() -> dict[str, str]:
    st = state()
    if "property_labels" not in st.memo:
        labels = {}
        for row in st.queries.run(st.store(), "pages/property-labels"):
            labels[row["term"].value] = row["label"].value
        st.memo["property_labels"] = labels
    return st.memo["property_labels"]


def label_of(iri: str) -> str:
    st = state()
    for row in st.queries.run(st.store(), "pages/labels", entity=ox.NamedNode(iri)):
        return row["label"].value
    return property_labels().get(iri) or humanize(iri)


# --- views ---------------------------------------------------------------------------------------

@dataclass
class Statement:
    """One row of an entity page: a property and a value, with how to show and link it."""

    prop: str
    prop_label: str
    value: str
    value_label: str
    link: str | None
    is_literal: bool
    datatype: str | None
    language: str | None
    asserted: bool


def _term_view(term, label) -> tuple[str, str, str | None, bool, str | None, str | None]:
    if isinstance(term, ox.NamedNode):
        return term.value, (label.value if label else humanize(term.value)), page_url(term.value), \
            False, None, None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}", f"[{term.value}]", None, False, None, None
    datatype = term.datatype.value if term.datatype else None
    if datatype and datatype.endswith("#string"):
        datatype = None
    return term.value, term.value, None, True, datatype, term.language


def entity_statements(iri: str) -> tuple[list[Statement], list[Statement], dict[str, int]]:
    st = state()
    store, props = st.store(), property_labels()
    node = ox.NamedNode(iri)
    outgoing = []
    for row in st.queries.run(store, "pages/entity-outgoing", entity=node):
        value, value_label, link, is_literal, datatype, language = _term_view(row["o"], row["label"])
        p = row["p"].value
        outgoing.append(Statement(p, props.get(p) or humanize(p), value, value_label, link,
                                  is_literal, datatype, language, row["asserted"].value == "true"))
    incoming = []
    for row in st.queries.run(store, "pages/entity-incoming", entity=node):
        value, value_label, link, is_literal, datatype, language = _term_view(row["s"], row["label"])
        p = row["p"].value
        incoming.append(Statement(p, props.get(p) or humanize(p), value, value_label, link,
                                  is_literal, datatype, language, row["asserted"].value == "true"))
    counts = {row["p"].value: int(row["n"].value)
              for row in st.queries.run(store, "pages/entity-incoming-count", entity=node)}
    return outgoing, incoming, counts


def entity_exists(iri: str) -> bool:
    store = state().store()
    node = ox.NamedNode(iri)
    return bool(store.query("ASK { { ?e ?p ?o } UNION { ?s ?p ?e } }",
                            substitutions={ox.Variable("e"): node}))


@bp.route("/")
def home() -> str:
    st = state()
    counts = {}
    for row in st.queries.run(st.store(), "pages/home-counts"):
        counts[humanize(row["class"].value)] = int(row["n"].value)
    return render_template("home.html", counts=counts, build_id=st.build_id,
                           backend=st.backend.description)


@bp.route("/id/<path:rest>")
def dereference(rest: str) -> Response:
    """Cool URIs: the IRI of a thing answers 303 See Other to its page or its data."""
    iri = iri_of_path(rest)
    _require(iri)
    accept = request.headers.get("Accept")
    if conneg.wants_html(accept) or not accept:
        target = url_for("pages.entity_page", rest=rest)
    else:
        media = conneg.negotiate(accept, list(RDF_SUFFIXES.values()), conneg.GRAPH_ALIASES)
        if media is None:
            return Response("406 Not Acceptable: available as text/html, " +
                            ", ".join(RDF_SUFFIXES.values()) + "\n", status=406, mimetype="text/plain")
        suffix = next(k for k, v in RDF_SUFFIXES.items() if v == media)
        target = url_for("pages.entity_data", rest=f"{rest}.{suffix}")
    response = redirect(target, code=303)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/page/<path:rest>")
def entity_page(rest: str) -> str:
    iri = iri_of_path(rest)
    _require(iri)
    return _render_entity(iri, data_base=url_for("pages.entity_data", rest=rest))


@bp.route("/resource")
def resource_page() -> str:
    iri = request.args.get("iri", "")
    try:
        ox.NamedNode(iri)
    except ValueError:
        abort(400, description=f"not a valid IRI: {iri!r}")
    _require(iri)
    return _render_entity(iri, data_base=None)


def _render_entity(iri: str, data_base: str | None) -> Response:
    outgoing, incoming, counts = entity_statements(iri)
    types = [s for s in outgoing if s.prop.endswith("#type")]
    alternates = {suffix: f"{data_base}.{suffix}" for suffix in RDF_SUFFIXES} if data_base else {}
    html = render_template("entity.html", iri=iri, label=label_of(iri), types=types,
                           outgoing=[s for s in outgoing if not s.prop.endswith("#type")],
                           incoming=incoming, incoming_counts=counts, alternates=alternates,
                           sparql_query=f"DESCRIBE <{iri}>")
    response = Response(html, mimetype="text/html")
    for suffix, url in alternates.items():
        response.headers.add("Link", f'<{url}>; rel="alternate"; type="{RDF_SUFFIXES[suffix]}"')
    return response


@bp.route("/data/<path:rest>")
def entity_data(rest: str) -> Response:
    stem, dot, suffix = rest.rpartition(".")
    if not dot or suffix not in RDF_SUFFIXES:
        media = conneg.negotiate(request.headers.get("Accept"), list(RDF_SUFFIXES.values()),
                                 conneg.GRAPH_ALIASES)
        if media is None:
            abort(406)
        stem = rest
    else:
        media = RDF_SUFFIXES[suffix]
    iri = iri_of_path(stem)
    _require(iri)
    st = state()
    outcome = execute(st.store(), QueryRequest(
        query=f"DESCRIBE <{ox.NamedNode(iri).value}>", form="DESCRIBE", media_type=media,
        max_rows=st.config.sparql_max_rows, prefixes=dict(st.vocab.prefixes)))
    response = Response(outcome.body, content_type=f"{media}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _require(iri: str) -> None:
    try:
        exists = entity_exists(iri)
    except ValueError:
        exists = False
    if not exists:
        raise UnknownEntity(iri)


# --- template helpers ---------------------------------------------------------------------------

def register_filters(app: Flask) -> None:
    @app.context_processor
    def helpers() -> dict:
        return {"page_url": page_url, "sparql_link": lambda q: url_for("sparql.endpoint") +
                "?q=" + quote(q)}
