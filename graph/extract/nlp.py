"""spaCy, used as a tokenizer and phrase matcher on a blank English pipeline (no model download)."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.matcher import PhraseMatcher
from spacy.language import Language

from .gazetteer import Entry, Gazetteer


@lru_cache(maxsize=1)
def blank_pipeline() -> Language:
    return spacy.blank("en")


def phrase_matcher(gazetteer: Gazetteer) -> tuple[PhraseMatcher, dict[str, Entry]]:
    """A matcher over every reference name: case-insensitive, one match id per (IRI, label)."""
    cached = gazetteer.__dict__.get("_matcher")
    if cached is not None:
        return cached
    nlp = blank_pipeline()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    entries: dict[str, Entry] = {}
    for entry in gazetteer.labels():
        key = f"{entry.iri}|{entry.label}"
        entries[key] = entry
        matcher.add(key, [nlp.make_doc(entry.label)])
    gazetteer.__dict__["_matcher"] = (matcher, entries)
    return matcher, entries
