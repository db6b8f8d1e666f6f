"""Conversions between pyoxigraph terms (storage, queries) and rdflib terms (owlrl, pySHACL)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
import rdflib
from rdflib.term import Node


def ox_to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype))
    raise TypeError(f"cannot convert {term!r}")


def rdflib_to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r}")


def ox_triples_to_rdflib(triples: Iterable[ox.Triple | ox.Quad]) -> Iterator[tuple[Node, Node, Node]]:
    for t in triples:
        yield ox_to_rdflib(t.subject), ox_to_rdflib(t.predicate), ox_to_rdflib(t.object)


def rdflib_to_ox_triple(triple: tuple[Node, Node, Node]) -> ox.Triple | None:
    s, p, o = triple
    if isinstance(s, rdflib.Literal) or not isinstance(p, rdflib.URIRef):
        return None
    return ox.Triple(rdflib_to_ox(s), rdflib_to_ox(p), rdflib_to_ox(o))


def rdflib_graph_to_quads(graph: rdflib.Graph, graph_name: str) -> Iterator[ox.Quad]:
    name = ox.NamedNode(graph_name)
    for triple in graph:
        converted = rdflib_to_ox_triple(triple)
        if converted is not None:
            yield ox.Quad(converted.subject, converted.predicate, converted.object, name)


def canonical_quads(graph: rdflib.Graph, graph_name: str) -> list[ox.Quad]:
    """The graph's quads with blank nodes relabelled by RDFC-1.0, so output is reproducible.

    rdflib labels blank nodes at random on every parse; canonical labels depend only on the
    graph's content.
    """
    dataset = ox.Dataset(rdflib_graph_to_quads(graph, graph_name))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))
