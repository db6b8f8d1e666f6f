"""The SPARQL 1.1 Protocol endpoint at /sparql: read-only, time-limited, capped, never outbound."""

from __future__ import annotations

import hmac
import json
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request
from werkzeug.exceptions import HTTPException

from . import conneg
from .engine import QueryOutcome, QueryRequest
from .executor import ExecutorBusy, QueryTimeout, WorkerCrashed
from .sparql_text import QueryShape, inspect_query
from .state import state

bp = Blueprint("sparql", __name__)

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type, Authorization",
    "Access-Control-Expose-Headers": "X-SPARQL-Truncated, X-SPARQL-Max-Rows, X-Kazkg-Build",
    "Access-Control-Max-Age": "86400",
}


class ProtocolError(Exception):
    """A request the protocol or this endpoint's rules refuse: status and message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class ProtocolRequest:
    query: str | None
    update: str | None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)  # format, output, timeout …


def _single(pairs: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in pairs if k == name]
    if len(values) > 1:
        raise ProtocolError(400, f"exactly one '{name}' parameter is allowed, got {len(values)}")
    return values[0] if values else None


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"the {what} is not valid UTF-8 (byte {exc.start})") from None


def _read_body() -> bytes:
    """The request body; a body the WSGI server cannot read (bad chunking, cut short) is a 400."""
    try:
        body = request.get_data(cache=False)
    except HTTPException:
        raise  # 413 and friends keep their status
    except Exception as exc:  # gunicorn's parse errors are not ValueErrors
        raise ProtocolError(400, f"the request body could not be read: {exc.__class__.__name__}: {exc}") from None
    if len(body) > state().config.max_request_bytes:
        raise ProtocolError(413, f"the request body is larger than {state().config.max_request_bytes} bytes")
    return body


def read_protocol_request() -> ProtocolRequest:
    """The query, update and dataset of a GET, form POST or direct POST request."""
    url_pairs = parse_qsl(_decode(request.query_string, "query string"), keep_blank_values=True)
    pairs = list(url_pairs)
    if request.method == "POST":
        ctype = (request.mimetype or "").lower()
        body = _read_body()
        if ctype == "application/x-www-form-urlencoded":
            pairs += parse_qsl(_decode(body, "request body"), keep_blank_values=True)
        elif ctype == "application/sparql-query":
            if any(k in ("query", "update") for k, _ in url_pairs):
                raise ProtocolError(400, "a query in the body and in the URL at once")
            pairs.append(("query", _decode(body, "query")))
        elif ctype == "application/sparql-update":
            pairs.append(("update", _decode(body, "update")))
        else:
            raise ProtocolError(415, "POST a query as application/x-www-form-urlencoded "
                                     "or application/sparql-query")
    query, update = _single(pairs, "query"), _single(pairs, "update")
    if query is not None and update is not None:
        raise ProtocolError(400, "a request carries either a query or an update, not both")
    if request.method == "GET" and update is not None:
        raise ProtocolError(403, "SPARQL Update is not allowed here: this endpoint is read-only (and updates are never sent with GET)")
    extra = {k: v for k, v in pairs if k not in ("query", "update", "default-graph-uri",
                                                   "named-graph-uri", "using-graph-uri",
                                                   "using-named-graph-uri")}
    return ProtocolRequest(
        query=query, update=update,
        default_graphs=[v for k, v in pairs if k == "default-graph-uri"],
        named_graphs=[v for k, v in pairs if k == "named-graph-uri"],
        params=extra,
    )


def _unknown_graphs(graphs: list[str]) -> list[str]:
    store = state().store()
    unknown = []
    for iri in graphs:
        try:
            if not store.contains_named_graph(ox.NamedNode(iri)):
                unknown.append(iri)
        except ValueError:
            raise ProtocolError(400, f"not a valid graph IRI: {iri!r}") from None
    return unknown


def _check_safe(shape: QueryShape) -> None:
    """Refuse what would reach outside this dataset: SERVICE, and FROM of graphs it does not hold.

    The endpoint never makes an outbound request; a query that asks it to is refused with the
    reason. (Graphs named by the protocol's default-graph-uri/named-graph-uri parameters that the
    dataset does not hold are empty graphs, as in Oxigraph; the response says so in a header.)"""
    if shape.keyword_positions("SERVICE"):
        raise ProtocolError(400, "SERVICE (federated query) is not allowed: this endpoint never "
                                 "sends requests to other servers")
    for kind, iri in shape.dataset_iris():
        if _unknown_graphs([iri]):
            raise ProtocolError(400, f"{kind} <{iri}> names a graph this dataset does not hold: "
                                     "the endpoint does not load remote data")


def _timeout(params: dict[str, str]) -> float:
    limit = state().config.sparql_timeout
    raw = params.get("timeout")
    if raw:
        try:
            asked = float(raw)
        except ValueError:
            raise ProtocolError(400, f"timeout must be a number of seconds, not {raw!r}") from None
        if asked > 0:
            return min(asked, limit)
    return limit


@bp.route("/sparql", methods=["OPTIONS"])
def preflight() -> Response:
    return Response(status=204, headers=CORS_HEADERS)


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    try:
        return _with_cors(_answer())
    except ProtocolError as exc:
        return _with_cors(Response(exc.message + "\n", status=exc.status, mimetype="text/plain"))


def _answer() -> Response:
    proto = read_protocol_request()
    accept = request.headers.get("Accept")
    if proto.update is not None:
        return _update(proto)
    if proto.query is None:
        if request.method == "POST":
            raise ProtocolError(400, "no query: send a 'query' parameter")
        from .service import service_description
        return service_description(accept)
    if len(proto.query.encode("utf-8")) > state().config.max_request_bytes:
        raise ProtocolError(413, "the query is too long")
    shape = inspect_query(proto.query)
    if shape.is_update:
        raise ProtocolError(403, "SPARQL Update is not allowed here: this endpoint is read-only")
    _check_safe(shape)
    unknown = _unknown_graphs(proto.default_graphs + proto.named_graphs)
    form = shape.form or "SELECT"
    override = proto.params.get("format") or proto.params.get("output")
    media = conneg.results_type(accept, form, override, allow_html=request.method == "GET")
    if media is None:
        offered = conneg.SELECT_TYPES if form == "SELECT" else conneg.ASK_TYPES if form == "ASK" \
            else conneg.GRAPH_TYPES
        raise ProtocolError(406, f"none of the requested types is available for {form}; "
                                 f"available: {', '.join(offered)}")
    html = media == conneg.HTML
    outcome = run_query(proto.query, form, conneg.RESULTS_JSON if html and form in ("SELECT", "ASK")
                        else conneg.TURTLE if html else media,
                        proto.default_graphs, proto.named_graphs, _timeout(proto.params),
                        base_iri=request.base_url)
    if html and outcome.status == 200:
        return _html_results(proto.query, form, outcome)
    response = _response(outcome)
    if unknown:
        response.headers["Warning"] = ('199 kazkg "graphs not in this dataset were treated as empty: '
                                       + " ".join(f"<{g}>" for g in unknown) + '"')
    return response


def run_query(query: str, form: str, media_type: str, default_graphs: list[str],
              named_graphs: list[str], timeout: float, base_iri: str | None = None) -> QueryOutcome:
    """Run a user query in the killable pool, through the result cache."""
    st = state()
    key = (st.build_id, query, form, media_type, tuple(default_graphs), tuple(named_graphs),
           st.config.sparql_max_rows, base_iri)
    cached = st.cache.get(key)
    if cached is not None:
        return cached
    req = QueryRequest(query=query, form=form, media_type=media_type,
                       max_rows=st.config.sparql_max_rows, default_graphs=default_graphs,
                       named_graphs=named_graphs, prefixes=dict(st.vocab.prefixes), base_iri=base_iri)
    started = time.monotonic()
    try:
        outcome = st.executor.execute(req, timeout)
    except QueryTimeout as exc:
        raise ProtocolError(503, f"Query timed out: {exc}. Narrow it down (LIMIT, more specific "
                                 "patterns) or ask for less with a smaller result.") from None
    except ExecutorBusy as exc:
        raise ProtocolError(503, f"Server busy: {exc}") from None
    except WorkerCrashed as exc:
        raise ProtocolError(503, f"Query failed: {exc} (it may need more memory than a query may use); narrow it down") from None
    if outcome.status == 200 and time.monotonic() - started < timeout:
        st.cache.put(key, outcome)
    return outcome


def _response(outcome: QueryOutcome) -> Response:
    if outcome.status != 200:
        return Response(outcome.body, status=outcome.status, mimetype="text/plain")
    media = outcome.media_type
    textual = media.startswith("text/") or media.endswith(("+json", "+xml", "json", "xml",
                                                            "n-triples", "n-quads", "trig"))
    response = Response(outcome.body, status=200,
                        content_type=f"{media}; charset=utf-8" if textual else media)
    response.headers["Vary"] = "Accept"
    response.headers["X-SPARQL-Truncated"] = "true" if outcome.truncated else "false"
    response.headers["X-SPARQL-Max-Rows"] = str(state().config.sparql_max_rows)
    response.headers["X-Kazkg-Build"] = state().build_id
    return response


def _html_results(query: str, form: str, outcome: QueryOutcome) -> Response:
    if form in ("SELECT", "ASK"):
        data = json.loads(outcome.body)
        data.pop("truncated", None)
    else:
        data = {"graph": outcome.body.decode("utf-8")}
    html = render_template("sparql_results.html", query=query, form=form, data=data,
                           truncated=outcome.truncated, rows=outcome.rows)
    response = Response(html, mimetype="text/html")
    response.headers["Vary"] = "Accept"
    return response


def _update(proto: ProtocolRequest) -> Response:
    """SPARQL Update, only with the configured bearer token (off unless KAZKG_UPDATE_TOKEN is set).

    Updates change the store this process serves; they are for curation on a single-process
    server over the in-memory store (`kazkg serve --workers 1`), where every later query sees
    them. Nothing is written back to the dataset file, and reasoning is not re-run."""
    st = state()
    token = st.config.update_token
    if not token:
        raise ProtocolError(403, "SPARQL Update is not allowed: this endpoint is read-only")
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode("utf-8"), f"Bearer {token}".encode("utf-8")):
        raise ProtocolError(401, "SPARQL Update needs this endpoint's token: "
                                 "send 'Authorization: Bearer <token>'")
    assert proto.update is not None
    if len(proto.update.encode("utf-8")) > st.config.max_request_bytes:
        raise ProtocolError(413, "the update is too long")
    shape = inspect_query(proto.update)
    if shape.keyword_positions("LOAD") or shape.keyword_positions("SERVICE"):
        raise ProtocolError(400, "LOAD and SERVICE are not allowed: this endpoint never sends "
                                 "requests to other servers")
    if proto.default_graphs or proto.named_graphs:
        raise ProtocolError(400, "using-graph-uri/using-named-graph-uri are not supported; "
                                 "name graphs with WITH, USING or GRAPH in the update")
    if not st.updatable:
        raise ProtocolError(409, "updates need a single-process server over the in-memory store "
                                 "(kazkg serve --workers 1), so that every query sees them")
    try:
        st.store().update(proto.update, base_iri=request.base_url)
    except SyntaxError as exc:
        raise ProtocolError(400, f"Update parse error: {exc}") from None
    except (ValueError, OSError) as exc:
        raise ProtocolError(400, f"Update failed: {exc}") from None
    st.after_update()
    return Response(status=204)


def _with_cors(response: Response) -> Response:
    for key, value in CORS_HEADERS.items():
        response.headers.setdefault(key, value)
    return response
