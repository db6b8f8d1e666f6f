"""Media outlets a page names: its brand in the header, datelines, web domains, press services."""

from __future__ import annotations

import re

from ..layout import Layout, is_menu
from .gazetteer import Gazetteer
from .mentions import Candidate

_DOMAIN = re.compile(r"(?<![@\w.])(?P<name>[A-Za-z][\w-]*(?:\.[a-z][\w-]*)*\.(?:kz|com|ru|org|net|info|az|uz|kg))(?![\w@])")
_BRAND_WORD = re.compile(r"\b(?:TV|Times|News|Post|Press|Agency|Inform|Informburo|Daily|Herald|Review|Radio|"
                         r"Pravda|Kapital|Kursiv|Tribune|Gazette|Media|24)\b")
_ALLCAPS = re.compile(r"^[A-Z][A-Z0-9]+(?:[-.][A-Z0-9]+)*(?:\s[A-Z][A-Z0-9-]+)?$")
_DATELINE = re.compile(r"^(?P<first>[A-Z][A-Z-]{2,}(?:\s[A-Z][A-Z-]+)?)(?:\s*\((?P<paren>[A-Z]{2,})\))?\s*[.,–—-]\s*"
                       r"(?:(?P<second>[A-Z][A-Z-]{3,})\b)?", re.MULTILINE)
_PRESS_SERVICE = re.compile(r"\b(?:the\s+)?(?P<name>(?:[A-Z][\w'’-]*\s){1,3}press service)\b")
_NOT_BRANDS = re.compile(r"\b(?:official|site|website|portal|home|main|menu|search|news agency)\b", re.IGNORECASE)


def _media_candidate(start: int, end: int, name: str) -> Candidate:
    return Candidate("org", "media_outlet", start, end, name, "media")


def _brand(segment: str, gazetteer: Gazetteer) -> bool:
    text = segment.strip()
    if not text or _NOT_BRANDS.search(text) or len(text.split()) > 6:
        return False
    if any(e.subkind == "media_outlet" for e in gazetteer.lookup(text, "org")):
        return True
    if _DOMAIN.fullmatch(text) or _ALLCAPS.match(text):
        return True
    words = text.split()
    title_case = all(w[:1].isupper() or w.lower() in ("of", "the", "and") for w in words)
    return title_case and bool(_BRAND_WORD.search(text))


def find_media(text: str, layout: Layout, gazetteer: Gazetteer) -> list[Candidate]:
    out: list[Candidate] = []
    # The page's brand: a header line (or its first segment before '|') above the title.
    header_end = layout.title[0] if layout.title else layout.header_end
    for line in layout.lines:
        if line.start >= header_end or line.start > 600:
            break
        first = re.split(r"\s[|»]\s|\s{2,}|\s(?=[А-ЯЁӘҒҚҢӨҰҮҺІ])", line.text.strip())[0].strip()
        if not first or (is_menu(line.text) and line.text.strip().startswith(("•", "|"))):
            continue
        offset = line.start + line.text.index(first)
        if _brand(first, gazetteer):
            out.append(_media_candidate(offset, offset + len(first), first))
            break
    # Datelines: 'OREANDA-NEWS. The Government …', 'PETROPAVLOVSK. KAZINFORM North …'.
    for m in _DATELINE.finditer(text):
        if m.start() < header_end:
            continue
        for group in ("first", "second"):
            value = m.group(group)
            if not value or gazetteer.lookup(value, "place"):
                continue
            if group == "first" and not m.group("second") and not re.search(r"[-.]", value) \
                    and not gazetteer.lookup(value, "org"):
                continue  # a lone capitalised word could be an ordinary sentence opener
            out.append(_media_candidate(m.start(group), m.end(group), value))
    for m in _DOMAIN.finditer(text):
        if m.start() >= header_end and not any(c.start <= m.start() < c.end for c in out):
            out.append(_media_candidate(m.start(), m.end(), m.group("name")))
    for m in _PRESS_SERVICE.finditer(text):
        if m.start() >= header_end:
            out.append(_media_candidate(m.start("name"), m.end("name"), m.group("name")))
    return out
