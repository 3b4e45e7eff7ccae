"""One text as the entity rules see it: tokens, sentence starts, all-capitals lines.

:func:`scan` tokenises (:data:`index.analysis.entities.gazetteer.TOKEN`), splits glued and
hyphenated names, and
marks sentence starts and all-capitals lines (headlines, datelines, outlet chrome). The small
helpers here are shared by the run grouping (:mod:`index.analysis.entities.spans`) and the rules
that classify a run (:mod:`index.analysis.entities.classify`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.analysis.entities import gazetteer, rules
from index.analysis.entities.resolve import Candidate

_GLUED = re.compile(r"([A-Z]{2,})[A-Z][a-z]{2,}$")  # "USThanksgiving", not "ICBMs"
_SENTENCE_END = frozenset({".", "!", "?", ":", ";", "•", "|"})
_OPENERS = frozenset({"“", '"', "‘", "'", "(", "[", "-", "—", "–", "«"})


@dataclass(slots=True)
class Doc:
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
        designation = word[-1].isdigit()  # "Hwasong-14", "KN-17" stay one name
        if "-" in word and word[0].isupper() and not designation and (word.lower(),) not in entries:
            parts = word.split("-")
            if (
                parts[-1] in rules.HYPHEN_SUFFIXES
                or any(_splits_off(entries.get((p.lower(),))) for p in parts if p[:1].isupper())
                or _two_people(parts, gaz)
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


def _two_people(parts: list[str], gaz: gazetteer.Gazetteer) -> bool:
    """ "Trump-Xi", "Obama-Xi": capitalised names, one of them a known person's surname."""
    return all(p[:1].isupper() and len(p) > 1 for p in parts) and any(
        p.lower() in gaz.surnames for p in parts
    )


def _splits_off(entry: gazetteer.Entry | None) -> bool:
    """Whether a known name inside a hyphenated word stands alone ("US-developed")."""
    return entry is not None and entry.rank <= gazetteer.RANK_STATE and entry.type != "person"


def scan(text: str, gaz: gazetteer.Gazetteer) -> Doc:
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
    _shouted_heads(words, shout)
    return Doc(text, starts, ends, words, lowers, caps, initial, shout)


def _shouted_heads(words: list[str], shout: list[bool]) -> None:
    """Two or more capitalised words in a row inside a line are a subheading run into the
    text ("SITE IDENTIFIED The Pentagon..."): only known names count there, as on a shouted
    line."""
    loud = [w.isalpha() and len(w) > 1 and w.isupper() for w in words]
    for i in range(len(words) - 1):
        if loud[i] and loud[i + 1]:
            shout[i] = shout[i + 1] = True


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


def gaz_len(doc: Doc, gaz: gazetteer.Gazetteer, i: int) -> int:
    n, _ = gaz.longest(doc.lowers, i)
    return n


def is_name_word(doc: Doc, k: int) -> bool:
    w = doc.words[k]
    return doc.caps[k] and w[0].isalpha() and not doc.shout[k] and doc.lowers[k] not in rules.DATES


def cand(doc: Doc, a: int, b: int, kind: str, name: str | None, strong: bool) -> Candidate:
    end = doc.ends[b - 1]
    dotted = b < len(doc.words) and doc.words[b] == "." and doc.starts[b] == end
    if dotted and kind == "organisation" and doc.lowers[b - 1] in rules.DOTTED_ENDINGS:
        end += 1  # "Norwest Corp." keeps its full stop
    return Candidate(doc.starts[a], end, a, b, kind, name, strong)


def known(doc: Doc, a: int, b: int, entry: gazetteer.Entry) -> Candidate:
    """A gazetteer match. Cities are weak: "Chicago 8 Houston 2" names teams, not places."""
    strong = entry.rank < gazetteer.RANK_CITY
    return Candidate(
        doc.starts[a], doc.ends[b - 1], a, b, entry.type, entry.name, strong, entry.rank
    )


def prev_word(doc: Doc, a: int) -> str:
    """The lower-case word before token ``a``, looking through the stop of "Gen." or "Mr."."""
    k = a - 1
    if k >= 1 and doc.words[k] == "." and doc.lowers[k - 1] in rules.ABBREVIATED_TITLES:
        k -= 1
    return doc.lowers[k] if k >= 0 else ""
