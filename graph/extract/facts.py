"""Facts read from a document's sentences, after its mentions and entities are known."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import Extraction
from .events import find_events
from .posts import find_posts
from .projects import find_projects
from .quantities import find_quantities

if TYPE_CHECKING:
    from . import Resources


def find_facts(extraction: Extraction, text: str, resources: Resources) -> None:
    """Add posts, figures, projects, meetings and instructions, in that order (later ones use
    earlier ones: a figure is stated by a person whose post is known)."""
    find_posts(extraction, text, resources)
    find_quantities(extraction, text, resources)
    find_projects(extraction, text, resources)
    find_events(extraction, text, resources)
