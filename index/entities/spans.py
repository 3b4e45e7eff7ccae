"""Find entity mentions in one text: tokens, capitalised runs, rules, then a document pass.

The pipeline, in order:

1. Tokenise (:data:`index.gazetteer.TOKEN`); mark sentence starts and all-capitals lines
   (headlines, datelines, outlet chrome), where only gazetteer names are trusted.
2. Group capitalised tokens into runs, joining "of/for/and" only inside organisation names and
   name particles ("de", "van") only inside personal names.
3. Classify each run: gazetteer, title + name => person, organisation cue words, first names,
   Korean given names ("Min-koo"), speech verbs ("said X"), then split what is left around
   gazetteer names and guess (acronym => organisation, two or three words => person).
4. Document pass (:mod:`index.entities.resolve`): short forms take the full name seen earlier
   ("Chang" => Chang Wanquan, "Lotte" => Lotte Group), weak guesses take the type the same
   string has elsewhere, and sentence-initial words survive only if the document vouches for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index import gazetteer
from index.entities import rules
from index.entities.resolve import Candidate, resolve
from index.models import Mention

_KOREAN_GIVEN = re.compile(r"[A-Z][a-z]+-[A-Za-z][a-z]+$")
_GLUED = re.compile(r"([A-Z]{2,})[A-Z][a-z]{2,}$")  # "USThanksgiving", not "ICBMs"
_PARTY_SEAT = re.compile(r"[RDI]-[A-Z][a-z]*$")
# Model designations of weapons and aircraft: "KN-17", "Hwasong-14", "DF-21D", "F-35", "S-400".
_DESIGNATION = re.compile(r"[A-Z][A-Za-z]{0,9}-\d{1,4}[A-Z]?$")
# Credit lines name the authors, not people in the story: Reuters "(Reporting by X; Editing by
# Y)", "Additional reporting by", CNN "X, Y and Z contributed to this report", WSJ "Write to X
# at", "Follow X on Twitter", "Contact X on Twitter at @x". Each match ends the credit span.
_CREDITS = re.compile(
    r"\((?:[^()]{0,40}\b)?(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled|[Pp]roduced)"
    r" by [^()]*\)"
    r"|\b(?:(?:Additional|Further|Other) )?(?:[Rr]eporting|Writing|Editing|Compiled|Produced)"
    r" by [^\n.]*"
    r"|(?:^|(?<=[.!?”\"]\s)|(?<=\n))[^.!?\n]{0,200}\bcontributed (?:to this report|reporting)"
    r"|\([^()\n]{0,80}?(?:Getty Images|GETTY IMAGES|Photo:|PHOTO:|/AFP|/AP|/Reuters)[^()\n]*\)"
    r"|\b(?:Write to|Follow|Contact|Email|E-mail) [^.\n]{0,80}?"
    r"(?: on Twitter| and Twitter| at [\w.+-]+@[\w.-]+\w|(?= at @))[^.\n]*"
)
_DATE = re.compile(r"(?:1[89]|20)\d\d(?:-\d\d-\d\d)?$")
_SENTENCE_END = frozenset({".", "!", "?", ":", ";", "•", "|"})
_OPENERS = frozenset({"“", '"', "‘", "'", "(", "[", "-", "—", "–", "«"})


@dataclass(slots=True)
class _Doc:
    """The tokens of one text and what the rules ask about each of them."""

    text: str
    starts: list[int]
    ends: list[int]
    words: list[str]
    lowers: list[str]
    caps: list[bool]  # begins with an upper-case letter
    initial: list[bool]  # first word of a sentence
    shout: list[bool]  # on an all-capitals line


def _tokens(text: str, gaz: gazetteer.Gazetteer) -> tuple[list[int], list[int], list[str]]:
    starts: list[int] = []
    ends: list[int] = []
    words: list[str] = []
    entries = gaz.entries
    for m in gazetteer.TOKEN.finditer(text):
        word = m.group()
        start = m.start()
        # "Korea-China relations": split a hyphenated pair of names, but keep "Gwan-Pyo".
        if "-" in word and word[0].isupper() and (word.lower(),) not in entries:
            parts = word.split("-")
            if parts[-1] in rules.HYPHEN_SUFFIXES or any(
                _splits_off(entries.get((p.lower(),))) for p in parts if p[:1].isupper()
            ):
                for part in parts:
                    if part:
                        starts.append(start)
                        ends.append(start + len(part))
                        words.append(part)
                    start += len(part) + 1
                continue
        glued = _GLUED.match(word)
        if glued:  # scraping artefacts: "the USThanksgiving holiday"
            cut = glued.end(1)
            starts += [start, start + cut]
            ends += [start + cut, m.end()]
            words += [word[:cut], word[cut:]]
            continue
        starts.append(start)
        ends.append(m.end())
        words.append(word)
    return starts, ends, words


def _splits_off(entry: gazetteer.Entry | None) -> bool:
    """Whether a known name inside a hyphenated word stands alone ("US-developed")."""
    return entry is not None and entry.rank <= gazetteer.RANK_STATE and entry.type != "person"


def _scan(text: str, gaz: gazetteer.Gazetteer) -> _Doc:
    starts, ends, words = _tokens(text, gaz)
    n = len(words)
    lowers = [w.lower().replace("’", "'") for w in words]  # "People’s" as "People's"
    caps = [w[0].isupper() for w in words]
    initial = [False] * n
    shout = [False] * n
    line_start = 0
    line_has_lower = False
    line_has_alpha = False
    boundary = True
    for i in range(n):
        if i and "\n" in text[ends[i - 1] : starts[i]]:
            _close_line(shout, line_start, i, line_has_alpha and not line_has_lower)
            line_start, line_has_lower, line_has_alpha, boundary = i, False, False, True
        w = words[i]
        if w.isalpha() or w[0].isalpha():
            line_has_alpha = True
            if not line_has_lower and any(c.islower() for c in w):
                line_has_lower = True
        if w in _OPENERS:
            continue  # an opening quote keeps the sentence start for the word after it
        initial[i] = boundary
        boundary = w in _SENTENCE_END and not _abbreviation_before(words, lowers, i)
    _close_line(shout, line_start, n, line_has_alpha and not line_has_lower)
    return _Doc(text, starts, ends, words, lowers, caps, initial, shout)


def _close_line(shout: list[bool], start: int, end: int, is_shout: bool) -> None:
    if is_shout:
        for k in range(start, end):
            shout[k] = True


def _abbreviation_before(words: list[str], lowers: list[str], i: int) -> bool:
    """A full stop after "Gen", "Mr" or an initial ("W.") does not end the sentence."""
    if words[i] != "." or i == 0:
        return False
    before = words[i - 1]
    return lowers[i - 1] in rules.ABBREVIATED_TITLES or (len(before) == 1 and before.isupper())


def extract(text: str) -> list[Mention]:
    """Entity mentions in ``text``, in order, with character offsets into ``text``.

    Types are ``person``, ``organisation``, ``place`` or ``other`` (THAAD, nationalities...).
    ``name`` is the canonical name: the gazetteer's, the full name a short form stands for, or
    the surface text.
    """
    if not text:
        return []
    gaz = gazetteer.get()
    doc = _scan(text, gaz)
    candidates: list[Candidate] = []
    i, n = 0, len(doc.words)
    while i < n:
        if not doc.caps[i] or not doc.words[i][0].isalpha() or _handle(doc, i):
            i += 1
            continue
        if doc.shout[i]:
            i = _shouted(doc, gaz, i, candidates)
            continue
        if (
            doc.lowers[i] in rules.STOPWORDS
            and not _gaz_len(doc, gaz, i)
            and not _starts_name(doc, i)
        ):
            i += 1
            continue
        end = _run_end(doc, gaz, i)
        _classify(doc, gaz, i, end, candidates)
        i = end
    _scores(doc, candidates)
    credits = [m.span() for m in _CREDITS.finditer(text)]
    if credits:
        candidates = [c for c in candidates if not any(a <= c.start < b for a, b in credits)]
    return resolve(candidates, text, doc.words)


def _starts_name(doc: _Doc, i: int) -> bool:
    """ "First" or "New" mid-sentence before another capitalised word: "First Albany Corp."."""
    return (
        doc.lowers[i] in rules.NAME_STARTERS
        and not doc.initial[i]
        and i + 1 < len(doc.words)
        and _is_name_word(doc, i + 1)
    )


def _handle(doc: _Doc, i: int) -> bool:
    """A Twitter handle ("@BillGertz") names an account, not an entity."""
    return i > 0 and doc.words[i - 1] == "@" and doc.ends[i - 1] == doc.starts[i]


def _gaz_len(doc: _Doc, gaz: gazetteer.Gazetteer, i: int) -> int:
    n, _ = gaz.longest(doc.lowers, i)
    return n


def _shouted(doc: _Doc, gaz: gazetteer.Gazetteer, i: int, out: list[Candidate]) -> int:
    """On an all-capitals line only known names count: "SEOUL:", "CHINA IN SURPRISE DEFEAT"."""
    n, entry = gaz.longest(doc.lowers, i)
    if entry is None:
        return i + 1
    out.append(_known(doc, i, i + n, entry))
    return i + n


def _is_name_word(doc: _Doc, k: int) -> bool:
    w = doc.words[k]
    return doc.caps[k] and w[0].isalpha() and not doc.shout[k] and doc.lowers[k] not in rules.DATES


def _run_end(doc: _Doc, gaz: gazetteer.Gazetteer, i: int) -> int:
    """End (exclusive) of the capitalised run starting at ``i``."""
    n = len(doc.words)
    end = max(i + 1, i + _gaz_len(doc, gaz, i))
    has_cue = any(doc.lowers[k] in rules.ORG_CUES for k in range(i, end))
    while end < n:
        known = _gaz_len(doc, gaz, end) if _is_name_word(doc, end) else 0
        if known:  # a known name inside the run: "President Moon Jae In"
            has_cue = has_cue or any(
                doc.lowers[k] in rules.ORG_CUES for k in range(end, end + known)
            )
            end += known
            continue
        if _is_name_word(doc, end) and doc.lowers[end] not in rules.STOPWORDS:
            has_cue = has_cue or doc.lowers[end] in rules.ORG_CUES
            end += 1
            continue
        nxt = end + 1
        if nxt < n and _is_name_word(doc, nxt):
            low = doc.lowers[end]
            if low in ("and", "&") and not has_cue and _cue_ahead(doc, gaz, i, end):
                has_cue = True  # "Propaganda and Agitation Department"
            elif (
                low in ("and", "&")
                and doc.lowers[end - 1] in rules.ORG_CUES
                and _cue_ahead(doc, gaz, end, end, known_ok=True)
            ):
                break  # "the Navy and Air Force": two organisations
            if (has_cue and low in rules.ORG_CONNECTORS) or (
                low in rules.NAME_PARTICLES and not doc.caps[end]
            ):
                end = nxt
                continue
            # an initial inside a name: "George W. Bush"
            if doc.words[end] == "." and len(doc.words[end - 1]) == 1 and end - 1 > i:
                end = nxt
                continue
        break
    # never end on a connector or an initial (a known name may: "the Korean war")
    known_end = i + _gaz_len(doc, gaz, i)
    while end - 1 > i and end > known_end and not doc.caps[end - 1]:
        end -= 1
    return end


def _cue_ahead(
    doc: _Doc, gaz: gazetteer.Gazetteer, i: int, end: int, known_ok: bool = False
) -> bool:
    """Whether the capitalised words after the connector at ``end`` end in an organisation cue,
    and the words before it are no known names ("China and Defense Ministry" stays apart)."""
    if not known_ok and any(_gaz_len(doc, gaz, k) for k in range(i, end)):
        return False
    k = end + 1
    while k < len(doc.words) and _is_name_word(doc, k) and k - end <= 4:
        entry = gaz.longest(doc.lowers, k)[1]
        if doc.lowers[k] in rules.ORG_CUES or (entry is not None and entry.type == "organisation"):
            return True
        k += 1
    return False


def _cand(doc: _Doc, a: int, b: int, kind: str, name: str | None, strong: bool) -> Candidate:
    end = doc.ends[b - 1]
    dotted = b < len(doc.words) and doc.words[b] == "." and doc.starts[b] == end
    if dotted and kind == "organisation" and doc.lowers[b - 1] in rules.DOTTED_ENDINGS:
        end += 1  # "Norwest Corp." keeps its full stop
    return Candidate(doc.starts[a], end, a, b, kind, name, strong)


def _known(doc: _Doc, a: int, b: int, entry: gazetteer.Entry) -> Candidate:
    """A gazetteer match. Cities are weak: "Chicago 8 Houston 2" names teams, not places."""
    strong = entry.rank < gazetteer.RANK_CITY
    return Candidate(
        doc.starts[a], doc.ends[b - 1], a, b, entry.type, entry.name, strong, entry.rank
    )


def _scores(doc: _Doc, candidates: list[Candidate]) -> None:
    """Names followed by a score are teams: "Barnsley 1 Ipswich 2", "Surrey 320-5"."""
    words = doc.words
    for cand in candidates:
        if cand.b >= len(words) or not words[cand.b][0].isdigit() or _DATE.match(words[cand.b]):
            continue  # "LONDON 1996-08-30" is a dateline
        if cand.rank <= gazetteer.RANK_COUNTRY or (cand.strong and cand.type == "person"):
            continue  # national sides are places; "Mark Taylor 45" is a batsman
        # a weak guess stays weak: "Hollioake 45" is a batsman if "Adam Hollioake" is named
        cand.type, cand.name = "organisation", None


def _prev_word(doc: _Doc, a: int) -> str:
    """The lower-case word before token ``a``, looking through the stop of "Gen." or "Mr."."""
    k = a - 1
    if k >= 1 and doc.words[k] == "." and doc.lowers[k - 1] in rules.ABBREVIATED_TITLES:
        k -= 1
    return doc.lowers[k] if k >= 0 else ""


def _classify(doc: _Doc, gaz: gazetteer.Gazetteer, a: int, b: int, out: list[Candidate]) -> None:
    """Turn the run ``a..b`` into candidates (appended to ``out``)."""
    lowers = doc.lowers
    if doc.initial[a] and not _gaz_len(doc, gaz, a):
        low = lowers[a]
        keep = b - a > 1 and low in gaz.first_names and low not in rules.STOPWORDS
        if not keep and (low in rules.STOPWORDS or rules.is_common(low, gaz.common_words)):
            # "Now China needs...", "Analysts said": the document pass decides about it
            out.append(_cand(doc, a, a + 1, "", None, False))
            a += 1
            while a < b and not doc.caps[a]:
                a += 1
            if a >= b:
                return
    n, entry = gaz.longest(lowers, a)
    if entry is not None and a + n == b:
        out.append(_known(doc, a, b, entry))
        return
    # Leading titles (and nationality words): "South Korean Foreign Minister Kang Kyung-wha"
    k, prefix, titled, weak = a, [], False, True
    while k < b:
        n, entry = gaz.longest(lowers, k)
        if entry is not None and entry.type != "person" and k + n < b:
            prefix.append(_known(doc, k, k + n, entry))
            k += n
        elif k + 1 < b and rules.is_demonym(lowers[k], gaz.place_stems):
            prefix.append(_cand(doc, k, k + 1, "other", None, True))  # "Libyan leader Gadhafi"
            k += 1
        elif _is_title(doc, k):
            weak = weak and lowers[k] in rules.WEAK_TITLES
            k, titled = k + 1, True
        else:
            break
    if titled and k < b and weak and _ordinary_words(doc, gaz, k, b):
        titled = False  # "State Security", "General Assembly": a title word, then no name
        k, prefix = a, []
    if titled and k < b and not any(lowers[j] in rules.ORG_CUES for j in range(k, b)):
        out.extend(prefix)
        n, entry = gaz.longest(lowers, k)
        name = entry.name if entry is not None and k + n == b and entry.type == "person" else None
        out.append(_cand(doc, k, b, "person", name, True))
        return
    if titled and k == b:
        out.extend(prefix)  # "Chinese Gen." or a lone "President": no name follows
        return
    t = _inner_title(doc, gaz, a, b)
    if t:  # "Navy Captain Jeff Davis", "CIA Director Michael Morell": two names
        _classify_plain(doc, gaz, a, t, out)
        _classify(doc, gaz, t, b, out)
        return
    _classify_plain(doc, gaz, a, b, out)


def _inner_title(doc: _Doc, gaz: gazetteer.Gazetteer, a: int, b: int) -> int:
    """Where a title splits a run after an organisation ("Navy", "CIA"), or 0."""
    lowers = doc.lowers
    for t in range(a + 1, b - 1):
        if not _is_title(doc, t) or any(lowers[j] in rules.ORG_CUES for j in range(t, b)):
            continue
        head = range(a, t)
        known = gaz.longest(lowers, a)[0] == t
        # "National Security Adviser H.R. McMaster": a first name or initials after the title
        named = lowers[t + 1] in gaz.first_names or "." in doc.words[t + 1]
        if (
            known
            or named
            or any(lowers[j] in rules.ORG_CUES for j in head)
            or doc.words[a].isupper()
        ):
            return t if not _ordinary_words(doc, gaz, t + 1, b) else 0
    return 0


def _is_title(doc: _Doc, k: int) -> bool:
    """A title word: "President", "Gen", "Secretary-designate", "ex-President", "Chief of Staff"."""
    low = doc.lowers[k]
    if low in rules.TITLES and low not in rules.ORG_CUES:
        return True
    parts = low.split("-")
    if len(parts) > 1 and all(p in rules.TITLES or p in rules.TITLE_AFFIXES for p in parts):
        return any(p in rules.TITLES for p in parts)
    # "Chief of Staff Reince Priebus": "Staff" ends the title the run before it began
    return (
        low == "staff"
        and k >= 2
        and doc.lowers[k - 1] == "of"
        and doc.lowers[k - 2]
        in (
            "chief",
            "chiefs",
        )
    )


def _ordinary_words(doc: _Doc, gaz: gazetteer.Gazetteer, a: int, b: int) -> bool:
    """Every word of ``a..b`` is a dictionary word no known person's name uses."""
    return all(
        rules.is_common(doc.lowers[k], gaz.common_words)
        and doc.lowers[k] not in gaz.first_names
        and not _gaz_len(doc, gaz, k)
        for k in range(a, b)
    )


def _classify_plain(
    doc: _Doc, gaz: gazetteer.Gazetteer, a: int, b: int, out: list[Candidate]
) -> None:
    lowers = doc.lowers
    size = b - a
    if size >= 2 and lowers[b - 1] in rules.PLACE_SUFFIXES:
        out.append(_cand(doc, a, b, "place", None, True))  # "Yalu River", "Osan Air Base"
        return
    if size >= 2 and any(lowers[k] in rules.ORG_CUES for k in range(a, b)):
        out.append(_cand(doc, a, b, "organisation", None, True))
        return
    if size == 1 and lowers[a] in rules.ORG_CUES | rules.TITLES:
        return
    if size == 1 and (lowers[a] in rules.COMPASS or lowers[a] in rules.ROMAN):
        return  # "the North", "the South's": a reference, not a name; a lone "III"
    if size >= 2 and lowers[a] in rules.PLACE_PREFIXES:
        out.append(_cand(doc, a, b, "place", None, True))  # "Mount Paektu"
        return
    if size >= 2 and lowers[b - 1] in rules.TREATY_SUFFIXES:
        out.append(_cand(doc, a, b, "other", None, True))  # "Free Trade Agreement"
        return
    if _is_system(doc, gaz, a, b):
        out.append(_cand(doc, a, b, "other", None, True))
        return
    if _region(doc, gaz, a, b):
        out.append(_cand(doc, a, b, "place", None, True))  # "North Pyongan" province
        return
    if size == 1 and rules.is_demonym(lowers[a], gaz.place_stems):
        out.append(_cand(doc, a, b, "other", None, True))  # "the late Libyan leader"
        return
    if _looks_personal(doc, gaz, a, b):
        out.append(_cand(doc, a, b, "person", None, True))
        return
    common = all(rules.is_common(lowers[k], gaz.common_words) for k in range(a, b))
    if size >= 2 and common and not _gaz_len(doc, gaz, a):
        return  # a title-case headline: "Seek to Warm Frozen Ties"
    # Split around known names: "Clark", "Philippines" inside "Moscow Beijing"-like runs.
    k, piece = a, a
    while k < b:
        n, entry = gaz.longest(lowers, k)
        if entry is None:
            k += 1
            continue
        if piece < k:
            _guess(doc, gaz, piece, k, out)
        out.append(_known(doc, k, k + n, entry))
        k += n
        piece = k
    if piece < b:
        _guess(doc, gaz, piece, b, out)


def _region(doc: _Doc, gaz: gazetteer.Gazetteer, a: int, b: int) -> bool:
    """A compass word and an unknown name: "North Pyongan", "South Hamgyong"."""
    return (
        b - a >= 2
        and doc.lowers[a] in rules.COMPASS
        and not _gaz_len(doc, gaz, a + 1)
        and doc.lowers[a + 1] not in gaz.first_names
        and not _ordinary_words(doc, gaz, a + 1, b)
    )


def _is_system(doc: _Doc, gaz: gazetteer.Gazetteer, a: int, b: int) -> bool:
    """A weapon, ship or programme: "KN-17", "USS Zumwalt", "the Hwasong missile"."""
    if doc.lowers[a] in rules.SHIP_PREFIXES and b - a >= 2:
        return True
    if b - a == 1 and _DESIGNATION.match(doc.words[a]):
        return True
    after = doc.lowers[b] if b < len(doc.words) else ""
    return (
        after in rules.SYSTEM_CUES
        and b - a <= 2
        and not any(_gaz_len(doc, gaz, k) for k in range(a, b))
        and not _ordinary_words(doc, gaz, a, b)
    )


def _looks_personal(doc: _Doc, gaz: gazetteer.Gazetteer, a: int, b: int) -> bool:
    size = b - a
    if size == 1 and doc.words[a].isupper() and len(doc.words[a]) > 1:
        return False  # "former CIA": an acronym after a title is the title's organisation
    if _prev_word(doc, a) in rules.TITLES:
        return True
    if not 2 <= size <= 4:
        return False
    # a city's name is also a surname ("Luis Oliveira"); a country's or a state's rarely is
    places = any(
        (e := gaz.entries.get((doc.lowers[k],))) is not None
        and e.type != "person"
        and (e.rank < gazetteer.RANK_CITY or k == a)
        for k in range(a, b)
    )
    if places:
        return False
    if doc.lowers[a] in gaz.first_names or (size <= 3 and _KOREAN_GIVEN.match(doc.words[b - 1])):
        return True
    after = doc.lowers[b] if b < len(doc.words) else ""
    return size <= 3 and (after in rules.SPEECH_VERBS or _prev_word(doc, a) in rules.SPEECH_VERBS)


def _after_place_noun(doc: _Doc, a: int) -> bool:
    """ "the coastal town of Sinpo", "the port of Nampo"."""
    return a >= 2 and doc.lowers[a - 1] == "of" and doc.lowers[a - 2] in rules.PLACE_NOUNS


def _guess(doc: _Doc, gaz: gazetteer.Gazetteer, a: int, b: int, out: list[Candidate]) -> None:
    """A run no rule recognised: weak guesses the document pass may overrule."""
    words, lowers = doc.words, doc.lowers
    if b - a == 1:
        w = words[a]
        if lowers[a] in rules.ROMAN or _PARTY_SEAT.match(w):
            return  # "UNHA III"; "(R-Ky.)" gives a senator's party and state
        if w.isupper() and len(w) > 1:
            if not rules.is_common(lowers[a], gaz.common_words):
                out.append(_cand(doc, a, b, "organisation", None, False))
            return
        if lowers[a] in rules.STOPWORDS:
            return
        if rules.is_demonym(lowers[a], gaz.place_stems):
            out.append(_cand(doc, a, b, "other", None, True))
            return
        after = lowers[a + 1] if a + 1 < len(words) else ""
        # "Zhang said", "in Arbil": evidence enough to vote for the string's type in the document
        if after in rules.SPEECH_VERBS or _prev_word(doc, a) in rules.SPEECH_VERBS:
            out.append(_cand(doc, a, b, "person", None, True))
        elif rules.is_common(lowers[a], gaz.common_words):
            out.append(_cand(doc, a, b, "", None, False))
        elif _prev_word(doc, a) in rules.PLACE_PREPOSITIONS or _after_place_noun(doc, a):
            out.append(_cand(doc, a, b, "place", None, True))
        else:
            out.append(_cand(doc, a, b, "person", None, False))
        return
    out.append(_cand(doc, a, b, "person" if b - a <= 3 else "organisation", None, False))
