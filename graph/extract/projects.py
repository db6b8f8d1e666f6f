"""Investment projects: named plants, modernizations and expansions, with investment, jobs, status.

Two shapes: a project followed by its figures in parentheses ('the construction of the
Saryarkinsky ferroalloy plant (35 billion tenge, 400 jobs)'), and lists of projects after 'such
projects as' / 'Among the projects launched … are'. From lists only items that name something
(a place or proper name) are kept; generic product lines ('polyethylene pipes') are not projects.
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


_ITEM_SPLIT = re.compile(r",\s+(?:and\s+)?|\s+and\s+(?=(?:the|a|an)\s)|;\s*|\s+as well as\s+")
_LEADING = re.compile(r"^(?:(?:the|a|an|new|also)\s+)+", re.IGNORECASE)


def _status_in(text: str) -> str | None:
    statuses = events_lexicon()["project_status"]
    for phrase in sorted(statuses, key=len, reverse=True):
        if re.search(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE):
            return statuses[phrase]
    return None


def _name(raw: str) -> str:
    name = _LEADING.sub("", raw.strip(" ,.;:"))
    name = re.sub(r"\s+", " ", name)
    return name[:1].upper() + name[1:]


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
        """'the expansion of processing capacities of the Aktogay GOK (396 billion tenge, 700 jobs)'."""
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
            m = re.search(r"\b(?:such (?:projects|facilities|productions) as|[Aa]mong (?:the|them)\s+(?:\w+\s+){0,4}?"
                          r"(?:projects|facilities)(?:\s+\w+){0,6}?\s+(?:are|were)|[Aa]mong them)\s+(?P<items>.+)$", sentence)
            if not m:
                continue
            items_text = m.group("items")
            tail = re.search(r"\s*,?\s*(?:etc\.?\s*)?(?:(?:have|has|had|were|was|are|is)\s+(?:been\s+)?(?:also\s+)?"
                             r"(?P<verb>\w+)|(?P<participle>launched|commissioned|opened|introduced|built|put into operation))\b.*$",
                             items_text)
            status = _status_in(tail.group(0)) if tail else _status_in(sentence[:m.start("items")])
            if tail:
                items_text = items_text[:tail.start()]
            offset = s_start + m.start("items")
            pos = 0
            for part in _ITEM_SPLIT.split(items_text):
                start = offset + items_text.index(part, pos)
                pos = items_text.index(part, pos) + len(part)
                cleaned = re.sub(r",?\s*etc\.?$", "", part).strip(" .")
                if not cleaned or not _is_named(cleaned) or not re.search(rf"\b(?:{heads})\b", cleaned, re.I):
                    continue
                name = _name(cleaned)
                if any(p.name == name for p in self.x.projects):
                    continue
                self.x.projects.append(Project(
                    name=name, place=self.place_in(start, start + len(part)), investment=None, jobs=None,
                    status=status, program=self.program_of(s_start, s_end),
                    span=Span(start, start + len(cleaned), self.text[start:start + len(cleaned)], index)))


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
                if not cleaned or not _is_named(cleaned) or not re.search(rf"\b(?:{heads})\b", cleaned, re.I):
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
        the X company with investments of 92 billion tenge and more than 1,500 jobs'."""
        heads = "|".join(map(re.escape, self.lex["facility_heads"]))
        link = (r"(?:with|worth|costing|valued at|totall?ing|amounting to|for|of)\s+(?:(?:total\s+)?investments?\s+"
                r"(?:of\s+)?|a total (?:cost|investment) of\s+|an investment of\s+)?(?:about\s+|over\s+|more than\s+|"
                r"some\s+|nearly\s+)?$")
        boundary = re.compile(r".*(?:[,;:(“\"]|\bnamed\b|\bincluding\b|\binclude[sd]?\b|\bsuch as\b|\band\b|"
                              r"\bare\b|\bis\b|\bwas\b|\bwere\b|\bmentioned\b|\bbuild\b|\blaunch\b|\bby\b)\s*", re.S)
        money = [o for o in self.x.observations if o.unit in ("KZT", "USD", "EUR") and not o.in_project_list]
        for o in money:
            index = o.span.sentence
            s_start, s_end = self.x.sentences[index]
            left = self.text[s_start:o.span.start]
            m = re.search(link, left)
            if not m:
                continue
            head = left[:m.start()].rstrip()
            cut = boundary.match(head)
            np_start = cut.end() if cut else 0
            np = head[np_start:].strip()
            if not np or not re.search(rf"\b(?:{heads})\b", np, re.I) or len(np.split()) > 18 or re.search(r"\d", np):
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
                    if re.match(r"^\s*(?:\([^)]*\)\s*)?(?:,\s*)?(?:and|with)\s+(?:more than\s+|over\s+|about\s+)?$",
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


def find_projects(x: Extraction, text: str, resources: Resources) -> None:
    reader = ProjectReader(x, text)
    reader.with_investment()
    reader.works()
    reader.announced()
    reader.parenthetical()
    reader.lists()
    reader.launches()

