"""Materialising entailments once per build into the named graph of inferred triples.

Two engines: owlrl (the OWL 2 RL reference) and `rules`, SPARQL rules compiled from the same
ontology and run in pyoxigraph (fast; see issue #7). Both drop owlrl's by-products: reflexive
owl:sameAs, literal subjects, owl:Thing, and statements about the built-in vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable

import owlrl
import pyoxigraph as ox
from pyoxigraph import Triple
from rdflib import BNode, Graph
from rdflib import Literal as RLiteral
from rdflib.term import Node

from .convert import ox_triples_to_rdflib, rdflib_to_ox_triple

BUILTIN_NAMESPACES = (
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2001/XMLSchema#",
)
OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_REFLEXIVE_NOISE = {OWL + "sameAs", OWL + "equivalentClass", OWL + "equivalentProperty",
                    RDFS + "subClassOf", RDFS + "subPropertyOf"}
_NOISE_OBJECTS = {OWL + "Thing", RDFS + "Resource", OWL + "NamedIndividual"}


def _clutter(s: str, s_kind: str, p: str, o: str, o_kind: str) -> bool:
    """Shared by both engines; kinds are 'iri', 'bnode' or 'literal'."""
    if s_kind != "iri":
        return True  # literal subjects, and blank nodes of TBox restrictions and lists
    if s.startswith(BUILTIN_NAMESPACES):
        return True
    if p.startswith(OWL):
        return True  # owl:sameAs, owl:equivalentClass closures … about the TBox
    if p in _REFLEXIVE_NOISE and s == o:
        return True
    if o in _NOISE_OBJECTS:
        return True  # 'x a owl:Thing', 'p rdfs:domain owl:Thing'
    if p in (RDF_TYPE, RDFS + "subClassOf") and o_kind == "bnode":
        return True
    if p == RDF_TYPE and o.startswith(BUILTIN_NAMESPACES):
        return True  # 'x a owl:Class', 'p a rdf:Property': built-in vocabulary about terms
    return False


def is_clutter(s: Node, p: Node, o: Node) -> bool:
    """A by-product of OWL RL materialisation that no query of ours needs (rdflib terms)."""
    return _clutter(str(s), _rdflib_kind(s), str(p), str(o), _rdflib_kind(o))


def is_clutter_ox(t: ox.Triple) -> bool:
    """is_clutter for pyoxigraph triples."""
    return _clutter(_ox_str(t.subject), _ox_kind(t.subject), t.predicate.value,
                    _ox_str(t.object), _ox_kind(t.object))


def _rdflib_kind(n: Node) -> str:
    return "literal" if isinstance(n, RLiteral) else "bnode" if isinstance(n, BNode) else "iri"


def _ox_kind(n) -> str:
    return "literal" if isinstance(n, ox.Literal) else "bnode" if isinstance(n, ox.BlankNode) else "iri"


def _ox_str(n) -> str:
    return n.value if isinstance(n, (ox.NamedNode, ox.BlankNode, ox.Literal)) else str(n)


def infer_owlrl(asserted: Iterable[Triple]) -> list[Triple]:
    """OWL 2 RL closure of the asserted triples minus the asserted triples and the clutter."""
    graph = Graph()
    for t in ox_triples_to_rdflib(asserted):
        graph.add(t)
    before = set(graph)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False,
                           datatype_axioms=False).expand(graph)
    inferred = []
    for triple in graph:
        if triple in before or is_clutter(*triple):
            continue
        converted = rdflib_to_ox_triple(triple)
        if converted is not None:
            inferred.append(converted)
    return inferred

