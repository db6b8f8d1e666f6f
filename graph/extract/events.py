"""Meetings (date, chair, speakers, programs discussed) and instructions (issuer, addressees,
content, deadline). The signal words are data: graph/patterns/events.json."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from ..metadata import MONTHS, find_dates
from .attribution import Attribution
from .model import Extraction, Instruction, Meeting, Span
from .posts import _title_reader
from .projects import events_lexicon

if TYPE_CHECKING:
    from . import Resources

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class EventReader:
    def __init__(self, x: Extraction, text: str, resources: Resources) -> None:
        self.x, self.text = x, text
        self.lex = events_lexicon()
        self.titles = _title_reader(resources)
        self.att = Attribution(x, text, self.titles)
        self.entity_of_mention = {m: e.id for e in x.entities for m in e.mentions}

    # --- who is named in a span --------------------------------------------------------------

    def persons_in(self, start: int, end: int) -> list[int]:
        out = []
        for m in self.att.person_mentions:
            if start <= m.span.start and m.span.end <= end:
                entity = self.entity_of_mention.get(m.id)
                if entity is not None and entity not in out:
                    out.append(entity)
        return out

    def who(self, start: int, end: int, last: bool = True) -> int | None:
        persons = self.persons_in(start, end)
        if persons:
            return persons[-1] if last else persons[0]
        phrase = self.text[start:end]
        if re.search(r"\b(?:he|she)\s*$", phrase, re.IGNORECASE) or re.fullmatch(r"\s*(?:he|she)\b.*", phrase, re.I):
            return self.att.last_person_before(start)
        return self.att.by_title(phrase, start)

    # --- meetings ---------------------------------------------------------------------------

    def meeting(self) -> Meeting | None:
        lex = self.lex
        nouns = _alt(lex["meeting_nouns"])
        chair_re = re.compile(rf"(?:{_alt(lex['chair_phrases'])})\s+(?P<who>[^;:“”\"]{{2,140}}?)"
                              rf"(?=,|\.|;| (?:the|has|have|was|were|considered|reviewed|discussed|on)\b|$)")
        hold_re = re.compile(rf"\b(?:{_alt(lex['holding_verbs'])})\s+(?:a|an|the)?\s*(?:[\w-]+\s+){{0,3}}?(?:{nouns})\b",
                             re.IGNORECASE)
        bilateral_re = re.compile(rf"\b(?:{_alt(lex['bilateral_verbs'])})\s+(?P<obj>[^.;]{{2,200}})")
        noun_re = re.compile(rf"\b(?:{nouns})\b", re.IGNORECASE)
        found: tuple[int, int | None, list[int], str] | None = None
        for index, (s, e) in enumerate(self.x.sentences):
            sentence = self.text[s:e]
            if re.search(r"\bwill\s+(?:hold|be\s+(?:held|adopted))\b", sentence):
                continue
            chair = None
            guests: list[int] = []
            kind = "meeting"
            if (c := chair_re.search(sentence)) and noun_re.search(sentence[:c.start()] + " "):
                chair = self.who(s + c.start("who"), s + c.end("who"))
            if chair is None and (h := hold_re.search(sentence)):
                chair = self.who(s, s + h.start())
                with_ = re.match(r"\s+with\s+(?P<obj>[^.;]{2,200})", sentence[h.end():])
                if with_:
                    guests = self.persons_in(s + h.end() + with_.start("obj"), e)
                    kind = "bilateral"
            if chair is None and (b := bilateral_re.search(sentence)):
                subject = self.who(s, s + b.start())
                objects = self.persons_in(s + b.start("obj"), e)
                if subject is not None and objects:
                    chair, guests, kind = subject, objects, "bilateral"
            if chair is None and (d := re.search(rf"\b(?:during|in the course of|at)\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,2}}?(?:{nouns})\b",
                                                  sentence, re.IGNORECASE)):
                # 'President X launched 23 projects during a teleconference': the head of the
                # state or government acting at a meeting is its chair.
                leader = self.persons_in(s, e)
                leader = [p for p in leader if any(q.person == p and q.role in ("president", "prime-minister")
                                                   for q in self.x.posts)]
                if leader:
                    chair = leader[0]
            if chair is None and (t := re.search(r"\b(?:told|reported to|informed|briefed|presented to|submitted to)\s+"
                                                 r"(?:the\s+)?(?:President|Head of State|Prime Minister|Premier)\s+", sentence)):
                leader = self.persons_in(s + t.end(), s + t.end() + 60)
                if leader:
                    chair = leader[0]
                    guests = [p for p in self.persons_in(s, s + t.start()) if p != chair]
                    kind = "meeting"
            if chair is None and (r := re.search(r"\breported to the (?P<title>Head of State|President|Prime Minister|Premier)\b", sentence)):
                reporter = self.persons_in(s, s + r.start())
                if reporter:
                    guests, kind = reporter, "meeting"
                    chair = self.att.by_title(r.group("title"), s + r.start())
                    found = (index, chair, guests, kind)
                    if chair is None:
                        continue
            if chair is None and not noun_re.search(sentence):
                continue
            if found is None or (found[1] is None and chair is not None):
                found = (index, chair, guests, kind)
            if chair is not None:
                break
        if found is None:
            return None
        index, chair, guests, kind = found
        if chair is None:
            head = re.search(r"\b(?:headed|chaired|led) by\s+(?P<who>[^,.;]{2,120})", self.text)
            if head:
                chair = self.who(head.start("who"), head.end("who"))
        s, e = self.x.sentences[index]
        if re.search(_alt(self.lex["government_cues"]), self.text, re.IGNORECASE) and kind != "bilateral":
            kind = "government"
        elif chair is not None and any(p.person == chair and p.role == "president" for p in self.x.posts):
            kind = "presidential" if kind != "bilateral" else kind
        speakers = [p for p in guests + self.speakers() if p != chair]
        programs = [e.id for e in self.x.entities if e.kind == "program" and any(
            self.x.mentions[m].form in ("name", "alias") for m in e.mentions)]
        return Meeting(kind=kind, date=self.stated_meeting_date(index, noun_re) or self.meeting_date(s, e), chair=chair,
                       speakers=list(dict.fromkeys(speakers)), programs=programs,
                       span=Span(s, e, self.text[s:e], index))

    def speakers(self) -> list[int]:
        """People who report or speak: subjects of report phrases, quoted and attributed speakers."""
        out: list[int] = []
        reports = re.compile(rf"\b(?:{_alt(self.lex['report_phrases'])})\b")
        for s, e in self.x.sentences:
            sentence = self.text[s:e]
            if m := reports.search(sentence):
                out += self.persons_in(s, s + m.start())
                if not self.persons_in(s, s + m.start()):
                    who = self.who(s, s + m.start())
                    if who is not None:
                        out.append(who)
        out += [q.speaker for q in self.att.quotes if q.speaker is not None]
        for s, _e in self.x.sentences:
            who = self.att.speaker_of(s + 1) if self.att.quote_at(s) is None else None
            if who is not None:
                out.append(who)
        return list(dict.fromkeys(out))

    def stated_meeting_date(self, index: int, noun_re: re.Pattern[str]) -> dt.date | None:
        """A calendar date stated with the meeting: in its sentence, or, when that sentence is a
        headline without one, in the next sentences that name the meeting again."""
        for s, e in self.x.sentences[index:index + 3]:
            sentence = self.text[s:e]
            dates = find_dates(sentence)
            if dates and (s == self.x.sentences[index][0] or noun_re.search(sentence)):
                return dates[0].date
        return None

    def meeting_date(self, s: int, e: int) -> dt.date | None:
        published = self.x.doc.published
        year = self.x.doc.about_year
        sentence = self.text[s:e]
        dates = find_dates(sentence)
        if dates:
            return dates[0].date
        m = re.search(rf"\b(?:on\s+)?(?P<mon>{'|'.join(k for k in MONTHS if len(k) > 3 and k.isascii())})\s+(?P<d>\d{{1,2}})\b"
                      rf"|\b(?P<d2>\d{{1,2}})\s+(?P<mon2>{'|'.join(k for k in MONTHS if len(k) > 3 and k.isascii())})\b",
                      sentence, re.IGNORECASE)
        if m and year:
            month = MONTHS[(m.group("mon") or m.group("mon2")).lower()]
            try:
                return dt.date(year, month, int(m.group("d") or m.group("d2")))
            except ValueError:
                return None
        w = re.search(rf"\b({'|'.join(_WEEKDAYS)})(?:'s)?\b", sentence, re.IGNORECASE)
        if w and published:
            back = (published.weekday() - _WEEKDAYS.index(w.group(1).lower())) % 7
            return published - dt.timedelta(days=back)
        return published

    # --- instructions ----------------------------------------------------------------------

    def instructions(self, meeting: Meeting | None) -> list[Instruction]:
        lex = self.lex
        active = re.compile(rf"\b(?:{_alt(lex['instruction_verbs'])})\s+(?P<addr>[^.;]{{2,160}}?)\s+to\s+(?P<content>[^.;]+)")
        passive = re.compile(rf"(?P<addr>[^.;]{{2,160}}?)\s+(?:{_alt(lex['instruction_passive'])})\s+to\s+(?P<content>[^.;]+)")
        nouns = re.compile(rf"\b(?:{_alt(lex['instruction_nouns'])})\s*(?:regarding|on|concerning|to|about)?\s*(?P<content>[^.;]*)")
        out = []
        for index, (s, e) in enumerate(self.x.sentences):
            sentence = self.text[s:e]
            for regex, form in ((passive, "passive"), (active, "active"), (nouns, "noun")):
                m = regex.search(sentence)
                if not m:
                    continue
                if form == "passive":
                    issuer = meeting.chair if meeting else None
                    addr_start, addr_end = s + m.start("addr"), s + m.end("addr")
                else:
                    issuer = self.who(s, s + m.start())
                    addr_start, addr_end = (s + m.start("addr"), s + m.end("addr")) if "addr" in m.groupdict() \
                        else (s + m.start(), s + m.start())
                content = re.sub(r"\s+", " ", m.group("content")).strip(" ,")
                if form == "noun" and not content:
                    content = "a number of instructions"
                addr_text = re.sub(r"\s+", " ", self.text[addr_start:addr_end]).strip()
                addr_text = re.sub(r"^(?:the\s+)?", "", addr_text) if form == "passive" else addr_text
                deadline, deadline_text = self.deadline(content)
                out.append(Instruction(
                    issuer=issuer, addressees=self.addressees(addr_start, addr_end),
                    addressee_roles=self.addressee_roles(addr_text), addressee_text=addr_text,
                    content=content[:400], deadline=deadline, deadline_text=deadline_text,
                    span=Span(s, e, self.text[s:e], index)))
                break
        return out

    def addressees(self, start: int, end: int) -> list[int]:
        out = []
        for m in self.x.mentions:
            if m.kind in ("org", "person") and start <= m.span.start and m.span.end <= end:
                entity = self.entity_of_mention.get(m.id)
                if entity is not None and entity not in out:
                    out.append(entity)
        return out

    def addressee_roles(self, text: str) -> list[str]:
        return list(dict.fromkeys(self.titles.role_of(m.group("title"))
                                  for m in self.titles.pattern.finditer(text)))

    def deadline(self, content: str) -> tuple[dt.date | None, str | None]:
        year = self.x.doc.about_year
        m = re.search(r"\b(?:by|before|until|till)\s+the\s+end\s+of\s+(?:the\s+|this\s+)?(?:year|(?P<y>(?:19|20)\d\d))\b",
                      content, re.IGNORECASE)
        if m:
            y = int(m.group("y")) if m.group("y") else year
            return (dt.date(y, 12, 31) if y else None), m.group(0)
        dates = find_dates(content)
        lead = re.search(r"\b(?:by|before|until|till)\s*$", content[:dates[0].start]) if dates else None
        if lead:
            return dates[0].date, content[lead.start():dates[0].end].strip()
        m = re.search(r"\b(?:by|before|until)\s+(?P<y>(?:19|20)\d\d)\b", content)
        if m:
            return dt.date(int(m.group("y")), 12, 31), m.group(0)
        return None, None


def find_events(x: Extraction, text: str, resources: Resources) -> None:
    reader = EventReader(x, text, resources)
    meeting = reader.meeting()
    if meeting is not None:
        x.meetings.append(meeting)
    x.instructions.extend(reader.instructions(meeting))
