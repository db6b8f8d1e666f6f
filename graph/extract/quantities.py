"""Figures: value in base units, unit, indicator, kind, period, area and who stated them.

'31.4 trillion tenge' -> 31400000000000 KZT; 'KZT1.1 trillion', '$ 800 million', '6.2trln tenge',
'9.4%', 'by 3.7 times', '5 and a half times', 'doubled', 'nine projects', '8-10 jobs' (the upper
bound). Years, days of dates, durations ('10 months'), ordinals and numbers inside names
('EXPO-2017') are not figures. The lexicons are data: graph/patterns/quantities.json.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources as importlib_resources
from typing import TYPE_CHECKING

from ..metadata import find_dates
from .attribution import Attribution
from .model import Extraction, Observation, Span
from .periods import find_base_periods, find_periods, period_for
from .posts import PostFinder, _title_reader

if TYPE_CHECKING:
    from . import Resources


def _alt(words) -> str:
    """'a|bc' -> the words as a regex alternation, longest first (memoised: called per sentence)."""
    return _alt_of(tuple(words))


@lru_cache(maxsize=4096)
def _alt_of(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def lexicon() -> dict:
    data = json.loads(importlib_resources.files("graph.patterns").joinpath("quantities.json")
                      .read_text("utf-8"))
    words = data["word_numbers"]
    tens = "|".join(w for w, v in words.items() if 20 <= v < 100)
    units = "|".join(w for w, v in words.items() if v < 20)
    data["word_number_re"] = re.compile(
        rf"(?<![\w-])(?:(?:{tens})(?:[- ](?:{units}))?|{units}|hundred|dozen)(?:\s+(?:and\s+)?a\s+half)?(?![\w-])",
        re.IGNORECASE)
    data["scale_re"] = re.compile(rf"^\s*({_alt(data['scales'])})(?![\w])", re.IGNORECASE)
    data["before_currency"] = [(code, re.compile(rf"(?:^|[\s(])({_alt(names)})\s*$"))
                               for code, names in data["currency_before"].items()]
    data["after_currency"] = [(code, re.compile(rf"^\s*({_alt(names)})(?![\w])", re.IGNORECASE))
                              for code, names in data["currency_after"].items()]
    data["percent_re"] = re.compile(rf"^\s*({_alt(data['percent'])})(?![\w])", re.IGNORECASE)
    data["times_re"] = re.compile(r"^\s*(times|-fold|fold)(?![\w])", re.IGNORECASE)
    data["unit_re"] = re.compile(rf"^\s*(?:thousand\s+)?({_alt(data['physical_units'])})(?![\w])")
    data["time_re"] = re.compile(rf"^\s*(?:(?:more|full|calendar|working|consecutive)\s+)?({_alt(data['time_units'])})(?![\w])",
                                 re.IGNORECASE)
    data["qualifier_re"] = re.compile(rf"(?:^|\s)({_alt(data['qualifiers'])})\s*$", re.IGNORECASE)
    data["multiplier_re"] = re.compile(rf"\b({_alt(data['multiplying_verbs'])})\b", re.IGNORECASE)
    data["counted_words"] = {w: k for k, ws in data["counted"].items() for w in ws}
    for key in ("change_words", "negative_words", "plan_words", "target_words", "actual_words"):
        data[key + "_re"] = re.compile(rf"\b(?:{_alt(data[key])})\b", re.IGNORECASE)
    return data


NUMBER = re.compile(r"(?:(?<![\w.,])|(?<=KZT)|(?<=USD)|(?<=EUR)|(?<=RUB))(?:\d{1,3}(?:(?:,|\u00a0|\u202f| (?=\d{3}(?!\d)))\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)")
_ATTACHED_SCALE = re.compile(r"^(trln|tln|trn|bln|mln|bn|tn|mn)(?![a-z])", re.IGNORECASE)
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)")
_MONTH_NEAR = re.compile(rf"{_MONTH}\.?\s*(?:\d{{1,2}}\s*[-–]\s*)?$")
_MONTH_AFTER = re.compile(rf"^\s*(?:[-–]\s*\d{{1,2}}\s+)?{_MONTH}\b")
_CURRENCY_SIGN = re.compile(r"(KZT|US\$|U\.S\.\$|\$|USD|€|EUR|₸|RUB)\s*$")
_NOT_NOUNS = {"its", "this", "was", "has", "is", "as", "us", "plus", "bonus", "less", "various",
              "previous", "numerous", "serious", "thus", "does", "goes", "makes", "takes", "gives",
              "comprises", "covers", "includes", "provides", "demonstrates", "shows", "accounts",
              "amounts", "means", "remains", "exceeds", "reaches", "grows", "rises", "falls", "ones"}


@dataclass
class RawFigure:
    start: int  # start of the expression (currency sign, range, number)
    end: int  # end of the expression (number, scale, unit, counted noun)
    number_start: int
    number_end: int  # end of number and scale
    value: Decimal
    unit: str  # KZT, USD, EUR, RUB, CNY, percent, times, count, other
    counted: str | None
    qualifier: str | None


def _parse_number(raw: str) -> Decimal | None:
    text = raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")
    elif re.fullmatch(r"\d+,\d{1,2}", text):
        text = text.replace(",", ".")
    try:
        return Decimal(text)
    except ArithmeticError:
        return None


def _word_value(words: str) -> Decimal:
    lex = lexicon()["word_numbers"]
    text = words.lower()
    half = "half" in text
    text = re.sub(r"\s+(?:and\s+)?a\s+half", "", text)
    total = Decimal(0)
    for part in re.split(r"[- ]", text):
        total += Decimal(lex.get(part, 0))
    return total + (Decimal("0.5") if half else 0)


def _head_noun(phrase: str) -> str | None:
    """'active enterprises in the processing sector' -> 'enterprises'."""
    words = re.split(r"\s+(?:in|of|at|on|for|with|from)\s+", phrase.strip())[0].split()
    return words[-1].lower() if words else None


def _is_year(value: Decimal) -> bool:
    return value == value.to_integral_value() and 1950 <= value <= 2099


class QuantityReader:
    def __init__(self, x: Extraction, text: str, resources: Resources) -> None:
        self.x, self.text, self.resources = x, text, resources
        self.lex = lexicon()
        self.attribution = Attribution(x, text, _title_reader(resources))
        self.blocked = [(m.span.start, m.span.end) for m in x.mentions if m.kind in ("program", "org", "person")]
        self.dates = [(d.start, d.end) for d in find_dates(text)]
        self.periods = find_periods(text, x.doc.about_year)
        self.base_periods = find_base_periods(text)
        self.entity_of_mention = {m: e.id for e in x.entities for m in e.mentions}
        self.posts = PostFinder(x, text, resources)
        self.counts: list[RawFigure] = []  # the counts read so far, for '12 of them' 

    def sentence_bounds(self, offset: int) -> tuple[int, int, int]:
        for i, (s, e) in enumerate(self.x.sentences):
            if s <= offset < e:
                return i, s, e
        return -1, max(0, offset - 200), min(len(self.text), offset + 200)

    # --- finding numbers -----------------------------------------------------------------------

    def candidates(self) -> list[tuple[int, int, Decimal, bool]]:
        """(start, end, value, is_word) for every number outside names and dates."""
        out = []
        for m in NUMBER.finditer(self.text):
            value = _parse_number(m.group(0))
            if value is not None:
                end = m.end()
                half = re.match(r"\s+and\s+a\s+half\b", self.text[end:end + 20])
                if half:
                    value, end = value + Decimal("0.5"), end + half.end()
                out.append((m.start(), end, value, False))
        for m in self.lex["word_number_re"].finditer(self.text):
            if not any(s <= m.start() < e for s, e, _, _ in out):
                out.append((m.start(), m.end(), _word_value(m.group(0)), True))
        return sorted(c for c in out if not any(s <= c[0] and c[1] <= e for s, e in self.blocked + self.dates))

    def read(self, start: int, end: int, value: Decimal, is_word: bool) -> RawFigure | None:
        text, lex = self.text, self.lex
        before = text[max(0, start - 60):start]
        after = text[end:end + 80]
        if re.search(r"[A-Za-z]-$", before) or re.match(r"^-(?!fold\b)[A-Za-z]", after):
            return None  # EXPO-2017, Road Map-2020
        if not re.search(r"\d\s*[-–]\s*$", before) and re.match(r"^\s*[-–]\s*\d", after) \
                and not is_word and not (_is_year(value) and re.fullmatch(r"\d{4}", text[start:end])):
            return None  # the lower bound of '8-10 jobs': the upper bound is read
        if _MONTH_NEAR.search(before) or _MONTH_AFTER.match(after):
            return None
        year_like = _is_year(value) and not is_word and re.fullmatch(r"\d{4}", text[start:end]) is not None
        if year_like and (re.match(r"^\s+\d", after) or lex["word_number_re"].match(after.lstrip())):
            return None  # 'In 2021 nine projects': the year dates the count that follows
        attached = None if is_word else _ATTACHED_SCALE.match(after)
        if not is_word and re.match(r"^[A-Za-z]", after) and not attached and not re.match(r"^fold\b", after):
            return None  # '20th', '4G'
        cursor = end
        scale = Decimal(1)
        m = attached or lex["scale_re"].match(after)
        if m:
            scale = Decimal(str(lex["scales"][m.group(1).lower()]))
            cursor = end + m.end()
        number_end = cursor
        rest = text[cursor:cursor + 80]
        unit = counted = None
        currency_before = next((code for code, rx in lex["before_currency"] if rx.search(before)), None)
        if currency_before:
            unit = currency_before
            dollars = re.match(r"^\s*(?:U\.S\.\s+)?dollars?\b", rest)
            if dollars:
                cursor += dollars.end()
        else:
            for code, rx in lex["after_currency"]:
                m2 = rx.match(rest)
                if m2:
                    unit, cursor = code, cursor + m2.end()
                    break
        if unit is None and (m2 := lex["percent_re"].match(rest)):
            unit, cursor = "percent", cursor + m2.end()
        if unit is None and (m2 := re.match(r"^-?fold\b", after)):
            unit, cursor = "times", end + m2.end()
        if unit is None and (m2 := lex["times_re"].match(rest)):
            unit, cursor = "times", cursor + m2.end()
        if unit is None and lex["time_re"].match(rest):
            return None  # '10 months', 'two and a half years': a duration
        if unit is None and (m2 := lex["unit_re"].match(rest)):
            unit, counted, cursor = "other", m2.group(1), cursor + m2.end()
        if unit is None:
            noun = self._counted_noun(rest)
            if noun:
                word, length, known = noun
                if is_word and value < 2:
                    return None  # 'one job here creates …'
                if year_like and scale == 1 and not known:
                    return None  # '2012 demonstrate positive dynamics'
                unit, counted, cursor = "count", word, cursor + length
                if word == "people" and (
                        re.search(r"(?:\bjobs?\s+(?:for|to)|\bemploy(?:s|ed|ing)?(?:\s+[a-z]+){0,3})\s*$",
                                  before, re.IGNORECASE)
                        or re.match(r"^\s+(?:have\s+|had\s+)?(?:found|got)\s+jobs\b", text[cursor:cursor + 30])):
                    counted = "jobs"  # 'jobs for 2,000 people', 'to employ 20,000 people', 'people found jobs'
        if unit is None:
            if year_like and scale == 1:
                return None
            if scale != 1:
                unit, counted = self._bare_scaled(start)
            elif m3 := re.search(r"\bnumber of\s+(?P<what>[\w\s-]{2,80}?)\s+(?:reached|was|is|amounted to|totaled|made|"
                                 r"exceeded|stood at)\s+(?:more than\s+|over\s+|about\s+)?$", text[max(0, start - 140):start]):
                unit, counted = "count", _head_noun(m3.group("what"))
            elif (not is_word or value >= 2) and (inherited := self._inherited_count(start, rest)) is not None:
                unit, counted, cursor = "count", inherited[0], cursor + inherited[1]
            else:
                return None
        qualifier = None
        if qm := lex["qualifier_re"].search(_CURRENCY_SIGN.sub("", before)):
            qualifier = qm.group(1).lower()
        expr_start = start
        if currency_before and (cm := _CURRENCY_SIGN.search(before)):
            expr_start = start - (len(before) - cm.start())
        if range_low := re.search(r"(\d+(?:[.,]\d+)?)\s*[-–]\s*$", before):
            expr_start = start - (len(before) - range_low.start())
        figure = RawFigure(expr_start, cursor, start, number_end, value * scale, unit, counted, qualifier)
        if unit == "count":
            self.counts.append(figure)
        return figure

    def _counted_noun(self, rest: str) -> tuple[str, int, bool] | None:
        """The noun a count counts: '14 single-industry towns', '300 new brand new products'."""
        lex = self.lex
        pos = 0
        for i, m in enumerate(re.finditer(r"\s*(\([\w\s-]+\)|[A-Za-z][\w'’-]*)", rest)):
            if m.start() != pos or i >= 5:
                return None
            pos = m.end()
            word = m.group(1)
            low = word.lower()
            if word.startswith("("):
                continue
            if low in lex["not_counted"] or low in lex["scales"]:
                return None
            known = lex["counted_words"].get(low)
            if known:
                return known, pos, True
            if re.fullmatch(r"[a-z][a-z-]+s", low) and not low.endswith(("ss", "us")) and len(low) > 3 \
                    and low not in _NOT_NOUNS:
                return low, pos, False
            if not re.fullmatch(r"[a-z][\w'’-]*", low):
                return None
        return None

    def _inherited_count(self, start: int, rest: str) -> tuple[str, int] | None:
        """'12 of them', '2,000 new ones', '2300 people received jobs, 1300 took up seasonal
        work': a number that counts what the count before it counted."""
        previous = [f for f in self.counts if f.end <= start and f.counted]
        if not previous:
            return None
        last = previous[-1]
        if m := re.match(r"^\s+of\s+(?:them|these|those|which)\b", rest):
            # 'them' are what the previous sentence counted first: '41 projects … 12 of them'
            here = self.sentence_bounds(start)[0]
            before = [f for f in previous if self.sentence_bounds(f.start)[0] in (here - 1, here)]
            return (before[0] if before else last).counted, m.end()
        if m := re.match(r"^\s+(?:new\s+|more\s+|other\s+)?ones?\b", rest):
            return last.counted, m.end()
        same_sentence = self.sentence_bounds(last.start)[0] == self.sentence_bounds(start)[0]
        if same_sentence and re.match(r"^\s+(?:[a-z]+\s+)?(?:were|was|took|received|got|found|have|has|are|is)\b", rest):
            return last.counted, 0
        return None

    def _bare_scaled(self, start: int) -> tuple[str, str | None]:
        """'2.48 million' without a unit: people when the text speaks of population, else the
        currency of the money figure before it in the sentence."""
        _, s_start, _ = self.sentence_bounds(start)
        clause = self.text[s_start:start]
        if re.search(r"populat|people|residents|inhabitants|citizens", clause, re.IGNORECASE):
            return "count", "people"
        for code, rx in self.lex["after_currency"]:
            if re.search(rx.pattern.lstrip("^"), clause, re.IGNORECASE):
                return code, None
        if re.search(r"(?:KZT|US\$|\$|₸|€)\s*\d", clause):
            return ("USD" if "$" in clause else "EUR" if "€" in clause else "KZT"), None
        return "count", None

    def multiplier_figures(self) -> list[RawFigure]:
        """'the share of innovative enterprises doubled', 'both … will double' -> 2 times."""
        out = []
        future = re.finditer(r"\b(?:will|to|would|should|could|may)\s+(?:almost\s+|nearly\s+|more than\s+)?"
                             r"(double|triple|quadruple|halve)\b", self.text, re.IGNORECASE)
        for m in future:
            value = Decimal({"double": 2, "triple": 3, "quadruple": 4, "halve": "0.5"}[m.group(1).lower()])
            out.append(RawFigure(m.start(1), m.end(1), m.start(1), m.end(1), value, "times", None, None))
        fractions = {"half": 50, "third": Decimal("33.3"), "quarter": 25, "fifth": 20, "tenth": 10}
        for m in re.finditer(r"\b(?:by\s+)?(?P<n>a|one|two|three)[- ](?P<f>half|thirds?|quarters?|fifths?|tenths?)\b",
                             self.text, re.IGNORECASE):
            n = {"a": 1, "one": 1, "two": 2, "three": 3}[m.group("n").lower()]
            if n == 1 and not re.match(r"\s+of\b", self.text[m.end():m.end() + 5]) and not m.group(0).lower().startswith("by"):
                continue  # 'one third of …', 'by a third': a share or a change; 'a half-hour' is not
            value = Decimal(fractions[m.group("f").lower().rstrip("s")]) * n
            out.append(RawFigure(m.start("n"), m.end(), m.start("n"), m.end(), value, "percent", None, None))
        for m in self.lex["multiplier_re"].finditer(self.text):
            if any(s <= m.start() < e for s, e in self.blocked):
                continue
            value = Decimal(str(self.lex["multiplying_verbs"][m.group(1).lower()]))
            out.append(RawFigure(m.start(), m.end(), m.start(), m.end(), value, "times", None, None))
        return out

    # --- context of a figure -------------------------------------------------------------------

    def observation(self, fig: RawFigure, previous: RawFigure | None, following: RawFigure | None,
                    previous_indicator: str | None) -> Observation:
        text = self.text
        index, s_start, s_end = self.sentence_bounds(fig.number_start)
        left_start = _clause_start(text, s_start, fig.start)
        if previous is not None and previous.end > left_start and previous.end <= fig.start:
            left_start = previous.end
        right_end = _clause_end(text, fig.end, s_end)
        if following is not None and following.start < right_end:
            right_end = following.start
        left, right = text[left_start:fig.start], text[fig.end:right_end]
        window = f"{left} {text[fig.start:fig.end]} {right}"
        lead_span = self._lead_span(index)
        lead = text[lead_span[0]:lead_span[1]] if lead_span else ""
        lex = self.lex
        change = bool(lex["change_words_re"].search(left)) or fig.unit == "times" or bool(
            re.search(r"\b(?:by|up)\s+(?:more than\s+|over\s+|about\s+|almost\s+)?$", left)
            and fig.unit in ("percent",)) or bool(lex["change_words_re"].search(right[:40]) and fig.unit == "percent"
                                                  and not re.match(r"\s*of\b", right))
        negative_words = _alt(lex["negative_words"])
        negative = bool(re.search(rf"(?:{negative_words})\w*\s+(?:by\s+)?(?:more than\s+|over\s+|about\s+|almost\s+|nearly\s+)?$",
                                  left, re.IGNORECASE) or re.search(r"\bminus\s*$", left)
                        or re.search(rf"\b(?:{negative_words})\b[^,;]*\bby\s+(?:more than\s+|over\s+|about\s+)?$",
                                     left, re.IGNORECASE))
        period = period_for(self.periods, fig.number_start, s_start, s_end, lead_span=lead_span)
        horizon = bool(period and period.get("horizon"))
        actual_cue = bool(lex["actual_words_re"].search(right[:60])) and not re.search(r"\bwill\b", right[:60])
        sentence_before = text[s_start:fig.start]
        future = bool(lex["plan_words_re"].search(sentence_before) or lex["plan_words_re"].search(right[:40])
                      or (lead and lex["plan_words_re"].search(lead))) and not actual_cue
        if horizon and (future or change or lex["target_words_re"].search(window + " " + lead)):
            kind = "target"
        elif future:
            kind = "plan"
        elif change:
            kind = "change"
        else:
            kind = "actual"
        value = -fig.value if negative and fig.unit != "times" and kind in ("change", "target") else fig.value
        if fig.unit == "times":
            measure = "multiple"
        elif fig.unit == "percent":
            measure = "percentChange" if change else ("share" if re.match(r"\s*of\b", right) else "level")
        elif fig.unit in ("count", "other"):
            measure = "count" if fig.unit == "count" else "level"
        else:
            measure = "absoluteChange" if change else "level"
        indicator = self.indicator(fig, left, right, previous_indicator)
        base = next((b.period for b in self.base_periods if s_start <= b.start < s_end), None)
        return Observation(
            indicator=indicator, value=value,
            unit=fig.unit,
            counted=fig.counted if fig.unit in ("count", "other") else None,
            kind=kind, measure=measure, period=period["period"] if period else None,
            base_period=base if change else None,
            area=self.area(fig.number_start, s_start, s_end),
            stated_by=self.attribution.speaker_of(fig.number_start),
            qualifier=fig.qualifier, program=self.program_of(s_start, s_end, lead_span, kind), project=None,
            span=Span(fig.start, fig.end, text[fig.start:fig.end], max(0, index)),
        )

    def _lead_span(self, index: int) -> tuple[int, int] | None:
        """The sentence a list item continues: 'will ensure the growth of the following by 2028:'."""
        if index <= 0:
            return None
        start = self.x.sentences[index][0]
        line = self.text[self.text.rfind("\n", 0, start) + 1:start + 1]
        if not re.match(r"\s*(?:[•·▪●*\-–—]|\d+[.)])", line) and not self._is_list_line(index):
            return None
        i = index - 1
        while i >= 0 and index - i <= 12:
            s, e = self.x.sentences[i]
            if self.text[s:e].rstrip().endswith(":"):
                return s, e
            i -= 1
        return None

    def _is_list_line(self, index: int) -> bool:
        s, e = self.x.sentences[index]
        prev_end = self.x.sentences[index - 1][1]
        between = self.text[prev_end:s]
        return "\n" in between and not self.text[s:e].rstrip().endswith((".", "!", "?"))

    def indicator(self, fig: RawFigure, left: str, right: str, previous: str | None) -> str:
        """The phrase the figure measures: a counted noun phrase, the subject before a linking
        verb, the phrase before a parenthesis, or the verb after the figure."""
        if fig.unit in ("count", "other") and fig.counted and fig.end > fig.number_end:
            phrase = self.text[fig.number_end:fig.end]
            if fig.unit == "other":
                of = re.match(r"\s*of\s+((?:[\w-]+\s+){0,3}[\w-]+)", right)
                return _clean(f"{phrase} of {of.group(1)}" if of else phrase)
            return _clean(phrase)
        verbs = _alt(self.lex["linking_verbs"])
        changes = _alt(self.lex["change_words"])
        m = re.search(rf"(?P<np>[A-Za-z][\w’'()\s-]{{1,80}}?)\s+(?:has\s+|have\s+|had\s+)?(?:been\s+)?"
                      rf"(?:(?:{changes})\s+)?(?:{verbs})?\s*(?:more than\s+|over\s+|about\s+|nearly\s+|"
                      rf"almost\s+|up to\s+|around\s+|some\s+)?(?:KZT|US\$|\$|USD|€)?\s*$", left)
        np = _trim_np(m.group("np")) if m else ""
        if previous and re.fullmatch(r"(?:.*\s)?(?:it|they|this|these|that)", np, re.IGNORECASE):
            return previous  # '… grew by 11%, while in 2023 it grew by 27%'
        np = np if not re.fullmatch(r"(?:.*\s)?(?:it|they|this|these|that)", np, re.IGNORECASE) else ""
        quals = _alt(self.lex["qualifiers"])
        if np and not re.fullmatch(rf"(?:{changes}|{verbs}|{quals}|by|up|of|and|or|a|the|total|which|that|it|this)(?:\s+(?:{changes}|{verbs}|by|of))*",
                                   np, re.IGNORECASE):
            return _clean(np)
        if previous and re.fullmatch(rf"[\s,]*(?:and\s+)?(?:(?:{changes}|{verbs}|by|to|up|of|which|is|or)\s*)*",
                                     left, re.IGNORECASE):
            return previous
        after = re.match(r"^\s*(?:of\s+)?(?:which\s+)?(?:has|have|had|was|were|is|are|will be)\s+(?:been\s+)?"
                         r"(?:already\s+)?(?P<verb>[a-z]+ed)\b", right)
        if after:
            return _clean(after.group("verb"))
        return _clean(" ".join(re.findall(r"[A-Za-z][\w-]*", left)[-4:])) or "figure"

    def program_of(self, s_start: int, s_end: int, lead: tuple[int, int] | None, kind: str) -> int | None:
        """The program a figure is about: one named in its sentence or lead-in, or, for targets and
        plans, the article's only program."""
        for start, end in ((s_start, s_end), lead or (0, 0)):
            for m in self.x.mentions:
                if m.kind == "program" and start <= m.span.start < end and m.id in self.entity_of_mention:
                    return self.entity_of_mention[m.id]
        if kind in ("target", "plan"):
            programs = [e.id for e in self.x.entities if e.kind == "program" and e.mentions]
            if len(programs) == 1:
                return programs[0]
        return None

    def area(self, offset: int, s_start: int, s_end: int) -> int | None:
        places = [m for m in self.x.mentions if m.kind == "place" and s_start <= m.span.start < s_end
                  and self._place_subkind(m.id) != "country"]
        if places:
            before = [m for m in places if m.span.start < offset]
            return self.entity_of_mention.get((before[-1] if before else places[0]).id)
        if re.search(r"\b(?:the|this|our) (?:region|oblast)\b", self.text[s_start:s_end], re.IGNORECASE):
            main = self._main_region()
            if main is not None:
                return main
        return self.posts._country()

    def _place_subkind(self, mention_id: int) -> str | None:
        entity_id = self.entity_of_mention.get(mention_id)
        return self.x.entities[entity_id].subkind if entity_id is not None else None

    def _main_region(self) -> int | None:
        best = [(len(e.mentions), e.id) for e in self.x.entities
                if e.kind == "place" and e.subkind == "region" and e.mentions]
        return max(best)[1] if best else None


def _clause_start(text: str, s_start: int, offset: int) -> int:
    chunk = text[s_start:offset]
    paren = chunk.rfind("(")
    if paren >= 0 and ")" in chunk[paren:]:
        paren = -1  # 'GVA (gross value added) by 4.5 times': the brackets belong to the phrase
    cut = max(chunk.rfind(","), chunk.rfind(";"), chunk.rfind(":"), chunk.rfind("“"), paren)
    if cut >= 0 and offset - (s_start + cut) > 14:
        return s_start + cut + 1
    return s_start


def _clause_end(text: str, offset: int, s_end: int) -> int:
    m = re.search(r"[,;:)”\"]|\s(?:and|while|but)\s", text[offset:s_end])
    return offset + m.start() if m else s_end


def _trim_np(np: str) -> str:
    """Keep the tail that names the thing: 'was achieved in the engineering sector' -> 'engineering sector'."""
    words = np.split()
    for i in range(len(words) - 1, -1, -1):
        if words[i].lower() in ("in", "at", "on", "within", "among", "while", "that", "when", "and") and i < len(words) - 1:
            tail = words[i + 1:]
            if tail and tail[0].lower() == "the":
                tail = tail[1:]
            if tail:
                return " ".join(tail[-7:])
    return " ".join(words[-7:])


def _clean(phrase: str) -> str:
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,.;:-–—")
    phrase = re.sub(r"^(?:(?:had|has|have|was|were|is|are|will|would|be|been|being|so|also|only|already|then)\s+)+",
                    "", phrase, flags=re.IGNORECASE)
    if phrase.count(")") > phrase.count("("):
        phrase = phrase.replace(")", "")
    if phrase.count("(") > phrase.count(")"):
        phrase = phrase.replace("(", "")
    phrase = re.sub(r"^(?:(?:the|a|an|this|that|these|its|their|our|his|her|and|of|in|with|while|some|new)\s+)+",
                    "", phrase, flags=re.IGNORECASE)
    phrase = re.sub(r"^(?:country|region|city|republic|state)(?:['’]s|s')\s+", "", phrase, flags=re.IGNORECASE)
    phrase = re.sub(r"\b(?:in\s+)?(?:the\s+)?(?:first\s+)?(?:\d+|[a-z]+)\s+months\s+of\s+\d{4}\s*", "", phrase)
    phrase = re.sub(r"\s+(?:of|in|for|by|to|at|on|with|and|or|was|were|is|are|it|they|this|these)$", "", phrase)
    return phrase[:120] or "figure"


def find_quantities(x: Extraction, text: str, resources: Resources) -> None:
    reader = QuantityReader(x, text, resources)
    figures: list[RawFigure] = []
    for start, end, value, is_word in reader.candidates():
        fig = reader.read(start, end, value, is_word)
        if fig is not None and not any(f.start <= fig.number_start < f.end for f in figures):
            figures.append(fig)
    for fig in reader.multiplier_figures():
        if not any(f.start <= fig.start < f.end for f in figures):
            figures.append(fig)
    figures.sort(key=lambda f: f.start)
    previous_indicator = None
    for i, fig in enumerate(figures):
        previous = figures[i - 1] if i else None
        same_sentence = previous is not None and reader.sentence_bounds(previous.start)[0] == \
            reader.sentence_bounds(fig.start)[0]
        following = figures[i + 1] if i + 1 < len(figures) else None
        obs = reader.observation(fig, previous if same_sentence else None, following,
                                 previous_indicator if same_sentence else None)
        x.observations.append(obs)
        previous_indicator = obs.indicator
    _drop_title_repeats(x)


def _drop_title_repeats(x: Extraction) -> None:
    """A figure in the headline that the body states again is one figure."""
    title = x.doc.title_span
    if not title:
        return
    in_title = [o for o in x.observations if title[0] <= o.span.start < title[1]]
    body = [o for o in x.observations if not (title[0] <= o.span.start < title[1])]
    keep = [o for o in in_title if not any(b.value == o.value and b.unit == o.unit for b in body)]
    x.observations[:] = sorted(keep + body, key=lambda o: o.span.start)
