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
from .reason import (
    _NOISE_OBJECTS,
    _REFLEXIVE_NOISE,
    BUILTIN_NAMESPACES,
    RDF_TYPE,
    is_clutter_ox,
)
from .reason import OWL as OWL_NS
from .reason import RDFS as RDFS_NS

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
    _drop_dead_noise(rules)
    return rules


def _drop_dead_noise(rules: RuleSet) -> None:
    """Drop the rules that only type things owl:Thing, rdfs:Resource or owl:NamedIndividual when
    no rule reads those types: such facts are clutter (removed at the end) and derive nothing,
    and there is one per individual."""
    read_types = {c for c, _ in rules.subclass} | {c for c, _, _ in rules.has_value_forward}
    type_read_as_property = RDF_TYPE in (
        {p for p, _ in rules.subproperty} | {p for p, _ in rules.inverse} | {p for p, _ in rules.domain}
        | {p for p, _ in rules.range} | {p for p, _, _ in rules.has_value_backward} | rules.transitive
        | {q for _, p1, p2 in rules.chains for q in (p1, p2)})
    if type_read_as_property:
        return
    dead = _NOISE_OBJECTS - read_types
    rules.subclass = {(c, d) for c, d in rules.subclass if d not in dead}
    rules.domain = {(p, c) for p, c in rules.domain if c not in dead}
    rules.range = {(p, c) for p, c in rules.range if c not in dead}
    rules.has_value_backward = {(p, v, c) for p, v, c in rules.has_value_backward if c not in dead}


def _values(rows: set[tuple[str, ...]]) -> str:
    return " ".join("(" + " ".join(f"<{v}>" for v in row) + ")" for row in sorted(rows))


def rule_updates(rules: RuleSet, delta: str | None, new: str, inferred: str) -> list[str]:
    """One semi-naive round: every rule with at least one body atom among the facts that are new
    since the previous round (graph `delta`; None in the first round: every fact is new), the
    other atoms over all facts (the default graph). Heads not yet known go into the default
    graph, graph `inferred` and graph `new` (the next round's delta)."""

    def d(pattern: str) -> str:
        return pattern if delta is None else f"GRAPH <{delta}> {{ {pattern} }}"

    def rule(head: str, body: str, project: str) -> str:
        # DISTINCT first: many body matches give the same head (every triple of a predicate
        # with a domain gives its subject the same type)
        return (f"INSERT {{ {head} GRAPH <{inferred}> {{ {head} }} GRAPH <{new}> {{ {head} }} }} "
                f"WHERE {{ {{ SELECT DISTINCT {project} WHERE {{ {body} }} }} FILTER NOT EXISTS {{ {head} }} }}")

    def pair(p1: str, p2: str) -> str:  # ?x p1 ?y . ?y p2 ?z, one of the two atoms new
        if delta is None:
            return f"?x {p1} ?y . ?y {p2} ?z ."
        return f"{{ {d(f'?x {p1} ?y .')} ?y {p2} ?z . }} UNION {{ ?x {p1} ?y . {d(f'?y {p2} ?z .')} }}"

    updates = []
    if rules.subclass:
        updates.append(rule("?x a ?d .", f"VALUES (?c ?d) {{ {_values(rules.subclass)} }} {d('?x a ?c .')}",
                            "?x ?d"))
    if rules.subproperty:
        updates.append(rule("?s ?q ?o .", f"VALUES (?p ?q) {{ {_values(rules.subproperty)} }} {d('?s ?p ?o .')}",
                            "?s ?q ?o"))
    if rules.inverse:
        updates.append(rule("?o ?q ?s .", f"VALUES (?p ?q) {{ {_values(rules.inverse)} }} {d('?s ?p ?o .')} "
                                          "FILTER (!isLiteral(?o))", "?s ?q ?o"))
    for p in sorted(rules.transitive):
        updates.append(rule(f"?x <{p}> ?z .", pair(f"<{p}>", f"<{p}>"), "?x ?z"))
    for p, p1, p2 in sorted(rules.chains):
        updates.append(rule(f"?x <{p}> ?z .", pair(f"<{p1}>", f"<{p2}>"), "?x ?z"))
    if rules.has_value_forward:
        updates.append(rule("?x ?p ?v .", f"VALUES (?c ?p ?v) {{ {_values(rules.has_value_forward)} }} "
                                          f"{d('?x a ?c .')}", "?x ?p ?v"))
    if rules.has_value_backward:
        updates.append(rule("?x a ?c .", f"VALUES (?p ?v ?c) {{ {_values(rules.has_value_backward)} }} "
                                         f"{d('?x ?p ?v .')}", "?x ?c"))
    if rules.domain:
        updates.append(rule("?s a ?c .", f"VALUES (?p ?c) {{ {_values(rules.domain)} }} {d('?s ?p ?o .')}",
                            "?s ?c"))
    if rules.range:
        updates.append(rule("?o a ?c .", f"VALUES (?p ?c) {{ {_values(rules.range)} }} {d('?s ?p ?o .')} "
                                         "FILTER (!isLiteral(?o))", "?o ?c"))
    return updates


def _clutter_filter() -> str:
    """reason._clutter as a SPARQL condition on ?s ?p ?o (STR of a literal is its lexical form,
    as _ox_str; STR of a blank node is an error, which makes that disjunct false, as in Python)."""
    builtin = lambda v: "(" + " || ".join(f'STRSTARTS(STR({v}), "{ns}")' for ns in BUILTIN_NAMESPACES) + ")"  # noqa: E731
    noise = ", ".join(f'"{o}"' for o in sorted(_NOISE_OBJECTS))
    reflexive = ", ".join(f"<{p}>" for p in sorted(_REFLEXIVE_NOISE))
    return (f'!isIRI(?s) || {builtin("?s")} || STRSTARTS(STR(?p), "{OWL_NS}") '
            f"|| (?p IN ({reflexive}) && STR(?s) = STR(?o)) || STR(?o) IN ({noise}) "
            f"|| (?p IN (<{RDF_TYPE}>, <{RDFS_NS}subClassOf>) && isBlank(?o)) "
            f"|| (?p = <{RDF_TYPE}> && {builtin('?o')})")


def materialise_rules(store: ox.Store, layout: DatasetLayout, tbox: Graph,
                      rules: RuleSet | None = None, default_holds_asserted: bool = False) -> None:
    """Entailments of graph/asserted under the compiled rules into graph/inferred, and the
    default graph (asserted + inferred; `default_holds_asserted`: the asserted part is there
    already). Semi-naive: each round joins only what the previous round derived."""
    rules = rules or compile_rules(tbox)
    asserted, inferred = ox.NamedNode(layout.asserted), ox.NamedNode(layout.inferred)
    if not default_holds_asserted:
        store.update(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{layout.asserted}> {{ ?s ?p ?o }} }}")
    store.extend(ox.Quad(t.subject, t.predicate, t.object, g)
                 for t in rules.tbox_closure if ox.Quad(t.subject, t.predicate, t.object, asserted) not in store
                 for g in (ox.DefaultGraph(), inferred))
    # Round 1 joins every fact (delta None); round n only the facts round n-1 derived.
    work = [layout.vocab.graph("reasoning-a"), layout.vocab.graph("reasoning-b")]
    delta: str | None = None
    for _ in range(MAX_ROUNDS):
        new = work[0]
        for update in rule_updates(rules, delta, new, layout.inferred):
            store.update(update)
        if delta is not None:
            store.update(f"DROP SILENT GRAPH <{delta}>")
        if next(iter(store.quads_for_pattern(None, None, None, ox.NamedNode(new))), None) is None:
            break
        delta, work = new, [work[1], work[0]]
    else:
        raise RuntimeError(f"rules did not reach a fixpoint in {MAX_ROUNDS} rounds")
    for w in work:
        store.update(f"DROP SILENT GRAPH <{w}>")
    clutter = _clutter_filter()
    store.update(f"DELETE {{ ?s ?p ?o . GRAPH <{layout.inferred}> {{ ?s ?p ?o }} }} "
                 f"WHERE {{ GRAPH <{layout.inferred}> {{ ?s ?p ?o }} FILTER ({clutter}) }}")


def infer_rules(store: ox.Store, layout: DatasetLayout, tbox: Graph) -> list[ox.Triple]:
    """Entailments of the store's graph/asserted under the compiled rules, minus the asserted
    triples (computed in a scratch store; the build materialises in place, materialise_rules)."""
    work = ox.Store()
    work.extend(store.quads_for_pattern(None, None, None, ox.NamedNode(layout.asserted)))
    materialise_rules(work, layout, tbox)
    return [ox.Triple(q.subject, q.predicate, q.object)
            for q in work.quads_for_pattern(None, None, None, ox.NamedNode(layout.inferred))]
