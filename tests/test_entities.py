"""Entity extraction: each rule on a small text written for it, then the five seed articles."""

from __future__ import annotations

import pytest

import corpus
from index.analysis.entities import aggregate, canonical_map, extract, gazetteer
from index.models import Mention


def found(text: str) -> dict[str, tuple[str, str]]:
    """Surface text -> (type, canonical name) for every mention in ``text``."""
    return {text[m.start : m.end]: (m.type, m.name) for m in extract(text)}


def people(mentions: list[Mention]) -> set[str]:
    return {m.name for m in mentions if m.type == "person"}


def test_offsets_point_at_the_surface_text() -> None:
    text = "Officials in Seoul met Defense Minister Han Min-koo on Monday."
    for m in extract(text):
        assert text[m.start : m.end].strip() == text[m.start : m.end]
    assert found(text)["Han Min-koo"] == ("person", "Han Min-koo")
    assert found(text)["Seoul"] == ("place", "Seoul")


def test_empty_and_lowercase_text_give_nothing() -> None:
    assert extract("") == []
    assert extract("the talks went on without a deal.") == []


@pytest.mark.parametrize(
    "surface",
    [
        "Terminal High Altitude Area Defence",
        "Terminal High Altitude Area Defense",
        "Theater High-Altitude Area Defense",
        "THAAD",
    ],
)
def test_thaad_under_every_spelling(surface: str) -> None:
    text = f"Officials discussed the {surface} system at length."
    assert found(text)[surface] == ("other", "THAAD")


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("ROK", "South Korea"),
        ("Republic of Korea", "South Korea"),
        ("DPRK", "North Korea"),
        ("Democratic People's Republic of Korea", "North Korea"),
        ("U.S.", "United States"),
        ("US", "United States"),
        ("United States", "United States"),
    ],
)
def test_country_aliases(surface: str, name: str) -> None:
    text = f"Talks with the {surface} continued for hours."
    assert found(text)[surface] == ("place", name)


def test_titles_make_people_and_are_not_part_of_the_name() -> None:
    text = (
        "The talks were led by State Councillor Zhou Baoling and by Gen. Tarek Oumar, "
        "while spokesman Lu Fenghao declined to comment."
    )
    got = found(text)
    assert got["Zhou Baoling"] == ("person", "Zhou Baoling")
    assert got["Tarek Oumar"] == ("person", "Tarek Oumar")
    assert got["Lu Fenghao"] == ("person", "Lu Fenghao")
    assert "State Councillor" not in " ".join(got)


def test_hyphenated_korean_given_names_are_people() -> None:
    got = found("A meeting between Baek Sun-yeop and Jo Min-ha ended early.")
    assert got["Baek Sun-yeop"][0] == "person"
    assert got["Jo Min-ha"][0] == "person"


def test_speech_verbs_and_first_names_make_people() -> None:
    got = found("\u201cWe disagree,\u201d said Tuo Wenbin. The plan was drafted by Susan Okafor.")
    assert got["Tuo Wenbin"][0] == "person"
    assert got["Susan Okafor"][0] == "person"


def test_organisation_cues_keep_of_and_for_inside_the_name() -> None:
    text = (
        "Analysts at the Institute for Peninsula Affairs and at Dongbuk University of "
        "Technology disagreed with the Ministry of Unification."
    )
    got = found(text)
    assert got["Institute for Peninsula Affairs"][0] == "organisation"
    assert got["Dongbuk University of Technology"][0] == "organisation"
    assert got["Ministry of Unification"][0] == "organisation"


def test_places_come_from_the_place_library() -> None:
    got = found("Delegates flew from Nairobi to Lima and then to Ottawa.")
    assert {got[p] for p in ("Nairobi", "Lima", "Ottawa")} == {
        ("place", "Nairobi"),
        ("place", "Lima"),
        ("place", "Ottawa"),
    }


def test_nationalities_are_other_not_people() -> None:
    got = found("Iraqi and Chinese officials met Mexican envoys.")
    assert got["Iraqi"][0] == "other"
    assert got["Chinese"] == ("other", "Chinese")
    assert got["Mexican"][0] == "other"


def test_sentence_initial_words_are_not_entities() -> None:
    text = "Meanwhile the talks stalled. Analysts said little. Now Beijing waits."
    got = found(text)
    assert "Analysts" not in got and "Now" not in got and "Meanwhile" not in got
    assert got["Beijing"] == ("place", "Beijing")


def test_short_forms_resolve_to_the_full_name_in_the_document() -> None:
    text = (
        "Defense Minister Tarik Wanquo arrived on Monday. Wanquo said the talks were useful. "
        "The retailer Hanbit Group was hit hard. Hanbit declined to comment."
    )
    mentions = extract(text)
    by_surface = {text[m.start : m.end]: m for m in mentions}
    assert by_surface["Wanquo"].name == "Tarik Wanquo"
    assert by_surface["Wanquo"].type == "person"
    assert by_surface["Hanbit"].name == "Hanbit Group"
    assert by_surface["Hanbit"].type == "organisation"


def test_all_capitals_lines_only_trust_known_names() -> None:
    text = "MOST POPULAR\nSEOUL: Officials met.\nEDITOR'S PICKS"
    got = found(text)
    assert got == {"SEOUL": ("place", "Seoul")}


def test_team_names_before_scores_are_organisations() -> None:
    got = found("Results:\nBarnsley 1 Ipswich 2\nJapan 3 Syria 0")
    assert got["Barnsley"][0] == "organisation"
    assert got["Ipswich"][0] == "organisation"
    assert got["Japan"][0] == "place"  # national sides are places


def test_tokenizer_keeps_abbreviations_and_splits_possessives() -> None:
    assert gazetteer.tokenize("the U.S.-led Korea's Min-koo") == [
        "the", "U.S.", "-", "led", "Korea", "’" if False else "'", "s", "Min-koo"
    ]  # fmt: skip


def test_gazetteer_yaml_is_valid_and_loaded() -> None:
    gaz = gazetteer.get()
    assert gaz.problem is None
    assert gaz.entries[("theater", "high-altitude", "area", "defense")].name == "THAAD"
    assert gaz.entries[("dprk",)].name == "North Korea"


# --- the seed articles ---------------------------------------------------------------------

SEED_PEOPLE = {
    "Chang Wanquan", "Song Young-moo", "Noh Young-min", "Zhang Tuosheng", "Lee Kyu-tae",
    "Han Min-koo", "Park Geun-hye", "Wang Yi", "Kang Kyung-wha", "Moon Jae-in", "Xi Jinping",
    "Kim Jong Un", "Cheng Xiaohe", "Nam Gwan-pyo", "Piao Jianyi", "Zhang Zhihao", "Song Sang-ho",
}  # fmt: skip
SEED_ORGANISATIONS = {
    "Yonhap", "China Foundation for International and Strategic Studies",
    "Catholic Kwandong University", "Lotte", "Hyundai", "Global Times",
    "Renmin University of China", "Chinese Academy of Social Sciences", "Ministry of Defense",
    "Cheong Wa Dae",
}  # fmt: skip
SEED_PLACES = {
    "South Korea", "China", "North Korea", "United States", "Seoul", "Beijing", "Pyongyang",
    "Washington", "Moscow", "Clark", "Philippines", "Stockholm", "Danang", "Vietnam", "Berlin",
    "Japan", "Tokyo", "Russia",
}  # fmt: skip
SEED_OTHER = {"THAAD", "APEC", "G20", "KAMD"}
JUNK = {"Editor", "Now", "MOST POPULAR", "Most Popular", "Analysts", "More", "List", "Home"}


@pytest.fixture(scope="module")
def seed_entities() -> dict[str, str]:
    per_article = {}
    for path in sorted(corpus.default_corpus_dir().glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        per_article[path.stem] = (text, extract(text))
    return {e.name: e.type for e in aggregate(per_article)}


@pytest.mark.parametrize(
    ("names", "kind"),
    [
        (SEED_PEOPLE, "person"),
        (SEED_ORGANISATIONS, "organisation"),
        (SEED_PLACES, "place"),
        (SEED_OTHER, "other"),
    ],
)
def test_seed_entities_have_the_right_type(
    seed_entities: dict[str, str], names: set[str], kind: str
) -> None:
    wrong = {n: seed_entities.get(n) for n in names if seed_entities.get(n) != kind}
    assert wrong == {}


def test_seed_people_hold_no_junk(seed_entities: dict[str, str]) -> None:
    persons = {n for n, t in seed_entities.items() if t == "person"}
    assert not persons & JUNK
    # every person the seeds name is a real name: at least two words, or a resolved short form
    assert {n for n in persons if " " not in n} == set()


def test_variant_spellings_merge_across_articles() -> None:
    a = "President Moon Jae-In spoke."
    b = "President Moon Jae In spoke. Moon Jae In left."
    entities = aggregate({"a": (a, extract(a)), "b": (b, extract(b))})
    moon = [e for e in entities if e.name.startswith("Moon")]
    assert len(moon) == 1
    assert moon[0].articles == ("a", "b")
    assert moon[0].mentions == 3
    assert canonical_map(entities)["Moon Jae-In"] == moon[0].name


def test_aggregate_sorts_by_mentions_and_collects_aliases() -> None:
    text = "The ROK and South Korea are one. Seoul is in South Korea."
    entities = aggregate({"x": (text, extract(text))})
    assert entities[0].name == "South Korea"
    assert entities[0].mentions == 3
    assert set(entities[0].aliases) == {"ROK"}


# -- issue 14: what an analyst expects of the corpus entities -------------------------------


def across(*texts: str) -> dict[str, object]:
    """Aggregate small texts as articles "a", "b", ...; name -> the entity."""
    per_article = {chr(97 + i): (t, extract(t)) for i, t in enumerate(texts)}
    return {e.name: e for e in aggregate(per_article)}


def test_nationality_words_count_toward_their_country() -> None:
    got = across(
        "North Korean troops faced South Korean guards. North Korea denied it.",
        "Syrian refugees and Chinese diplomats arrived. The Libyan envoy stayed.",
    )
    assert {"North Korean", "South Korean", "Syrian", "Chinese", "Libyan"}.isdisjoint(got)
    assert got["North Korea"].type == "place"
    assert got["North Korea"].mentions == 2
    assert got["South Korea"].type == "place"
    assert {got[c].type for c in ("Syria", "China", "Libya")} == {"place"}
    # the nationality word leads to its country, for the reader and the entity filter
    entities = list(got.values())  # type: ignore[arg-type]
    assert canonical_map(entities)["North Korean"] == "North Korea"


def test_religion_and_group_words_are_not_entities() -> None:
    got = across("Muslim leaders and Christian groups criticised Western media in Cairo.")
    assert {"Muslim", "Christian", "Western"}.isdisjoint(got)
    assert "Cairo" in got


def test_demonyms_map_to_one_country_only() -> None:
    gaz = gazetteer.get()
    assert gaz.country_of("Nigerian") == "Nigeria"  # the whole name, not the prefix Niger
    assert gaz.country_of("Iraqis") == "Iraq"
    assert gaz.country_of("North Koreans") == "North Korea"
    assert gaz.country_of("Musudan") is None  # a missile of its own, not a demonym
    assert gaz.country_of("Parisian") is None


def test_a_short_form_joins_the_one_full_name_across_the_corpus() -> None:
    got = across(
        "President Donald Trump spoke. Donald Trump left.",
        "The talks would go on, Trump said.",
    )
    assert "Trump" not in got
    assert got["Donald Trump"].articles == ("a", "b")
    assert got["Donald Trump"].mentions == 3
    assert "Trump" in got["Donald Trump"].aliases


def test_an_ambiguous_short_form_stays_apart() -> None:
    got = across(
        "Leader Kim Jong Un inspected troops.",
        "Founder Kim Il Sung was honoured.",
        "The test worked, Kim said.",
    )
    assert got["Kim"].type == "person"
    assert got["Kim Jong Un"].articles == ("a",)
    assert got["Kim Il Sung"].articles == ("b",)


def test_in_one_article_a_surname_means_the_person_named_most() -> None:
    text = (
        "Kim Jong Un visited a factory. Kim Jong Un smiled. The factory honours his "
        "grandfather Kim Il Sung. Kim said output would rise."
    )
    assert [m.name for m in extract(text) if text[m.start : m.end] == "Kim"] == ["Kim Jong Un"]


def test_titles_are_not_part_of_names() -> None:
    text = (
        "Secretary-designate James Mattis met President-elect Donald Trump and White House "
        "Chief of Staff Reince Priebus, while ex-President Jimmy Carter watched."
    )
    got = found(text)
    assert got["James Mattis"] == ("person", "James Mattis")
    assert got["Reince Priebus"] == ("person", "Reince Priebus")
    assert got["Jimmy Carter"][0] == "person"
    assert not any("Secretary" in s or "Staff" in s or "elect" in s for s in got)


def test_a_title_before_ordinary_words_makes_no_person() -> None:
    got = found("He ran the ministries of State Security and of Public Works.")
    assert not any(kind == "person" for kind, _ in got.values())


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("The North fired a KN-17 into the sea.", "KN-17"),
        ("Engineers tested the Hwasong-14 again.", "Hwasong-14"),
        ("The USS Zumwalt sailed north.", "USS Zumwalt"),
        ("It fired a Pukkang missile at dawn.", "Pukkang"),
        ("The intermediate-range Musudan flew 400 km.", "Musudan"),
        ("The carrier USS Carl Vinson headed to the peninsula.", "USS Carl Vinson"),
        ("Blackhawk and Chinook helicopters flew.", "Blackhawk"),
        ("They built more ICBMs last year.", "ICBMs"),
    ],
)
def test_weapons_ships_and_programmes_are_systems(text: str, surface: str) -> None:
    assert found(text)[surface][0] == "other"


def test_sites_and_regions_are_places_and_compass_words_are_not_names() -> None:
    got = found(
        "The launch came from the coastal town of Chaho in North Hamgyong. The North "
        "said the South would pay. Punggye-ri and Sinpo were quiet."
    )
    assert got["Chaho"][0] == "place"
    assert got["North Hamgyong"][0] == "place"
    assert got["Punggye-ri"][0] == "place"
    assert got["Sinpo"][0] == "place"
    assert "North" not in got and "South" not in got


def test_multi_word_organisations_keep_their_words() -> None:
    text = (
        "South Korea's Joint Chiefs of Staff said the General Staff of the army met. "
        "The Workers' Party congress opened. The Planning and Budget Office paid. "
        "Ships sailed in the Sea of Japan."
    )
    got = found(text)
    assert got["Joint Chiefs of Staff"][0] == "organisation"
    assert got["General Staff"][0] == "organisation"
    assert got["Workers' Party"][0] == "organisation"
    assert got["Planning and Budget Office"][0] == "organisation"
    assert got["Sea of Japan"][0] == "place"
    assert "Staff" not in got


def test_an_acronym_names_the_organisation_spelled_out_in_the_text() -> None:
    text = "The Pacific Fisheries Council met. The PFC said quotas would fall."
    got = found(text)
    assert got["PFC"] == ("organisation", "Pacific Fisheries Council")


@pytest.mark.parametrize(
    "credit",
    [
        "(Reporting by Jane Doyle; Editing by Mark Heinrich )",
        "(Additional reporting by Min-ji Seo in SEOUL; Writing by Tom Brannagh)",
        "Reporting by Jane Doyle and Min-ji Seo; Editing by Mark Heinrich",
        "CNN's Jane Doyle, Mark Heinrich and Tom Brannagh contributed to this report",
        "___ AP writers Jane Doyle and Mark T. Heinrich in Washington contributed to this story.",
        "Write to Jane Doyle at jane.doyle@example.com",
        "Follow Jane Doyle on Twitter: http://www.twitter.com/jdoyle",
        "• Contact Jane Doyle on Twitter at @JaneDoyle.",
        "Copyright © 2017 Jane Doyle Media, LLC. Click here for reprint permission.",
    ],
)
def test_credit_line_people_are_authors_not_people_in_the_story(credit: str) -> None:
    text = f"Defense Minister Han Min-koo said the drills would go on. {credit}"
    assert people(extract(text)) == {"Han Min-koo"}


def test_chrome_and_contractions_are_not_entities() -> None:
    got = found("Updated July 6, 2016 3:46 p.m. ET\n“We’ve made the judgment,” he said.")
    assert got == {}


def test_a_name_before_a_hyphenated_suffix_stands_alone() -> None:
    got = found("The ISIS-linked cell and Brazilian-born Luis Oliveira were named.")
    assert got["ISIS"][0] == "organisation"
    assert got["Luis Oliveira"] == ("person", "Luis Oliveira")  # a city's name is a surname too
    assert got["Brazilian"][0] == "other"


def test_a_title_inside_a_run_splits_organisation_and_person() -> None:
    got = found("He said Navy Captain Jeff Davis agreed with former CIA Director Ann Wells.")
    assert got["Jeff Davis"] == ("person", "Jeff Davis")
    assert got["Ann Wells"] == ("person", "Ann Wells")
    assert got["CIA"][0] == "organisation"


def test_company_names_keep_first_and_their_full_stop() -> None:
    text = "Shares of First Albany Corp. rose, said analysts at Norwest Corp. in Ohio."
    got = found(text)
    assert got["First Albany Corp."][0] == "organisation"
    assert got["Norwest Corp."][0] == "organisation"


def test_name_particles_are_not_cities() -> None:
    got = found("The flanker Joost van der Westhuizen and Van Gaal met in Amsterdam.")
    assert "Van" not in got or got["Van"][0] != "place"
    assert all(kind != "place" for s, (kind, _) in got.items() if "Van" in s or "van" in s)


def test_rivers_mountains_islands_are_places_and_agreements_are_other() -> None:
    got = found(
        "Troops crossed the Tumen River near Mount Kwanmo and Taeyonphyong Island. "
        "The Free Trade Agreement stalled."
    )
    assert got["Tumen River"][0] == "place"
    assert got["Mount Kwanmo"][0] == "place"
    assert got["Taeyonphyong Island"][0] == "place"
    assert got["Free Trade Agreement"][0] == "other"


def test_hyphenated_ordinary_words_and_roman_numerals_are_not_names() -> None:
    got = found("The North-South talks and the Six-nation forum met. Chapter III followed.")
    assert got == {}


def test_and_between_two_organisations_splits_them() -> None:
    got = found(
        "Officers of the Navy and Air Force trained with the Propaganda and Agitation Department."
    )
    assert got["Air Force"][0] == "organisation"
    assert "Navy and Air Force" not in got
    assert got["Propaganda and Agitation Department"][0] == "organisation"


def test_the_last_word_of_a_system_names_it_later_in_the_text() -> None:
    text = "The USS Carl Vinson sailed north. Crews on the Vinson were ready."
    assert [m.name for m in extract(text)] == ["USS Carl Vinson", "USS Carl Vinson"]


def test_state_abbreviations_are_places_with_their_full_stop() -> None:
    text = "He flew to Palm Beach, Fla., on Friday."
    got = found(text)
    assert got["Fla."] == ("place", "Florida")


def test_party_adjectives_are_no_entities_and_party_names_are_organisations() -> None:
    got = across("Republican senators said Republicans would block it, and Democrats agreed.")
    assert "Republican" not in got
    assert got["Republican Party"].type == "organisation"
    assert got["Democratic Party"].type == "organisation"


def test_a_country_name_before_an_organisation_is_not_part_of_it() -> None:
    got = across(
        "The U.S. Pacific Command said so.",
        "The Pacific Command agreed. The Chinese Foreign Ministry objected.",
    )
    assert "U.S. Pacific Command" not in got
    assert got["Pacific Command"].articles == ("a", "b")
    assert "Chinese Foreign Ministry" in got  # a nationality word tells which ministry


def test_photo_credits_and_party_seats_are_not_entities() -> None:
    text = (
        "Kim inspected a plant in Hamhung. (Kns/AGENCE FRANCE-PRESSE VIA GETTY IMAGES)\n"
        "Sen. Rand Paul (R-Ky.) objected. An UNHA III rocket stood by."
    )
    got = found(text)
    assert "Kns" not in got and "R-Ky" not in got and "III" not in got
    assert got["Rand Paul"][0] == "person"


def test_a_base_or_station_is_a_place_even_with_an_organisation_word() -> None:
    got = found("They flew from Vandenberg Air Force Base to the Seoul Railway Station.")
    assert got["Vandenberg Air Force Base"][0] == "place"
    assert got["Seoul Railway Station"][0] == "place"


def test_a_surname_alone_is_the_person_not_a_roman_numeral_or_a_city() -> None:
    text = "President Xi Jinping met Barack Obama. But Xi offered no sign, Obama said."
    got = {(text[m.start : m.end], m.type, m.name) for m in extract(text)}
    assert ("Xi", "person", "Xi Jinping") in got
    assert ("Obama", "person", "Barack Obama") in got


def test_a_capitalised_subheading_run_into_the_text_holds_no_entities() -> None:
    text = "SITE IDENTIFIED The Pentagon said so. CLIMATE ACCORD Trump said it in Sansha City."
    got = found(text)
    assert set(got) == {"Pentagon", "Trump", "Sansha City"}
    assert got["Sansha City"][0] == "place"


def test_two_surnames_joined_by_a_hyphen_are_two_people() -> None:
    text = (
        "Donald Trump met Xi Jinping. The Trump-Xi summit ended; Marine Corps Gen. Ann Wells left."
    )
    got = {(text[m.start : m.end], m.name) for m in extract(text)}
    assert ("Trump", "Donald Trump") in got and ("Xi", "Xi Jinping") in got
    assert ("Marine Corps", "Marine Corps") in got and ("Ann Wells", "Ann Wells") in got


def test_a_name_ending_like_a_demonym_is_no_nationality() -> None:
    got = found("Pope Francis met Louis Dennis. Iraqis and Syrians waited.")
    assert got["Francis"][0] == "person"
    assert got["Iraqis"][0] == "other" and got["Syrians"][0] == "other"


def test_contractions_are_not_names() -> None:
    assert found("“Couldn’t we wait?” he asked. “Shouldn't we?”") == {}


def test_the_copyright_notice_names_no_entity_of_the_story() -> None:
    text = "Officials met in Seoul. Copyright © 2017 The Daily Courier, LLC. Click here."
    assert set(found(text)) == {"Seoul"}


def test_and_before_a_known_name_or_acronym_ends_an_organisation() -> None:
    got = found("The European Union and North Korea met, as did the State Department and USAID.")
    assert set(got) == {"European Union", "North Korea", "State Department", "USAID"}


def test_an_organisation_word_before_a_known_system_is_not_part_of_it() -> None:
    got = found("Ships fired a Navy Tomahawk. House Speaker Paul D. Ryan spoke.")
    assert got["Tomahawk"][0] == "other"
    assert got["Paul D. Ryan"] == ("person", "Paul D. Ryan")


def test_numbered_nouns_are_not_teams() -> None:
    got = found("It filed for Chapter 11 protection on Day 83 under Article 50.")
    assert got == {}


def test_events_are_other_and_tour_companies_are_organisations() -> None:
    got = found("He won the Hong Kong Open before the World Cup, said Lakeside Pioneer Tours.")
    assert got["Hong Kong Open"][0] == "other"
    assert got["World Cup"][0] == "other"
    assert got["Lakeside Pioneer Tours"][0] == "organisation"


def test_atolls_are_places_prizes_are_other_and_panels_are_organisations() -> None:
    got = found("The Panel of Experts met near Kwajalein Atoll after the Nobel Peace Prize.")
    assert got["Panel of Experts"][0] == "organisation"
    assert got["Kwajalein Atoll"][0] == "place"
    assert got["Nobel Peace Prize"][0] == "other"


def test_gates_shrines_and_sites_are_places() -> None:
    got = found("Crowds met at the Brandenburg Gate, the Grand Shrine and the Savannah River Site.")
    assert {got[s][0] for s in ("Brandenburg Gate", "Grand Shrine", "Savannah River Site")} == {
        "place"
    }


def test_a_title_sequence_before_a_name_leaves_only_the_name() -> None:
    got = found("Deputy National Security Adviser K.T. McFarland spoke in Puget Sound.")
    assert set(got) == {"K.T. McFarland", "Puget Sound"}
    assert got["Puget Sound"][0] == "place"


def test_credit_sentences_with_initials_name_no_people() -> None:
    text = (
        "Defense Minister Han Min-koo spoke.\nAssociated Press writers Edith M. Lederer at "
        "the United Nations and Lolita C. Baldor in Washington contributed to this report."
    )
    assert people(extract(text)) == {"Han Min-koo"}


def test_the_peninsula_is_one_place_and_korean_alone_names_no_country() -> None:
    got = across(
        "Tension on the Korean peninsula rose between the two Koreas, a Korean-American said."
    )
    assert got["Korean Peninsula"].mentions == 2
    assert {"Korean", "Korea"}.isdisjoint(got)


def test_aggregation_needs_only_the_light_gazetteer() -> None:
    light = gazetteer.build(full=False)
    full = gazetteer.get()
    for word in ("North Korean", "Syrians", "Libyan", "Nigerian", "Indian", "Musudan", "Francis"):
        assert light.country_of(word) == full.country_of(word)
    assert light.groups == full.groups
    assert len(light.entries) < len(full.entries) / 10  # no cities
