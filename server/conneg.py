"""Content negotiation: Accept with q-values and wildcards, format= overrides, media type tables."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
TRIG = "application/trig"
NQUADS = "application/n-quads"
N3 = "text/n3"
HTML = "text/html"

# Offered types in the server's order of preference (first wins ties).
SELECT_TYPES = [RESULTS_JSON, RESULTS_XML, CSV, TSV]
ASK_TYPES = [RESULTS_JSON, RESULTS_XML]
GRAPH_TYPES = [TURTLE, NTRIPLES, JSONLD, RDFXML, TRIG, NQUADS, N3]
ALIASES = {
    "application/json": RESULTS_JSON, "application/sparql-results+json": RESULTS_JSON,
    "application/xml": RESULTS_XML, "text/xml": RESULTS_XML,
    "application/x-turtle": TURTLE, "application/turtle": TURTLE, "text/plain": NTRIPLES,
    "application/x-trig": TRIG, "text/x-nquads": NQUADS, "application/json+ld": JSONLD,
}
GRAPH_ALIASES = {"application/json": JSONLD, "application/xml": RDFXML, "text/xml": RDFXML}

RESULTS_FORMAT = {RESULTS_JSON: ox.QueryResultsFormat.JSON, RESULTS_XML: ox.QueryResultsFormat.XML,
                  CSV: ox.QueryResultsFormat.CSV, TSV: ox.QueryResultsFormat.TSV}
RDF_FORMAT = {TURTLE: ox.RdfFormat.TURTLE, NTRIPLES: ox.RdfFormat.N_TRIPLES,
              JSONLD: ox.RdfFormat.JSON_LD, RDFXML: ox.RdfFormat.RDF_XML, TRIG: ox.RdfFormat.TRIG,
              NQUADS: ox.RdfFormat.N_QUADS, N3: ox.RdfFormat.N3}
# The RDF forms of a description (an entity, the ontology, the dataset) by file suffix, in the
# order content negotiation prefers them.
DESCRIPTION_SUFFIXES = {"ttl": TURTLE, "jsonld": JSONLD, "nt": NTRIPLES, "rdf": RDFXML}

# Short names accepted in format= / output= (as Fuseki, Virtuoso and SPARQLWrapper send them).
RESULT_SHORT = {"json": RESULTS_JSON, "srj": RESULTS_JSON, "xml": RESULTS_XML, "srx": RESULTS_XML,
                "csv": CSV, "tsv": TSV, "html": HTML}
GRAPH_SHORT = {"turtle": TURTLE, "ttl": TURTLE, "n3": N3, "nt": NTRIPLES, "ntriples": NTRIPLES,
               "n-triples": NTRIPLES, "jsonld": JSONLD, "json-ld": JSONLD, "json": JSONLD,
               "rdfxml": RDFXML, "rdf": RDFXML, "xml": RDFXML, "rdf+xml": RDFXML, "trig": TRIG,
               "nquads": NQUADS, "nq": NQUADS, "n-quads": NQUADS, "html": HTML}


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> int:
        """0 = no match; higher = more specific."""
        t, _, s = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 1
        if self.type == t and self.subtype == "*":
            return 2
        if self.type == t and self.subtype == s:
            return 3
        return 0


def parse_accept(header: str | None) -> list[MediaRange]:
    if not header or not header.strip():
        return []
    ranges = []
    for order, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            if media == "*":
                media = "*/*"
            else:
                continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        t, _, s = media.partition("/")
        ranges.append(MediaRange(t, s, q, order))
    return ranges


def negotiate(accept: str | None, offered: list[str], aliases: dict[str, str] | None = None
              ) -> str | None:
    """The offered type the client prefers most; None when none is acceptable (406)."""
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0]
    aliases = aliases or {}
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for rank, media in enumerate(offered):
        q, specificity = 0.0, 0
        for r in ranges:
            score = r.matches(media)
            for alias, target in aliases.items():
                if target == media:
                    # An alias counts when named exactly (a wildcard accepts the real type or not).
                    score = max(score, 2 if r.matches(alias) == 3 else 0)
            if score > specificity or (score == specificity and score and r.q > q):
                q, specificity = r.q, score
        if specificity and q > 0:
            key = (q, specificity, -rank, 0)
            if best is None or key > best:
                best, chosen = key, media
    return chosen


def results_type(accept: str | None, form: str, override: str | None = None,
                 allow_html: bool = False) -> str | None:
    """Media type for a query's results, from format=/output= or the Accept header."""
    if form in ("SELECT", "ASK"):
        offered = SELECT_TYPES if form == "SELECT" else ASK_TYPES
        short, aliases = RESULT_SHORT, {k: v for k, v in ALIASES.items() if v in offered}
    else:
        offered = GRAPH_TYPES
        short = GRAPH_SHORT
        aliases = {**{k: v for k, v in ALIASES.items() if v in offered}, **GRAPH_ALIASES}
    if override:
        value = override.strip().lower()
        chosen = short.get(value) or aliases.get(value) or (value if value in offered else None)
        if chosen == HTML and allow_html:
            return HTML
        if chosen in offered:
            return chosen
    if allow_html:
        offered = [*offered, HTML]
    chosen = negotiate(accept, offered, aliases)
    if chosen == HTML and not _prefers_html(accept):
        chosen = negotiate(accept, offered[:-1], aliases)
    return chosen


def _prefers_html(accept: str | None) -> bool:
    """Browsers name text/html explicitly; clients sending only */* want data."""
    return any(r.type == "text" and r.subtype == "html" and r.q > 0 for r in parse_accept(accept))


def wants_html(accept: str | None) -> bool:
    """A browser navigating to the page (text/html preferred over RDF types)."""
    chosen = negotiate(accept, [HTML, TURTLE, JSONLD, RDFXML, NTRIPLES])
    return chosen == HTML and _prefers_html(accept)
