"""Indicator observations as pages show them: a readable value with its unit, period and source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from graph.namespaces import SDMX_ATTRIBUTE, SDMX_DIMENSION, SDMX_MEASURE

from .entity import Evidence
from .facts import FactRecord
from .labels import local_name
from .links import Link, link
from .state import state
from .temporal import parse_date

# Units as they are written after a number; the rest show their QUDT local name.
UNIT_SYMBOLS = {
    "PERCENT": "%",
    "UNITLESS": "×",
    "NUM": "",
    "TONNE": "t",
    "KiloM": "km",
    "M2": "m²",
    "HA": "ha",
    "MegaW": "MW",
}
SCALES = (
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
)


@dataclass
class Observation:
    iri: str
    indicator: str
    value: Decimal
    unit: str | None = None
    kind: str | None = None  # local name of the value kind: actual | target | plan | change
    counted: str | None = None
    words: str | None = None  # the figure as the document writes it
    period_label: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    area: str | None = None
    program: str | None = None
    stated_by: str | None = None
    target_of: str | None = None
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def unit_symbol(self) -> str:
        return unit_symbol(self.unit)

    @property
    def display(self) -> str:
        return format_value(self.value, self.unit_symbol)

    @property
    def when(self) -> dt.date | None:
        """The day a chart puts the figure on: the middle of its period (or the period's one
        known end), else its document's date."""
        if self.period_start and self.period_end:
            return self.period_start + (self.period_end - self.period_start) / 2
        if self.period_end or self.period_start:
            return self.period_end or self.period_start
        for e in self.evidence:
            if e.date:
                return day_of(e.date)
        return None

    @property
    def dated_by_document(self) -> bool:
        return not (self.period_end or self.period_start)


def day_of(text: str) -> dt.date | None:
    """'2012-11-27' -> that day; '2013' (a year) -> its middle."""
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 else dt.date(int(text[:4]), 7, 1)
    except ValueError:
        return None


def unit_symbol(unit: str | None) -> str:
    if not unit:
        return ""
    name = local_name(unit)
    return UNIT_SYMBOLS.get(name, name)


def format_value(value: Decimal, unit: str = "") -> str:
    """31400000000000 KZT -> '31.4 trillion KZT'; 18.2 % -> '18.2 %'; 637 -> '637'."""
    magnitude = abs(value)
    text = None
    if unit not in ("%", "×"):
        for scale, word in SCALES:
            if magnitude >= scale:
                text = f"{_plain(value / scale)} {word}"
                break
    if text is None:
        text = f"{value:,.2f}".rstrip("0").rstrip(".") if magnitude >= 1000 else _plain(value)
    return f"{text} {unit}".strip() if unit else text


def _plain(value: Decimal) -> str:
    rounded = value.quantize(Decimal("0.001")) if value != value.to_integral() else value
    text = format(rounded.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def observations_of(records: dict[str, FactRecord]) -> list[Observation]:
    """Observations from the fact records of observation nodes."""
    kz = state().vocab.kz
    found = []
    for record in records.values():
        indicator, value = record.iri(kz + "indicator"), record.text(SDMX_MEASURE + "obsValue")
        if indicator is None or value is None:
            continue
        try:
            number = Decimal(value)
        except InvalidOperation:
            continue
        kind = record.iri(kz + "valueKind")
        found.append(
            Observation(
                record.node,
                indicator,
                number,
                record.iri(SDMX_ATTRIBUTE + "unitMeasure"),
                local_name(kind) if kind else None,
                record.iri(kz + "countedThing"),
                record.text(kz + "surfaceText"),
                record.text(kz + "periodLabel"),
                parse_date(record.first(kz + "periodStart")),
                parse_date(record.first(kz + "periodEnd")),
                record.one("place") or record.iri(SDMX_DIMENSION + "refArea"),
                record.iri(kz + "aboutProgram"),
                record.iri(kz + "statedBy"),
                record.iri(kz + "targetOf"),
                record.evidence,
            )
        )
    return found


@dataclass
class TargetRow:
    """One indicator of a program: the targets it sets next to the values reported."""

    indicator: Link
    targets: list[Observation]
    reported: list[Observation]


def targets_and_reports(items: list[Observation]) -> list[TargetRow]:
    """Group a program's figures by indicator; indicators with targets first."""
    by_indicator: dict[str, TargetRow] = {}
    for obs in items:
        row = by_indicator.setdefault(obs.indicator, TargetRow(link(obs.indicator), [], []))
        (row.targets if obs.kind == "target" or obs.target_of else row.reported).append(obs)
    rows = list(by_indicator.values())
    rows.sort(key=lambda r: (not r.targets, r.indicator.text.lower()))
    return rows
