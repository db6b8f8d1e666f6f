"""Index pages per class (programs, officials, organizations …) with counts and sorting, a
generic list of the instances of any class, and the "as of a date" page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, abort, render_template, request, url_for

from .links import Link, chosen_lang, iri_arg, link, require_utf8_query
from .state import solutions, state
from .temporal import all_tenures, held_on, names_on, parse_asof, program_periods

bp = Blueprint("browse", __name__)
bp.before_request(require_utf8_query)
PAGE_SIZE = 100


@dataclass(frozen=True)
class Column:
    key: str  # variable of the index query ('label' and 'kind' come from the label index)
    title: str
    numeric: bool = False


@dataclass(frozen=True)
class Index:
    slug: str
    title: str
    query: str
    columns: tuple[Column, ...]
    default_sort: str
    descending: bool = False
    blurb: str = ""


INDEXES = {
    i.slug: i
    for i in (
        Index(
            "programs",
            "Programs",
            "pages/index-programs",
            (
                Column("label", "Program"),
                Column("kind", "Kind"),
                Column("start", "Start"),
                Column("end", "End"),
                Column("documents", "Articles", True),
                Column("targets", "Targets", True),
                Column("projects", "Projects", True),
                Column("meetings", "Meetings", True),
            ),
            "documents",
            True,
            "State programs, plans, project maps, national projects and strategies.",
        ),
        Index(
            "officials",
            "Officials",
            "pages/index-officials",
            (
                Column("label", "Name"),
                Column("posts", "Posts", True),
                Column("lastSeen", "Last attested"),
                Column("documents", "Articles", True),
                Column("meetings", "Meetings", True),
                Column("figures", "Figures stated", True),
            ),
            "documents",
            True,
            "Persons: ministers, akims, heads of state bodies and companies.",
        ),
        Index(
            "organizations",
            "Organizations",
            "pages/index-organizations",
            (
                Column("label", "Organization"),
                Column("kind", "Kind"),
                Column("location", "Area"),
                Column("documents", "Articles", True),
                Column("posts", "Posts", True),
            ),
            "documents",
            True,
            "Ministries, agencies, akimats, companies, associations, media.",
        ),
        Index(
            "regions",
            "Regions",
            "pages/index-regions",
            (
                Column("label", "Area"),
                Column("kind", "Kind"),
                Column("documents", "Articles", True),
                Column("figures", "Figures", True),
                Column("projects", "Projects", True),
                Column("posts", "Posts", True),
            ),
            "documents",
            True,
            "The country, its regions, cities of republican significance and districts.",
        ),
        Index(
            "indicators",
            "Indicators",
            "pages/index-indicators",
            (
                Column("label", "Indicator"),
                Column("figures", "Figures", True),
                Column("first", "First period"),
                Column("last", "Last period"),
            ),
            "figures",
            True,
            "Economic and program indicators with the figures the articles state.",
        ),
        Index(
            "projects",
            "Projects",
            "pages/index-projects",
            (
                Column("label", "Project"),
                Column("location", "Location"),
                Column("program", "Program"),
                Column("status", "Status"),
            ),
            "label",
            False,
            "Industrial and investment projects.",
        ),
        Index(
            "meetings",
            "Meetings",
            "pages/index-meetings",
            (
                Column("label", "Meeting"),
                Column("kind", "Kind"),
                Column("date", "Date"),
                Column("chair", "Chair"),
                Column("speakers", "Speakers", True),
                Column("programs", "Programs", True),
            ),
            "date",
            True,
            "Government sessions and other meetings, with who chaired and who spoke.",
        ),
        Index(
            "documents",
            "Documents",
            "pages/index-documents",
            (
                Column("label", "Title"),
                Column("date", "Date"),
                Column("file", "File"),
                Column("entities", "Entities", True),
                Column("facts", "Facts", True),
            ),
            "date",
            True,
            "The news articles the graph is read from.",
        ),
    )
}


@dataclass
class Cell:
    text: str
    link: Link | None = None
    sort: object = None


def index_rows(index: Index) -> list[dict[str, Cell]]:
    """The rows of an index page, every cell with its text, link and sort key (computed once
    per process and label language: a build does not change)."""
    st = state()
    return st.once(f"index_rows:{index.slug}:{chosen_lang()}", lambda: _index_rows(index))


def _index_rows(index: Index) -> list[dict[str, Cell]]:
    rows = []
    for solution in index_solutions(index):
        entity = link(solution["entity"].value)
        row = {
            "label": Cell(entity.text, entity, entity.text.lower()),
            "kind": Cell(entity.type or "", None, (entity.type or "").lower()),
        }
        for column in index.columns:
            if column.key in row:
                continue
            term = solution[column.key]
            row[column.key] = _cell(term, column.numeric)
        rows.append(row)
    return rows


def index_solutions(index: Index) -> list:
    """The answers of an index page's query, read once per process."""
    st = state()
    return st.once(f"index:{index.slug}",
                   lambda: solutions(st.queries.run(st.store(), index.query)))


def _cell(term: ox.NamedNode | ox.Literal | None, numeric: bool) -> Cell:
    if term is None:
        return Cell("", None, None)
    if isinstance(term, ox.NamedNode):
        target = link(term.value)
        return Cell(target.text, target, target.text.lower())
    if numeric:
        try:
            return Cell(term.value, None, float(term.value))
        except ValueError:
            pass
    return Cell(term.value, None, term.value)


def sort_rows(rows: list[dict[str, Cell]], key: str, descending: bool) -> list[dict[str, Cell]]:
    """Sort by one column; empty cells last whatever the direction."""
    present = [r for r in rows if r[key].sort not in (None, "")]
    missing = [r for r in rows if r[key].sort in (None, "")]
    present.sort(key=lambda r: (r[key].sort, r["label"].sort, r["label"].link.iri),
                 reverse=descending)
    missing.sort(key=lambda r: (r["label"].sort, r["label"].link.iri))
    return present + missing


def index_counts() -> dict[str, int]:
    """How many entries each index page has (for the home page)."""
    return {slug: len(index_solutions(index)) for slug, index in INDEXES.items()}


@bp.route("/<any(" + ", ".join(INDEXES) + "):slug>")
def index_page(slug: str) -> str:
    index = INDEXES[slug]
    keys = {c.key for c in index.columns}
    key = request.args.get("sort", index.default_sort)
    if key not in keys:
        key = index.default_sort
    direction = request.args.get(
        "dir", "desc" if index.descending and key == index.default_sort else "asc"
    )
    rows = sort_rows(index_rows(index), key, direction == "desc")
    page = max(1, request.args.get("page", 1, type=int) or 1)
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    if page > pages:
        abort(404)
    shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return render_template(
        "index.html",
        index=index,
        rows=shown,
        total=len(rows),
        sort=key,
        direction=direction,
        page=page,
        pages=pages,
        indexes=INDEXES,
    )


@bp.route("/class")
def class_page() -> str:
    """The instances of any class, 100 per page (works for any served dataset)."""
    iri = iri_arg("iri")
    node = ox.NamedNode(iri)
    after = request.args.get("after", "")
    st = state()
    found = [
        row["s"].value
        for row in st.run("pages/class-members", **{"class": node, "after": ox.Literal(after)})
    ]
    following = found[99] if len(found) > PAGE_SIZE else None
    members = sorted((link(s) for s in found[:PAGE_SIZE]), key=lambda m: m.text.lower())
    return render_template(
        "class.html",
        cls=link(iri),
        members=members,
        paged=bool(after),
        next_url=url_for("browse.class_page", iri=iri, after=following) if following else None,
    )


@bp.route("/asof")
def asof_page() -> str:
    """Who held which post, which programs ran and which names were official on a date."""
    day = parse_asof(request.args.get("date") or request.args.get("asof"))
    held, programs, names = [], [], []
    if day:
        held = held_on(all_tenures(), day)
        programs = sorted(
            (p for p in program_periods() if p.runs_on(day)), key=lambda p: p.program.text.lower()
        )
        names = names_on(day)
    return render_template(
        "asof.html",
        day=day,
        held=held,
        programs=programs,
        names=names,
        asked=request.args.get("date"),
        today=dt.date.today(),
    )
