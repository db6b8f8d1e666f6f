"""Fixtures of the extraction tests: the reference resources built once, and a helper that
reads one invented article through the whole extraction pipeline."""

from __future__ import annotations

import pytest

from graph.config import PROJECT_ROOT
from graph.documents import decode_document
from graph.extract import Resources, extract_document
from graph.extract.gazetteer import build_gazetteer
from graph.extract.model import Entity, Extraction
from graph.namespaces import Vocab
from graph.ontology import OntologyFiles


@pytest.fixture(scope="session")
def vocab() -> Vocab:
    return Vocab()


@pytest.fixture(scope="session")
def resources(vocab: Vocab) -> Resources:
    files = OntologyFiles(PROJECT_ROOT / "ontology", vocab)
    return Resources(build_gazetteer(files.reference, files.tbox, vocab))


@pytest.fixture(scope="session")
def extract(resources: Resources):
    """extract(text, name="t.txt") -> Extraction of the text as one news article."""

    def run(text: str, name: str = "t.txt") -> Extraction:
        return extract_document(decode_document(name, text.encode("utf-8"), 10_000_000), resources)

    return run


# --- small readers of an Extraction, shared by the test modules ---------------------------------

def entities_of(x: Extraction, kind: str) -> list[Entity]:
    """Entities of one kind that the text names (implied ones included)."""
    return [e for e in x.entities if e.kind == kind and (e.mentions or e.implied)]


def named(x: Extraction, kind: str) -> list[Entity]:
    """Entities of one kind that have at least one mention in the text."""
    return [e for e in x.entities if e.kind == kind and e.mentions]


def entity_named(x: Extraction, kind: str, name: str) -> Entity:
    found = [e for e in x.entities if e.kind == kind and e.name == name]
    assert len(found) == 1, f"{kind} {name!r} not found once in {[e.name for e in x.entities if e.kind == kind]}"
    return found[0]


def mention_texts(x: Extraction, entity: Entity) -> list[str]:
    return [x.mentions[m].span.text for m in entity.mentions]


def posts_as_tuples(x: Extraction) -> set[tuple]:
    """(person name, role slug, organization name, place name) for every post."""
    out = set()
    for p in x.posts:
        org = x.entities[p.organization].name if p.organization is not None else None
        place = x.entities[p.place].name if p.place is not None else None
        out.add((x.entities[p.person].name, p.role, org, place))
    return out
