"""Finding names in text: reference names (spaCy PhraseMatcher), patterns, and people's names.

All patterns and word lists are data files in graph/patterns; this module only combines them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from .gazetteer import Gazetteer
from .nlp import blank_pipeline, phrase_matcher

# A hyphenated part is capitalised ('Kassym-Jomart') or a short syllable ('Won-hee', 'Yun-mo').
NAME_TOKEN = r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яёәғқңөұүһі'’]+(?:-[A-ZА-ЯЁ][a-zа-яё'’]+|-[a-z]{2,4}\b)*"
_RUN = re.compile(rf"{NAME_TOKEN}(?: {NAME_TOKEN}){{0,7}}")
_INITIALS = re.compile(rf"(?<![\w.])(?P<init>(?:[A-ZА-Я][a-zа-я]?\.\s?){{1,2}})(?P<sur>{NAME_TOKEN})")
_WORD = re.compile(r"[\w'’-]+")
KINDS = ("person", "org", "place", "program")
_PROGRAM_HEAD = re.compile(r"\b(?:program|programme|plan|map|strategy|roadmap|road map)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """A possible mention before overlaps are resolved."""

    kind: str
    subkind: str
    start: int
    end: int
    text: str
    source: str  # gazetteer | pattern id | person | initials | surname | anaphor
    form: str = "name"  # name | alias | initials | surname | anaphor
    canonical: str | None = None
    reference: str | None = None
    items_of: int | None = None  # enumeration: index of the list match it came from


def _load_json(name: str) -> dict:
    return json.loads(resources.files("graph.patterns").joinpath(name).read_text("utf-8"))


@lru_cache(maxsize=1)
def person_lexicon() -> dict:
    data = _load_json("persons.json")
    names = resources.files("graph.patterns").joinpath("given_names.txt").read_text("utf-8")
    given = {w.lower() for line in names.splitlines() if not line.startswith("#")
             for w in line.split()}
    return {
        "given": given,
        "suffixes": tuple(sorted(data["surname_suffixes"], key=len, reverse=True)),
        "patronymics": tuple(data["patronymic_suffixes"]),
        "speech": set(data["speech_verbs"]),
        "bylines": tuple(data["byline_prefixes"]),
        "not_name": set(data["not_name_words"]),
        "east_asian": set(data.get("east_asian_family_names", [])),
    }


@lru_cache(maxsize=1)
def name_patterns() -> tuple[list[dict], list[dict]]:
    data = _load_json("mentions.json")
    macros = data["macros"]

    def expand(regex: str) -> str:
        for _ in range(4):
            for key, value in macros.items():
                regex = regex.replace("{" + key + "}", value)
        return regex

    patterns = [dict(p, compiled=re.compile(expand(p["regex"])),
                     not_after=re.compile(p["not_after"]) if p.get("not_after") else None)
                for p in data["patterns"]]
    anaphora = [dict(p, compiled=re.compile(expand(p["regex"]))) for p in data["anaphora"]]
    return patterns, anaphora


def is_given_name(word: str) -> bool:
    lex = person_lexicon()
    return word.lower() in lex["given"] or any(
        part.lower() in lex["given"] for part in word.split("-") if part)


def _is_adverb(word: str) -> bool:
    """'Recently', 'Reportedly': an -ly word opening a run is an adverb unless it is a given name."""
    return len(word) > 4 and word.endswith("ly") and not is_given_name(word)


def has_surname_form(word: str) -> bool:
    low = word.lower()
    return any(low.endswith(s) and len(low) >= len(s) + 3 for s in person_lexicon()["suffixes"])


def find_gazetteer(text: str, gazetteer: Gazetteer) -> list[Candidate]:
    """Reference names in the text, case-insensitive for longer names, exact for acronyms."""
    nlp = blank_pipeline()
    doc = nlp.make_doc(text)
    matcher, entries = phrase_matcher(gazetteer)
    out = []
    for key, start, end in matcher(doc):
        span = doc[start:end]
        entry = entries[nlp.vocab.strings[key]]
        surface = span.text
        if len(entry.label) <= 5 and surface != entry.label:
            continue  # acronyms and short names must match exactly
        if entry.kind == "person":
            continue  # people are found by name shape below, then linked
        if entry.kind == "place" and re.match(r"\s*dollars?\b", text[span.end_char:span.end_char + 12]):
            continue  # 'U.S. dollars': a currency, not a place
        if not (surface[:1].isupper() or surface[:1].isdigit()):
            if entry.kind != "program" or not _PROGRAM_HEAD.search(surface):
                continue  # 'government', 'development of entrepreneurship': common phrases
        out.append(Candidate(entry.kind, entry.subkind, span.start_char, span.end_char, surface,
                             "gazetteer", "name" if entry.preferred else "alias",
                             reference=entry.iri))
    return out


def find_patterns(text: str) -> list[Candidate]:
    patterns, anaphora = name_patterns()
    out: list[Candidate] = []
    for n, p in enumerate(patterns):
        for m in p["compiled"].finditer(text):
            subkind = p["subkind"]
            if "nc" in m.groupdict() and m.group("nc"):
                subkind = "national_company"
            if "list" in m.groupdict() and m.group("list"):
                for item in _split_list(m.group("list"), m.start("list")):
                    start, end, name = item
                    out.append(Candidate(p["kind"], subkind, start, end, name, p["id"],
                                         canonical=p["item"].format(name), items_of=n))
                continue
            start, end = m.span("name")
            name = m.group("name")
            if p.get("not_after") and p["not_after"].search(text, max(0, start - 120), start):
                continue  # 'New Technologies' inside 'Minister of Industry and New Technologies'
            if name.lower().startswith("the "):
                start, name = start + 4, name[4:]
            out.append(Candidate(p["kind"], subkind, start, end, name, p["id"],
                                 canonical=p.get("canonical")))
    for p in anaphora:
        for m in p["compiled"].finditer(text):
            start, end = m.span("name")
            out.append(Candidate(p["kind"], "", start, end, m.group("name"), "anaphor", "anaphor"))
    return out


def _split_list(text: str, offset: int) -> list[tuple[int, int, str]]:
    items = []
    for m in re.finditer(r"[^,]+?(?=,| and |$)", text):
        raw = m.group(0)
        cleaned = re.sub(r"^\s*(?:and\s+)?", "", raw)
        start = offset + m.start() + (len(raw) - len(cleaned))
        name = cleaned.strip()
        if name:
            items.append((start, start + len(name), name))
    return items


def find_persons(text: str, blocked: list[tuple[int, int]], title_words: set[str]) -> list[Candidate]:
    """People's names: capitalised runs that look like names, initials forms, bylines."""
    lex = person_lexicon()
    out: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for m in _INITIALS.finditer(text):
        surname = m.group("sur")
        if surname in lex["not_name"] or _inside(m.start(), m.end(), blocked):
            continue
        before, after = _context(text, m.start(), m.end())
        if has_surname_form(surname) or _speech_follows(after) or _title_precedes(before, title_words):
            out.append(Candidate("person", "person", m.start(), m.end(), m.group(0), "initials",
                                 "initials"))
            taken.append((m.start(), m.end()))
    for m in _RUN.finditer(text):
        if _inside(m.start(), m.end(), taken):
            continue
        tokens = [(t.start() + m.start(), t.end() + m.start(), t.group(0))
                  for t in re.finditer(NAME_TOKEN, m.group(0))]
        best = _best_name(text, tokens, blocked, title_words)
        if best:
            out.append(best)
    return out


def _best_name(text: str, tokens: list[tuple[int, int, str]], blocked: list[tuple[int, int]],
               title_words: set[str]) -> Candidate | None:
    lex = person_lexicon()
    # A given name that is also a reference name (a city named after a person) is still a
    # given name when a surname follows: 'Kenesary Ordabayev'.
    blocked = [b for b in blocked if not any(
        b == (s, e) and is_given_name(w) and i + 1 < len(tokens) and has_surname_form(tokens[i + 1][2])
        for i, (s, e, w) in enumerate(tokens))]
    # Drop leading words that cannot be part of a name (titles, places, sentence openers).
    while tokens and (tokens[0][2] in lex["not_name"] or _inside(tokens[0][0], tokens[0][1], blocked)
                      or (len(tokens) > 1 and _is_adverb(tokens[0][2]))):
        tokens = tokens[1:]
    while tokens and (tokens[-1][2] in lex["not_name"] or _inside(tokens[-1][0], tokens[-1][1], blocked)):
        tokens = tokens[:-1]
    if not tokens or any(_inside(s, e, blocked) for s, e, _ in tokens):
        return None
    options = []
    for size in (3, 2, 1):
        if len(tokens) < size:
            continue
        chosen = tokens[-size:]
        words = [w for _, _, w in chosen]
        start, end = chosen[0][0], chosen[-1][1]
        before, after = _context(text, start, end)
        given = is_given_name(words[0])
        surname = has_surname_form(words[-1])
        titled = _title_precedes(before, title_words) or (len(tokens) > size)
        speech = _speech_follows(after)
        # 'Lee Won-hee', 'Lu Yimin': family name first, believed only after a title or before 'said'.
        if size == 2 and not given and words[0] in lex["east_asian"] and (speech or _title_precedes(before, title_words)):
            given = True
        byline = _is_byline(before, after)
        if size == 3 and not (words[1].lower().endswith(lex["patronymics"]) or "-" in words[0]
                              or is_given_name(words[1])):
            continue
        if size == 1:
            if not surname or not (speech or _title_precedes(before, title_words)):
                continue
            options.append((1, Candidate("person", "person", start, end, words[0], "surname",
                                         "surname")))
            continue
        score = 2 * given + 2 * surname + 2 * (titled and (given or surname)) + speech + 2 * byline
        if score >= 2 and (given or surname or byline):
            options.append((score + size, Candidate("person", "person", start, end,
                                                    " ".join(words), "person")))
    if not options:
        return None
    return max(options, key=lambda o: o[0])[1]


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    return text[max(0, start - 120):start], text[end:end + 40]


def _speech_follows(after: str) -> bool:
    m = re.match(r"\s*,?\s*(?:has\s+|had\s+|also\s+|then\s+)?([a-z]+)", after)
    return bool(m and m.group(1) in person_lexicon()["speech"])


def _title_precedes(before: str, title_words: set[str]) -> bool:
    """A title ends right before the name ('Minister of Energy — ', 'akim of X region ')."""
    tail = re.split(r"[.!?;:“”\"()]", before)[-1]
    words = _WORD.findall(tail)[-8:]
    return any(w.lower() in title_words for w in words)


def _is_byline(before: str, after: str) -> bool:
    line_before = before.rsplit("\n", 1)[-1].strip().lower()
    line_after = after.split("\n", 1)[0].strip()
    return (not line_after) and (not line_before or line_before.rstrip(":") in person_lexicon()["bylines"])


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def resolve_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Keep one mention per span and kind: longer first, reference names before patterns.

    Names of different kinds may nest (a region inside an akimat's name); a person's name
    cuts short an organization name that ran into it ('Ministry of Energy Daulet …').
    """
    persons = [c for c in candidates if c.kind == "person"]
    trimmed = []
    for c in candidates:
        if c.kind != "person":
            for p in persons:
                if c.start < p.start < c.end:
                    cut = p.start
                    while cut > c.start and not c.text[cut - c.start - 1].isalnum():
                        cut -= 1
                    c = replace(c, end=cut, text=c.text[:cut - c.start]) if cut > c.start else None
                    if c is None:
                        break
        if c is not None and c.end > c.start:
            trimmed.append(c)
    # Items of an enumeration ('Karaganda, Almaty regions') know their kind from the list, so
    # they win over a reference name of the same span (the city of Karaganda).
    order = sorted(trimmed, key=lambda c: (-(c.end - c.start), c.items_of is None,
                                           c.source != "gazetteer", c.start))
    kept: list[Candidate] = []
    for c in order:
        clash = False
        for k in kept:
            if c.start < k.end and k.start < c.end:
                same = c.kind == k.kind or "person" in (c.kind, k.kind)
                nested = k.start <= c.start and c.end <= k.end
                if same and nested and c.kind == "place" and c.reference and k.subkind == "other":
                    same = False  # the town inside 'Taldykorgan industrial zone' is a place too
                if same or not nested:
                    clash = True
                    break
        if not clash:
            kept.append(c)
    return sorted(kept, key=lambda c: (c.start, c.end))


def _with_reference(c: Candidate, gazetteer: Gazetteer) -> Candidate:
    """A pattern's canonical name ('the Government' -> 'Government of Kazakhstan') that the
    reference data knows gets its IRI, so it meets the other spellings of the same entity."""
    if c.reference or not c.canonical or c.kind not in ("org", "place", "program"):
        return c
    entries = {e.iri for e in gazetteer.lookup(c.canonical, c.kind)}
    return replace(c, reference=entries.pop()) if len(entries) == 1 else c


def find_mentions(text: str, gazetteer: Gazetteer, title_words: set[str]) -> list[Candidate]:
    """All name mentions of the analysis text, overlaps resolved."""
    found = find_gazetteer(text, gazetteer) + [
        _with_reference(c, gazetteer) for c in find_patterns(text)]
    non_person = [(c.start, c.end) for c in found if c.kind in ("org", "place", "program")
                  and c.source == "gazetteer"]
    found += find_persons(text, non_person, title_words)
    return resolve_overlaps(found)
