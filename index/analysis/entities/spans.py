"""Find entity mentions in one text: tokens, capitalised runs, rules, then a document pass.

The pipeline, in order (tokens and scanning in :mod:`index.analysis.entities.doc`, the rules for one
run in :mod:`index.analysis.entities.classify`):

1. Tokenise (:data:`index.analysis.entities.gazetteer.TOKEN`); mark sentence starts and
all-capitals lines
   (headlines, datelines, outlet chrome), where only gazetteer names are trusted.
2. Group capitalised tokens into runs, joining "of/for/and" only inside organisation names and
   name particles ("de", "van") only inside personal names.
3. Classify each run: gazetteer, title + name => person, organisation cue words, first names,
   Korean given names ("Min-koo"), speech verbs ("said X"), then split what is left around
   gazetteer names and guess (acronym => organisation, two or three words => person).
4. Document pass (:mod:`index.analysis.entities.resolve`): short forms take the full name seen
earlier
   ("Chang" => Chang Wanquan, "Lotte" => Lotte Group), weak guesses take the type the same
   string has elsewhere, and sentence-initial words survive only if the document vouches for them.
"""

from __future__ import annotations

import re

from index.analysis.entities import gazetteer, rules
from index.analysis.entities.classify import classify
from index.analysis.entities.doc import Doc, gaz_len, is_name_word, known, scan
from index.analysis.entities.resolve import Candidate, resolve
from index.models import Mention

# Credit lines name the authors, not people in the story: Reuters "(Reporting by X; Editing by
# Y)", "Additional reporting by", CNN "X, Y and Z contributed to this report", WSJ "Write to X
# at", "Follow X on Twitter", "Contact X on Twitter at @x"; photo credits; and the copyright
# notice ("Copyright © 2017 The Washington Times, LLC"): the outlet is the article's metadata,
# not a name in the story. Each match is one credit span.
_CREDITS = re.compile(
    r"\((?:[^()]{0,40}\b)?(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled|[Pp]roduced)"
    r" by [^()]*\)"
    r"|\b(?:(?:Additional|Further|Other) )?(?:[Rr]eporting|Writing|Editing|Compiled|Produced)"
    r" by [^\n.]*"
    r"|\([^()\n]{0,80}?(?:Getty Images|GETTY IMAGES|Photo:|PHOTO:|/AFP|/AP|/Reuters)[^()\n]*\)"
    r"|\bCopyright\b[^.\n]*|©[^.\n]*"
    r"|\b(?:Write to|Follow|Contact|Email|E-mail) [^.\n]{0,80}?"
    r"(?: on Twitter| and Twitter| at [\w.+-]+@[\w.-]+\w|(?= at @))[^.\n]*"
)
# "X, Y and Z contributed to this report": the sentence up to the phrase is the credit.
_CONTRIBUTED = re.compile(r"\bcontributed (?:to this (?:report|story|article)|reporting)")
_SENTENCE_STOP = re.compile(r"[a-z0-9\"”’)\]][.!?]\s|\n")
_DATE = re.compile(r"(?:1[89]|20)\d\d(?:-\d\d-\d\d)?$")


def extract(text: str) -> list[Mention]:
    """Entity mentions in ``text``, in order, with character offsets into ``text``.

    Types are ``person``, ``organisation``, ``place`` or ``other`` (THAAD, nationalities...).
    ``name`` is the canonical name: the gazetteer's, the full name a short form stands for, or
    the surface text.
    """
    if not text:
        return []
    gaz = gazetteer.get()
    doc = scan(text, gaz)
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
            and not gaz_len(doc, gaz, i)
            and not _starts_name(doc, i)
        ):
            i += 1
            continue
        end = _run_end(doc, gaz, i)
        classify(doc, gaz, i, end, candidates)
        i = end
    _scores(doc, candidates)
    credits = _credit_spans(text)
    if credits:
        candidates = [c for c in candidates if not any(a <= c.start < b for a, b in credits)]
    return resolve(candidates, text, doc.words)


def _credit_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _CREDITS.finditer(text)]
    for m in _CONTRIBUTED.finditer(text):
        # the sentence's start: a stop after a word, not the initial of "Edith M. Lederer"
        stops = list(_SENTENCE_STOP.finditer(text, max(0, m.start() - 400), m.start()))
        start = stops[-1].end() if stops else max(0, m.start() - 400)
        spans.append((start, m.end()))
    return spans


def _starts_name(doc: Doc, i: int) -> bool:
    """ "First" or "New" mid-sentence before another capitalised word: "First Albany Corp."."""
    return (
        doc.lowers[i] in rules.NAME_STARTERS
        and not doc.initial[i]
        and i + 1 < len(doc.words)
        and is_name_word(doc, i + 1)
    )


def _handle(doc: Doc, i: int) -> bool:
    """A Twitter handle ("@BillGertz") names an account, not an entity."""
    return i > 0 and doc.words[i - 1] == "@" and doc.ends[i - 1] == doc.starts[i]


def _shouted(doc: Doc, gaz: gazetteer.Gazetteer, i: int, out: list[Candidate]) -> int:
    """On an all-capitals line only known names count: "SEOUL:", "CHINA IN SURPRISE DEFEAT"."""
    n, entry = gaz.longest(doc.lowers, i)
    if entry is None:
        return i + 1
    out.append(known(doc, i, i + n, entry))
    return i + n


def _run_end(doc: Doc, gaz: gazetteer.Gazetteer, i: int) -> int:
    """End (exclusive) of the capitalised run starting at ``i``."""
    n = len(doc.words)
    end = max(i + 1, i + gaz_len(doc, gaz, i))
    has_cue = any(doc.lowers[k] in rules.ORG_CUES for k in range(i, end))
    while end < n:
        if doc.text[doc.ends[end - 1] : doc.starts[end]] == "-":
            break  # the halves of a split "Trump-Francis" are two names
        known = gaz_len(doc, gaz, end) if is_name_word(doc, end) else 0
        if known:  # a known name inside the run: "President Moon Jae In"
            has_cue = has_cue or any(
                doc.lowers[k] in rules.ORG_CUES for k in range(end, end + known)
            )
            end += known
            continue
        if is_name_word(doc, end) and doc.lowers[end] not in rules.STOPWORDS:
            has_cue = has_cue or doc.lowers[end] in rules.ORG_CUES
            end += 1
            continue
        nxt = end + 1
        if nxt < n and is_name_word(doc, nxt):
            low = doc.lowers[end]
            if low in ("and", "&") and _stands_alone(doc, gaz, nxt):
                break  # "the European Union and North Korea", "State Department and USAID"
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
    known_end = i + gaz_len(doc, gaz, i)
    while end - 1 > i and end > known_end and not doc.caps[end - 1]:
        end -= 1
    return end


def _stands_alone(doc: Doc, gaz: gazetteer.Gazetteer, k: int) -> bool:
    """A known place or person, or an acronym, after "and": a name of its own."""
    entry = gaz.longest(doc.lowers, k)[1]
    if entry is not None:
        return entry.type in ("place", "person")
    return doc.words[k].isupper() and len(doc.words[k]) > 1


def _cue_ahead(
    doc: Doc, gaz: gazetteer.Gazetteer, i: int, end: int, known_ok: bool = False
) -> bool:
    """Whether the capitalised words after the connector at ``end`` end in an organisation cue,
    and the words before it are no known names ("China and Defense Ministry" stays apart)."""
    if not known_ok and any(gaz_len(doc, gaz, k) for k in range(i, end)):
        return False
    k = end + 1
    while k < len(doc.words) and is_name_word(doc, k) and k - end <= 4:
        entry = gaz.longest(doc.lowers, k)[1]
        if doc.lowers[k] in rules.ORG_CUES or (entry is not None and entry.type == "organisation"):
            return True
        k += 1
    return False


def _scores(doc: Doc, candidates: list[Candidate]) -> None:
    """Names followed by a score are teams: "Barnsley 1 Ipswich 2", "Surrey 320-5"."""
    words = doc.words
    for cand in candidates:
        if cand.b >= len(words) or not words[cand.b][0].isdigit() or _DATE.match(words[cand.b]):
            continue  # "LONDON 1996-08-30" is a dateline
        if cand.rank <= gazetteer.RANK_COUNTRY or (cand.strong and cand.type == "person"):
            continue  # national sides are places; "Mark Taylor 45" is a batsman
        if cand.b - cand.a == 1 and doc.lowers[cand.a] in rules.NUMBERED_NOUNS:
            continue  # "Chapter 11", "Article 50", "Office 39", "Day 83"
        # a weak guess stays weak: "Hollioake 45" is a batsman if "Adam Hollioake" is named
        cand.type, cand.name = "organisation", None
