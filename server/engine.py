"""Running one SPARQL query on an Oxigraph store with a row cap, serialised in the chosen format.

Rows are counted while the engine streams TSV (or N-Triples for graphs) into a writer that stops
the serialisation once the cap is reached; the kept rows are then re-serialised, in Rust, into
the requested format. Memory stays bounded even for a query with billions of rows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pyoxigraph as ox

from . import conneg
from .sparql_text import inspect_query


@dataclass
class QueryRequest:
    query: str
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    media_type: str
    max_rows: int
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)
    base_iri: str | None = None  # relative IRIs in the query resolve against the endpoint's URL


@dataclass
class QueryOutcome:
    status: int
    media_type: str
    body: bytes
    truncated: bool = False
    rows: int | None = None
    message: str = ""


class _CapReached(Exception):
    pass


class LineCappedWriter(io.RawIOBase):
    """Keeps the first `cap` lines after `header` lines; raises once more arrive."""

    def __init__(self, cap: int, header: int) -> None:
        super().__init__()
        self.buffer = bytearray()
        self.lines = 0
        self.limit = cap + header
        self.truncated = False

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        chunk = bytes(data)
        n = chunk.count(b"\n")
        if self.lines + n > self.limit:
            keep = self.limit - self.lines
            end = -1
            for _ in range(keep):
                end = chunk.index(b"\n", end + 1)
            self.buffer += chunk[:end + 1]
            self.lines = self.limit
            self.truncated = True
            raise _CapReached()
        self.buffer += chunk
        self.lines += n
        return len(chunk)


def _dataset_arguments(request: QueryRequest) -> dict:
    kwargs: dict = {"base_iri": request.base_iri} if request.base_iri else {}
    if request.default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
    if request.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    return kwargs


def execute(store: ox.Store, request: QueryRequest) -> QueryOutcome:
    """Run the query; SyntaxError and OSError propagate to the caller."""
    if request.form == "DESCRIBE":
        return _describe(store, request)
    result = store.query(request.query, **_dataset_arguments(request))
    if isinstance(result, ox.QueryBoolean):
        fmt = conneg.RESULTS_FORMAT[request.media_type]
        return QueryOutcome(200, request.media_type, result.serialize(format=fmt), rows=1)
    if isinstance(result, ox.QuerySolutions):
        return _solutions(result, request)
    return _triples(result, request)


def _solutions(result: ox.QuerySolutions, request: QueryRequest) -> QueryOutcome:
    writer = LineCappedWriter(request.max_rows, header=1)
    try:
        result.serialize(writer, format=ox.QueryResultsFormat.TSV)
    except _CapReached:
        pass
    except OSError as exc:
        if not isinstance(exc.__context__, _CapReached) and not writer.truncated:
            raise
    tsv = bytes(writer.buffer)
    rows = max(0, writer.lines - 1)
    if request.media_type == conneg.TSV:
        body = tsv
    else:
        parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
        body = parsed.serialize(format=conneg.RESULTS_FORMAT[request.media_type])
    if writer.truncated and request.media_type == conneg.RESULTS_JSON:
        body = b'{"truncated":true,"limit":' + str(request.max_rows).encode() + b"," + body[1:]
    return QueryOutcome(200, request.media_type, body, truncated=writer.truncated, rows=rows)


def _triples(result, request: QueryRequest) -> QueryOutcome:
    writer = LineCappedWriter(request.max_rows, header=0)
    try:
        result.serialize(writer, format=ox.RdfFormat.N_TRIPLES)
    except _CapReached:
        pass
    except OSError:
        if not writer.truncated:
            raise
    return _graph_outcome(bytes(writer.buffer), writer.lines, writer.truncated, request)


def _graph_outcome(ntriples: bytes, count: int, truncated: bool, request: QueryRequest) -> QueryOutcome:
    if request.media_type == conneg.NTRIPLES:
        body = ntriples
    else:
        triples = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
        fmt = conneg.RDF_FORMAT[request.media_type]
        quads_or_triples = (ox.Quad(t.subject, t.predicate, t.object) for t in triples) \
            if fmt.supports_datasets else triples
        prefixes = request.prefixes if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG,
                                               ox.RdfFormat.N3) else None
        body = ox.serialize(quads_or_triples, format=fmt, prefixes=prefixes) or b""
    return QueryOutcome(200, request.media_type, body, truncated=truncated, rows=count)


CBD_QUERY = """
CONSTRUCT { ?r ?p ?o . ?o ?p2 ?o2 . ?s ?q ?r }
WHERE {
  VALUES ?r { %s }
  { ?r ?p ?o OPTIONAL { FILTER (isBlank(?o)) ?o ?p2 ?o2 } }
  UNION
  { ?s ?q ?r }
}"""


def _describe(store: ox.Store, request: QueryRequest) -> QueryOutcome:
    """Concise bounded description of each described resource, outgoing and incoming.

    The query is parsed as written first, so a malformed DESCRIBE fails with the parser's own
    message and position; the targets are then read by an equivalent SELECT, so that prefixed
    and relative IRIs resolve (BASE, endpoint URL) exactly as in every other query form."""
    ox.Store().query(request.query, **({"base_iri": request.base_iri} if request.base_iri else {}))
    shape = inspect_query(request.query)
    terms: dict[ox.NamedNode, None] = {}  # ordered and de-duplicated
    for solution in store.query(_describe_as_select(request.query, shape), **_dataset_arguments(request)):
        for value in solution:
            if isinstance(value, ox.NamedNode):
                terms[value] = None
    if not terms:
        return _graph_outcome(b"", 0, False, request)
    values = " ".join(f"<{t.value}>" for t in terms)
    result = store.query(CBD_QUERY % values, **_dataset_arguments(request))
    return _triples(result, request)


def _describe_as_select(query: str, shape) -> str:
    """DESCRIBE <a> p:b ?x WHERE {…} -> SELECT DISTINCT (<a> AS ?…) (p:b AS ?…) ?x WHERE {…}.

    Same prologue, pattern and modifiers; a DESCRIBE without a pattern gets an empty one."""
    toks = shape.tokens
    head = toks[shape.body_start]
    end, has_pattern = len(query), False
    projection: list[str] = []
    for t in toks[shape.body_start + 1:]:
        if t.keyword in ("WHERE", "FROM") or t.text == "{":
            end, has_pattern = t.pos, True
            break
        if t.kind == "var" or t.text == "*":
            projection.append(t.text)
        else:
            projection.append(f"({t.text} AS ?__describe_{len(projection)})")
    if "*" in projection:
        projection = ["*"]
    tail = query[end:] if has_pattern else "WHERE {}" + query[end:]
    return query[:head.pos] + f"SELECT DISTINCT {' '.join(projection)} " + tail
