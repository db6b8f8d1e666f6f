"""Within one document: which mentions name the same entity."""

from __future__ import annotations

import re

from ..names import loose_key, name_key, similar_surnames
from .mentions import Candidate, is_given_name
from .model import Entity, Mention, Span

_ORG_SUFFIX = re.compile(r"\s+of\s+(?:the\s+)?(?:Republic\s+of\s+)?Kazakhstan$", re.IGNORECASE)
_STOP = {"of", "the", "for", "on", "and", "to", "in", "a", "an", "till", "until", "program",
         "programme", "state", "plan", "development", "implementation", "new", "this"}


def org_key(name: str) -> str:
    """'Regional Development Ministry' and 'Ministry of Regional Development' -> one key."""
    name = _ORG_SUFFIX.sub("", name.strip())
    name = re.sub(r"[\"“”«»]", "", name)
    m = re.match(r"^(.+?)\s+(Ministry|Agency|Committee)$", name)
    if m:
        name = f"{m.group(2)} of {m.group(1)}"
    name = re.sub(r"^Ministry for ", "Ministry of ", name)
    return loose_key(name)


def content_stems(name: str) -> set[str]:
    """Content words cut to 5 letters: 'industrialization' and 'industrial' share 'indus'."""
    words = re.findall(r"[a-z]+", name_key(name))
    return {w[:5] for w in words if w not in _STOP and not w.isdigit() and len(w) > 2}


def build_entities(candidates: list[Candidate], sentence_of, text: str) -> tuple[list[Mention], list[Entity]]:
    """Group mentions into entities; return mentions and entities with matching ids."""
    mentions: list[Mention] = []
    entities: list[Entity] = []
    by_key: dict[tuple[str, str], int] = {}

    def new_entity(kind: str, name: str, subkind: str | None, reference: str | None) -> int:
        entities.append(Entity(id=len(entities), kind=kind, name=name, subkind=subkind,
                               reference=reference))
        return len(entities) - 1

    def attach(entity_id: int, c: Candidate, form: str) -> None:
        mention = Mention(id=len(mentions), kind=c.kind,
                          span=Span(c.start, c.end, text[c.start:c.end], sentence_of(c.start)),
                          form=form)
        mentions.append(mention)
        entities[entity_id].mentions.append(mention.id)

    people = [c for c in candidates if c.kind == "person"]
    full = [c for c in people if c.source == "person" and " " in c.text]
    for c in full:
        given, surname = c.text.split()[0], c.text.split()[-1]
        match = next((e for e in entities if e.kind == "person"
                      and loose_key(e.name.split()[0]) == loose_key(given)
                      and similar_surnames(e.name.split()[-1], surname)), None)
        if match is None:
            attach(new_entity("person", c.text, "person", None), c, "name")
        else:
            same = name_key(match.name) == name_key(c.text)
            attach(match.id, c, "name" if same else "alias")
    for c in people:
        if c in full:
            continue
        surname = c.text.replace(".", ". ").split()[-1]
        initials = [w.rstrip(".") for w in re.findall(r"[A-ZА-Я][a-zа-я]?\.", c.text)]
        match = next((e for e in entities if e.kind == "person"
                      and similar_surnames(e.name.split()[-1], surname)
                      and (not initials or _initial_fits(initials[0], e.name.split()[0]))), None)
        if match is None:
            match_id = new_entity("person", c.text if c.source != "initials" else surname,
                                  "person", None)
        else:
            match_id = match.id
        attach(match_id, c, c.form)

    for c in candidates:
        if c.kind in ("org", "place"):
            name = c.canonical or c.text
            if c.kind == "org":
                if c.subkind in ("ministry", "agency"):
                    name = _ORG_SUFFIX.sub("", name)
                name = name[:1].upper() + name[1:]
            name_id = (c.kind, org_key(name) if c.kind == "org" else loose_key(name))
            ref_id = (c.kind, c.reference) if c.reference else None
            known = by_key.get(ref_id) if ref_id else None
            if known is None and name_id in by_key and (
                    not c.reference or entities[by_key[name_id]].reference in (None, c.reference)):
                known = by_key[name_id]
            if known is None:
                known = new_entity(c.kind, name, c.subkind, c.reference)
            if c.reference and not entities[known].reference:
                entities[known].reference = c.reference
            by_key.setdefault(name_id, known)
            if ref_id:
                by_key.setdefault(ref_id, known)
            key = name_id
            by_key[key] = known
            entity = entities[by_key[key]]
            if entity.subkind in (None, "organization") and c.subkind not in (None, "organization"):
                entity.subkind = c.subkind
            attach(by_key[key], c, "name" if name_key(c.text) == name_key(entity.name) else "alias")
            if c.canonical and name_key(c.canonical) != name_key(c.text) and c.canonical not in entity.implied_names:
                entity.implied_names.append(c.canonical)  # 'Aktobe' in 'akimats of Aktobe, … regions'


    _program_entities(candidates, entities, new_entity, attach)
    return mentions, entities


def _program_entities(candidates, entities, new_entity, attach) -> None:
    programs = [c for c in candidates if c.kind == "program" and c.form != "anaphor"]
    clusters: list[tuple[int, set[str], str | None]] = []  # entity id, stems, reference
    # Proper (capitalised) names first, so that descriptive phrases join them.
    for c in sorted(programs, key=lambda c: (not c.text[:1].isupper(), -len(c.text), c.start)):
        stems = content_stems(c.text)
        target = None
        for entity_id, cluster_stems, reference in clusters:
            if c.reference and reference == c.reference:
                target = entity_id
                break
            if c.reference and reference and reference != c.reference:
                continue
            if (c.subkind == "project_map") != (entities[entity_id].subkind == "project_map"):
                continue  # the Industrialization Map is not the program it belongs to
            if stems and cluster_stems and (stems <= cluster_stems or cluster_stems <= stems
                                            or len(stems & cluster_stems) >= 2):
                target = entity_id
                break
        if target is None:
            target = new_entity("program", c.canonical or c.text, c.subkind, c.reference)
            clusters.append((target, stems, c.reference))
        else:
            entity = entities[target]
            if c.reference and not entity.reference:
                entity.reference = c.reference
        attach(target, c, "name" if name_key(c.text) == name_key(entities[target].name) else "alias")
    # A descriptive lower-case phrase ('the program for addressing the problems of small towns')
    # refers to the one other program it shares a content word with; the fuller name stays.
    def fullness(e: Entity) -> tuple:
        return (bool(re.search(r"\d{4}", e.name)), e.name[:1].isupper(), len(e.name))

    for e in sorted((e for e in entities if e.kind == "program" and not e.name[:1].isupper()), key=fullness):
        peers = [n for n in entities if n.kind == "program" and n is not e and n.mentions
                 and content_stems(n.name) & content_stems(e.name)]
        if len(peers) == 1 and e.mentions and fullness(peers[0]) >= fullness(e):
            peers[0].mentions.extend(e.mentions)
            e.mentions.clear()
    for c in (c for c in candidates if c.kind == "program" and c.form == "anaphor"):
        head = c.text.lower().split()[-1]
        preceding = [e for e in entities if e.kind == "program" and e.mentions
                     and head.rstrip("me") in e.name.lower()]
        if preceding:
            attach(preceding[-1].id if len(preceding) == 1 else _latest(preceding, c), c, "anaphor")


def _initial_fits(initial: str, given: str) -> bool:
    """'Zh' fits 'Zhanat', 'A' fits 'Arman'; a given name the lexicon doesn't know fits any."""
    return name_key(given).startswith(name_key(initial)) or not is_given_name(given)


def _latest(entities: list[Entity], c: Candidate) -> int:
    return max(entities, key=lambda e: len(e.mentions)).id


def merge_title_entities(mentions: list[Mention], entities: list[Entity],
                         title: tuple[int, int] | None) -> None:
    """A program or organization named loosely in the headline is the one the body names.

    ('Comprehensive Industry Development Plan' in a title, 'Comprehensive Development Plan of
    Machine Building for 2024-2028' in the text.)
    """
    if title is None:
        return

    def in_title(m: int) -> bool:
        return title[0] <= mentions[m].span.start and mentions[m].span.end <= title[1]

    for e in entities:
        if e.kind not in ("program", "org") or not e.mentions or not all(map(in_title, e.mentions)):
            continue
        body = [o for o in entities if o is not e and o.kind == e.kind and o.subkind == e.subkind
                and o.mentions and not all(map(in_title, o.mentions))]
        if len(body) == 1:
            body[0].mentions.extend(e.mentions)
            for m in e.mentions:
                if mentions[m].form == "name":
                    mentions[m].form = "alias"
            e.mentions.clear()
