"""Word lists behind the entity rules: titles, organisation cues, function words.

All lower case. Written by hand from general English usage; none of it comes from an evaluation
set.
"""

from __future__ import annotations

from index.analysis.entities.gazetteer import demonym_stems


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that, directly before a capitalised name, make it a person ("Defense Minister Han",
# "spokesman Lu Kang", "Gen. Chang"). Capitalised ones inside a name run are stripped off.
TITLES = _words(
    """
    president vice prime minister ministers secretary chancellor premier king queen prince princess
    emperor sheikh pope cardinal bishop archbishop rev reverend father sister brother
    mr mrs ms miss dr prof professor sir lord lady dame
    gen general lt lieutenant col colonel maj major capt captain cmdr commander adm admiral sgt
    sergeant cpl corporal marshal brig brigadier gov governor sen senator rep representative
    congressman congresswoman mayor judge justice ambassador envoy chairman chairwoman chair
    speaker whip
    chief director spokesman spokeswoman spokesperson councillor councilor counsellor
    state foreign defense defence finance trade interior justice unification deputy acting
    former late leader coach manager striker midfielder defender goalkeeper captain skipper
    officer adviser advisor aide analyst economist professor researcher expert veteran
    chief executive ceo cfo coo founder owner editor correspondent columnist
    """
)

# Titles that are written with a full stop: "Gen. Chang Wanquan", "Mr. Lee".
ABBREVIATED_TITLES = _words(
    "mr mrs ms dr gen lt col maj capt cmdr adm sgt cpl brig gov sen rep rev prof sr jr st"
)

# A run containing one of these is an organisation ("Renmin University of China").
ORG_CUES = _words(
    """
    ministry ministries department agency agencies office bureau commission committee council
    university college institute institution academy school foundation centre center association
    federation union league society organisation organization corporation company companies
    group holdings partners bank banks fund trust exchange authority board court parliament
    assembly congress senate cabinet government administration army navy force forces corps
    command police party parties front movement alliance coalition club clubs fc team
    news newspaper times post herald daily journal tribune gazette press television tv radio
    broadcasting airlines airways motors motor electronics industries industry telecom energy
    petroleum oil steel securities insurance capital investments services systems technologies
    inc incorporated corp co ltd plc llc ag sa nv gmbh bhd spa embassy consulate
    initiative lab labs laboratory laboratories network program programme band tour tours
    panel banco banque banca
    """
)

# Titles that are also ordinary adjectives or nouns ("State Security", "Deputy Director"): after
# only these, a name made of dictionary words is no person ("the ministries of State Security").
WEAK_TITLES = _words(
    """
    state foreign defense defence finance trade interior justice unification deputy acting
    former late general chief leader director chair officer expert veteran
    """
)

# Second halves of hyphenated titles: "Secretary-designate", "President-elect", "ex-President".
TITLE_AFFIXES = frozenset({"designate", "elect", "ex", "then", "general", "in", "chief"})

# After a capitalised name, these make it a system, weapon, ship or programme (type other):
# "the Musudan missile", "a Hwasong-12 rocket", "the Kwangmyongsong satellite".
SYSTEM_CUES = _words(
    """
    missile missiles rocket rockets satellite satellites warhead warheads launcher launchers
    interceptor interceptors bomber bombers drone drones destroyer destroyers submarine
    submarines warship warships carrier jet jets fighter fighters aircraft radar radars engine
    helicopter helicopters tank tanks
    """
)

# After a hyphen these make the part before it a name of its own: "China-based", "ISIS-linked".
HYPHEN_SUFFIXES = _words(
    """
    based led linked backed born made owned run funded allied affiliated controlled friendly
    inspired brokered sponsored bound dominated held style era registered listed designed
    built ruled governed occupied administered flagged
    """
)

# Abbreviations that keep their full stop inside an organisation's name: "Norwest Corp.".
DOTTED_ENDINGS = frozenset({"corp", "inc", "co", "ltd", "bros", "plc"})

# Words in the stop list that begin names when written with a capital mid-sentence:
# "First Albany Corp.", "New Democratic Party".
NAME_STARTERS = frozenset({"first", "new"})

# Nouns a number follows in ordinary prose, not a team's score: "Chapter 11", "Article 50".
NUMBERED_NOUNS = _words(
    "chapter article section clause office day week phase stage room gate route highway flight "
    "unit building floor part title paragraph resolution amendment"
)

# Ship prefixes: "USS Carl Vinson", "HMS Queen Elizabeth".
SHIP_PREFIXES = frozenset({"uss", "hms", "usns", "ins", "hmas", "hmcs"})

# Before "of" and a name, these make it a place: "the coastal town of Sinpo".
PLACE_NOUNS = _words("town city village port county province district region island capital")

# The last word of a place's name: "Yalu River", "Taeyonphyong Island", "Korea Strait".
PLACE_SUFFIXES = _words(
    "river rivers island islands islet mountain mountains lake sea ocean strait straits bay "
    "peninsula valley desert canal gulf coast highlands plateau station airport airbase base "
    "palace garden gardens square bridge dam city atoll gate shrine temple site sound"
)
# The first word of a place's name: "Mount Paektu", "Lake Baikal".
PLACE_PREFIXES = _words("mount mt lake cape fort")

# The last word of a treaty's, law's or agreement's name (type other): "Free Trade Agreement".
TREATY_SUFFIXES = _words("agreement treaty accord accords pact act convention protocol")

# The last word of an event's name (type other): "Hong Kong Open", "World Cup", "Asian Games".
EVENT_SUFFIXES = _words(
    "open cup championship championships games tournament trophy prix marathon olympics "
    "festival expo summit prize award medal"
)

# Roman numerals in capitals: "World War III" is a name, a lone "III" or "IV" is not ("Xi" is).
ROMAN = _words("ii iii iv vi vii viii ix xi xii")

# "North Pyongan", "South Hamgyong": a compass word and an unknown name is a region.
COMPASS = _words("north south east west northern southern eastern western")

# Connectors allowed inside an organisation's name ("Bank of Korea", "Centre for ... Studies").
ORG_CONNECTORS = frozenset({"of", "for", "and", "&", "on", "the", "de", "du", "des"})

# Particles inside personal names ("Ludwig van Beethoven", "Charles de Gaulle").
NAME_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "del", "bin", "al", "le"})

# Verbs that follow or precede a speaker: "Zhang said", "said Lee Kyu-tae".
SPEECH_VERBS = _words(
    "said says told added noted stressed warned explained asked replied wrote argued"
)

# Prepositions that, before a lone unknown capitalised word, suggest a place.
PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "from", "to", "outside", "across", "via"})

MONTHS = _words(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    # the same in languages whose outlets publish in English too (dates in page chrome)
    "januar januari februar februari maret mars mai mei juni juli agustus oktober "
    "dezember desember"
)
TIME_ZONES = _words("gmt utc bst cet cest est edt pst pdt kst jst wib hkt sgt et pt ct")
WEEKDAYS = _words(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs "
    "fri sat sun"
)

DATES = MONTHS | WEEKDAYS

# Never entities, whatever their case: function words, calendar words, outlet chrome.
STOPWORDS = (
    _words(
        """
        a an the this that these those there here it its he she his her him they them their we our
        us you your i me my who whom whose which what when where why how whether if then than
        and or but nor so yet for of in on at by to from with without within into onto over under
        after before during since until while as about above below between among against through
        is are was were be been being has have had do does did will would shall should can could
        may might must not no yes all any each every some many most more much few other such both
        either neither one two three four five six seven eight nine ten first second third last
        next new also only just even still now today yesterday tomorrow tonight however meanwhile
        although though because despite unlike like according following asked
        mr mrs ms editor editors updated published posted source sources photo photos file
        home news more read most popular related click share comments advertisement
        """
    )
    | MONTHS
    | WEEKDAYS
    | TIME_ZONES
)


_INFLECTIONS = (
    ("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
    ("ier", "y"), ("er", ""), ("iest", "y"), ("est", ""),
)  # fmt: skip


def is_demonym(word: str, stems: dict[str, str]) -> bool:
    """True if ``word`` (lower case) looks like a nationality formed from a known country."""
    return bool(demonym_stems(word, stems))


# The answers for one dictionary: (the dictionary, word -> answer). Keyed by the dictionary's
# identity: an lru_cache keyed on the frozenset itself compared a second, equal dictionary (the
# gazetteer read back from its saved file) with the first one on every lookup, 210,770 words
# each time, which made entity extraction 290 times slower (a 1 MB article: 0.15 s -> 43 s).
_answers: tuple[frozenset[str], dict[str, bool]] = (frozenset(), {})
MAX_ANSWERS = 65536


def is_common(word: str, common: frozenset[str]) -> bool:
    """True if ``word`` (lower case) is a dictionary word, allowing regular inflections."""
    global _answers
    owner, answers = _answers  # one read: another thread may replace it
    if owner is not common:
        answers = {}
        _answers = (common, answers)
    found = answers.get(word)
    if found is None:
        if len(answers) >= MAX_ANSWERS:
            answers.clear()
        found = answers[word] = _is_common(word, common)
    return found


def _is_common(word: str, common: frozenset[str]) -> bool:
    if word in common or word in STOPWORDS:
        return True
    if "-" in word:  # "six-nation", "north-south": ordinary if every part is
        return all(is_common(part, common) or part in COMPASS for part in word.split("-") if part)
    for mark in "'’":
        if mark in word:  # contractions: "we've", "don't", "it’s", "couldn't"
            base = word.split(mark, 1)[0]
            base = base[:-1] if word.endswith(f"n{mark}t") else base
            return base in STOPWORDS or base in common
    for suffix, repl in _INFLECTIONS:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)] + repl
            if stem in common:
                return True
            doubled = suffix in ("ed", "ing") and len(stem) > 3 and stem[-1] == stem[-2]
            if doubled and stem[:-1] in common:  # "planned", "shipping"
                return True
            if suffix == "ing" and stem + "e" in common:  # "making"
                return True
    return word.endswith("ly") and word[:-2] in common
