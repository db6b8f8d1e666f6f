"""Minting of stable, readable IRIs. The only place that decides what an IRI looks like."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import PurePath

from .namespaces import Vocab

# Kazakh and Russian Cyrillic to Latin, so that a name read in Cyrillic gets a readable slug.
_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r",
     "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "a", "g",
     "k", "n", "o", "u", "u", "h", "i"], strict=True))


def ascii_fold(text: str) -> str:
    """Latin transliteration without diacritics: 'Нұрсұлтан' -> 'Nursultan', 'Ūlytau' -> 'Ulytau'."""
    out = []
    for ch in text:
        low = ch.lower()
        if low in _CYRILLIC:
            latin = _CYRILLIC[low]
            out.append(latin.capitalize() if ch != low and latin else latin)
        else:
            out.append(ch)
    decomposed = unicodedata.normalize("NFKD", "".join(out))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slugify(text: str, max_length: int = 80) -> str:
    """'Karaganda region' -> 'karaganda-region'; stable for the same text."""
    folded = ascii_fold(text).lower().replace("&", " and ")
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or "unnamed"


def unique_slug(text: str, max_length: int = 80) -> str:
    """slugify, but two long names that share their first `max_length` characters keep apart:
    a cut slug ends with a hash of the whole one ('construction-of-the-…-3f2a9c1e')."""
    whole = slugify(text, max_length=len(text) * 8 + 8)
    if len(whole) <= max_length:
        return whole
    return f"{slugify(text, max_length=max_length - 9)}-{hashlib.sha256(whole.encode()).hexdigest()[:8]}"


def document_stem(file_name: str) -> str:
    """The document's identifier: its file name without extension."""
    return PurePath(file_name).stem


class Minter:
    """IRIs of documents, their spans and the fact nodes read from them."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def document(self, stem: str) -> str:
        return self.vocab.entity("doc", stem)

    def span(self, stem: str, start: int, end: int) -> str:
        """A character span of a document, as an RFC 5147 fragment of the document IRI."""
        return f"{self.document(stem)}#char={start},{end}"

    def fact(self, kind: str, stem: str, n: int) -> str:
        """A fact node read from a document: id/obs/000_14161995b5d2d40a-3."""
        return self.vocab.entity(kind, f"{stem}-{n}")

    def named(self, kind: str, name: str) -> str:
        """An entity minted from its preferred name: id/person/serik-akhmetov."""
        return self.vocab.entity(kind, slugify(name))

    def post(self, role_slug: str, org_slug: str) -> str:
        return self.vocab.entity("post", f"{role_slug}--{org_slug}")

    def period(self, label: str) -> str:
        """A reference period: '2012-01/2012-10' -> id/period/2012-01--2012-10."""
        return self.vocab.entity("period", label.replace("/", "--"))
