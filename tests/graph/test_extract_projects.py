"""Investment projects: named facilities being built, launched, expanded or planned, with their
investment, jobs and status. Every sentence here is invented."""

from __future__ import annotations

from decimal import Decimal

import pytest

HEADER = "Industry news\n10.10.2024 09:00\n"


def projects(extract, body: str):
    x = extract(HEADER + body + "\n")
    return x, {p.name: p for p in x.projects}


def place(x, project):
    return x.entities[project.place].name if project.place is not None else None


# --- facilities with what is done to them -----------------------------------------------------------

def test_passive_reconstruction_is_named_after_the_work(extract):
    x, found = projects(extract, "The road from Zharkent to the Altynkol border crossing has been reconstructed.")
    (project,) = found.values()
    assert project.name == "Reconstruction of the road from Zharkent to the Altynkol border crossing"
    assert project.status == "completed"


def test_passive_future_is_planned(extract):
    x, found = projects(extract, "The Kyzylorda-Zhezkazgan highway is to be renovated by the end of 2026.")
    assert found["Renovation of the Kyzylorda-Zhezkazgan highway"].status == "planned"


def test_passive_with_the_place_after_the_verb(extract):
    x, found = projects(extract, "Last year a grain terminal was launched in Aktau, and the second power unit of the "
                                 "Steppe GRES-3 was restored.")
    assert set(found) == {"Grain terminal in Aktau", "Restoration of the second power unit of the Steppe GRES-3"}
    assert place(x, found["Grain terminal in Aktau"]) == "Aktau"
    assert found["Grain terminal in Aktau"].status == "launched"


def test_a_facility_that_will_appear_somewhere(extract):
    x, found = projects(extract, "A glass factory will appear in Kentau, Turkistan region.")
    (project,) = found.values()
    assert project.name == "Glass factory in Kentau"
    assert project.status == "planned"


def test_active_verbs_with_a_capacity_named_facility(extract):
    x, found = projects(extract, "In 2024 the Bereke Energy company started expanding the Korgan cement plant, put "
                                 "a 100 MW wind farm into operation and completed a water treatment plant in the "
                                 "village of Akshi.")
    assert found["Expansion of the Korgan cement plant"].status == "launched"
    assert found["100 MW wind farm"].status == "commissioned"
    assert found["Water treatment plant in the village of Akshi"].status == "commissioned"


def test_work_under_way_to_restore(extract):
    x, found = projects(extract, "Work is also under way to restore the airport of the town of Zhanatas.")
    (project,) = found.values()
    assert project.name == "Restoration of the airport of the town of Zhanatas"
    assert project.status == "under way"


def test_a_company_will_build_a_plant_for_something_somewhere(extract):
    x, found = projects(extract, "Altyn Dala Holding will build a plant for the production of wheat gluten in "
                                 "Kokshetau.")
    (project,) = found.values()
    assert project.name == "Plant for the production of wheat gluten in Kokshetau"
    assert project.status == "planned"
    assert place(x, project) == "Kokshetau"


def test_gave_a_start_to_production_at_a_plant(extract):
    x, found = projects(extract, "Prime Minister Olzhas Bektenov gave a start to serial production of buses at the "
                                 "Saryarka Bus plant in Kostanay.")
    (project,) = found.values()
    assert project.name == "Serial production of buses at the Saryarka Bus plant in Kostanay"
    assert project.status == "launched"


def test_a_railway_being_built(extract):
    x, found = projects(extract, "Kazakhstan Temir Zholy is building the Bakhty - Ayagoz railway.")
    assert found["Bakhty - Ayagoz railway"].status == "under construction"


def test_a_plant_named_by_the_agreement_it_was_built_under(extract):
    x, found = projects(extract, "The wagon assembly plant built under the agreement with Stadler in Astana had "
                                 "turned out 200 wagons by the end of 2023.")
    (project,) = found.values()
    assert project.name.startswith("Wagon assembly plant built under the agreement with Stadler")


def test_products_made_at_a_new_plant(extract):
    x, found = projects(extract, "The remaining buses will be assembled at a new plant in Shymkent.")
    assert found == {}
    x, found = projects(extract, "The remaining wagons will be built at a new plant in Ekibastuz.")
    assert set(found) == {"Plant in Ekibastuz"}


def test_an_expansion_phrased_as_making_a_plant_bigger(extract):
    x, found = projects(extract, "The investor intends to make the Taraz chemical plant twice bigger by 2027.")
    assert set(found) == {"Expansion of the Taraz chemical plant"}


def test_the_construction_of_a_named_facility(extract):
    x, found = projects(extract, "The akim reported on the progress of reconstruction of the Shymkent-Tashkent "
                                 "highway.")
    assert set(found) == {"Reconstruction of the Shymkent-Tashkent highway"}


# --- enumerations ---------------------------------------------------------------------------------

def test_railways_named_after_a_count(extract):
    x, found = projects(extract, "The President gave start to the construction of two new railways, Dostyk-Moiynty "
                                 "and Bakhty-Ayagoz.")
    assert set(found) == {"Dostyk-Moiynty railway", "Bakhty-Ayagoz railway"}


def test_coordinated_names_share_the_head(extract):
    x, found = projects(extract, "The start of reconstruction of the Taraz-Shu and Kokshetau-Petropavlovsk highways "
                                 "and the construction of a dairy complex in Ereymentau were also announced.")
    assert set(found) == {"Reconstruction of the Taraz-Shu highway", "Reconstruction of the Kokshetau-Petropavlovsk "
                          "highway", "Construction of a dairy complex in Ereymentau"}


def test_projects_including(extract):
    x, found = projects(extract, "Nine projects worth 60 billion tenge are planned, including glass production in "
                                 "Kyzylorda region and soda ash production in Zhambyl region, the Saran tyre "
                                 "plant and a logistics hub in the port of Kuryk.")
    assert set(found) == {"Glass production in Kyzylorda region", "Soda ash production in Zhambyl region",
                          "Saran tyre plant", "Logistics hub in the port of Kuryk"}
    assert all(p.status == "planned" for p in found.values())


def test_an_item_without_its_head_takes_the_head_of_the_item_before(extract):
    x, found = projects(extract, "Five projects worth 12 billion tenge are planned, including caustic soda production "
                                 "in Pavlodar region and chlorine in Zhambyl region.")
    assert set(found) == {"Caustic soda production in Pavlodar region", "Chlorine production in Zhambyl region"}
    assert place(x, found["Chlorine production in Zhambyl region"]) == "Zhambyl region"


def test_among_them_is_and_another_one_is(extract):
    x, found = projects(extract, "Among the most significant of them is the Oral Motors automobile plant, ready "
                                 "for launch, with a capacity of 50,000 cars a year. Another one is the Irtysh "
                                 "Axle plant for truck components, which will cost up to 120.5 billion tenge and "
                                 "give 450 new jobs.")
    assert found["Oral Motors automobile plant"].status == "ready for launch"
    axle = found["Irtysh Axle plant for truck components"]
    assert axle.investment == Decimal("120500000000")
    assert axle.jobs == 450


def test_among_them_are(extract):
    x, found = projects(extract, "Twelve projects are in the pool. Among them are a mining plant, the Zhetysu "
                                 "International Logistics Park and a wind turbine plant.")
    assert set(found) == {"Zhetysu International Logistics Park"}


def test_a_list_one_facility_a_line(extract):
    x, found = projects(extract, "Among other projects are:\n\n"
                                 "a ceramic tile plant (Keramika Astana LLP),\n\n"
                                 "a fertilizer production complex (Agro Khim Group),\n\n"
                                 "and a logistics center (Dala Trans).\n\n"
                                 "The region expects more investors next year.")
    assert set(found) == {"Ceramic tile plant (Keramika Astana LLP)",
                          "Fertilizer production complex (Agro Khim Group)", "Logistics center (Dala Trans)"}


# --- figures of a project --------------------------------------------------------------------------

def test_a_combine_with_its_investment_keeps_its_whole_name(extract):
    x, found = projects(extract, "The governor named the second stage of the Koktas mining and processing combine "
                                 "with KZT520bn of investment and the Zhaima mining and processing combine worth "
                                 "KZT90bn.")
    assert found["Second stage of the Koktas mining and processing combine"].investment == Decimal("520000000000")
    assert found["Zhaima mining and processing combine"].investment == Decimal("90000000000")


def test_valued_at_after_a_comma(extract):
    x, found = projects(extract, "The akim spoke about plans to launch a wheel casting complex of the Temir Dongelek "
                                 "company in railway engineering, valued at 64 billion tenge.")
    (project,) = found.values()
    assert project.name == "Wheel casting complex of the Temir Dongelek company"
    assert project.investment == Decimal("64000000000")


# --- not projects ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Two plants will be built in the region next year.",
    "The plant was launched in 2019.",
    "In the agro-industrial complex, 40 dairy farms, a feed mill and a greenhouse complex will be built.",
    "The project involved an investment of 6.2 billion tenge.",
    "78 facilities worth a total of 500 billion tenge were commissioned.",
    "Kazakhstan launched the Industrialization Map in 2010.",
    "The company opened a representative office in Almaty.",
    "The Prime Minister visited the Aktobe ferroalloy plant and talked with its workers.",
    "By 2030, according to the akim, the Kostanay car factory is to manufacture up to 90 thousand cars a year.",
    "Work continues to develop the Zhuldyz industrial zone.",
    "Deputy akim Aliya Serikova said the region's farms had produced goods worth 160 billion tenge.",
])
def test_no_project_in_these_sentences(extract, text):
    assert extract(HEADER + text + "\n").projects == []
