"""Entity linking across documents: reference entities first, then one minted IRI per unseen entity.

Variants resolve to one entity: transliterations (Tasymbek/Tassymbek) through loose keys, typos
through surname edit distance with the same given name, renamed places through the reference
data's former names. Minted IRIs take their slug from the name in the earliest document (by file
name), so they stay stable as documents are added.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .extract.coref import org_key
from .extract.gazetteer import Entry, Gazetteer
from .extract.model import Entity, Extraction
from .iris import Minter, slugify
from .names import loose_key, name_key, similar_surnames

KIND_PATHS = {"person": "person", "org": "org", "place": "place", "program": "program"}
# Which reference kinds a document entity's hint is compatible with.
_PLACE_HINTS = {"region": {"region"}, "city": {"city", "city_of_republican_significance"},
                "district": {"district"}, "town": {"town", "city"}, "other": {"place", "other"}}


@dataclass
class LinkedEntity:
    iri: str
    kind: str
    subkind: str | None
    name: str  # preferred English name
    reference: bool
    names: Counter = field(default_factory=Counter)  # every name seen, with counts
    first_seen: tuple[str, int] | None = None


@dataclass
class Linking:
    iri_of: dict[tuple[str, int], str] = field(default_factory=dict)
    entities: dict[str, LinkedEntity] = field(default_factory=dict)

    def iri(self, stem: str, entity_id: int | None) -> str | None:
        return None if entity_id is None else self.iri_of.get((stem, entity_id))


def entity_names(extraction: Extraction, entity: Entity) -> list[str]:
    """The names an entity has in one document: its mentions (not anaphora) and implied names."""
    names = [extraction.mentions[m].span.text for m in entity.mentions
             if extraction.mentions[m].form not in ("anaphor",)]
    return names + list(entity.implied_names)


def _reference_candidates(gazetteer: Gazetteer, entity: Entity, names: list[str]) -> list[Entry]:
    if entity.reference:
        return [Entry(entity.reference, entity.kind, *gazetteer.kinds.get(entity.reference,
                                                                           (entity.kind, ""))[1:],
                      entity.name, True)]
    found: list[Entry] = []
    via_alias = False
    for i, name in enumerate([entity.name, *names]):
        for loose in (False, True):
            found = gazetteer.lookup(name, entity.kind, loose=loose)
            if entity.kind == "org" and not found:
                found = [e for e in gazetteer.by_loose_key.get(org_key(name), []) if e.kind == "org"]
            if found:
                break
        if found:
            via_alias = i > 0
            break
    hints = _PLACE_HINTS.get(entity.subkind or "", {entity.subkind}) if entity.kind == "place" else \
        ({entity.subkind} if entity.subkind not in (None, "organization", "media_outlet") else None)
    if found and hints:
        fitting = [e for e in found if e.subkind in hints]
        # A name that is not the entity's own ('Taldykorgan' in 'the Taldykorgan and Bereke
        # industrial zones') may only link it to a reference entity of the same kind.
        found = fitting if via_alias else (fitting or found)
    return found


def _reference_people(gazetteer: Gazetteer) -> dict[str, list[tuple[str, str]]]:
    """Reference people by the loose key of their given name: [(iri, surname)]."""
    people: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for entries in gazetteer.by_loose_key.values():
        for e in entries:
            if e.kind != "person":
                continue
            ref = e.label.split()
            if len(ref) >= 2:
                people[loose_key(ref[0])].append((e.iri, ref[-1]))
    return people


def _reference_person(people: dict[str, list[tuple[str, str]]], entity: Entity) -> str | None:
    """A reference person whose given name matches and whose surname is a close variant."""
    parts = entity.name.split()
    if len(parts) < 2:
        return None
    candidates = {iri for iri, surname in people.get(loose_key(parts[0]), ())
                  if similar_surnames(surname, parts[-1])}
    return candidates.pop() if len(candidates) == 1 else None


class _Clusters:
    """Minted entities of one kind, found again by key or, for people, by fuzzy name."""

    def __init__(self) -> None:
        self.by_key: dict[str, str] = {}
        # People in the order they were added, indexed two ways (linking stays linear):
        # by the loose key of the given name: [(iri, surname)]
        self.by_given: dict[str, list[tuple[str, str]]] = defaultdict(list)
        # by (first letter, length) of the surname's loose key, which similar_surnames needs
        # equal and within two: [(iri, surname)]
        self.by_surname: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)

    def find(self, kind: str, entity: Entity, names: list[str]) -> str | None:
        if kind == "person":
            parts = entity.name.split()
            if len(parts) >= 2:
                for iri, surname in self.by_given.get(loose_key(parts[0]), ()):
                    if similar_surnames(surname, parts[-1]):
                        return iri
            else:
                key = loose_key(parts[-1])
                same = {iri for n in range(len(key) - 2, len(key) + 3)
                        for iri, surname in self.by_surname.get((key[:1], n), ())
                        if similar_surnames(surname, parts[-1])}
                if len(same) == 1:
                    return same.pop()
            return None
        for name in [entity.name, *names]:
            key = _cluster_key(kind, name)
            if key in self.by_key:
                return self.by_key[key]
        return None

    def add(self, kind: str, iri: str, entity: Entity, names: list[str]) -> None:
        if kind == "person":
            parts = entity.name.split()
            if len(parts) > 1 and parts[0]:
                self.by_given[loose_key(parts[0])].append((iri, parts[-1]))
            key = loose_key(parts[-1])
            self.by_surname[(key[:1], len(key))].append((iri, parts[-1]))
        for name in [entity.name, *names]:
            self.by_key.setdefault(_cluster_key(kind, name), iri)


def _cluster_key(kind: str, name: str) -> str:
    return org_key(name) if kind == "org" else loose_key(name)


def link_documents(extractions: list[Extraction], gazetteer: Gazetteer, minter: Minter) -> Linking:
    """Give every entity of every document a global IRI."""
    linking = Linking()
    clusters: dict[str, _Clusters] = defaultdict(_Clusters)
    used_slugs: dict[str, set[str]] = defaultdict(set)
    reference_people = _reference_people(gazetteer)
    ordered = sorted(extractions, key=lambda x: x.doc.file_name)
    # Full names before surnames, so that 'Ordabayev' finds 'Aidos Ordabayev' in any document.
    work = [(x, e) for x in ordered for e in x.entities if e.mentions or e.implied]
    work.sort(key=lambda xe: (xe[1].kind != "person" or len(xe[1].name.split()) < 2,
                              xe[0].doc.file_name, xe[1].id))
    for extraction, entity in work:
        kind = entity.kind
        names = entity_names(extraction, entity)
        iri = None
        if kind == "person":
            refs = _reference_candidates(gazetteer, entity, names)
            iri = refs[0].iri if refs else _reference_person(reference_people, entity)
        else:
            refs = _reference_candidates(gazetteer, entity, names)
            iri = refs[0].iri if refs else None
        reference = iri is not None
        if iri is None:
            iri = clusters[kind].find(kind, entity, names)
        if iri is None:
            slug = slugify(entity.name)
            base, n = slug, 2
            while slug in used_slugs[kind]:
                slug, n = f"{base}-{n}", n + 1
            used_slugs[kind].add(slug)
            iri = minter.vocab.entity(KIND_PATHS[kind], slug)
        if not reference:
            clusters[kind].add(kind, iri, entity, names)
        linked = linking.entities.get(iri)
        if linked is None:
            ref_kind = gazetteer.kinds.get(iri)
            linked = LinkedEntity(iri=iri, kind=kind,
                                  subkind=ref_kind[1] if ref_kind else entity.subkind,
                                  name=gazetteer.name_of(iri) or entity.name, reference=reference,
                                  first_seen=(extraction.doc.file_name, entity.id))
            linking.entities[iri] = linked
        elif not linked.reference and linked.subkind in (None, "organization") and entity.subkind:
            linked.subkind = entity.subkind
        linked.names.update(names or [entity.name])
        linking.iri_of[(extraction.doc.stem, entity.id)] = iri
    for linked in linking.entities.values():
        if not linked.reference:
            linked.name = _preferred_name(linked)
    return linking


def _preferred_name(linked: LinkedEntity) -> str:
    """The fullest, most frequent capitalised name an unseen entity was given."""
    order = {name: i for i, name in enumerate(linked.names)}

    def score(item: tuple[str, int]) -> tuple:
        name, count = item
        full = len(name.split()) >= 2 if linked.kind == "person" else True
        initials = bool(re.search(r"\b[A-Z][a-z]?\.", name))
        return (full, not initials, name[:1].isupper(), count, len(name.split()), -order[name])
    if not linked.names:
        return linked.name
    return max(linked.names.items(), key=score)[0]


def same_name(a: str, b: str) -> bool:
    return name_key(a) == name_key(b)
