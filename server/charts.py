"""Charts drawn on the server as SVG geometry: no script and no network needed to see them.

Functions here compute coordinates only; templates/_chart.html turns them into SVG elements
(autoescaped like every template). A chart is one panel per unit, so that tenge and percent
never share an axis; series are told apart by colour and by marker shape.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

WIDTH, HEIGHT = 640, 260
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 84, 16, 30, 34
# Colours with at least 4.5:1 contrast on white, by value kind.
KIND_COLOURS = {"actual": "#0b5cad", "target": "#b3261e", "plan": "#7a4a00", "change": "#1b6e30"}
OTHER_COLOURS = ("#6a1b9a", "#00606e", "#5d4037", "#37474f")
MARKERS = ("circle", "square", "diamond", "triangle")


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    title: str  # tooltip and accessible name: what the point is
    url: str | None = None
    hollow: bool = False  # dated by its document, not by a stated period


@dataclass
class Series:
    name: str
    colour: str
    marker: str
    points: list[Point] = field(default_factory=list)
    path: str = ""


@dataclass(frozen=True)
class Tick:
    pos: float
    text: str


@dataclass
class Panel:
    title: str
    width: int
    height: int
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    series: list[Series]
    plot: tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True)
class Datum:
    """One value to plot: when, how much, in which panel and series, and what it is."""

    day: dt.date
    value: float
    panel: str
    kind: str
    group: str  # second series dimension (the area), shown by the marker shape
    title: str
    url: str | None = None
    hollow: bool = False


def nice_step(span: float, target: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about `target` ticks over `span`."""
    if span <= 0:
        return 1.0
    raw = span / target
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def value_ticks(low: float, high: float, fmt) -> tuple[float, float, list[tuple[float, str]]]:
    """A domain that starts at zero (or below, for negative values) with round ticks."""
    low, high = min(0.0, low), max(0.0, high)
    if high == low:
        high = low + 1
    step = nice_step(high - low)
    start = math.floor(low / step) * step
    end = math.ceil(high / step) * step
    ticks, value = [], start
    while value <= end + step / 2:
        ticks.append((value, fmt(value)))
        value += step
    return start, end, ticks


def year_ticks(first: dt.date, last: dt.date) -> list[dt.date]:
    years = list(range(first.year, last.year + 2))
    step = max(1, math.ceil(len(years) / 8))
    return [dt.date(y, 1, 1) for y in years[::step] if first <= dt.date(y, 1, 1) <= last]


def time_domain(days: Sequence[dt.date]) -> tuple[dt.date, dt.date]:
    first, last = min(days), max(days)
    pad = max(dt.timedelta(days=120), (last - first) * 0.06)
    return first - pad, last + pad


def _scale(value: float, lo: float, hi: float, out_lo: float, out_hi: float) -> float:
    return round(out_lo + (value - lo) / (hi - lo) * (out_hi - out_lo), 1)


def _compact(value: float) -> str:
    magnitude = abs(value)
    for scale, word in ((1e12, " trn"), (1e9, " bn"), (1e6, " mn"), (1e3, " k")):
        if magnitude >= scale:
            return f"{value / scale:g}{word}"
    return f"{Decimal(str(round(value, 6))).normalize():f}"


def observation_chart(data: Sequence[Datum]) -> list[Panel]:
    """One panel per unit: value over time, a series per (kind, area)."""
    panels: dict[str, list[Datum]] = {}
    for d in data:
        panels.setdefault(d.panel, []).append(d)
    groups = sorted({d.group for d in data})
    marker_of = {g: MARKERS[i % len(MARKERS)] for i, g in enumerate(groups)}
    other = iter(OTHER_COLOURS * 8)
    colour_of: dict[str, str] = {}
    for kind in sorted({d.kind for d in data}):
        colour_of[kind] = KIND_COLOURS.get(kind) or next(other)
    return [_panel(title, items, colour_of, marker_of) for title, items in sorted(panels.items())]


def _panel(
    title: str, items: list[Datum], colour_of: dict[str, str], marker_of: dict[str, str]
) -> Panel:
    left, top = MARGIN_LEFT, MARGIN_TOP
    right, bottom = WIDTH - MARGIN_RIGHT, HEIGHT - MARGIN_BOTTOM
    first, last = time_domain([d.day for d in items])
    x0, x1 = first.toordinal(), last.toordinal()
    lo, hi, yt = value_ticks(min(d.value for d in items), max(d.value for d in items), _compact)
    series: dict[tuple[str, str], Series] = {}
    for d in sorted(items, key=lambda d: (d.day, d.value)):
        key = (d.kind, d.group)
        s = series.get(key)
        if s is None:
            name = d.kind + (f" · {d.group}" if d.group else "")
            s = series[key] = Series(name, colour_of[d.kind], marker_of[d.group])
        s.points.append(
            Point(
                _scale(d.day.toordinal(), x0, x1, left, right),
                _scale(d.value, lo, hi, bottom, top),
                d.title,
                d.url,
                d.hollow,
            )
        )
    for s in series.values():
        if len(s.points) > 1:
            s.path = "M" + " L".join(f"{p.x},{p.y}" for p in s.points)
    x_ticks = [
        Tick(_scale(day.toordinal(), x0, x1, left, right), str(day.year))
        for day in year_ticks(first, last)
    ]
    y_ticks = [Tick(_scale(v, lo, hi, bottom, top), text) for v, text in yt]
    return Panel(
        title, WIDTH, HEIGHT, x_ticks, y_ticks, list(series.values()), (left, top, right, bottom)
    )


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    title: str
    url: str | None
    known: bool  # a known period (a bar) rather than an attestation (a dot)


@dataclass
class Lane:
    label: str
    url: str | None
    y: float
    bars: list[Bar]


@dataclass
class Timeline:
    width: int
    height: int
    lanes: list[Lane]
    x_ticks: list[Tick]
    plot: tuple[float, float, float, float]


@dataclass(frozen=True)
class Span:
    """A period in one lane: known (start to end, open-ended to `today`) or attested on a day."""

    lane: str
    lane_url: str | None
    start: dt.date
    end: dt.date | None
    known: bool
    title: str
    url: str | None = None


def timeline(spans: Sequence[Span], today: dt.date) -> Timeline | None:
    """Lanes of periods over a shared time axis (posts of a person, holders of a post)."""
    if not spans:
        return None
    lane_h, left, right, top = 28, 8, WIDTH - MARGIN_RIGHT, 8
    ends = [s.end or (today if s.known else s.start) for s in spans]
    first, last = time_domain([s.start for s in spans] + ends)
    x0, x1 = first.toordinal(), last.toordinal()
    lanes: dict[str, Lane] = {}
    for s, end in zip(spans, ends, strict=True):
        lane = lanes.get(s.lane)
        if lane is None:
            lane = lanes[s.lane] = Lane(s.lane, s.lane_url, 0, [])
        xa = _scale(s.start.toordinal(), x0, x1, left, right)
        xb = _scale(end.toordinal(), x0, x1, left, right)
        lane.bars.append(Bar(xa, max(xb - xa, 4.0), s.title, s.url, s.known))
    for i, lane in enumerate(lanes.values()):
        lane.y = top + i * lane_h
    bottom = top + len(lanes) * lane_h
    ticks = [
        Tick(_scale(d.toordinal(), x0, x1, left, right), str(d.year))
        for d in year_ticks(first, last)
    ]
    return Timeline(WIDTH, bottom + 24, list(lanes.values()), ticks, (left, top, right, bottom))
