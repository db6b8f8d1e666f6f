"""Namespaces: the standard vocabularies, and the project's own, which depend on the base IRI."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .config import DEFAULT_BASE_IRI

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SKOSXL = "http://www.w3.org/2008/05/skos-xl#"
DCTERMS = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
QB = "http://purl.org/linked-data/cube#"
SDMX_DIMENSION = "http://purl.org/linked-data/sdmx/2009/dimension#"
SDMX_MEASURE = "http://purl.org/linked-data/sdmx/2009/measure#"
SDMX_ATTRIBUTE = "http://purl.org/linked-data/sdmx/2009/attribute#"
TIME = "http://www.w3.org/2006/time#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
ITSRDF = "http://www.w3.org/2005/11/its/rdf#"
CV = "http://data.europa.eu/m8g/"
UNIT = "http://qudt.org/vocab/unit/"
CUR = "http://qudt.org/vocab/currency/"
SD = "http://www.w3.org/ns/sparql-service-description#"
WD = "http://www.wikidata.org/entity/"

STANDARD_PREFIXES: dict[str, str] = {
    "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "skos": SKOS, "skosxl": SKOSXL,
    "dcterms": DCTERMS, "dcat": DCAT, "void": VOID, "org": ORG, "foaf": FOAF, "prov": PROV,
    "schema": SCHEMA, "qb": QB, "sdmx-dimension": SDMX_DIMENSION, "sdmx-measure": SDMX_MEASURE,
    "sdmx-attribute": SDMX_ATTRIBUTE, "time": TIME, "nif": NIF, "itsrdf": ITSRDF, "cv": CV,
    "unit": UNIT, "cur": CUR, "wd": WD,
}


@dataclass(frozen=True)
class Vocab:
    """The project's IRIs under one base: ontology terms, entities, named graphs."""

    base: str = DEFAULT_BASE_IRI

    @cached_property
    def kz(self) -> str:
        return self.base + "ontology#"

    @cached_property
    def ontology_iri(self) -> str:
        return self.base + "ontology"

    @cached_property
    def id(self) -> str:
        return self.base + "id/"

    def term(self, local: str) -> str:
        """An ontology term: term('Person') -> <base>ontology#Person."""
        return self.kz + local

    def entity(self, kind: str, slug: str) -> str:
        return f"{self.id}{kind}/{slug}"

    def graph(self, name: str) -> str:
        """A named graph of the dataset that is not a document: ontology, reference, inferred…"""
        return f"{self.base}graph/{name}"

    @cached_property
    def prefixes(self) -> dict[str, str]:
        """Prefixes for queries and serialisations (kz, kzid and the standard ones)."""
        return {"kz": self.kz, "kzid": self.id, **STANDARD_PREFIXES}

    def rebase(self, iri: str) -> str:
        """Map an IRI written under the default base (ontology files, .rq files) to this base."""
        if self.base != DEFAULT_BASE_IRI and iri.startswith(DEFAULT_BASE_IRI):
            return self.base + iri[len(DEFAULT_BASE_IRI):]
        return iri

    def rebase_text(self, text: str) -> str:
        """Rewrite the default base inside trusted project text (.rq and .ttl files)."""
        if self.base == DEFAULT_BASE_IRI:
            return text
        return text.replace(DEFAULT_BASE_IRI, self.base)
