"""Quote extraction on small strings, one construction per test (index/analysis/quotes.py)."""

from __future__ import annotations

from index.analysis import entities
from index.analysis.quotes import Quote, extract_quotes
from index.models import Article


def quotes_of(*paragraphs: str) -> list[Quote]:
    article = Article(id="a1", title="t", paragraphs=paragraphs)
    return extract_quotes(article, entities.extract(article.text))


def test_curly_direct_quote_with_trailing_attribution():
    (q,) = quotes_of(
        "“We will respond firmly to any provocation,” Park Geun-hye told a news conference."
    )
    assert q.kind == "direct"
    assert q.text.startswith("We will respond firmly")
    assert q.speaker == "Park Geun-hye" and q.resolved
    assert q.verb == "told"
    assert q.paragraph == 1


def test_straight_quotes_and_inverted_attribution_with_title():
    (q,) = quotes_of('"The system is purely defensive," said Defense Minister Han Min-koo.')
    assert q.kind == "direct"
    assert q.speaker == "Han Min-koo"


def test_quote_spanning_sentences_is_one_quote():
    (q,) = quotes_of(
        "“China opposes the deployment. It harms our security interests. We urge restraint,” "
        "Hua Chunying said."
    )
    assert q.text.startswith("China opposes") and q.text.endswith("We urge restraint,")
    assert q.speaker == "Hua Chunying"


def test_quote_spanning_paragraphs_runs_on_when_next_paragraph_opens_with_a_mark():
    found = quotes_of(
        "Hua Chunying said on Monday:",
        "“China firmly opposes the deployment of the system in South Korea.",
        "“We urge the parties concerned to stop the deployment.”",
    )
    direct = [q for q in found if q.kind == "direct"]
    assert len(direct) == 1
    (q,) = direct
    assert q.paragraph == 2
    assert "stop the deployment" in q.text
    assert q.speaker == "Hua Chunying"


def test_pronoun_resolves_to_the_person_named_before():
    found = quotes_of(
        "Sung Kim met his counterparts in Seoul on Wednesday.",
        '"We cannot take a business as usual approach to this provocation," he said.',
    )
    assert [(q.kind, q.speaker) for q in found] == [("direct", "Sung Kim")]


def test_unattributed_quote_belongs_to_the_previous_speaker():
    found = quotes_of(
        "“The weapons are easily defended by the strike group,” Harry Harris said. “If it "
        "flies it will die, if it flies against the strike group.”"
    )
    assert [q.speaker for q in found] == ["Harry Harris", "Harry Harris"]


def test_short_quoted_words_inside_a_sentence_are_not_a_quote():
    found = quotes_of(
        'North Korea said it had detained a student for a "hostile act" against the state.'
    )
    assert [(q.kind, q.text[:15]) for q in found] == [("reported", "it had detained")]


def test_reported_speech_said_that():
    (q,) = quotes_of("Rex Tillerson said that all options were on the table for North Korea.")
    assert q.kind == "reported"
    assert q.text.startswith("all options were")
    assert q.speaker == "Rex Tillerson" and q.verb == "said"


def test_reported_speech_told_reporters_with_a_day():
    (q,) = quotes_of(
        "Susan Rice told reporters on Monday she expects China to support new sanctions."
    )
    assert q.kind == "reported" and q.verb == "told"
    assert q.text.startswith("she expects China")
    assert q.speaker == "Susan Rice"


def test_reported_speech_with_trailing_attribution():
    (q,) = quotes_of(
        "The missile flew about 500 km before it fell into the sea, the Joint Chiefs of Staff said."
    )
    assert q.text.startswith("The missile flew")
    assert q.speaker == "Joint Chiefs of Staff"


def test_reported_speech_with_inverted_trailing_attribution():
    (q,) = quotes_of("China has refused coal shipments from the North, reported Bloomberg.")
    assert q.text.startswith("China has refused") and q.speaker == "Bloomberg"


def test_according_to_names_the_source():
    (q,) = quotes_of(
        "According to Yonhap, the launch took place near Sinpo early on Saturday morning."
    )
    assert q.verb == "according to"
    assert q.text.startswith("the launch took place")
    assert q.speaker == "Yonhap"


def test_possessive_spokesman_names_the_institution():
    (q,) = quotes_of(
        "The Chinese Foreign Ministry's spokesman said the deployment harmed regional stability."
    )
    assert q.speaker == "Chinese Foreign Ministry"
    assert q.text.startswith("the deployment harmed")


def test_indefinite_role_is_kept_as_the_role():
    (q,) = quotes_of(
        "A senior defense official, speaking on condition of anonymity, said the launch "
        "appeared to have failed."
    )
    assert q.speaker == "A senior defense official" and not q.resolved


def test_definite_role_resolves_to_the_named_speaker():
    found = quotes_of(
        "The top U.S. commander in the Pacific, Admiral Harry Harris, said more interceptors "
        "were needed. The admiral said the Carl Vinson group could defend itself easily."
    )
    assert [q.speaker for q in found] == ["Harry Harris", "Harry Harris"]


def test_conjoined_verb_takes_the_sentence_subject():
    (q,) = quotes_of(
        "The U.S. special envoy, Sung Kim, met his counterparts in Seoul and said they had "
        "agreed on new sanctions."
    )
    assert q.speaker == "Sung Kim" and q.text.startswith("they had agreed")


def test_relative_clause_after_say_is_not_a_statement():
    assert quotes_of("The drills that Seoul and Washington say are defensive began.") == []


def test_offsets_point_into_the_article_text():
    article = Article(
        id="a2",
        title="t",
        paragraphs=("Intro line.", "Hua Chunying said China opposed the deployment firmly."),
    )
    (q,) = extract_quotes(article, entities.extract(article.text))
    assert article.text[q.start : q.end].strip() == q.text
    assert q.paragraph == 2
    assert q.sentence.startswith("Hua Chunying said")


def test_listed_speakers_name_the_first():
    (q,) = quotes_of(
        "The United States, Japan and South Korea said Sunday's launch was a missile test."
    )
    assert q.speaker == "United States" and q.text.startswith("Sunday's launch")


def test_participle_before_a_quote_takes_the_sentence_subject():
    found = quotes_of(
        "Sean Spicer said the White House was aware of the launch.",
        "Donald Trump reserved his comment for Twitter, writing on the site: “North Korea "
        "disrespected the wishes of China. Bad!”",
    )
    assert [(q.kind, q.speaker) for q in found] == [
        ("reported", "Sean Spicer"),
        ("direct", "Donald Trump"),
    ]


def test_apposition_between_speaker_and_verb():
    (q,) = quotes_of(
        "Eswar Prasad, a professor of trade at Cornell University, said it was striking "
        "that a president would comment on the dollar."
    )
    assert q.speaker == "Eswar Prasad" and q.text.startswith("it was striking")


def test_clause_after_a_prepositional_phrase_and_that():
    (q,) = quotes_of(
        "South Korea said after the North's announcement that its priority was the safe "
        "return of its people."
    )
    assert q.text.startswith("its priority was") and q.speaker == "South Korea"


def test_institution_of_a_place_is_a_role():
    (q,) = quotes_of("South Korea’s military said Friday afternoon that the missile broke up.")
    assert q.speaker == "South Korea’s military" and q.text.startswith("the missile broke")


def test_a_name_the_entities_missed_is_kept_as_written():
    (q,) = quotes_of("Plover said the talks would resume next week in Geneva.")
    assert (q.speaker, q.resolved) == ("Plover", False)


def test_he_after_an_unnamed_official_is_that_official():
    found = quotes_of(
        "Han Min-koo met Chang Wanquan in Seoul.",
        "“The Chinese side conveyed their worries,” a senior Seoul defense official told "
        "reporters.",
        "“No decision has been made by the U.S.,” he said, declining to be named.",
    )
    assert [q.speaker for q in found] == ["a senior Seoul defense official"] * 2


def test_an_unnamed_official_opening_the_sentence_is_the_speaker_of_and_said():
    found = quotes_of(
        "A South Korean foreign ministry official declined to respond to Trump's comments but "
        "said the allies were committed to denuclearization.",
        '"North Korea must cease threats and provocations," the official said by telephone.',
    )
    assert [q.speaker for q in found] == ["A South Korean foreign ministry official"] * 2


def test_a_description_opening_the_sentence_is_the_person_named_before():
    found = quotes_of(
        "Donald Trump said he would talk to Kim Jong Un.",
        "The presumptive Republican nominee declined to share details of his plans for North "
        "Korea, but said he was open to talking to its leader.",
    )
    assert [q.speaker for q in found] == ["Donald Trump", "Donald Trump"]
