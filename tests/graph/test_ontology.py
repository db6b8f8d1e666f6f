"""The ontology: metadata, every term documented and aligned, nothing that breaks OWL RL reasoning."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.namespace import DCTERMS

from graph.config import PROJECT_ROOT
from graph.namespaces import Vocab
from graph.ontology import OntologyFiles

FILES = OntologyFiles(PROJECT_ROOT / "ontology", Vocab())
TBOX = FILES.tbox
KZ = Vocab().kz
TERMS = sorted({s for s in TBOX.subjects() if isinstance(s, URIRef) and str(s).startswith(KZ)})
CLASSES = [t for t in TERMS if (t, RDF.type, OWL.Class) in TBOX]
PROPERTIES = [t for t in TERMS if any((t, RDF.type, k) in TBOX for k in
                                      (OWL.ObjectProperty, OWL.DatatypeProperty))]
STANDARD = ("http://www.w3.org/ns/org#", "http://xmlns.com/foaf/0.1/", "http://www.w3.org/ns/prov#",
            "https://schema.org/", "http://purl.org/linked-data/cube#", "http://www.w3.org/2004/02/skos/core#",
            "http://www.w3.org/2006/time#", "http://purl.org/dc/terms/", "http://data.europa.eu/m8g/",
            "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#", "http://www.w3.org/2008/05/skos-xl#",
            "http://www.w3.org/2005/11/its/rdf#")


def test_ontology_header():
    onto = URIRef(Vocab().ontology_iri)
    assert (onto, RDF.type, OWL.Ontology) in TBOX
    for prop in (OWL.versionIRI, RDFS.label, RDFS.comment, DCTERMS.license, DCTERMS.creator):
        assert TBOX.value(onto, prop) is not None, prop


def test_required_classes_exist():
    names = {str(c)[len(KZ):] for c in CLASSES}
    required = {"StateProgram", "ComprehensivePlan", "ProjectMap", "NationalProject", "Strategy", "Person",
                "Government", "Presidency", "Parliament", "Ministry", "Agency", "Akimat", "Company",
                "NationalCompany", "Association", "InternationalOrganization", "MediaOutlet", "Country",
                "Region", "CityOfRepublicanSignificance", "City", "Town", "District", "Indicator",
                "IndicatorObservation", "Post", "Tenure", "Meeting", "InvestmentProject", "Instruction",
                "NewsArticle", "Sentence", "Mention"}
    assert required <= names


@pytest.mark.parametrize("term", TERMS, ids=lambda t: str(t)[len(KZ):])
def test_every_term_has_label_and_comment(term):
    assert TBOX.value(term, RDFS.label) is not None
    assert TBOX.value(term, RDFS.comment) is not None


@pytest.mark.parametrize("cls", CLASSES, ids=lambda t: str(t)[len(KZ):])
def test_every_class_is_aligned_to_a_standard_vocabulary(cls):
    ancestors, todo = set(), [cls]
    while todo:
        for sup in TBOX.objects(todo.pop(), RDFS.subClassOf):
            if sup not in ancestors:
                ancestors.add(sup)
                todo.append(sup)
    assert any(str(a).startswith(STANDARD) for a in ancestors), f"{cls} is not aligned"


def test_no_axioms_that_merge_individuals_under_owl_rl():
    for bad in (OWL.sameAs, OWL.hasKey):
        assert not list(TBOX.triples((None, bad, None)))
    assert not list(TBOX.subjects(RDF.type, OWL.FunctionalProperty))
    assert not list(TBOX.subjects(RDF.type, OWL.InverseFunctionalProperty))


def test_reference_data_has_one_preferred_label_per_language():
    from rdflib.namespace import SKOS
    ref = FILES.reference
    for node in set(ref.subjects(SKOS.prefLabel, None)):
        langs = [label.language for label in ref.objects(node, SKOS.prefLabel)]
        assert len(langs) == len(set(langs)), node


def test_every_wikidata_link_records_its_check():
    from rdflib.namespace import SKOS
    ref = FILES.reference
    checked = {(ref.value(st, RDF.subject), ref.value(st, RDF.object))
               for st in ref.subjects(RDF.predicate, SKOS.exactMatch)
               if ref.value(st, DCTERMS.source) is not None and ref.value(st, URIRef(KZ + "checkedOn")) is not None}
    links = [(s, o) for s, o in ref.subject_objects(SKOS.exactMatch) if "wikidata.org" in str(o)]
    assert links
    assert all(link in checked for link in links)
