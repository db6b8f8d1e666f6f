"""Search over every label and alias: case-, diacritics- and script-insensitive.

Names and queries are folded the same way: Kazakh and Russian Cyrillic transliterated to Latin,
diacritics and punctuation dropped ('Нұр-Сұлтан' and 'Nur Sultan' both become 'nur sultan').
A looser key also forgets transliteration choices (Tassymbek/Tasymbek, Ordabayev/Ordabaev), so
'Ордабаев' finds Aidos Ordabayev, and a city's former name finds the city.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask import Blueprint, Response, jsonify, render_template, request

from graph.names import edit_distance, loose_key, name_key

from .labels import SEARCH_KINDS, LabelIndex, label_index
from .links import Link, chosen_lang, link, require_utf8_query
from .state import KazkgState, state

bp = Blueprint("search", __name__)
bp.before_request(require_utf8_query)
KIND_WEIGHT = {
    "pref": 1.0,
    "label": 1.0,
    "name": 1.0,
    "title": 0.98,
    "usage": 0.97,
    "alt": 0.95,
    "notation": 0.93,
    "implied": 0.9,
    "hidden": 0.9,
}
MAX_LIMIT = 100
FULL_SCAN_BELOW = 20_000  # names; larger datasets look candidates up by token prefix


@dataclass(frozen=True)
class Key:
    """A name folded for matching: plain and transliteration-free, as tokens and joined."""

    tokens: tuple[str, ...]
    compact: str
    loose_tokens: tuple[str, ...]
    loose: str

    @classmethod
    def of(cls, text: str) -> Key:
        plain = name_key(text).split()
        loose = loose_key(text).split()
        return cls(tuple(plain), "".join(plain), tuple(loose), "".join(loose))


@dataclass(frozen=True)
class Entry:
    iri: str
    text: str
    lang: str
    kind: str
    key: Key


def match_score(q: Key, n: Key, fuzzy: bool = True) -> float:
    """How well a name matches a query: 1 for the same name, down to 0.5 for a near miss."""
    if not q.compact or not n.compact:
        return 0.0
    if q.compact == n.compact:
        return 1.0
    if q.loose and q.loose == n.loose:
        return 0.96
    closeness = len(q.compact) / max(len(n.compact), 1)  # prefer shorter names
    if set(q.tokens) <= set(n.tokens) or set(q.loose_tokens) <= set(n.loose_tokens):
        return 0.86 + 0.1 * closeness  # whole words of the name
    if n.compact.startswith(q.compact):
        return 0.82 + 0.1 * closeness
    if n.loose.startswith(q.loose):
        return 0.78 + 0.1 * closeness
    if all(any(t.startswith(w) for t in n.tokens) for w in q.tokens):
        return 0.7 + 0.1 * closeness
    if all(any(t.startswith(w) for t in n.loose_tokens) for w in q.loose_tokens):
        return 0.66 + 0.1 * closeness
    if len(q.compact) >= 3 and q.compact in n.compact:
        return 0.55 + 0.1 * closeness
    if fuzzy and _near(q.loose_tokens, n.loose_tokens):
        return 0.5
    return 0.0


def _near(words: tuple[str, ...], tokens: tuple[str, ...]) -> bool:
    """Every query word of 4+ letters is one typo (two, if long) away from a name word."""
    if not words or any(len(w) < 4 for w in words):
        return False
    for w in words:
        allowed = 2 if len(w) >= 8 else 1
        if not any(
            abs(len(t) - len(w)) <= allowed and edit_distance(w, t, allowed) <= allowed
            for t in tokens
        ):
            return False
    return True


class SearchIndex:
    """Every searchable name, with a token-prefix table for large datasets."""

    def __init__(self, labels: LabelIndex, own_prefix: str) -> None:
        self.labels = labels
        self.own_prefix = own_prefix
        self.entries: list[Entry] = []
        self.by_prefix: dict[str, list[int]] = defaultdict(list)
        for iri, names in labels.names.items():
            if "#char=" in iri:
                continue
            for n in names:
                if n.kind not in SEARCH_KINDS:
                    continue
                key = Key.of(n.text)
                if not key.compact:
                    continue
                position = len(self.entries)
                self.entries.append(Entry(iri, n.text, n.lang, n.kind, key))
                for token in {t[:2] for t in key.tokens + key.loose_tokens}:
                    self.by_prefix[token].append(position)

    def candidates(self, q: Key) -> list[Entry]:
        if len(self.entries) <= FULL_SCAN_BELOW:
            return self.entries
        positions: set[int] = set()
        for token in set(q.tokens + q.loose_tokens):
            positions.update(self.by_prefix.get(token[:2], ()))
        return [self.entries[i] for i in sorted(positions)]

    def search(
        self, text: str, limit: int = 10, type_iri: str | None = None, lang: str = "en"
    ) -> list[tuple[str, float, Entry]]:
        """(iri, score, best matching name) of the best matches, best first. Near misses
        (typos) are looked for only when exact and prefix matches are too few."""
        q = Key.of(text)
        candidates = self.candidates(q)
        best = self._score(q, candidates, False, lang)
        if len(best) < limit:
            best = self._score(q, candidates, True, lang)
        if type_iri:
            best = {i: v for i, v in best.items() if type_iri in self.labels.types.get(i, [])}
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], len(item[1][1].text), item[0]))
        return [(iri, round(min(score, 1.0), 3), entry) for iri, (score, entry) in ranked[:limit]]

    def _score(
        self, q: Key, candidates: list[Entry], fuzzy: bool, lang: str
    ) -> dict[str, tuple[float, Entry]]:
        best: dict[str, tuple[float, Entry]] = {}
        for entry in candidates:
            score = match_score(q, entry.key, fuzzy)
            if score <= 0:
                continue
            score *= KIND_WEIGHT.get(entry.kind, 0.9)
            if entry.iri.startswith(self.own_prefix):
                score += 0.01  # the dataset's own entities before vocabulary terms
            held = best.get(entry.iri)
            if held is None or (score, entry.lang == lang) > (held[0], held[1].lang == lang):
                best[entry.iri] = (score, entry)
        return best


def search_index(st: KazkgState) -> SearchIndex:
    return st.once("search_index", lambda: SearchIndex(label_index(st), st.vocab.id))


@dataclass(frozen=True)
class Hit:
    target: Link
    score: float
    matched: str | None  # the alias that matched, when it is not the label shown


def hits(text: str, limit: int, type_iri: str | None = None) -> list[Hit]:
    found = []
    for iri, score, entry in search_index(state()).search(text, limit, type_iri, chosen_lang()):
        target = link(iri)
        found.append(Hit(target, score, entry.text if entry.text != target.text else None))
    return found


def _limit(default: int) -> int:
    return max(1, min(request.args.get("limit", default, type=int) or default, MAX_LIMIT))


@bp.route("/search.json")
def search_json() -> Response:
    """[{iri, label, type, score, url, matched}] for a query; the page suggestions use it."""
    text = request.args.get("q", "")
    results = [
        {
            "iri": h.target.iri,
            "label": h.target.text,
            "type": h.target.type,
            "score": h.score,
            "url": h.target.url,
            "matched": h.matched,
        }
        for h in hits(text, _limit(10), request.args.get("type") or None)
    ]
    response = jsonify(results)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/search")
def search_page() -> str:
    text = request.args.get("q", "").strip()
    type_iri = request.args.get("type") or None
    found = hits(text, _limit(50), type_iri) if text else []
    return render_template(
        "search.html",
        q=text,
        hits=found,
        type_iri=type_iri,
        type_filter=link(type_iri) if type_iri else None,
    )
