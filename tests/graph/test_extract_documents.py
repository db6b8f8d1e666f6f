"""Reading article files: what is skipped and why, and what a good file becomes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from graph.documents import Document, DocumentError, Problem, decode_document, read_corpus

ARTICLE = ("Akim of Turkistan region Bolat Sarybayev opened a textile factory worth 8 billion tenge "
           "near Kentau on Thursday. The factory will employ 240 people.\n")


@pytest.mark.parametrize("data", [b"", b"   \n\t \r\n", b"\n\n\n"], ids=["empty", "whitespace", "newlines"])
def test_empty_and_blank_files_are_refused_as_empty(data):
    with pytest.raises(DocumentError, match=r"^empty$"):
        decode_document("blank.txt", data, 10_000)


def test_binary_file_with_nul_bytes_is_refused():
    data = b"PK\x03\x04\x00\x00binary\x00payload of a zip archive" * 4
    with pytest.raises(DocumentError, match="binary file .*NUL"):
        decode_document("archive.txt", data, 10_000)


def test_invalid_utf8_names_the_byte_its_offset_and_line():
    data = "Line one about Aktobe.\nLine two about Kostanay.\nCopper output: ".encode() + b"\xff" + b" tons\n"
    with pytest.raises(DocumentError) as info:
        decode_document("latin.txt", data, 10_000)
    reason = str(info.value)
    offset = data.index(b"\xff")
    assert reason.startswith("not UTF-8")
    assert "0xff" in reason
    assert f"at byte {offset}" in reason
    assert "line 3" in reason


def test_cp1251_cyrillic_is_not_utf8():
    data = "Павлодар".encode("cp1251")
    with pytest.raises(DocumentError, match=r"not UTF-8 \(invalid byte 0x[0-9a-f]{2} at byte 0, line 1\)"):
        decode_document("cyrillic.txt", data, 10_000)


def test_too_large_file_states_size_and_limit():
    data = ARTICLE.encode() * 10
    with pytest.raises(DocumentError) as info:
        decode_document("big.txt", data, 100)
    reason = str(info.value)
    assert reason.startswith("too large")
    assert f"{len(data):,} bytes" in reason and "the limit is 100" in reason


def test_file_exactly_at_the_limit_is_accepted():
    data = ARTICLE.encode()
    doc = decode_document("exact.txt", data, len(data))
    assert doc.size == len(data)


def test_text_without_letters_is_refused():
    with pytest.raises(DocumentError, match="no letters"):
        decode_document("numbers.txt", b"2023 - 45,000 - 12.5%\n", 10_000)


def test_good_file_keeps_text_hash_size_and_stem():
    data = ARTICLE.encode()
    doc = decode_document("017_cafe.txt", data, 10_000)
    assert isinstance(doc, Document)
    assert doc.text == ARTICLE
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.size == len(data)
    assert doc.stem == "017_cafe"


def test_utf8_with_cyrillic_and_kazakh_letters_is_read():
    text = "Өскемен — Усть-Каменогорск: 5 210 просмотров. Akim said output grew.\n"
    doc = decode_document("kk.txt", text.encode(), 10_000)
    assert doc.text == text
    assert doc.size == len(text.encode()) > len(text)


def _write(folder: Path, name: str, data: bytes) -> None:
    (folder / name).write_bytes(data)


def test_read_corpus_yields_documents_and_problems_in_file_order(tmp_path):
    good = ARTICLE.encode()
    other = "Minister of Trade and Integration Aida Bekova said exports grew by 7%.\n".encode()
    _write(tmp_path, "001_good.txt", good)
    _write(tmp_path, "002_empty.txt", b"")
    _write(tmp_path, "003_copy.txt", good)
    _write(tmp_path, "004_binary.txt", b"\x00\x01\x02abc")
    _write(tmp_path, "005_other.txt", other)
    _write(tmp_path, "006_latin1.txt", "Kökshetau".encode("latin-1"))
    _write(tmp_path, "notes.md", b"not an article")
    results = list(read_corpus(tmp_path))
    assert [r.file_name for r in results] == [
        "001_good.txt", "002_empty.txt", "003_copy.txt", "004_binary.txt", "005_other.txt",
        "006_latin1.txt"]
    docs = [r for r in results if isinstance(r, Document)]
    problems = {r.file_name: r.reason for r in results if isinstance(r, Problem)}
    assert [d.file_name for d in docs] == ["001_good.txt", "005_other.txt"]
    assert docs[0].sha256 == hashlib.sha256(good).hexdigest()
    assert docs[1].sha256 == hashlib.sha256(other).hexdigest()
    assert problems["002_empty.txt"] == "empty"
    assert problems["003_copy.txt"] == "duplicate of 001_good.txt"
    assert problems["004_binary.txt"].startswith("binary file")
    assert problems["006_latin1.txt"].startswith("not UTF-8")


def test_duplicate_points_to_the_first_file_by_name(tmp_path):
    data = ARTICLE.encode()
    for name in ("c.txt", "a.txt", "b.txt"):
        _write(tmp_path, name, data)
    problems = [r for r in read_corpus(tmp_path) if isinstance(r, Problem)]
    assert [(p.file_name, p.reason) for p in problems] == [
        ("b.txt", "duplicate of a.txt"), ("c.txt", "duplicate of a.txt")]
    assert str(problems[0]) == "b.txt: duplicate of a.txt"


def test_a_bad_file_does_not_count_as_the_original_of_a_duplicate(tmp_path):
    _write(tmp_path, "a.txt", b"x" * 50 + b"\n")  # too large at a 20-byte limit
    _write(tmp_path, "b.txt", b"x" * 50 + b"\n")
    results = list(read_corpus(tmp_path, max_bytes=20))
    assert all(isinstance(r, Problem) and r.reason.startswith("too large") for r in results)


def test_read_corpus_of_a_missing_folder_raises(tmp_path):
    with pytest.raises(DocumentError, match="corpus folder not found"):
        list(read_corpus(tmp_path / "nowhere"))
