"""A remote SPARQL 1.1 endpoint (Virtuoso, Fuseki, QLever, GraphDB …) behind the store interface.

For deployments that outgrow one machine: `kazkg load --store URL` pushes a build there and
`kazkg serve --store URL` serves pages and /sparql from it. The server keeps its rules: queries
are inspected before they leave (no SERVICE, no remote FROM), answers are capped and timed out
here, and results come back as pyoxigraph objects so that the engine and the pages work unchanged.

Such stores see the default graph as the union of every graph (a multiset): the build's resolved
graph is therefore loaded into its own named graph (`graph/default`), and every query that does
not name its dataset is sent with that graph as its default graph: each fact once, as locally.
"""

from __future__ import annotations

import base64
import hashlib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from .sparql_text import inspect_query

SRJ = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
OWL_VERSION = "http://www.w3.org/2002/07/owl#versionInfo"
PROV_USED = "http://www.w3.org/ns/prov#used"


class RemoteError(OSError):
    """The remote endpoint could not be reached or refused the request."""


class RemoteTriples:
    """The triples of a CONSTRUCT/DESCRIBE answer, read as N-Triples (what the engine expects of
    pyoxigraph's QueryTriples: iteration and serialisation)."""

    def __init__(self, ntriples: bytes) -> None:
        self.ntriples = ntriples

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(ox.parse(self.ntriples, format=ox.RdfFormat.N_TRIPLES))

    def serialize(self, output=None, format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES):  # noqa: A002
        if format != ox.RdfFormat.N_TRIPLES:
            return ox.serialize(iter(self), output, format=format)
        canonical = ox.serialize(iter(self), format=ox.RdfFormat.N_TRIPLES) or b""
        if output is None:
            return canonical
        for start in range(0, len(canonical), 1 << 16):
            output.write(canonical[start:start + (1 << 16)])
        return None


def term_text(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> str:
    """A term in SPARQL syntax, written by pyoxigraph (escaped), never pasted from a string."""
    if isinstance(term, ox.BlankNode):
        raise ValueError("a blank node cannot be sent to a remote endpoint as a value")
    if not isinstance(term, (ox.NamedNode, ox.Literal)):
        raise TypeError(f"not an RDF term: {type(term).__name__}")
    return str(term)


def bind_values(query: str, substitutions: dict | None) -> str:
    """The query with its variables bound by a VALUES block at the start of its WHERE clause:
    the remote counterpart of pyoxigraph's substitutions."""
    if not substitutions:
        return query
    names = [v.value if isinstance(v, ox.Variable) else str(v).lstrip("?$") for v in substitutions]
    values = [term_text(t) for t in substitutions.values()]
    block = "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(values) + ") } "
    shape = inspect_query(query)
    toks = shape.tokens
    start = shape.body_start
    where = next((i for i in range(start, len(toks)) if toks[i].keyword == "WHERE"), None)
    search_from = where if where is not None else start
    brace = next((t for t in toks[search_from:] if t.text == "{"), None)
    if brace is None:
        raise ValueError("no WHERE clause to bind values in")
    return query[:brace.pos + 1] + " " + block + query[brace.pos + 1:]


@dataclass
class RemoteStore:
    """The few store operations kazkg uses, over the SPARQL 1.1 Protocol."""

    endpoint: str
    default_graph: str | None
    timeout: float = 30.0
    max_response_bytes: int = 256 << 20
    headers: dict[str, str] = field(default_factory=dict)

    def _request(self, query: str, accept: str, default_graphs: list[str], named_graphs: list[str]
                 ) -> urllib.response.addinfourl:
        fields = [("query", query)] + [("default-graph-uri", g) for g in default_graphs] \
            + [("named-graph-uri", g) for g in named_graphs]
        body = urllib.parse.urlencode(fields).encode("utf-8")
        request = urllib.request.Request(self.endpoint, data=body, method="POST", headers={
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded", **self.headers})
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)  # noqa: S310 (configured URL)
        except urllib.error.HTTPError as exc:
            detail = exc.read(2000).decode("utf-8", "replace").strip()
            if exc.code == 400:
                raise SyntaxError(f"the remote endpoint refused the query: {detail}") from None
            raise RemoteError(f"{self.endpoint} answered {exc.code}: {detail[:300]}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise RemoteError(f"{self.endpoint} cannot be reached: {exc}") from None

    def _read(self, response) -> bytes:
        data = response.read(self.max_response_bytes + 1)
        response.close()
        if len(data) > self.max_response_bytes:
            raise RemoteError(f"the remote answer is larger than {self.max_response_bytes} bytes; "
                              "ask for less (LIMIT)")
        return data

    def _dataset(self, query: str, default_graph, named_graphs) -> tuple[list[str], list[str]]:
        defaults = [g.value for g in (default_graph if isinstance(default_graph, list) else
                                      [default_graph] if default_graph is not None else [])
                    if isinstance(g, ox.NamedNode)]
        named = [g.value for g in named_graphs or []]
        if not defaults and not named and self.default_graph and not inspect_query(query).dataset_iris():
            defaults = [self.default_graph]
        return defaults, named

    def query(self, query: str, substitutions: dict | None = None, default_graph=None,
              named_graphs=None, base_iri: str | None = None, use_default_graph_as_union: bool = False):
        text = bind_values(query, substitutions)
        if base_iri and not any(t.keyword == "BASE" for t in inspect_query(text).tokens[:40]):
            text = f"BASE <{base_iri}>\n{text}"
        defaults, named = self._dataset(text, default_graph, named_graphs)
        form = inspect_query(text).form
        if form in ("CONSTRUCT", "DESCRIBE"):
            return RemoteTriples(self._read(self._request(text, NTRIPLES, defaults, named)))
        data = self._read(self._request(text, SRJ, defaults, named))
        try:
            return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise RemoteError(f"the remote answer is not SPARQL JSON results: {exc}") from None

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        for row in rows:
            if isinstance(row["g"], ox.NamedNode) and row["g"].value != self.default_graph:
                yield row["g"]

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        return bool(self.query("ASK { GRAPH ?g { ?s ?p ?o } }", substitutions={ox.Variable("g"): graph}))

    def quads_for_pattern(self, subject, predicate, obj, graph=None) -> Iterator[ox.Quad]:
        bound = {ox.Variable(n): t for n, t in (("s", subject), ("p", predicate), ("o", obj))
                 if t is not None}
        if isinstance(graph, ox.DefaultGraph):
            rows = self.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", substitutions=bound)
            for row in rows:
                yield ox.Quad(row["s"], row["p"], row["o"], ox.DefaultGraph())
            return
        if graph is not None:
            bound[ox.Variable("g")] = graph
        for row in self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", substitutions=bound):
            yield ox.Quad(row["s"], row["p"], row["o"], row["g"])

    def update(self, *args, **kwargs) -> None:
        raise OSError("updates are not sent to a remote store; load a new build with `kazkg load`")


@dataclass
class RemoteSparql:
    """Backend: a remote SPARQL endpoint that `kazkg load --store URL` filled."""

    endpoint: str
    base_iri: str
    timeout: float = 30.0
    kind: str = "remote"
    build_id: str = ""
    _store: RemoteStore | None = None

    @property
    def description(self) -> str:
        return f"remote SPARQL endpoint {self.endpoint}"

    def load(self) -> RemoteSparql:
        from .backends import BackendError
        self._store = RemoteStore(self.endpoint, default_graph=f"{self.base_iri}graph/default",
                                  timeout=self.timeout)
        try:
            rows = list(self._store.query(
                "SELECT ?v WHERE { GRAPH ?g { ?dataset ?version ?v } }",
                substitutions={ox.Variable("g"): ox.NamedNode(f"{self.base_iri}graph/served"),
                               ox.Variable("dataset"): ox.NamedNode(f"{self.base_iri}dataset"),
                               ox.Variable("version"): ox.NamedNode(OWL_VERSION)}))
        except (OSError, SyntaxError) as exc:
            raise BackendError(f"cannot use {self.endpoint}: {exc}") from None
        self.build_id = rows[0]["v"].value if rows else "remote"
        return self

    def store(self) -> RemoteStore:
        assert self._store is not None, "load() first"
        return self._store

    def after_fork(self) -> None:
        pass


# --- pushing a build to a remote store -------------------------------------------------------------

def skolemize(term, base_iri: str):
    """Blank nodes become IRIs (RDF 1.1 §3.5), so that a node keeps its identity across the
    separate requests a load is made of."""
    if isinstance(term, ox.BlankNode):
        digest = hashlib.sha256(term.value.encode("utf-8")).hexdigest()[:24]
        return ox.NamedNode(f"{base_iri}.well-known/genid/{digest}")
    if isinstance(term, ox.Triple):
        return ox.Triple(skolemize(term.subject, base_iri), term.predicate, skolemize(term.object, base_iri))
    return term


@dataclass
class RemoteLoader:
    """Writes graphs to an endpoint with SPARQL 1.1 Update (works with Virtuoso's /sparql-auth,
    Fuseki's /update, GraphDB's /statements …)."""

    update_url: str
    user: str | None = None
    password: str | None = None
    gsp_url: str | None = None  # a Graph Store Protocol endpoint: much faster where there is one
    timeout: float = 300.0
    chunk: int = 400  # Virtuoso turns INSERT DATA into SQL and refuses more than 10,000 lines of it

    def _opener(self) -> urllib.request.OpenerDirector:
        if not self.user:
            return urllib.request.build_opener()
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        for url in filter(None, (self.update_url, self.gsp_url)):
            manager.add_password(None, url, self.user, self.password or "")
        return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager),
                                           urllib.request.HTTPBasicAuthHandler(manager))

    def send(self, update: str) -> None:
        opener = getattr(self, "_cached_opener", None) or self._opener()
        self._cached_opener = opener
        request = urllib.request.Request(self.update_url, data=update.encode("utf-8"), method="POST",
                                         headers={"Content-Type": "application/sparql-update"})
        try:
            with opener.open(request, timeout=self.timeout) as response:  # noqa: S310 (configured URL)
                response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read(1000).decode("utf-8", "replace").strip()
            raise RemoteError(f"{self.update_url} answered {exc.code}: {detail[:400]}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise RemoteError(f"{self.update_url} cannot be reached: {exc}") from None

    def replace_graph(self, graph: str, triples: Iterable[ox.Triple]) -> int:
        if self.gsp_url:
            return self._replace_graph_gsp(graph, triples)
        self.send(f"DROP SILENT GRAPH <{graph}>")
        batch: list[str] = []
        count = 0
        for triple in triples:
            batch.append(f"{triple.subject} {triple.predicate} {triple.object} .")
            count += 1
            if len(batch) >= self.chunk:
                self.send(f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(batch) + "\n} }")
                batch = []
        if batch:
            self.send(f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(batch) + "\n} }")
        return count


    def _replace_graph_gsp(self, graph: str, triples: Iterable[ox.Triple]) -> int:
        """PUT the first chunk (replacing the graph), POST the rest (appending)."""
        batch: list[ox.Triple] = []
        count, method = 0, "PUT"
        for triple in triples:
            batch.append(triple)
            count += 1
            if len(batch) >= 50_000:
                self._gsp(method, graph, batch)
                batch, method = [], "POST"
        if batch or method == "PUT":
            self._gsp(method, graph, batch)
        return count

    def _gsp(self, method: str, graph: str, triples: list[ox.Triple]) -> None:
        assert self.gsp_url is not None
        opener = getattr(self, "_cached_opener", None) or self._opener()
        self._cached_opener = opener
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        url = self.gsp_url + ("&" if "?" in self.gsp_url else "?") + urllib.parse.urlencode({"graph": graph})
        request = urllib.request.Request(url, data=body, method=method,
                                         headers={"Content-Type": "application/n-triples"})
        # A server that answers a large body with 401 before reading it breaks the pipe: the
        # credentials go with the first attempt.
        for name, value in self._preemptive_auth(url, method).items():
            request.add_unredirected_header(name, value)
        try:
            with opener.open(request, timeout=self.timeout) as response:  # noqa: S310 (configured URL)
                response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read(1000).decode("utf-8", "replace").strip()
            raise RemoteError(f"{self.gsp_url} answered {exc.code}: {detail[:400]}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise RemoteError(f"{self.gsp_url} cannot be reached: {exc}") from None


    def _preemptive_auth(self, url: str, method: str) -> dict[str, str]:
        """An Authorization header for `url`: Basic, or Digest answering the server's challenge."""
        if not self.user:
            return {}
        challenge = getattr(self, "_challenge", None)
        if challenge is None:
            # The same request with an empty body: it draws the challenge without a broken pipe.
            probe = urllib.request.Request(url, data=b"", method=method,
                                           headers={"Content-Type": "application/n-triples"})
            try:
                urllib.request.urlopen(probe, timeout=self.timeout).close()  # noqa: S310 (configured URL)
                return {}
            except urllib.error.HTTPError as exc:
                header = exc.headers.get("WWW-Authenticate", "")
                exc.close()
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                raise RemoteError(f"{url} cannot be reached: {exc}") from None
            if not header.lower().startswith("digest"):
                return basic_auth_header(self.user, self.password or "")
            challenge = urllib.request.parse_keqv_list(urllib.request.parse_http_list(header[7:]))
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, url, self.user, self.password or "")
            self._digest = urllib.request.HTTPDigestAuthHandler(manager)
            self._challenge = challenge
        request = urllib.request.Request(url, method=method)
        return {"Authorization": "Digest " + self._digest.get_authorization(request, self._challenge)}


def basic_auth_header(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}
