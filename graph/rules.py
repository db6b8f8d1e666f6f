"""Fast materialisation: the ontology's OWL 2 RL axioms compiled into SPARQL rules for pyoxigraph.

Only the constructs the ontology uses are compiled (subclass and subproperty closure, inverses,
transitive properties, two-step property chains, owl:hasValue restrictions, domains and ranges);
the TBox's own closure comes from owlrl, which is fast on the small TBox. A test checks that the
result equals owlrl's on the corpus (tests/graph/test_reason.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import owlrl
import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from .convert import rdflib_to_ox_triple
from .dataset import DatasetLayout
from .reason import is_clutter_ox

MAX_ROUNDS = 50


@dataclass
class RuleSet:
    subclass: set[tuple[str, str]] = field(default_factory=set)
    subproperty: set[tuple[str, str]] = field(default_factory=set)
    inverse: set[tuple[str, str]] = field(default_factory=set)
    transitive: set[str] = field(default_factory=set)
    chains: set[tuple[str, str, str]] = field(default_factory=set)  # p <- p1 o p2
    has_value_forward: set[tuple[str, str, str]] = field(default_factory=set)  # C -> p v
    has_value_backward: set[tuple[str, str, str]] = field(default_factory=set)  # p v -> C
    domain: set[tuple[str, str]] = field(default_factory=set)
    range: set[tuple[str, str]] = field(default_factory=set)
    tbox_closure: list[ox.Triple] = field(default_factory=list)


def close_tbox(tbox: Graph) -> Graph:
    closed = Graph()
    for t in tbox:
        closed.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False,
                           datatype_axioms=False).expand(closed)
    return closed


def compile_rules(tbox: Graph) -> RuleSet:
    """Read the rule tables off the TBox and its owlrl closure."""
    closed = close_tbox(tbox)
    rules = RuleSet()
    named = lambda n: isinstance(n, URIRef)  # noqa: E731
    for c, d in closed.subject_objects(RDFS.subClassOf):
        if named(c) and named(d) and c != d:
            rules.subclass.add((str(c), str(d)))
    for p, q in closed.subject_objects(RDFS.subPropertyOf):
        if named(p) and named(q) and p != q:
            rules.subproperty.add((str(p), str(q)))
    for p, q in closed.subject_objects(OWL.inverseOf):
        if named(p) and named(q):
            rules.inverse.add((str(p), str(q)))
            rules.inverse.add((str(q), str(p)))
    for p in closed.subjects(RDF.type, OWL.TransitiveProperty):
        if named(p):
            rules.transitive.add(str(p))
    for p, chain in closed.subject_objects(OWL.propertyChainAxiom):
        steps = list(Collection(closed, chain))
        if len(steps) != 2 or not all(map(named, steps)):
            raise ValueError(f"only two-step chains of named properties are compiled: {p}")
        rules.chains.add((str(p), str(steps[0]), str(steps[1])))
    for restriction in closed.subjects(OWL.hasValue, None):
        prop = closed.value(restriction, OWL.onProperty)
        value = closed.value(restriction, OWL.hasValue)
        for cls in closed.subjects(OWL.equivalentClass, restriction):
            if named(cls):
                rules.has_value_forward.add((str(cls), str(prop), str(value)))
                rules.has_value_backward.add((str(prop), str(value), str(cls)))
        for cls in closed.subjects(RDFS.subClassOf, restriction):
            if named(cls):
                rules.has_value_forward.add((str(cls), str(prop), str(value)))
    for p, c in closed.subject_objects(RDFS.domain):
        if named(p) and named(c):
            rules.domain.add((str(p), str(c)))
    for p, c in closed.subject_objects(RDFS.range):
        if named(p) and named(c):
            rules.range.add((str(p), str(c)))
    before = set(tbox)
    for t in closed:
        if t not in before and not isinstance(t[0], BNode) and not isinstance(t[2], BNode):
            converted = rdflib_to_ox_triple(t)
            if converted is not None and not is_clutter_ox(converted):
                rules.tbox_closure.append(converted)
    return rules


def _values(rows: set[tuple[str, ...]]) -> str:
    return " ".join("(" + " ".join(f"<{v}>" for v in row) + ")" for row in sorted(rows))


def rule_updates(rules: RuleSet) -> list[str]:
    """The SPARQL updates of one round, over the store's default graph."""
    updates = []
    if rules.subclass:
        updates.append(f"INSERT {{ ?x a ?d }} WHERE {{ VALUES (?c ?d) {{ {_values(rules.subclass)} }} ?x a ?c }}")
    if rules.subproperty:
        updates.append(f"INSERT {{ ?s ?q ?o }} WHERE {{ VALUES (?p ?q) {{ {_values(rules.subproperty)} }} ?s ?p ?o }}")
    if rules.inverse:
        updates.append(f"INSERT {{ ?o ?q ?s }} WHERE {{ VALUES (?p ?q) {{ {_values(rules.inverse)} }} ?s ?p ?o FILTER (!isLiteral(?o)) }}")
    for p in sorted(rules.transitive):
        updates.append(f"INSERT {{ ?x <{p}> ?z }} WHERE {{ ?x <{p}> ?y . ?y <{p}> ?z }}")
    for p, p1, p2 in sorted(rules.chains):
        updates.append(f"INSERT {{ ?x <{p}> ?z }} WHERE {{ ?x <{p1}> ?y . ?y <{p2}> ?z }}")
    if rules.has_value_forward:
        updates.append(f"INSERT {{ ?x ?p ?v }} WHERE {{ VALUES (?c ?p ?v) {{ {_values(rules.has_value_forward)} }} ?x a ?c }}")
    if rules.has_value_backward:
        updates.append(f"INSERT {{ ?x a ?c }} WHERE {{ VALUES (?p ?v ?c) {{ {_values(rules.has_value_backward)} }} ?x ?p ?v }}")
    if rules.domain:
        updates.append(f"INSERT {{ ?s a ?c }} WHERE {{ VALUES (?p ?c) {{ {_values(rules.domain)} }} ?s ?p ?o }}")
    if rules.range:
        updates.append(f"INSERT {{ ?o a ?c }} WHERE {{ VALUES (?p ?c) {{ {_values(rules.range)} }} ?s ?p ?o FILTER (!isLiteral(?o)) }}")
    return updates


def infer_rules(store: ox.Store, layout: DatasetLayout, tbox: Graph) -> list[ox.Triple]:
    """Entailments of the asserted graph under the compiled rules, minus the asserted triples."""
    rules = compile_rules(tbox)
    work = ox.Store()
    asserted = [ox.Triple(q.subject, q.predicate, q.object)
                for q in store.quads_for_pattern(None, None, None, ox.NamedNode(layout.asserted))]
    work.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in asserted)
    work.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in rules.tbox_closure)
    updates = rule_updates(rules)
    size = len(work)
    for _ in range(MAX_ROUNDS):
        for update in updates:
            work.update(update)
        if len(work) == size:
            break
        size = len(work)
    else:
        raise RuntimeError(f"rules did not reach a fixpoint in {MAX_ROUNDS} rounds")
    known = set(asserted)
    inferred = []
    for q in work.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        t = ox.Triple(q.subject, q.predicate, q.object)
        if t not in known and not is_clutter_ox(t):
            inferred.append(t)
    return inferred
