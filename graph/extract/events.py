"""Meetings (date, chair, speakers, programs discussed) and instructions (issuer, addressees,
content, deadline). The signal words are data: graph/patterns/events.json.

A document can report several meetings: a government session and the press briefing of the day
before, a presidential meeting and, as background, an earlier board meeting. Each sentence that
states a meeting in one of these shapes gives a mention (examples invented):

  chaired       'a Government meeting chaired by Prime Minister A', 'under the chairmanship of A'
  opening       'Opening the meeting, A …', 'Summing up the session, the Premier …'
  meeting with  'B said at a meeting with President A'; 'speaking at a meeting with residents, A …'
  reported      'B reported to President A', 'the plan was presented to President A by B',
                'A heard a report by B', 'the Premier was briefed by B', 'B informed A (a leader)'
  held          'A held a session on …', 'A made a working trip to X region'
  received      'A received the akim of X region B', 'A met with B', 'A and B met in Aktau'
  working trip  'A, who is on a working trip to X region, …', 'During a working trip to X, A …'
  told          'B told a briefing', 'the Prime Minister told the cabinet', 'B informed the senators'
  institution   'the Government approved …', 'Members of the Cabinet voted …', 'the Senate
                discussed …', 'B presented the draft law to the Mazhilis'
  took place    'The hearings took place on 4 March 2020', 'the opening ceremony, held by video link'
  at            'speaking at a plenary session of the X Council, B …', 'during a teleconference,
                President A launched …', 'B said at a briefing', 'A attended the signing of …'

Each mention has a time: a date; a day relative to the page date ('on Tuesday', 'yesterday',
'today') or to the last date stated ('the next day'); a vague past ('In May', 'at the April
meeting', 'earlier', 'the then President') that gives no date; or none, which is the page date.
A sentence without a time of its own takes the day an earlier sentence of its paragraph states.
Mentions are grouped into meetings by time, chair and kind: mentions without a time join the
meeting of their paragraph, else the page-date meeting, else (weak ones) the nearest meeting.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..metadata import MONTHS, find_dates
from .attribution import Attribution
from .model import Extraction, Instruction, Meeting, Span
from .posts import _title_reader
from .quantities import _alt
from .projects import events_lexicon

if TYPE_CHECKING:
    from . import Resources

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MON = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
        r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)")
_FULL_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# 'on May 27', 'Aug. 9' and '27 May' without a year; not '23-24 June', 'May 2019'
_MONTH_DAY = re.compile(rf"\b(?P<mon>{_MON})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?!\s*[-–]\s*\d)(?![.,]\d)"
                        rf"(?!\s*,?\s*(?:19|20)\d\d)")
_DAY_MONTH = re.compile(rf"(?<![\d–-])(?<![\d–-]\s)\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MON})\b\.?"
                        rf"(?!\s*,?\s*(?:19|20)\d\d)")
# A past time without a day: 'In May', 'at the April meeting', 'in the summer', 'last year',
# 'Earlier,', 'the then President', 'in 2019' (in a later year's article).
_VAGUE = re.compile(
    rf"\b(?:[Ii]n|[Ss]ince|[Ll]ast|[Ee]arly|[Ll]ate|[Tt]he|[Aa]n?)\s+(?:early\s+|late\s+|mid-)?{_FULL_MONTH}\b"
    rf"(?!\s*\d{{1,2}}\b)(?!\s*[-–])"
    r"|\b(?i:in|last|during the|this past)\s+(?:the\s+)?(?:summer|spring|autumn|fall|winter)\b"
    r"|\b(?i:last)\s+(?:year|month|week)\b|\b(?i:earlier)\s+this\s+(?:year|month|week)\b"
    r"|\bprevious\s+(?:[\w-]+\s+)?(?:meeting|session|teleconference|videoconference|conference|briefing|visit|"
    r"trip|talks|hearings)\b"
    r"|^\W*(?:Earlier|Previously|Before that|Back)\b|\bat the time\b|\bthe then\b"
    r"|\b[Ii]n\s+(?:19|20)\d\d\b(?!\s*[-–/])")


@dataclass
class _Marker:
    """A time expression of a sentence."""

    kind: str  # day | vague | none
    rank: int  # 0 full date, 1 day and month, 2 weekday, 3 yesterday / the next day, 4 today, 5 vague
    start: int
    end: int
    date: dt.date | None
    key: object  # what two mentions share when they are at the same time


@dataclass
class _Mention:
    """One sentence stating a meeting."""

    index: int  # sentence
    chair: int | None
    guests: list[int]
    kind: str
    strength: int  # 2 the chair is stated, 1 inferred from a role, 0 no chair
    creates: bool = True  # can be a meeting of its own
    anaphoric: bool = False  # 'the meeting', 'that broadcast', 'Opening the meeting, …'
    weak: bool = False  # joins a meeting of another time rather than opening its own
    end: int = 0  # end of the trigger in the sentence
    after: int = 0  # how far after the trigger a vague time still dates the meeting ('held in the summer')
    time: _Marker | None = None


@dataclass
class _Group:
    """The mentions of one meeting."""

    key: object
    date: dt.date | None
    mentions: list[_Mention] = field(default_factory=list)
    chair: int | None = None
    strength: int = -1
    kind: str = "meeting"

    @property
    def indexes(self) -> list[int]:
        return [m.index for m in self.mentions]

    def add(self, m: _Mention) -> None:
        self.mentions.append(m)
        if m.chair is not None and (self.chair is None or m.strength > self.strength):
            self.chair, self.strength = m.chair, m.strength
        if self.kind == "meeting" and m.kind != "meeting":
            self.kind = m.kind


class EventReader:
    def __init__(self, x: Extraction, text: str, resources: Resources) -> None:
        self.x, self.text = x, text
        self.lex = events_lexicon()
        self.titles = _title_reader(resources)
        self.att = Attribution(x, text, self.titles)
        self.entity_of_mention = {m: e.id for e in x.entities for m in e.mentions}
        self.titles_words = resources.title_words
        self.sentence_meeting: list[int | None] = []
        self._surnames: dict[str, int] | None = None

    # --- who is named in a span --------------------------------------------------------------

    def persons_in(self, start: int, end: int) -> list[int]:
        out = []
        for m in self.att.person_mentions:
            if start <= m.span.start and m.span.end <= end:
                entity = self.entity_of_mention.get(m.id)
                if entity is not None and entity not in out:
                    out.append(entity)
        return out or self.surnames_in(start, end)

    def surnames_in(self, start: int, end: int) -> list[int]:
        """People named by a bare surname the mention finder left out ('During that broadcast
        Ordabayev …'): the surname of exactly one person of the document, not part of a longer name."""
        if self._surnames is None:
            by_surname: dict[str, set[int]] = {}
            for e in self.x.entities:
                if e.kind == "person" and e.mentions and len(e.name.split()) >= 2:
                    by_surname.setdefault(e.name.split()[-1], set()).add(e.id)
            self._surnames = {k: next(iter(v)) for k, v in by_surname.items() if len(v) == 1 and len(k) > 3}
        if not self._surnames:
            return []
        out = []
        pattern = rf"(?<![\w.-])({_alt(self._surnames)})(?![\w-])(?!\s+[A-Z])"
        for m in re.finditer(pattern, self.text[start:end]):
            entity = self._surnames[m.group(1)]
            if entity not in out:
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
    #
    # A document can report several meetings: a government session and the press briefing of
    # the day before, a presidential meeting and, as background, an earlier board meeting.
    # Every sentence that states a meeting in one of the shapes below gives a mention (chair,
    # guests, kind, the time it puts the meeting at); mentions are then grouped into meetings by
    # time, chair and kind (`_group`).

    def is_leader(self, person: int | None) -> bool:
        """Head of state or government (not the president of a company)."""
        roles = set(self.lex["leader_roles"])
        return person is not None and any(
            p.person == person and p.role in roles and (
                p.organization is None or self.x.entities[p.organization].subkind in ("presidency", "government"))
            for p in self.x.posts)

    def person_right_after(self, offset: int, slack: int = 3) -> int | None:
        """The person whose mention begins right at `offset` ('President| Aidos Ordabayev')."""
        for m in self.att.person_mentions:
            if offset <= m.span.start <= offset + slack:
                return self.entity_of_mention.get(m.id)
            if m.span.start > offset + slack:
                break
        return None

    def host_before(self, start: int, end: int) -> int | None:
        """The subject of a 'held', 'received', 'met' clause: the last person named before the verb; for
        'he'/'she', the head of state or government named last (the host of the earlier meetings)."""
        phrase = self.text[start:end]
        if not self.persons_in(start, end) and (re.search(r"\b(?:he|she)\s*$", phrase, re.I)
                                                or re.fullmatch(r"\s*(?:[A-Z]\w+,\s*)?(?:he|she)\b.*", phrase, re.I | re.S)):
            before = [m for m in self.att.person_mentions if m.span.end <= start][-6:]
            for m in reversed(before):
                entity = self.entity_of_mention.get(m.id)
                if self.is_leader(entity):
                    return entity
        return self.who(start, end)

    def subject_after(self, start: int, end: int) -> int | None:
        """The person a clause opens with: a name, else a title ('the Head of State said …')."""
        clause = self.text[start:end]
        stop = re.search(r"\b(?:said|says|stressed|noted|gave|presented|summed|instructed|called|emphasized|"
                         r"visited|heard|told|was|is|has|had|paid|pointed|thanked|expressed)\b|[,;.]", clause)
        cut = start + (stop.start() if stop else len(clause))
        persons = self.persons_in(start, cut)
        if persons:
            return persons[0]
        return self.att.by_title(self.text[start:cut], start)

    def _future(self, sentence: str, pos: int) -> bool:
        clause = re.split(r"[;:,]", sentence[:pos])[-1]
        return bool(re.search(r"\b(?:will|shall|would|(?:is|are)\s+(?:now\s+|also\s+)?to\s+be|to be held|is scheduled|"
                              r"are scheduled|plans? to|intends? to|is expected to|are expected to|is going to|"
                              r"is set to)\b|\bto\s+(?:be\s+)?$", clause))

    def _noun_kind(self, sentence: str, noun: str | None) -> str:
        if re.search(_alt(self.lex["government_cues"]), sentence, re.IGNORECASE):
            return "government"
        if noun:
            kinds = {k.lower(): v for k, v in self.lex["kind_of_noun"].items()}
            key = re.sub(r"\s+", " ", noun.lower())
            if key in kinds:
                return kinds[key]
            if key.endswith("board meeting"):
                return "board meeting"
        return "meeting"

    def _hosted(self, noun: str | None) -> bool:
        return bool(noun) and re.sub(r"\s+", " ", noun.lower()) in {n.lower() for n in self.lex["hosted_nouns"]}

    def _launcher(self, index: int) -> int | None:
        """The head of state or government who launches something in this or the sentence before:
        the host of the launch ceremony or teleconference the sentence names."""
        launch = re.compile(rf"\b(?:{_alt(self.lex['launch_verbs'])})\b")
        for i in (index, index - 1):
            if i < 0:
                continue
            s, e = self.x.sentences[i]
            m = launch.search(self.text[s:e])
            if m:
                leaders = [p for p in self.persons_in(s, s + m.start()) if self.is_leader(p)]
                if leaders:
                    return leaders[-1]
        return None

    def _object_persons(self, start: int, end: int) -> list[int]:
        """Persons of an object phrase that opens with them or with their titles: 'received the akim
        of X region Y' (not 'received an award from Y')."""
        persons = [m for m in self.att.person_mentions if start <= m.span.start and m.span.end <= end]
        if not persons:
            return []
        gap = self.text[start:persons[0].span.start]
        allowed = {w.lower() for w in self.lex["object_words"]} | self.titles_words
        for word in re.findall(r"[\w&–—-]+", gap):
            if word.lower() not in allowed and not word[:1].isupper():
                return []
        out = []
        for m in persons:
            entity = self.entity_of_mention.get(m.id)
            if entity is not None and entity not in out:
                out.append(entity)
        return out

    def _mention(self, index: int) -> _Mention | None:
        s, e = self.x.sentences[index]
        sentence = self.text[s:e]
        if not sentence.strip():
            return None
        for shape in (self._chaired, self._opening, self._meeting_with, self._reported, self._held,
                      self._received, self._working_trip, self._told, self._institution, self._took_place,
                      self._at):
            found = shape(index, s, sentence)
            if found is not None:
                return found
        return None

    # Shapes. Each returns a mention or None.

    def _chaired(self, index: int, s: int, sentence: str) -> _Mention | None:
        """'A Government meeting chaired by Prime Minister A', 'under the chairmanship of A'."""
        c = self.chair_re.search(sentence)
        if not c:
            return None
        nouns = list(self.noun_re.finditer(sentence[:c.start()] + " "))
        if not nouns and not sentence[:c.start()].strip(" \t\n\"“«-–—"):
            # 'Under the chairmanship of A, a meeting of the X council was held'
            nouns = list(self.noun_re.finditer(sentence, c.end()))[:1]
        if not nouns or self._future(sentence, nouns[-1].start()):
            return None
        chair = self.who(s + c.start("who"), s + c.end("who"))
        return _Mention(index, chair, [], self._noun_kind(sentence, nouns[-1].group(0)),
                        2 if chair is not None else 0, end=c.end(), after=25)

    def _opening(self, index: int, s: int, sentence: str) -> _Mention | None:
        """'Opening the meeting, the President …', 'Summing up the session, the Premier …'."""
        chair_acts, leader_acts = _alt(self.lex["chair_openings"]), _alt(self.lex["leader_openings"])
        o = re.match(rf"\W*(?:(?P<chair>{chair_acts})|(?P<leader>{leader_acts}))\s+(?:the\s+)?(?:results\s+of\s+the\s+|"
                     rf"work\s+of\s+the\s+)?(?:meeting|session|discussion|talks|hearings?|event|conference|"
                     rf"teleconference|briefing|visit|trip|sitting)\b[^,;]{{0,60}}?(?:,\s*|\s+(?=the\s|[A-Z]))", sentence)
        if not o or re.search(r"\bwith\b", o.group(0)):
            return None
        chair = self.subject_after(s + o.end(), s + min(len(sentence), o.end() + 90))
        if chair is None or (o.group("leader") and not self.is_leader(chair)):
            return None
        return _Mention(index, chair, [], "meeting", 2 if o.group("chair") else 1, creates=False,
                        anaphoric=True, end=o.end())

    def _meeting_with(self, index: int, s: int, sentence: str) -> _Mention | None:
        """'B said at a meeting with President A'; 'speaking at a meeting with residents, A said'."""
        w = re.search(r"\b(?:at|in|during|in the course of|after|following)\s+(?:a|an|the|his|her|their)\s+"
                      r"(?:[\w-]+\s+){0,2}?(?:meeting|talks|conversation|audience)\s+with\s+(?P<obj>[^,;.]{2,160})",
                      sentence, re.IGNORECASE)
        if not w or self._future(sentence, w.start()):
            return None
        obj_start, obj_end = s + w.start("obj"), s + w.end("obj")
        lead = re.match(rf"(?:the\s+)?(?:then\s+)?(?P<title>{_alt(self.lex['leader_titles'])})\b(?!['’]s)",
                        sentence[w.start("obj"):])
        chair = None
        if lead:
            chair = self.person_right_after(obj_start + lead.end()) or self.att.by_title(lead.group("title"), obj_start)
        else:
            first = self.person_right_after(obj_start)
            if self.is_leader(first):
                chair = first
        if chair is not None:
            guests = [p for p in self.persons_in(s, s + w.start()) if p != chair]
            return _Mention(index, chair, guests, "meeting", 2, end=w.end())
        # a meeting with residents, investors, …: the one who speaks at it is its host
        outside = self.persons_in(s, obj_start) + self.persons_in(obj_end, s + len(sentence))
        host = outside[0] if outside else self.subject_after(obj_end, s + len(sentence))
        if host is None:
            return None
        return _Mention(index, host, self.persons_in(obj_start, obj_end), "meeting", 2, end=w.end())

    def _reported(self, index: int, s: int, sentence: str) -> _Mention | None:
        """'B reported to President A', 'B told the Head of State', 'the plan was presented to
        President A by B', 'A heard a report by B', 'the Premier was briefed by B', 'B informed A'."""
        leader = _alt(self.lex["leader_titles"])
        verbs = _alt(self.lex["report_to_verbs"])
        r = re.search(rf"\b(?P<verb>{verbs}|presented\s+(?:[^.;,]{{0,80}}?\s)?to)\s+(?:the\s+)?"
                      rf"(?:then[\s-]+|former\s+)?(?P<title>{leader})\b(?!['’]s)(?!\s+of\s+(?!Kazakhstan))"
                      rf"(?![^.;]{{0,40}}\bfor\s+(?:signature|signing|consideration|approval)\b)", sentence)
        if r and not self._future(sentence, r.start()):
            chair = self.person_right_after(s + r.end()) or self.att.by_title(r.group("title"), s + r.start())
            passive = re.search(r"\b(?:was|were|been|is|are)\s+(?:also\s+)?$", sentence[:r.start()])
            if passive:
                by = re.search(r"\bby\s+", sentence[r.end():])
                guests = self.persons_in(s + r.end() + by.end(), s + len(sentence)) if by else []
            else:
                guests = self.persons_in(s, s + r.start())
                if not guests and (who := self.who(s, s + r.start())) is not None:
                    guests = [who]
            return _Mention(index, chair, [p for p in guests if p != chair], "meeting",
                            2 if chair is not None else 0, end=r.end())
        h = re.search(rf"\b(?:{_alt(self.lex['report_receiving'])})\b|\b(?:heard|hears|listened to)\s+(?:the\s+)?"
                      rf"(?:[A-Z][\w.-]*\s+){{1,3}}?[A-Z][\w-]*['’]s?\s+reports?\b", sentence)
        if h and not self._future(sentence, h.start()):
            chair = self.persons_in(s, s + h.start())
            host = chair[-1] if chair else None
            if host is None:
                comma = sentence.find(",", 0, h.start())
                opener = re.match(r"\W*Having\b", sentence)
                if opener and comma < 0:
                    comma = sentence.find(",")
                    host = self.subject_after(s + comma + 1, s + len(sentence)) if comma > 0 else None
                else:
                    host = self.who(s, s + h.start())
            if host is not None:
                guests = [p for p in self.persons_in(s + h.start(), s + len(sentence)) if p != host]
                return _Mention(index, host, guests, "meeting", 2, end=h.end())
        p = re.search(r"\s+(?:was|were|has been|had been)\s+(?:also\s+)?(?:briefed|informed|told|updated)\b", sentence)
        if p and not self._future(sentence, p.start()):
            subject = self.who(s, s + p.start())
            if self.is_leader(subject):
                by = re.match(r"\s+by\s+", sentence[p.end():])
                guests = self.persons_in(s + p.end(), s + len(sentence)) if by else []
                return _Mention(index, subject, [g for g in guests if g != subject], "meeting", 2, end=p.end())
        i = re.search(r"\b(?:informed|briefed|told|updated)\s+", sentence)
        if i and not self._future(sentence, i.start()):
            obj = self.person_right_after(s + i.end(), 0)
            if self.is_leader(obj):
                guests = [g for g in self.persons_in(s, s + i.start()) if g != obj]
                return _Mention(index, obj, guests, "meeting", 2, end=i.end())
        return None

    def _held(self, index: int, s: int, sentence: str) -> _Mention | None:
        """'A held a session on …', 'A chaired a Government meeting', 'A made a working trip to B'."""
        h = self.hold_re.search(sentence) or self.trip_re.search(sentence)
        if not h or self._future(sentence, h.start()):
            return None
        chair = self.host_before(s, s + h.start())
        kind = self._noun_kind(sentence, h.group("noun"))
        guests: list[int] = []
        with_ = re.match(r"\s+with\s+(?P<obj>[^.;]{2,200})", sentence[h.end():])
        if with_:
            guests = [p for p in self.persons_in(s + h.end() + with_.start("obj"), s + len(sentence)) if p != chair]
            if guests and kind == "meeting":
                kind = "bilateral"
        return _Mention(index, chair, guests, kind, 2 if chair is not None else 0, end=h.end(), after=25)

    def _received(self, index: int, s: int, sentence: str) -> _Mention | None:
        """'A received the akim of B region C', 'A met with C', 'A and C met in Aktau yesterday'."""
        for b in self.bilateral_re.finditer(sentence):
            if self._future(sentence, b.start()):
                continue
            objects = self._object_persons(s + b.start("obj"), s + len(sentence))
            before = self.persons_in(s, s + b.start())
            if not objects and b.group("verb") in ("met", "meets") and len(before) >= 2 and \
                    re.search(r"\band\b", self.text[s:s + b.start()]):
                return _Mention(index, before[0], before[1:], "bilateral", 2, end=b.end())
            if not objects:
                public = _alt(self.lex["public_audiences"])
                host = self.host_before(s, s + b.start())
                if b.group("verb").startswith(("met", "meet")) and host is not None and re.match(
                        rf"(?:with\s+)?(?:the\s+)?(?:[\w-]+\s+){{0,2}}?(?:{public})\b", b.group("obj")):
                    # 'A met with residents of the region': A hosts the meeting
                    return _Mention(index, host, [], "meeting", 2, end=b.end())
                continue
            subject = self.host_before(s, s + b.start())
            if subject in objects:
                continue
            return _Mention(index, subject, objects, "bilateral", 2 if subject is not None else 0, end=b.end())
        return None

    def _working_trip(self, index: int, s: int, sentence: str) -> _Mention | None:
        """'A, who is on a working trip to B region, …', 'During a working trip to B, A visited …',
        'A, who arrived in the region on a working visit'."""
        trip = r"(?:working|official|state)\s+(?:trip|visit)"
        t = re.search(rf"\b(?:is|was|are|were|been)\s+on\s+(?:a|an|his|her)\s+(?:[\w-]+\s+)?{trip}\b|"
                      rf"\barrived\s+[^.;]{{0,60}}?\b(?:on|for)\s+(?:a|an)\s+(?:[\w-]+\s+)?{trip}\b", sentence)
        if t and not self._future(sentence, t.start()):
            chair = self.who(s, s + t.start())
            if chair is not None:
                return _Mention(index, chair, [], "working trip", 2, end=t.end())
        d = re.match(rf"\W*(?:During|In the course of|On)\s+(?:a|an|his|her|the)\s+(?:[\w-]+\s+)?{trip}\b[^,;]*,\s*", sentence)
        if d:
            chair = self.subject_after(s + d.end(), s + len(sentence))
            if chair is not None:
                return _Mention(index, chair, [], "working trip", 2, end=d.end())
        return None

    def _told(self, index: int, s: int, sentence: str) -> _Mention | None:
        """'B told a briefing', 'the Prime Minister told the cabinet', 'B informed the senators'."""
        audiences = self.lex["audiences"]
        t = re.search(rf"\b(?:told|informed|addressed|briefed|updated)\s+(?:the\s+|a\s+|an\s+|today's\s+)?"
                      rf"(?P<aud>{_alt(audiences)})\b(?!\s+(?:to|on\s+how\s+to)\s)", sentence)
        if not t or self._future(sentence, t.start()):
            return None
        kind = audiences[t.group("aud")]
        speaker = self.who(s, s + t.start())
        chair = None
        if kind == "government" and speaker is not None and any(
                p.person == speaker and p.role == "prime-minister" for p in self.x.posts):
            chair = speaker
        guests = [speaker] if speaker is not None and speaker != chair else []
        return _Mention(index, chair, guests, kind, 1 if chair is not None else 0, end=t.end())

    def _institution(self, index: int, s: int, sentence: str) -> _Mention | None:
        """'The Government approved the plan', 'Members of the Cabinet voted for …', 'Today the
        Senate discussed …', 'B presented the draft law to the Mazhilis'."""
        institutions = self.lex["institutions"]
        members = _alt(self.lex["institution_members"])
        i = re.search(rf"(?P<subj>\b(?:(?:{members})\s+of\s+the\s+)?(?:Kazakh\s+)?(?P<inst>{_alt(institutions)})\b"
                      rf"(?!['’]s|\s+(?:officials?|agenc(?:y|ies)|bodies|authorities|members|decrees?|resolutions?|"
                      rf"programs?|programmes?|plans?|funds?|budgets?|bonds?|debt|spending|support|buildings?)\b)"
                      rf"(?:[^.;]{{0,120}}?))\s+(?:has\s+|have\s+|had\s+)?(?:also\s+|unanimously\s+|today\s+)?"
                      rf"(?P<verb>{_alt(self.lex['institution_verbs'])})\b", sentence)
        if i and not re.search(r"\b(?:of|by|to|from|for|with)\s+the\s+(?:Kazakh\s+)?$", sentence[:i.start("subj")]) \
                and not re.search(r"\b(?:that|according to|said|says|noted|reported)\b", sentence[:i.start("subj")]) \
                and not self._future(sentence, i.start("verb")) \
                and not re.search(r"\b(?:must|should|is to|are to|to)\s+$", sentence[:i.start("verb")]):
            if any(mk.kind == "vague" for mk in self.markers[index]) and not any(mk.kind == "day" for mk in self.markers[index]):
                return None  # 'the Government approved the roadmap in March 2019': background
            head = re.search(r"\b(?:headed|chaired|led)\s+by\s+(?P<who>[^,;]{2,80})", i.group("subj"))
            chair = self.who(s + i.start("subj") + head.start("who"), s + i.start("subj") + head.end("who")) if head else None
            return _Mention(index, chair, [], institutions[i.group("inst")], 2 if chair is not None else 0,
                            creates=True, weak=True, end=i.end())
        p = re.search(rf"\bpresented\s+(?:[^.;]{{0,80}}?\s)?to\s+the\s+(?P<inst>{_alt(institutions)}|deputies|senators)\b",
                      sentence)
        if p and institutions.get(p.group("inst"), "parliament") == "parliament" and not self._future(sentence, p.start()):
            speaker = self.who(s, s + p.start())
            return _Mention(index, None, [speaker] if speaker is not None else [], "parliament", 0, end=p.end())
        return None

    def _took_place(self, index: int, s: int, sentence: str) -> _Mention | None:
        """'The hearings took place on 4 March 2020', 'the opening ceremony, held by video link, …'."""
        occurs = _alt(self.lex["occurrence_verbs"])
        p = re.search(rf"\b(?P<noun>{self.nouns})\b(?:(?:[^.;]{{0,60}}?\s+(?:{occurs}))|(?:,?\s+held))\b(?!\s+(?:a|an|talks)\b)",
                      sentence, re.IGNORECASE)
        if not p or self._future(sentence, p.start()):
            return None
        chair = self._launcher(index) if self._hosted(p.group("noun")) else None
        guests = self.persons_in(s, s + len(sentence))
        return _Mention(index, chair, [g for g in guests if g != chair], self._noun_kind(sentence, p.group("noun")),
                        1 if chair is not None else 0, end=p.end(), after=25)

    def _at(self, index: int, s: int, sentence: str) -> _Mention | None:
        """'speaking at a plenary session of the X Council, B said', 'during a teleconference,
        President A launched …', 'B said at a briefing', 'A attended the signing of …'."""
        participate = _alt(self.lex["participation_verbs"])
        a = re.search(rf"\b(?P<prep>at|during|in the course of|{participate})\s+(?:(?P<det>a|an|the|this|that|"
                      rf"today['’]s|yesterday['’]s|[A-Z][a-z]+day['’]s)\s+)?(?P<mods>(?:[\w'’.-]+\s+){{0,4}}?)"
                      rf"(?P<noun>{self.nouns})\b", sentence, re.IGNORECASE)
        if not a or self._future(sentence, a.start()):
            return None
        noun = a.group("noun")
        det = (a.group("det") or "").lower()
        mods = a.group("mods").strip()
        anaphoric = det in ("this", "that") or (det == "the" and not mods and noun.lower() in (
            "meeting", "session", "teleconference", "videoconference", "briefing", "event", "talks", "ceremony",
            "broadcast", "discussion", "hearings"))
        kind = self._noun_kind(sentence, noun)
        of_org = re.match(r"\s+of\s+(?:the\s+)?(?!Government\b)[A-Z]", sentence[a.end():])
        persons = self.persons_in(s, s + len(sentence))
        leaders = [p for p in persons if self.is_leader(p)]
        chair = None
        if leaders and ((self._hosted(noun) and not of_org) or (
                kind == "government" and any(q.person == leaders[0] and q.role == "prime-minister" for q in self.x.posts))):
            chair = leaders[0]
        if chair is None and self._hosted(noun) and not of_org:
            titles = re.search(rf"\b(?:the\s+)?(?P<t>{_alt(self.lex['leader_titles'])})\b", sentence)
            chair = self.att.by_title(titles.group("t"), s + titles.start()) if titles else None
            chair = chair if chair is not None else self._launcher(index)
        guests = [p for p in persons if p != chair]
        actor = bool(guests) or chair is not None or bool(re.search(
            rf"\b(?:{_alt(self.lex['report_phrases'])}|said|says|noted|stressed|stated|announced)\b", sentence))
        return _Mention(index, chair, guests, kind, 1 if chair is not None else 0, creates=actor,
                        anaphoric=anaphoric, weak=True, end=a.end(), after=25)

    # Time.

    def _markers(self, index: int) -> list[_Marker]:
        """Time expressions of one sentence: dates and days ('day'), vague past times ('vague')."""
        s, e = self.x.sentences[index]
        sentence = self.text[s:e]
        published, base = self.x.doc.published, self.x.doc.published.year if self.x.doc.published else self.x.doc.about_year
        out: list[_Marker] = []
        taken: list[tuple[int, int]] = []

        def free(start: int, end: int) -> bool:
            return not any(start < b and a < end for a, b in taken)

        def excluded(start: int) -> bool:  # 'the decree of 13 October', 'by 1 July'
            return bool(re.search(r"\b(?:of|dated|since|from|until|till|by|before|through|to|after)\s+(?:the\s+)?$",
                                  sentence[:start], re.IGNORECASE))

        for d in find_dates(sentence):
            taken.append((d.start, d.end))
            if not excluded(d.start):
                out.append(_Marker("day", 0, d.start, d.end, d.date, d.date))
        last_year = bool(re.search(r"\blast\s+year\b", sentence, re.IGNORECASE))
        for regex in (_MONTH_DAY, _DAY_MONTH):
            for m in regex.finditer(sentence):
                if not free(m.start(), m.end()) or excluded(m.start()):
                    continue
                taken.append((m.start(), m.end()))
                month, day = MONTHS[m.group("mon").lower()], int(m.group("d"))
                date = None
                weekday = re.search(rf"\b({'|'.join(w.capitalize() for w in _WEEKDAYS)})\W{{1,3}}$",
                                    sentence[:m.start()])
                if base:
                    try:
                        date = dt.date(base - (1 if last_year else 0), month, day)
                        if published and date > published:
                            date = date.replace(year=date.year - 1)
                        elif not published and weekday:  # 'On Tuesday, February 12' fixes the year
                            wd = _WEEKDAYS.index(weekday.group(1).lower())
                            years = [y for y in range(base - 3, base + 2) if dt.date(y, month, day).weekday() == wd]
                            if years:
                                date = date.replace(year=min(years, key=lambda y: (abs(y - base), -y)))
                    except ValueError:
                        date = None
                out.append(_Marker("day", 1, m.start(), m.end(), date, date or ("md", month, day)))
        for m in re.finditer(rf"\b(?P<w>{'|'.join(w.capitalize() for w in _WEEKDAYS)})(?:['’]s)?\b", sentence):
            if not free(m.start(), m.end()) or re.search(r"\b(?:next|coming|every)\s+$", sentence[:m.start()], re.I):
                continue
            wd = _WEEKDAYS.index(m.group("w").lower())
            if published:
                date = published - dt.timedelta(days=(published.weekday() - wd) % 7)
                out.append(_Marker("day", 2, m.start(), m.end(), date, date))
            elif self._last_day is not None:  # no page date: the week of the last day stated
                date = self._last_day + dt.timedelta(days=wd - self._last_day.weekday())
                out.append(_Marker("day", 2, m.start(), m.end(), date, date))
        relative = [(r"\byesterday\b", -1), (r"\b(?:today|this morning|this afternoon|this evening|tonight)\b", 0)]
        for pattern, shift in relative:
            for m in re.finditer(pattern, sentence, re.IGNORECASE):
                date = published + dt.timedelta(days=shift) if published else None
                out.append(_Marker("day", 3 if shift else 4, m.start(), m.end(), date, date or ("page", shift)))
        for pattern, shift in ((r"\b(?:the next day|the following day|a day later|the day after|next morning)\b", 1),
                               (r"\b(?:the day before|a day earlier|the previous day|on the eve)\b", -1)):
            for m in re.finditer(pattern, sentence, re.IGNORECASE):
                if self._last_day is not None:
                    date = self._last_day + dt.timedelta(days=shift)
                    out.append(_Marker("day", 3, m.start(), m.end(), date, date))
        for m in _VAGUE.finditer(sentence):
            year = re.search(r"(?:19|20)\d\d", m.group(0))
            if year and m.group(0)[:2].lower() == "in" and base and int(year.group(0)) == base:
                continue  # 'in 2024' in a 2024 article: this year, not a past time
            out.append(_Marker("vague", 5, m.start(), m.end(), None, ("vague", index, m.start())))
        return sorted(out, key=lambda k: k.start)

    def _time(self, index: int, upto: int) -> _Marker:
        """When the meeting a sentence states takes place: its own day (the most precise one), a
        vague past before the trigger, or the day an earlier sentence of the paragraph states."""
        own = self.markers[index]
        days = [m for m in own if m.kind == "day"]
        if days:
            return min(days, key=lambda m: (m.rank, m.start))
        vague = [m for m in own if m.kind == "vague" and m.start <= upto]
        if vague:
            return vague[0]
        j = index - 1
        while j >= 0 and self._same_paragraph(j, index):
            days = [m for m in self.markers[j] if m.kind == "day" and m.rank < 4]
            if days:
                return min(days, key=lambda m: (m.rank, m.start))
            j -= 1
        return _Marker("none", 9, 0, 0, None, None)

    def _same_paragraph(self, i: int, j: int) -> bool:
        return "\n" not in self.text[self.x.sentences[i][1]:self.x.sentences[j][0]]

    def _paragraph(self, i: int) -> int:
        return sum(1 for k in range(1, i + 1) if not self._same_paragraph(k - 1, k))

    # Grouping.

    def meetings(self) -> list[Meeting]:
        lex = self.lex
        self.nouns = _alt(lex["meeting_nouns"])
        self.noun_re = re.compile(rf"\b(?:{self.nouns})\b", re.IGNORECASE)
        self.chair_re = re.compile(rf"(?i:{_alt(lex['chair_phrases'])})\s+(?P<who>[^;:“”\"]{{2,140}}?)"
                                   rf"(?=,|\.|;| (?:the|has|have|was|were|considered|reviewed|discussed|on)\b|$)")
        self.hold_re = re.compile(rf"\b(?:{_alt(lex['holding_verbs'])})\s+(?:a|an|the)?\s*"
                                  rf"(?:(?!(?:by|in|on|at|for|with|to|from|during|after)\s)[\w-]+\s+){{0,3}}?"
                                  rf"(?P<noun>{self.nouns})\b", re.IGNORECASE)
        self.trip_re = re.compile(rf"\b(?:{_alt(lex['trip_verbs'])})\s+(?:a|an|his|her)\s+(?:[\w-]+\s+)?"
                                  rf"(?P<noun>working\s+(?:trip|visit))\b")
        self.bilateral_re = re.compile(rf"\b(?P<verb>{_alt(lex['bilateral_verbs'])})\s+(?P<obj>[^.;]{{2,200}})")
        self.markers, self._last_day = [], None
        for index in range(len(self.x.sentences)):
            found = self._markers(index)
            self.markers.append(found)
            days = [m.date for m in found if m.kind == "day" and m.date is not None and m.rank < 4]
            if days:
                self._last_day = days[-1]
        mentions = []
        for index in range(len(self.x.sentences)):
            m = self._mention(index)
            if m is not None:
                m.time = self._time(index, m.end + m.after)
                mentions.append(m)
        groups = self._group(mentions)
        meetings = [self._meeting(group) for group in groups]
        firsts = [min(g.indexes) for g in groups]
        self.sentence_meeting = []
        for index in range(len(self.x.sentences)):
            owners = [k for k, first in enumerate(firsts) if first <= index]
            self.sentence_meeting.append(owners[-1] if owners else (0 if meetings else None))
        pairs = self.speaker_pairs()
        named_programs = [e for e in self.x.entities if e.kind == "program" and any(
            self.x.mentions[m].form in ("name", "alias") for m in e.mentions)]
        for k, meeting in enumerate(meetings):
            said = [p for index, p in pairs if self.sentence_meeting[index] == k]
            meeting.speakers = [p for p in dict.fromkeys(meeting.speakers + said) if p != meeting.chair]
            if len(meetings) == 1:
                meeting.programs = [e.id for e in named_programs]
                if re.search(_alt(self.lex["government_cues"]), self.text, re.IGNORECASE) and \
                        meeting.kind in ("meeting", "presidential"):
                    meeting.kind = "government"
            else:
                meeting.programs = [e.id for e in named_programs if any(
                    self.sentence_meeting[self.x.mentions[m].span.sentence] == k for m in e.mentions
                    if self.x.mentions[m].form in ("name", "alias"))]
        return meetings

    def _compatible(self, group: _Group, m: _Mention) -> bool:
        families = self.lex["kind_families"]
        fa, fb = families.get(group.kind), families.get(m.kind)
        return (group.chair is None or m.chair is None or group.chair == m.chair) and (fa is None or fb is None or fa == fb)

    def _group(self, mentions: list[_Mention]) -> list[_Group]:
        published = self.x.doc.published
        page_key = published if published else ("page", 0)
        groups: list[_Group] = []

        def key_of(m: _Mention):
            if m.time.kind == "none":
                return None
            return m.time.key

        pending = []
        for m in mentions:  # mentions that say when: grouped by that time
            key = key_of(m)
            if key is None or m.anaphoric and m.time.kind != "day":
                pending.append(m)
                continue
            target = next((g for g in groups if g.key == key and self._compatible(g, m)), None)
            if target is not None:
                target.add(m)
            elif m.creates:
                groups.append(_Group(key, m.time.date if m.time.kind == "day" else None))
                groups[-1].add(m)
            else:
                pending.append(m)
        for m in sorted(pending, key=lambda m: m.index):  # the others join a meeting they fit
            fitting = [g for g in groups if self._compatible(g, m)]
            target = None
            if m.anaphoric:
                before = [g for g in groups if min(g.indexes) < m.index]
                if before:
                    latest = max(before, key=lambda g: max(i for i in g.indexes if i < m.index))
                    target = latest if latest in fitting else None
            if target is None:
                paragraph = self._paragraph(m.index)
                same = [g for g in fitting if any(self._paragraph(i) == paragraph for i in g.indexes)]
                page = [g for g in fitting if g.key == page_key]
                if same:
                    target = min(same, key=lambda g: min(abs(i - m.index) for i in g.indexes))
                elif page:
                    target = page[0]
                elif m.chair is not None and (same_chair := [
                        g for g in fitting if g.chair == m.chair and (not isinstance(g.key, tuple) or g.key[0] != "vague")]):
                    # 'A chaired a session on …' (headline), 'A chaired a session … on 12 February'
                    target = min(same_chair, key=lambda g: min(abs(i - m.index) for i in g.indexes))
                elif m.weak or m.anaphoric or m.strength < 2:
                    current = [g for g in fitting if not isinstance(g.key, tuple) or g.key[0] != "vague"]
                    preceding = [g for g in current if min(g.indexes) < m.index]
                    following = [g for g in current if m.chair is None or m.chair == g.chair]
                    if preceding:
                        target = max(preceding, key=lambda g: max(i for i in g.indexes if i < m.index))
                    elif following:  # a lead sentence that sums up the meeting reported below
                        target = min(following, key=lambda g: min(g.indexes))
            if target is not None:
                target.add(m)
            elif m.creates or (not groups and m.chair is not None):
                groups.append(_Group(page_key, published))
                groups[-1].add(m)
        return sorted(groups, key=lambda g: min(g.indexes))

    def speaker_pairs(self) -> list[tuple[int, int]]:
        """(sentence, person) for people who report or speak: subjects of report phrases, quoted and
        attributed speakers."""
        out: list[tuple[int, int]] = []
        reports = re.compile(rf"\b(?:{_alt(self.lex['report_phrases'])})\b")
        for index, (s, e) in enumerate(self.x.sentences):
            if m := reports.search(self.text[s:e]):
                persons = self.persons_in(s, s + m.start())
                if not persons and (who := self.who(s, s + m.start())) is not None:
                    persons = [who]
                out += [(index, p) for p in persons]
        starts = [s for s, _ in self.x.sentences]
        for q in self.att.quotes:
            if q.speaker is not None:
                out.append((max(0, sum(1 for s in starts if s <= q.start) - 1), q.speaker))
        for index, (s, _e) in enumerate(self.x.sentences):
            who = self.att.speaker_of(s + 1) if self.att.quote_at(s) is None else None
            if who is not None:
                out.append((index, who))
        return out

    def _meeting(self, group: _Group) -> Meeting:
        best = max(group.mentions, key=lambda m: (m.strength, -m.index))
        s, e = self.x.sentences[best.index]
        kind = group.kind
        families = self.lex["kind_families"]
        if families.get(kind) not in ("government", "bilateral") and any(
                re.search(_alt(self.lex["government_cues"]), self.text[slice(*self.x.sentences[m.index])], re.I)
                for m in group.mentions):
            kind = "government"
        if kind not in ("government", "bilateral") and families.get(kind) is None and group.chair is not None \
                and any(p.person == group.chair and p.role == "president" for p in self.x.posts):
            kind = "presidential"
        guests = [g for m in group.mentions for g in m.guests]
        return Meeting(kind=kind, date=group.date, chair=group.chair, speakers=list(dict.fromkeys(guests)),
                       programs=[], span=Span(s, e, self.text[s:e], best.index))

    # --- instructions ----------------------------------------------------------------------

    def instructions(self, meetings: list[Meeting]) -> list[Instruction]:
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
                    owner = self.sentence_meeting[index] if index < len(self.sentence_meeting) else None
                    issuer = meetings[owner].chair if owner is not None and owner < len(meetings) else None
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
    meetings = reader.meetings()
    x.meetings.extend(meetings)
    x.instructions.extend(reader.instructions(meetings))
