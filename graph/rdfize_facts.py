"""Fact nodes of a document graph: tenures, observations, projects, meetings, instructions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pyoxigraph import Literal

from .extract.model import Observation, Period
from .iris import slugify, unique_slug
from .namespaces import (CUR, ORG, QB, RDF, RDFS, SDMX_ATTRIBUTE, SDMX_DIMENSION, SDMX_MEASURE,
                         SKOS, UNIT)
from .rdfize import decimal_lexical, gyear

if TYPE_CHECKING:
    from .rdfize import DocumentGraph

UNITS = {"KZT": CUR + "KZT", "USD": CUR + "USD", "EUR": CUR + "EUR", "RUB": CUR + "RUB",
         "CNY": CUR + "CNY", "percent": UNIT + "PERCENT", "times": UNIT + "UNITLESS",
         "count": UNIT + "NUM"}
COUNTED_WITH_NOTATION = {"jobs", "projects", "people"}
MEETING_CLASSES = {"government": "GovernmentSession", "presidential": "PresidentialMeeting",
                   "bilateral": "BilateralMeeting"}


def write_facts(g: DocumentGraph) -> None:
    meetings = _meetings(g)
    _posts(g)
    _programs(g)
    projects = _projects(g)
    for obs in g.x.observations:
        _observation(g, obs, meetings[0] if meetings else None, projects)
    _instructions(g, meetings[0] if meetings else None)


def _attested(g: DocumentGraph, node: str) -> None:
    d = g.x.doc
    if d.published:
        g.w.typed(node, g.kz + "attestedOn", d.published)
    elif d.about_year:
        g.w.add(node, g.kz + "attestedYear", gyear(d.about_year))


def post_iri(g_minter, linking, stem: str, post) -> str | None:
    org = linking.iri(stem, post.organization)
    if linking.iri(stem, post.person) is None or org is None:
        return None
    return g_minter.post(post.role, org.rsplit("/", 1)[-1])


def _posts(g: DocumentGraph) -> None:
    w, kz = g.w, g.kz
    for post in g.x.posts:
        person = g.entity_iri(post.person)
        iri = post_iri(g.minter, g.linking, g.stem, post)
        if person is None or iri is None:
            continue
        tenure = g.fact_iri("tenure")
        w.add(tenure, RDF + "type", kz + "Tenure")
        w.add(tenure, ORG + "member", person)
        w.add(tenure, kz + "post", iri)
        w.text(tenure, kz + "statedTitle", post.stated_title)
        _attested(g, tenure)
        w.add(tenure, kz + "evidence", g.evidence(post.span))


def post_description_quads(extractions, linking, minter, reference_names: dict[str, str],
                           reference_subjects: set[str]):
    """The posts tenures point to, once each, into graph/entities: type, role, organization,
    jurisdiction and one label. Posts of the reference data are described there already."""
    from .rdfize import QuadWriter
    w = QuadWriter(minter.vocab.graph("entities"))
    kz, vocab = minter.vocab.kz, minter.vocab
    seen: dict[str, tuple] = {}
    for x in sorted(extractions, key=lambda x: x.doc.file_name):
        for post in x.posts:
            iri = post_iri(minter, linking, x.doc.stem, post)
            if iri is None or iri in seen or iri in reference_subjects:
                continue
            seen[iri] = (post.role, linking.iri(x.doc.stem, post.organization),
                         linking.iri(x.doc.stem, post.place))
    for iri in sorted(seen):
        role, org, place = seen[iri]
        role_iri = vocab.entity("role", role)
        w.add(iri, RDF + "type", kz + "Post")
        w.add(iri, ORG + "role", role_iri)
        w.add(iri, ORG + "postIn", org)
        if place:
            w.add(iri, kz + "jurisdiction", place)
        role_name = reference_names.get(role_iri) or role.replace("-", " ")
        w.text(iri, SKOS + "prefLabel", f"{role_name}, {linking.entities[org].name}", "en")
    return w.quads


def _programs(g: DocumentGraph) -> None:
    for entity in g.x.entities:
        if entity.kind != "program":
            continue
        iri = g.entity_iri(entity.id)
        if iri is None:
            continue
        for attr, prop in (("start", "startDate"), ("end", "endDate")):
            year = entity.attributes.get(attr)
            if year:
                day = dt.date(year, 1, 1) if attr == "start" else dt.date(year, 12, 31)
                g.w.typed(iri, g.kz + prop, day)


def period_node(g: DocumentGraph, period: Period) -> str:
    iri = g.minter.period(period.label)
    w, kz = g.w, g.kz
    w.add(iri, RDF + "type", kz + "Period")
    w.text(iri, kz + "periodLabel", period.label)
    w.text(iri, RDFS + "label", period.label)
    if period.start:
        w.typed(iri, kz + "startDate", period.start)
    if period.end:
        w.typed(iri, kz + "endDate", period.end)
    return iri


def _indicator(g: DocumentGraph, label: str) -> str:
    iri = g.vocab.entity("indicator", slugify(label))
    g.w.add(iri, RDF + "type", g.kz + "Indicator")
    g.w.add(iri, SKOS + "inScheme", g.vocab.entity("scheme", "indicators"))
    g.w.text(iri, SKOS + "prefLabel", label, "en")
    return iri


def _observation(g: DocumentGraph, obs: Observation, meeting: str | None,
                 projects: dict[int, str]) -> None:
    w, kz, vocab = g.w, g.kz, g.vocab
    node = g.fact_iri("obs")
    w.add(node, RDF + "type", kz + "IndicatorObservation")
    w.add(node, QB + "dataSet", vocab.entity("dataset", "figures"))
    w.add(node, kz + "indicator", _indicator(g, obs.indicator))
    w.add(node, SDMX_MEASURE + "obsValue",
          Literal(decimal_lexical(obs.value), datatype=_xsd("decimal")))
    w.add(node, SDMX_ATTRIBUTE + "unitMeasure", unit_iri(obs, vocab))
    if obs.unit == "count" and obs.counted:
        counted = obs.counted if obs.counted in COUNTED_WITH_NOTATION else "other"
        w.add(node, kz + "countedThing", vocab.entity("counted", counted))
    w.add(node, kz + "valueKind", vocab.entity("value-kind", obs.kind))
    w.add(node, kz + "measureType", vocab.entity("measure-type", _measure_slug(obs.measure)))
    if obs.period:
        w.add(node, SDMX_DIMENSION + "refPeriod", period_node(g, obs.period))
        w.text(node, kz + "periodLabel", obs.period.label)
        if obs.period.start:
            w.typed(node, kz + "periodStart", obs.period.start)
        if obs.period.end:
            w.typed(node, kz + "periodEnd", obs.period.end)
    if obs.base_period:
        w.add(node, kz + "basePeriod", period_node(g, obs.base_period))
    for prop, entity_id in ((SDMX_DIMENSION + "refArea", obs.area), (kz + "statedBy", obs.stated_by),
                            (kz + "aboutProgram", obs.program)):
        target = g.entity_iri(entity_id)
        if target:
            w.add(node, prop, target)
    if obs.project is not None and obs.project in projects:
        w.add(node, kz + "aboutProject", projects[obs.project])
    program = g.entity_iri(obs.program)
    if obs.kind == "target" and program:
        w.add(program, kz + "hasTarget", node)
    if meeting and obs.project is None:
        w.add(node, kz + "reportedAt", meeting)
    if obs.qualifier:
        w.typed(node, kz + "approximate", True)
        w.text(node, kz + "valueQualifier", obs.qualifier)
    w.text(node, kz + "surfaceText", obs.span.text)
    w.add(node, kz + "evidence", g.evidence(obs.span))


def unit_iri(obs: Observation, vocab) -> str:
    """QUDT IRI of the unit; physical units QUDT names ('tons' -> unit:TONNE), else a local one."""
    if obs.unit != "other":
        return UNITS.get(obs.unit, UNIT + "NUM")
    from .extract.quantities import lexicon
    qudt = lexicon()["qudt_units"].get(obs.counted or "")
    return UNIT + qudt if qudt else vocab.entity("unit", slugify(obs.counted or "unit"))


def _measure_slug(measure: str) -> str:
    return {"absoluteChange": "absolute-change", "percentChange": "percent-change"}.get(measure, measure)


def _xsd(local: str):
    from pyoxigraph import NamedNode
    return NamedNode("http://www.w3.org/2001/XMLSchema#" + local)


def _projects(g: DocumentGraph) -> dict[int, str]:
    w, kz, vocab = g.w, g.kz, g.vocab
    iris: dict[int, str] = {}
    for n, project in enumerate(g.x.projects):
        iri = vocab.entity("project", unique_slug(project.name))
        iris[n] = iri
        w.add(iri, RDF + "type", kz + "InvestmentProject")
        w.text(iri, SKOS + "prefLabel", project.name, "en")
        place = g.entity_iri(project.place)
        if place:
            w.add(iri, kz + "projectLocation", place)
        program = g.entity_iri(project.program)
        if program:
            w.add(iri, kz + "includedIn", program)
        w.add(iri, kz + "evidence", g.evidence(project.span))
        if project.status:
            report = g.fact_iri("status")
            w.add(report, RDF + "type", kz + "ProjectStatusReport")
            w.add(report, kz + "aboutProject", iri)
            w.add(report, kz + "status", vocab.entity("project-status", slugify(project.status)))
            if g.x.doc.published:
                w.typed(report, kz + "asOf", g.x.doc.published)
            w.add(report, kz + "evidence", g.evidence(project.span))
    return iris


def _meetings(g: DocumentGraph) -> list[str]:
    w, kz = g.w, g.kz
    iris = []
    for meeting in g.x.meetings:
        node = g.fact_iri("meeting")
        iris.append(node)
        cls = MEETING_CLASSES.get(meeting.kind, "Meeting")
        w.add(node, RDF + "type", kz + cls)
        w.text(node, kz + "meetingKind", meeting.kind)
        label = {"government": "Government meeting", "presidential": "Meeting chaired by the President",
                 "bilateral": "Meeting"}.get(meeting.kind, "Meeting")
        if meeting.date:
            w.typed(node, kz + "meetingDate", meeting.date)
            label += f", {meeting.date.isoformat()}"
        w.text(node, RDFS + "label", label, "en")
        for prop, ids in ((kz + "chair", [meeting.chair]), (kz + "speaker", meeting.speakers),
                          (kz + "discussedProgram", meeting.programs)):
            for entity_id in ids:
                target = g.entity_iri(entity_id)
                if target:
                    w.add(node, prop, target)
        w.add(node, kz + "evidence", g.evidence(meeting.span))
    return iris


def _instructions(g: DocumentGraph, meeting: str | None) -> None:
    w, kz = g.w, g.kz
    for instruction in g.x.instructions:
        node = g.fact_iri("instruction")
        w.add(node, RDF + "type", kz + "Instruction")
        issuer = g.entity_iri(instruction.issuer)
        if issuer:
            w.add(node, kz + "issuer", issuer)
        for entity_id in instruction.addressees:
            target = g.entity_iri(entity_id)
            if target:
                w.add(node, kz + "addressee", target)
        for role in instruction.addressee_roles:
            w.add(node, kz + "addressee", g.vocab.entity("role", role))
        w.text(node, kz + "addresseeText", instruction.addressee_text)
        w.text(node, kz + "content", instruction.content)
        if instruction.deadline:
            w.typed(node, kz + "deadline", instruction.deadline)
        if instruction.deadline_text:
            w.text(node, kz + "deadlineText", instruction.deadline_text)
        if meeting:
            w.add(node, kz + "issuedAt", meeting)
        w.add(node, kz + "evidence", g.evidence(instruction.span))
