"""Meetings (chair, speakers, date, programs) and instructions (issuer, addressees, deadline)."""

from __future__ import annotations

import datetime as dt

import pytest

GOVERNMENT_SESSION = """Government discusses development of machine building
14 March 2023, 11:20
A Government meeting chaired by Prime Minister Alikhan Smailov considered the implementation of the Comprehensive Development Plan of Machine Building for 2024-2028. Minister of Industry and Construction Aidos Temirov made a report on the progress. Akim of Kostanay region Yerlan Sarsenov reported on the work of the car assembly plants. The Prime Minister instructed the akims of all regions to ensure the launch of the planned projects by the end of the year.
"""


def name(x, entity_id):
    return x.entities[entity_id].name if entity_id is not None else None


# --- meetings -------------------------------------------------------------------------------------

def test_government_session_with_chair_speakers_date_and_program(extract):
    x = extract(GOVERNMENT_SESSION)
    (meeting,) = x.meetings
    assert meeting.kind == "government"
    assert name(x, meeting.chair) == "Alikhan Smailov"
    assert [name(x, s) for s in meeting.speakers] == ["Aidos Temirov", "Yerlan Sarsenov"]
    assert meeting.date == dt.date(2023, 3, 14)
    assert [name(x, p) for p in meeting.programs] == [
        "Comprehensive Development Plan of Machine Building for 2024-2028"]
    assert "chaired by Prime Minister Alikhan Smailov" in meeting.span.text


def test_chair_is_not_a_speaker(extract):
    x = extract(GOVERNMENT_SESSION)
    (meeting,) = x.meetings
    assert meeting.chair not in meeting.speakers


def test_meeting_held_by_the_president(extract):
    x = extract("Industrial policy in focus\n05.06.2024 09:40\n"
                "Head of State Kassym-Jomart Tokayev held a meeting on industrial policy. Minister of "
                "Industry and Construction Aidos Temirov reported on the Industrialization Map.\n")
    (meeting,) = x.meetings
    assert meeting.kind == "presidential"
    assert name(x, meeting.chair) == "Kassym-Jomart Tokayev"
    assert [name(x, s) for s in meeting.speakers] == ["Aidos Temirov"]
    assert [name(x, p) for p in meeting.programs] == ["Industrialization Map"]
    assert meeting.date == dt.date(2024, 6, 5)


def test_weekday_is_counted_back_from_the_publication_date(extract):
    x = extract("Regional investment projects reviewed\n21.09.2022 15:30\n"
                "On Tuesday, Prime Minister Alikhan Smailov held a meeting on investment projects. Akim of "
                "Turkistan region Daniyar Kassenov reported on the textile cluster.\n")
    (meeting,) = x.meetings
    assert meeting.date == dt.date(2022, 9, 20)  # 21 September 2022 was a Wednesday
    assert name(x, meeting.chair) == "Alikhan Smailov"


def test_date_in_the_meeting_sentence_wins_over_the_page(extract):
    x = extract("Prime Minister Olzhas Bektenov chaired a session on investment projects on 12 February "
                "2024. Akim of Pavlodar region Yerlan Sarsenov made a report.")
    (meeting,) = x.meetings
    assert meeting.date == dt.date(2024, 2, 12)
    assert name(x, meeting.chair) == "Olzhas Bektenov"
    assert [name(x, s) for s in meeting.speakers] == ["Yerlan Sarsenov"]


def test_day_and_month_take_the_year_reported_on(extract):
    x = extract("Smelters reviewed\n02.04.2021 08:00\n"
                "Prime Minister Askar Mamin held a meeting on March 30 on the metallurgical industry.\n")
    (meeting,) = x.meetings
    assert meeting.date == dt.date(2021, 3, 30)


def test_headline_naming_the_session_does_not_hide_the_body_date(extract):
    x = extract("Olzhas Bektenov chaired a session on investment projects\n"
                "Prime Minister Olzhas Bektenov chaired a session on investment projects on 12 February "
                "2024. Akim of Pavlodar region Yerlan Sarsenov made a report.\n")
    (meeting,) = x.meetings
    assert meeting.date == dt.date(2024, 2, 12)


def test_meeting_without_a_named_chair(extract):
    x = extract("A meeting on the development of the steel industry took place in Temirtau on 3 March "
                "2022. Akim of Karaganda region Nurlan Zhaksybekov made a report.")
    (meeting,) = x.meetings
    assert meeting.chair is None
    assert [name(x, s) for s in meeting.speakers] == ["Nurlan Zhaksybekov"]
    assert meeting.date == dt.date(2022, 3, 3)


def test_bilateral_meeting(extract):
    x = extract("Minister of Trade and Integration Aida Bekova met with Dmitry Orlov, the head of a "
                "machine-building holding, on Thursday.")
    (meeting,) = x.meetings
    assert meeting.kind == "bilateral"
    assert name(x, meeting.chair) == "Aida Bekova"
    assert [name(x, s) for s in meeting.speakers] == ["Dmitry Orlov"]


@pytest.mark.parametrize("text", [
    "Prime Minister Olzhas Bektenov will hold a meeting on the steel industry next week.",
    "Kostanay region attracted 150 billion tenge of investments in 2021, the regional akimat said.",
])
def test_no_meeting(extract, text):
    assert extract(text).meetings == []


# --- instructions ------------------------------------------------------------------------------------

def test_instruction_to_the_akims_of_all_regions(extract):
    x = extract(GOVERNMENT_SESSION)
    (instruction,) = x.instructions
    assert name(x, instruction.issuer) == "Alikhan Smailov"
    assert instruction.addressee_roles == ["akim"]
    assert instruction.addressee_text == "the akims of all regions"
    assert instruction.content == "ensure the launch of the planned projects by the end of the year"
    assert instruction.deadline == dt.date(2023, 12, 31)
    assert instruction.deadline_text == "by the end of the year"


def test_end_of_the_year_of_an_undated_article_is_the_reported_year(extract):
    x = extract("Prime Minister Askar Mamin noted that exports grew in 2020. The Prime Minister "
                "instructed the akims of all regions to finish the projects by the end of the year.")
    (instruction,) = x.instructions
    assert x.doc.about_year == 2020 and x.doc.about_year_inferred
    assert instruction.deadline == dt.date(2020, 12, 31)


def test_passive_instruction_is_issued_by_the_chair(extract):
    x = extract("Regional investment projects reviewed\n21.09.2022 15:30\n"
                "Prime Minister Alikhan Smailov held a meeting on investment projects. The akims of "
                "regions were instructed to ensure the commissioning of all projects by the end of the "
                "year.\n")
    (instruction,) = x.instructions
    assert name(x, instruction.issuer) == "Alikhan Smailov"
    assert instruction.addressee_roles == ["akim"]
    assert instruction.deadline == dt.date(2022, 12, 31)


def test_instruction_to_an_organization_with_a_year_deadline(extract):
    x = extract("Growth report\n10.10.2023 12:00\n"
                "President Kassym-Jomart Tokayev instructed the Government to double the output of "
                "machine building by 2029.\n")
    (instruction,) = x.instructions
    assert name(x, instruction.issuer) == "Kassym-Jomart Tokayev"
    assert [name(x, a) for a in instruction.addressees] == ["Government of Kazakhstan"]
    assert instruction.deadline == dt.date(2029, 12, 31)
    assert instruction.deadline_text == "by 2029"


def test_issuer_named_by_title_and_a_dated_deadline(extract):
    x = extract("The Head of State instructed the Ministry of Energy to launch the plant by 1 July 2025. "
                "Head of State Kassym-Jomart Tokayev visited Aktau.")
    (instruction,) = x.instructions
    assert name(x, instruction.issuer) == "Kassym-Jomart Tokayev"
    assert [name(x, a) for a in instruction.addressees] == ["Ministry of Energy"]
    assert instruction.deadline == dt.date(2025, 7, 1)


def test_dated_deadline_text(extract):
    x = extract("The Head of State instructed the Ministry of Energy to launch the plant by 1 July 2025.")
    (instruction,) = x.instructions
    assert instruction.deadline_text == "by 1 July 2025"


def test_instruction_without_a_deadline(extract):
    x = extract("Prime Minister Olzhas Bektenov instructed the Ministry of Finance to review the "
                "budget of the program.")
    (instruction,) = x.instructions
    assert instruction.deadline is None and instruction.deadline_text is None
    assert instruction.content == "review the budget of the program"


def test_no_instruction_in_a_plain_report(extract):
    x = extract("Kostanay region attracted 150 billion tenge of investments in 2021, the akimat said.")
    assert x.instructions == []
