"""What a running server holds: configuration, the store backend, the query pool, caches.

One KazkgState per app, kept in app.extensions["kazkg"]; nothing module-global. A served build is
immutable, so what pages compute from all of it (labels, types, counts, index rows …) is computed
once per process and kept in `memo`, and rendered pages are kept in `pages` (server/pagecache.py);
both are dropped when an update changes the data (`after_update`).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from threading import Lock
from typing import Any, TypeVar

import pyoxigraph as ox
from flask import Flask, current_app

from graph.config import Config
from graph.namespaces import Vocab
from graph.queries import QueryLibrary

from .backends import Backend
from .engine import QueryOutcome, QueryRequest, execute
from .executor import QueryExecutor

T = TypeVar("T")
Term = ox.NamedNode | ox.Literal
# `VALUES ?name { UNDEF }` in a stored query marks where a parameter is bound (see bind_parameters).
_PLACEHOLDER = re.compile(r"VALUES\s+\?([A-Za-z_][A-Za-z0-9_]*)\s*\{\s*UNDEF\s*\}")


def _term_text(term: Term) -> str:
    """A term in SPARQL syntax as pyoxigraph writes it (escaped); never text from a request."""
    if not isinstance(term, (ox.NamedNode, ox.Literal)):
        raise TypeError(f"a query parameter must be an IRI or a literal, not {type(term).__name__}")
    return str(term)


def bind_parameters(text: str, bindings: dict[str, Term | list[Term]]) -> tuple[str, dict]:
    """Bind a stored query's parameters; (text, the bindings left for substitution).

    A parameter the query marks with `VALUES ?name { UNDEF }` gets its value(s) in that block,
    written by pyoxigraph from RDF terms (never from request text): the query planner then knows
    the value and starts from it. (pyoxigraph's substitutions bind a variable only when the query
    runs, after it was planned as if the variable were free: the same query can be 100 times
    slower.) Unmarked parameters are left for substitution. Unbound, a placeholder keeps the
    query's meaning: UNDEF leaves the variable free."""
    used: set[str] = set()

    def value_block(match: re.Match) -> str:
        name = match.group(1)
        if name not in bindings:
            return match.group(0)
        used.add(name)
        value = bindings[name]
        terms = value if isinstance(value, list) else [value]
        return f"VALUES ?{name} {{ {' '.join(_term_text(t) for t in terms)} }}"

    bound = _PLACEHOLDER.sub(value_block, text)
    rest = {k: v for k, v in bindings.items() if k not in used}
    for key, value in rest.items():
        if not isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
            raise TypeError(f"binding {key} must be an RDF term, not {type(value).__name__}")
    return bound, rest


class ResultCache:
    """Results of identical queries against the same build (the build id is part of the key)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple, QueryOutcome] = OrderedDict()
        self._lock = Lock()

    def get(self, key: tuple) -> QueryOutcome | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def put(self, key: tuple, value: QueryOutcome) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


@dataclass
class KazkgState:
    config: Config
    backend: Backend
    vocab: Vocab
    queries: QueryLibrary
    executor: QueryExecutor
    cache: ResultCache
    pages: Any = None  # server.pagecache.PageCache
    memo: dict[str, Any] = field(default_factory=dict)

    revision: int = 0  # updates applied since the build was loaded

    @property
    def build_id(self) -> str:
        """The served data's identifier: the build's, plus the number of updates since."""
        return self.backend.build_id if not self.revision else f"{self.backend.build_id}+{self.revision}"

    @property
    def updatable(self) -> bool:
        """Updates are coherent only where one process holds the one store every query reads."""
        return bool(self.config.update_token) and self.config.server_workers == 1 \
            and getattr(self.backend, "kind", "") == "memory"

    def after_update(self) -> None:
        """Later queries must see the update: query processes are forked afresh from this one,
        caches keyed by the old identifier are dropped."""
        self.revision += 1
        self.executor.close()
        self.memo.clear()
        self.cache.clear()
        if self.pages is not None:
            self.pages.clear()

    def store(self):
        return self.backend.store()

    def run(self, name: str, **bindings: Term | list[Term]):
        """Run a stored query (queries/NAME.rq) with its parameters bound (bind_parameters)."""
        text, rest = bind_parameters(self.queries.get(name).text, bindings)
        return self.store().query(text, substitutions={ox.Variable(k): v for k, v in rest.items()})

    def once(self, key: str, compute: Callable[[], T]) -> T:
        """What `compute` finds in the served data, computed once per process and revision."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]


def solutions(result) -> list[dict[str, Any]]:
    """Query solutions as plain dicts (variable -> term or None), to keep across requests: the
    solution iterator of pyoxigraph belongs to the thread that made it."""
    names = [v.value for v in result.variables]
    return [{n: row[n] for n in names} for row in result]


def make_state(config: Config, backend: Backend) -> KazkgState:
    vocab = Vocab(config.base_iri)

    def run(request: QueryRequest) -> QueryOutcome:
        return execute(backend.store(), request)

    executor = QueryExecutor(run, after_fork=backend.after_fork, size=config.query_workers,
                             max_size=max(4, 2 * config.query_workers))
    from .pagecache import PageCache
    return KazkgState(config=config, backend=backend, vocab=vocab,
                      queries=QueryLibrary(config.queries_dir, vocab), executor=executor,
                      cache=ResultCache(config.cache_size), pages=PageCache(config.page_cache_size))


def state(app: Flask | None = None) -> KazkgState:
    return (app or current_app).extensions["kazkg"]
