"""What a running server holds: configuration, the store backend, the query pool, caches.

One KazkgState per app, kept in app.extensions["kazkg"]; nothing module-global.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

from flask import Flask, current_app

from graph.config import Config
from graph.namespaces import Vocab
from graph.queries import QueryLibrary

from .backends import Backend
from .engine import QueryOutcome, QueryRequest, execute
from .executor import QueryExecutor


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

    def store(self):
        return self.backend.store()


def make_state(config: Config, backend: Backend) -> KazkgState:
    vocab = Vocab(config.base_iri)

    def run(request: QueryRequest) -> QueryOutcome:
        return execute(backend.store(), request)

    executor = QueryExecutor(run, after_fork=backend.after_fork, size=config.query_workers,
                             max_size=max(4, 2 * config.query_workers))
    return KazkgState(config=config, backend=backend, vocab=vocab,
                      queries=QueryLibrary(config.queries_dir, vocab), executor=executor,
                      cache=ResultCache(config.cache_size))


def state(app: Flask | None = None) -> KazkgState:
    return (app or current_app).extensions["kazkg"]
