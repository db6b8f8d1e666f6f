"""Citable pages and query results: permalinks that carry the build identifier.

A permalink is the page's or the query's URL plus ?build=<build id> (a content hash of the
dataset file). Opened against another build, the page says so (banner and Warning header), and
the dataset of the cited build can be checked by its checksum on /downloads. Query citations
also give the number of result rows and a checksum of the results, so a re-run can be compared.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Blueprint, Response, render_template, request

from . import conneg
from .links import iri_of_path, link, query_args, require_utf8_query
from .sparql_text import inspect_query
from .state import state

bp = Blueprint("cite", __name__)
bp.before_request(require_utf8_query)


@dataclass(frozen=True)
class Citation:
    title: str
    permalink: str
    build_id: str
    accessed: str
    rows: int | None = None
    checksum: str | None = None
    error: str | None = None

    @property
    def text(self) -> str:
        parts = [
            f"kazkg (build {self.build_id}). {self.title}.",
            self.permalink,
            f"Accessed {self.accessed}.",
        ]
        if self.checksum:
            parts.append(f"{self.rows} results, SHA-256 {self.checksum}.")
        return " ".join(parts)

    @property
    def bibtex(self) -> str:
        key = f"kazkg-{self.build_id}-{hashlib.sha256(self.permalink.encode()).hexdigest()[:8]}"
        note = f"Build {self.build_id}"
        if self.checksum:
            note += f"; {self.rows} results, SHA-256 {self.checksum}"
        title = self.title.replace("{", "(").replace("}", ")")
        return (
            f"@misc{{{key},\n  title = {{{title}}},\n  author = {{{{kazkg}}}},\n"
            f"  howpublished = {{\\url{{{self.permalink}}}}},\n  note = {{{note}}},\n"
            f"  urldate = {{{self.accessed}}}\n}}"
        )


@bp.after_app_request
def build_header(response: Response) -> Response:
    """Every response names the build it was made from; a permalink of another build warns."""
    st = state()
    response.headers.setdefault("X-Kazkg-Build", st.build_id)
    cited = query_args().get("build")
    if cited and cited != st.build_id:
        safe = "".join(c for c in cited[:40] if c.isalnum())
        response.headers.add(
            "Warning",
            f'299 kazkg "this permalink names build {safe}; '
            f'this server serves build {st.build_id}"',
        )
    return response


def page_permalink(path: str) -> tuple[str, str]:
    """(title, permalink) of a local page path (with its query string, without ?build)."""
    parts = urlsplit(path)
    local = parts.path if parts.path.startswith("/") else "/"
    args = [(k, v) for k, v in _pairs(parts.query) if k != "build"]
    args.append(("build", state().build_id))
    title = local
    if local.startswith("/page/"):
        title = link(iri_of_path(local[len("/page/") :])).text
    return title, request.url_root.rstrip("/") + local + "?" + urlencode(args)


def _pairs(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query, keep_blank_values=True)


def query_citation(query: str) -> Citation:
    """Run the query (killable pool, result cache) and cite it with its results' checksum."""
    from .sparql import ProtocolError, run_query

    st = state()
    link_url = (
        request.url_root.rstrip("/")
        + "/sparql?"
        + urlencode([("query", query), ("build", st.build_id)])
    )
    accessed = dt.date.today().isoformat()
    title = _query_title(query)
    try:
        shape = inspect_query(query)
        if shape.is_update:
            raise ProtocolError(400, "updates cannot be cited: the endpoint is read-only")
        form = shape.form or "SELECT"
        media = {"SELECT": conneg.TSV, "ASK": conneg.RESULTS_JSON}.get(form, conneg.NTRIPLES)
        outcome = run_query(query, form, media, [], [], st.config.sparql_timeout)
    except ProtocolError as exc:
        return Citation(title, link_url, st.build_id, accessed, error=exc.message)
    except SyntaxError as exc:
        return Citation(title, link_url, st.build_id, accessed, error=str(exc))
    if outcome.status != 200:
        return Citation(
            title, link_url, st.build_id, accessed, error=outcome.body.decode("utf-8", "replace")
        )
    rows, checksum = results_checksum(outcome.body, form)
    return Citation(title, link_url, st.build_id, accessed, rows, checksum)


def results_checksum(body: bytes, form: str) -> tuple[int, str]:
    """Rows and SHA-256 of the results, independent of their order (sorted lines; for SELECT
    the header line first)."""
    lines = body.decode("utf-8").splitlines()
    header, rest = (lines[:1], lines[1:]) if form == "SELECT" else ([], lines)
    rest = sorted(line for line in rest if line.strip())
    canonical = "\n".join(header + rest).encode("utf-8")
    return (len(rest) if form != "ASK" else 1), hashlib.sha256(canonical).hexdigest()


def _query_title(query: str) -> str:
    for line in query.splitlines():
        line = line.strip()
        if line.startswith("#") and line.lstrip("# ").strip():
            return line.lstrip("# ").strip()
    return "SPARQL query result"


@bp.route("/cite")
def cite_page() -> str:
    st = state()
    query = request.args.get("query")
    if query:
        citation = query_citation(query)
        return render_template("cite.html", citation=citation, query=query)
    path = request.args.get("url") or "/"
    title, url = page_permalink(path)
    citation = Citation(title, url, st.build_id, dt.date.today().isoformat())
    return render_template("cite.html", citation=citation, query=None)
