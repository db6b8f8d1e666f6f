"""One configuration object for the build and the server, overridable by KAZKG_* variables."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE_IRI = "https://w3id.org/kazkg/"


class ConfigError(ValueError):
    """A setting has a value that cannot be used."""


@dataclass(frozen=True)
class Config:
    """Settings of kazkg. Each field can be set by the environment variable KAZKG_<NAME>."""

    base_iri: str = field(default=DEFAULT_BASE_IRI, metadata={
        "help": "Base of every IRI the build mints (ontology#, id/, graph/)."})
    corpus_dir: Path = field(default=PROJECT_ROOT / "corpus", metadata={
        "help": "Folder of .txt news articles the build reads."})
    ontology_dir: Path = field(default=PROJECT_ROOT / "ontology", metadata={
        "help": "Folder with kazkg.ttl, shapes.ttl and reference/."})
    queries_dir: Path = field(default=PROJECT_ROOT / "queries", metadata={
        "help": "Folder of the .rq files (competency questions, export views, page queries)."})
    data_path: Path = field(default=PROJECT_ROOT / "build" / "kazkg.trig", metadata={
        "help": "Dataset file the build writes and the server serves."})
    cache_dir: Path = field(default=PROJECT_ROOT / "build" / "cache", metadata={
        "help": "Per-document extraction cache, keyed by content hash and extractor version."})
    store: str = field(default="memory", metadata={
        "help": "Store backend: 'memory', 'oxigraph:PATH' (on disk) or the URL of a SPARQL endpoint."})
    reasoner: str = field(default="rules", metadata={
        "help": "How the build materialises entailments: 'rules' (fast SPARQL rules) or 'owlrl'."})
    validator: str = field(default="fast", metadata={
        "help": "SHACL engine of the build and `kazkg validate`: 'fast' (SPARQL on pyoxigraph) or 'pyshacl'."})
    jobs: int = field(default=1, metadata={
        "help": "Processes that extract documents in parallel."})
    max_document_bytes: int = field(default=10_000_000, metadata={
        "help": "Documents larger than this are reported and skipped."})
    sparql_timeout: float = field(default=10.0, metadata={
        "help": "Seconds a SPARQL query may run before it is stopped (503)."})
    sparql_max_rows: int = field(default=10_000, metadata={
        "help": "Result rows (or triples) returned at most; more are cut and flagged as truncated."})
    max_request_bytes: int = field(default=1_000_000, metadata={
        "help": "Largest request body or query string accepted (413 beyond)."})
    query_workers: int = field(default=2, metadata={
        "help": "Child processes per server process that run user queries (killed on timeout)."})
    update_token: str = field(default="", metadata={
        "help": "Bearer token that enables SPARQL Update; empty (the default) keeps the endpoint read-only."})
    cache_size: int = field(default=256, metadata={
        "help": "Query results cached per server process, keyed by the build identifier."})
    page_cache_size: int = field(default=2000, metadata={
        "help": "Rendered pages cached per server process (0: none), keyed by the build identifier "
                "and revision, the URL, the label language and the day; pages over 2 MB are not kept."})
    server_workers: int = field(default=2, metadata={
        "help": "gunicorn worker processes for `kazkg serve`."})

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Config:
        """Defaults, then KAZKG_* variables, then explicit overrides (e.g. from the CLI)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            raw = environ.get(f"KAZKG_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _coerce(f, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.type in ("Path", Path) and not isinstance(value, Path):
                object.__setattr__(self, f.name, Path(value))
        if not self.base_iri.endswith(("/", "#")):
            raise ConfigError(f"base_iri must end with '/' or '#': {self.base_iri!r}")
        for name in ("sparql_timeout", "sparql_max_rows", "jobs", "max_document_bytes",
                     "max_request_bytes", "query_workers", "server_workers"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"{name} (KAZKG_{name.upper()}) must be positive, "
                                  f"not {getattr(self, name)!r}")
        for name in ("cache_size", "page_cache_size"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} (KAZKG_{name.upper()}) must be 0 or more, "
                                  f"not {getattr(self, name)!r}")
        if self.reasoner not in ("rules", "owlrl"):
            raise ConfigError(f"reasoner must be 'rules' or 'owlrl', not {self.reasoner!r}")
        if self.validator not in ("fast", "pyshacl"):
            raise ConfigError(f"validator (KAZKG_VALIDATOR) must be 'fast' or 'pyshacl', not {self.validator!r}")

    def replace(self, **changes: Any) -> Config:
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def _coerce(f: dataclasses.Field, raw: str) -> Any:
    kind = f.type
    try:
        if kind in ("int", int):
            return int(raw)
        if kind in ("float", float):
            return float(raw)
        if kind in ("Path", Path):
            return Path(raw)
    except ValueError as exc:
        raise ConfigError(f"KAZKG_{f.name.upper()}={raw!r}: {exc}") from None
    return raw


def settings_help() -> list[tuple[str, str, str]]:
    """(environment variable, default, help) for every setting, for docs and `--help`."""
    rows = []
    for f in dataclasses.fields(Config):
        default = f.default
        if isinstance(default, Path):
            try:
                default = default.relative_to(PROJECT_ROOT)
            except ValueError:
                pass
        rows.append((f"KAZKG_{f.name.upper()}", str(default), f.metadata.get("help", "")))
    return rows
