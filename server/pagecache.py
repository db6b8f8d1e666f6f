"""Rendered pages kept in memory, ETags and 304s: a served build does not change, so neither do its
pages.

A page is kept under (build identifier with the number of updates applied, scheme and host, path,
query string, negotiated media type, label language, day). The build identifier changes with every
SPARQL Update (and the cache is emptied then), the host is in every page's permalink, the language
picks the labels, and the day moves the "today" mark of timelines. The ETag is a hash of the same
key, so a client's If-None-Match is answered 304 without rendering anything.

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
from .state import state

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
KEPT_HEADERS = ("Content-Type", "Link", "Access-Control-Allow-Origin")
MAX_PAGE_BYTES = 2 << 20
PERMALINK_MAX_AGE = 365 * 24 * 3600
MAX_AGE = 60


@dataclass(frozen=True)
class Page:
    body: bytes
    headers: tuple[tuple[str, str], ...]


class PageCache:
    """The last `size` pages rendered (least recently used leave first)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple, Page] = OrderedDict()
        self._lock = Lock()
        self.hits = self.misses = 0

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
        if self.size <= 0 or len(page.body) > MAX_PAGE_BYTES:
            return
        with self._lock:
            self._items[key] = page
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


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
    key = page_key()
    if key is None:
        return None
    g.page_key = key
    tag = etag_of(key)
    if request.if_none_match and (request.if_none_match.contains_weak(tag)
                                  or request.if_none_match.star_tag):
        g.page_hit = True
        not_modified = Response(status=304)
        not_modified.headers.remove("Content-Type")
        return _validators(not_modified, key)
    page = state().pages.get(key)
    if page is None:
        return None
    g.page_hit = True
    response = Response(page.body, status=200)
    response.headers.remove("Content-Type")
    for name, value in page.headers:
        response.headers.add(name, value)
    return _validators(response, key)


def _after(response: Response) -> Response:
    key = g.get("page_key")
    if key is None or g.get("page_hit") or response.status_code != 200:
        return response
    if response.direct_passthrough or response.is_streamed:
        return response
    _validators(response, key)
    headers = tuple((k, v) for k, v in response.headers.items() if k in KEPT_HEADERS)
    state().pages.put(key, Page(response.get_data(), headers))
    return response


def install(app: Flask) -> None:
    app.before_request(_before)
    app.after_request(_after)
