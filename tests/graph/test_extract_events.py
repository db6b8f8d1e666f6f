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


# --- several meetings in one document, and the shapes that state them ---------------------------------

def meetings_as_tuples(x):
    return sorted(((name(x, m.chair), m.date) for m in x.meetings), key=lambda t: (str(t[1]), str(t[0])))


def test_a_session_and_the_briefing_of_the_day_before(extract):
    x = extract("Plan for the metals industry approved\n"
                "06.11.2024 17:00\n"
                "Prime Minister Olzhas Bektenov chaired a Government session on the metals industry. Minister of "
                "Industry Aidos Temirov made a report.\n\n"
                "The session was announced on Tuesday by Daulet Serikbayev, the spokesman of the Government. "
                "\"Ministers will present the plan,\" D. Serikbayev told a press briefing.\n")
    assert meetings_as_tuples(x) == [(None, dt.date(2024, 11, 5)), ("Olzhas Bektenov", dt.date(2024, 11, 6))]
    briefing = next(m for m in x.meetings if m.chair is None)
    assert briefing.kind == "briefing"
    assert [name(x, s) for s in briefing.speakers] == ["Daulet Serikbayev"]


def test_an_earlier_report_to_the_president_is_a_meeting_of_its_own(extract):
    x = extract("Machine building grows\n"
                "28.05.2024 14:05\n"
                "At the Government meeting chaired by Prime Minister Olzhas Bektenov, Minister of Industry Aidos "
                "Temirov reported on machine building.\n\n"
                "Earlier, on April 8, A. Temirov reported to President Kassym-Jomart Tokayev that 90 projects are "
                "to be launched this year.\n")
    assert meetings_as_tuples(x) == [("Kassym-Jomart Tokayev", dt.date(2024, 4, 8)),
                                     ("Olzhas Bektenov", dt.date(2024, 5, 28))]
    assert x.meetings[0].chair == next(e.id for e in x.entities if e.name == "Olzhas Bektenov")  # text order


def test_the_head_of_state_receives_an_akim(extract):
    x = extract("The Head of State receives the akim of Turkistan region Nurlan Bekzhanov\n"
                "14 July 2025\n"
                "Kassym-Jomart Tokayev heard a report by the head of the region on the development of the "
                "region. Following the meeting, the Head of State gave a number of instructions.\n")
    (meeting,) = x.meetings
    assert name(x, meeting.chair) == "Kassym-Jomart Tokayev"
    assert meeting.date == dt.date(2025, 7, 14)
    assert "Nurlan Bekzhanov" in [name(x, s) for s in meeting.speakers]


def test_received_with_the_title_of_the_guest(extract):
    x = extract("Industry minister reports\n12.02.2023 11:00\n"
                "Head of State Kassym-Jomart Tokayev received Minister of Industry Aidos Temirov today. The "
                "President was briefed on the launch of new plants.\n")
    (meeting,) = x.meetings
    assert meeting.kind == "bilateral"
    assert name(x, meeting.chair) == "Kassym-Jomart Tokayev"
    assert [name(x, s) for s in meeting.speakers] == ["Aidos Temirov"]


def test_under_the_chairmanship_of_a_meeting_was_held(extract):
    x = extract("Investment council\n03.03.2023 10:00\n"
                "Under the chairmanship of Prime Minister Alikhan Smailov, a meeting of the Foreign Investors "
                "Council working group was held on March 2.\n")
    (meeting,) = x.meetings
    assert name(x, meeting.chair) == "Alikhan Smailov"
    assert meeting.date == dt.date(2023, 3, 2)


def test_the_prime_minister_speaking_at_a_government_meeting_chairs_it(extract):
    x = extract("Regional plan approved\n01.11.2022 13:58\n"
                "The Cabinet has approved the development plan of Abai region. Speaking at the Government "
                "meeting, Prime Minister Alikhan Smailov said the region had a large potential.\n")
    (meeting,) = x.meetings
    assert meeting.kind == "government"
    assert name(x, meeting.chair) == "Alikhan Smailov"
    assert meeting.date == dt.date(2022, 11, 1)


def test_speaking_at_a_plenary_session_of_a_council_is_not_chairing_it(extract):
    x = extract("Investors council\n20.02.2010 10:00\n"
                "On December 4 last year, speaking at a plenary session of the Foreign Investors Council, "
                "President Nursultan Nazarbayev urged investors to process raw materials.\n")
    (meeting,) = x.meetings
    assert meeting.chair is None
    assert meeting.date == dt.date(2009, 12, 4)
    assert [name(x, s) for s in meeting.speakers] == ["Nursultan Nazarbayev"]


def test_two_leaders_met_yesterday(extract):
    x = extract("Automotive projects\n2021-05-12\n"
                "Prime Minister of Kazakhstan Askar Mamin and President of Bashkortostan Radiy Khabirov met in "
                "Aktobe yesterday and gave start to two joint projects.\n")
    (meeting,) = x.meetings
    assert name(x, meeting.chair) == "Askar Mamin"
    assert [name(x, s) for s in meeting.speakers] == ["Radiy Khabirov"]
    assert meeting.date == dt.date(2021, 5, 11)


def test_held_talks_with(extract):
    x = extract("Talks in Akorda\n20.06.2023 12:00\n"
                "Kassym-Jomart Tokayev held talks with President of Kyrgyzstan Sadyr Japarov.\n")
    (meeting,) = x.meetings
    assert meeting.kind == "bilateral"
    assert name(x, meeting.chair) == "Kassym-Jomart Tokayev"
    assert [name(x, s) for s in meeting.speakers] == ["Sadyr Japarov"]


def test_the_next_day_counts_from_the_last_date(extract):
    x = extract("Car plant to grow\n08.05.2019 11:20\n"
                "On December 11, 2018 Deputy Prime Minister Roman Sklyar attended the signing of an investment "
                "agreement in Astana.\n\n"
                "The next day, the akim of Kostanay region Arkhimed Mukhambetov held a meeting with the investors.\n")
    assert meetings_as_tuples(x) == [(None, dt.date(2018, 12, 11)),
                                     ("Arkhimed Mukhambetov", dt.date(2018, 12, 12))]


def test_vague_past_meetings_have_no_date(extract):
    x = extract("Fund results\n02.12.2025\n"
                "Chairman of the Board of the fund Nurlan Zhakupov said at a meeting with President Kassym-Jomart "
                "Tokayev that nine projects will be finished.\n\n"
                "In May the head of the fund reported to the President that the net profit grew.\n\n"
                "At the April meeting of the fund's board of directors chaired by Prime Minister Olzhas Bektenov, "
                "Zhakupov presented 46 projects.\n")
    assert meetings_as_tuples(x) == [("Kassym-Jomart Tokayev", dt.date(2025, 12, 2)),
                                     ("Kassym-Jomart Tokayev", None), ("Olzhas Bektenov", None)]


def test_opening_the_discussion_names_the_chair(extract):
    x = extract("Deputies discuss light industry\n"
                "Deputies of the Mazhilis discussed the state of light industry during the \"government hour\". "
                "Opening the discussion, vice-speaker of the Mazhilis Aigul Nurlanova stressed the importance of "
                "the topic.\n")
    (meeting,) = x.meetings
    assert name(x, meeting.chair) == "Aigul Nurlanova"
    assert meeting.date is None


def test_senate_session_and_earlier_hearings(extract):
    x = extract("Senators return to light industry\n02.04.2021 10:00\n"
                "Today, the Senate discussed how the recommendations of the parliamentary hearings are being "
                "implemented. The hearings took place on March 4, 2020.\n")
    assert meetings_as_tuples(x) == [(None, dt.date(2020, 3, 4)), (None, dt.date(2021, 4, 2))]


def test_working_trip_of_the_prime_minister(extract):
    x = extract("Prime Minister in the region\n24.08.2016 17:40\n"
                "Prime Minister Karim Massimov, who is on a working trip to Pavlodar region, visited an aluminium "
                "smelter. The Premier was briefed by its director Bolat Sarsenov.\n")
    (meeting,) = x.meetings
    assert meeting.kind == "working trip"
    assert name(x, meeting.chair) == "Karim Massimov"
    assert meeting.date == dt.date(2016, 8, 24)
    assert [name(x, s) for s in meeting.speakers] == ["Bolat Sarsenov"]


def test_cabinet_vote_on_tuesday_and_the_prime_minister_who_told_the_cabinet(extract):
    x = extract("Cabinet backs the program\n26 February 2010, 14:27\n"
                "Members of the Kazakh Government on Tuesday voted for the new industrial program.\n\n"
                "\"The program has been approved,\" Prime Minister Karim Massimov told the cabinet after the vote.\n")
    (meeting,) = x.meetings
    assert meeting.kind == "government"
    assert name(x, meeting.chair) == "Karim Massimov"
    assert meeting.date == dt.date(2010, 2, 23)


def test_a_plan_presented_to_the_president_at_a_working_meeting(extract):
    x = extract("Regional plan\n01.11.2022 13:58\n"
                "The draft plan was presented to President Kassym-Jomart Tokayev by the akim of the region, "
                "Berik Zhaksylykov, at a working meeting on August 17.\n")
    (meeting,) = x.meetings
    assert name(x, meeting.chair) == "Kassym-Jomart Tokayev"
    assert [name(x, s) for s in meeting.speakers] == ["Berik Zhaksylykov"]
    assert meeting.date == dt.date(2022, 8, 17)


def test_abbreviated_month_and_a_working_visit(extract):
    x = extract("Region attracts investment\nBy Staff Report on 10 August 2023\n"
                "Akim Yerlan Kaliyev told President Kassym-Jomart Tokayev, who arrived in the region on a working "
                "visit on Aug. 9, that investment grew by 30%.\n")
    (meeting,) = x.meetings
    assert name(x, meeting.chair) == "Kassym-Jomart Tokayev"
    assert meeting.date == dt.date(2023, 8, 9)


def test_a_dated_government_meeting_named_in_passing(extract):
    x = extract("Manufacturing grows\n29 May 2024\n"
                "Manufacturing grew by 5%, Minister of Industry Aidos Temirov said at a May 28 government meeting "
                "chaired by Prime Minister Olzhas Bektenov.\n")
    (meeting,) = x.meetings
    assert meeting.kind == "government"
    assert name(x, meeting.chair) == "Olzhas Bektenov"
    assert meeting.date == dt.date(2024, 5, 28)


def test_he_is_the_head_of_state_named_before(extract):
    x = extract("Week of the Head of State\n14.03.2024 10:00\n"
                "On Monday, Head of State Kassym-Jomart Tokayev received Minister of Energy Almas Sadykov. On "
                "Tuesday, he met with the akim of Zhambyl region Yerbol Karashukeyev.\n")
    assert meetings_as_tuples(x) == [("Kassym-Jomart Tokayev", dt.date(2024, 3, 11)),
                                     ("Kassym-Jomart Tokayev", dt.date(2024, 3, 12))]


def test_weekdays_without_a_page_date_fall_in_the_week_of_a_stated_date(extract):
    x = extract("WEEK IN REVIEW\n"
                "Grain exports reached 7 million tons in 2012.\n\n"
                "On Tuesday, February 12, the Government approved a program for the agro-industrial complex. "
                "Minister of Agriculture Asylzhan Mamytbekov told the cabinet that it rests on four areas.\n\n"
                "At the Monday board meeting of the Ministry of Justice, its head Marat Beketayev said the "
                "ministry intends to toughen liability.\n")
    assert x.doc.published is None
    assert meetings_as_tuples(x) == [(None, dt.date(2013, 2, 11)), (None, dt.date(2013, 2, 12))]


def test_a_launch_ceremony_is_hosted_by_the_leader_who_launches(extract):
    x = extract("Car plant opens\n15 October 2020, 17:17\n"
                "Prime Minister Askar Mamin gave a start to full-cycle production of cars at the Steppe Motors "
                "plant in Almaty. The opening ceremony, held by video link, was attended by Minister of Industry "
                "Beibut Atamkulov.\n")
    (meeting,) = x.meetings
    assert name(x, meeting.chair) == "Askar Mamin"
    assert meeting.date == dt.date(2020, 10, 15)


@pytest.mark.parametrize("text", [
    "Minister of Industry Beibut Atamkulov told reporters that the new plant will be launched next year.",
    "Prime Minister Olzhas Bektenov will receive the investors on Friday.",
    "For reference: the Government approved the roadmap for light industry in March 2019.",
    "The Head of State in his Address of September 1, 2023 outlined the development of the manufacturing sector.",
    "Deputy Prime Minister Serik Zhumangarin received an award from the association.",
    "Akim Nurlan Nogayev reported that 15 projects were carried out, and the region's budget grew.",
])
def test_no_meeting_in_these_sentences(extract, text):
    assert extract("Industry news\n10.10.2021 09:00\n" + text + "\n").meetings == []
