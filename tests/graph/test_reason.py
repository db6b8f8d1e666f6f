"""Reasoning: the entailments the graph relies on, and the fast rules equal to owlrl's closure."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph

from graph.config import PROJECT_ROOT
from graph.dataset import DatasetLayout
from graph.namespaces import Vocab
from graph.ontology import OntologyFiles
from graph.reason import infer_owlrl
from graph.rules import infer_rules

VOCAB = Vocab()
TBOX = OntologyFiles(PROJECT_ROOT / "ontology", VOCAB).tbox
KZ = VOCAB.kz
ORG = "http://www.w3.org/ns/org#"
ABOX = f"""
@prefix kz: <{KZ}> . @prefix org: <{ORG}> . @prefix ex: <http://example.org/> .
@prefix skosxl: <http://www.w3.org/2008/05/skos-xl#> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
ex:minister a kz:Person . ex:ministry a kz:Ministry . ex:post a kz:Post ; org:postIn ex:ministry ; org:role ex:role .
ex:tenure a kz:Tenure ; org:member ex:minister ; kz:post ex:post .
ex:town a kz:Town ; kz:locatedIn ex:region . ex:region a kz:Region ; kz:locatedIn ex:country . ex:country a kz:Country .
ex:meeting a kz:GovernmentSession ; kz:chair ex:minister .
ex:map a kz:ProjectMap ; kz:isPartOf ex:program . ex:program a kz:StateProgram .
ex:city a kz:City ; skosxl:altLabel ex:oldName . ex:oldName skosxl:literalForm "Old Name"@en .
ex:doc a kz:NewsArticle . ex:m nif:referenceContext ex:doc ; kz:refersTo ex:minister .
ex:akimat org:classification <https://w3id.org/kazkg/id/org-kind/akimat> .
"""


def triples(inferred) -> set[tuple[str, str, str]]:
    return {(t.subject.value, t.predicate.value, getattr(t.object, "value", str(t.object))) for t in inferred}


@pytest.fixture(scope="module", params=["owlrl", "rules"])
def inferred(request):
    graph = Graph().parse(data=ABOX, format="turtle")
    graph += TBOX
    store = ox.Store()
    layout = DatasetLayout(VOCAB)
    from graph.convert import rdflib_graph_to_quads
    store.extend(rdflib_graph_to_quads(graph, layout.asserted))
    asserted = [ox.Triple(q.subject, q.predicate, q.object)
                for q in store.quads_for_pattern(None, None, None, ox.NamedNode(layout.asserted))]
    result = infer_owlrl(asserted) if request.param == "owlrl" else infer_rules(store, layout, TBOX)
    return triples(result)


EX = "http://example.org/"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.mark.parametrize("s,p,o", [
    (EX + "minister", TYPE, "http://xmlns.com/foaf/0.1/Person"),              # subclass
    (EX + "minister", TYPE, "http://www.w3.org/ns/prov#Agent"),               # subclass, two steps
    (EX + "ministry", TYPE, "http://www.w3.org/ns/org#Organization"),
    (EX + "ministry", ORG + "classification", "https://w3id.org/kazkg/id/org-kind/ministry"),  # hasValue
    (EX + "akimat", TYPE, KZ + "Akimat"),                                     # hasValue, backwards
    (EX + "meeting", TYPE, KZ + "Meeting"),
    (EX + "meeting", KZ + "participant", EX + "minister"),                    # subproperty
    (EX + "meeting", "https://schema.org/attendee", EX + "minister"),         # subproperty, two steps
    (EX + "minister", KZ + "hasTenure", EX + "tenure"),                      # inverse
    (EX + "minister", KZ + "holdsPost", EX + "post"),                        # chain hasTenure o post
    (EX + "post", KZ + "postHeldBy", EX + "minister"),                       # inverse of the chain
    (EX + "tenure", KZ + "tenureOrganization", EX + "ministry"),             # chain post o postIn
    (EX + "tenure", ORG + "organization", EX + "ministry"),                  # ... its superproperty
    (EX + "tenure", KZ + "tenureRole", EX + "role"),                         # chain post o role
    (EX + "town", KZ + "locatedIn", EX + "country"),                         # transitive
    (EX + "town", "https://schema.org/containedInPlace", EX + "region"),
    (EX + "program", KZ + "hasPart", EX + "map"),                            # inverse
    (EX + "doc", KZ + "mentions", EX + "minister"),                          # chain hasMention o refersTo
    (EX + "minister", KZ + "denotedBy", EX + "m"),                           # inverse
    (EX + "city", "http://www.w3.org/2004/02/skos/core#altLabel", "Old Name"),  # SKOS-XL chain
    (EX + "town", KZ + "placeKind", "https://w3id.org/kazkg/id/place-kind/town"),
])
def test_entailment(inferred, s, p, o):
    assert (s, p, o) in inferred


def test_no_clutter_in_the_inferred_graph(inferred):
    assert not any(p == "http://www.w3.org/2002/07/owl#sameAs" for _, p, _ in inferred)
    assert not any(o == "http://www.w3.org/2002/07/owl#Thing" for _, _, o in inferred)


def test_fast_rules_give_owlrl_closure_on_the_corpus(built):
    """The build's inferred graph (fast rules) equals owlrl's closure of the same asserted graph."""
    config = built[0]
    store = ox.Store()
    store.load(path=str(config.data_path), format=ox.RdfFormat.TRIG)
    layout = DatasetLayout(VOCAB)
    asserted = [ox.Triple(q.subject, q.predicate, q.object)
                for q in store.quads_for_pattern(None, None, None, ox.NamedNode(layout.asserted))]
    built_inferred = triples(ox.Triple(q.subject, q.predicate, q.object)
                             for q in store.quads_for_pattern(None, None, None, ox.NamedNode(layout.inferred)))
    reference = triples(infer_owlrl(asserted))
    assert built_inferred == reference
