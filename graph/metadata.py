"""Document metadata: publication date and time, publisher, cited source, the year reported on."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

MONTHS = {
    name: i + 1
    for i, names in enumerate([
        ("january", "jan", "января", "январь", "қаңтар"), ("february", "feb", "февраля", "ақпан"),
        ("march", "mar", "марта", "наурыз"), ("april", "apr", "апреля", "сәуір"),
        ("may", "мая", "мамыр"), ("june", "jun", "июня", "маусым"),
        ("july", "jul", "июля", "шілде"), ("august", "aug", "августа", "тамыз"),
        ("september", "sep", "sept", "сентября", "қыркүйек"), ("october", "oct", "октября", "қазан"),
        ("november", "nov", "ноября", "қараша"), ("december", "dec", "декабря", "желтоқсан"),
    ])
    for name in names
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_TIME = r"(?:,?\s*(?:at\s+)?(?P<hh>[01]?\d|2[0-3]):(?P<mi>[0-5]\d))?"
# Some sites print the time first: "16:20, 05 November 2015".
_LEAD_TIME = r"(?:\b(?P<h0>[01]?\d|2[0-3]):(?P<m0>[0-5]\d),?\s+)?"

DATE_PATTERNS = [
    re.compile(rf"{_LEAD_TIME}\b(?P<d>[0-3]?\d)\s+(?P<mon>{_MONTH_RE})\.?,?\s+(?P<y>(?:19|20)\d\d)\b{_TIME}",
               re.IGNORECASE),
    re.compile(rf"{_LEAD_TIME}\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b{_TIME}",
               re.IGNORECASE),
    re.compile(rf"{_LEAD_TIME}\b(?P<d>[0-3]\d)\.(?P<m>[01]\d)\.(?P<y>(?:19|20)\d\d)\b{_TIME}"),
    re.compile(rf"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[T ](?P<hh>[01]\d|2[0-3]):(?P<mi>[0-5]\d))?\b"),
]
_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")
# A year that is a horizon or the end of a range, not the time reported on.
_NOT_REPORTED_YEAR = re.compile(
    r"(?:\b(?:by|till|until|through|up to|before|to|for|until the end of)\s+(?:the\s+(?:end\s+of\s+)?)?|[-–—]\s*)$",
    re.IGNORECASE)


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    date: dt.date
    time: dt.time | None


@dataclass(frozen=True)
class Metadata:
    """What the page says about itself. Spans are offsets in the original text."""

    title: str | None
    title_span: tuple[int, int] | None
    published: dt.date | None
    published_time: dt.time | None
    date_span: tuple[int, int] | None
    about_year: int | None
    about_year_inferred: bool
    publisher: tuple[str, int, int] | None
    cited_source: tuple[str, int, int] | None


def find_dates(text: str) -> list[DateMatch]:
    """Every calendar date in the text, in order, without overlaps."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            parsed = _to_date(m)
            if parsed:
                found.append(DateMatch(m.start(), m.end(), *parsed))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def _to_date(m: re.Match[str]) -> tuple[dt.date, dt.time | None] | None:
    groups = m.groupdict()
    month = MONTHS[groups["mon"].lower()] if groups.get("mon") else int(groups["m"])
    try:
        day = dt.date(int(groups["y"]), month, int(groups["d"]))
    except ValueError:
        return None
    hour, minute = (groups.get("hh"), groups.get("mi")) if groups.get("hh") else (groups.get("h0"), groups.get("m0"))
    time = dt.time(int(hour), int(minute)) if hour else None
    return day, time


@lru_cache(maxsize=1)
def _source_patterns() -> list[tuple[re.Pattern[str], str]]:
    data = json.loads(resources.files("graph.patterns").joinpath("sources.json").read_text("utf-8"))
    return [(re.compile(p["regex"]), p["role"]) for p in data["patterns"]]


def find_sources(text: str) -> tuple[tuple[str, int, int] | None, tuple[str, int, int] | None]:
    """(publisher, cited source) as (name, start, end), from phrases like 'El.kz cites primeminister.kz'."""
    publisher = cited = None
    for pattern, role in _source_patterns():
        for m in pattern.finditer(text):
            for group in ("publisher", "source"):
                if group in m.groupdict() and m.group(group):
                    value = (m.group(group), m.start(group), m.end(group))
                    if group == "publisher" and publisher is None:
                        publisher = value
                    elif group == "source" and cited is None:
                        cited = value
            if role == "publisher-only" and publisher:
                break
    return publisher, cited


def reported_year(text: str, today: dt.date | None = None) -> int | None:
    """The latest year the text reports on: years that are horizons ('by 2025') don't count."""
    latest = (today or dt.date.today()).year
    years = []
    for m in _YEAR.finditer(text):
        year = int(m.group(1))
        before = text[max(0, m.start() - 25):m.start()]
        if year > latest or _NOT_REPORTED_YEAR.search(before):
            continue
        years.append(year)
    return max(years) if years else None


def read_metadata(text: str, analysis_text: str, title_span: tuple[int, int] | None,
                  header_end: int) -> Metadata:
    """Metadata of a page: the date is looked for in the header, everything else in the text."""
    dates = [d for d in find_dates(text[:header_end])]
    published = dates[0] if dates else None
    publisher, cited = find_sources(text)
    if published:
        about, inferred = published.date.year, False
    else:
        about, inferred = reported_year(analysis_text), True
    return Metadata(
        title=text[title_span[0]:title_span[1]] if title_span else None,
        title_span=title_span,
        published=published.date if published else None,
        published_time=published.time if published else None,
        date_span=(published.start, published.end) if published else None,
        about_year=about,
        about_year_inferred=inferred and about is not None,
        publisher=publisher,
        cited_source=cited,
    )
