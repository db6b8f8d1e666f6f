"""Names of everything in the served dataset, read once per process: labels, aliases, types.

Pages show labels instead of IRIs and search looks names up; both read this index instead of
joining labels into every page query (which keeps page queries small and fast). The index is
built on first use and kept in the app state's memo (one served dataset per process).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.namespaces import RDF, RDFS, SKOS

from .state import KazkgState

LANGUAGES = ("en", "kk", "ru")
# Label kinds in the order a page prefers them for display.
DISPLAY_KINDS = ("pref", "label", "name", "title", "usage")
# Kinds of names search looks at (summaries of fact nodes are for display only).
SEARCH_KINDS = frozenset(
    {"pref", "alt", "hidden", "label", "name", "title", "usage", "implied", "notation"}
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Readable names of standard properties that their vocabularies label poorly or not at all here.
STANDARD_LABELS = {
    RDF + "type": "type",
    SKOS + "prefLabel": "preferred name",
    SKOS + "altLabel": "also known as",
    SKOS + "hiddenLabel": "also written as (variant)",
    RDFS + "label": "label",
    RDFS + "comment": "comment",
    SKOS + "notation": "code",
    SKOS + "exactMatch": "same as",
    SKOS + "inScheme": "in scheme",
    SKOS + "definition": "definition",
    "http://purl.org/dc/terms/source": "source",
    "http://www.w3.org/ns/org#member": "member",
    "http://www.w3.org/ns/org#role": "role",
    "http://www.w3.org/ns/org#postIn": "post in",
    "http://www.w3.org/ns/org#holds": "holds",
    "http://www.w3.org/ns/org#organization": "organization",
    "http://www.w3.org/ns/org#subOrganizationOf": "part of organization",
    "http://purl.org/dc/terms/replaces": "replaces",
    "http://purl.org/dc/terms/isReplacedBy": "replaced by",
    "http://www.w3.org/2008/05/skos-xl#prefLabel": "official name",
    "http://www.w3.org/2008/05/skos-xl#altLabel": "other name",
    "http://www.w3.org/2008/05/skos-xl#literalForm": "written form",
    "http://purl.org/linked-data/sdmx/2009/measure#obsValue": "value",
    "http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure": "unit",
    "http://purl.org/linked-data/sdmx/2009/dimension#refArea": "area",
    "http://purl.org/linked-data/sdmx/2009/dimension#refPeriod": "period",
    "http://www.w3.org/ns/prov#wasDerivedFrom": "derived from",
    "http://www.w3.org/ns/prov#wasAttributedTo": "attributed to",
}


@dataclass(frozen=True)
class Name:
    """One name of a resource as the data states it."""

    text: str
    lang: str  # '' when the literal has no language tag
    kind: str  # pref | alt | hidden | label | name | title | usage | implied | notation | summary


@dataclass(frozen=True)
class Label:
    """The name a page shows, with the language to mark it with (lang attribute)."""

    text: str
    lang: str


@dataclass
class LabelIndex:
    """Every resource's names and its most specific types."""

    names: dict[str, list[Name]] = field(default_factory=dict)
    types: dict[str, list[str]] = field(default_factory=dict)
    parents: dict[str, set[str]] = field(default_factory=dict)  # class -> direct superclasses

    def label(self, iri: str, lang: str = "en") -> Label | None:
        """The display name in `lang`, falling back to English, untagged, then any language."""
        names = self.names.get(iri)
        if not names:
            return None
        for kind in DISPLAY_KINDS:
            candidates = [n for n in names if n.kind == kind]
            if not candidates:
                continue
            for wanted in (lang, "en", ""):
                for n in candidates:
                    if n.lang == wanted:
                        return Label(n.text, n.lang)
            return Label(candidates[0].text, candidates[0].lang)
        summary = next((n for n in names if n.kind == "summary"), None)
        return Label(summary.text, summary.lang) if summary else None

    def text(self, iri: str, lang: str = "en") -> str:
        """The display name, or a readable form of the IRI when the data names it nowhere."""
        found = self.label(iri, lang)
        if found:
            return found.text
        return STANDARD_LABELS.get(iri) or humanize(iri)

    def type_of(self, iri: str) -> str | None:
        types = self.types.get(iri)
        return types[0] if types else None


def local_name(iri: str) -> str:
    tail = re.split(r"[#/]", iri.rstrip("/#"))[-1]
    return tail or iri


def humanize(iri: str) -> str:
    """'…#hasTenure' -> 'has Tenure'; the last resort when nothing labels an IRI."""
    return _CAMEL.sub(" ", local_name(iri)).replace("_", " ")


def most_specific(types: list[str], parents: dict[str, set[str]], preferred_ns: str) -> list[str]:
    """Types that are not a superclass of another of the same resource; own namespace first."""
    ancestors: dict[str, set[str]] = {t: _ancestors(t, parents) for t in types}
    keep = [t for t in types if not any(t in ancestors[u] for u in types if u != t)]
    return sorted(keep, key=lambda t: (not t.startswith(preferred_ns), t))


def _ancestors(cls: str, parents: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(parents.get(cls, ()))
    while todo:
        c = todo.pop()
        if c not in seen and c != cls:
            seen.add(c)
            todo.extend(parents.get(c, ()))
    return seen


def build_index(st: KazkgState) -> LabelIndex:
    """Read every name, type and class hierarchy of the served dataset (one query each)."""
    store = st.store()
    names: dict[str, list[Name]] = defaultdict(list)
    for row in st.queries.run(store, "pages/label-index"):
        subject, name, kind = row["s"], row["name"], row["kind"]
        if isinstance(subject, ox.NamedNode) and isinstance(name, ox.Literal):
            entry = Name(name.value, name.language or "", kind.value)
            if entry not in names[subject.value]:
                names[subject.value].append(entry)
    parents: dict[str, set[str]] = defaultdict(set)
    for row in st.queries.run(store, "pages/class-hierarchy"):
        parents[row["class"].value].add(row["parent"].value)
    typed: dict[str, list[str]] = defaultdict(list)
    for row in st.queries.run(store, "pages/type-index"):
        if isinstance(row["s"], ox.NamedNode) and isinstance(row["type"], ox.NamedNode):
            typed[row["s"].value].append(row["type"].value)
    types = {iri: most_specific(ts, parents, st.vocab.kz) for iri, ts in typed.items()}
    return LabelIndex(names=dict(names), types=types, parents=dict(parents))


def label_index(st: KazkgState) -> LabelIndex:
    """The index of the served dataset, built on first use."""
    return st.once("label_index", lambda: build_index(st))
