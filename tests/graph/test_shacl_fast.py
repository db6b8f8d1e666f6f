"""The fast SHACL engine (shapes compiled to SPARQL on pyoxigraph) reports what pySHACL reports.

Compared: the multiset of (focus node, path, constraint component, severity) and the values, on
the corpus build, on a small graph that breaks every constraint kind of ontology/shapes.ttl, and
on invented shapes for the components our shapes do not use yet. Components the compiler does not
know stop the validation.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest
from rdflib import Graph

from graph.config import PROJECT_ROOT
from graph.convert import rdflib_graph_to_quads
from graph.namespaces import Vocab
from graph.ontology import OntologyFiles
from graph.shacl_fast import FastValidator, UnsupportedShapeError
from graph.validate import validate_graph, validate_store, validate_triples

FILES = OntologyFiles(PROJECT_ROOT / "ontology", Vocab())
SHAPES = FILES.shapes
SH = "http://www.w3.org/ns/shacl#"
PREFIXES = """@prefix kz: <https://w3id.org/kazkg/ontology#> . @prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
"""

# Every constraint kind of shapes.ttl broken at least once (and a few things that must pass).
BROKEN = """
ex:p1 a kz:Person ; skos:prefLabel "One"@en , "Two"@en , "Eins"@de .            # uniqueLang
ex:p2 a kz:Person ; skos:prefLabel ex:notALiteral .                              # or (datatype)
ex:p3 a kz:Person ; skos:prefLabel "7"^^xsd:integer , "Seven" .                   # or; plain passes
ex:p4 a kz:Person .                                                              # minCount
ex:doc a kz:NewsArticle ; kz:textLength 10 , 11 ;                               # maxCount
    kz:fileName "d.txt"@en ;                                                     # datatype (lang)
    dcterms:identifier ex:notALiteral ;                                          # datatype (IRI)
    kz:sha256 "ABC" ;                                                            # pattern
    dcterms:issued "2020-13-45"^^xsd:date ;                                      # ill-typed date
    kz:aboutYear "2020"^^xsd:integer ;                                           # wrong datatype
    rdfs:label "d" .                                                             # no title: warning
ex:doc2 a kz:NewsArticle ; kz:textLength "x"^^xsd:integer , 0 ; kz:fileName "e.txt" ;  # ill-typed, minInclusive
    dcterms:identifier "e" ; kz:sha256 ex:iri ; rdfs:label "e" ; dcterms:title "E" .
ex:s1 a kz:Sentence ; nif:beginIndex 5 ; nif:endIndex 3 ; nif:anchorOf "" ;      # lessThan, minLength
    nif:referenceContext ex:p1 .                                                 # class
ex:s2 a kz:Sentence ; nif:beginIndex -1 ; nif:endIndex 30 ; nif:anchorOf "x" ;  # minInclusive; sparql
    nif:referenceContext ex:doc2 .
ex:m1 a kz:Mention ; nif:beginIndex 0 ; nif:endIndex 2 ; nif:anchorOf "ab" ;
    nif:referenceContext ex:doc2 ; nif:sentence "s2" .                           # class of a literal
ex:t1 a kz:Tenure ; org:member ex:p4 ; kz:post ex:post1 ;                        # or (node level)
    kz:startDate "2020-01-01"^^xsd:date ; kz:endDate "2019-01-01"^^xsd:date .    # lessThanOrEquals
ex:post1 a kz:Post ; skos:prefLabel "P"@en ; org:role ex:r ; org:postIn ex:o .
ex:r a kz:Role ; skos:prefLabel "R"@en . ex:o a kz:Organization ; skos:prefLabel "O"@en .
ex:obs a kz:IndicatorObservation ; kz:indicator ex:i ; sdmx-measure:obsValue 1.5 ;
    sdmx-attribute:unitMeasure "KZT" ;                                           # nodeKind
    kz:valueKind <https://w3id.org/kazkg/id/value-kind/guess> ;                  # in
    kz:measureType ex:level ; kz:surfaceText "x" ; kz:evidence ex:m1 ;
    kz:periodStart "2021-01-01"^^xsd:date ; kz:periodEnd "2020-01-01"^^xsd:date , "2022-01-01"^^xsd:date ;
    kz:targetOf ex:program .                                                     # target: subjects of
ex:i a kz:Indicator ; skos:prefLabel "I"@en .
ex:program a kz:Program ; skos:prefLabel "Program"@en .
"""


def rdflib_data(turtle: str) -> Graph:
    data = Graph().parse(data=PREFIXES + turtle, format="turtle")
    data += FILES.tbox
    return data


def fast_report(data: Graph, shapes: Graph = SHAPES):
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                 for q in rdflib_graph_to_quads(data, "http://example.org/g"))
    return validate_store(store, shapes, engine="fast")


def keys(report) -> Counter:
    return Counter(f.key() for f in report.findings)


def values(report) -> Counter:
    return Counter((f.key(), f.value) for f in report.findings)


def test_every_constraint_kind_of_the_shapes_is_reported_as_pyshacl_reports_it():
    data = rdflib_data(BROKEN)
    reference, fast = validate_graph(data, SHAPES), fast_report(data)
    assert keys(fast) == keys(reference)
    assert values(fast) == values(reference)
    used = {c.iri for _, c, _, _ in FastValidator(SHAPES).queries}
    assert {f.component for f in fast.findings} == used  # the graph breaks every kind
    assert {f.severity for f in fast.findings} == {"Violation", "Warning", "Info"}
    assert any("after the end of its document" in f.message for f in fast.violations)


def test_the_corpus_build_gets_the_same_findings_from_both_engines(built):
    store = ox.Store()
    store.load(path=str(built[0].data_path), format=ox.RdfFormat.TRIG)
    quads = list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    fast = validate_triples(quads, SHAPES, engine="fast")
    reference = validate_triples(quads, SHAPES, engine="pyshacl")
    assert reference.findings  # warnings and info: the comparison is not between two empty lists
    assert keys(fast) == keys(reference)
    assert values(fast) == values(reference)
    assert built[1].validation["counts"] == fast.counts()


OTHER_SHAPES = PREFIXES + """
ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:targetNode ex:lonely ;
    sh:property [ sh:path ex:p ; sh:hasValue ex:a ] ,
        [ sh:path ex:p ; sh:minCount 2 ; sh:maxCount 3 ] ,
        [ sh:path ex:q ; sh:maxLength 3 ; sh:maxInclusive 5 ] ,
        [ sh:path ex:r ; sh:minExclusive 0 ; sh:maxExclusive 10 ] ,
        [ sh:path ex:p ; sh:equals ex:q ] , [ sh:path ex:p ; sh:disjoint ex:r ] ,
        [ sh:path ex:p ; sh:xone ( [ sh:class ex:A ] [ sh:class ex:B ] ) ] ,
        [ sh:path ex:p ; sh:and ( [ sh:nodeKind sh:IRI ] [ sh:not [ sh:hasValue ex:b ] ] ) ] ,
        [ sh:path ex:p ; sh:node ex:N ] , [ sh:path ex:p ; sh:nodeKind sh:BlankNodeOrLiteral ] .
ex:N a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .
ex:T a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:nodeKind sh:Literal ; sh:in ( ex:a 1 ) ;
    sh:pattern "^HTTP" ; sh:flags "i" ; sh:severity sh:Info .
"""
OTHER_DATA = """
ex:x a ex:C ; ex:p ex:a , ex:b ; ex:q "long string" , 9 ; ex:r 0 , 10 , ex:b .
ex:y a ex:C ; ex:p ex:c ; ex:q ex:c .
ex:z a ex:C ; ex:p "lit" , ex:d , ex:e , ex:f .
ex:a a ex:A , ex:B ; ex:q 1 . ex:b a ex:A . ex:c a ex:B ; ex:q 2 . ex:d a ex:D .
"""


def test_components_our_shapes_do_not_use_yet_agree_with_pyshacl():
    shapes = Graph().parse(data=OTHER_SHAPES, format="turtle")
    data = Graph().parse(data=PREFIXES + OTHER_DATA, format="turtle")
    reference, fast = validate_graph(data, shapes), fast_report(data, shapes)
    assert len(reference.findings) > 20
    assert keys(fast) == keys(reference)
    assert values(fast) == values(reference)


@pytest.mark.parametrize("shape", [
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ] .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:languageIn ( \"en\" ) ] .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; "
    "sh:qualifiedValueShape [ sh:class ex:A ] ; sh:qualifiedMinCount 1 ] .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxCount 9 ] .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:target [ a ex:CustomTarget ] .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
    "sh:or ( [ sh:sparql [ sh:select \"SELECT $this WHERE { }\" ] ] ) .",
])
def test_what_is_not_compiled_stops_the_validation(shape):
    shapes = Graph().parse(data=PREFIXES + shape, format="turtle")
    data = Graph().parse(data=PREFIXES + "ex:x a ex:C ; ex:p ex:y .", format="turtle")
    with pytest.raises(UnsupportedShapeError):
        fast_report(data, shapes)
