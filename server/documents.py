"""A document's text with its mentions and fact spans marked, ready for a template.

Spans nest (the words of a tenure contain the person's name); crossing spans are clipped to
their parent so the markup stays well formed. Text inside a mention links to the innermost
mentioned entity, which keeps links from nesting inside links.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from .links import Link, link
from .state import state


@dataclass
class Span:
    """A marked span: a mention of an entity, the words of facts, or both."""

    begin: int
    end: int
    entity: Link | None = None
    facts: list[Link] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """The element id: the span IRI's fragment, so …/doc/d#char=b,e lands on it."""
        return f"char={self.begin},{self.end}"


@dataclass
class Piece:
    """Text, or a span with its contents; `href` is where plain text inside it links to."""

    text: str = ""
    span: Span | None = None
    children: list[Piece] = field(default_factory=list)
    href: str | None = None
    title: str | None = None


def segment(text: str, spans: list[Span], offset: int = 0) -> list[Piece]:
    """The text (starting at character `offset` of the document) split around nested spans."""
    inside = sorted(
        (s for s in spans if offset <= s.begin < s.end <= offset + len(text)),
        key=lambda s: (s.begin, -s.end),
    )
    return _build(text, offset, offset, offset + len(text), inside, None)


def _build(
    text: str, offset: int, begin: int, end: int, spans: list[Span], entity: Link | None
) -> list[Piece]:
    pieces: list[Piece] = []
    pos, i = begin, 0
    while i < len(spans):
        s = spans[i]
        start = max(s.begin, pos)
        stop = min(s.end, end)
        j = i + 1
        while j < len(spans) and spans[j].begin < stop:
            j += 1
        if start >= stop:
            i = j
            continue
        if start > pos:
            pieces.append(_text(text, offset, pos, start, entity))
        inner_entity = s.entity or entity
        children = _build(text, offset, start, stop, spans[i + 1 : j], inner_entity)
        pieces.append(Piece(span=s, children=children))
        pos, i = stop, j
    if pos < end:
        pieces.append(_text(text, offset, pos, end, entity))
    return pieces


def _text(text: str, offset: int, begin: int, end: int, entity: Link | None) -> Piece:
    return Piece(
        text=text[begin - offset : end - offset],
        href=entity.url if entity else None,
        title=entity.text if entity else None,
    )


@dataclass
class Block:
    """A run of the document: the whole text, or one sentence when only sentences are stored."""

    begin: int
    pieces: list[Piece]


@dataclass
class FactRow:
    fact: Link
    quote: str
    begin: int
    end: int


@dataclass
class DocumentView:
    full_text: bool
    blocks: list[Block]
    facts: dict[str, list[FactRow]]  # by type label
    entities: list[tuple[Link, int]]  # mentioned entities with their number of mentions


def document_view(iri: str) -> DocumentView:
    """The text with marks, the facts read from it and the entities it names."""
    st = state()
    doc = ox.NamedNode(iri)
    spans: dict[tuple[int, int], Span] = {}
    counts: dict[str, int] = defaultdict(int)
    named: list[tuple[tuple[int, int], str]] = []
    read_from: list[tuple[tuple[int, int], str]] = []
    text = None
    for row in st.run("pages/document-view", doc=doc):
        part = row["part"].value
        if part == "text":
            text = row["text"].value
            continue
        key = (int(row["begin"].value), int(row["end"].value))
        spans.setdefault(key, Span(*key))
        if part == "entity":
            named.append((key, row["entity"].value))
        elif part == "fact":
            read_from.append((key, row["fact"].value))
    for key, entity in named:  # the store's order, as the text's own
        span = spans[key]
        if span.entity is None:
            span.entity = link(entity)
            counts[entity] += 1
    for key, fact_iri in read_from:
        fact = link(fact_iri)
        if fact not in spans[key].facts:
            spans[key].facts.append(fact)
    marked = sorted(spans.values(), key=lambda s: (s.begin, s.end))
    if text is not None:
        blocks = [Block(0, segment(text, marked))]
    else:
        blocks = [
            Block(int(r["begin"].value), segment(r["text"].value, marked, int(r["begin"].value)))
            for r in st.run("pages/document-sentences", doc=doc)
        ]
    facts: dict[str, list[FactRow]] = defaultdict(list)
    for span in sorted(marked, key=lambda s: s.begin):
        quote = _quote(blocks, span)
        for fact in span.facts:
            facts[fact.type or "Fact"].append(FactRow(fact, quote, span.begin, span.end))
    entities = sorted(((link(e), n) for e, n in counts.items()),
                      key=lambda p: (-p[1], p[0].text, p[0].iri))
    return DocumentView(text is not None, blocks, dict(sorted(facts.items())), entities)


def _quote(blocks: list[Block], span: Span) -> str:
    return " ".join("".join(_raw(p) for b in blocks for p in _covering(b.pieces, span)).split())


def _covering(pieces: list[Piece], span: Span) -> list[Piece]:
    for piece in pieces:
        if piece.span is span:
            return [piece]
        found = _covering(piece.children, span)
        if found:
            return found
    return []


def _raw(piece: Piece) -> str:
    return piece.text + "".join(_raw(c) for c in piece.children)
