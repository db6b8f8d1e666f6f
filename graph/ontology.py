"""Loading the ontology, the SHACL shapes and the reference data, rebased to the configured base IRI."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import rdflib
from rdflib import RDF, RDFS, Graph, URIRef

from .namespaces import Vocab


class OntologyError(Exception):
    """An ontology or reference file cannot be read."""


def parse_turtle(path: Path, vocab: Vocab) -> Graph:
    """Parse one Turtle file, rewriting the default base IRI to the configured one."""
    graph = Graph()
    try:
        graph.parse(data=vocab.rebase_text(path.read_text("utf-8")), format="turtle",
                    publicID=path.resolve().as_uri())
    except (OSError, SyntaxError, ValueError, rdflib.exceptions.ParserError) as exc:
        raise OntologyError(f"{path}: {exc}") from exc
    return graph


@dataclass(frozen=True)
class OntologyFiles:
    """The ontology folder: kazkg.ttl, shapes.ttl and reference/*.ttl."""

    root: Path
    vocab: Vocab

    @property
    def tbox_path(self) -> Path:
        return self.root / "kazkg.ttl"

    @property
    def shapes_path(self) -> Path:
        return self.root / "shapes.ttl"

    @property
    def reference_paths(self) -> list[Path]:
        return sorted((self.root / "reference").glob("*.ttl"))

    @cached_property
    def tbox(self) -> Graph:
        return parse_turtle(self.tbox_path, self.vocab)

    @cached_property
    def shapes(self) -> Graph:
        return parse_turtle(self.shapes_path, self.vocab)

    @cached_property
    def reference(self) -> Graph:
        graph = Graph()
        for path in self.reference_paths:
            graph += parse_turtle(path, self.vocab)
        return graph

    @cached_property
    def version(self) -> str:
        from rdflib.namespace import OWL
        for _, _, info in self.tbox.triples((None, OWL.versionInfo, None)):
            return str(info)
        return "unversioned"

    def files(self) -> list[Path]:
        return [self.tbox_path, self.shapes_path, *self.reference_paths]


class ClassTree:
    """Superclasses of the ontology's named classes (reflexive, transitive)."""

    def __init__(self, tbox: Graph) -> None:
        parents: dict[URIRef, set[URIRef]] = {}
        for cls, _, sup in tbox.triples((None, RDFS.subClassOf, None)):
            if isinstance(cls, URIRef) and isinstance(sup, URIRef):
                parents.setdefault(cls, set()).add(sup)
        self._parents = parents

    def ancestors(self, cls: URIRef) -> set[URIRef]:
        seen, todo = {cls}, [cls]
        while todo:
            for sup in self._parents.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        return seen

    def most_specific(self, classes: set[URIRef]) -> set[URIRef]:
        return {c for c in classes if not any(c != o and c in self.ancestors(o) for o in classes)}


def types_of(graph: Graph, node: URIRef) -> set[URIRef]:
    return {t for t in graph.objects(node, RDF.type) if isinstance(t, URIRef)}
