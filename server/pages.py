"""Linked-data pages: the home page, entity pages, dereferencing of entity IRIs (303), RDF data,
paged inbound links, and the label language switch.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, abort, redirect, render_template, request, url_for

from graph.namespaces import RDF

from . import conneg
from .engine import QueryRequest, execute
from .entity import (
    PropertyGroup,
    entity_exists,
    incoming,
    incoming_page,
    mentions,
    names,
    outgoing,
    split_sections,
)
from .entity import entity_data as read_entity
from .labels import LANGUAGES, label_index, most_specific
from .links import (
    chosen_lang,
    iri_arg,
    iri_of_path,
    label,
    link,
    page_url,
    permalink,
    query_args,
    require_utf8_query,
    with_args,
)
from .state import bind_parameters, state
from .temporal import parse_asof
from .views import ASOF_KINDS, build_views

bp = Blueprint("pages", __name__)
bp.before_request(require_utf8_query)
RDF_SUFFIXES = conneg.DESCRIPTION_SUFFIXES
# How much of a long list an entity page shows (rows of a table, values in a cell, documents that
# mention the entity): pages stay small and fast however many facts a hub entity has.
SHOWN = {"rows": 200, "cell": 10, "documents": 100}


class UnknownEntity(Exception):
    def __init__(self, iri: str) -> None:
        super().__init__(iri)
        self.iri = iri


# --- home -----------------------------------------------------------------------------------------


@bp.route("/")
def home() -> str:
    st = state()
    index = label_index(st)
    counts = {index.text(cls): n for cls, n in home_counts(st)}
    classes = [(link(cls), n) for cls, n in class_counts(st)]
    triples = dataset_size(st)
    from .browse import INDEXES, index_counts

    return render_template(
        "home.html",
        counts=counts,
        classes=classes,
        build_id=st.build_id,
        backend=st.backend.description,
        triples=triples,
        indexes=INDEXES,
        index_counts=index_counts(),
    )


def home_counts(st) -> list[tuple[str, int]]:
    """(class, entities) of the kazkg classes the home page counts, read once per process."""
    return st.once("home_counts", lambda: [
        (row["class"].value, int(row["n"].value))
        for row in st.queries.run(st.store(), "pages/home-counts")
    ])


def dataset_size(st) -> int:
    """Triples in the default graph, counted once per process."""
    return st.once("dataset_size", lambda: int(
        next(iter(st.queries.run(st.store(), "pages/dataset-size")))["triples"].value))


def class_counts(st) -> list[tuple[str, int]]:
    """(class, instances) of the 40 largest classes, read once per process."""
    return st.once("class_counts", lambda: [
        (row["class"].value, int(row["n"].value))
        for row in st.queries.run(st.store(), "pages/classes")
    ])


# --- dereferencing and data ----------------------------------------------------------------------


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
            return Response(
                "406 Not Acceptable: available as text/html, "
                + ", ".join(RDF_SUFFIXES.values())
                + "\n",
                status=406,
                mimetype="text/plain",
            )
        suffix = next(k for k, v in RDF_SUFFIXES.items() if v == media)
        target = url_for("pages.entity_data", rest=f"{rest}.{suffix}")
    response = redirect(target, code=303)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/data/<path:rest>")
def entity_data(rest: str) -> Response:
    stem, dot, suffix = rest.rpartition(".")
    if not dot or suffix not in RDF_SUFFIXES:
        media = conneg.negotiate(
            request.headers.get("Accept"), list(RDF_SUFFIXES.values()), conneg.GRAPH_ALIASES
        )
        if media is None:
            abort(406)
        stem = rest
    else:
        media = RDF_SUFFIXES[suffix]
    iri = iri_of_path(stem)
    _require(iri)
    st = state()
    outcome = execute(
        st.store(),
        QueryRequest(
            query=f"DESCRIBE <{ox.NamedNode(iri).value}>",
            form="DESCRIBE",
            media_type=media,
            max_rows=st.config.sparql_max_rows,
            prefixes=dict(st.vocab.prefixes),
        ),
    )
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


# --- entity pages ---------------------------------------------------------------------------------


@bp.route("/page/<path:rest>")
def entity_page(rest: str) -> Response:
    iri = iri_of_path(rest)
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise UnknownEntity(iri) from None
    return _render_entity(iri, data_base=url_for("pages.entity_data", rest=rest))


@bp.route("/resource")
def resource_page() -> Response:
    iri = iri_arg("iri")
    _require(iri)
    vocab = state().vocab
    if iri.startswith(vocab.id) and "#" not in iri:
        return redirect(page_url(iri), code=301)
    return _render_entity(iri, data_base=None)


def _render_entity(iri: str, data_base: str | None) -> Response:
    hide_inferred = request.args.get("inferred") == "hide"
    asof = parse_asof(request.args.get("asof"))
    data = read_entity(iri)  # the one query of the page (views add one per kind of entity)
    if not data.exists:
        raise UnknownEntity(iri)
    own, rows = split_sections(outgoing(data))
    types = next((g for g in own if g.prop.iri == RDF + "type"), None)
    type_iris = [s.value.link.iri for s in types.statements if s.value.link] if types else []
    primary_types, other_types = split_types(types)
    values: dict[str, list[str]] = defaultdict(list)
    for group in rows:
        for s in group.statements:
            values[group.prop.iri].append(
                s.value.link.iri if s.value.link else s.value.literal or ""
            )
    views = build_views(iri, type_iris, asof, values, data.usages)
    inbound = incoming(data, lambda p: url_for("pages.inbound", iri=iri, p=p))
    if hide_inferred:
        rows, inbound = _asserted_only(rows), _asserted_only(inbound)
    mention_groups, forms = mentions(data)
    alternates = {suffix: f"{data_base}.{suffix}" for suffix in RDF_SUFFIXES} if data_base else {}
    html = render_template(
        "entity.html",
        iri=iri,
        label=link(iri),
        types=primary_types,
        other_types=other_types,
        rows=rows,
        incoming=inbound,
        own_evidence=data.evidence.get(iri, []),
        names=names(data),
        written_as=forms,
        mention_groups=mention_groups,
        views=views,
        asof=asof,
        asof_kinds=ASOF_KINDS & set(views.kinds),
        hide_inferred=hide_inferred,
        has_inference=_has_inference(),
        alternates=alternates,
        sparql_query=ready_query(iri),
        documents_url=url_for("pages.inbound", iri=iri, p=state().vocab.kz + "mentions"),
    )
    response = Response(html, mimetype="text/html")
    for suffix, url in alternates.items():
        response.headers.add("Link", f'<{url}>; rel="alternate"; type="{RDF_SUFFIXES[suffix]}"')
    return response


def split_types(group: PropertyGroup | None) -> tuple[list, list]:
    """(the most specific types, in the dataset's own vocabulary where it has one; the other
    types with whether each is asserted)."""
    if group is None:
        return [], []
    st = state()
    statements = [s for s in group.statements if s.value.link]
    iris = [s.value.link.iri for s in statements]
    specific = most_specific(iris, label_index(st).parents, st.vocab.kz)
    own = [t for t in specific if t.startswith(st.vocab.kz)] or specific
    primary = [s.value.link for s in statements if s.value.link.iri in own]
    other = [s for s in statements if s.value.link.iri not in own]
    return primary, other


def _asserted_only(groups: list[PropertyGroup]) -> list[PropertyGroup]:
    kept = []
    for g in groups:
        statements = [s for s in g.statements if s.asserted is not False]
        if statements:
            kept.append(PropertyGroup(g.prop, statements, g.total, g.more_url))
    return kept


def _has_inference() -> bool:
    from .entity import provenance

    return provenance(state()).has_inference


def ready_query(iri: str) -> str:
    """The "open in SPARQL" query of an entity: a stored query with the IRI in its VALUES."""
    node = ox.NamedNode(iri)  # refuses anything that is not an IRI (no '<', '>', spaces …)
    return bind_parameters(state().queries.get("pages/open-in-sparql").text, {"entity": node})[0]


@bp.route("/links")
def inbound() -> str:
    """All resources that link to an entity by one property, 100 per page."""
    iri, prop = iri_arg("iri"), iri_arg("p")
    _require(iri)
    after = request.args.get("after", "")
    subjects, following = incoming_page(iri, prop, after)
    next_url = url_for("pages.inbound", iri=iri, p=prop, after=following) if following else None
    return render_template(
        "links.html",
        entity=link(iri),
        prop=link(prop),
        subjects=subjects,
        next_url=next_url,
        first_url=url_for("pages.inbound", iri=iri, p=prop),
        paged=bool(after),
    )


# --- language ------------------------------------------------------------------------------------


@bp.route("/lang")
def set_language() -> Response:
    """Remember the label language in a cookie, then go back to the page."""
    chosen = request.args.get("set", "")
    target = request.args.get("next", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        target = "/"  # only local paths: no open redirect
    response = redirect(target, code=303)
    if chosen in LANGUAGES:
        response.set_cookie("lang", chosen, max_age=365 * 24 * 3600, samesite="Lax")
    return response


# --- template helpers -----------------------------------------------------------------------------


def suggestions_for(path: str) -> list:
    """Names like the last part of a path that found nothing (/id/person/serik-ahmetov)."""
    from .search import hits

    words = path.rstrip("/").rsplit("/", 1)[-1].replace("-", " ").replace("_", " ")
    if not words.strip() or len(words) > 200:
        return []
    return [h.target for h in hits(words, 5)]


def register_filters(app: Flask) -> None:
    app.jinja_env.autoescape = True  # every template, whatever its file name

    @app.context_processor
    def helpers() -> dict:
        return {
            "page_url": page_url,
            "link": link,
            "label": label,
            "with_args": with_args,
            "lang": chosen_lang,
            "languages": LANGUAGES,
            "permalink": permalink,
            "served_build": lambda: state().build_id,
            "args": query_args,
            "suggestions_for": suggestions_for,
            "sparql_link": lambda q: url_for("sparql.endpoint") + "?q=" + quote(q),
            "shown": SHOWN,
        }
