"""Tests for the gazetteer and toponym resolution (tidings.gazetteer, tidings.where)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Span

from tidings.gazetteer import load_gazetteer, normalize
from tidings.model import Place
from tidings.nlp import load_nlp
from tidings.where import evaluate_places, event_location, find_places, haversine_km, parse_dateline

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
GEOVIRUS = SHARED / "gold" / "geovirus_places.dev.jsonl"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def _by_text(places: list[Place], text: str) -> Place:
    found = [p for p in places if p.text == text]
    assert found, f"{text!r} not among {[p.text for p in places]}"
    return found[0]


def _trigger(doc: Doc, word: str) -> int:
    return next(t.i for t in doc if t.text == word)


# ---------------------------------------------------------------- gazetteer


def test_normalize_folds_accents_case_and_abbreviations() -> None:
    assert normalize("Côte d'Ivoire") == normalize("COTE DIVOIRE")
    assert normalize("St. Marc") == normalize("Saint-Marc")
    assert normalize("the Gambia") == "gambia"


def test_gazetteer_alternate_names_and_features() -> None:
    gaz = load_gazetteer()
    kyiv = [e for e, _ in gaz.lookup("Kiev") if e.feature == "city"]
    assert kyiv and kyiv[0].cc == "UA" and kyiv[0].name == "Kyiv"
    us = [e for e, _ in gaz.lookup("U.S.") if e.feature == "country"]
    assert us and gaz.country_iso3(us[0].cc) == "USA"
    texas = [e for e, _ in gaz.lookup("Texas") if e.feature == "admin1"]
    assert texas and gaz.admin1_name(texas[0]) == "Texas"
    # derived division point lies inside the state's rough box
    assert 25 < texas[0].lat < 37 and -107 < texas[0].lon < -93
    assert any(e.feature == "region" for e, _ in gaz.lookup("Darfur"))


def test_divisions_sit_at_their_boundary_centroid() -> None:
    gaz = load_gazetteer()
    jiangsu = next(e for e, _ in gaz.lookup("Jiangsu") if e.feature == "admin1")
    # a few misplaced GeoNames places once pulled its point 700 km west, into Henan
    assert jiangsu.derived == "boundary"
    assert 30.7 < jiangsu.lat < 35.2 and 116.3 < jiangsu.lon < 121.9
    ontario = next(e for e, _ in gaz.lookup("Ontario") if e.feature == "admin1")
    assert ontario.derived == "boundary" and 46 < ontario.lat < 54 and -92 < ontario.lon < -80


def test_a_division_made_of_natural_earth_units_sits_at_their_joint_centroid() -> None:
    from tidings.where import haversine_km

    gaz = load_gazetteer()
    # Natural Earth draws England as its counties; together they centre near Coventry
    england = next(e for e, _ in gaz.lookup("England") if e.feature == "admin1")
    coventry = next(e for e, _ in gaz.lookup("Coventry") if e.cc == "GB")
    assert england.derived == "boundary"
    assert haversine_km(england.lat, england.lon, coventry.lat, coventry.lon) < 40


def test_english_counties_sit_at_their_own_centroid_not_englands() -> None:
    from tidings.where import haversine_km

    gaz = load_gazetteer()
    surrey = next(e for e, _ in gaz.lookup("Surrey") if e.cc == "GB" and e.feature == "admin2")
    guildford = next(e for e, _ in gaz.lookup("Guildford") if e.cc == "GB")
    assert surrey.derived == "boundary"
    assert haversine_km(surrey.lat, surrey.lon, guildford.lat, guildford.lon) < 25


def test_us_counties_sit_at_their_own_centroid_not_their_states() -> None:
    from tidings.where import haversine_km

    gaz = load_gazetteer()
    county = next(e for e, _ in gaz.lookup("Crawford County")
                  if e.cc == "US" and e.admin1 == "PA")
    seat = next(e for e, _ in gaz.lookup("Meadville") if e.cc == "US" and e.admin1 == "PA")
    state = next(e for e, _ in gaz.lookup("Pennsylvania") if e.feature == "admin1")
    assert county.derived == "census" and state.derived == "census"
    assert haversine_km(county.lat, county.lon, seat.lat, seat.lon) < 30
    assert haversine_km(county.lat, county.lon, state.lat, state.lon) > 150
    alaska = next(e for e, _ in gaz.lookup("Alaska") if e.feature == "admin1")
    assert 60 < alaska.lat < 68 and -160 < alaska.lon < -145  # across the antimeridian


# ---------------------------------------------------------------- datelines


def test_parse_dateline_forms() -> None:
    d = parse_dateline("KABUL, Oct 9 (Reuters) - Taliban fighters attacked")
    assert d is not None and d.text == "KABUL" and d.qualifier is None
    d = parse_dateline("NAIROBI, Kenya — Police said on Monday")
    assert d is not None and d.text == "NAIROBI" and d.qualifier == "Kenya"
    assert parse_dateline("The minister said on Monday - in Kabul - that") is None


# ---------------------------------------------------------------- find_places


def test_dateline_and_province(nlp: Language) -> None:
    text = ("KABUL, Oct 9 (Reuters) - Taliban fighters attacked a police checkpoint in "
            "Helmand province on Saturday, officials said.")
    places = find_places(nlp(text))
    kabul = _by_text(places, "KABUL")
    assert kabul.country == "AFG" and kabul.feature == "city" and kabul.lat is not None
    helmand = next(p for p in places if p.text.startswith("Helmand"))
    assert helmand.country == "AFG" and helmand.feature in ("admin1", "admin2")
    for p in places:
        assert text[p.start:p.end] == p.text


def test_context_disambiguates_georgia(nlp: Language) -> None:
    us = find_places(nlp("Storms hit Atlanta and Savannah. Georgia declared an emergency "
                         "as floods spread to Alabama and Tennessee."))
    assert _by_text(us, "Georgia").country == "USA"
    caucasus = find_places(nlp("Protesters gathered in Tbilisi. Georgia has been in talks "
                               "with Armenia and Azerbaijan about the border."))
    assert _by_text(caucasus, "Georgia").country == "GEO"


def test_qualifier_picks_the_named_state(nlp: Language) -> None:
    places = find_places(nlp("A tornado damaged homes in Paris, Texas, on Sunday."))
    paris = _by_text(places, "Paris")
    assert paris.country == "USA" and paris.admin1 == "Texas"
    places = find_places(nlp("Thousands marched in Paris on Sunday against the reform."))
    assert _by_text(places, "Paris").country == "FRA"


def test_list_members_are_one_kind_and_do_not_qualify_each_other(nlp: Language) -> None:
    states = find_places(nlp("Cases were reported in Alaska, Alabama, Arizona, Virginia, "
                             "Washington, West Virginia and Wyoming."))
    washington = _by_text(states, "Washington")
    assert washington.feature == "admin1" and washington.admin1 == "Washington"
    countries = find_places(nlp("Health officials in Mexico, China, Japan, Ukraine and Brazil "
                                "also reported cases."))
    china = _by_text(countries, "China")
    assert china.feature == "country" and china.country == "CHN"
    # siblings in one country are not a qualifier either
    egypt = find_places(nlp("The virus was found in three areas in Egypt - namely Cairo, Giza, "
                            "and Al-Minya."))
    assert _by_text(egypt, "Cairo").country == "EGY"


def test_in_qualifier_and_one_sense_per_article(nlp: Language) -> None:
    places = find_places(nlp("Austin, in Scott County, Indiana, was the centre of the outbreak. "
                             "Officials in a town 35 miles south of Austin said cases rose."))
    austins = [p for p in places if p.text == "Austin"]
    assert len(austins) == 2
    assert all(p.country == "USA" and p.admin1 == "Indiana" for p in austins)


def test_qualifier_that_contains_no_candidate_gives_no_point(nlp: Language) -> None:
    places = find_places(nlp("His truck was stopped on a highway in Stroud, Ontario, Canada."))
    stroud = _by_text(places, "Stroud")
    assert stroud.lat is None and stroud.reason and "Ontario" in stroud.reason
    assert _by_text(places, "Ontario").country == "CAN"


def test_city_of_and_split_entity(nlp: Language) -> None:
    sao = _by_text(find_places(nlp("The city of Sao Paulo reported 327 deaths.")), "Sao Paulo")
    assert sao.feature == "city" and sao.country == "BRA"
    places = find_places(nlp("Polio cases rose in Angola, Chad, and Democratic Republic of the "
                             "Congo this year."))
    drc = _by_text(places, "Democratic Republic of the Congo")
    assert drc.country == "COD" and drc.feature == "country"


def test_capital_as_speaking_subject_is_a_metonym(nlp: Language) -> None:
    places = find_places(nlp("Moscow warned that it would respond to any new sanctions."))
    moscow = _by_text(places, "Moscow")
    assert moscow.feature == "metonym" and moscow.country == "RUS"
    assert moscow.lat is None and moscow.reason
    places = find_places(nlp("Thousands of people marched through Moscow on Sunday."))
    assert _by_text(places, "Moscow").feature == "city"


def test_unknown_place_gets_reason_not_exception(nlp: Language) -> None:
    doc = nlp("Fighting was reported in Zorblatt Vale yesterday.")
    start = next(t.i for t in doc if t.text == "Zorblatt")
    doc.ents = [Span(doc, start, start + 2, label="GPE")]
    places = find_places(doc)
    p = _by_text(places, "Zorblatt Vale")
    assert p.lat is None and p.geonameid is None and p.reason


def test_empty_and_placeless_text(nlp: Language) -> None:
    assert find_places(nlp("")) == []
    assert find_places(nlp("He said that it would rain tomorrow.")) == []


# ---------------------------------------------------------------- event_location


def test_event_location_prefers_attached_place(nlp: Language) -> None:
    doc = nlp("NAIROBI, Kenya — Militants attacked a police post near Mandera on Tuesday.")
    places = find_places(doc)
    loc = event_location(doc, _trigger(doc, "attacked"), places)
    assert loc is not None and loc.resolved_by == "attached"
    assert loc.text == "Mandera" and loc.country == "KEN"


def test_event_location_object_prepositional_phrase(nlp: Language) -> None:
    doc = nlp("Rebels attacked a village in Darfur, killing ten people.")
    loc = event_location(doc, _trigger(doc, "attacked"), find_places(doc))
    assert loc is not None and loc.text == "Darfur" and loc.country == "SDN"


def test_event_location_dateline_fallback_and_none(nlp: Language) -> None:
    doc = nlp("KABUL, Oct 9 (Reuters) - The interior minister resigned on Friday. "
              "Later, envoys met in Doha.")
    places = find_places(doc)
    loc = event_location(doc, _trigger(doc, "resigned"), places)
    assert loc is not None and loc.resolved_by == "dateline" and loc.country == "AFG"
    met = event_location(doc, _trigger(doc, "met"), places)
    assert met is not None and met.text == "Doha" and met.resolved_by == "attached"
    # no dateline: a place from another sentence is never taken
    doc = nlp("The minister resigned on Friday. Later, envoys met in Doha.")
    assert event_location(doc, _trigger(doc, "resigned"), find_places(doc)) is None


# ---------------------------------------------------------------- evaluation


@pytest.mark.skipif(not GEOVIRUS.exists(), reason="shared gold data not present")
def test_evaluate_places_on_geovirus_sample(nlp: Language) -> None:
    with GEOVIRUS.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line, _ in zip(fh, range(15), strict=False)]
    result = evaluate_places(records, nlp)
    assert result["gold_toponyms"] == sum(len(r["toponyms"]) for r in records)
    assert result["found"] >= 0.8
    assert result["within_161km"] >= 0.5
    assert result["precision"] >= 0.8
    assert result["median_error_km"] is not None and result["median_error_km"] < 161


# ---------------------------------------------------------------- mislabelled and stray names


@pytest.mark.parametrize("text, name, iso3", [
    # spaCy labels these names a person or an organisation; the words around them say place
    ("Forty children fell ill after eating cassava at a school on the island of Bohol, "
     "officials said.", "Bohol", "PHL"),
    ("The outbreak may have spread to Warwick in Queensland, where three horses fell ill.",
     "Warwick", "AUS"),
])
def test_mislabelled_name_with_a_locative_cue_is_a_place(nlp: Language, text: str, name: str,
                                                         iso3: str) -> None:
    doc = nlp(text)
    assert any(e.text == name and e.label_ in ("PERSON", "ORG") for e in doc.ents)
    place = _by_text(find_places(doc), name)
    assert place.country == iso3 and place.lat is not None


def test_a_name_read_as_a_place_once_is_a_place_wherever_it_recurs(nlp: Language) -> None:
    doc = nlp("Eight horses at Randwick racecourse in Sydney were infected on Saturday. "
              "Randwick has been locked down for two months.")
    randwick = [p for p in find_places(doc) if p.text == "Randwick"]
    assert len(randwick) == 2
    assert all(p.country == "AUS" and p.lat is not None for p in randwick)


def test_titles_acronyms_and_common_nouns_are_not_recovered_as_places(nlp: Language) -> None:
    doc = nlp("\"I am innocent,\" Mr. Corby in Indonesia told reporters. The UN said it would "
              "send help. The swan was found near a pond, and the swan had the virus.")
    texts = [p.text for p in find_places(doc)]
    assert texts == ["Indonesia"]


def test_small_namesake_abroad_is_left_unresolved_with_a_reason(nlp: Language) -> None:
    # the only "Piccadilly" in the gazetteer is a hamlet in Australia; this story is in London
    doc = nlp("He met the dealer at a sushi bar in Piccadilly, near his hotel in London, British "
              "police said on Monday. Scotland Yard searched the hotel in Britain.")
    place = _by_text(find_places(doc), "Piccadilly")
    assert place.lat is None and place.country is None
    assert place.reason is not None and "AUS" in place.reason and "GBR" in place.reason
    london = _by_text(find_places(doc), "London")
    assert london.country == "GBR" and london.lat is not None


def test_a_place_named_by_its_direction_resolves_to_the_place(nlp: Language) -> None:
    doc = nlp("Infected horses were found in North-Western Sydney on Tuesday.")
    place = _by_text(find_places(doc), "North-Western Sydney")
    assert place.name == "Sydney" and place.country == "AUS"


def test_a_list_of_cities_does_not_turn_a_state_into_a_village(nlp: Language) -> None:
    doc = nlp("Letters were mailed to members of the media in New York City and Florida. "
              "The New York office received most of them.")
    florida = _by_text(find_places(doc), "Florida")
    assert florida.feature == "admin1" and florida.country == "USA"


def test_a_bare_direction_is_not_a_division_of_another_country(nlp: Language) -> None:
    doc = nlp("Drought has hit farmers across the American South this summer, officials in "
              "Texas said.")
    south = _by_text(find_places(doc), "South")
    assert south.lat is None and south.country is None
    assert south.reason is not None and "direction" in south.reason
    assert _by_text(find_places(doc), "Texas").country == "USA"


def test_an_alternate_name_abroad_is_left_unresolved_in_a_story_set_elsewhere(
        nlp: Language) -> None:
    # "Kalam" is in the gazetteer only as an alternate name of a town in India
    doc = nlp("Relief flights landed in the mountain town of Kalam on Sunday, Pakistani "
              "officials said. Floods have cut roads across northern Pakistan and the army is "
              "clearing them near Islamabad.")
    places = find_places(doc)
    kalam = _by_text(places, "Kalam")
    assert kalam.lat is None and kalam.reason is not None and "PAK" in kalam.reason
    # a capital with two same-country entries still tells the story's country
    assert _by_text(places, "Islamabad").country == "PAK"


def test_a_division_word_after_a_name_selects_the_division_not_the_country(
        nlp: Language) -> None:
    doc = nlp("Seven of Angola's provinces reported cases, the latest in Zaire province, where "
              "six people fell ill. A spokeswoman for the United States Department of "
              "Agriculture said tests were under way.")
    places = find_places(doc)
    zaire = _by_text(places, "Zaire province")
    assert zaire.feature == "admin1" and zaire.country == "AGO"
    # "Department" after a country's name is an organisation's word, not a division's
    assert _by_text(places, "United States").country == "USA"



def test_located_in_qualifies_a_county_with_its_state(nlp: Language) -> None:
    doc = nlp("Wild ducks tested positive in Queen Anne's County in Maryland and in Crawford "
              "County located in Pennsylvania, officials said.")
    crawford = _by_text(find_places(doc), "Crawford County")
    assert crawford.admin1 == "Pennsylvania" and crawford.feature == "admin2"
    # the qualifier is strict: there is no Crawford County in Texas
    doc = nlp("Wild ducks tested positive in Crawford County located in Texas, officials said.")
    crawford = _by_text(find_places(doc), "Crawford County")
    assert crawford.lat is None and crawford.reason is not None and "Texas" in crawford.reason


# ---------------------------------------------------------------- names shared by kinds of place


def test_a_division_named_after_its_main_city_is_the_city_unless_the_words_say_division(
        nlp: Language) -> None:
    kabul = _by_text(find_places(nlp("A car bomb exploded in Kabul on Monday, Afghan officials "
                                     "said.")), "Kabul")
    assert kabul.feature == "city" and kabul.country == "AFG"
    assert _by_text(find_places(nlp("Police in Kano arrested ten men after the riot.")),
                    "Kano").feature == "city"
    # a lowercase division word after the name, or a division's office, says division
    assert _by_text(find_places(nlp("Voters in Kano state chose a new governor on Saturday.")),
                    "Kano").feature == "admin1"
    assert _by_text(find_places(nlp("Kano Governor Abdullahi Ganduje said schools would "
                                    "reopen.")), "Kano").feature == "admin1"
    tyumen = _by_text(find_places(nlp("Ten people died in the Tyumen region, Russian officials "
                                      "said.")), "Tyumen")
    assert tyumen.feature == "admin1" and tyumen.name == "Tyumen Oblast"
    # Quebec City holds a small share of its province's people; a qualifier names a state
    assert _by_text(find_places(nlp("Voters in Quebec went to the polls on Monday.")),
                    "Quebec").feature == "admin1"
    new_york = _by_text(find_places(nlp("Fire crews in Buffalo, New York, fought the blaze for "
                                        "hours.")), "New York")
    assert new_york.feature == "admin1"


def test_a_country_that_ends_an_organisations_name_is_a_place(nlp: Language) -> None:
    doc = nlp("Nestle India recalled its noodles on Friday.")
    assert [e.label_ for e in doc.ents if e.text == "Nestle India"] == ["ORG"]
    assert [(p.text, p.country) for p in find_places(doc)] == [("India", "IND")]
    # not at the end of a person's name
    assert find_places(nlp("Vernon Jordan met the president.")) == []


def test_a_county_without_a_namesake_town_has_the_people_of_its_places(nlp: Language) -> None:
    gaz = load_gazetteer()
    suffolk = next(e for e, _ in gaz.lookup("Suffolk") if e.cc == "GB")
    assert suffolk.feature == "admin2" and suffolk.population > 300_000  # Ipswich and more
    doc = nlp("Birds died on a farm in Suffolk, the UK's environment agency said on Friday.")
    place = _by_text(find_places(doc), "Suffolk")
    assert place.country == "GBR" and place.feature == "admin2"


def test_the_other_form_of_a_leading_direction_finds_the_division(nlp: Language) -> None:
    doc = nlp("Fighting spread across South Kordofan, Sudanese officials said.")
    place = _by_text(find_places(doc), "South Kordofan")
    assert place.name == "Southern Kordofan" and place.feature == "admin1"


@pytest.mark.parametrize("text, name, iso3", [
    ("The injured miners were taken to Desaguadero hospital on Tuesday.", "Desaguadero",
     None),
    ("The explosion happened in a village called Anapa near the coast of Russia.", "Anapa",
     "RUS"),
    ("\"The water supply is safe,\" said Ubay Vice-Mayor Rosa Lim in the Philippines.",
     "Ubay", "PHL"),
])
def test_a_facility_an_office_or_called_after_a_mislabelled_name_makes_it_a_place(
        nlp: Language, text: str, name: str, iso3: str | None) -> None:
    doc = nlp(text)
    assert any(e.text == name and e.label_ in ("PERSON", "ORG") for e in doc.ents)
    place = _by_text(find_places(doc), name)
    assert place.lat is not None and (iso3 is None or place.country == iso3)


def test_divisions_are_found_without_their_local_affixes(nlp: Language) -> None:
    gaz = load_gazetteer()
    assert any(e.cc == "JP" and e.feature == "admin2" for e, _ in gaz.lookup("Kitaakita"))
    doc = nlp("Five children fell ill in the district of Karo in northern Sumatra, Indonesian "
              "officials said.")
    karo = _by_text(find_places(doc), "Karo")
    assert karo.country == "IDN" and karo.name == "Kabupaten Karo"


def test_a_region_made_of_divisions_sits_among_them(nlp: Language) -> None:
    doc = nlp("Shelling was reported across Kashmir on Sunday, Indian officials said.")
    kashmir = _by_text(find_places(doc), "Kashmir")
    assert kashmir.feature == "region" and kashmir.lat is not None and kashmir.lon is not None
    assert 32 < kashmir.lat < 37 and 73 < kashmir.lon < 78


def test_a_short_all_capital_name_is_an_acronym_not_a_namesake_town(nlp: Language) -> None:
    doc = nlp("France and the EU agreed on new tariffs, officials in Paris said. Boeing "
              "challenged the contract before the GAO.")
    places = find_places(doc)
    eu = _by_text(places, "EU")
    assert eu.name == "European Union" and eu.feature == "region"  # not the town of Eu
    assert all(p.text != "GAO" for p in places)  # not Gao, Mali
    # with dots too: "U.N." is not the Indian town of Un
    doc = nlp("\"The U.N. Special Envoy, Ambassador Patrick Ryder, arrived on Monday,\" she "
              "said.")
    assert all(p.text != "U.N." for p in find_places(doc))
    # datelines are written in capitals: there the name is the place
    doc = nlp("GAO, Mali (Reuters) - Soldiers patrolled the market on Monday.")
    gao = _by_text(find_places(doc), "GAO")
    assert gao.country == "MLI" and gao.lat is not None


@pytest.mark.parametrize("text, name", [
    ("Afterward, Lugo ordered an independent commission to look into the killings.", "Lugo"),
    ("Later Bush said the aid would double.", "Bush"),  # spaCy: PERSON; a town in Egypt
])
def test_a_town_name_that_speaks_or_acts_is_a_person(nlp: Language, text: str,
                                                      name: str) -> None:
    assert all(p.text != name for p in find_places(nlp(text)))


def test_a_speaking_person_does_not_set_the_story_country(nlp: Language) -> None:
    # "Walker" (a US town) no longer pulls Geneva to Geneva, New York
    geneva = _by_text(find_places(nlp("Walker said the talks in Geneva would resume.")),
                      "Geneva")
    assert geneva.country == "CHE"


def test_a_capital_is_the_city_not_the_division_that_shares_its_name(nlp: Language) -> None:
    washington = _by_text(find_places(nlp("Protesters marched in Washington on Saturday "
                                          "against the war.")), "Washington")
    assert washington.feature == "city" and washington.lat is not None
    assert 38 < washington.lat < 39.5 and -78 < washington.lon < -76  # not Washington state
    # Buenos Aires is a district of its own beside the province of that name
    place = _by_text(find_places(nlp("She died in a Buenos Aires hospital in June.")),
                     "Buenos Aires")
    assert place.feature == "city" and place.country == "ARG"


def test_an_airport_stands_for_the_city_it_serves(nlp: Language) -> None:
    doc = nlp("Flights resumed at Da Nang International Airport on Monday.")
    place = _by_text(find_places(doc), "Da Nang International Airport")
    assert place.name == "Da Nang" and place.country == "VNM"
    # no large city of that name: the country inside the airport's name, as before
    doc = nlp("Flights resumed at Palau International Airport on Monday.")
    assert [(p.text, p.country) for p in find_places(doc)] == [("Palau", "PLW")]


def test_a_mislabelled_name_joined_to_a_place_by_and_is_a_place(nlp: Language) -> None:
    doc = nlp("Fighting was reported in Goma and Rutshuru.")
    assert any(e.text == "Rutshuru" and e.label_ == "PERSON" for e in doc.ents)
    assert _by_text(find_places(doc), "Rutshuru").country == "COD"
    # the start of a longer name is not taken alone ("Antigua" + "and Barbuda")
    doc = nlp("The Republic of Congo and Antigua and Barbuda agreed to work together.")
    assert _by_text(find_places(doc), "Antigua and Barbuda").country == "ATG"
    # nationalities are not places ("Canadian", Texas)
    doc = nlp("Israeli and Canadian troops held joint exercises in Cyprus.")
    assert [p.text for p in find_places(doc)] == ["Cyprus"]


def _span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


@pytest.mark.parametrize("text, trigger, target", [
    ("Amnesty International accused the United States of violating human rights.",
     "accused", "the United States"),
    ("Japan said on Tuesday it had halted economic aid to Serbia.", "halted", "Serbia"),
    ("South Korea has rejected North Korea's demand to end the alliance.", "rejected",
     "North Korea's demand"),
])
def test_a_place_that_names_a_participant_is_not_the_events_location(
        nlp: Language, text: str, trigger: str, target: str) -> None:
    doc = nlp(text)
    places = find_places(doc)
    assert event_location(doc, _trigger(doc, trigger), places) is not None  # without actors
    assert event_location(doc, _trigger(doc, trigger), places, [_span(text, target)]) is None


@pytest.mark.parametrize("text, trigger, target, where", [
    # a locative preposition still places the event, and some verbs are about being there
    ("Up to 100 people demonstrated on Tuesday in Serbia.", "demonstrated", "Serbia",
     "Serbia"),
    ("Sudanese rebels shelled Juba on Sunday.", "shelled", "Juba", "Juba"),
])
def test_a_participant_is_the_location_after_in_or_for_verbs_of_being_there(
        nlp: Language, text: str, trigger: str, target: str, where: str) -> None:
    doc = nlp(text)
    loc = event_location(doc, _trigger(doc, trigger), find_places(doc), [_span(text, target)])
    assert loc is not None and loc.text == where


@pytest.mark.parametrize("text, name", [
    ("The Dalai Lama visited Delhi.", "Dalai"),  # a town in China, starting a longer name
    ("Talks on the Balkan crisis opened in Vienna.", "Balkan"),  # a group, not Turkmenistan's
    ("Somali forces clashed with militants near Mogadishu.", "Somali"),  # not Ethiopia's region
])
def test_nationalities_and_parts_of_longer_names_are_not_places(nlp: Language, text: str,
                                                                 name: str) -> None:
    assert all(name not in p.text for p in find_places(nlp(text)))


def test_a_common_word_resolves_only_to_a_place_in_the_storys_countries(
        nlp: Language) -> None:
    places = find_places(nlp("The Commonwealth suspended Fiji."))
    commonwealth = _by_text(places, "Commonwealth")
    assert commonwealth.lat is None and commonwealth.reason is not None
    assert "common word" in commonwealth.reason
    assert _by_text(places, "Fiji").country == "FJI"
    capital = _by_text(find_places(nlp("Leaders met in the Capital on Friday.")), "Capital")
    assert capital.lat is None  # not Denmark's Capital Region


def test_saint_vincent_is_the_island_state_in_a_caribbean_story(nlp: Language) -> None:
    doc = nlp("Ministers from St. Vincent and Grenada met in Kingstown.")
    assert _by_text(find_places(doc), "St. Vincent").country == "VCT"


def test_a_surname_of_a_person_in_the_story_is_not_a_town(nlp: Language) -> None:
    doc = nlp("President Juan Manuel Santos met rebel leaders on Monday. Santos said the talks "
              "would go on.")
    assert find_places(doc) == []  # not Santos, Brazil
    # a person before "in <place>" is not a town there unless a town of that name lies there
    doc = nlp("Castro, who is scheduled to meet Obama in Washington next week, spoke to "
              "reporters.")
    assert [p.text for p in find_places(doc)] == ["Washington"]  # not Obama, Japan
    # a state's name as a first name
    doc = nlp("Victoria Nuland told reporters in Kiev that talks would resume.")
    assert [p.text for p in find_places(doc)] == ["Kiev"]
    # a town named elsewhere in the story as a place stays a place
    doc = nlp("Relief flights landed in Malakal. The SOS Children's Village Malakal is stable.")
    assert _by_text(find_places(doc), "Malakal").country == "SSD"


def test_a_one_country_region_weighs_like_a_division(nlp: Language) -> None:
    # Greek Macedonia is a region made of three Greek divisions; the bare name is the country
    doc = nlp("Greece and Macedonia agreed to reopen the border on Monday.")
    assert _by_text(find_places(doc), "Macedonia").country == "MKD"
    darfur = _by_text(find_places(nlp("Fighting spread across Darfur last week.")), "Darfur")
    assert darfur.feature == "region" and darfur.country == "SDN"


def test_a_place_in_a_newspapers_or_companys_name_is_part_of_the_name(nlp: Language) -> None:
    doc = nlp("In an interview with the New York Times published on Thursday, the envoy said "
              "talks in Asmara would resume.")
    assert [p.text for p in find_places(doc)] == ["Asmara"]
    doc = nlp("The China Daily newspaper reported that the deal is waiting for approval.")
    assert find_places(doc) == []
    # but a government body's place is its jurisdiction, and a university's its town
    doc = nlp("West Bank Health Ministry official Asad Ramlawi said vaccines had arrived.")
    assert [p.text for p in find_places(doc)] == ["West Bank"]
    doc = nlp("Four students at Tehran University staged a sit-in on Monday.")
    assert [p.text for p in find_places(doc)] == ["Tehran"]


def test_nationalities_in_the_story_hint_at_its_country(nlp: Language) -> None:
    # Jericho is also a town in the United States; "Palestinian" and "Israeli" say which
    doc = nlp("In an unprecedented move, Palestinian police in Jericho confiscated weapons and "
              "explosives from Palestinian armed groups, the Israeli army said Friday.")
    assert _by_text(find_places(doc), "Jericho").country == "PSE"
    # a weaker hint than a place: a big city abroad still beats a small namesake
    doc = nlp("British aid reached the capital city of Blantyre, where the trial was held.")
    assert _by_text(find_places(doc), "Blantyre").country == "MWI"


def test_a_name_made_of_directions_is_not_a_division_abroad(nlp: Language) -> None:
    doc = nlp("U.S. and Russian negotiators return to Geneva this week, an issue likely to "
              "dominate East-West relations this year.")
    east_west = _by_text(find_places(doc), "East-West")
    assert east_west.lat is None and east_west.reason is not None


def test_short_and_former_country_names(nlp: Language) -> None:
    doc = nlp("Bosnian Serbs demanded a truce with Moslem forces in east Bosnia before allowing "
              "U.N. aid convoys.")
    assert _by_text(find_places(doc), "Bosnia").country == "BIH"
    doc = nlp("Troops in Rhodesia and Ceylon were put on alert in 1965.")
    places = find_places(doc)
    assert (_by_text(places, "Rhodesia").country, _by_text(places, "Ceylon").country) == \
        ("ZWE", "LKA")


@pytest.mark.parametrize("text, name, lat, lon", [
    # regions named in conflict news, made of divisions, and seas placed among their shores
    ("Shelling continued across the Donbas on Sunday.", "Donbas", 48.5, 38.3),
    ("Fighters withdrew to Kurdistan last week.", "Kurdistan", 36.0, 44.7),
    ("Israel shot down a drone over the Golan Heights.", "Golan Heights", 33.0, 35.8),
    ("Rebels attacked ships in the Red Sea on Friday.", "Red Sea", 20.0, 38.5),
    ("Tensions rose in the South China Sea this month.", "South China Sea", 12.0, 113.0),
])
def test_conflict_regions_and_seas(nlp: Language, text: str, name: str, lat: float,
                                   lon: float) -> None:
    place = _by_text(find_places(nlp(text)), name)
    assert place.feature == "region" and place.lat is not None and place.lon is not None
    assert haversine_km(place.lat, place.lon, lat, lon) < 500  # coarse points by design


def test_arabic_and_local_spellings_of_divisions(nlp: Language) -> None:
    doc = nlp("Troops advanced in Anbar and Middle Shabelle, officials said.")
    places = find_places(doc)
    assert _by_text(places, "Anbar").country == "IRQ"
    assert _by_text(places, "Middle Shabelle").country == "SOM"


def test_a_place_named_elsewhere_in_the_story_is_a_place_inside_a_longer_name(
        nlp: Language) -> None:
    # spaCy tags "Villages Sudan" as an unknown place and "Village Malakal" as an organisation;
    # the story names both as places on their own, so their last words are those places
    doc = nlp("Refugees return to Sudan after the peace deal. SOS Children's Villages Sudan "
              "reports that the camps are crowded.")
    assert [(p.text, p.country) for p in find_places(doc)] == [("Sudan", "SDN")] * 2
    doc = nlp("Airplanes are flying into Darfur and Malakal, officials said. Those in the SOS "
              "Children's Village Malakal are afraid of conflict breaking out again.")
    malakal = [p for p in find_places(doc) if p.text == "Malakal"]
    assert len(malakal) == 2 and all(p.country == "SSD" for p in malakal)


@pytest.mark.parametrize("text, absent", [
    # a word before the name makes another place of it
    ("Chad sent troops to the islands of Lake Chad on Monday.", "Chad"),
    # a person's name that the story also uses for a town
    ("President Fernando Henrique Cardoso spoke in Brasilia. Later in Cardoso, a small town, "
     "Cardoso said the plan would wait.", None),
])
def test_a_name_inside_a_longer_name_stays_part_of_it(nlp: Language, text: str,
                                                      absent: str | None) -> None:
    places = find_places(nlp(text))
    if absent is not None:
        assert [p.start for p in places if p.text == absent] == [0]
    else:
        # "Cardoso said": the president, not the town the sentence before names
        said = text.rindex("Cardoso said")
        assert not any(p.start == said and p.lat is not None for p in places)


def test_a_direction_before_a_small_towns_name_is_not_a_part_of_that_town(
        nlp: Language) -> None:
    # Atlantic, Iowa has 7,000 people: "the North Atlantic" is not its northern part
    doc = nlp("Ships crossed the North Atlantic to reach Halifax.")
    assert not any(p.name == "Atlantic" for p in find_places(doc))
    # but a big city's part is the city ("North-Western Sydney")
    doc = nlp("Floods hit North-Western Sydney on Sunday.")
    assert _by_text(find_places(doc), "North-Western Sydney").name == "Sydney"


def test_a_mislabelled_name_joined_to_a_place_the_scan_found_is_a_place(nlp: Language) -> None:
    # spaCy tags "Anapa" as an organisation; "Temryuk" is found only by the gazetteer scan
    doc = nlp("The head of the veterinary service said the bird flu outbreak originated with "
              "coots in the Temryuk and Anapa. The region governor said more birds died.")
    assert _by_text(find_places(doc), "Anapa").country == "RUS"


def test_a_facility_named_with_a_noun_before_its_kind_makes_a_place(nlp: Language) -> None:
    doc = nlp("The horses are in quarantine at either Eastern Creek in New South Wales or at "
              "the Spotswood quarantine station in Victoria.")
    assert _by_text(find_places(doc), "Spotswood").country == "AUS"


def test_a_valley_or_pass_named_after_a_place_stands_for_it(nlp: Language) -> None:
    doc = nlp("The army launched an offensive in the Swat Valley on Friday.")
    assert _by_text(find_places(doc), "Swat Valley").country == "PAK"
    # not one named after a country: the Jordan Valley is no town called Jordan
    doc = nlp("Settlers moved into the Jordan Valley last year.")
    assert not any(p.lat is not None and p.feature == "city" for p in find_places(doc))


def test_a_big_city_ending_a_government_body_or_university_name_is_a_place(
        nlp: Language) -> None:
    doc = nlp("Milos Davidovic, professor of law at the University of Sarajevo, told reporters "
              "the court had no such power.")
    assert _by_text(find_places(doc), "Sarajevo").country == "BIH"
    # the start of a longer name inside it is not ("the village of Beni Khair")
    doc = nlp("Clashes broke out after dawn in the village of Beni Khair and continued.")
    assert not any(p.name == "Beni" for p in find_places(doc))


def test_greater_names_a_citys_metropolitan_area(nlp: Language) -> None:
    doc = nlp("Lockdowns were extended across Greater Sydney on Friday.")
    place = _by_text(find_places(doc), "Greater Sydney")
    assert (place.name, place.country) == ("Sydney", "AUS")


@pytest.mark.parametrize("text, name, iso3", [
    # the gazetteer has "Kitaakita-shi" and "Slovyansk"; "the city of" says it outright
    ("Three people died of the flu in the city of Kitaakita in northern Japan.", "Kitaakita",
     "JPN"),
    ("Rebels seized the city of Slaviansk on Saturday.", "Slaviansk", "UKR"),
])
def test_the_city_of_a_mislabelled_name_finds_its_other_spellings(
        nlp: Language, text: str, name: str, iso3: str) -> None:
    assert _by_text(find_places(nlp(text)), name).country == iso3


@pytest.mark.parametrize("text, name, iso3", [
    # Manchester, England (395,000) over Manchester parish, Jamaica (190,000)
    ("Police in Manchester arrested two men on Sunday.", "Manchester", "GBR"),
    # Gaza City over Mozambique's Gaza province
    ("The council will look into the conflict between Israel and Hamas in Gaza.", "Gaza", "PSE"),
    # the story's words still decide
    ("Clashes in Manchester parish left two dead in Jamaica.", "Manchester", "JAM"),
])
def test_a_big_city_abroad_beats_a_smaller_division_of_the_same_name(
        nlp: Language, text: str, name: str, iso3: str) -> None:
    assert _by_text(find_places(nlp(text)), name).country == iso3


def test_a_place_noun_starts_no_persons_name(nlp: Language) -> None:
    # spaCy tags "Village Malakal" as a person here; a person's name does not start with
    # "Village", so the town the story names on its own is a place inside it
    doc = nlp("Cholera is spreading in Malakal. The situation in SOS Children's Village Malakal "
              "is also stable, but cholera is still spreading among the residents.")
    ents = {e.text: e.label_ for e in doc.ents}
    assert ents.get("Village Malakal") == "PERSON"  # the case this mechanism is for
    malakal = [p for p in find_places(doc) if p.text == "Malakal"]
    assert len(malakal) == 2 and all(p.country == "SSD" for p in malakal)


@pytest.mark.parametrize("text, expected", [
    # a plural kind before a list says the kind of every member
    ("The cities of Aleppo, Homs and Hama were shelled overnight.",
     [("Aleppo", "city"), ("Homs", "city"), ("Hama", "city")]),
    ("Police raided the districts of Kisumu and Nakuru in Kenya.",
     [("Kisumu", "admin1"), ("Nakuru", "admin1"), ("Kenya", "country")]),
    # and it makes a place of a mislabelled first member
    ("Troops entered the villages of Kafr Nabl and Maarat al-Numan in Idlib province.",
     [("Kafr Nabl", "city"), ("Idlib", "admin1")]),
])
def test_a_plural_kind_before_a_list_says_what_its_members_are(
        nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    places = find_places(nlp(text))
    assert [(p.text, p.feature) for p in places if p.lat is not None] == expected


def test_a_place_entity_of_names_joined_by_and_is_each_of_those_places(nlp: Language) -> None:
    # spaCy makes one facility of "Cattai and Wilberforce"; the whole is no place, each part is
    text = ("The birds were held at the quarantine facility in Sydney; at Cattai and "
            "Wilberforce in North-Western Sydney; and in Moonbi.")
    doc = nlp(text)
    assert "Cattai and Wilberforce" in {e.text for e in doc.ents}  # the case this is for
    places = {p.text: p for p in find_places(doc)}
    assert places["Cattai"].country == "AUS" and places["Wilberforce"].country == "AUS"
    assert places["Wilberforce"].start == text.index("Wilberforce")
    # a bare direction is short for the rest of the last name
    places = find_places(nlp("Talks between North and South Korea resumed on Monday."))
    assert [(p.text, p.country) for p in places] == [("North", "PRK"), ("South Korea", "KOR")]


@pytest.mark.parametrize("text, name, iso3", [
    # the story's country does not turn a world city into a small namesake of it
    ("The airline flies from Los Angeles and New York to London and Sydney.", "London", "GBR"),
    ("The U.S. embassy in London said it received a letter from Washington.", "London", "GBR"),
    ("Officials in Brussels and Washington, D.C. met to discuss trade with Ohio.", "Brussels",
     "BEL"),
    # the words still decide
    ("Police in London, Kentucky, said two men were arrested in Laurel County.", "London",
     "USA"),
])
def test_a_world_city_is_what_its_name_means_unless_the_words_say_otherwise(
        nlp: Language, text: str, name: str, iso3: str) -> None:
    assert _by_text(find_places(nlp(text)), name).country == iso3


@pytest.mark.parametrize("text, name, city, iso3", [
    # a landmark is the city it stands in, not a town that bears its name
    ("A reporter at the White House asked about tariffs on Ohio and Texas.", "White House",
     "Washington", "USA"),
    ("Protesters gathered in Tahrir Square for a third day.", "Tahrir Square", "Cairo", "EGY"),
    ("Students were killed in Tiananmen Square in 1989.", "Tiananmen Square", "Beijing", "CHN"),
    ("Syria's president met Putin at the Kremlin late Friday.", "Kremlin", "Moscow", "RUS"),
    ("Lawmakers on Capitol Hill said the bill would pass.", "Capitol Hill", "Washington",
     "USA"),
    # an airport named after a place near its city
    ("An American Airlines 777 landing at Heathrow airport was delayed.", "Heathrow",
     "London", "GBR"),
    ("Flights from Changi International Airport resumed.", "Changi International Airport",
     "Singapore", "SGP"),
])
def test_a_landmark_is_the_city_it_stands_in(nlp: Language, text: str, name: str, city: str,
                                             iso3: str) -> None:
    place = _by_text(find_places(nlp(text)), name)
    assert (place.name, place.country, place.feature) == (city, iso3, "city")


@pytest.mark.parametrize("text, name, iso3", [
    ("Kremlin spokesperson Dmitry Peskov said Putin would attend.", "Kremlin", "RUS"),
    ("Azerbaijan threatened to cut ties unless the Kremlin closed its radar base.", "Kremlin",
     "RUS"),
    ("As the White House talks about restoring ties, China waits.", "White House", "USA"),
])
def test_a_seat_of_government_outside_a_locative_phrase_is_the_government(
        nlp: Language, text: str, name: str, iso3: str) -> None:
    place = _by_text(find_places(nlp(text)), name)
    assert (place.feature, place.country, place.lat) == ("metonym", iso3, None)


def test_a_nationality_is_not_a_town_that_bears_its_name(nlp: Language) -> None:
    # "Chadian" is also a Chinese town; after "in" it is still Chad's people
    doc = nlp("Teachers decided to strike in Chadian capital of N'Djamena on Wednesday.")
    assert [(p.text, p.country) for p in find_places(doc)] == [("N'Djamena", "TCD")]


@pytest.mark.parametrize("text, name, iso3", [
    # the short name of a two-part country is the country, not a town abroad
    ("A terror group based in Trinidad claims to be manufacturing chemical weapons.",
     "Trinidad", "TTO"),
    ("Earlier this year, the Antigua government pledged more foreign aid.", "Antigua", "ATG"),
    ("Sanctions on Surinam carrier Blue Wing Airlines were lifted.", "Surinam", "SUR"),
])
def test_short_names_of_two_part_countries(nlp: Language, text: str, name: str,
                                           iso3: str) -> None:
    place = _by_text(find_places(nlp(text)), name)
    assert (place.country, place.feature) == (iso3, "country")


def test_a_plural_kind_after_a_list_says_what_its_members_are(nlp: Language) -> None:
    places = find_places(nlp("Floods hit Kisumu and Nakuru counties in Kenya."))
    assert [(p.text, p.feature) for p in places] == [
        ("Kisumu", "admin1"), ("Nakuru", "admin1"), ("Kenya", "country")]


@pytest.mark.parametrize("text, name, iso3", [
    # a country known by a short or other name is not qualified by the next country, even
    # where "and the" ends the list
    ("The G7 talks brought together ministers from Britain, Canada, France, Germany, Italy, "
     "Japan and the United States.", "Britain", "GBR"),
    # a possessive is not a qualifier
    ("In a press release, the Italian embassy in Caracas, Italy's embassy in Spain and "
     "Argentina's embassy in Venezuela described the plot.", "Caracas", "VEN"),
])
def test_a_name_is_not_qualified_by_a_country_that_is_not_its_own(
        nlp: Language, text: str, name: str, iso3: str) -> None:
    assert _by_text(find_places(nlp(text)), name).country == iso3


def test_a_people_tagged_as_a_place_is_no_place(nlp: Language) -> None:
    # spaCy tags "Ukrainian" as a GPE here; it is not in the gazetteer and is an adjective,
    # so it is no (unresolved) place, while Jeddah is one
    text = ("Secretary of State Marco Rubio hopes to resolve the pause in aid during talks with "
            "Ukrainian officials in Jeddah.")
    doc = nlp(text)
    assert ("Ukrainian", "GPE") in {(e.text, e.label_) for e in doc.ents}
    assert [p.text for p in find_places(doc)] == ["Jeddah"]


@pytest.mark.parametrize("text, name, expected", [
    # a region made of one country's divisions is in that country
    ("Fighting on Mindanao island killed five soldiers.", "Mindanao", ("Mindanao", "PHL")),
    ("Shelling continued across the Donbas on Sunday.", "Donbas", ("Donbas", "UKR")),
    # other names of divisions and a desert that news uses
    ("Militants attacked a bus in Sistan-Baluchistan province.", "Sistan-Baluchistan",
     ("Sistan and Baluchestan", "IRN")),
    ("Separatists in Irian Jaya raised a flag.", "Irian Jaya", ("Papua", "IDN")),
    ("A car bomb exploded inside the Green Zone.", "Green Zone", ("Baghdad", "IRQ")),
    ("Migrants crossing the Sahara desert died of thirst.", "Sahara desert",
     ("Sahara", None)),
])
def test_conflict_news_regions_and_other_names(nlp: Language, text: str, name: str,
                                               expected: tuple[str, str | None]) -> None:
    place = _by_text(find_places(nlp(text)), name)
    assert (place.name, place.country) == expected and place.lat is not None


def test_the_north_in_a_story_that_names_north_korea_is_north_korea(nlp: Language) -> None:
    text = ("North Korea fired a missile on Monday. Seoul said the North's launch violated UN "
            "resolutions.")
    place = _by_text(find_places(nlp(text)), "North")
    assert (place.name, place.country) == ("North Korea", "PRK")
    # without a country of that direction in the story, "the North" stays a bare direction
    places = find_places(nlp("Rebels in the North clashed with troops, officials in Mali said."))
    assert all(p.lat is None for p in places if p.text == "North")


def test_a_lone_direction_adjective_is_no_place(nlp: Language) -> None:
    doc = nlp("China Eastern Airlines ordered ten jets for its Western-backed rival routes.")
    assert [p.text for p in find_places(doc)] == ["China"]


def test_four_or_more_names_joined_by_commas_are_a_list(nlp: Language) -> None:
    # the list ends in a lowercase phrase, so only its length shows that it is one: Dubai
    # does not qualify Los Angeles
    text = ("The airline already offers flights to New York, Boston, Chicago, Los Angeles, "
            "Dubai, and recently launched three new routes.")
    place = _by_text(find_places(nlp(text)), "Los Angeles")
    assert (place.country, place.feature) == ("USA", "city")


@pytest.mark.parametrize("text, absent", [
    # a small town's name joined by a hyphen to a lowercase word is part of a word
    ("The USDA said 5 of 11 wild migratory Green-winged Teals in Illinois tested positive.",
     "Green"),
    ("Stores closed in 9 mid-Atlantic states.", "Atlantic"),
    # a direction that shares the rest of its name with the next one
    ("A campaign across 19 West and Central African countries is to begin in Cameroon.",
     "West"),
    # a news agency named like a town
    ("China's official news agency Xinhua reported that 1,118 new cases of the influenza "
     "were reported in a two-day period.", "Xinhua"),
])
def test_words_that_only_look_like_places(nlp: Language, text: str, absent: str) -> None:
    assert absent not in [p.text for p in find_places(nlp(text))]


def test_a_hyphen_keeps_a_country_or_big_city_a_place(nlp: Language) -> None:
    places = find_places(nlp("The US-led coalition struck Mosul."))
    assert [p.country for p in places] == ["USA", "IRQ"]
    places = find_places(nlp("A Paris-based group said it would sue the ministry."))
    assert [p.country for p in places] == ["FRA"]


def test_a_common_word_after_the_is_the_word_even_in_the_places_country(
        nlp: Language) -> None:
    # Earth, Texas is a town; "the Earth" in a story about Texas is still the planet
    doc = nlp("The dust cloud rose when the rock hit the Earth over Texas.")
    assert _by_text(find_places(doc), "Earth").lat is None


@pytest.mark.parametrize("text, name, lat, lon", [
    # a lake at the mean of its shore divisions, a peninsula at its divisions'
    ("Floods hit villages around Lake Titicaca in Peru.", "Lake Titicaca", -15.8, -69.4),
    ("Fishermen on Lake Victoria reported cholera.", "Lake Victoria", -1.0, 33.0),
    ("Soldiers patrolled the shores of Lake Chad.", "Lake Chad", 13.0, 14.0),
    ("Bird flu was found in Jutland, Denmark.", "Jutland", 56.0, 9.3),
    ("Other cities affected by the flu are Kisumu and Rift Valley, officials in Kenya said.",
     "Rift Valley", 0.5, 36.0),
    ("Romania confirmed another outbreak in the Danube Delta area.", "Danube Delta", 45.3,
     29.5),
])
def test_lakes_and_a_peninsula_in_the_news(nlp: Language, text: str, name: str, lat: float,
                                          lon: float) -> None:
    place = _by_text(find_places(nlp(text)), name)
    assert place.lat is not None and place.lon is not None
    assert haversine_km(place.lat, place.lon, lat, lon) < 161


@pytest.mark.parametrize("text, expected", [
    # a place name before a disease word names the disease
    ("Cases of Rift Valley fever rose in Kenya.", ["Kenya"]),
    ("The Marburg virus spread in Uige, Angola.", ["Uige", "Angola"]),
    ("The Hong Kong Flu virus killed thousands in 1968.", []),
    # with a lowercase word between, the place is where the disease is
    ("The Indonesia bird flu outbreak grew.", ["Indonesia"]),
])
def test_a_disease_named_after_a_place_is_no_place(nlp: Language, text: str,
                                                   expected: list[str]) -> None:
    assert [p.text for p in find_places(nlp(text))] == expected


def test_a_qualifier_is_the_big_city_its_qualified_place_lies_in(nlp: Language) -> None:
    doc = nlp("A company has been taking body parts from funeral homes across Brooklyn, "
              "New York.")
    assert _by_text(find_places(doc), "New York").name == "New York City"
    # a town elsewhere in the state keeps the state as its qualifier
    doc = nlp("A fire broke out at the courthouse in downtown Buffalo, New York.")
    assert _by_text(find_places(doc), "New York").feature == "admin1"


def test_an_ocean_or_sea_adjective_is_not_a_us_town(nlp: Language) -> None:
    # Atlantic, Iowa and Baltic, Ohio exist; "the Atlantic" in a US story is the ocean
    doc = nlp("A severe storm in the Atlantic threatens the U.S. coast of New Jersey.")
    assert _by_text(find_places(doc), "Atlantic").lat is None
    # the words still decide
    doc = nlp("Police in Baltic, Ohio, arrested a man.")
    assert _by_text(find_places(doc), "Baltic").country == "USA"


@pytest.mark.parametrize("text, name, expected", [
    # a region of several countries or a country named with a lowercase noun
    ("Missile defense systems were deployed in Poland and the Baltic states, Washington said.",
     "Baltic states", ("Baltic states", None)),
    ("Leaders of the Nordic countries met in Oslo.", "Nordic countries",
     ("Nordic countries", None)),
    ("Aid to the Palestinian territories was cut.", "Palestinian territories",
     ("Palestinian Territory", "PSE")),
])
def test_regions_named_with_a_lowercase_noun(nlp: Language, text: str, name: str,
                                             expected: tuple[str, str | None]) -> None:
    place = _by_text(find_places(nlp(text)), name)
    assert (place.name, place.country) == expected and place.lat is not None
