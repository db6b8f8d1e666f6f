"""Posts from titles: who holds which post in which organization, as the text's titles state it.

Shapes handled: 'Minister of X Name', 'akim of Y region Name', 'Prime Minister of Kazakhstan Name',
'Deputy Prime Minister – Minister of X Name' (two posts), lists 'The Ministers of A Name1,
B — Name2, akims of Y region Name3', 'Akim of the region Name' (the article's region),
appositions 'Name, Minister of X,'. Titles are the role labels of the reference vocabulary; how
a title names its organization is data (graph/patterns/posts.json).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as importlib_resources
from typing import TYPE_CHECKING

from ..names import loose_key, name_key
from .coref import org_key
from .mentions import person_lexicon
from .model import Entity, Extraction, Post, Span

if TYPE_CHECKING:
    from . import Resources

_SEPARATORS = re.compile(r"[\s,:;–—―-]*$")
_OBJECT_STOP = re.compile(r"\b(?:said|says|noted|told|reported|stated|met|held|who|which|that|"
                          r"and the|has|had|have|was|were|is|are|will)\b")


@lru_cache(maxsize=1)
def post_rules() -> dict:
    return json.loads(importlib_resources.files("graph.patterns").joinpath("posts.json")
                      .read_text("utf-8"))


@dataclass(frozen=True)
class TitleMatch:
    role: str  # role slug
    start: int
    end: int
    plural: bool
    object_text: str | None
    object_start: int | None
    preposition: str | None


class TitleReader:
    """Finds role titles in text, from the role labels of the reference data."""

    def __init__(self, resources: Resources) -> None:
        titles: dict[str, str] = {}
        for entries in resources.gazetteer.by_key.values():
            for e in entries:
                if e.kind == "role" and re.fullmatch(r"[A-Za-z][A-Za-z -]+", e.label):
                    titles.setdefault(_title_key(e.label), e.iri.rstrip("/").rsplit("/", 1)[-1])
        self.titles = titles
        # 'Vice Minister', 'Vice-Minister' and 'Vice  minister' are one title.
        alternation = "|".join(r"[\s-]+".join(map(re.escape, t.split()))
                               for t in sorted(titles, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<![\w-])(?P<title>{alternation})(?P<plural>s)?(?![\w-])", re.IGNORECASE)
        rules = post_rules()
        self.domains: dict[str, str] = rules.get("ministry_domains", {})
        self.prenominal_ok = set(rules.get("prenominal_exceptions", []))
        domain_alt = "|".join(re.escape(d) for d in sorted(self.domains, key=len, reverse=True))
        self.domain_pattern = re.compile(
            rf"(?:(?!(?:First|Deputy|Vice)\b)(?P<word>[A-Z][\w'’]*)\s+)?(?P<deputy>(?P<first>First\s+)?(?:Deputy|Vice)[\s-]+)?"
            rf"(?P<domain>{domain_alt})\s+$") if domain_alt else None

    def role_of(self, title: str) -> str:
        return self.titles[_title_key(title)]

    def last_title(self, text: str, offset: int) -> TitleMatch | None:
        """The title that ends `text`, possibly followed by 'of/for <object>'.

        A gloss in parentheses ('akim (governor) Name') is skipped; a possessive before the title
        is its object ('the city's akim Name', "Taraz's akim Name")."""
        glosses = [(g.start(), g.end()) for g in re.finditer(r"\([^()]{1,40}\)", text)]
        matches = [m for m in self.pattern.finditer(text)
                   if not any(s <= m.start() < e for s, e in glosses)]
        for m in reversed(matches):
            tail = re.sub(r"\s*\([^()]{1,40}\)", "", text[m.end():])
            stripped = _SEPARATORS.sub("", tail)
            if not stripped.strip():
                owner = re.search(r"(?:(?P<the>the)\s+)?(?P<owner>[A-Za-z][\w-]*(?:\s[A-Z][\w-]*)?)['’]s\s+$",
                                  text[:m.start()])
                if owner:
                    obj = owner.group("owner")
                    obj = f"the {obj}" if owner.group("the") else obj
                    return TitleMatch(self.role_of(m.group("title")), offset + owner.start(), offset + m.end(),
                                      bool(m.group("plural")), obj, offset + owner.start("owner"), "of")
                domain = self._domain_before(text[:m.start()], self.role_of(m.group("title")), offset)
                if domain is not None:
                    role, start, obj = domain
                    return TitleMatch(role, start, offset + m.end(), bool(m.group("plural")), obj, None, "of")
                return TitleMatch(self.role_of(m.group("title")), offset + m.start(), offset + m.end(),
                                  bool(m.group("plural")), None, None, None)
            obj = re.match(r"\s+(of|for|at)\s+(?:the\s+)?(.+)$", stripped, re.DOTALL)
            if obj and len(obj.group(2).split()) <= 14 and not _OBJECT_STOP.search(obj.group(2)) \
                    and not self.pattern.search(obj.group(2)):
                start = offset + m.end() + obj.start(2)
                return TitleMatch(self.role_of(m.group("title")), offset + m.start(), offset + m.end(),
                                  bool(m.group("plural")), obj.group(2).strip(), start, obj.group(1))
            return None
        return None


    def _domain_before(self, before: str, role: str, offset: int) -> tuple[str, int, str] | None:
        """'Deputy Foreign Minister': (vice-minister, start, 'Foreign Affairs'), unless another
        country's adjective stands first ('Russian Foreign Minister')."""
        if role != "minister" or self.domain_pattern is None:
            return None
        m = self.domain_pattern.search(before)
        if m is None or (m.group("word") and m.group("word") not in self.prenominal_ok):
            return None
        if m.group("deputy"):
            role = "first-vice-minister" if m.group("first") else "vice-minister"
        start = m.start("deputy") if m.group("deputy") else m.start("domain")
        return role, offset + start, self.domains[m.group("domain")]


def _title_key(title: str) -> str:
    return re.sub(r"[\s-]+", " ", title.lower()).strip()


def _title_reader(resources: Resources) -> TitleReader:
    cached = resources.__dict__.get("_title_reader")
    if cached is None:
        cached = resources.__dict__["_title_reader"] = TitleReader(resources)
    return cached


class PostFinder:
    def __init__(self, x: Extraction, text: str, resources: Resources) -> None:
        self.x, self.text, self.resources = x, text, resources
        self.reader = _title_reader(resources)
        self.rules = post_rules()
        self.gazetteer = resources.gazetteer
        self.entity_of_mention = {m: e.id for e in x.entities for m in e.mentions}

    # --- entities the posts point to --------------------------------------------------------------

    def _entity(self, kind: str, name: str, subkind: str | None, reference: str | None,
                implied: bool = True) -> int:
        for e in self.x.entities:
            if e.kind != kind:
                continue
            if reference and e.reference == reference:
                return e.id
            same = org_key(e.name) == org_key(name) if kind == "org" else loose_key(e.name) == loose_key(name)
            if same and (not reference or not e.reference):
                if reference and not e.reference:
                    e.reference = reference
                return e.id
        entity = Entity(id=len(self.x.entities), kind=kind, name=name, subkind=subkind,
                        implied=implied, implied_names=[name], reference=reference)
        self.x.entities.append(entity)
        return entity.id

    def _country(self) -> int | None:
        for name in self.rules["country"]["names"]:
            found = self.gazetteer.lookup(name, "place")
            if found:
                return self._entity("place", self.gazetteer.name_of(found[0].iri) or name, "country",
                                    found[0].iri)
        return None

    def _national(self, subkind: str) -> int | None:
        country = self._country()
        country_iri = self.x.entities[country].reference if country is not None else None
        candidates = sorted(iri for iri, (kind, sub) in self.gazetteer.kinds.items()
                            if kind == "org" and sub == subkind
                            and self.gazetteer.extra.get(iri, {}).get("jurisdiction") == country_iri)
        if len(candidates) != 1:
            return None
        iri = candidates[0]
        return self._entity("org", self.gazetteer.name_of(iri) or iri, subkind, iri)

    def _place_in(self, span_start: int, span_end: int, object_text: str) -> int | None:
        """The place a title's object names: a place mention inside it, or the article's region."""
        for m in self.x.mentions:
            if m.kind == "place" and span_start <= m.span.start and m.span.end <= span_end:
                return self.entity_of_mention.get(m.id)
        cleaned = re.sub(r"^(?:the\s+)", "", object_text.strip(), flags=re.I)
        generic = re.fullmatch(r"(?:[a-z-]+\s+){0,3}(region|oblast|city|district)", cleaned.lower())
        if generic:  # 'the region', 'the newly established region', 'the city'
            kind = generic.group(1)
            return self._main_place("region" if kind in ("region", "oblast") else None)
        found = self.gazetteer.lookup(cleaned, "place") or self.gazetteer.lookup(cleaned, "place", loose=True)
        if found:
            return self._entity("place", self.gazetteer.name_of(found[0].iri) or cleaned,
                                found[0].subkind, found[0].iri)
        return None

    def _main_place(self, subkind: str | None) -> int | None:
        """The region (or, for 'the city', the city) the article is about: the most mentioned."""
        wanted = {subkind} if subkind else {"city", "city_of_republican_significance", "town"}
        counts = Counter()
        for e in self.x.entities:
            if e.kind == "place" and e.mentions and e.subkind in wanted:
                counts[e.id] = len(e.mentions)
        return counts.most_common(1)[0][0] if counts else None

    def _org_in(self, start: int, end: int) -> int | None:
        for m in self.x.mentions:
            if m.kind == "org" and start <= m.span.start and m.span.end <= end:
                return self.entity_of_mention.get(m.id)
        return None

    def _foreign_country_before(self, title_start: int | None) -> str | None:
        """The other country whose adjective stands before a title ('Uzbek', 'South Korean')."""
        if title_start is None:
            return None
        before = self.text[max(0, title_start - 40):title_start]
        for demonym in sorted(self.gazetteer.demonyms, key=len, reverse=True):
            if re.search(rf"(?<![\w-]){re.escape(demonym)}\s+$", before):
                iri = self.gazetteer.demonyms[demonym]
                country = self._country()
                return None if country is not None and self.x.entities[country].reference == iri else iri
        return None

    def _unknown_owner_before(self, title_start: int | None) -> bool:
        """A capitalised word glued before a title, inside the sentence, that is not a known
        qualifier ('Acting', 'Kazakh'): the title belongs to that unknown owner."""
        if title_start is None:
            return False
        m = re.search(r"(?P<before>\S?)\s*\b(?P<word>[A-Z][\w'’-]*)\s+$", self.text[max(0, title_start - 60):title_start])
        if m is None:
            return False
        word = m.group("word")
        if word in self.reader.prenominal_ok or word in self.gazetteer.demonyms or word in person_lexicon()["not_name"]:
            return False
        lower_title = self.text[title_start:title_start + 1].islower()
        return lower_title or (bool(m.group("before")) and m.group("before") not in ".!?:;\"“”«»—–-")

    def _country_in(self, start: int, end: int) -> int | None:
        """Another country named inside a title's object."""
        home = self._country()
        for m in self.x.mentions:
            if m.kind == "place" and start <= m.span.start and m.span.end <= end:
                entity_id = self.entity_of_mention.get(m.id)
                if entity_id is not None and entity_id != home and self.x.entities[entity_id].subkind == "country":
                    return entity_id
        return None

    def _org_before(self, offset: int) -> int | None:
        """An organization named right before a title: 'KAMAZ General Director Name'."""
        for m in self.x.mentions:
            if m.kind == "org" and 0 <= offset - m.span.end <= 2 and not self.text[m.span.end:offset].strip():
                return self.entity_of_mention.get(m.id)
        return None

    def _org_referred_by_its(self, title_start: int) -> int | None:
        """'its head Name': the organization last named before the title, in this or the previous sentence."""
        if not re.search(r"\bits\s+$", self.text[max(0, title_start - 6):title_start], re.IGNORECASE):
            return None
        window = title_start - 400
        before = [m for m in self.x.mentions if m.kind == "org" and window <= m.span.start and m.span.end <= title_start]
        return self.entity_of_mention.get(before[-1].id) if before else None

    def _reference_org(self, label: str) -> int | None:
        found = self.gazetteer.lookup(label, "org")
        if not found:
            return None
        iri = found[0].iri
        return self._entity("org", self.gazetteer.name_of(iri) or label, found[0].subkind, iri)

    def _foreign_head(self, obj: str | None, obj_start: int | None, title_start: int | None
                      ) -> tuple[int | None, int | None] | None:
        """A president of something other than the country: 'President of Tatarstan Name' (the
        presidency of that place), 'president of Hyundai Motor Company Name', 'Genertec president Name'."""
        if obj:
            obj_end = (obj_start or 0) + len(obj)
            org = self._org_in(obj_start or 0, obj_end) if obj_start is not None else None
            if org is not None:
                return org, self._jurisdiction_of(org)
            place = self._place_in(obj_start or 0, obj_end, obj) if obj_start is not None else None
            if place is None:
                return None, None
            place_entity = self.x.entities[place]
            if place_entity.subkind not in ("country", "region", "administrative_area", "other", None) \
                    and place_entity.reference:
                return None, None
            name = f"Presidency of {_name_in_document(self.x, place_entity)}"
            return self._entity("org", name, "presidency", None), place
        if title_start is not None and (org := self._org_before(title_start)) is not None:
            entity = self.x.entities[org]
            if entity.subkind in ("presidency",):
                return None
            return org, self._jurisdiction_of(org)
        return None

    def _jurisdiction_of(self, org: int) -> int | None:
        iri = self.x.entities[org].reference
        extra = self.gazetteer.extra.get(iri, {}) if iri else {}
        place_iri = extra.get("jurisdiction")
        if not place_iri and self.gazetteer.kinds.get(extra.get("locatedIn", ""), ("", ""))[1] == "country":
            place_iri = extra["locatedIn"]  # a company's country: KAMAZ is Russian
        if not place_iri:
            return None
        kind, subkind = self.gazetteer.kinds.get(place_iri, ("place", None))
        return self._entity("place", self.gazetteer.name_of(place_iri) or place_iri, subkind, place_iri)

    def _place_before(self, offset: int) -> tuple[str, int] | None:
        """A place named right before a title: 'East Kazakhstan region Governor Name'."""
        for m in self.x.mentions:
            if m.kind == "place" and 0 <= offset - m.span.end <= 2 and not self.text[m.span.end:offset].strip():
                return m.span.text, m.span.start
        return None

    def _organization(self, role: str, obj: str | None, obj_start: int | None, prep: str | None,
                      title_start: int | None = None) -> tuple[int | None, int | None]:
        """(organization, place) a title names."""
        if obj is None and title_start is not None and (before := self._place_before(title_start)):
            obj, obj_start = before
        rule = self.rules["rules"].get(role)
        if rule is None:
            return None, None
        kind = rule["organization"]
        obj_clean = _strip_country(obj, self.rules) if obj else None
        obj_end = (obj_start or 0) + len(obj or "")
        place = self._country() if rule["place"] == "country" else None
        abroad = self._foreign_country_before(title_start)
        if abroad is not None:  # 'Uzbek President Name': an office of another country
            if kind != "national:presidency":
                return None, None
            name = self.gazetteer.name_of(abroad) or abroad
            country = self._entity("place", name, "country", abroad)
            return self._entity("org", f"Presidency of {name}", "presidency", None), country
        if rule.get("foreign") == "named" and (obj_clean or obj is None):
            foreign = self._foreign_head(obj_clean, obj_start, title_start)
            if foreign is not None:
                return foreign
        if kind.startswith("national:"):
            if self._unknown_owner_before(title_start):
                return None, None  # 'Genertec president Name': the head of something not known
            return self._national(kind.split(":", 1)[1]), place
        if kind.startswith("reference:"):
            return self._reference_org(kind.split(":", 1)[1]), place
        if not obj_clean and kind == "named" and title_start is not None:
            org = self._org_before(title_start)
            if org is None:
                org = self._org_referred_by_its(title_start)
            return (org, self._jurisdiction_of(org) or place) if org is not None else (None, None)
        if not obj_clean and kind == "akimat":
            obj_clean = "the region" if self._main_place("region") is not None else "the city"
        if not obj_clean:
            return None, None
        if kind == "ministry":
            if re.match(r"(?i)^(?:the\s+)?republic\b", obj_clean):
                return None, None
            abroad = self._country_in(obj_start, obj_end) if obj_start is not None else None
            if abroad is not None:  # 'Ministry of Industry and Trade of the Russian Federation'
                place = abroad
            name = f"Ministry {prep or 'of'} {obj_clean}"
            found = self.gazetteer.lookup(name, "org") or self.gazetteer.lookup(name, "org", loose=True) \
                or [e for e in self.gazetteer.by_loose_key.get(org_key(name), []) if e.kind == "org"]
            if found:
                return self._entity("org", self.gazetteer.name_of(found[0].iri) or name, "ministry",
                                    found[0].iri), place
            return self._entity("org", name, "ministry", None), place
        if kind == "akimat":
            place_id = self._place_in(obj_start or 0, obj_end, obj_clean)
            if place_id is None:
                return None, None
            place_entity = self.x.entities[place_id]
            place_name = _name_in_document(self.x, place_entity)
            found = [iri for iri, extra in self.gazetteer.extra.items()
                     if place_entity.reference and extra.get("jurisdiction") == place_entity.reference
                     and self.gazetteer.kinds.get(iri, ("", ""))[1] == "akimat"]
            name = f"Akimat of {place_name}"
            org = self._entity("org", name, "akimat", found[0] if len(found) == 1 else None)
            if name not in self.x.entities[org].implied_names:
                self.x.entities[org].implied_names.append(name)
            return org, place_id
        if kind == "named":
            org = self._org_in(obj_start or 0, obj_end)
            if org is None:
                return None, None
            return org, self._jurisdiction_of(org) or place
        return None, None

    # --- reading the titles -----------------------------------------------------------------------

    def find(self) -> None:
        persons = sorted((m for m in self.x.mentions
                          if m.kind == "person" and m.form in ("name", "alias", "initials", "surname")),
                         key=lambda m: m.span.start)
        by_sentence: dict[int, list] = {}
        for m in persons:
            by_sentence.setdefault(m.span.sentence, []).append(m)
        for index, mentions in sorted(by_sentence.items()):
            s_start, s_end = self.x.sentences[index]
            list_role: TitleMatch | None = None
            previous_end = s_start
            for m in mentions:
                left = self.text[previous_end:m.span.start]
                title = self.reader.last_title(left, previous_end)
                person = self.entity_of_mention[m.id]
                if title is not None:
                    self._add(person, m, title, previous_end)
                    list_role = title if title.plural else None
                elif list_role is not None and left.strip(" ,;") and len(left.split()) <= 12 \
                        and not re.search(r"\b(and|with|by|to)\b\s*$", left.strip()):
                    obj = _SEPARATORS.sub("", left).strip(" ,")
                    obj_start = previous_end + (len(left) - len(left.lstrip(" ,")))
                    inherited = TitleMatch(list_role.role, list_role.start, list_role.end, True,
                                           obj or None, obj_start, "of")
                    self._add(person, m, inherited, previous_end, stated=f"{self.text[list_role.start:list_role.end]} of {obj}")
                else:
                    self._apposition(person, m, s_end)
                previous_end = m.span.end

    def _add(self, person: int, mention, title: TitleMatch, left_start: int, stated: str | None = None) -> None:
        org, place = self._organization(title.role, title.object_text, title.object_start, title.preposition,
                                        title.start)
        if org is None:
            return
        stated = stated or self.text[title.start:mention.span.start].strip(" ,:–—-")
        evidence = Span(title.start, mention.span.end, self.text[title.start:mention.span.end],
                        mention.span.sentence)
        self._append(Post(person=person, role=self._role_heading(title.role, org), organization=org, place=place,
                          stated_title=_tidy(stated), span=evidence))
        # A title joined to another by a dash is a second post of the same person.
        before = self.text[left_start:title.start]
        dual = re.search(r"(?P<t>[\w -]+?)\s*[–—―-]\s*$", before)
        if dual:
            first = self.reader.last_title(dual.group("t"), left_start + dual.start("t"))
            if first is not None and first.end == left_start + dual.end("t"):
                role = first.role
                for fix in self.rules["dual_title_fixups"]:
                    if role in fix["first"] and title.role == fix["second"] and first.object_text is None:
                        role = fix["becomes"]
                org2, place2 = self._organization(role, first.object_text, first.object_start,
                                                  first.preposition)
                if org2 is not None:
                    span = Span(first.start, mention.span.end, self.text[first.start:mention.span.end],
                                mention.span.sentence)
                    self._append(Post(person=person, role=role, organization=org2, place=place2,
                                      stated_title=_tidy(self.text[first.start:title.end]), span=span))

    def _apposition(self, person: int, mention, sentence_end: int) -> None:
        right = self.text[mention.span.end:sentence_end]
        m = re.match(r"\s*,\s*(?:the\s+)?(?P<rest>[^,;()]{3,120})", right)
        if not m:
            return
        rest = m.group("rest")
        t = self.reader.pattern.match(rest)
        if not t:
            return
        obj_match = re.match(r"\s+(of|for)\s+(?:the\s+)?(.+?)\s*$", rest[t.end():])
        obj_text = obj_match.group(2) if obj_match else None
        obj_start = (mention.span.end + m.start("rest") + t.end() + obj_match.start(2)) if obj_match else None
        title = TitleMatch(self.reader.role_of(t.group("title")), mention.span.end + m.start("rest"),
                           mention.span.end + m.start("rest") + t.end(), False, obj_text, obj_start,
                           obj_match.group(1) if obj_match else None)
        org, place = self._organization(title.role, obj_text, obj_start, title.preposition)
        if org is None:
            return
        end = mention.span.end + m.end("rest")
        self._append(Post(person=person, role=self._role_heading(title.role, org), organization=org, place=place,
                          stated_title=_tidy(rest), span=Span(mention.span.start, end,
                                                              self.text[mention.span.start:end],
                                                              mention.span.sentence)))

    def _role_heading(self, role: str, org: int) -> str:
        """'Head of the Ministry of Energy' is its minister, 'head of the akimat' its akim."""
        heads = self.rules["rules"].get(role, {}).get("head_of", {})
        return heads.get(self.x.entities[org].subkind or "", role)

    def _append(self, post: Post) -> None:
        for p in self.x.posts:
            if (p.person, p.role, p.organization) == (post.person, post.role, post.organization):
                return
        self.x.posts.append(post)


def _strip_country(obj: str, rules: dict) -> str:
    out = obj.strip().rstrip(".,;")
    for name in sorted(rules["country"]["names"], key=len, reverse=True):
        out = re.sub(rf"\s+of\s+(?:the\s+)?{re.escape(name)}$", "", out)
        if name_key(out) == name_key(name):
            return ""
    return out.strip()


def _name_in_document(x: Extraction, entity: Entity) -> str:
    """The place's name as this document writes it (Nur-Sultan in 2021, not today's Astana),
    unless the document abbreviates it ('N Kazakhstan')."""
    names = [x.mentions[m].span.text for m in entity.mentions if x.mentions[m].form in ("name", "alias")]
    full = [n for n in names if not re.search(r"(?:^|\s)[A-Z]\.?(?:\s|$)", n)]
    return max(full, key=len) if full else entity.name


def _tidy(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip(" ,:;–—-")


def find_posts(x: Extraction, text: str, resources: Resources) -> None:
    PostFinder(x, text, resources).find()
