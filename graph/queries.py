"""SPARQL of the project lives in queries/*.rq; this module reads it, rebased to the configured IRIs.

Values are bound through pyoxigraph substitutions (SEP-0007, the counterpart of rdflib's
initBindings), never pasted into query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from .namespaces import Vocab

_HEADER = re.compile(r"^\s*#\s?(.*)$")


@dataclass(frozen=True)
class StoredQuery:
    name: str  # path below queries/ without .rq: 'cq/01-posts-over-time', 'export/persons'
    path: Path
    text: str

    @cached_property
    def description(self) -> str:
        """The leading comment block: the question in plain English and the shape of the answer."""
        lines = []
        for line in self.text.splitlines():
            m = _HEADER.match(line)
            if not m:
                break
            lines.append(m.group(1))
        return "\n".join(lines).strip()

    @property
    def title(self) -> str:
        return self.description.splitlines()[0] if self.description else self.name


class QueryLibrary:
    """All .rq files under a folder, keyed by relative name."""

    def __init__(self, root: Path, vocab: Vocab) -> None:
        self.root = root
        self.vocab = vocab
        self._cache: dict[str, StoredQuery] = {}

    def get(self, name: str) -> StoredQuery:
        if name not in self._cache:
            path = (self.root / f"{name}.rq").resolve()
            if self.root.resolve() not in path.parents:
                raise KeyError(name)
            if not path.is_file():
                raise KeyError(f"no query {name!r} in {self.root}")
            self._cache[name] = StoredQuery(name, path, self.vocab.rebase_text(path.read_text("utf-8")))
        return self._cache[name]

    def names(self, folder: str = "") -> list[str]:
        base = self.root / folder if folder else self.root
        return sorted(str(p.relative_to(self.root).with_suffix("")) for p in base.rglob("*.rq"))

    def run(self, store: ox.Store, name: str, **bindings: ox.NamedNode | ox.Literal):
        """Run a stored query with variables bound to RDF terms (never to raw strings)."""
        for key, value in bindings.items():
            if not isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
                raise TypeError(f"binding {key} must be an RDF term, not {type(value).__name__}")
        substitutions = {ox.Variable(k): v for k, v in bindings.items()}
        return store.query(self.get(name).text, substitutions=substitutions)
