"""The dataset layout, assembled in pyoxigraph and written as one TriG file.

Named graphs: one per document (graph IRI = document IRI) for provenance; graph/ontology,
graph/reference (curated identity data), graph/entities (labels of linked entities),
graph/asserted (the de-duplicated union of all of these), graph/inferred (entailments). The
default graph is the resolved knowledge graph: asserted + inferred, each fact once, so that
queries do not multiply rows when several documents state the same fact.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from .namespaces import Vocab

STRUCTURAL_GRAPHS = ("ontology", "reference", "entities", "build")


class DatasetLayout:
    """Names of the dataset's graphs under one base IRI."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.ontology = vocab.graph("ontology")
        self.reference = vocab.graph("reference")
        self.entities = vocab.graph("entities")
        self.build = vocab.graph("build")
        self.asserted = vocab.graph("asserted")
        self.inferred = vocab.graph("inferred")

    def is_document_graph(self, name: str) -> bool:
        return name.startswith(self.vocab.id + "doc/")


def new_store() -> ox.Store:
    return ox.Store()


def add_triples(store: ox.Store, triples: Iterable[ox.Triple | ox.Quad], graph: str) -> None:
    name = ox.NamedNode(graph)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)


def build_asserted_graph(store: ox.Store, layout: DatasetLayout, default_too: bool = False) -> None:
    """graph/asserted: the union of every asserted graph, each triple once (and the same into
    the default graph with `default_too`, where reasoning adds the inferred triples)."""
    also = " ?s ?p ?o ." if default_too else ""
    store.update(f"""
        INSERT {{ GRAPH <{layout.asserted}> {{ ?s ?p ?o }}{also} }}
        WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != <{layout.inferred}> && ?g != <{layout.asserted}>) }}
    """)


def build_default_graph(store: ox.Store, layout: DatasetLayout) -> None:
    """The default graph: the resolved knowledge graph, asserted + inferred, each triple once."""
    store.update(f"""
        INSERT {{ ?s ?p ?o }}
        WHERE {{ {{ GRAPH <{layout.asserted}> {{ ?s ?p ?o }} }} UNION {{ GRAPH <{layout.inferred}> {{ ?s ?p ?o }} }} }}
    """)


def asserted_triples(store: ox.Store, layout: DatasetLayout) -> list[ox.Quad]:
    return list(store.quads_for_pattern(None, None, None, ox.NamedNode(layout.asserted)))


def _sort_key(q: ox.Quad) -> tuple:
    graph = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
    return (graph, str(q.subject), str(q.predicate), str(q.object))


def _sorted_graph(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph,
                  counts: dict[ox.NamedNode | ox.DefaultGraph, int]) -> Iterator[ox.Quad]:
    """The quads of one graph ordered by (str(s), str(p), str(o)), sorted as N-Triples lines.

    A line is 'S P O .' with the terms written as str() writes them, and every term ends where a
    space follows (nothing inside a term sorts below a space: N-Triples escapes control
    characters), so line order is term-tuple order. Sorting bytes is far cheaper than sorting
    quads by string keys, and the dump never makes a Python object per quad.
    """
    lines = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).split(b" .\n")
    if lines.pop() != b"":
        raise ValueError("unexpected N-Triples dump")
    lines.sort()
    counts[graph] = len(lines)
    lines.append(b"")
    end = b" .\n" if isinstance(graph, ox.DefaultGraph) else f" {graph} .\n".encode()
    data = end.join(lines)
    del lines
    return ox.parse(data, format=ox.RdfFormat.N_QUADS)


def serialise_trig(store: ox.Store, prefixes: dict[str, str],
                   counts: dict[ox.NamedNode | ox.DefaultGraph, int] | None = None) -> bytes:
    """The whole dataset as TriG, in a stable order (same input, same bytes): the default graph,
    then the named graphs by IRI, each by (subject, predicate, object) as str() writes them.
    `counts`, when given, receives the number of triples of each graph (the sort counts them)."""
    graphs = [ox.DefaultGraph(), *sorted(store.named_graphs(), key=str)]
    counts = {} if counts is None else counts
    return ox.serialize(itertools.chain.from_iterable(_sorted_graph(store, g, counts) for g in graphs),
                        format=ox.RdfFormat.TRIG, prefixes=prefixes)


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file next to `path`, then rename: a crash leaves the old file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def report_path(data_path: Path) -> Path:
    """Where the build report of a dataset file is kept: kazkg.trig -> kazkg.report.json."""
    return data_path.with_name(data_path.stem + ".report.json")
