"""Extraction + linking -> RDF: one named graph per document; labels of linked entities.

The only writer of asserted triples. Every fact node carries kz:evidence: the mention of the
words it was read from, which points to its sentence and document with character offsets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from pyoxigraph import Literal, NamedNode, Quad

from .extract.model import Extraction, Span
from .iris import Minter
from .link import Linking
from .names import loose_key, name_key
from .namespaces import DCTERMS, NIF, RDF, RDFS, SCHEMA, SKOS, XSD

_CLASS_OF_SUBKIND = {
    "media_outlet": "MediaOutlet", "international_organization": "InternationalOrganization",
    "national_company": "NationalCompany", "city_of_republican_significance":
    "CityOfRepublicanSignificance", "state_program": "StateProgram",
    "comprehensive_plan": "ComprehensivePlan", "project_map": "ProjectMap",
    "national_project": "NationalProject", "administrative_area": "AdministrativeArea",
    "other": "Place",
}
_ROOT_CLASS = {"person": "Person", "org": "Organization", "place": "Place", "program": "Program"}


def class_local_name(kind: str, subkind: str | None) -> str:
    """The ontology class for an entity kind and its subkind hint."""
    if not subkind or subkind in ("person", "organization", kind):
        return _ROOT_CLASS[kind]
    return _CLASS_OF_SUBKIND.get(subkind, "".join(p.capitalize() for p in subkind.split("_")))


class QuadWriter:
    """Collects the quads of one graph, with typed-literal helpers."""

    def __init__(self, graph: str) -> None:
        self.graph = NamedNode(graph)
        self.quads: list[Quad] = []

    def add(self, s: str, p: str, o: NamedNode | Literal | str) -> None:
        obj = NamedNode(o) if isinstance(o, str) else o
        self.quads.append(Quad(NamedNode(s), NamedNode(p), obj, self.graph))

    def text(self, s: str, p: str, value: str, lang: str | None = None) -> None:
        self.add(s, p, Literal(value, language=lang) if lang else Literal(value))

    def typed(self, s: str, p: str, value: object) -> None:
        self.add(s, p, typed_literal(value))


def typed_literal(value: object) -> Literal:
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return Literal(str(value), datatype=NamedNode(XSD + "integer"))
    if isinstance(value, Decimal):
        return Literal(decimal_lexical(value), datatype=NamedNode(XSD + "decimal"))
    if isinstance(value, dt.datetime):
        return Literal(value.isoformat(), datatype=NamedNode(XSD + "dateTime"))
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=NamedNode(XSD + "date"))
    raise TypeError(f"no literal type for {value!r}")


def decimal_lexical(value: Decimal) -> str:
    """Canonical xsd:decimal: no exponent, no trailing zeros ('31400000000000', '18.2')."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def gyear(year: int) -> Literal:
    return Literal(f"{year:04d}", datatype=NamedNode(XSD + "gYear"))


class DocumentGraph:
    """Writes one document's named graph."""

    def __init__(self, extraction: Extraction, text: str, linking: Linking, minter: Minter,
                 reference_names: dict[str, str]) -> None:
        self.x = extraction
        self.text = text
        self.reference_names = reference_names
        self.linking = linking
        self.minter = minter
        self.vocab = minter.vocab
        self.stem = extraction.doc.stem
        self.doc_iri = minter.document(self.stem)
        self.w = QuadWriter(self.doc_iri)
        self.kz = self.vocab.kz
        self._sentences_written: set[int] = set()
        self._counters: dict[str, int] = {}

    def entity_iri(self, entity_id: int | None) -> str | None:
        return self.linking.iri(self.stem, entity_id)

    def fact_iri(self, kind: str) -> str:
        n = self._counters.get(kind, 0) + 1
        self._counters[kind] = n
        return self.minter.fact(kind, self.stem, n)

    def sentence(self, index: int) -> str:
        start, end = self.x.sentences[index]
        iri = self.minter.span(self.stem, start, end)
        if index not in self._sentences_written:
            self._sentences_written.add(index)
            w, kz = self.w, self.kz
            w.add(iri, RDF + "type", kz + "Sentence")
            w.typed(iri, NIF + "beginIndex", start)
            w.typed(iri, NIF + "endIndex", end)
            w.add(iri, NIF + "referenceContext", self.doc_iri)
        return iri

    def evidence(self, span: Span, refers_to: str | None = None, form: str | None = None) -> str:
        """A mention node for a span; returns its IRI (the fact's kz:evidence)."""
        iri = self.minter.span(self.stem, span.start, span.end)
        w, kz = self.w, self.kz
        w.add(iri, RDF + "type", kz + "Mention")
        w.typed(iri, NIF + "beginIndex", span.start)
        w.typed(iri, NIF + "endIndex", span.end)
        w.text(iri, NIF + "anchorOf", span.text)
        w.add(iri, NIF + "sentence", self.sentence(span.sentence))
        w.add(iri, NIF + "referenceContext", self.doc_iri)
        if refers_to:
            w.add(iri, kz + "refersTo", refers_to)
        if form:
            w.text(iri, kz + "mentionKind", form)
        return iri

    def write(self) -> list[Quad]:
        self._document()
        self._entities()
        from .rdfize_facts import write_facts
        write_facts(self)
        self._sentence_texts()
        return self.w.quads

    def _document(self) -> None:
        d, w, kz, iri = self.x.doc, self.w, self.kz, self.doc_iri
        w.add(iri, RDF + "type", kz + "NewsArticle")
        w.text(iri, DCTERMS + "identifier", d.stem)
        w.text(iri, kz + "fileName", d.file_name)
        w.text(iri, kz + "sha256", d.sha256)
        w.typed(iri, kz + "textLength", d.length)
        # The text itself (NIF context string): what evidence offsets index, shown by document pages.
        w.text(iri, NIF + "isString", self.text)
        w.text(iri, DCTERMS + "language", "en")
        label = d.title or self._first_sentence()
        if d.title:
            w.text(iri, DCTERMS + "title", d.title, "en")
        w.text(iri, RDFS + "label", label, "en")
        if d.published:
            w.typed(iri, DCTERMS + "issued", d.published)
            stamp = (dt.datetime.combine(d.published, d.published_time)
                     if d.published_time else d.published)
            w.typed(iri, SCHEMA + "datePublished", stamp)
        if d.about_year:
            w.add(iri, kz + "aboutYear", gyear(d.about_year))
        w.typed(iri, kz + "dateInferred", d.published is None)
        for prop, entity_id in ((SCHEMA + "publisher", d.publisher), (kz + "citedSource", d.cited_source)):
            target = self.entity_iri(entity_id)
            if target:
                w.add(iri, prop, target)

    def _first_sentence(self) -> str:
        if not self.x.sentences:
            return self.x.doc.file_name
        start, end = self.x.sentences[0]
        text = " ".join(self._text(start, end).split())
        return text if len(text) <= 120 else text[:117].rsplit(" ", 1)[0] + "…"

    def _text(self, start: int, end: int) -> str:
        return self.text[start:end]

    def _entities(self) -> None:
        w, kz = self.w, self.kz
        for entity in self.x.entities:
            iri = self.entity_iri(entity.id)
            if iri is None:
                continue
            linked = self.linking.entities[iri]
            cls = class_local_name(entity.kind, linked.subkind if linked.reference else
                                   (entity.subkind or linked.subkind))
            w.add(iri, RDF + "type", kz + cls)
            for m in entity.mentions:
                mention = self.x.mentions[m]
                self.evidence(mention.span, iri, mention.form)
            for name in entity.implied_names:
                w.text(iri, kz + "impliedName", name)

    def _sentence_texts(self) -> None:
        for index in sorted(self._sentences_written):
            start, end = self.x.sentences[index]
            self.w.text(self.minter.span(self.stem, start, end), NIF + "anchorOf",
                        self._text(start, end))


def document_quads(extraction: Extraction, text: str, linking: Linking, minter: Minter,
                   reference_names: dict[str, str]) -> list[Quad]:
    """The named graph of one document."""
    return DocumentGraph(extraction, text, linking, minter, reference_names).write()


def entity_label_quads(linking: Linking, minter: Minter, reference_labels: dict[str, set[str]]
                       ) -> Iterator[Quad]:
    """Labels of linked entities: preferred and alternative names of minted entities, and the
    names seen in text that the reference data doesn't know yet, into graph/entities."""
    w = QuadWriter(minter.vocab.graph("entities"))
    for iri in sorted(linking.entities):
        linked = linking.entities[iri]
        known = {name_key(n) for n in reference_labels.get(iri, set())}
        if not linked.reference:
            w.add(iri, RDF + "type", minter.vocab.kz + class_local_name(linked.kind, linked.subkind))
            w.text(iri, SKOS + "prefLabel", linked.name, "en")
            known.add(name_key(linked.name))
        pref_loose = loose_key(linked.name)
        for name in sorted(linked.names):
            if name_key(name) in known:
                continue
            known.add(name_key(name))
            prop = SKOS + "altLabel"
            if linked.kind == "person" and _looks_misspelt(name, linked.name, pref_loose):
                prop = SKOS + "hiddenLabel"
            w.text(iri, prop, name, "en")
    yield from w.quads


def _looks_misspelt(name: str, preferred: str, pref_loose: str) -> bool:
    """A full-name variant that is neither the preferred name nor a transliteration of it."""
    parts, pref = name.split(), preferred.split()
    return (len(parts) >= 2 and len(pref) >= 2 and loose_key(parts[0]) == loose_key(pref[0])
            and loose_key(name) != pref_loose)
