"""Who says what: quotations and their speakers, 'according to X', 'X said that …'.

A speaker named by a title or a pronoun ('the Premier', 'the minister', 'he') is the person the
document gives that post, or the person last named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .mentions import person_lexicon
from .model import Extraction

if TYPE_CHECKING:
    from .posts import TitleReader

_OPEN = "“«\"„"
_CLOSE = "”»\"“"
_PRONOUN = re.compile(r"^(?:he|she)$", re.IGNORECASE)


@dataclass(frozen=True)
class Quote:
    start: int
    end: int
    speaker: int | None


class Attribution:
    """Speakers of quotes and sentences of one document."""

    def __init__(self, x: Extraction, text: str, titles: TitleReader) -> None:
        self.x, self.text, self.titles = x, text, titles
        self.verbs = person_lexicon()["speech"] | {"added", "continued", "informed", "explained",
                                                    "emphasized", "summed", "concluded"}
        self.entity_of_mention = {m: e.id for e in x.entities for m in e.mentions}
        self.person_mentions = sorted((m for m in x.mentions if m.kind == "person"),
                                      key=lambda m: m.span.start)
        self.quotes = self._find_quotes()

    # --- resolving a speaker reference ------------------------------------------------------------

    def person_at(self, start: int, end: int) -> int | None:
        for m in self.person_mentions:
            if start <= m.span.start and m.span.end <= end:
                return self.entity_of_mention.get(m.id)
        return None

    def last_person_before(self, offset: int) -> int | None:
        before = [m for m in self.person_mentions if m.span.end <= offset]
        return self.entity_of_mention.get(before[-1].id) if before else None

    def by_title(self, phrase: str, offset: int) -> int | None:
        """'the Premier', 'the minister', 'the Head of State' -> the person with that post."""
        matches = list(self.titles.pattern.finditer(phrase))
        if not matches:
            return None
        role = self.titles.role_of(matches[-1].group("title"))
        holders = [p.person for p in self.x.posts if p.role == role]
        if not holders:
            related = {"deputy-prime-minister": {"first-deputy-prime-minister"},
                       "vice-minister": {"first-vice-minister"}}.get(role, set())
            holders = [p.person for p in self.x.posts if p.role in related]
        if len(set(holders)) == 1:
            return holders[0]
        if holders:
            return self.last_person_before(offset) if self.last_person_before(offset) in holders else holders[0]
        return None

    def resolve(self, start: int, end: int) -> int | None:
        phrase = self.text[start:end].strip()
        person = self.person_at(start, end)
        if person is not None:
            return person
        if _PRONOUN.match(phrase):
            return self.last_person_before(start)
        return self.by_title(phrase, start)

    # --- quotes --------------------------------------------------------------------------------

    def _find_quotes(self) -> list[Quote]:
        quotes, i, text = [], 0, self.text
        while i < len(text):
            if text[i] in _OPEN:
                close = self._closing(i)
                if close is not None and close - i > 12:
                    quotes.append(Quote(i, close + 1, self._speaker_of_quote(i, close + 1)))
                    i = close + 1
                    continue
            i += 1
        return quotes

    def _closing(self, i: int) -> int | None:
        opener = self.text[i]
        closers = "”\"" if opener in "“\"„" else "»"
        for j in range(i + 1, min(len(self.text), i + 3000)):
            if self.text[j] in closers:
                return j
            if self.text[j] == "\n" and self.text[j - 1] == "\n":
                return None
        return None

    def _speaker_of_quote(self, start: int, end: int) -> int | None:
        after = self.text[end:end + 160]
        verb = "|".join(sorted(self.verbs, key=len, reverse=True))
        m = re.match(rf"\s*[,.]?\s*[-–—]?\s*(?:{verb})\s+(?P<who>(?:the\s+)?[^,.;“”\"]{{2,60}}?)(?=\s*[,.;]|\s+(?:at|in|during|on|after|to|referring)\b|$)",
                     after, re.IGNORECASE)
        if m:
            who = self.resolve(end + m.start("who"), end + m.end("who"))
            if who is not None:
                return who
        m = re.match(rf"\s*[,.]?\s*[-–—]?\s*(?P<who>(?:[A-ZА-Я][a-zа-я]?\.\s?)?[^,.;“”\"]{{2,60}}?)\s+(?:has\s+|also\s+|then\s+)?(?:{verb})\b",
                     after, re.IGNORECASE)
        if m:
            who = self.resolve(end + m.start("who"), end + m.end("who"))
            if who is not None:
                return who
        before = self.text[max(0, start - 200):start]
        # The search below is slow (a lazy group tried at every position); a verb at the end
        # with a space before it is necessary for it to match, and cheap to look for first.
        m = re.search(rf"\s(?:{verb})(?:\s+that)?\s*[:,]?\s*$", before, re.IGNORECASE) and \
            re.search(rf"(?P<who>[^.;“”\"]{{2,80}}?)\s+(?:{verb})(?:\s+that)?\s*[:,]?\s*$", before, re.IGNORECASE)
        if m:
            offset = start - len(before)
            who_text = m.group("who")
            # The speaker is the end of the clause before the verb: 'the President said: “…”'.
            tail = re.split(r"[,;(]|\b(?:and|but|while)\b", who_text)[-1]
            s = offset + m.end("who") - len(tail)
            who = self.resolve(s, offset + m.end("who"))
            if who is not None:
                return who
        return None

    def quote_at(self, offset: int) -> Quote | None:
        for q in self.quotes:
            if q.start <= offset < q.end:
                return q
        return None

    # --- sentences -----------------------------------------------------------------------------

    def speaker_of(self, offset: int) -> int | None:
        """Who states the words at `offset`: the quote's speaker, 'according to X', 'X said that'."""
        quote = self.quote_at(offset)
        if quote is not None:
            return quote.speaker
        index = next((i for i, (s, e) in enumerate(self.x.sentences) if s <= offset < e), None)
        if index is None:
            return None
        s_start, s_end = self.x.sentences[index]
        sentence = self.text[s_start:s_end]
        m = re.search(r"\b[Aa]ccording to\s+(?P<who>(?:the\s+)?[^,]{2,80}?),", sentence)
        if m and s_start + m.end() <= offset:
            who = self.resolve(s_start + m.start("who"), s_start + m.end("who"))
            if who is not None:
                return who
        verb = "|".join(sorted(self.verbs, key=len, reverse=True))
        m = re.match(rf"\s*(?P<who>(?:the\s+)?[^,.;]{{2,80}}?)\s+(?:also\s+|has\s+)?(?:{verb})\b", sentence,
                     re.IGNORECASE)
        if m:
            who = self.resolve(s_start + m.start("who"), s_start + m.end("who"))
            if who is not None:
                return who
        m = re.search(rf",\s*(?P<who>(?:the\s+)?[^,.;]{{2,60}}?)\s+(?:{verb})\s*\.?\s*$", sentence, re.IGNORECASE)
        if m:
            return self.resolve(s_start + m.start("who"), s_start + m.end("who"))
        return None
