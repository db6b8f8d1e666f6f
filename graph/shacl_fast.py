"""SHACL validation compiled to SPARQL and run on pyoxigraph (issue #7: pySHACL takes hours at 10^4).

Every constraint of every targeted shape becomes one SELECT that returns a row per validation
result (focus node, value, and what makes results distinct), evaluated on the store's default
graph. Shapes nested in sh:or / sh:and / sh:xone / sh:not / sh:node become a `NOT EXISTS` of the
union of their own violation patterns (a node conforms to a shape when no violation matches).

The semantics follow pySHACL (inference off), the reference: class targets and sh:class go
through rdf:type/rdfs:subClassOf* in the data graph, value nodes are sets, sh:lessThan reports a
result per failing pair, sh:uniqueLang one per repeated language, SPARQL-based constraints run
with $this joined to the focus nodes. A test compares both engines on the corpus build and on a
small graph with every kind of violation (tests/graph/test_shacl_fast.py).

Constraint components or shape features this module does not compile raise UnsupportedShapeError:
the build stops rather than passing a constraint silently.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_SUBCLASS_PATH = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"

# Predicates of a shape that do not constrain anything.
_ANNOTATIONS = {RDF.type, RDFS.label, RDFS.comment, RDFS.seeAlso, SH.name, SH.description, SH.order,
                SH.group, SH.message, SH.severity, SH.deactivated, SH.defaultValue}
_TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}
_PARAMETERS = {  # parameter -> constraint component (local name)
    SH.minCount: "MinCount", SH.maxCount: "MaxCount", SH.datatype: "Datatype", SH["class"]: "Class",
    SH.nodeKind: "NodeKind", SH.pattern: "Pattern", SH["in"]: "In", SH.hasValue: "HasValue",
    SH.minLength: "MinLength", SH.maxLength: "MaxLength", SH.minInclusive: "MinInclusive",
    SH.maxInclusive: "MaxInclusive", SH.minExclusive: "MinExclusive", SH.maxExclusive: "MaxExclusive",
    SH.lessThan: "LessThan", SH.lessThanOrEquals: "LessThanOrEquals", SH.equals: "Equals",
    SH.disjoint: "Disjoint", SH.uniqueLang: "UniqueLang", SH["or"]: "Or", SH["and"]: "And",
    SH.xone: "Xone", SH["not"]: "Not", SH.node: "Node", SH.sparql: "SPARQL",
}
# Datatypes whose lexical forms pySHACL checks (rdflib's ill-typed literals); oxigraph casts them.
_CHECKED_DATATYPES = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.boolean, XSD.date,
                      XSD.dateTime, XSD.time}
_NODE_KINDS = {  # node kind -> SPARQL condition of a *matching* node ({v} is the node)
    SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "!isLiteral({v})", SH.BlankNodeOrLiteral: "!isIRI({v})",
    SH.IRIOrLiteral: "!isBlank({v})",
}
_MAX_CARDINALITY = 4  # sh:minCount/sh:maxCount are compiled as n pairwise-distinct values


class UnsupportedShapeError(NotImplementedError):
    """The shapes use a SHACL feature this compiler does not implement."""


@dataclass
class Constraint:
    component: str  # local name without 'ConstraintComponent'
    value: object  # the parameter's value (rdflib term, list of terms for sh:in and lists)

    @property
    def iri(self) -> str:
        return f"{SH}{self.component}ConstraintComponent"


@dataclass
class Shape:
    node: object
    path: URIRef | None
    severity: str = "Violation"
    messages: list[str] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    targets: list[tuple[URIRef, object]] = field(default_factory=list)
    deactivated: bool = False


@dataclass(frozen=True)
class Result:
    focus: ox.NamedNode | ox.BlankNode | ox.Literal
    path: str | None
    value: object | None
    component: str
    severity: str
    message: str
    shape: str


# --- reading the shapes -----------------------------------------------------------------------

class ShapesReader:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self._shapes: dict[object, Shape] = {}

    def targeted(self) -> list[Shape]:
        nodes = set()
        for target in _TARGETS:
            nodes.update(self.g.subjects(target, None))
        for cls in (RDFS.Class, OWL.Class):  # implicit class targets
            for node in self.g.subjects(RDF.type, cls):
                if (node, RDF.type, SH.NodeShape) in self.g or (node, RDF.type, SH.PropertyShape) in self.g:
                    raise UnsupportedShapeError(f"implicit class target of {node}")
        return [self.shape(n) for n in sorted(nodes, key=str)]

    def shape(self, node) -> Shape:
        if node in self._shapes:
            return self._shapes[node]
        g = self.g
        paths = list(g.objects(node, SH.path))
        if len(paths) > 1:
            raise UnsupportedShapeError(f"shape {node} has {len(paths)} sh:path values")
        path = paths[0] if paths else None
        if path is not None and not isinstance(path, URIRef):
            raise UnsupportedShapeError(f"shape {node}: only predicate paths are compiled, not {path}")
        shape = Shape(node=node, path=path)
        self._shapes[node] = shape
        severity = g.value(node, SH.severity)
        if severity is not None:
            if severity not in SEVERITIES:
                raise UnsupportedShapeError(f"shape {node}: severity {severity}")
            shape.severity = SEVERITIES[severity]
        shape.messages = sorted(str(m) for m in g.objects(node, SH.message))
        shape.deactivated = any(v.toPython() is True for v in g.objects(node, SH.deactivated)
                                if isinstance(v, Literal))
        for p, o in sorted(g.predicate_objects(node), key=lambda t: (str(t[0]), str(t[1]))):
            if p in _ANNOTATIONS or p == SH.path or p == SH.flags:
                continue
            if p in _TARGETS:
                shape.targets.append((p, o))
            elif p == SH.property:
                child = self.shape(o)
                if child.path is None:
                    raise UnsupportedShapeError(f"sh:property {o} of {node} has no sh:path")
                shape.properties.append(child)
            elif p in _PARAMETERS:
                shape.constraints.append(self.constraint(node, shape, p, o))
            elif str(p).startswith(str(SH)):
                raise UnsupportedShapeError(f"shape {node}: {p} is not compiled")
        if (node, SH.flags, None) in g and (node, SH.pattern, None) not in g:
            raise UnsupportedShapeError(f"shape {node}: sh:flags without sh:pattern")
        return shape

    def constraint(self, node, shape: Shape, p, o) -> Constraint:
        component = _PARAMETERS[p]
        if component in ("In", "Or", "And", "Xone"):
            items = list(Collection(self.g, o))
            if component == "In":
                return Constraint(component, items)
            return Constraint(component, [self.shape(i) for i in items])
        if component in ("Not", "Node"):
            return Constraint(component, self.shape(o))
        if component == "Pattern":
            flags = self.g.value(node, SH.flags)
            return Constraint(component, (str(o), str(flags) if flags is not None else ""))
        if component == "SPARQL":
            return Constraint(component, self.sparql(o, shape))
        if component in ("MinCount", "MaxCount", "MinLength", "MaxLength"):
            if not isinstance(o, Literal) or not isinstance(o.toPython(), int):
                raise UnsupportedShapeError(f"shape {node}: {p} {o} is not an integer")
            return Constraint(component, int(o.toPython()))
        if component == "UniqueLang":
            return Constraint(component, bool(o.toPython()))
        if component in ("LessThan", "LessThanOrEquals", "Equals", "Disjoint", "Class", "Datatype") \
                and not isinstance(o, URIRef):
            raise UnsupportedShapeError(f"shape {node}: {p} must be an IRI, not {o}")
        if component == "NodeKind" and o not in _NODE_KINDS:
            raise UnsupportedShapeError(f"shape {node}: sh:nodeKind {o}")
        return Constraint(component, o)

    def sparql(self, node, shape: Shape) -> dict:
        g = self.g
        allowed = {RDF.type, SH.message, SH.prefixes, SH.select, SH.deactivated, RDFS.comment, RDFS.label}
        for p in g.predicates(node, None):
            if p not in allowed:
                raise UnsupportedShapeError(f"SPARQL constraint {node}: {p} is not compiled")
        select = g.value(node, SH.select)
        if select is None:
            raise UnsupportedShapeError(f"SPARQL constraint {node} has no sh:select")
        text = str(select)
        if re.search(r"\$(currentShape|shapesGraph)\b", text):
            raise UnsupportedShapeError(f"SPARQL constraint {node} uses $currentShape or $shapesGraph")
        if "$PATH" in text:
            if shape.path is None:
                raise UnsupportedShapeError(f"SPARQL constraint {node} uses $PATH on a node shape")
            text = text.replace("$PATH", f"<{shape.path}>")
        prefixes = {}
        for declarer in g.objects(node, SH.prefixes):
            for decl in g.objects(declarer, SH.declare):
                prefixes[str(g.value(decl, SH.prefix))] = str(g.value(decl, SH.namespace))
        deactivated = any(isinstance(v, Literal) and v.toPython() is True
                          for v in g.objects(node, SH.deactivated))
        return {"select": text, "prefixes": prefixes, "deactivated": deactivated,
                "messages": sorted(str(m) for m in g.objects(node, SH.message))}


# --- compiling to SPARQL ----------------------------------------------------------------------

def _term(n) -> str:
    if isinstance(n, URIRef):
        return f"<{n}>"
    if isinstance(n, Literal):
        return n.n3()
    raise UnsupportedShapeError(f"blank node {n} as a constraint parameter")


def _string(s: str) -> str:
    return Literal(s).n3()


@dataclass
class Violation:
    """A group graph pattern that matches once per validation result of one focus node."""
    pattern: str
    value: str | None  # variable holding sh:value, if any
    keys: tuple[str, ...] = ()  # further variables that make results distinct


class Compiler:
    def __init__(self, subclasses: dict[str, list[str]] | None = None) -> None:
        self._counter = itertools.count()
        # class -> every class C' with C' rdfs:subClassOf* class in the data graph, when known:
        # rdf:type/rdfs:subClassOf* becomes a lookup of the node's types (no path per node)
        self.subclasses = subclasses or {}

    def instance_of(self, v: str, cls: str) -> str:
        """A group graph pattern: the node in v (bound) is an instance of cls, i.e. has
        rdf:type/rdfs:subClassOf* cls: one of its types is among the subclasses of cls (targets
        keep the path: there the instances are looked up, which the path does faster)."""
        subs = self.subclasses.get(cls)
        if subs is None:
            return f"{v} {_SUBCLASS_PATH} <{cls}> ."
        t = self.var("type")
        return f"{v} a {t} . FILTER ({t} IN ({', '.join(f'<{c}>' for c in subs)}))"

    def var(self, stem: str = "v") -> str:
        return f"?{stem}{next(self._counter)}"

    # The value nodes of a shape for the focus node in variable f: (pattern, variable).
    def values(self, shape: Shape, f: str) -> tuple[str, str]:
        if shape.path is None:
            return "", f
        v = self.var("value")
        return f"{f} <{shape.path}> {v} .", v

    def conforms(self, shape: Shape, f: str) -> str:
        """A SPARQL expression: the node in f conforms to the shape."""
        if shape.deactivated:
            return "true"
        patterns = [v.pattern for v in self.shape_violations(shape, f, nested=True)]
        if not patterns:
            return "true"
        return "NOT EXISTS { " + " UNION ".join("{ " + p + " }" for p in patterns) + " }"

    def shape_violations(self, shape: Shape, f: str, nested: bool) -> list[Violation]:
        out = []
        for c in shape.constraints:
            out.extend(self.violations(shape, c, f, nested))
        for child in shape.properties:
            if not child.deactivated:
                for c in child.constraints:
                    out.extend(self.violations(child, c, f, nested))
        return out

    def violations(self, shape: Shape, c: Constraint, f: str, nested: bool) -> list[Violation]:
        k = c.component
        if k == "SPARQL":
            if nested:
                raise UnsupportedShapeError("SPARQL constraints inside logical constraints or sh:node")
            return []  # run separately, see FastValidator._compile
        if k in ("MinCount", "MaxCount"):
            return self.cardinality(shape, c, f)
        if k == "HasValue":
            if shape.path is None:
                return [Violation(f"FILTER (!sameTerm({f}, {_term(c.value)}))", f)]
            return [Violation(f"FILTER NOT EXISTS {{ {f} <{shape.path}> {_term(c.value)} }}", None)]
        if k == "UniqueLang":
            if not c.value:
                return []
            if shape.path is None:
                raise UnsupportedShapeError("sh:uniqueLang on a node shape")
            a, b, lang = self.var("a"), self.var("b"), self.var("lang")
            return [Violation(f"{f} <{shape.path}> {a} . {f} <{shape.path}> {b} . "
                              f"FILTER (!sameTerm({a}, {b}) && lang({a}) != \"\" && "
                              f"LCASE(lang({a})) = LCASE(lang({b}))) BIND (LCASE(lang({a})) AS {lang})",
                              None, (lang,))]
        if k in ("LessThan", "LessThanOrEquals"):
            pattern, v = self.values(shape, f)
            o = self.var("other")
            op = "<" if k == "LessThan" else "<="
            stringy = lambda x: f"(isIRI({x}) || datatype({x}) = <{XSD.string}> || datatype({x}) = <{RDF.langString}>)"  # noqa: E731
            ok = (f"IF({stringy(v)} || {stringy(o)}, {stringy(v)} && {stringy(o)} && STR({v}) {op} STR({o}), "
                  f"COALESCE({v} {op} {o}, false))")
            return [Violation(f"{pattern} {f} <{c.value}> {o} . FILTER (!COALESCE({ok}, false))", v, (o,))]
        if k == "Equals":
            pattern, v = self.values(shape, f)
            o = self.var("other")
            return [Violation(f"{pattern} FILTER NOT EXISTS {{ {f} <{c.value}> {v} }}", v),
                    Violation(f"{f} <{c.value}> {o} . FILTER NOT EXISTS {{ {pattern.replace(v, o)} }}"
                              if shape.path is not None else f"{f} <{c.value}> {o} . FILTER (!sameTerm({o}, {f}))", o)]
        if k == "Disjoint":
            pattern, v = self.values(shape, f)
            return [Violation(f"{pattern} {f} <{c.value}> {v} .", v)]
        pattern, v = self.values(shape, f)
        if k == "Class" and str(c.value) in self.subclasses and not nested:
            # MINUS, not FILTER NOT EXISTS: oxigraph evaluates the EXISTS pattern per row at a
            # cost that grows with the data (8 s instead of 0.03 s for 34,000 values); inside
            # a nested shape's NOT EXISTS the MINUS would be computed whole for every row
            t = self.var("type")
            classes = " ".join(f"<{x}>" for x in self.subclasses[str(c.value)])
            return [Violation(f"{pattern} MINUS {{ VALUES {t} {{ {classes} }} {v} a {t} . }}", v)]
        return [Violation(f"{pattern} FILTER ({self.value_violated(c, v)})", v)]

    def cardinality(self, shape: Shape, c: Constraint, f: str) -> list[Violation]:
        n = c.value
        at_least = n if c.component == "MinCount" else n + 1
        if c.component == "MinCount" and n == 0:
            return []
        if shape.path is None:
            raise UnsupportedShapeError(f"sh:{c.component[0].lower() + c.component[1:]} on node shape {shape.node}")
        if at_least > _MAX_CARDINALITY:
            raise UnsupportedShapeError(f"sh:{c.component[0].lower() + c.component[1:]} {n} (at most "
                                   f"{_MAX_CARDINALITY - 1} is compiled)")
        vs = [self.var("n") for _ in range(at_least)]
        triples = " ".join(f"{f} <{shape.path}> {v} ." for v in vs)
        distinct = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(vs, 2))
        group = triples + (f" FILTER ({distinct})" if distinct else "")
        keyword = "NOT EXISTS" if c.component == "MinCount" else "EXISTS"
        return [Violation(f"FILTER {keyword} {{ {group} }}", None)]

    def value_violated(self, c: Constraint, v: str) -> str:
        """A SPARQL expression: the value node in v violates the (per value) constraint."""
        k, p = c.component, c.value
        if k == "Datatype":
            if p == RDF.langString:
                ok = f"isLiteral({v}) && lang({v}) != \"\""
            else:
                ok = f"isLiteral({v}) && datatype({v}) = <{p}>"
                if p in _CHECKED_DATATYPES:
                    ok += f" && COALESCE(isLiteral(<{p}>({v})), false)"
            return f"!COALESCE({ok}, false)"
        if k == "Class":
            return f"NOT EXISTS {{ {self.instance_of(v, str(p))} }}"
        if k == "NodeKind":
            return "!" + _NODE_KINDS[p].format(v=v)
        if k == "Pattern":
            regex, flags = p
            args = f"STR({v}), {_string(regex)}" + (f", {_string(flags)}" if flags else "")
            return f"!COALESCE(!isBlank({v}) && regex({args}), false)"
        if k == "In":
            if not p:
                return "true"
            return "!(" + " || ".join(f"sameTerm({v}, {_term(x)})" for x in p) + ")"
        if k in ("MinLength", "MaxLength"):
            op = ">=" if k == "MinLength" else "<="
            return f"!COALESCE(!isBlank({v}) && STRLEN(STR({v})) {op} {p}, false)"
        if k in ("MinInclusive", "MaxInclusive", "MinExclusive", "MaxExclusive"):
            op = {"MinInclusive": ">=", "MaxInclusive": "<=", "MinExclusive": ">", "MaxExclusive": "<"}[k]
            return f"!COALESCE(isLiteral({v}) && {v} {op} {_term(p)}, false)"
        if k in ("Or", "And", "Xone"):
            tests = [self.conforms(s, v) for s in p]
            if k == "Or":
                return "!(" + " || ".join(tests) + ")" if tests else "true"
            if k == "And":
                return "!(" + " && ".join(tests) + ")" if tests else "false"
            return "(" + " + ".join(f"IF({t}, 1, 0)" for t in tests) + ") != 1" if tests else "true"
        if k == "Not":
            return self.conforms(p, v)
        if k == "Node":
            return "!(" + self.conforms(p, v) + ")"
        raise UnsupportedShapeError(f"sh:{k} is not compiled")  # pragma: no cover

    def targets(self, shape: Shape, f: str) -> str:
        parts = []
        for kind, o in shape.targets:
            if kind == SH.targetClass:
                if not isinstance(o, URIRef):
                    raise UnsupportedShapeError(f"sh:targetClass {o} of {shape.node}")
                parts.append(f"{f} {_SUBCLASS_PATH} {_term(o)} .")
            elif kind == SH.targetNode:
                parts.append(f"VALUES {f} {{ {_term(o)} }}")
            elif kind == SH.targetSubjectsOf:
                parts.append(f"{f} {_term(o)} [] .")
            elif kind == SH.targetObjectsOf:
                parts.append(f"[] {_term(o)} {f} .")
        return "{ SELECT DISTINCT " + f + " WHERE { " + " UNION ".join("{ " + p + " }" for p in parts) + " } }"


# --- running ----------------------------------------------------------------------------------

_GENERIC = {
    "MinCount": "Less than {param} values on {focus}->{path}",
    "MaxCount": "More than {param} values on {focus}->{path}",
    "Datatype": "Value is not Literal with datatype {param}",
    "Class": "Value does not have class {param}",
    "NodeKind": "Value is not of Node Kind {param}",
    "Pattern": "Value does not match pattern '{param}'",
    "In": "Value {value} not in list {param}",
    "HasValue": "Node {focus}->{path} does not contain Value {param}",
    "MinLength": "String length not >= {param}",
    "MaxLength": "String length not <= {param}",
    "MinInclusive": "Value is not >= {param}",
    "MaxInclusive": "Value is not <= {param}",
    "MinExclusive": "Value is not > {param}",
    "MaxExclusive": "Value is not < {param}",
    "LessThan": "Value of {focus}->{path} not < {param}",
    "LessThanOrEquals": "Value of {focus}->{path} not <= {param}",
    "Equals": "Value of {focus}->{path} not equal to {param}",
    "Disjoint": "Value of {focus}->{path} also a value of {param}",
    "UniqueLang": "More than one String shares the same Language",
    "Or": "Node {value} must conform to one or more shapes in the list",
    "And": "Node {value} must conform to all shapes in the list",
    "Xone": "Node {value} must conform to exactly one shape in the list",
    "Not": "Node {value} conforms to the shape it must not conform to",
    "Node": "Value does not conform to Shape {param}",
    "SPARQL": "SPARQL constraint not met",
}


def _ox_str(term) -> str:
    return term.value if isinstance(term, (ox.NamedNode, ox.BlankNode)) else str(term)


class FastValidator:
    """Validates the default graph of a pyoxigraph store against a SHACL shapes graph."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = ShapesReader(shapes).targeted()
        self.queries = list(self._compile())

    def classes(self) -> set[str]:
        """Every class a target or an sh:class names, nested shapes included."""
        found, seen = set(), set()

        def visit(shape: Shape) -> None:
            if id(shape) in seen:
                return
            seen.add(id(shape))
            found.update(str(o) for kind, o in shape.targets if kind == SH.targetClass)
            for c in shape.constraints:
                if c.component == "Class":
                    found.add(str(c.value))
                for nested in c.value if isinstance(c.value, list) else [c.value]:
                    if isinstance(nested, Shape):
                        visit(nested)
            for child in shape.properties:
                visit(child)
        for shape in self.shapes:
            visit(shape)
        return found

    def _subclasses(self, store: ox.Store) -> dict[str, list[str]]:
        out = {}
        for cls in sorted(self.classes()):
            subs = [row["sub"] for row in store.query(
                f"SELECT DISTINCT ?sub WHERE {{ ?sub <{RDFS.subClassOf}>* <{cls}> }}")]
            if all(isinstance(sub, ox.NamedNode) for sub in subs):
                out[cls] = sorted(sub.value for sub in subs)
        return out

    def _compile(self, subclasses: dict[str, list[str]] | None = None
                 ) -> Iterator[tuple[Shape, Constraint, str, Violation | None]]:
        compiler = Compiler(subclasses)
        for shape in self.shapes:
            if shape.deactivated or not shape.targets:
                continue
            members = [(shape, c) for c in shape.constraints]
            members += [(child, c) for child in shape.properties if not child.deactivated
                        for c in child.constraints]
            for owner, c in members:
                target = compiler.targets(shape, "?this")
                if c.component == "SPARQL":
                    if c.value["deactivated"]:
                        continue
                    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(c.value["prefixes"].items()))
                    yield owner, c, f"{prefixes}SELECT * WHERE {{ {target} {{ {c.value['select']} }} }}", None
                    continue
                for violation in compiler.violations(owner, c, "?this", nested=False):
                    project = " ".join(dict.fromkeys(["?this", *([violation.value] if violation.value else []),
                                                      *violation.keys]))
                    yield owner, c, f"SELECT DISTINCT {project} WHERE {{ {target} {violation.pattern} }}", violation

    def validate(self, store: ox.Store) -> list[Result]:
        results = []
        for shape, c, query, violation in self._compile(self._subclasses(store)):
            for row in store.query(query):
                if violation is None:  # SPARQL constraint
                    focus, value, path = row["this"], row["value"], row["path"]
                    path = path.value if isinstance(path, ox.NamedNode) else (str(shape.path) if shape.path else None)
                    if value is None and shape.path is None:
                        value = focus
                    messages = c.value["messages"] or shape.messages
                    message = _substitute(messages[0], row) if messages else _GENERIC["SPARQL"]
                else:
                    focus = row["this"]
                    value = row[violation.value[1:]] if violation.value else None
                    path = str(shape.path) if shape.path else None
                    message = shape.messages[0] if shape.messages else self._generic(c, focus, path, value)
                results.append(Result(focus=focus, path=path, value=value, component=c.iri,
                                      severity=shape.severity, message=message, shape=str(shape.node)))
        return results

    @staticmethod
    def _generic(c: Constraint, focus, path, value) -> str:
        param = c.value
        if isinstance(param, list):
            param = "(" + " ".join(_term(x) if not isinstance(x, Shape) else str(x.node) for x in param) + ")"
        elif isinstance(param, tuple):
            param = param[0]
        elif isinstance(param, Shape):
            param = str(param.node)
        return _GENERIC[c.component].format(param=param, focus=_ox_str(focus), path=path or "",
                                           value=_ox_str(value) if value is not None else "")


def _substitute(message: str, row) -> str:
    def repl(match: re.Match) -> str:
        try:
            term = row[match.group(1)]
        except (KeyError, IndexError, ValueError):
            return match.group(0)
        return _ox_str(term) if term is not None else match.group(0)
    return re.sub(r"\{[?$](\w+)\}", repl, message)
