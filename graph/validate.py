"""SHACL validation of the materialised graph, and a readable report.

Two engines: `fast` (graph/shacl_fast.py: the shapes compiled to SPARQL, run on pyoxigraph; the
build's) and `pyshacl` (the reference, hours at 10^4 documents). KAZKG_VALIDATOR chooses the
default of validate_triples; both give the same findings (tests/graph/test_shacl_fast.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from .convert import ox_triples_to_rdflib

_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Finding:
    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str
    component: str = ""  # IRI of the SHACL constraint component

    def key(self) -> tuple[str, str | None, str, str]:
        """What two engines must agree on: focus node, path, constraint component, severity."""
        return (self.focus, self.path, self.component, self.severity)

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        value = f" = {self.value}" if self.value else ""
        return f"{self.severity}: <{self.focus}>{where}{value}: {self.message}"


@dataclass
class ValidationReport:
    conforms: bool
    findings: list[Finding] = field(default_factory=list)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    def counts(self) -> dict[str, int]:
        return dict(Counter(f.severity for f in self.findings))

    def summary(self) -> str:
        counts = self.counts()
        parts = [f"{counts.get(s, 0)} {s.lower()}{'s' if counts.get(s, 0) != 1 else ''}"
                 for s in ("Violation", "Warning", "Info")]
        return ("conforms" if not self.violations else "does not conform") + " (" + ", ".join(parts) + ")"

    def render(self, limit: int = 50) -> str:
        """The report as text: violations first, grouped messages after the first `limit`."""
        lines = [f"SHACL: {self.summary()}"]
        ordered = sorted(self.findings, key=lambda f: (["Violation", "Warning", "Info"].index(f.severity),
                                                       f.message, f.focus))
        for f in ordered[:limit]:
            lines.append(f"  {f}")
        if len(ordered) > limit:
            rest = Counter((f.severity, f.message) for f in ordered[limit:])
            for (severity, message), n in sorted(rest.items()):
                lines.append(f"  … {n} more {severity}: {message}")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {"conforms": not self.violations, "counts": self.counts(),
                "findings": [f.__dict__ for f in self.findings[:500]]}


def validate_store(store: ox.Store, shapes: Graph, engine: str = "fast") -> ValidationReport:
    """Validate the default graph of a store (the materialised graph), without inference.

    engine: "fast" (the shapes compiled to SPARQL) or "pyshacl" (the reference), as
    Config.validator (KAZKG_VALIDATOR) chooses."""
    if engine == "fast":
        return validate_store_fast(store, shapes)
    return validate_triples(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), shapes, engine)


def validate_store_fast(store: ox.Store, shapes: Graph) -> ValidationReport:
    from .shacl_fast import FastValidator
    findings = []
    for r in FastValidator(shapes).validate(store):
        findings.append(Finding(
            severity=r.severity, focus=_term_str(r.focus),
            path=r.path,
            value=_term_str(r.value) if isinstance(r.value, (ox.NamedNode, ox.Literal)) else None,
            message=r.message, shape=r.shape, component=r.component))
    return _report(findings)


def _term_str(term) -> str:
    return term.value if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)) else str(term)


def validate_triples(triples: Iterable[ox.Triple | ox.Quad], shapes: Graph,
                     engine: str = "fast") -> ValidationReport:
    """Validate the (already materialised) graph against the shapes, without inference."""
    if engine == "fast":
        store = ox.Store()
        store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
        return validate_store_fast(store, shapes)
    data = Graph()
    for t in ox_triples_to_rdflib(triples):
        data.add(t)
    return validate_graph(data, shapes)


def validate_graph(data: Graph, shapes: Graph) -> ValidationReport:
    """pySHACL on an rdflib graph (the reference engine)."""
    from pyshacl import validate as shacl_validate
    _conforms, report, _text = shacl_validate(data, shacl_graph=shapes, inference="none",
                                              advanced=False, allow_warnings=True)
    findings = []
    for result in report.objects(None, SH.result):  # not the sh:detail results nested in them
        severity = _SEVERITY.get(report.value(result, SH.resultSeverity), "Violation")
        message = report.value(result, SH.resultMessage)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        findings.append(Finding(
            severity=severity,
            focus=str(report.value(result, SH.focusNode)),
            path=str(path) if isinstance(path, URIRef) else None,
            value=str(value) if isinstance(value, (URIRef, Literal)) else None,
            message=str(message) if message else "constraint not met",
            shape=str(report.value(result, SH.sourceShape)),
            component=str(report.value(result, SH.sourceConstraintComponent)),
        ))
    return _report(findings)


def _report(findings: list[Finding]) -> ValidationReport:
    findings.sort(key=lambda f: (f.severity, f.focus, f.path or "", f.message))
    return ValidationReport(conforms=not any(f.severity == "Violation" for f in findings),
                            findings=findings)
