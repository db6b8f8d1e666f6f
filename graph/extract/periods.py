"""Reference periods of figures: '2011', '2012-01/2012-10', '2024-2028', horizons ('by 2028')."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .model import Period

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"]
_MONTH_RE = "|".join(_MONTHS)
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11}
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_BASE = re.compile(r"(?:against|compared (?:to|with)|than|versus|vs\.?|over the same period of|from)\s+(?:the\s+)?(?:same period of\s+)?(?:(?:19|20)\d\d\s+)?$",
                   re.IGNORECASE)


@dataclass(frozen=True)
class PeriodMention:
    start: int
    end: int
    period: Period
    horizon: bool


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def months(year: int, first: int, last: int) -> Period:
    if first == 1 and last == 12:
        return year_period(year)
    return Period(f"{year}-{first:02d}/{year}-{last:02d}", dt.date(year, first, 1), _month_end(year, last))


def year_period(year: int) -> Period:
    return Period(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))


def years(first: int, last: int) -> Period:
    return Period(f"{first}-{last}", dt.date(first, 1, 1), dt.date(last, 12, 31))


PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b(?:in\s+|for\s+|during\s+)?(?:the\s+)?(?:first\s+)?(?P<n>\d{{1,2}}|{'|'.join(_NUMBER_WORDS)})\s+months\s+(?:of\s+)?{_YEAR}", re.I), "months"),
    (re.compile(rf"\b(?:in\s+|from\s+|for\s+)?(?P<m1>{_MONTH_RE})\s*(?:[-–—]|to|through|till)\s*(?P<m2>{_MONTH_RE})(?:\s+of)?\s+{_YEAR}", re.I), "month-range"),
    (re.compile(rf"\b(?:in\s+|during\s+|for\s+)?(?:the\s+)?(?P<h>first|second)\s+half\s+(?:of\s+)?(?:the\s+year\s+)?{_YEAR}", re.I), "half"),
    (re.compile(rf"\b(?:in\s+|during\s+|for\s+)?(?:the\s+)?(?P<q>first|second|third|fourth)\s+quarter\s+(?:of\s+)?{_YEAR}", re.I), "quarter"),
    (re.compile(rf"\b(?:by|until|till|up to|to|through|before)\s+(?:the\s+end\s+of\s+)?{_YEAR}\b(?!\s*[-–—]\d)", re.I), "horizon"),
    (re.compile(r"\b(?:in|for|over|during|between|from)?\s*(?:the\s+)?(?:period\s+)?(?:of\s+)?(?P<y1>(?:19|20)\d\d)\s*(?:[-–—]|to|and|till)\s*(?P<y2>(?:19|20)\d\d)\b", re.I), "year-range"),
    (re.compile(rf"\b(?:in|for|of|during|since|as of|at the end of|results of|end of)\s+(?:the\s+)?{_YEAR}\b(?!\s*[-–—]\s*\d)", re.I), "year"),
    (re.compile(rf"(?:^|(?<=[\s(]))(?P<y>(?:19|20)\d\d)(?=\s*,)", re.I), "year"),
    (re.compile(r"\b(?:this|the current|current)\s+year\b", re.I), "this-year"),
    (re.compile(r"\b(?:last|the previous|previous|the past|past)\s+year\b", re.I), "last-year"),
    (re.compile(r"\bnext\s+year\b", re.I), "next-year"),
]


def find_periods(text: str, about_year: int | None) -> list[PeriodMention]:
    found: list[PeriodMention] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            period = _to_period(m, kind, about_year)
            if period is None:
                continue
            if kind in ("year", "year-range") and _BASE.search(text[max(0, m.start() - 40):m.start() + (
                    len(m.group(0)) - len(m.group(0).lstrip()))]):
                continue
            if kind == "horizon" and re.search(r"compared\s*$|against\s*$|versus\s*$", text[max(0, m.start() - 12):m.start()]):
                continue
            found.append(PeriodMention(m.start(), m.end(), period, kind == "horizon"))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda p: p.start)


def _to_period(m: re.Match[str], kind: str, about_year: int | None) -> Period | None:
    g = m.groupdict()
    if kind == "months":
        n = g["n"].lower()
        count = int(n) if n.isdigit() else _NUMBER_WORDS[n]
        return months(int(g["y"]), 1, count) if 1 <= count <= 12 else None
    if kind == "month-range":
        first, last = _MONTHS.index(g["m1"].lower()) + 1, _MONTHS.index(g["m2"].lower()) + 1
        return months(int(g["y"]), first, last) if first <= last else None
    if kind == "half":
        return months(int(g["y"]), 1, 6) if g["h"].lower() == "first" else months(int(g["y"]), 7, 12)
    if kind == "quarter":
        q = ["first", "second", "third", "fourth"].index(g["q"].lower())
        return months(int(g["y"]), 3 * q + 1, 3 * q + 3)
    if kind in ("horizon", "year"):
        return year_period(int(g["y"]))
    if kind == "year-range":
        first, last = int(g["y1"]), int(g["y2"])
        return years(first, last) if first < last else None
    if about_year is None:
        return None
    offset = {"this-year": 0, "last-year": -1, "next-year": 1}[kind]
    return year_period(about_year + offset)


def period_for(periods: list[PeriodMention], offset: int, s_start: int, s_end: int,
               lead_span: tuple[int, int] | None = None) -> dict | None:
    """The period that governs a figure: the nearest before it in its sentence, else the first
    after it, else the lead-in sentence of a list."""
    in_sentence = [p for p in periods if s_start <= p.start < s_end]
    before = [p for p in in_sentence if p.end <= offset]
    after = [p for p in in_sentence if p.start >= offset]
    chosen = before[-1] if before else after[0] if after else None
    if chosen is None and lead_span:
        lead = [p for p in periods if lead_span[0] <= p.start < lead_span[1]]
        chosen = lead[-1] if lead else None
    if chosen is None:
        return None
    return {"period": chosen.period, "horizon": chosen.horizon}


BASE_PERIOD = re.compile(rf"(?:against|compared (?:to|with)|versus)\s+(?:the\s+)?(?:same period of\s+)?{_YEAR}(?:\s+level)?", re.I)


def find_base_periods(text: str) -> list[PeriodMention]:
    """'against 2008', 'compared to 2014': the period a change is measured from."""
    return [PeriodMention(m.start(), m.end(), year_period(int(m.group("y"))), False)
            for m in BASE_PERIOD.finditer(text)]
