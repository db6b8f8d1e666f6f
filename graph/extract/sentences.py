"""Sentence boundaries with offsets into the original text."""

from __future__ import annotations

import re

# A full stop ends a sentence unless it closes an initial ("A. Ordabayev", "Zh. Tasymbek",
# "S.Baimukhanov"), a known abbreviation, or a decimal number.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "no", "nos", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "st",
    "jsc", "llp", "ltd", "inc", "co", "corp", "approx", "bln", "mln", "bn", "thous", "sq", "km",
    "gen", "gov", "dept", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "vol", "p", "pp", "art", "para", "govt", "ave", "tel",
}
_CANDIDATE = re.compile(r"[.!?…]+['\"”’»)]*(?=\s+[\"“«'‘(]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9•])")
_INITIAL = re.compile(r"(?:^|[\s(\"“«])(?:[A-ZА-Я][a-zа-я]?\.){1,2}$")
_LINE_BREAK = re.compile(r"\n\s*\n|\n(?=\s*[•·▪●\-–—*]\s)|\n(?=\s*\d+[.)]\s)|(?<=[.!?:;”\"])\s*\n")
_BULLET = re.compile(r"\s*[•·▪●*]\s*|\s*[-–—]\s+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of non-blank text: paragraphs and bullets, then full stops."""
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _blocks(text):
        start = block_start
        block = text[block_start:block_end]
        for m in _CANDIDATE.finditer(block):
            end = block_start + m.end()
            if _is_false_stop(text, block_start + m.start(), start):
                continue
            spans.append((start, end))
            start = end
        spans.append((start, block_end))
    return [t for s, e in spans if (t := _trim(text, s, e))]


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraphs, list items and lines that end a sentence: breaks no sentence spans."""
    blocks, start = [], 0
    for m in _LINE_BREAK.finditer(text):
        blocks.append((start, m.start()))
        start = m.end()
    blocks.append((start, len(text)))
    out = []
    for s, e in blocks:
        # Single line breaks inside a paragraph that continue a sentence stay joined; a line
        # that is a heading (no closing punctuation, next line capitalised) is its own block.
        line_start = s
        for m in re.finditer(r"\n", text[s:e]):
            pos = s + m.start()
            prev = text[line_start:pos].rstrip()
            nxt = text[pos + 1:e].lstrip()
            if prev and nxt and (nxt[:1].isupper() or nxt[:1].isdigit()) and not prev.endswith((",", "-", "–")):
                out.append((line_start, pos))
                line_start = pos + 1
        out.append((line_start, e))
    return out


def _is_false_stop(text: str, dot: int, sentence_start: int) -> bool:
    before = text[sentence_start:dot]
    if text[dot] != ".":
        return False
    word = re.search(r"([\w.]+)$", before)
    if word:
        token = word.group(1).lower().rstrip(".")
        if token in _ABBREVIATIONS:
            return True
    if _INITIAL.search(before + "."):
        return True
    return False


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    m = _BULLET.match(text, start, end)
    if m:
        start = m.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start and any(ch.isalnum() for ch in text[start:end]) else None
