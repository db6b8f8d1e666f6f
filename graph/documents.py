"""Reading news articles from disk: one Document per readable file, one Problem per bad one."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .iris import document_stem


@dataclass(frozen=True)
class Document:
    """A news article exactly as stored: offsets everywhere refer to `text`."""

    file_name: str
    text: str
    sha256: str
    size: int

    @property
    def stem(self) -> str:
        return document_stem(self.file_name)


@dataclass(frozen=True)
class Problem:
    """A document that was skipped, and why."""

    file_name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file_name}: {self.reason}"


class DocumentError(Exception):
    """A file cannot be read as a news article."""


def decode_document(file_name: str, data: bytes, max_bytes: int) -> Document:
    """Check and decode one file's bytes; raise DocumentError naming what is wrong."""
    if len(data) > max_bytes:
        raise DocumentError(f"too large ({len(data):,} bytes; the limit is {max_bytes:,})")
    if not data.strip():
        raise DocumentError("empty")
    if b"\x00" in data[:65536]:
        raise DocumentError("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DocumentError(f"not UTF-8 (invalid byte 0x{data[exc.start]:02x} at byte "
                            f"{exc.start}, line {line})") from None
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text[:65536]) // 100):
        raise DocumentError("binary file (too many control characters)")
    if not any(ch.isalpha() for ch in text):
        raise DocumentError("no text (no letters)")
    return Document(file_name=file_name, text=text, sha256=hashlib.sha256(data).hexdigest(),
                    size=len(data))


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The .txt files of a corpus folder, in a stable order."""
    if not corpus_dir.is_dir():
        raise DocumentError(f"corpus folder not found: {corpus_dir}")
    return sorted(p for p in corpus_dir.iterdir() if p.suffix.lower() == ".txt" and p.is_file())


def read_corpus(corpus_dir: Path, max_bytes: int = 10_000_000
                ) -> Iterator[Document | Problem]:
    """Yield a Document per good file and a Problem per bad one; duplicates are problems too."""
    seen: dict[str, str] = {}
    for path in corpus_files(corpus_dir):
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield Problem(path.name, f"unreadable ({exc.strerror or exc})")
            continue
        try:
            doc = decode_document(path.name, data, max_bytes)
        except DocumentError as exc:
            yield Problem(path.name, str(exc))
            continue
        if doc.sha256 in seen:
            yield Problem(path.name, f"duplicate of {seen[doc.sha256]}")
            continue
        seen[doc.sha256] = path.name
        yield doc
