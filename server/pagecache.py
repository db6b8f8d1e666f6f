"""Rendered pages kept in memory, ETags and 304s: a served build does not change, so neither do its
pages.

A page's ETag is a hash of (build identifier with the number of updates applied, scheme and host,
path, query string, negotiated media type, label language, day): the build identifier changes with
every SPARQL Update, the host is in every page's permalink, the language picks the labels, and the
day moves the "today" mark of timelines. A client's If-None-Match is answered 304 before anything
is rendered.

The rendered response (status, headers, body) is kept under the same things as the request states
them (Accept, Accept-Language, the lang cookie instead of what they negotiate) by a WSGI middleware
in front of Flask: a page asked for again is answered without routing, request context or
template, about as fast as the WSGI server can send bytes.

Cache-Control: a permalink (?build= of the served build) never changes: immutable for a year. Other
URLs change when a new build is served: cached for a minute, then revalidated with the ETag. A
server that takes updates says no-cache (always revalidate).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from flask import Flask, Response, g, request

from .links import chosen_lang, query_args
from .state import KazkgState, state

# Endpoints whose 200 responses depend only on the key above. Not here: the SPARQL endpoint (it
# has its own result cache), redirects, downloads and the build report (they change when a dump is
# written or scores are computed), citations (they run queries and date themselves).
CACHED_ENDPOINTS = {
    "pages.home",
    "pages.entity_page",
    "pages.resource_page",
    "pages.inbound",
    "pages.entity_data",
    "browse.index_page",
    "browse.class_page",
    "browse.asof_page",
    "search.search_page",
    "search.search_json",
}
# Endpoints whose response type follows the Accept header (the others always answer one type).
NEGOTIATED = {"pages.entity_data"}
# Endpoints whose data is the same in every label language.
LANGUAGE_FREE = {"pages.entity_data"}
MAX_PAGE_BYTES = 2 << 20
MAX_CACHE_BYTES = 256 << 20  # whatever the number of pages: memory stays bounded
PERMALINK_MAX_AGE = 365 * 24 * 3600
MAX_AGE = 60


# Set in the WSGI environ by Flask for a response the middleware may keep.
KEEP = "kazkg.page_cache.keep"


@dataclass(frozen=True)
class Page:
    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


class PageCache:
    """The last `size` pages rendered, at most MAX_CACHE_BYTES of them (least recently used
    leave first)."""

    def __init__(self, size: int, max_bytes: int = MAX_CACHE_BYTES) -> None:
        self.size, self.max_bytes = size, max_bytes
        self._items: OrderedDict[tuple, Page] = OrderedDict()
        self._lock = Lock()
        self.hits = self.misses = 0
        self.bytes = 0

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: tuple) -> Page | None:
        with self._lock:
            page = self._items.get(key)
            if page is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return page

    def put(self, key: tuple, page: Page) -> None:
        if self.size <= 0 or len(page.body) > min(MAX_PAGE_BYTES, self.max_bytes):
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes -= len(old.body)
            self._items[key] = page
            self.bytes += len(page.body)
            while len(self._items) > self.size or self.bytes > self.max_bytes:
                _, gone = self._items.popitem(last=False)
                self.bytes -= len(gone.body)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.bytes = 0


def page_key() -> tuple | None:
    """The key of this request's page, or None when it is not a cached page."""
    endpoint = request.endpoint
    if request.method not in ("GET", "HEAD") or endpoint not in CACHED_ENDPOINTS:
        return None
    try:
        request.args  # noqa: B018 - a query string that is not UTF-8 is the view's 400
    except UnicodeDecodeError:
        return None
    return (
        state().build_id,
        request.host_url,
        request.path,
        request.query_string,
        request.headers.get("Accept", "") if endpoint in NEGOTIATED else "",
        "" if endpoint in LANGUAGE_FREE else chosen_lang(),
        dt.date.today().isoformat(),
    )


def etag_of(key: tuple) -> str:
    digest = hashlib.sha256(repr(key[1:]).encode("utf-8")).hexdigest()[:20]
    return f"{key[0]}-{digest}"


def cache_control() -> str:
    st = state()
    if st.updatable:
        return "no-cache"
    if query_args().get("build") == st.build_id:
        return f"public, max-age={PERMALINK_MAX_AGE}, immutable"
    return f"public, max-age={MAX_AGE}"


def _validators(response: Response, key: tuple) -> Response:
    response.set_etag(etag_of(key), weak=True)
    response.headers["Cache-Control"] = cache_control()
    if request.endpoint not in LANGUAGE_FREE:
        response.vary.update(("Accept-Language", "Cookie"))
    if request.endpoint in NEGOTIATED:
        response.vary.add("Accept")
    return response


def _before() -> Response | None:
    """304 when the client has this page already (nothing rendered)."""
    key = page_key()
    if key is None:
        return None
    g.page_key = key
    if request.if_none_match and (request.if_none_match.contains_weak(etag_of(key))
                                  or request.if_none_match.star_tag):
        g.page_not_modified = True
        not_modified = Response(status=304)
        not_modified.headers.remove("Content-Type")
        return _validators(not_modified, key)
    return None


def _after(response: Response) -> Response:
    key = g.get("page_key")
    if key is None or g.get("page_not_modified") or response.status_code != 200:
        return response
    _validators(response, key)
    if not response.direct_passthrough and not response.is_streamed:
        request.environ[KEEP] = True
    return response


def request_key(environ: dict, build_id: str) -> tuple:
    """What a response can depend on, as the request states it."""
    return (
        build_id,
        environ.get("wsgi.url_scheme", ""),
        environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}",
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
        environ.get("HTTP_ACCEPT", ""),
        environ.get("HTTP_ACCEPT_LANGUAGE", ""),
        _lang_cookie(environ.get("HTTP_COOKIE", "")),
        dt.date.today().toordinal(),
    )


def _lang_cookie(header: str) -> str:
    """The raw value of the lang cookie (the only cookie pages read)."""
    if "lang" not in header:
        return ""
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == "lang":
            return value
    return ""


class PageCacheMiddleware:
    """Answers a GET asked before from the kept response; keeps what Flask marks as keepable."""

    def __init__(self, wsgi_app, st: KazkgState) -> None:
        self.wsgi_app, self.st = wsgi_app, st

    def __call__(self, environ: dict, start_response):
        pages = self.st.pages
        if (environ.get("REQUEST_METHOD") != "GET" or pages.size <= 0
                or "HTTP_IF_NONE_MATCH" in environ):
            return self.wsgi_app(environ, start_response)
        key = request_key(environ, self.st.build_id)
        page = pages.get(key)
        if page is not None:
            start_response(page.status, list(page.headers))
            return [page.body]
        captured: list = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers]
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, capture)
        if not environ.get(KEEP) or not captured or not captured[0].startswith("200"):
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        pages.put(key, Page(captured[0], tuple(captured[1]), body))
        return [body]


def install(app: Flask) -> None:
    app.before_request(_before)
    app.after_request(_after)
    app.wsgi_app = PageCacheMiddleware(app.wsgi_app, state(app))
