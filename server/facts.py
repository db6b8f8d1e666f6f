"""Fact nodes (tenures, figures, projects, meetings, instructions) read in long form.

The pages/*-of-*.rq queries answer one row per statement of a fact node (?node ?p ?v) or per
piece of its evidence (?doc ?begin ?endIndex ?quote, with its sentence), instead of one wide row
built from a chain of OPTIONALs: cheap for every store to plan. This module folds the rows back
into one record per node.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from .entity import Evidence, documents, evidence_from_row
from .state import state

_ROW_VARIABLES = {
    "part",
    "node",
    "p",
    "v",
    "doc",
    "begin",
    "endIndex",
    "quote",
    "sentenceText",
    "sentenceBegin",
}
Term = ox.NamedNode | ox.Literal | ox.BlankNode


@dataclass
class FactRecord:
    """One fact node: its values by property, the other variables of its rows, its evidence."""

    node: str
    values: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))
    extra: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))
    evidence: list[Evidence] = field(default_factory=list)
    groups: list[dict[str, Term]] = field(default_factory=list)  # rows without ?p and ?doc

    def first(self, prop: str) -> Term | None:
        found = self.values.get(prop)
        return found[0] if found else None

    def text(self, prop: str) -> str | None:
        term = self.first(prop)
        return term.value if term is not None else None

    def iri(self, prop: str) -> str | None:
        term = self.first(prop)
        return term.value if isinstance(term, ox.NamedNode) else None

    def one(self, variable: str) -> str | None:
        found = self.extra.get(variable)
        return found[0].value if found else None


def read_fact_parts(query: str, **bindings: ox.NamedNode) -> dict[str, dict[str, FactRecord]]:
    """The records of a long-form fact query by the ?part of its rows ("" when it has none):
    one query answers every view of a page."""
    st = state()
    docs = documents(st)
    parts: dict[str, dict[str, FactRecord]] = {}
    result = st.run(query, **bindings)
    names = [v.value for v in result.variables]
    column = {n: i for i, n in enumerate(names)}
    extra_columns = [(n, i) for i, n in enumerate(names)
                     if n not in _ROW_VARIABLES and n not in bindings]
    i_node, i_p, i_v, i_doc = column["node"], column["p"], column["v"], column.get("doc")
    i_part = column.get("part")
    for row in result:
        node = row[i_node]
        if node is None:
            continue
        records = parts.setdefault(row[i_part].value if i_part is not None else "", {})
        record = records.get(node.value)
        if record is None:
            record = records[node.value] = FactRecord(node.value)
        extras = {n: row[i] for n, i in extra_columns if row[i] is not None}
        for name, term in extras.items():
            if term not in record.extra[name]:
                record.extra[name].append(term)
        p, v = row[i_p], row[i_v]
        if p is not None and v is not None:
            values = record.values[p.value]
            if v not in values:
                values.append(v)
        elif i_doc is not None and row[i_doc] is not None:
            ev = evidence_from_row(row, docs)
            if ev is not None and ev not in record.evidence:
                record.evidence.append(ev)
        elif extras:
            record.groups.append(extras)
    for records in parts.values():
        for record in records.values():
            record.evidence.sort(key=lambda e: (e.doc.iri, e.begin, e.end))
    return parts
