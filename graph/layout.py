"""Page layout of a scraped article: lines, site chrome, header, title and the text to analyse.

Chrome is blanked out (replaced by spaces of the same length) in the analysis text, so that
every offset found in it is an offset of the original text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .metadata import find_dates

_HEADLINE_END = re.compile(r"[.!?:;,]['\"”’»]?\s*$")
_SENTENCE_END = re.compile(r"[.!?]['\"”’»)]?\s*$")


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Layout:
    """Where the parts of a page are. Spans are (start, end) offsets, end exclusive."""

    lines: tuple[Line, ...]
    chrome: tuple[tuple[int, int], ...]
    title: tuple[int, int] | None
    header_end: int
    analysis_text: str

    def title_text(self, text: str) -> str | None:
        return text[self.title[0]:self.title[1]] if self.title else None


@lru_cache(maxsize=1)
def _chrome_patterns() -> tuple[re.Pattern[str], ...]:
    data = json.loads(resources.files("graph.patterns").joinpath("chrome.json").read_text("utf-8"))
    return tuple(re.compile(p, re.IGNORECASE) for p in data["line_patterns"])


def split_lines(text: str) -> tuple[Line, ...]:
    lines, start = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lines.append(Line(start, start + len(body), body))
        start += len(raw)
    return tuple(lines)


def is_chrome(line: str) -> bool:
    return any(p.search(line) for p in _chrome_patterns())


def is_headline(line: str) -> bool:
    """A title-like line: a few words, capitalised, no closing punctuation."""
    stripped = line.strip()
    if not 12 <= len(stripped) <= 250 or len(stripped.split()) < 3:
        return False
    if not (stripped[0].isupper() or stripped[0].isdigit() or stripped[0] in "«\"“"):
        return False
    return not _HEADLINE_END.search(stripped)


def is_menu(line: str) -> bool:
    """Section menus and breadcrumbs: 'Regions | North Kazakhstan region', 'Home » Industry'."""
    return bool(re.search(r"\s[|»•]\s|^\s*[•|]", line))


def is_body(line: str) -> bool:
    """A paragraph of running text."""
    stripped = line.strip()
    return len(stripped) >= 300 or (len(stripped.split()) >= 8 and bool(_SENTENCE_END.search(stripped)))


def is_date_line(line: str) -> bool:
    """A short line that carries the publication date (possibly with a credit or view counter)."""
    stripped = line.strip()
    return len(stripped) <= 90 and bool(find_dates(stripped)) and not is_body(stripped)


def analyse_layout(text: str, header_lines: int = 12) -> Layout:
    """Find chrome, header and title of a page."""
    lines = split_lines(text)
    nonempty = [ln for ln in lines if ln.text.strip()]
    chrome: list[tuple[int, int]] = [(ln.start, ln.end) for ln in nonempty if is_chrome(ln.text)]
    chrome_starts = {s for s, _ in chrome}

    top = nonempty[:header_lines]
    body_index = next((i for i, ln in enumerate(top) if is_body(ln.text)), len(top))
    head = top[:body_index]
    date_index = next((i for i, ln in enumerate(head) if is_date_line(ln.text)), None)
    candidates = [i for i, ln in enumerate(head)
                  if ln.start not in chrome_starts and is_headline(ln.text) and not is_menu(ln.text)]
    brands = [i for i in candidates if _is_brand(head, i)]
    if len(candidates) > len(brands):
        candidates = [i for i in candidates if i not in brands]
    title_index = None
    if date_index is not None and date_index - 1 in candidates:
        title_index = date_index - 1  # title, then its date line
    elif date_index is not None and any(i > date_index for i in candidates):
        title_index = min(i for i in candidates if i > date_index)  # date line, then title
    elif candidates:
        title_index = candidates[0]

    if title_index is not None:
        title_line = head[title_index]
        # Site names and menus above the title, and repeats of the title, are page header.
        for ln in head[:title_index]:
            chrome.append((ln.start, ln.end))
        for ln in head[title_index + 1:]:
            if ln.text.strip() == title_line.text.strip():
                chrome.append((ln.start, ln.end))
        title = (title_line.start + _lead(title_line.text), title_line.end - _trail(title_line.text))
    else:
        title = None
    for ln in head:
        if is_date_line(ln.text):
            chrome.append((ln.start, ln.end))

    spans = tuple(sorted(set(chrome)))
    header_end = top[body_index].start if body_index < len(top) else len(text)
    return Layout(lines=lines, chrome=spans, title=title, header_end=header_end,
                  analysis_text=blank_spans(text, spans))


def blank_spans(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """The text with the given spans replaced by spaces (newlines kept)."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)


def _is_brand(head: list[Line], i: int) -> bool:
    """A site's name above its menu: 'The Astana Times' followed by 'Nation | Economy | …'."""
    words = head[i].text.split()
    return len(words) <= 7 and any(is_menu(ln.text) for ln in head[i + 1:i + 3])


def _lead(s: str) -> int:
    return len(s) - len(s.lstrip())


def _trail(s: str) -> int:
    return len(s) - len(s.rstrip())
