"""Sentence boundaries: initials, abbreviations, decimals, bullets and quotes."""

from __future__ import annotations

import pytest

from graph.extract.sentences import split_sentences


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize("text, expected", [
    ("Deputy akim A. Bekov said the plant is ready. Production starts in May.",
     ["Deputy akim A. Bekov said the plant is ready.", "Production starts in May."]),
    ("The report was presented by Zh.Omarov. He noted growth.",
     ["The report was presented by Zh.Omarov.", "He noted growth."]),
    ("The contract was signed by Zh. Omarov and A.B. Sarsenov. Work begins soon.",
     ["The contract was signed by Zh. Omarov and A.B. Sarsenov.", "Work begins soon."]),
    ("Minister S.Zhumabayeva visited the site. She praised the builders.",
     ["Minister S.Zhumabayeva visited the site.", "She praised the builders."]),
])
def test_initials_do_not_end_a_sentence(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Exports reached 3.5 billion U.S. dollars last year. Imports fell.",
     ["Exports reached 3.5 billion U.S. dollars last year.", "Imports fell."]),
    ("Output rose 4.5% in 2020. Mr. Sarsenov agreed. Investments grew.",
     ["Output rose 4.5% in 2020.", "Mr. Sarsenov agreed.", "Investments grew."]),
    ("The deal is worth approx. 5 billion tenge. Work starts soon.",
     ["The deal is worth approx. 5 billion tenge.", "Work starts soon."]),
    ("Exports to the U.K. grew. Imports from the U.S. fell.",
     ["Exports to the U.K. grew.", "Imports from the U.S. fell."]),
    ("Two plants opened! Are more planned? Yes.",
     ["Two plants opened!", "Are more planned?", "Yes."]),
])
def test_abbreviations_and_decimals(text, expected):
    assert sentences(text) == expected


def test_spans_are_offsets_into_the_text_without_surrounding_space():
    text = "  Aktau port grew.   Cargo rose by 7.2%.\n\n  The akimat said so.  "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["Aktau port grew.", "Cargo rose by 7.2%.", "The akimat said so."]
    assert spans == sorted(spans)
    assert all(not text[s].isspace() and not text[e - 1].isspace() for s, e in spans)


def test_paragraphs_and_headings_are_separate_sentences():
    text = "Steel output grows in Temirtau\nThe plant produced 4 million tons\nof steel in 2023."
    assert sentences(text) == ["Steel output grows in Temirtau", "The plant produced 4 million tons\nof steel in 2023."]


def test_lead_in_and_bullet_items_are_separate_sentences():
    text = ("The region plans the following:\n• build a cement plant;\n• open 500 jobs;\n"
            "- modernize the roads.")
    got = sentences(text)
    assert len(got) == 4
    assert got[0] == "The region plans the following:"
    assert "build a cement plant;" in got[1] and "open 500 jobs;" in got[2] and "modernize the roads." in got[3]


def test_numbered_items_are_separate_sentences():
    text = "Tasks for 2024:\n1. launch two plants;\n2. create 900 jobs."
    assert sentences(text) == ["Tasks for 2024:", "1. launch two plants;", "2. create 900 jobs."]


def test_bullet_mark_of_the_first_line_is_left_out():
    assert sentences("• build a cement plant;") == ["build a cement plant;"]


def test_bullet_marks_are_left_out_of_every_item():
    text = "Plans:\n• build a cement plant;\n– open 500 jobs."
    assert sentences(text) == ["Plans:", "build a cement plant;", "open 500 jobs."]


@pytest.mark.parametrize("text, expected", [
    ("\"We will open the plant in June.\" The minister added that funding is secured.",
     ["\"We will open the plant in June.\"", "The minister added that funding is secured."]),
    ("“Growth was 5.2 percent,” Bekova said. “It is a record.”",
     ["“Growth was 5.2 percent,” Bekova said.", "“It is a record.”"]),
    ("The akim said: «The plant is ready.» Workers cheered.",
     ["The akim said: «The plant is ready.»", "Workers cheered."]),
])
def test_closing_quotes_stay_with_their_sentence(text, expected):
    assert sentences(text) == expected


def test_blank_and_punctuation_only_text_has_no_sentences():
    assert split_sentences("   \n\n  ") == []
    assert split_sentences("• \n — \n") == []
