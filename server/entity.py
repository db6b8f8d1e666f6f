"""What an entity page shows, computed before rendering: statements with their provenance
(asserted from which article, curated, or inferred), the text evidence of each fact, the names,
the mentions in documents and the links pointing to the entity.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.namespaces import NIF, PROV, RDF, SKOS

from .labels import label_index
from .links import Link, link, span_url
from .state import KazkgState, state

INCOMING_SHOWN = 20
# Shown in their own sections (header, names, mentions, evidence, document text), not as rows.
_OWN_SECTIONS = {
    RDF + "type",
    SKOS + "prefLabel",
    SKOS + "altLabel",
    SKOS + "hiddenLabel",
    NIF + "isString",
    PROV + "wasDerivedFrom",
}


@dataclass(frozen=True)
class DocumentInfo:
    iri: str
    file: str | None
    date: str | None  # publication date, else the year the document reports on
    length: int | None


@dataclass(frozen=True)
class Evidence:
    """Words of a document that state a fact, linked to the highlighted span, with the rest of
    their sentence around them."""

    doc: Link
    date: str | None
    begin: int
    end: int
    quote: str
    url: str
    before: str = ""
    after: str = ""


CONTEXT_CHARS = 160
_SPACES = re.compile(r"\s+")


def evidence_from_row(
    row: ox.QuerySolution, docs: dict[str, DocumentInfo], end_var: str = "endIndex"
) -> Evidence | None:
    """Evidence from a query row with ?doc ?begin ?<end_var> ?quote and, optionally, the
    sentence (?sentenceText ?sentenceBegin) it was read from."""
    if row["doc"] is None:
        return None
    doc, begin, end = row["doc"].value, int(row["begin"].value), int(row[end_var].value)
    info = docs.get(doc)
    before = after = ""
    sentence, start = row["sentenceText"], row["sentenceBegin"]
    if sentence is not None and start is not None:
        text, offset = sentence.value, int(start.value)
        if offset <= begin and end <= offset + len(text):
            before = _clip(text[: begin - offset], left=True)
            after = _clip(text[end - offset :], left=False)
    return Evidence(
        link(doc),
        info.date if info else None,
        begin,
        end,
        row["quote"].value,
        span_url(doc, begin, end),
        before,
        after,
    )


def _clip(text: str, left: bool) -> str:
    """The sentence on one side of a quote, whitespace collapsed, cut to CONTEXT_CHARS."""
    text = _SPACES.sub(" ", text)
    text = text.lstrip() if left else text.rstrip()
    if len(text) <= CONTEXT_CHARS:
        return text
    return "…" + text[-CONTEXT_CHARS:] if left else text[:CONTEXT_CHARS] + "…"


@dataclass
class Value:
    """An object (or a subject, on incoming links): a resource or a literal."""

    link: Link | None = None
    literal: str | None = None
    lang: str | None = None
    datatype: str | None = None


@dataclass
class Statement:
    value: Value
    asserted: bool | None  # None: the dataset does not tell asserted from inferred
    sources: list[Link] = field(default_factory=list)  # documents whose graph states it
    curated: bool = False
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class PropertyGroup:
    prop: Link
    statements: list[Statement]
    total: int = 0
    more_url: str | None = None

    @property
    def inferred_only(self) -> bool:
        return all(s.asserted is False for s in self.statements)


@dataclass
class Provenance:
    """Named graphs of a dataset: what each says about where a statement comes from."""

    asserted: str
    inferred: str
    reference: str
    documents: dict[str, DocumentInfo]
    has_inference: bool

    def classify(self, graphs: set[str]) -> tuple[bool | None, list[str], bool]:
        """(asserted?, documents stating it, curated?) of a statement stated in `graphs`."""
        asserted = (self.asserted in graphs) if self.has_inference else None
        docs = sorted(g for g in graphs if g in self.documents)
        return asserted, docs, self.reference in graphs


def documents(st: KazkgState) -> dict[str, DocumentInfo]:
    """The news articles of the dataset, read once."""

    def read() -> dict[str, DocumentInfo]:
        found = {}
        for row in st.queries.run(st.store(), "pages/documents"):
            date = row["issued"] or row["year"]
            found[row["doc"].value] = DocumentInfo(
                row["doc"].value,
                row["file"].value if row["file"] else None,
                date.value if date else None,
                int(row["length"].value) if row["length"] else None,
            )
        return found

    return st.once("documents", read)


def provenance(st: KazkgState) -> Provenance:
    def read() -> Provenance:
        inferred = st.vocab.graph("inferred")
        return Provenance(
            asserted=st.vocab.graph("asserted"),
            inferred=inferred,
            reference=st.vocab.graph("reference"),
            documents=documents(st),
            has_inference=st.store().contains_named_graph(ox.NamedNode(inferred)),
        )

    return st.once("provenance", read)


def entity_exists(iri: str) -> bool:
    store = state().store()
    node = ox.NamedNode(iri)
    return bool(
        store.query(
            "ASK { { ?e ?p ?o } UNION { ?s ?p ?e } }", substitutions={ox.Variable("e"): node}
        )
    )


def value_of(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Value:
    if isinstance(term, ox.NamedNode):
        return Value(link=link(term.value))
    if isinstance(term, ox.BlankNode):
        return Value(literal=f"[blank node {term.value}]")
    datatype = term.datatype.value if term.datatype else None
    if datatype and datatype.endswith(("#string", "#langString")):
        datatype = None
    return Value(literal=term.value, lang=term.language, datatype=datatype)


@dataclass
class EntityData:
    """What queries/pages/entity-page.rq finds about one entity (one query per page)."""

    iri: str
    out: dict[tuple, set[str]] = field(default_factory=dict)  # (p, o) -> graphs stating it
    in_counts: dict[str, int] = field(default_factory=dict)  # property -> statements pointing here
    incoming: dict[tuple, set[str]] = field(default_factory=dict)  # (s, p) -> graphs
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)  # node -> its evidence
    mentions: list[tuple[Evidence, str | None]] = field(default_factory=list)  # (where, form)
    usages: list[ox.QuerySolution] = field(default_factory=list)  # dated names

    @property
    def exists(self) -> bool:
        """The default graph has a statement about it or pointing to it."""
        return bool(self.out or self.in_counts)


def entity_data(iri: str) -> EntityData:
    st = state()
    docs = documents(st)
    data = EntityData(iri)
    evidence: dict[str, dict[tuple, Evidence]] = defaultdict(dict)
    mentions: dict[str, tuple[Evidence, str | None]] = {}
    for row in st.run("pages/entity-page", entity=ox.NamedNode(iri)):
        part = row["part"].value
        if part == "out":
            graphs = data.out.setdefault((row["p"], row["o"]), set())
            if row["g"] is not None:
                graphs.add(row["g"].value)
        elif part == "in":
            graphs = data.incoming.setdefault((row["s"], row["p"]), set())
            if row["g"] is not None:
                graphs.add(row["g"].value)
        elif part == "in-n":
            data.in_counts[row["p"].value] = int(row["n"].value)
        elif part == "evidence":
            ev = evidence_from_row(row, docs)
            if ev is not None:
                evidence[row["node"].value].setdefault(_evidence_key(ev), ev)
        elif part == "mention":
            ev = evidence_from_row(row, docs)
            if ev is not None:
                mentions[row["mention"].value] = (ev, row["form"].value if row["form"] else None)
        elif part == "usage":
            data.usages.append(row)
    data.evidence = {node: sorted(found.values(), key=_evidence_key)
                     for node, found in evidence.items()}
    data.mentions = sorted(mentions.values(), key=lambda m: _evidence_key(m[0]))
    _fill_starved(data)
    return data


def _evidence_key(ev: Evidence) -> tuple:
    return (ev.doc.iri, ev.begin, ev.end, ev.quote)


def _fill_starved(data: EntityData) -> None:
    """The page query reads the first thousand statements pointing to an entity; a property
    none of them has (an entity that thousands link to) gets its first rows here."""
    shown = {p.value for _, p in data.incoming}
    starved = [p for p, n in data.in_counts.items()
               if n and p not in shown and not is_span_property(p)]
    if not starved:
        return
    st = state()
    docs = documents(st)
    for prop in sorted(starved)[:20]:
        for row in st.run("pages/entity-incoming-property", entity=ox.NamedNode(data.iri),
                          p=ox.NamedNode(prop)):
            if row["part"].value == "in":
                graphs = data.incoming.setdefault((row["s"], row["p"]), set())
                if row["g"] is not None:
                    graphs.add(row["g"].value)
            else:
                ev = evidence_from_row(row, docs)
                if ev is not None:
                    found = data.evidence.setdefault(row["node"].value, [])
                    if ev not in found:
                        found.append(ev)


def outgoing(data: EntityData) -> list[PropertyGroup]:
    """Statements about the entity, grouped by property, with provenance and evidence."""
    prov = provenance(state())
    groups: dict[str, list[Statement]] = defaultdict(list)
    for (p, o), graphs in data.out.items():
        asserted, docs, curated = prov.classify(graphs)
        docs = [d for d in docs if d != data.iri]  # a document's own statements need no "stated in"
        groups[p.value].append(
            Statement(
                value_of(o),
                asserted,
                [link(d) for d in docs],
                curated,
                data.evidence.get(o.value, []) if isinstance(o, ox.NamedNode) else [],
            )
        )
    return _sorted_groups(groups)


def incoming(data: EntityData, more_url) -> list[PropertyGroup]:
    """Statements pointing to the entity by property: a first page each, with the total."""
    prov = provenance(state())
    groups: dict[str, list[Statement]] = defaultdict(list)
    for (s, p), graphs in data.incoming.items():
        if is_span_property(p.value):
            continue
        asserted, docs, curated = prov.classify(graphs)
        groups[p.value].append(
            Statement(
                value_of(s),
                asserted,
                [link(d) for d in docs],
                curated,
                data.evidence.get(s.value, []) if isinstance(s, ox.NamedNode) else [],
            )
        )
    result = _sorted_groups(groups)
    for group in result:
        group.total = data.in_counts.get(group.prop.iri, len(group.statements))
        group.statements = group.statements[:INCOMING_SHOWN]
        if group.total > len(group.statements):
            group.more_url = more_url(group.prop.iri)
    return result


def _sorted_groups(groups: dict[str, list[Statement]]) -> list[PropertyGroup]:
    result = []
    for prop, statements in groups.items():
        statements.sort(key=lambda s: (s.asserted is False, _value_key(s.value)))
        result.append(PropertyGroup(link(prop), statements, len(statements)))
    result.sort(key=lambda g: (g.inferred_only, g.prop.text.lower(), g.prop.iri))
    return result


def _value_key(value: Value) -> tuple:
    text = value.link.text if value.link else value.literal or ""
    return (text.lower(), text, value.link.iri if value.link else "", value.lang or "",
            value.datatype or "")


def split_sections(groups: list[PropertyGroup]) -> tuple[list[PropertyGroup], list[PropertyGroup]]:
    """(types and other rows shown in their own sections, the property rows of the table)."""
    own = [g for g in groups if g.prop.iri in _OWN_SECTIONS or _is_span_link(g.prop.iri)]
    rows = [g for g in groups if g not in own]
    return own, rows


def _is_span_link(prop: str) -> bool:
    kz = state().vocab.kz
    return prop in (kz + "denotedBy", kz + "hasMention", kz + "evidence")


# Links from text spans (mentions, sentences) to what they name or belong to: shown as the
# mentions and the text of a page, not as rows of links.
_SPAN_PROPERTIES = {"refersTo", "denotedBy", "evidence"}
_SPAN_EXTERNAL = {
    "http://www.w3.org/2005/11/its/rdf#taIdentRef",
    NIF + "referenceContext",
    NIF + "sentence",
    PROV + "wasDerivedFrom",
}


def is_span_property(prop: str) -> bool:
    kz = state().vocab.kz
    return prop in _SPAN_EXTERNAL or (prop.startswith(kz) and prop[len(kz) :] in _SPAN_PROPERTIES)


@dataclass
class MentionGroup:
    doc: Link
    date: str | None
    mentions: list[Evidence]


def mentions(data: EntityData) -> tuple[list[MentionGroup], list[str]]:
    """Where documents name the entity, by document; and the distinct forms they write."""
    docs = documents(state())
    grouped: dict[str, list[Evidence]] = defaultdict(list)
    forms: dict[str, None] = {}
    for ev, form in data.mentions:
        grouped[ev.doc.iri].append(ev)
        if form != "title":
            forms.setdefault(" ".join(ev.quote.split()), None)
    result = [
        MentionGroup(items[0].doc, docs[doc].date if doc in docs else None, items)
        for doc, items in grouped.items()
    ]
    result.sort(key=lambda g: (g.date or "", g.doc.text, g.doc.iri))
    return result, list(forms)


@dataclass
class NameRow:
    text: str
    lang: str
    kind: str  # preferred | alternative | variant | dated | implied | code | label
    valid_from: str | None = None
    valid_until: str | None = None


_NAME_KINDS = {
    "pref": "preferred",
    "alt": "alternative",
    "hidden": "variant spelling",
    "label": "label",
    "name": "name",
    "title": "title",
    "implied": "implied by a document",
    "notation": "code",
    "usage": "dated name",
}


def names(data: EntityData) -> list[NameRow]:
    """Every name of the entity: preferred per language, aliases, dated official names, codes."""
    st = state()
    rows = [
        NameRow(n.text, n.lang, _NAME_KINDS[n.kind])
        for n in label_index(st).names.get(data.iri, [])
        if n.kind in _NAME_KINDS and n.kind != "usage"
    ]
    for row in sorted(data.usages, key=lambda r: (r["from"].value if r["from"] else "",
                                                  r["usage"].value)):
        dated = NameRow(
            row["name"].value,
            row["name"].language or "",
            "dated name",
            row["from"].value if row["from"] else None,
            row["until"].value if row["until"] else None,
        )
        if dated.valid_from or dated.valid_until:
            # the dated usage says more than the plain alias derived from it
            rows = [
                r
                for r in rows
                if not (r.text == dated.text and r.lang == dated.lang and r.kind == "alternative")
            ]
        rows.append(dated)
    order = list(_NAME_KINDS.values())
    rows.sort(
        key=lambda r: (
            order.index(r.kind) if r.kind in order else len(order),
            r.valid_from or "",
            r.lang,
            r.text,
        )
    )
    return rows


def incoming_page(iri: str, prop: str, after: str) -> tuple[list[Link], str | None]:
    """One page (100) of the subjects linking to `iri` by `prop`, and the cursor of the next."""
    st = state()
    rows = list(
        st.run(
            "pages/entity-incoming-page",
            entity=ox.NamedNode(iri),
            p=ox.NamedNode(prop),
            after=ox.Literal(after),
        )
    )
    subjects = [row["s"].value for row in rows[:100]]
    following = subjects[-1] if len(rows) > 100 else None
    return [link(s) for s in subjects], following
