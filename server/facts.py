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


def read_facts(query: str, **bindings: ox.NamedNode) -> dict[str, FactRecord]:
    """The records of a long-form fact query, in the order the nodes first appear."""
    st = state()
    docs = documents(st)
    records: dict[str, FactRecord] = {}
    result = st.queries.run(st.store(), query, **bindings)
    names = [v.value for v in result.variables]
    for row in result:
        node = row["node"]
        if node is None:
            continue
        record = records.get(node.value)
        if record is None:
            record = records[node.value] = FactRecord(node.value)
        extras = {n: row[n] for n in names if n not in _ROW_VARIABLES and row[n] is not None}
        for name, term in extras.items():
            if name not in bindings and term not in record.extra[name]:
                record.extra[name].append(term)
        if row["p"] is not None and row["v"] is not None:
            values = record.values[row["p"].value]
            if row["v"] not in values:
                values.append(row["v"])
        elif row["doc"] is not None:
            ev = evidence_from_row(row, docs)
            if ev is not None and ev not in record.evidence:
                record.evidence.append(ev)
        elif extras:
            record.groups.append(extras)
    return records
