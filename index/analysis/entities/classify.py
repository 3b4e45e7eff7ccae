"""Classify one capitalised run: gazetteer, titles, cue words, shapes, then weak guesses.

In order: a gazetteer name; leading titles and nationality words ("South Korean Foreign
Minister Kang Kyung-wha"); a title inside the run ("Navy Captain Jeff Davis"); place, treaty,
organisation and system cue words; first names, Korean given names and speech verbs; then the
run is split around gazetteer names and what is left is guessed (acronym => organisation, two
or three words => person), for the document pass to confirm or overrule.
"""

from __future__ import annotations

import re

from index.analysis.entities import gazetteer, rules
from index.analysis.entities.doc import Doc, cand, gaz_len, known, prev_word
from index.analysis.entities.resolve import Candidate

_KOREAN_GIVEN = re.compile(r"[A-Z][a-z]+-[A-Za-z][a-z]+$")
_PARTY_SEAT = re.compile(r"[RDI]-[A-Z][a-z]*$")
# Model designations of weapons and aircraft: "KN-17", "Hwasong-14", "DF-21D", "F-35", "S-400".
_DESIGNATION = re.compile(r"[A-Z][A-Za-z]{0,9}-\d{1,4}[A-Z]?$")


def classify(doc: Doc, gaz: gazetteer.Gazetteer, a: int, b: int, out: list[Candidate]) -> None:
    """Turn the run ``a..b`` into candidates (appended to ``out``)."""
    lowers = doc.lowers
    # "Marine Corps Gen. Joseph Dunford": an abbreviated title ends the run before its name
    while b - a > 1 and lowers[b - 1] in rules.ABBREVIATED_TITLES and _dotted(doc, b - 1):
        b -= 1
    if doc.initial[a] and not gaz_len(doc, gaz, a):
        low = lowers[a]
        keep = b - a > 1 and low in gaz.first_names and low not in rules.STOPWORDS
        if not keep and (low in rules.STOPWORDS or rules.is_common(low, gaz.common_words)):
            # "Now China needs...", "Analysts said": the document pass decides about it
            out.append(cand(doc, a, a + 1, "", None, False))
            a += 1
            while a < b and not doc.caps[a]:
                a += 1
            if a >= b:
                return
    n, entry = gaz.longest(lowers, a)
    if entry is not None and a + n == b:
        out.append(known(doc, a, b, entry))
        return
    # Leading titles (and nationality words): "South Korean Foreign Minister Kang Kyung-wha"
    k, prefix, titled, weak = a, [], False, True
    while k < b:
        n, entry = gaz.longest(lowers, k)
        if entry is not None and entry.type != "person" and k + n < b:
            prefix.append(known(doc, k, k + n, entry))
            k += n
        elif k + 1 < b and rules.is_demonym(lowers[k], gaz.place_stems):
            prefix.append(cand(doc, k, k + 1, "other", None, True))  # "Libyan leader Gadhafi"
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
        t = _inner_title(doc, gaz, k, b)
        if t:  # "Deputy National Security Adviser K.T. McFarland"
            classify(doc, gaz, t, b, out)
            return
        n, entry = gaz.longest(lowers, k)
        name = entry.name if entry is not None and k + n == b and entry.type == "person" else None
        out.append(cand(doc, k, b, "person", name, True))
        return
    if titled and k == b:
        out.extend(prefix)  # "Chinese Gen." or a lone "President": no name follows
        return
    t = _inner_title(doc, gaz, a, b)
    if t:  # "Navy Captain Jeff Davis", "CIA Director Michael Morell": two names
        _classify_plain(doc, gaz, a, t, out)
        classify(doc, gaz, t, b, out)
        return
    _classify_plain(doc, gaz, a, b, out)


def _dotted(doc: Doc, k: int) -> bool:
    return k + 1 < len(doc.words) and doc.words[k + 1] == "."


def _inner_title(doc: Doc, gaz: gazetteer.Gazetteer, a: int, b: int) -> int:
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


def _is_title(doc: Doc, k: int) -> bool:
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


def _ordinary_words(doc: Doc, gaz: gazetteer.Gazetteer, a: int, b: int) -> bool:
    """Every word of ``a..b`` is a dictionary word no known person's name uses."""
    return all(
        rules.is_common(doc.lowers[k], gaz.common_words)
        and doc.lowers[k] not in gaz.first_names
        and not gaz_len(doc, gaz, k)
        for k in range(a, b)
    )


def _classify_plain(
    doc: Doc, gaz: gazetteer.Gazetteer, a: int, b: int, out: list[Candidate]
) -> None:
    lowers = doc.lowers
    size = b - a
    tail = _known_tail(doc, gaz, a, b)
    if tail:  # "Navy Tomahawk": an organisation's word, then a known system or person
        _classify_plain(doc, gaz, a, tail, out)
        n, entry = gaz.longest(lowers, tail)
        if entry is not None:
            out.append(known(doc, tail, tail + n, entry))
        return
    if size >= 2 and lowers[b - 1] in rules.PLACE_SUFFIXES:
        out.append(cand(doc, a, b, "place", None, True))  # "Yalu River", "Osan Air Base"
        return
    if size >= 2 and any(lowers[k] in rules.ORG_CUES for k in range(a, b)):
        out.append(cand(doc, a, b, "organisation", None, True))
        return
    if size == 1 and lowers[a] in rules.ORG_CUES | rules.TITLES:
        return
    if size == 1 and (
        lowers[a] in rules.COMPASS or (doc.words[a].isupper() and lowers[a] in rules.ROMAN)
    ):
        return  # "the North", "the South's": a reference, not a name; a lone "III"
    if size >= 2 and lowers[a] in rules.PLACE_PREFIXES:
        out.append(cand(doc, a, b, "place", None, True))  # "Mount Paektu"
        return
    if size >= 2 and (
        lowers[b - 1] in rules.TREATY_SUFFIXES or lowers[b - 1] in rules.EVENT_SUFFIXES
    ):
        out.append(cand(doc, a, b, "other", None, True))  # "Free Trade Agreement", "World Cup"
        return
    if _is_system(doc, gaz, a, b):
        out.append(cand(doc, a, b, "other", None, True))
        return
    if _region(doc, gaz, a, b):
        out.append(cand(doc, a, b, "place", None, True))  # "North Pyongan" province
        return
    if size == 1 and rules.is_demonym(lowers[a], gaz.place_stems):
        out.append(cand(doc, a, b, "other", None, True))  # "the late Libyan leader"
        return
    if _looks_personal(doc, gaz, a, b):
        out.append(cand(doc, a, b, "person", None, True))
        return
    common = all(rules.is_common(lowers[k], gaz.common_words) for k in range(a, b))
    if size >= 2 and common and not gaz_len(doc, gaz, a):
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
        out.append(known(doc, k, k + n, entry))
        k += n
        piece = k
    if piece < b:
        _guess(doc, gaz, piece, b, out)


def _known_tail(doc: Doc, gaz: gazetteer.Gazetteer, a: int, b: int) -> int:
    """Where a known system or person ends the run right after an organisation word, or 0."""
    for k in range(a + 1, b):
        n, entry = gaz.longest(doc.lowers, k)
        if entry is not None and k + n == b and entry.type in ("other", "person"):
            return k if doc.lowers[k - 1] in rules.ORG_CUES else 0
    return 0


def _region(doc: Doc, gaz: gazetteer.Gazetteer, a: int, b: int) -> bool:
    """A compass word and an unknown name: "North Pyongan", "South Hamgyong"."""
    return (
        b - a >= 2
        and doc.lowers[a] in rules.COMPASS
        and not gaz_len(doc, gaz, a + 1)
        and doc.lowers[a + 1] not in gaz.first_names
        and not _ordinary_words(doc, gaz, a + 1, b)
    )


def _is_system(doc: Doc, gaz: gazetteer.Gazetteer, a: int, b: int) -> bool:
    """A weapon, ship or programme: "KN-17", "USS Zumwalt", "the Hwasong missile"."""
    if doc.lowers[a] in rules.SHIP_PREFIXES and b - a >= 2:
        return True
    if b - a == 1 and _DESIGNATION.match(doc.words[a]):
        return True
    after = doc.lowers[b] if b < len(doc.words) else ""
    if after in ("and", "or", ","):  # "Blackhawk and Chinook helicopters"
        k = b + 1
        while k < len(doc.words) and k <= b + 3 and doc.caps[k]:
            k += 1
        after = doc.lowers[k] if b + 1 < k < len(doc.words) else ""
    return (
        after in rules.SYSTEM_CUES
        and b - a <= 2
        and not any(gaz_len(doc, gaz, k) for k in range(a, b))
        and not _ordinary_words(doc, gaz, a, b)
    )


def _looks_personal(doc: Doc, gaz: gazetteer.Gazetteer, a: int, b: int) -> bool:
    size = b - a
    if size == 1 and doc.words[a].isupper() and len(doc.words[a]) > 1:
        return False  # "former CIA": an acronym after a title is the title's organisation
    if prev_word(doc, a) in rules.TITLES:
        # "deputy National Security Adviser": two dictionary words after a title are no name
        return size == 1 or not _ordinary_words(doc, gaz, a, b)
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
    return size <= 3 and (after in rules.SPEECH_VERBS or prev_word(doc, a) in rules.SPEECH_VERBS)


def _after_place_noun(doc: Doc, a: int) -> bool:
    """ "the coastal town of Sinpo", "the port of Nampo"."""
    return a >= 2 and doc.lowers[a - 1] == "of" and doc.lowers[a - 2] in rules.PLACE_NOUNS


def _guess(doc: Doc, gaz: gazetteer.Gazetteer, a: int, b: int, out: list[Candidate]) -> None:
    """A run no rule recognised: weak guesses the document pass may overrule."""
    words, lowers = doc.words, doc.lowers
    if b - a == 1:
        w = words[a]
        if (w.isupper() and lowers[a] in rules.ROMAN) or _PARTY_SEAT.match(w):
            return  # "UNHA III"; "(R-Ky.)" gives a senator's party and state
        if w.isupper() and len(w) > 1:
            if not rules.is_common(lowers[a], gaz.common_words):
                out.append(cand(doc, a, b, "organisation", None, False))
            return
        if lowers[a] in rules.STOPWORDS:
            return
        if rules.is_demonym(lowers[a], gaz.place_stems):
            out.append(cand(doc, a, b, "other", None, True))
            return
        after = lowers[a + 1] if a + 1 < len(words) else ""
        # "Zhang said", "in Arbil": evidence enough to vote for the string's type in the document
        if after in rules.SPEECH_VERBS or prev_word(doc, a) in rules.SPEECH_VERBS:
            out.append(cand(doc, a, b, "person", None, True))
        elif rules.is_common(lowers[a], gaz.common_words):
            out.append(cand(doc, a, b, "", None, False))
        elif prev_word(doc, a) in rules.PLACE_PREPOSITIONS or _after_place_noun(doc, a):
            out.append(cand(doc, a, b, "place", None, True))
        else:
            out.append(cand(doc, a, b, "person", None, False))
        return
    out.append(cand(doc, a, b, "person" if b - a <= 3 else "organisation", None, False))
