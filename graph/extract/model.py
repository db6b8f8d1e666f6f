"""What extraction reads out of one document: plain data, no RDF, JSON-serialisable for the cache.

Every fact points to the Span it was read from; spans are offsets in the original text
(Unicode code points, end exclusive).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    sentence: int  # index into Extraction.sentences


@dataclass
class Mention:
    """A span naming an entity. `form` says how: name, alias, initials, surname, title."""

    id: int
    kind: str  # person | org | place | program
    span: Span
    form: str = "name"


@dataclass
class Entity:
    """An entity as one document knows it: its best name in this document and its mentions."""

    id: int
    kind: str  # person | org | place | program
    name: str
    subkind: str | None = None  # class hint: ministry, akimat, region, city, state_program …
    mentions: list[int] = field(default_factory=list)
    implied: bool = False  # named only through a title ('Minister of Energy' -> the ministry)
    implied_names: list[str] = field(default_factory=list)  # name forms of implied entities
    reference: str | None = None  # IRI of a reference entity the gazetteer matched
    attributes: dict[str, Any] = field(default_factory=dict)  # start/end years of programs…


@dataclass
class Post:
    """A person holding a post, as a title in the text states it."""

    person: int
    role: str  # role IRI slug: prime-minister, minister, akim …
    organization: int | None
    place: int | None
    stated_title: str
    span: Span


@dataclass
class Period:
    label: str  # '2011', '2012-01/2012-10', '2024-2028'
    start: dt.date | None
    end: dt.date | None


@dataclass
class Observation:
    """A figure: indicator, value in base units, unit, period, area, kind, who stated it."""

    indicator: str
    value: Decimal
    unit: str  # KZT | USD | EUR | RUB | percent | times | count
    counted: str | None  # jobs | projects | people | … when unit == count
    kind: str  # actual | target | plan | change
    measure: str  # level | absoluteChange | percentChange | multiple | share | count
    period: Period | None
    base_period: Period | None
    area: int | None
    stated_by: int | None
    qualifier: str | None
    program: int | None
    project: int | None
    span: Span
    in_project_list: bool = False


@dataclass
class Project:
    name: str
    place: int | None
    investment: Decimal | None
    jobs: int | None
    status: str | None
    program: int | None
    span: Span


@dataclass
class Meeting:
    kind: str
    date: dt.date | None
    chair: int | None
    speakers: list[int]
    programs: list[int]
    span: Span


@dataclass
class Instruction:
    issuer: int | None
    addressees: list[int]
    addressee_roles: list[str]  # role slugs: 'akim' for 'the akims of all regions'
    addressee_text: str
    content: str
    deadline: dt.date | None
    deadline_text: str | None
    span: Span


@dataclass
class DocumentInfo:
    file_name: str
    stem: str
    sha256: str
    length: int
    title: str | None
    title_span: tuple[int, int] | None
    published: dt.date | None
    published_time: dt.time | None
    about_year: int | None
    about_year_inferred: bool
    publisher: int | None
    cited_source: int | None
    chrome: list[tuple[int, int]]


@dataclass
class Extraction:
    doc: DocumentInfo
    sentences: list[tuple[int, int]]
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    instructions: list[Instruction] = field(default_factory=list)

    def entity(self, entity_id: int | None) -> Entity | None:
        return self.entities[entity_id] if entity_id is not None else None

    def to_json(self) -> dict[str, Any]:
        return _encode(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Extraction:
        return _decode(cls, data)


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$time": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "$decimal" in value:
            return Decimal(value["$decimal"])
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        if "$time" in value:
            return dt.time.fromisoformat(value["$time"])
        return {k: _decode_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode_value(v) for v in value]
    return value



def _decode(cls: type, data: dict[str, Any]) -> Any:
    nested: dict[str, type] = {"span": Span, "period": Period, "base_period": Period}
    if cls is Extraction:  # elsewhere 'mentions' are mention numbers (Entity.mentions)
        nested |= {"doc": DocumentInfo, "mentions": Mention, "entities": Entity, "posts": Post,
                   "observations": Observation, "projects": Project, "meetings": Meeting,
                   "instructions": Instruction}
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        raw = data[f.name]
        target = nested.get(f.name)
        if target is not None and raw is not None:
            if isinstance(raw, list):
                kwargs[f.name] = [_decode(target, item) for item in raw]
            else:
                kwargs[f.name] = _decode(target, raw)
        elif f.name in ("sentences", "chrome"):
            kwargs[f.name] = [tuple(s) for s in raw]
        elif f.name == "title_span" and raw is not None:
            kwargs[f.name] = tuple(raw)
        else:
            kwargs[f.name] = _decode_value(raw)
    return cls(**kwargs)
