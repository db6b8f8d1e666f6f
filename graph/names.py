"""Name normalisation shared by extraction, linking and evaluation.

Two keys: `name_key` is case-, punctuation- and diacritics-insensitive; `loose_key` also forgets
transliteration choices (Tasymbek/Tassymbek, Ordabayev/Ordabaev, Zharkyn/Jarkyn), so that
variants of one name compare equal.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .iris import ascii_fold

_DASHES = re.compile(r"[‐‑‒–—―-]+")
_NON_WORD = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")
_LEADING_ARTICLE = re.compile(r"^(the|a|an) ")
# Ordered rewrites from the common English transliterations of Kazakh and Russian names to
# one spelling. Applied to name_key output.
_TRANSLITERATION = [
    (re.compile(r"dzh"), "j"), (re.compile(r"zh"), "j"), (re.compile(r"kh"), "h"),
    (re.compile(r"q"), "k"), (re.compile(r"ts"), "c"), (re.compile(r"yu"), "u"),
    (re.compile(r"ya"), "a"), (re.compile(r"ye"), "e"), (re.compile(r"iy\b"), "i"),
    (re.compile(r"y"), "i"), (re.compile(r"w"), "v"), (re.compile(r"ph"), "f"),
    (re.compile(r"ou"), "u"), (re.compile(r"(\w)\1+"), r"\1"),
]


@lru_cache(maxsize=1 << 18)
def name_key(text: str) -> str:
    """'Union of Machine-Builders of Kazakhstan' -> 'union of machine builders of kazakhstan'."""
    folded = ascii_fold(text).lower().replace("&", " and ")
    folded = _DASHES.sub(" ", folded).replace("'", "").replace("’", "")
    folded = _NON_WORD.sub(" ", folded)
    return _LEADING_ARTICLE.sub("", _SPACES.sub(" ", folded).strip())


@lru_cache(maxsize=1 << 18)
def loose_key(text: str) -> str:
    """A key that forgets transliteration: 'Tassymbek' and 'Tasymbek' give 'tasimbek'."""
    key = name_key(text)
    for pattern, replacement in _TRANSLITERATION:
        key = pattern.sub(replacement, key)
    return key


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, cut off at `limit` + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def similar_surnames(a: str, b: str) -> bool:
    """Same surname up to transliteration or a typo (one or two edits in a long name)."""
    ka, kb = loose_key(a), loose_key(b)
    if ka == kb:
        return True
    allowed = 1 if min(len(ka), len(kb)) < 8 else 2
    return ka[:1] == kb[:1] and edit_distance(ka, kb, allowed) <= allowed
