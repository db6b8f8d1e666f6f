"""Who held which post, and which programs ran, on a date: from known and attested tenures.

A known tenure (curated, from a stored source) has a start and maybe an end: it covers every day
in between. An attested tenure is an article stating the post on its publication date (or in the
year it reports on): it shows the post held on that day, and near it. Attestations that a known
tenure of the same person and post already explains are not repeated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.namespaces import DCTERMS

from .entity import Evidence
from .facts import FactRecord, read_fact_parts
from .links import Link, link
from .state import solutions, state

# An article's attestation counts as evidence for dates this close to its own (it is shown
# with its own date, so the reader sees how far it is).
ATTESTATION_WINDOW = dt.timedelta(days=183)


@dataclass
class Tenure:
    iri: str
    person: str
    post: str
    org: str | None = None
    area: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    attested_on: dt.date | None = None
    attested_year: int | None = None
    title: str | None = None
    sources: list[str] = field(default_factory=list)  # URLs of curated sources
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return self.start is not None

    @property
    def first_day(self) -> dt.date | None:
        """The earliest day the tenure is known or attested."""
        if self.start:
            return self.start
        if self.attested_on:
            return self.attested_on
        return dt.date(self.attested_year, 1, 1) if self.attested_year else None

    @property
    def last_day(self) -> dt.date | None:
        if self.start:
            return self.end
        if self.attested_on:
            return self.attested_on
        return dt.date(self.attested_year, 12, 31) if self.attested_year else None

    @property
    def when(self) -> str:
        """'2012-09-24 – 2014-04-02', 'since 2019-03-20', 'attested 2012-11-27', 'attested in 2013'
        (a known period, or when an article attests the post)."""
        if self.start:
            return f"{self.start} – {self.end}" if self.end else f"since {self.start}"
        if self.attested_on:
            return f"attested {self.attested_on}"
        if self.attested_year:
            return f"attested in {self.attested_year}"
        return "date unknown"

    def covers(self, day: dt.date) -> bool:
        """A known tenure's period contains the day."""
        return bool(self.start and self.start <= day and (self.end is None or day <= self.end))

    def attests_near(self, day: dt.date) -> bool:
        if self.attested_on:
            return abs(self.attested_on - day) <= ATTESTATION_WINDOW
        return self.attested_year == day.year if self.attested_year else False


@dataclass(frozen=True)
class Holding:
    """A tenure that answers "who held this post on that day", and how it is known."""

    tenure: Tenure
    how: str  # 'known' | 'attested'


def parse_date(term: ox.Literal | ox.NamedNode | ox.BlankNode | None) -> dt.date | None:
    if not isinstance(term, ox.Literal):
        return None
    try:
        return dt.date.fromisoformat(term.value[:10])
    except ValueError:
        return None


def parse_asof(text: str | None) -> dt.date | None:
    """?asof=YYYY-MM-DD; anything else is no date."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def all_tenures() -> list[Tenure]:
    """Every tenure of the served data (pages/tenures-all.rq), read once per process."""
    st = state()
    return st.once("tenures", lambda: tenures_of(
        read_fact_parts("pages/tenures-all").get("tenure", {})))


def tenures_of(records: dict[str, FactRecord], **bindings: ox.NamedNode) -> list[Tenure]:
    """Tenures from the fact records of tenure nodes (`bindings`: the query's parameters, e.g.
    person=…, which the rows do not repeat)."""
    kz = state().vocab.kz
    found = []
    for record in records.values():
        person = record.one("person") or _bound(bindings, "person")
        post = record.one("post") or _bound(bindings, "post")
        if person is None or post is None:
            continue
        year = record.text(kz + "attestedYear")
        found.append(
            Tenure(
                record.node,
                person,
                post,
                record.one("org") or _bound(bindings, "org"),
                record.iri(kz + "jurisdiction") or _bound(bindings, "area"),
                parse_date(record.first(kz + "startDate")),
                parse_date(record.first(kz + "endDate")),
                parse_date(record.first(kz + "attestedOn")),
                int(year[:4]) if year else None,
                record.text(kz + "statedTitle"),
                [t.value for t in record.values.get(DCTERMS + "source", [])],
                record.evidence,
            )
        )
    return sorted(found, key=lambda t: (t.first_day or dt.date.max, t.iri))


def _bound(bindings: dict[str, ox.NamedNode], name: str) -> str | None:
    term = bindings.get(name)
    return term.value if term is not None else None


def held_on(all_tenures: Iterable[Tenure], day: dt.date) -> list[Holding]:
    """The tenures that show a post held on `day`: known periods first, then attestations
    that no known tenure of the same person and post explains."""
    items = list(all_tenures)
    known = [t for t in items if t.known]
    result = [Holding(t, "known") for t in known if t.covers(day)]
    for t in items:
        if t.known or not t.attests_near(day):
            continue
        explained = any(
            k.person == t.person and k.post == t.post and k.covers(t.first_day or day)
            for k in known
        )
        covered_now = any(h.tenure.person == t.person and h.tenure.post == t.post for h in result)
        if explained and not covered_now:
            continue  # a known tenure explains the attestation and says it is over on `day`
        if not covered_now:
            result.append(Holding(t, "attested"))
    result.sort(
        key=lambda h: (
            link(h.tenure.org).text if h.tenure.org else "",
            link(h.tenure.post).text,
            h.how,
        )
    )
    return result


@dataclass(frozen=True)
class ProgramPeriod:
    program: Link
    start: dt.date | None
    end: dt.date | None

    def runs_on(self, day: dt.date) -> bool:
        return bool(self.start and self.start <= day and (self.end is None or day <= self.end))


def program_periods() -> list[ProgramPeriod]:
    st = state()
    periods = st.once("program_periods", lambda: [
        (r["program"].value, parse_date(r["start"]), parse_date(r["end"]))
        for r in st.queries.run(st.store(), "pages/programs-periods")
    ])
    return [ProgramPeriod(link(program), start, end) for program, start, end in periods]


@dataclass(frozen=True)
class NameOnDate:
    entity: Link
    name: str
    lang: str
    valid_from: dt.date | None
    valid_until: dt.date | None


def names_on(day: dt.date, entity: ox.NamedNode | None = None,
             usages: list | None = None) -> list[NameOnDate]:
    """Dated names in force on `day`: of one entity (its `usages` rows when the page has read
    them), or of every renamed one."""
    st = state()
    if entity is None:
        rows = st.once("name_usages", lambda: solutions(
            st.queries.run(st.store(), "pages/name-usages-all")))
    elif usages is not None:
        rows = sorted(usages, key=lambda r: (r["from"].value if r["from"] else "",
                                              r["usage"].value))
    else:
        rows = st.run("pages/name-usages", entity=entity)
    found: dict[str, NameOnDate] = {}
    for row in rows:
        start, end = parse_date(row["from"]), parse_date(row["until"])
        if (start is None and end is None) or (start and day < start) or (end and day > end):
            continue
        key = row["usage"].value
        if key not in found:
            subject = row["entity"].value if row["entity"] is not None else entity.value
            found[key] = NameOnDate(
                link(subject), row["name"].value, row["name"].language or "", start, end
            )
    return sorted(found.values(), key=lambda n: (n.entity.text, n.entity.iri))
