"""Extraction: one document in, one Extraction out. Pure and deterministic.

Stages: layout (chrome, title) -> metadata -> sentences -> mentions -> coreference -> facts
(posts, figures, projects, meetings, instructions).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..documents import Document
from ..layout import analyse_layout
from ..metadata import read_metadata
from .coref import build_entities, merge_title_entities
from .facts import find_facts
from .gazetteer import Gazetteer
from .media import find_media
from .mentions import Candidate, find_mentions
from .model import DocumentInfo, Extraction
from .sentences import split_sentences

EXTRACTOR_VERSION = "1.0.0"


@dataclass
class Resources:
    """What extraction knows beyond the text: reference names and role titles (picklable)."""

    gazetteer: Gazetteer

    @property
    def title_words(self) -> set[str]:
        cached = self.__dict__.get("_title_words")
        if cached is None:
            words = set()
            for entries in self.gazetteer.by_key.values():
                for e in entries:
                    if e.kind == "role":
                        for w in e.label.lower().replace("-", " ").split():
                            if len(w) > 2 and w not in ("the", "and", "for"):
                                words.update({w, w + "s"})
            cached = self.__dict__["_title_words"] = words
        return cached


def extract_document(document: Document, resources: Resources) -> Extraction:
    """Read every entity and fact of one document, with the span it was read from."""
    text = document.text
    layout = analyse_layout(text)
    meta = read_metadata(text, layout.analysis_text, layout.title, layout.header_end)
    sentences = split_sentences(layout.analysis_text)
    media = find_media(text, layout, resources.gazetteer)
    for c in media:  # a brand in the header is its own piece of evidence
        if not any(s <= c.start < e for s, e in sentences):
            sentences.append((c.start, c.end))
    sentences.sort()
    starts = [s for s, _ in sentences]

    def sentence_of(offset: int) -> int:
        return max(0, bisect.bisect_right(starts, offset) - 1)

    candidates = find_mentions(layout.analysis_text, resources.gazetteer, resources.title_words)
    for c in media:
        overlapping = [o for o in candidates if o.start < c.end and c.start < o.end]
        if all(o.start >= c.start and o.end <= c.end and (o.end - o.start) < (c.end - c.start)
               for o in overlapping):
            candidates = [o for o in candidates if o not in overlapping] + [c]
    source_spans = {}
    for role, found in (("publisher", meta.publisher), ("cited", meta.cited_source)):
        if found:
            name, start, end = found
            candidates = [c for c in candidates if not (c.start < end and start < c.end)]
            candidates.append(Candidate("org", "media_outlet", start, end, name, "metadata"))
            source_spans[role] = (start, end)
    candidates.sort(key=lambda c: (c.start, c.end))
    mentions, entities = build_entities(candidates, sentence_of, text)
    merge_title_entities(mentions, entities, layout.title)

    def entity_at(span: tuple[int, int] | None) -> int | None:
        if span is None:
            return None
        for m in mentions:
            if (m.span.start, m.span.end) == span:
                return next(e.id for e in entities if m.id in e.mentions)
        return None

    info = DocumentInfo(
        file_name=document.file_name, stem=document.stem, sha256=document.sha256,
        length=len(text), title=meta.title, title_span=meta.title_span,
        published=meta.published, published_time=meta.published_time,
        about_year=meta.about_year, about_year_inferred=meta.about_year_inferred,
        publisher=entity_at(source_spans.get("publisher")),
        cited_source=entity_at(source_spans.get("cited")),
        chrome=list(layout.chrome),
    )
    extraction = Extraction(doc=info, sentences=sentences, mentions=mentions, entities=entities)
    find_facts(extraction, layout.analysis_text, resources)
    return extraction
