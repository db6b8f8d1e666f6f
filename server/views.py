"""Views that fit each kind of entity: a person's posts over time, a program's targets next to
the values reported, a region's akims, projects and figures, an indicator's chart, a meeting's
participants, a document's marked text. Each is computed only when the entity has that type,
so pages of data that is not kazkg's simply have none of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyoxigraph as ox

from . import charts
from .documents import DocumentView, document_view
from .entity import Evidence
from .facts import FactRecord, read_fact_parts
from .figures import Observation, TargetRow, observations_of, targets_and_reports
from .links import Link, link
from .state import state
from .temporal import (
    Holding,
    NameOnDate,
    Tenure,
    held_on,
    names_on,
    tenures_of,
)


@dataclass
class Meeting:
    meeting: Link
    date: str | None
    chair: Link | None
    role: str | None  # the person's part in it: chair | speaker
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Instruction:
    instruction: Link
    issuer: Link | None
    content: str
    deadline: str | None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Project:
    project: Link
    location: Link | None
    program: Link | None
    status: Link | None
    as_of: str | None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class FigureSet:
    """Observations with their chart (one panel per unit) and a table."""

    items: list[Observation]
    panels: list[charts.Panel]
    legend: list[tuple[str, str, str]]  # (series name, colour, marker) for the legend


@dataclass
class Views:
    """Everything kind-specific one entity page shows; empty parts are not rendered."""

    kinds: list[str] = field(default_factory=list)
    tenures: list[Tenure] = field(default_factory=list)
    tenure_lane: str = "post"  # what a timeline lane is: the post, or the person holding it
    timeline: charts.Timeline | None = None
    held: list[Holding] | None = None
    meetings: list[Meeting] = field(default_factory=list)
    instructions: list[Instruction] = field(default_factory=list)
    figures: FigureSet | None = None
    targets: list[TargetRow] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    period: tuple[str | None, str | None] | None = None
    runs_on: bool | None = None
    names_on: list[NameOnDate] = field(default_factory=list)
    document: DocumentView | None = None
    meeting: dict | None = None


KIND_OF_CLASS = {
    "Person": "person",
    "Program": "program",
    "Place": "place",
    "Indicator": "indicator",
    "Meeting": "meeting",
    "NewsArticle": "document",
    "Post": "post",
    "Organization": "organization",
}
# Page kinds that have the "as of a date" mode.
ASOF_KINDS = {"person", "post", "organization", "program", "place"}


def kinds_of(types: list[str]) -> list[str]:
    kz = state().vocab.kz
    found = [
        KIND_OF_CLASS[t[len(kz) :]]
        for t in types
        if t.startswith(kz) and t[len(kz) :] in KIND_OF_CLASS
    ]
    return sorted(set(found), key=list(KIND_OF_CLASS.values()).index)


def build_views(
    iri: str,
    types: list[str],
    asof: dt.date | None,
    outgoing_values: dict[str, list[str]],
    usages: list | None = None,
) -> Views:
    """The kind-specific parts of an entity page: one query per kind (queries/pages/view-*.rq).
    `outgoing_values`: property -> values; `usages`: the entity's dated names."""
    views = Views(kinds=kinds_of(types))
    node = ox.NamedNode(iri)
    kz = state().vocab.kz
    kinds = set(views.kinds)
    if "person" in kinds:
        parts = read_fact_parts("pages/view-person", person=node)
        views.tenures = tenures_of(parts.get("tenure", {}), person=node)
        views.meetings = _meetings(parts.get("meeting", {}))
        views.instructions = _instructions(parts.get("instruction", {}))
        views.figures = figure_set(observations_of(parts.get("figure", {})))
    elif "post" in kinds:
        parts = read_fact_parts("pages/view-post", post=node)
        views.tenures = tenures_of(parts.get("tenure", {}), post=node)
        views.tenure_lane = "person"
    elif "organization" in kinds:
        parts = read_fact_parts("pages/view-organization", org=node)
        views.tenures = tenures_of(parts.get("tenure", {}), org=node)
    elif "place" in kinds:
        parts = read_fact_parts("pages/view-place", area=node)
        views.tenures = tenures_of(parts.get("tenure", {}), area=node)
        views.projects = _projects(parts.get("project", {}))
        views.figures = figure_set(observations_of(parts.get("figure", {})))
        if asof:
            views.names_on = names_on(asof, node, usages)
    if "program" in kinds:
        parts = read_fact_parts("pages/view-program", program=node)
        figures = observations_of(parts.get("figure", {}))
        views.targets = targets_and_reports(figures)
        views.projects = _projects(parts.get("project", {}))
        views.meetings = _meetings(parts.get("meeting", {}))
        start = (outgoing_values.get(kz + "startDate") or [None])[0]
        end = (outgoing_values.get(kz + "endDate") or [None])[0]
        views.period = (start, end) if start or end else None
        if asof and views.period:
            views.runs_on = _runs_on(start, end, asof)
    if "indicator" in kinds:
        parts = read_fact_parts("pages/view-indicator", indicator=node)
        views.figures = figure_set(observations_of(parts.get("figure", {})))
    if "meeting" in kinds:
        views.meeting = _meeting(node, outgoing_values, kz)
    if "document" in kinds:
        views.document = document_view(iri)
    if views.tenures:
        views.timeline = _timeline(views.tenures, views.tenure_lane)
        if asof:
            views.held = held_on(views.tenures, asof)
    elif asof and kinds & {"person", "post", "organization"}:
        views.held = []
    return views


def _runs_on(start: str | None, end: str | None, day: dt.date) -> bool:
    first = dt.date.fromisoformat(start[:10]) if start else None
    last = dt.date.fromisoformat(end[:10]) if end else None
    return bool(first and first <= day and (last is None or day <= last))


def _meetings(records: dict[str, FactRecord]) -> list[Meeting]:
    kz = state().vocab.kz
    found = []
    for r in records.values():
        chair = r.iri(kz + "chair")
        roles = sorted(t.value for t in r.extra.get("as", []))
        found.append(
            Meeting(
                link(r.node),
                r.text(kz + "meetingDate"),
                link(chair) if chair else None,
                " and ".join(roles) or None,
                r.evidence,
            )
        )
    return sorted(found, key=lambda m: (m.date or "", m.meeting.text))


def _instructions(records: dict[str, FactRecord]) -> list[Instruction]:
    kz = state().vocab.kz
    found = []
    for r in records.values():
        issuer = r.iri(kz + "issuer")
        found.append(
            Instruction(
                link(r.node),
                link(issuer) if issuer else None,
                r.text(kz + "content") or "",
                r.text(kz + "deadline") or r.text(kz + "deadlineText"),
                r.evidence,
            )
        )
    return found


def _projects(records: dict[str, FactRecord]) -> list[Project]:
    kz = state().vocab.kz
    found = []
    for r in records.values():
        location, program = r.iri(kz + "projectLocation"), r.iri(kz + "includedIn")
        # status reports (their status and their date come in rows of their own); the latest
        # says where the project stands
        by_report: dict[str, dict] = {}
        for group in r.groups:
            if "report" in group:
                by_report.setdefault(group["report"].value, {}).update(group)
        reports = sorted(by_report.values(),
                         key=lambda g: (g["asOf"].value if "asOf" in g else "", g["report"].value))
        status = reports[-1] if reports else {}
        found.append(
            Project(
                link(r.node),
                link(location) if location else None,
                link(program) if program else None,
                link(status["status"].value) if "status" in status else None,
                status["asOf"].value if "asOf" in status else None,
                r.evidence,
            )
        )
    return sorted(found, key=lambda p: (p.project.text.lower(), p.project.iri))


def figure_set(items: list[Observation]) -> FigureSet | None:
    """The observations in a table and, where they can be dated, on a chart."""
    if not items:
        return None
    data = []
    for obs in items:
        day = obs.when
        if day is None:
            continue
        area = link(obs.area).text if obs.area else ""
        title = (
            f"{link(obs.indicator).text}: {obs.display} ({obs.kind or 'value'}, "
            f"{obs.period_label or 'dated by its article ' + str(day)})"
        )
        data.append(
            charts.Datum(
                day,
                float(obs.value),
                _panel_name(obs),
                obs.kind or "value",
                area,
                title,
                obs.evidence[0].url if obs.evidence else link(obs.iri).url,
                obs.dated_by_document,
            )
        )
    panels = charts.observation_chart(data) if data else []
    legend: dict[str, tuple[str, str]] = {}
    for panel in panels:
        for s in panel.series:
            legend.setdefault(s.name, (s.colour, s.marker))
    items.sort(key=lambda o: (o.when or dt.date.max, link(o.indicator).text, o.iri))
    return FigureSet(items, panels, [(name, c, m) for name, (c, m) in sorted(legend.items())])


def _panel_name(obs: Observation) -> str:
    """Panels by indicator and unit: one axis never mixes tenge with percent or counts."""
    unit = obs.unit_symbol or (link(obs.counted).text if obs.counted else "count")
    return f"{link(obs.indicator).text} ({unit})"


def _timeline(items: list[Tenure], lane: str) -> charts.Timeline | None:
    spans = []
    for t in items:
        first = t.first_day
        if first is None:
            continue
        lane_iri = t.person if lane == "person" else t.post
        lane_link = link(lane_iri)
        other = link(t.post if lane == "person" else t.person).text
        spans.append(
            charts.Span(
                lane_link.text,
                lane_link.url,
                first,
                t.end if t.known else None,
                t.known,
                f"{other}: {t.when}",
                t.evidence[0].url if t.evidence else (t.sources or [None])[0],
            )
        )
    return charts.timeline(spans, dt.date.today())


def _meeting(node: ox.NamedNode, values: dict[str, list[str]], kz: str) -> dict:
    """Date, chair, speakers and programs of a meeting; figures and instructions given at it."""

    def links(prop: str) -> list[Link]:
        return [link(v) for v in values.get(kz + prop, [])]

    parts = read_fact_parts("pages/view-meeting", meeting=node)
    date = (values.get(kz + "meetingDate") or [None])[0]
    return {
        "date": date,
        "chair": links("chair"),
        "speakers": links("speaker"),
        "programs": links("discussedProgram"),
        "figures": observations_of(parts.get("figure", {})),
        "instructions": _instructions(parts.get("instruction", {})),
    }

