"""Facts read from a document's sentences, after its mentions and entities are known."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import Extraction

if TYPE_CHECKING:
    from . import Resources

FINDERS: list = []


def find_facts(extraction: Extraction, text: str, resources: Resources) -> None:
    """Add posts, figures, projects, meetings and instructions to the extraction, in that order."""
    for finder in FINDERS:
        finder(extraction, text, resources)
