"""The gazetteer: names of the entities in the reference data, for matching in text and linking.

Built once per build from ontology/reference (never from code), picklable so that extraction
processes can share it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS, Namespace

SKOSXL = Namespace("http://www.w3.org/2008/05/skos-xl#")

from ..names import loose_key, name_key
from ..namespaces import Vocab
from ..ontology import ClassTree

KIND_ROOTS = {"Person": "person", "Organization": "org", "Place": "place", "Program": "program",
              "Role": "role"}


@dataclass(frozen=True)
class Entry:
    iri: str
    kind: str  # person | org | place | program | role
    subkind: str  # most specific class, snake_case: region, ministry, state_program …
    label: str  # the label as written in the reference data
    preferred: bool  # skos:prefLabel (else altLabel/hiddenLabel/notation)


@dataclass
class Gazetteer:
    """Reference names by normalised key, with the preferred English label of each IRI."""

    by_key: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    by_loose_key: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    preferred: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, tuple[str, str]] = field(default_factory=dict)
    extra: dict[str, dict[str, str]] = field(default_factory=dict)  # iri -> {jurisdiction: iri …}
    demonyms: dict[str, str] = field(default_factory=dict)  # 'Uzbek' -> the IRI of Uzbekistan

    def add(self, entry: Entry) -> None:
        self.by_key[name_key(entry.label)].append(entry)
        self.by_loose_key[loose_key(entry.label)].append(entry)
        if entry.preferred and entry.iri not in self.preferred:
            self.preferred[entry.iri] = entry.label
        self.kinds.setdefault(entry.iri, (entry.kind, entry.subkind))

    def lookup(self, text: str, kind: str | None = None, loose: bool = False) -> list[Entry]:
        """Entries whose label matches `text` (optionally of one kind), preferred labels first."""
        table = self.by_loose_key if loose else self.by_key
        found = table.get((loose_key if loose else name_key)(text), [])
        found = [e for e in found if kind is None or e.kind == kind]
        return sorted(found, key=lambda e: (not e.preferred, e.iri))

    def labels(self, kinds: tuple[str, ...] = ("person", "org", "place", "program")) -> list[Entry]:
        """Every entry of the given kinds (for building a phrase matcher)."""
        seen, out = set(), []
        for entries in self.by_key.values():
            for e in entries:
                if e.kind in kinds and (e.iri, e.label) not in seen:
                    seen.add((e.iri, e.label))
                    out.append(e)
        return sorted(out, key=lambda e: (e.iri, e.label))

    def name_of(self, iri: str) -> str | None:
        return self.preferred.get(iri)

    def __getstate__(self) -> dict:
        # The spaCy matcher built on first use is not picklable; worker processes rebuild it.
        return {k: v for k, v in self.__dict__.items() if k != "_matcher"}


def _snake(local: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", local).lower()


def build_gazetteer(reference: Graph, tbox: Graph, vocab: Vocab) -> Gazetteer:
    """Collect every English (or untagged) label of every typed reference entity."""
    tree = ClassTree(tbox)
    roots = {URIRef(vocab.term(local)): kind for local, kind in KIND_ROOTS.items()}
    gazetteer = Gazetteer()
    for node in sorted(set(reference.subjects(RDF.type, None)), key=str):
        if not isinstance(node, URIRef):
            continue
        classes = {c for c in reference.objects(node, RDF.type) if isinstance(c, URIRef)}
        kind = next((roots[r] for c in classes for r in tree.ancestors(c) if r in roots), None)
        if kind is None:
            continue
        specific = sorted(tree.most_specific({c for c in classes if str(c).startswith(vocab.kz)}))
        subkind = _snake(str(specific[0])[len(vocab.kz):]) if specific else kind
        for prop, preferred in ((SKOS.prefLabel, True), (SKOS.altLabel, False),
                                (SKOS.hiddenLabel, False)):
            for label in reference.objects(node, prop):
                if isinstance(label, Literal) and label.language in (None, "en", "kk", "ru"):
                    gazetteer.add(Entry(str(node), kind, subkind, str(label),
                                        preferred and label.language in (None, "en")))
        # Dated names (renames) are SKOS-XL labels: Nur-Sultan is a former name of Astana.
        for prop in (SKOSXL.prefLabel, SKOSXL.altLabel, SKOSXL.hiddenLabel):
            for name_node in reference.objects(node, prop):
                for label in reference.objects(name_node, SKOSXL.literalForm):
                    if isinstance(label, Literal) and label.language in (None, "en", "kk", "ru"):
                        gazetteer.add(Entry(str(node), kind, subkind, str(label), False))
        for demonym in reference.objects(node, URIRef(vocab.term("demonym"))):
            gazetteer.demonyms.setdefault(str(demonym), str(node))
        extra = {}
        for prop in ("jurisdiction", "locatedIn"):
            value = reference.value(node, URIRef(vocab.term(prop)))
            if value is not None:
                extra[prop] = str(value)
        if extra:
            gazetteer.extra[str(node)] = extra
    return gazetteer
