"""Investment projects: named plants, modernizations and expansions, with investment, jobs, status.

Shapes (examples invented):
* a project with its figures: 'the construction of the X ferroalloy plant (35 billion tenge, 400
  jobs)', 'the X mining and processing combine worth KZT134bn', '…, which will cost up to …';
* lists: 'such projects as A, B and C', 'Among them are A and B', '… projects …, including A, B',
  'Among the most significant of them is A', 'Another one is B', a cue ending in ':' followed by
  one facility a line; 'X production in A region and Y in B region' gives 'Y production in B region';
* what is done to a facility: 'the road from A to B has been reconstructed' (Reconstruction of …),
  'a terminal was launched in X', 'the fund put a 50 MW solar station into operation', 'work is
  under way to restore the airport of X', 'gave a start to production of cars at the X plant',
  'a tyre factory will appear in X', 'the progress of reconstruction of the A-B highway';
* named after a count: 'two new railways, A-B and C-D'; coordinated names share the head: 'the
  A-B and C-D highways' are two highways.
Only candidates that name something (a proper name, a place, a capacity) and have a facility
head are kept; generic product lines ('polyethylene pipes') and counts ('two plants', '78
facilities') are not projects.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources as importlib_resources
from typing import TYPE_CHECKING

from .model import Extraction, Project, Span

if TYPE_CHECKING:
    from . import Resources


@lru_cache(maxsize=1)
def events_lexicon() -> dict:
    return json.loads(importlib_resources.files("graph.patterns").joinpath("events.json").read_text("utf-8"))


_ITEM_SPLIT = re.compile(r",\s+(?:and\s+)?|\s+and\s+(?=(?:the|a|an|of)\s)|;\s*|\s+as well as\s+")
_LEADING = re.compile(r"^(?:(?:the|a|an|new|also|as well as|and)\s+)+", re.IGNORECASE)
# an item that is a clause, not a name: 'X grew 3.8 times after a plant …', 'A said the farms …'
_CLAUSE = re.compile(r"\b(?:is|are|was|were|has|have|had|said|says|grew|will|would)\b|\.\s|:")


# What opens a list of projects: the items follow it to the end of the sentence.
_LIST_CUE = re.compile(
    r"(?:\bsuch (?:projects|facilities|productions) as"
    r"|[Aa]mong (?:the|them)\s+(?:\w+\s+){0,4}?(?:projects|facilities)(?:\s+\w+){0,6}?\s+(?:are|were)"
    r"|[Aa]mong them"
    r"|[Aa]mong the (?:most|largest|biggest|key|main)\s+(?:[\w-]+\s+){0,3}?(?:is|are|were|was)"  # … of them is
    r"|[Aa]mong (?:the|them|other)\s+(?:\w+\s+){0,3}?(?:projects|facilities),?\s+there (?:is|are|was|were)"
    r"|^\W*Another (?:one|project|facility|plant)\s+(?:is|was)"
    r"|^\W*One of the (?:largest|biggest|major|key|main|most \w+) (?:projects|facilities|plants|enterprises) (?:is|was)"
    r"|\bprojects\b(?:[^.;:]|\.(?=\d)){0,80}?,?\s+(?:including|includ(?:e|es|ed):?|such as))"  # … projects …, including
    r"\s+(?P<items>.+)$")


@lru_cache(maxsize=1)
def _status_patterns() -> list[tuple[re.Pattern[str], str]]:
    """The status phrases of the lexicon, longest first, compiled once."""
    statuses = events_lexicon()["project_status"]
    return [(re.compile(rf"\b{re.escape(p)}\b", re.IGNORECASE), statuses[p])
            for p in sorted(statuses, key=len, reverse=True)]


def _status_in(text: str) -> str | None:
    return next((status for pattern, status in _status_patterns() if pattern.search(text)), None)


@lru_cache(maxsize=1)
def _facility_heads_re() -> re.Pattern[str]:
    """Heads of what the project readers take for a facility (not 'zone': a zone hosts projects)."""
    heads = [h for h in events_lexicon()["facility_heads"] if h not in ("zone", "project")]
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, sorted(heads, key=len, reverse=True)))})\b", re.I)


def _name(raw: str) -> str:
    name = _LEADING.sub("", raw.strip(" ,.;:"))
    name = re.sub(r"\s+", " ", name)
    return name[:1].upper() + name[1:]


def _content(name: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", name.lower()) if len(w) > 2 and w not in _STOP}


_STOP = {"the", "and", "for", "with", "from", "new", "its", "their", "this", "that"}


def _work_of(noun: str, np: str) -> str:
    """'Restoration' + 'The airport of X' -> 'Restoration of the airport of X'."""
    np = re.sub(r"^(The|A|An)\b", lambda m: m.group(1).lower(), np.strip())
    return f"{noun[:1].upper()}{noun[1:]} of {np}"


@lru_cache(maxsize=1)
def _count_re() -> re.Pattern[str]:
    units = "|".join(map(re.escape, events_lexicon()["capacity_units"]))
    return re.compile(rf"(?:(?:the|a|an)\s+)?(?:\d(?![\d.,]*\s*(?:{units})\b)|(?:one|two|three|four|five|six|seven|eight|"
                      rf"nine|ten|eleven|twelve|dozens?|hundreds?|several|many|some|all|most|more|other|these|those|"
                      rf"such|its|their|this|that|our|his|her)\b)", re.I)


def _is_count(np: str) -> bool:
    """'78 facilities', 'two plants', 'these projects' (but '50 MW solar power station' is a name)."""
    return bool(_count_re().match(np.strip()))


def _is_named(text: str) -> bool:
    """Names something particular: a capitalised word that is not a sentence opener."""
    return bool(re.search(r"(?<!^)\b[A-Z][\w-]+", text.strip()))


class ProjectReader:
    def __init__(self, x: Extraction, text: str) -> None:
        self.x, self.text = x, text
        self.lex = events_lexicon()
        self.entity_of_mention = {m: e.id for e in x.entities for m in e.mentions}

    def place_in(self, start: int, end: int) -> int | None:
        places = [m for m in self.x.mentions if m.kind == "place" and start <= m.span.start and m.span.end <= end]
        return self.entity_of_mention.get(places[-1].id) if places else None

    def program_of(self, s_start: int, s_end: int) -> int | None:
        for m in self.x.mentions:
            if m.kind == "program" and s_start <= m.span.start < s_end:
                return self.entity_of_mention.get(m.id)
        maps = [e for e in self.x.entities if e.kind == "program" and e.subkind == "project_map" and e.mentions]
        return maps[0].id if len(maps) == 1 else None

    def parenthetical(self) -> None:
        """'the expansion of processing capacities of the Karatas GOK (120 billion tenge, 637 jobs)'."""
        for index, (s_start, s_end) in enumerate(self.x.sentences):
            sentence = self.text[s_start:s_end]
            previous_end = 0
            for m in re.finditer(r"\(([^()]{3,120})\)", sentence):
                inside_start, inside_end = s_start + m.start(1), s_start + m.end(1)
                figures = [o for o in self.x.observations if inside_start <= o.span.start < inside_end]
                money = [o for o in figures if o.unit in ("KZT", "USD", "EUR", "RUB")]
                jobs = [o for o in figures if o.unit == "count" and o.counted == "jobs"]
                if not money and not jobs:
                    previous_end = m.end()
                    continue
                head = sentence[previous_end:m.start()]
                head = re.split(r"\b(?:are|is|include|includes|including|were|such as)\s+|:\s*", head)[-1]
                head = re.sub(r"^[\s,;)]*(?:and\s+)?", "", head)
                name_start = s_start + m.start() - len(head.rstrip())
                name = _name(head)
                previous_end = m.end()
                if len(name.split()) < 2 or re.search(r"\d", name):
                    continue  # '78 facilities worth … (US$3.14 billion)': a conversion, not a project
                status = _status_in(m.group(1))
                for o in figures:
                    o.in_project_list = True
                    o.project = len(self.x.projects)
                investment = money[0].value if money and money[0].unit == "KZT" else None
                self.x.projects.append(Project(
                    name=name, place=self.place_in(name_start, s_start + m.start()),
                    investment=investment, jobs=int(jobs[0].value) if jobs else None, status=status,
                    program=self.program_of(s_start, s_end),
                    span=Span(name_start, s_start + m.end(), self.text[name_start:s_start + m.end()], index)))

    def lists(self) -> None:
        """'such projects as A, B and C have been introduced'; 'Among the projects launched … are A, B'."""
        heads = "|".join(map(re.escape, self.lex["facility_heads"]))
        for index, (s_start, s_end) in enumerate(self.x.sentences):
            sentence = self.text[s_start:s_end]
            m = _LIST_CUE.search(sentence)
            if not m:
                continue
            items_text = re.sub(r"^(?:(?:is|are|were|was|include|includes)\s+)", "", m.group("items"))
            lead = len(m.group("items")) - len(items_text)
            tail = re.search(r"\s*,?\s*(?:etc\.?\s*)?(?:(?:have|has|had|were|was|are|is)\s+(?:been\s+)?(?:also\s+)?"
                             r"(?P<verb>\w+)|(?P<participle>launched|commissioned|opened|introduced|built|put into operation))\b.*$",
                             items_text)
            status = _status_in(tail.group(0)) if tail else _status_in(sentence[:m.start("items")])
            if tail:
                items_text = items_text[:tail.start()]
            offset = s_start + m.start("items") + lead
            pos = 0
            added: list[Project] = []
            parts: list[tuple[str, int, str]] = []  # (text, offset in items_text, name text)
            for part in _ITEM_SPLIT.split(items_text):
                at = items_text.index(part, pos)
                pos = at + len(part)
                halves = re.split(r"\s+and\s+", part)
                located = r"\s+in\s+(?:the\s+)?[A-Z]"
                if len(halves) == 2:
                    second = at + part.index(halves[1], len(halves[0]))
                    left = re.search(rf"\b(?P<head>{heads})(?={located})", halves[0], re.I)
                    right = re.search(located, halves[1])
                    if left and right and not re.search(rf"\b(?:{heads})\b", halves[1], re.I):
                        # 'X production in A region and Y in B region': Y takes the head of X
                        elided = f"{halves[1][:right.start()]} {left.group('head')}{halves[1][right.start():]}"
                        parts += [(halves[0], at, halves[0]), (halves[1], second, elided)]
                        continue
                    if all(re.search(rf"\b(?:{heads})\b", h, re.I) and _is_named(" " + h) for h in halves):
                        # 'ammonium sulfate production in X and liquid nitrogen production in Y': two items
                        parts += [(halves[0], at, halves[0]), (halves[1], second, halves[1])]
                        continue
                parts.append((part, at, part))
            for part, at, named in parts:
                if re.match(r"\s*(?:which|that|who|where|whose|while)\b", part):
                    break  # a relative clause ends the list
                start = offset + at + (len(part) - len(part.lstrip()))
                cleaned = re.sub(r",?\s*etc\.?$", "", part).strip(" .")
                named = re.sub(r",?\s*etc\.?$", "", named).strip(" .")
                if cleaned and not re.search(rf"\b(?:{heads})\b", named, re.I) and (own := _status_in(cleaned)) \
                        and added and self.x.projects and self.x.projects[-1] is added[-1]:
                    added[-1].status = own  # 'the X plant, ready for launch, …'
                    continue
                if not named or not _is_named(named) or not re.search(rf"\b(?:{heads})\b", named, re.I) \
                        or _CLAUSE.search(named) or _is_count(named):
                    continue
                count = len(self.x.projects)
                self._add(_name(named), start, start + len(cleaned), index, status, "list")
                if len(self.x.projects) > count:
                    added.append(self.x.projects[-1])


    def launches(self) -> None:
        """'took part in the launch of the new ferroalloy plant of TNC Kazchrome JSC'."""
        heads = "|".join(map(re.escape, self.lex["facility_heads"]))
        for index, (s_start, s_end) in enumerate(self.x.sentences):
            sentence = self.text[s_start:s_end]
            for m in re.finditer(rf"\b(?P<verb>launch|opening|commissioning|start-up|inauguration)\s+of\s+"
                                 rf"(?P<np>(?:the\s+|a\s+|an\s+)?(?:new\s+)?[\w-]+(?:\s+[\w-]+){{0,4}}?\s+(?:{heads})"
                                 rf"(?:\s+(?:of|in)\s+(?:[A-Z][\w-]*\s?){{1,4}}(?:JSC|LLP)?)?)", sentence):
                np = m.group("np").strip()
                if not _is_named(np) or re.search(r"\d", np):
                    continue
                name = _name(np)
                start = s_start + m.start("np")
                if any(p.span.start <= start < p.span.end or p.name == name for p in self.x.projects):
                    continue
                status = {"launch": "launched", "opening": "launched", "commissioning": "commissioned",
                          "start-up": "launched", "inauguration": "launched"}[m.group("verb")]
                before = [pl for pl in self.x.mentions if pl.kind == "place" and s_start <= pl.span.start < start]
                place = self.place_in(start, s_start + m.end()) or (
                    self.entity_of_mention.get(before[-1].id) if before else None)
                self.x.projects.append(Project(
                    name=name, place=place, investment=None, jobs=None, status=status,
                    program=self.program_of(s_start, s_end),
                    span=Span(start, s_start + m.end(), self.text[start:s_start + m.end()], index)))


    def announced(self) -> None:
        """'The start of reconstruction of the A highway, the construction of B and a factory in C
        were also announced': a list of named facilities that the sentence says were launched."""
        heads = "|".join(map(re.escape, self.lex["facility_heads"]))
        verbs = r"announced|launched|commissioned|opened|introduced|started|put into operation|inaugurated"
        for index, (s_start, s_end) in enumerate(self.x.sentences):
            sentence = self.text[s_start:s_end]
            m = re.search(rf",?\s+(?:have|has|were|was|are|is)\s+(?:also\s+)?(?:been\s+)?(?P<verb>{verbs})\b[^,;]*\.?$",
                          sentence)
            if not m or len(re.findall(rf"\b(?:{heads})\b", sentence[:m.start()], re.I)) < 2:
                continue
            lead = _status_in(sentence[:40])
            status = lead or _status_in(m.group("verb"))
            items_text = sentence[:m.start()]
            items_text = re.sub(r"^(?:The\s+)?(?:start|launch|beginning)\s+of\s+", "", items_text)
            offset = s_start + (len(sentence[:m.start()]) - len(items_text))
            pos = 0
            for part in _ITEM_SPLIT.split(items_text):
                at = items_text.index(part, pos)
                pos = at + len(part)
                cleaned = re.sub(r"^(?:of\s+)", "", part).strip(" .")
                start = offset + at + (len(part) - len(part.lstrip())) + (len(part.strip()) - len(cleaned.lstrip()) if cleaned else 0)
                if not cleaned or not _is_named(cleaned) or not re.search(rf"\b(?:{heads})\b", cleaned, re.I) \
                        or _CLAUSE.search(cleaned):
                    continue
                name = _name(cleaned)
                if any(p.name == name or p.span.start <= start < p.span.end for p in self.x.projects):
                    continue
                self.x.projects.append(Project(
                    name=name, place=self.place_in(start, start + len(cleaned)), investment=None, jobs=None,
                    status=status, program=self.program_of(s_start, s_end),
                    span=Span(start, start + len(cleaned), self.text[start:start + len(cleaned)], index)))


    def _status_of_sentence(self, sentence: str) -> str | None:
        return _status_in(sentence)

    def _main_region(self) -> int | None:
        best = [(len(e.mentions), e.id) for e in self.x.entities
                if e.kind == "place" and e.subkind == "region" and e.mentions]
        return max(best)[1] if best else None

    def with_investment(self) -> None:
        """'the Bakyrchik mining and processing combine worth KZT134bn', 'a ferroalloy plant of
        the X company with investments of 41 billion tenge and more than 2,300 jobs'."""
        heads = "|".join(map(re.escape, self.lex["facility_heads"]))
        link = (r"(?P<comma>,\s*)?(?:with|worth|costing|valued at|estimated at|totall?ing|amounting to|to the tune of|for|of|"
                r"(?:which|that)\s+(?:will\s+|would\s+)?costs?|will\s+cost|to\s+cost)\s+(?:(?:total\s+)?investments?\s+"
                r"(?:of\s+)?|a total (?:cost|investment) of\s+|an investment of\s+)?(?:about\s+|over\s+|more than\s+|"
                r"some\s+|nearly\s+|up to\s+|around\s+|almost\s+)?$")
        # the facility is the phrase after the last boundary: a comma, a verb, 'and' before a new phrase
        boundary = re.compile(r".*(?:[,;:(“\"]|\bnamed\b|\bincluding\b|\binclude[sd]?\b|\bsuch as\b|"
                              r"\band\b(?=\s+(?:the|a|an|to|of)\s)|\bare\b|\bis\b|\bwas\b|\bwere\b|\bmentioned\b|"
                              r"\bbuild\b|\blaunch\b|\bby\b)\s*", re.S)
        money = [o for o in self.x.observations if o.unit in ("KZT", "USD", "EUR") and not o.in_project_list]
        for o in money:
            index = o.span.sentence
            s_start, s_end = self.x.sentences[index]
            left = self.text[s_start:o.span.start]
            m = re.search(link, left)
            if not m:
                continue
            head = left[:m.start()].rstrip()
            if m.group("comma"):  # 'a complex of the X company in railway engineering, valued at …'
                head = re.sub(r"\s+in\s+(?:[a-z][\w-]*\s*){1,3}$", "", head)
            cut = boundary.match(head)
            np_start = cut.end() if cut else 0
            np = head[np_start:].strip()
            if not np or not re.search(rf"\b(?:{heads})\b", np, re.I) or len(np.split()) > 18 or re.search(r"\d", np) \
                    or _CLAUSE.search(np) or _is_count(np) or re.match(r"(?:the|this|that|a)\s+project\b", np, re.I):
                continue
            if re.fullmatch(r"(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+)?(?:projects?|facilities|zone)", np, re.I):
                continue  # '50 investment projects worth …' is a figure, not a named project
            start = s_start + np_start + (len(head[np_start:]) - len(head[np_start:].lstrip()))
            name = _name(np)
            if any(p.span.start <= start < p.span.end or p.name == name for p in self.x.projects):
                continue
            o.in_project_list = True
            o.project = len(self.x.projects)
            jobs = None
            tail = self.text[o.span.end:s_end]
            for j in self.x.observations:
                if j.counted == "jobs" and o.span.end <= j.span.start < s_end and not re.search(r"[;.]", tail[:j.span.start - o.span.end]):
                    if re.match(r"^\s*(?:\([^)]*\)\s*)?(?:,\s*)?(?:and|with)\s+(?:(?:give|gives|create|creates|provide|"
                                r"provides|employ|employs)\s+)?(?:more than\s+|over\s+|about\s+|up to\s+)?$",
                                self.text[o.span.end:j.span.start]):
                        j.in_project_list, j.project, jobs = True, o.project, int(j.value)
            for usd in self.x.observations:  # a conversion in brackets belongs to the same figure
                if usd.unit == "USD" and o.span.end <= usd.span.start <= o.span.end + 4:
                    usd.in_project_list, usd.project = True, o.project
            place = self.place_in(start, s_start + m.start()) or self._main_region()
            self.x.projects.append(Project(
                name=name, place=place, investment=o.value if o.unit == "KZT" else None, jobs=jobs,
                status=self._status_of_sentence(self.text[s_start:s_end]),
                program=self.program_of(s_start, s_end),
                span=Span(start, o.span.end, self.text[start:o.span.end], index)))

    def works(self) -> None:
        """'The reconstruction of the runway of the airport in Usharal has been completed'."""
        heads = "|".join(map(re.escape, self.lex["facility_heads"] + ["runway", "road", "networks", "units"]))
        actions = "|".join(map(re.escape, self.lex["action_nouns"]))
        for index, (s_start, s_end) in enumerate(self.x.sentences):
            sentence = self.text[s_start:s_end]
            m = re.search(rf"(?:^|[“\"]|\.\s)\s*(?P<np>(?:The|the)\s+(?:{actions})\s+of\s+[^,;:]{{5,140}}?)\s+"
                          rf"(?P<verb>(?:has|have|had|will|is|are|was|were)\s+(?:been\s+|be\s+)?(?:completed|finished|"
                          rf"commissioned|launched|started|built|carried out|implemented|under way|being built))\b", sentence)
            if not m or not re.search(rf"\b(?:{heads})\b", m.group("np"), re.I):
                continue
            start = s_start + m.start("np")
            name = _name(m.group("np"))
            if any(p.span.start <= start < p.span.end or p.name == name for p in self.x.projects):
                continue
            verb = m.group("verb")
            status = "planned" if verb.startswith("will") else _status_in(verb) or "completed"
            self.x.projects.append(Project(
                name=name, place=self.place_in(start, s_start + m.end("np")) or self._main_region(),
                investment=None, jobs=None, status=status, program=self.program_of(s_start, s_end),
                span=Span(start, s_start + m.end("np"), self.text[start:s_start + m.end("np")], index)))

    # --- facilities stated with what is done to them ----------------------------------------
    #
    # 'The road from A to B has been reconstructed', 'a terminal was launched in X', 'the fund put a
    # 50 MW solar power station into operation', 'work is under way to restore the airport of X',
    # 'construction of two new railways, A-B and C-D', 'the A and B highways'. A candidate is kept
    # when it has a facility head ('plant', 'railway', 'airport' …), names something particular (a
    # proper name or a place) and is not a count ('two plants', '78 facilities').

    def _verbs(self) -> list[list]:
        return self.lex["project_verbs"]

    def _heads_re(self) -> re.Pattern[str]:
        return _facility_heads_re()

    def _acceptable(self, np: str, start: int, end: int) -> bool:
        """A facility head, something particular named, not a count, not a clause."""
        stripped = np.strip()
        if not stripped or len(stripped.split()) > 18 or not self._heads_re().search(stripped):
            return False
        if _is_count(stripped):
            return False
        if re.search(r"\b(?:is|are|was|were|has|have|had|will|would|said|says|which|who|whose|it|they)\b", stripped):
            return False
        if re.search(r"\b(?:tenge|KZT|USD|dollars?|euros?|percent|billion|million|trillion|bln|mln|trln)\b|[$€%]",
                     stripped, re.I):
            return False
        places = any(m.kind == "place" and start <= m.span.start and m.span.end <= end for m in self.x.mentions)
        return places or _is_named(stripped) or bool(re.match(r"(?:the|a|an)\s+[A-Z]", stripped))

    def _tail(self, after: str) -> str:
        """'in Xi'an', 'at the Karachaganak field', 'for the Almaty energy complex' after a verb."""
        when = (r"(?:19|20)\d\d|the (?:first|second|third|end|beginning|middle)|time|early|late|mid|spring|summer|autumn|"
                r"fall|winter|(?:January|February|March|April|May|June|July|August|September|October|November|December)\b")
        m = re.match(rf"\s+(?:in|at|for|on)\s+(?!{when})[^,;.:()]{{2,80}}?(?=\s*(?:[,;.:()]|$)|\s+(?:and|by|with|until|"
                     rf"before|next|this|last|from|in\s+(?:{when}))\b)", after)
        if not m or not re.search(r"[A-Z]", m.group(0)) or re.fullmatch(r"\s+in\s+(?:the\s+)?(?:Republic of\s+)?"
                                                                       r"Kazakhstan", m.group(0)):
            return ""
        return m.group(0)

    def _add(self, name: str, start: int, end: int, index: int, status: str | None, source: str = "") -> None:
        name = re.sub(r"\s+", " ", name).strip(" ,.;:-–—")
        if not name:
            return
        name = name[:1].upper() + name[1:]
        words = _content(name)
        for p in self.x.projects:
            if p.span.start < end and start < p.span.end:
                return
            other = _content(p.name)
            if p.name.lower() == name.lower() or (words and other and (words <= other or other <= words)
                                                  and len(words & other) >= 3):
                return
        s_start, s_end = self.x.sentences[index]
        self.x.projects.append(Project(
            name=name, place=self.place_in(start, end), investment=None, jobs=None, status=status,
            program=self.program_of(s_start, s_end), span=Span(start, end, self.text[start:end], index)))

    def _clause_start(self, sentence: str, pos: int) -> int:
        """Where the clause that ends at `pos` begins."""
        cut = 0
        for m in re.finditer(r"[,;:]\s*(?:and\s+|while\s+|whereas\s+)?|\s+(?:and|while|whereas|but)\s+(?=(?:the|a|an)\s)|"
                             r"\b(?:that|where|once|when|after)\s+|\bas\s+(?=(?:the|a|an)\s)", sentence[:pos]):
            cut = m.end()
        intro = re.match(r"(?:(?:In|By|Since|Over|During|Last|This|Earlier|Later)\s+(?:[\w-]+\s+){0,3}?(?:(?:19|20)\d\d|year|"
                         r"month|week)|Also|Besides|In addition|Meanwhile|Moreover)\s*,?\s+", sentence[cut:pos])
        return cut + (intro.end() if intro else 0)

    def passives(self) -> None:
        """'the road from A to B has been reconstructed', 'a terminal was launched in X', 'the second
        tracks on the A - B section were to be completed', 'a tyre factory will appear in X'."""
        verbs = self._verbs()
        past = {v[1]: v for v in verbs}
        into = "|".join(map(re.escape, self.lex["project_into_operation"]))
        aux = (r"(?P<aux>(?:has|have|had)\s+(?:also\s+|already\s+)?been|(?:was|were|is|are)(?:\s+(?:also|already|now))?"
               r"(?:\s+(?:(?:to|due to|expected to|planned to|scheduled to|set to|going to)\s+be|being))?|"
               r"(?:will|would|shall|should|must|can)\s+(?:also\s+|soon\s+)?be)")
        regex = re.compile(rf"\s+{aux}\s+(?:fully\s+|successfully\s+|completely\s+|finally\s+)?(?P<verb>"
                           rf"{'|'.join(map(re.escape, sorted(past, key=len, reverse=True)))}|put\s+(?:{into}))\b")
        appear = re.compile(rf"\s+(?P<aux>will|(?:is|are)\s+to|(?:is|are)\s+(?:preparing|getting ready|going)\s+to|"
                            rf"(?P<now>(?:is|are)(?:\s+(?:now|currently|still|already))?))\s+"
                            rf"(?P<verb>(?(now)under\s+construction|(?:appear|open|start operating|be located|be put into operation|"
                            rf"(?!be\b)[a-z]+)))\b")
        for index, (s_start, s_end) in enumerate(self.x.sentences):
            sentence = self.text[s_start:s_end]
            for m in list(regex.finditer(sentence)) + list(appear.finditer(sentence)):
                start = self._clause_start(sentence, m.start())
                raw = sentence[start:m.start()]
                lead = len(raw) - len(raw.lstrip())
                parts = [raw.strip()]
                if m.re is appear and re.search(r"\s+and\s+(?:a|an|the)\s", raw):  # 'A and a B service centre are preparing to …'
                    parts = re.split(r"\s+and\s+(?=(?:a|an|the)\s)", raw.strip())
                offset = s_start + start + lead
                for part in parts:
                    at = offset + raw.strip().index(part)
                    verb = m.group("verb")
                    entry = past.get(verb) or (["put", "put", "putting", None, "commissioned"] if verb.startswith("put")
                                               else None)
                    future = bool(re.search(r"will|would|shall|should|must|can|to\s+be|to$|preparing|ready|going",
                                            m.group("aux"))) and not (m.re is appear and m.group("now"))
                    if m.re is appear:
                        entry = [verb, verb, verb, None, None]
                    tail = self._tail(sentence[m.end():]) if m.re is regex else self._tail(
                        re.sub(r"^\s*(?:appear|open|start operating|be located)", "", sentence[m.end():]))
                    end = s_start + m.end() + len(tail) if tail else at + len(part)
                    new = re.match(r"\s+at\s+a\s+new\s+(?P<np>[^,;.:()]{3,80}?)(?=\s*(?:[,;.:()]|$)|\s+(?:and|by|with|until)\b)",
                                   sentence[m.end():])
                    if new and m.re is regex and not self._heads_re().search(part):
                        # 'the locomotives will be built at a new plant in X': the new plant is the project
                        at, end = s_start + m.end() + new.start("np"), s_start + m.end() + new.end("np")
                        if self._acceptable(new.group("np"), at, end) and self._heads_re().match(new.group("np")):
                            self._add(_name(new.group("np")), at, end, index, "planned" if future else "commissioned")
                        continue
                    if not self._heads_re().search(part) or not self._acceptable(part + tail, at, end):
                        continue
                    if m.re is appear and re.fullmatch(r"produce|manufacture|make|output|process|employ|reach|"
                                                       r"increase|export|supply|sell|pay|receive|attract", verb):
                        continue  # 'the X factory is to manufacture 60,000 cars': output of a plant
                    noun = entry[3] if entry else None
                    name = _work_of(noun, part) if noun else _name(part) + (tail if not self.place_in(at, at + len(part)) else "")
                    if noun and tail and not self.place_in(at, at + len(part)):
                        name += tail
                    if m.re is appear and m.group("now"):
                        status = "under construction"
                    elif future:
                        status = "planned"
                    elif "being" in m.group("aux"):
                        status = "under construction" if verb in ("built", "constructed") else "under implementation"
                    else:
                        status = entry[4] if entry else None
                    self._add(name, at, end, index, status, "passive")

    def actives(self) -> None:
        """'the fund put a 50 MW solar power station into operation', 'started expanding the X plant',
        'completed a desalination plant in the village of X', 'work is under way to restore the airport
        of X', 'gave a start to production of cars at the X plant in Y', 'X will build a plant for Y in Z'."""
        verbs = self._verbs()
        by_form: dict[str, tuple[list, str]] = {}
        for v in verbs:
            by_form[v[1]] = (v, "past")
            by_form[v[2]] = (v, "gerund")
            by_form.setdefault(v[0], (v, "base"))
        forms = "|".join(map(re.escape, sorted(by_form, key=len, reverse=True)))
        starts = "|".join(map(re.escape, sorted(self.lex["project_start_phrases"], key=len, reverse=True)))
        into = "|".join(map(re.escape, self.lex["project_into_operation"]))
        regex = re.compile(rf"\b(?:(?P<start>{starts})\s+(?=(?P<snp>[^.;:]+))|(?:(?P<put>put)|(?P<verb>{forms}))\s+"
                           rf"(?=(?P<np>(?:the|a|an|new|its)\s+[^.;:]+|[A-Z][^.;:]+|\d+\s+(?:{'|'.join(self.lex['capacity_units'])})"
                           rf"\b[^.;:]+)))")
        stop = re.compile(rf"\s*[,;:(“\"]|\s+(?:and|as well as|while|but)\s+(?=(?:the|a|an|its|their|to|put|started|"
                          rf"completed|launched|built|opened)\b)|\s+(?:worth|with|valued|costing|which|that|who|whose|by|"
                          rf"until|before|after|{into}|to the tune|at a cost|since|under|within|this|next|last|during|"
                          rf"thanks|so|will|would|is|are|was|were|has|have|had|ahead|attracting|creating|employing|"
                          rf"providing|costing|totall?ing|requiring|generating|next|this)\b|\s+in\s+(?:19|20)\d\d\b|"
                          rf"\s+in\s+(?:the\s+)?(?:first|second|third|next|coming|current)\b|\s+on\s+\d|"
                          rf"\s+(?:in|by|since|until)\s+(?:early\s+|late\s+|mid-)?(?:January|February|March|April|May|June|"
                          rf"July|August|September|October|November|December|spring|summer|autumn|fall|winter)\b|"
                          rf"\s+to\s+(?:{'|'.join(v[0] for v in verbs)}|produce|create|set up|establish)\b")
        for index, (s_start, s_end) in enumerate(self.x.sentences):
            sentence = self.text[s_start:s_end]
            for m in regex.finditer(sentence):
                before = sentence[:m.start()]
                form = None
                if m.group("verb"):
                    entry, form = by_form[m.group("verb")]
                if (form == "past" or m.group("put")) and re.search(
                        r"\b(?:was|were|is|are|be|been|being|has|have|had)\s+(?:also\s+)?$", before):
                    continue  # a passive: passives() reads it
                if m.group("verb"):
                    if form == "base" and not re.search(r"\b(?:to|will|would|shall|plans? to|intends? to|going to)\s+"
                                                        r"(?:(?:also|further|jointly)\s+)?$", before):
                        continue
                    if form == "gerund" and not re.search(r"\b(?:started|began|begun|begin|start|starts|continues|"
                                                          r"continued|is|are|was|were|been)\s+$", before):
                        continue
                group = "snp" if m.group("start") else "np"
                np_text = m.group(group)
                end = stop.search(np_text)
                np_text = np_text[:end.start()] if end else np_text
                np_text = re.sub(r"\s+(?:into\s+\w+|now|again|last|also)$", "", np_text).strip()
                at = s_start + m.start(group)
                # 'to launch a car plant next year in X': the place after a time phrase
                rest = sentence[m.start(group) + len(np_text):]
                when = re.match(r"\s*(?:next|this|last)\s+(?:year|month)|\s*in\s+(?:19|20)\d\d", rest)
                tail = self._tail(rest[when.end():] if when else rest) if not self.place_in(at, at + len(np_text)) else ""
                if tail and not re.match(r"\s+in\b", tail):
                    tail = ""
                if not self._acceptable(np_text + tail, at, at + len(np_text)):
                    continue
                if m.group("put"):
                    if not re.match(rf"\s*(?:{into})\b", sentence[m.start(group) + len(np_text):]):
                        continue
                    name, status = _name(np_text), "commissioned"
                elif m.group("start"):
                    name, status = _name(np_text), "launched"
                else:
                    noun = entry[3]
                    name = _work_of(noun, np_text) if noun else _name(np_text)
                    name += tail
                    if form == "past":
                        status = entry[4]
                    elif form == "gerund":
                        status = "launched" if re.search(r"\b(?:started|began|begun)\s+$", before) else "under construction"
                    else:
                        status = "under way" if re.search(r"\bunder\s*way\b", before) else "planned"
                self._add(name, at, at + len(np_text), index, status, "active")

    def bullets(self) -> None:
        """'Among other projects are:' followed by one facility a line ('a clinker plant (X LLP),')."""
        heads = self._heads_re()
        cue = re.compile(r"\b(?:projects|facilities|plants|productions|enterprises)\b[^.]*:\s*$")
        for index, (s_start, s_end) in enumerate(self.x.sentences):
            sentence = self.text[s_start:s_end]
            if not cue.search(sentence) or _is_count(sentence.strip()):
                continue
            status = _status_in(sentence)
            j = index + 1
            while j < len(self.x.sentences) and j <= index + 30:
                b_start, b_end = self.x.sentences[j]
                line = self.text[b_start:b_end]
                m = re.match(r"\s*(?:[•\-–—*·▪]|\d{1,2}[.)])?\s*(?:and\s+)?(?P<item>.*?)[\s,;.]*$", line, re.S)
                item = m.group("item") if m else ""
                if not item or "\n" in item.strip() or len(item.split()) > 20 or not heads.search(item):
                    break
                at = b_start + m.start("item")
                if not _CLAUSE.search(re.sub(r"\([^()]*\)", "", item)) and not _is_count(item) and (
                        _is_named(" " + item) or self.place_in(at, at + len(item)) is not None):
                    self._add(_name(item), at, at + len(item), j, status, "bullet")
                    if self.x.projects and self.x.projects[-1].span.start == at and "(" in item:
                        # the company in brackets is who builds it, not where
                        self.x.projects[-1].place = self.place_in(at, at + item.index("("))
                j += 1

    def nominals(self) -> None:
        """'the progress of reconstruction of the A-B highway', 'the construction of a bridge over the X dam'."""
        nouns = r"construction|reconstruction|modernization|modernisation|expansion|renovation|restoration|upgrade"
        regex = re.compile(rf"\b(?P<noun>{nouns})\s+of\s+(?P<np>(?:the|a|an)\s+[^,;:.()]{{3,100}})", re.I)
        stop = re.compile(r"\s+(?:and|as well as)\s+(?=(?:the|a|an|to)\s)|\s+(?:worth|with|which|that|who|by|until|before|"
                          r"after|into|since|under|within|this|next|last|during|will|would|is|are|was|were|has|have|had|"
                          r"to|at a cost|costing|totall?ing|creating|attracting|for\s+(?:\d|KZT|\$))\b|\s+in\s+(?:19|20)\d\d")
        for index, (s_start, s_end) in enumerate(self.x.sentences):
            sentence = self.text[s_start:s_end]
            for m in regex.finditer(sentence):
                np = m.group("np")
                end = stop.search(np)
                np = np[:end.start()] if end else np
                at = s_start + m.start()
                np_at = s_start + m.start("np")
                if not self._acceptable(np, np_at, np_at + len(np)):
                    continue
                status = _status_in(sentence[max(0, m.start() - 40):m.start()]) or _status_in(sentence[m.end():])
                noun = m.group("noun")
                self._add(_work_of(noun, np), at, np_at + len(np), index, status, "nominal")

    def enlargements(self) -> None:
        """'to make the X plant threefold bigger', 'to increase the capacity of the X plant'."""
        regex = re.compile(r"\b(?:make|makes|making|made)\s+(?P<np>the\s+[^,;.]{3,80}?)\s+(?:[\w-]+\s+)?(?:bigger|larger)\b|"
                           r"\b(?:increas\w+|doubl\w+|tripl\w+|expand\w*)\s+the\s+(?:production\s+|design\s+)?capacit(?:y|ies)"
                           r"\s+of\s+(?P<np2>the\s+[^,;.]{3,80}?)(?=\s*[,;.]|\s+(?:to|by|from|in|up)\b)")
        for index, (s_start, s_end) in enumerate(self.x.sentences):
            sentence = self.text[s_start:s_end]
            for m in regex.finditer(sentence):
                group = "np" if m.group("np") else "np2"
                np = m.group(group)
                at = s_start + m.start(group)
                if not self._acceptable(np, at, at + len(np)):
                    continue
                status = "planned" if re.search(r"\b(?:to|will|intends?|plans?)\s+(?:\w+\s+){0,3}$",
                                                sentence[:m.start()]) else None
                self._add(_work_of("Expansion", np), at, at + len(np), index, status, "enlargement")

    def relatives(self) -> None:
        """'The locomotive assembly plant built under the agreement with X in Y had turned out …'."""
        past = "|".join(map(re.escape, sorted({v[1] for v in self._verbs()}, key=len, reverse=True)))
        heads = self._heads_re().pattern
        regex = re.compile(rf"(?P<np>\b(?:[Tt]he|[Aa]n?)\s+(?:[\w-]+\s+){{0,4}}?{heads})\s+(?P<rel>(?:{past})\s+"
                           rf"(?:under|by|with|in|at|for)\s+[^,;.]{{3,100}}?)(?=\s+(?:had|has|have|was|were|is|are|will|"
                           rf"would|produces|produced|employs|turned|started|began)\b)")
        for index, (s_start, s_end) in enumerate(self.x.sentences):
            sentence = self.text[s_start:s_end]
            for m in regex.finditer(sentence):
                at, end = s_start + m.start("np"), s_start + m.end("rel")
                whole = m.group("np") + " " + m.group("rel")
                if not self._acceptable(whole, at, end):
                    continue
                self._add(_name(whole), at, end, index, "commissioned", "relative")

    def enumerations(self) -> None:
        """'the construction of two new railways, Zhezkazgan-Beineu and …': the items take the head."""
        plural = {"railways": "railway", "highways": "highway", "roads": "road", "plants": "plant",
                  "factories": "factory", "lines": "line", "pipelines": "pipeline", "airports": "airport",
                  "ports": "port", "bridges": "bridge", "mines": "mine", "stations": "station", "terminals": "terminal",
                  "complexes": "complex", "hubs": "hub", "centres": "centre", "centers": "center"}
        alt = "|".join(sorted(plural, key=len, reverse=True))
        name_item = r"[A-Z][\w'’.-]*(?:(?:\s+-\s+|\s+|-)[A-Z][\w'’.-]*){0,3}"
        regex = re.compile(rf"\b(?P<head>{alt})\s*(?:,|:|—|–)\s*(?P<items>{name_item}(?:\s*,\s*{name_item})*\s*,?\s+and\s+{name_item})")
        for index, (s_start, s_end) in enumerate(self.x.sentences):
            sentence = self.text[s_start:s_end]
            for m in regex.finditer(sentence):
                head = plural[m.group("head")]
                status = _status_in(sentence[:m.start()]) or ("under construction" if re.search(
                    r"\bconstruction\b", sentence[max(0, m.start() - 60):m.start()]) else None)
                items = m.group("items")
                pos = 0
                for item in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", items):
                    at = items.index(item, pos)
                    pos = at + len(item)
                    start = s_start + m.start("items") + at
                    item = item.rstrip(".")
                    self._add(f"{item} {head}", start, start + len(item), index, status, "enumeration")

    def split_coordinated(self) -> None:
        """'Reconstruction of the A and B highways' -> one project per highway."""
        plural = {"railways": "railway", "highways": "highway", "roads": "road", "plants": "plant",
                  "factories": "factory", "lines": "line", "pipelines": "pipeline", "airports": "airport",
                  "ports": "port", "bridges": "bridge", "mines": "mine", "stations": "station", "terminals": "terminal"}
        alt = "|".join(sorted(plural, key=len, reverse=True))
        item = r"[A-Z][\w'’.-]*(?:[\s-]+[A-Z][\w'’.-]*)*"
        out = []
        for p in self.x.projects:
            m = re.match(rf"(?P<pre>.*?)(?P<a>{item})\s+and\s+(?P<b>{item})\s+(?P<head>{alt})\b(?P<post>.*)$", p.name)
            if not m:
                out.append(p)
                continue
            for which in ("a", "b"):
                name = f"{m.group('pre')}{m.group(which)} {plural[m.group('head')]}{m.group('post')}"
                out.append(Project(name=name, place=p.place, investment=p.investment, jobs=p.jobs, status=p.status,
                                   program=p.program, span=p.span))
        if len(out) != len(self.x.projects):
            moved = {id(p): i for i, p in enumerate(out)}
            old = {i: moved.get(id(p)) for i, p in enumerate(self.x.projects)}
            for o in self.x.observations:
                if o.project is not None:
                    o.project = old.get(o.project, o.project)
            self.x.projects[:] = out


def find_projects(x: Extraction, text: str, resources: Resources) -> None:
    reader = ProjectReader(x, text)
    reader.with_investment()
    reader.works()
    reader.parenthetical()
    reader.lists()
    reader.launches()
    reader.enumerations()
    reader.passives()
    reader.announced()
    reader.actives()
    reader.relatives()
    reader.enlargements()
    reader.bullets()
    reader.nominals()
    reader.split_coordinated()

