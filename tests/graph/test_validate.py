"""SHACL: the shapes accept the corpus build and reject broken facts with readable findings."""

from __future__ import annotations

from rdflib import Graph

from graph.config import PROJECT_ROOT
from graph.namespaces import Vocab
from graph.ontology import OntologyFiles
from graph.validate import validate_graph

FILES = OntologyFiles(PROJECT_ROOT / "ontology", Vocab())
PREFIXES = """@prefix kz: <https://w3id.org/kazkg/ontology#> . @prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> . @prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
"""


def check(turtle: str):
    data = Graph().parse(data=PREFIXES + turtle, format="turtle")
    data += FILES.tbox
    return validate_graph(data, FILES.shapes)


def test_corpus_build_conforms(built):
    assert built[1].validation["conforms"] is True


def test_two_preferred_labels_in_one_language_are_a_violation():
    report = check('ex:p a kz:Person ; skos:prefLabel "A Name"@en , "Another Name"@en .')
    assert [f.path for f in report.violations] == ["http://www.w3.org/2004/02/skos/core#prefLabel"]


def test_tenure_ending_before_it_starts_is_a_violation():
    report = check("""ex:p a kz:Person ; skos:prefLabel "A"@en . ex:post a kz:Post ; skos:prefLabel "P"@en ;
        org:role ex:r ; org:postIn ex:o . ex:r a kz:Role ; skos:prefLabel "R"@en . ex:o a kz:Organization ; skos:prefLabel "O"@en .
        ex:t a kz:Tenure ; org:member ex:p ; kz:post ex:post ; <http://purl.org/dc/terms/source> ex:s ;
        kz:startDate "2020-01-01"^^xsd:date ; kz:endDate "2019-01-01"^^xsd:date .""")
    assert any(f.path.endswith("startDate") for f in report.violations)


def test_figure_without_evidence_and_with_a_float_value_is_reported():
    report = check("""ex:i a kz:Indicator ; skos:prefLabel "GDP"@en .
        ex:obs a kz:IndicatorObservation ; kz:indicator ex:i ; sdmx-measure:obsValue "27.6e12"^^xsd:double ;
        <http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure> <http://qudt.org/vocab/currency/KZT> ;
        kz:valueKind <https://w3id.org/kazkg/id/value-kind/actual> ; kz:measureType ex:level ; kz:surfaceText "x" .""")
    paths = {f.path.rsplit("#", 1)[-1] for f in report.violations}
    assert {"evidence", "obsValue"} <= paths
    assert "Violation" in report.render()


def test_span_beyond_the_document_end_is_a_violation():
    report = check("""ex:doc a kz:NewsArticle ; kz:textLength 10 ; kz:fileName "d.txt" ; <http://purl.org/dc/terms/identifier> "d" ;
        kz:sha256 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" ; <http://www.w3.org/2000/01/rdf-schema#label> "d" .
        ex:s a kz:Sentence ; nif:beginIndex 0 ; nif:endIndex 12 ; nif:anchorOf "x" ; nif:referenceContext ex:doc .""")
    assert any("after the end of its document" in f.message for f in report.violations)
