"""Store backends behind one small interface: where the served dataset lives and how it is queried.

* `memory` (default): the dataset file parsed into an in-memory Oxigraph store.
* `oxigraph:PATH`: an on-disk Oxigraph store (RocksDB), opened read-only, shared by processes.
* an http(s) URL: a remote SPARQL 1.1 endpoint (Virtuoso, Fuseki, QLever, GraphDB …).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

FORMATS_BY_SUFFIX = {
    ".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS, ".nquads": ox.RdfFormat.N_QUADS, ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML, ".n3": ox.RdfFormat.N3,
}


class BackendError(Exception):
    """The dataset cannot be loaded or the store cannot be opened."""


def rdf_format_of(path: Path) -> ox.RdfFormat:
    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise BackendError(f"{path}: unknown RDF format '{path.suffix}' (known: {known})")
    return fmt


def file_build_id(path: Path) -> str:
    """A content hash of the dataset file: the identifier permalinks and caches are keyed by."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:12]


class Backend(Protocol):
    """What the server needs from a store."""

    build_id: str
    description: str

    def store(self) -> ox.Store:
        """The Oxigraph store (embedded backends)."""

    def after_fork(self) -> None:
        """Called in a freshly forked process before it queries."""


@dataclass
class OxigraphMemory:
    """The dataset file parsed into memory once; forked processes share it copy-on-write."""

    path: Path
    _store: ox.Store | None = None
    build_id: str = ""
    kind: str = "memory"

    @property
    def description(self) -> str:
        return f"in-memory Oxigraph store loaded from {self.path}"

    def load(self) -> OxigraphMemory:
        if not self.path.is_file():
            raise BackendError(f"dataset file not found: {self.path}")
        fmt = rdf_format_of(self.path)
        store = ox.Store()
        try:
            store.load(path=str(self.path), format=fmt)
        except (SyntaxError, ValueError, OSError) as exc:
            raise BackendError(f"{self.path}: cannot be parsed as {fmt.name}: {exc}") from None
        self._store = store
        self.build_id = file_build_id(self.path)
        return self

    def store(self) -> ox.Store:
        assert self._store is not None, "load() first"
        return self._store

    def after_fork(self) -> None:
        pass


@dataclass
class OxigraphDisk:
    """An on-disk Oxigraph store opened read-only: many worker processes share one store."""

    path: Path
    _store: ox.Store | None = None
    build_id: str = ""
    kind: str = "disk"

    @property
    def description(self) -> str:
        return f"on-disk Oxigraph store at {self.path}"

    def load(self) -> OxigraphDisk:
        if not self.path.is_dir():
            raise BackendError(f"store folder not found: {self.path} (create it with `kazkg load`)")
        try:
            self._store = ox.Store.read_only(str(self.path))
        except OSError as exc:
            raise BackendError(f"cannot open store {self.path}: {exc}") from None
        marker = self.path / "BUILD_ID"
        self.build_id = marker.read_text().strip() if marker.exists() else "disk"
        return self

    def store(self) -> ox.Store:
        assert self._store is not None, "load() first"
        return self._store

    def after_fork(self) -> None:
        # RocksDB handles do not survive fork(): each process opens its own read-only view.
        self._store = ox.Store.read_only(str(self.path))


def store_kind(store: str) -> tuple[str, str]:
    """('memory', ''), ('disk', PATH) or ('remote', URL) for a --store value."""
    if store == "memory":
        return "memory", ""
    if store.startswith(("http://", "https://")):
        return "remote", store
    if store.startswith("oxigraph:"):
        return "disk", store.split(":", 1)[1]
    if "://" in store:
        raise BackendError(f"unknown store {store!r}: use 'memory', a folder (oxigraph:PATH) "
                           "or the http(s) URL of a SPARQL endpoint")
    return "disk", store


def open_backend(config) -> Backend:
    """The backend a configuration names (`store`), loaded and ready to query."""
    kind, where = store_kind(config.store)
    if kind == "memory":
        return OxigraphMemory(config.data_path).load()
    if kind == "disk":
        return OxigraphDisk(Path(where)).load()
    from .remote import RemoteSparql
    return RemoteSparql(where, config.base_iri, timeout=config.sparql_timeout + 5).load()
