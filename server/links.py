"""Where things are served: the one place that turns IRIs into URLs of this server.

Entity IRIs under the dataset's base (…/id/person/x) have pages at /page/person/x and data at
/data/person/x.ttl; ontology terms are sections of /ontology; any other IRI is shown by
/resource?iri=…. Text spans (…/id/doc/d#char=b,e) are anchors of the document's page.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from flask import abort, g, request, url_for
from werkzeug.datastructures import MultiDict

from .labels import LANGUAGES, STANDARD_LABELS, Label, humanize, label_index
from .state import state


@dataclass(frozen=True)
class Link:
    """A resource as a page shows it: where it links to, its name, the language of the name."""

    iri: str
    url: str
    text: str
    lang: str
    type: str | None = None


def iri_of_path(rest: str) -> str:
    return state().vocab.id + rest


# What url_for quotes in a path (werkzeug's converters): url_for is slow for thousands of links.
_PATH_SAFE = "!$&'()*+,/:;=@"


def page_url(iri: str) -> str:
    """The HTML page of an IRI on this server."""
    vocab = state().vocab
    if iri.startswith(vocab.kz):
        return url_for("ontology.ontology") + "#" + iri[len(vocab.kz) :]
    if iri == vocab.ontology_iri:
        return url_for("ontology.ontology")
    if iri.startswith(vocab.id):
        path, _, fragment = iri[len(vocab.id) :].partition("#")
        url = _page_prefix() + quote(path, safe=_PATH_SAFE) if path else url_for(
            "pages.entity_page", rest=path)
        return url + (f"#{fragment}" if fragment else "")
    return url_for("pages.resource_page", iri=iri)


def _page_prefix() -> str:
    """'/page/' below the application's root (what url_for writes before an entity's path)."""
    prefix = g.get("kazkg_page_prefix")
    if prefix is None:
        prefix = g.kazkg_page_prefix = url_for("pages.entity_page", rest="x")[:-1]
    return prefix


def span_url(doc: str, begin: int, end: int) -> str:
    """The document page scrolled to a character span (RFC 5147 fragment, as the span's IRI)."""
    return link(doc).url.partition("#")[0] + f"#char={begin},{end}"


def query_args() -> MultiDict:
    """The query arguments; none when the query string is not UTF-8 (so that rendering an
    error page for such a request cannot fail in turn)."""
    try:
        return request.args
    except UnicodeDecodeError:
        return MultiDict()


def require_utf8_query() -> None:
    """Before a page's view: a query string that is not UTF-8 is the client's error (400)."""
    try:
        request.args  # noqa: B018 (decodes the query string)
    except UnicodeDecodeError:
        abort(400, description="the query string is not valid UTF-8")


def iri_arg(name: str) -> str:
    """A request argument that must be an absolute IRI; 400 otherwise."""
    iri = request.args.get(name, "")
    try:
        ox.NamedNode(iri)
    except ValueError:
        abort(400, description=f"not a valid IRI: {iri!r}")
    return iri


def chosen_lang() -> str:
    """The language labels are shown in: ?lang=, else the lang cookie, else Accept-Language."""
    lang = g.get("kazkg_lang")
    if lang is None:
        lang = g.kazkg_lang = _negotiated_lang()
    return lang


def _negotiated_lang() -> str:
    asked = query_args().get("lang") or request.cookies.get("lang")
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES, default="en") or "en"


LINKS_KEPT = 200_000  # links remembered per process and language (then forgotten at once)


def link(iri: str) -> Link:
    """A resource with its URL, its label in the chosen language and its type's label.

    Links are remembered per process (per label language and application root): a build does
    not change, and a page links to thousands of things, mostly the same few hundred."""
    cache = g.get("kazkg_links")
    if cache is None:
        st = state()
        links = st.memo.setdefault("links", {})
        cache = g.kazkg_links = links.setdefault((chosen_lang(), request.script_root), {})
    found = cache.get(iri)
    if found is None:
        if len(cache) >= LINKS_KEPT:
            cache.clear()
        found = cache[iri] = _make_link(iri)
    return found


def _make_link(iri: str) -> Link:
    index = label_index(state())
    found: Label | None = index.label(iri, chosen_lang())
    text, text_lang = (found.text, found.lang) if found else (unlabelled(iri), "")
    type_iri = index.type_of(iri)
    return Link(
        iri, page_url(iri), text, text_lang, index.text(type_iri, "en") if type_iri else None
    )


def unlabelled(iri: str) -> str:
    """A name for an IRI the data labels nowhere: 'org:member' for vocabulary terms, a readable
    local name for the dataset's own resources."""
    if iri in STANDARD_LABELS:
        return STANDARD_LABELS[iri]
    vocab = state().vocab
    if not iri.startswith(vocab.id):
        for prefix, namespace in sorted(vocab.prefixes.items(), key=lambda p: -len(p[1])):
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
    return humanize(iri)


def label(iri: str) -> str:
    found = label_index(state()).label(iri, chosen_lang())
    return found.text if found else unlabelled(iri)


def with_args(**changes: str | None) -> str:
    """The current URL with some query arguments replaced (None removes one)."""
    args = query_args().to_dict(flat=True)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    query = urlencode(sorted(args.items()))
    return request.path + (f"?{query}" if query else "")


def permalink() -> str:
    """This page at this build: the absolute URL carrying ?build=<build id>."""
    args = query_args().to_dict(flat=True)
    args["build"] = state().build_id
    return request.base_url + "?" + urlencode(sorted(args.items()))
