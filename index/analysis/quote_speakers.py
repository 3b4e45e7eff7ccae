"""Speakers of quotes: the subject of a verb of saying, resolved to an entity of the article.

The speaker is the article's entity whose mention ends right before the verb ("Park told a
news conference") or follows an inverted verb ("said Adm. Harris"); "A and B said" is A; the
person of "Gareth Johnson of Young Pioneer Tours said"; a pronoun (he, she, it, they) is the
last person (or institution) that spoke or opened a sentence before it; a definite role ("the
minister", "the agency") the last fitting speaker; an indefinite role ("a senior official",
"U.S. officials") stays the role. Used by :mod:`index.analysis.quotes`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.models import Mention

VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|warned|warns|announced|announces|"
    "claimed|claims|insisted|insists|reported|reports|testified|explained|noted|argued|"
    "acknowledged|stressed|confirmed|confirms|denied|declared|wrote|writes|asked|replied|"
    "responded|continued|tweeted|predicted|cautioned|complained|recalled|admitted|"
    "suggested|contended|emphasized|emphasised|observed|remarked|quipped|vowed"
)
VERB = re.compile(rf"\b(?:{VERBS})\b")

PRONOUNS = {"he": "person", "she": "person", "it": "thing", "they": "thing", "we": "thing"}
ROLE_NOUNS = (
    "official|officials|spokesman|spokeswoman|spokesperson|spokespeople|minister|ministry|"
    "agency|source|sources|diplomat|diplomats|analyst|analysts|expert|experts|president|"
    "secretary|ambassador|envoy|adviser|advisor|aide|aides|general|admiral|commander|officer|"
    "leader|leaders|government|statement|report|media|newspaper|website|paper|chief|director|"
    "lawmaker|lawmakers|senator|representative|military|army|navy|department|office|council|"
    "committee|researcher|professor|told|person|people|man|woman|member|members|company|firm|"
    "group|embassy|administration|officer|staff|prosecutors|police|board|news"
)
_ROLE = re.compile(
    rf"((?:\b(?:a|an|the|one|two|three|several|some|another|its|his|her|their)\s+)"
    rf"(?:[\w\-.’']+\s+){{0,6}}?(?:{ROLE_NOUNS}))"
    r"(?:\s+(?:involved|familiar|based|close|with|who|in charge)\b[^,]{0,50})?\s*$",
    re.IGNORECASE,
)
# "South Korea's military said", "Beijing's foreign ministry said": the institution of a place.
_OWNED_ROLE = re.compile(
    rf"([A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*)*[’']s\s+(?:[\w\-]+\s+){{0,2}}?(?:{ROLE_NOUNS}))\s*$"
)
_POSSESSIVE_ROLE = re.compile(
    r"['’]s\s+(?:[\w\-]+\s+){0,3}(?:spokesman|spokeswoman|spokesperson)\s*$"
)
WINDOW = 120  # characters before a verb where its subject is looked for


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    resolved: bool
    kind: str  # "person", "thing" or "role"


class Context:
    """The article's mentions, looked up by offset, and who spoke or led a sentence last."""

    def __init__(self, text: str, mentions: Sequence[Mention]) -> None:
        self.text = text
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]
        self.ends = sorted((m.end, i) for i, m in enumerate(self.mentions))
        # (offset, speaker) of each attributed speaker and each sentence-leading mention: a
        # pronoun stands for the last of these of its kind.
        self.subjects: list[tuple[int, Speaker]] = []

    def ending_at(self, end: int) -> Mention | None:
        """The mention that ends at ``end`` (spaces and a closing comma aside)."""
        i = bisect.bisect_right(self.ends, (end, len(self.mentions))) - 1
        if i >= 0 and self.text[self.ends[i][0] : end].strip(" ,") == "":
            return self.mentions[self.ends[i][1]]
        return None

    def starting_at(self, start: int) -> Mention | None:
        """The mention that starts at ``start`` (spaces aside)."""
        i = bisect.bisect_left(self.starts, start)
        if i < len(self.mentions) and self.text[start : self.starts[i]].strip() == "":
            return self.mentions[i]
        return None

    def within(self, start: int, end: int) -> list[Mention]:
        """The mentions that lie inside ``text[start:end]``."""
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out

    def before(self, pos: int, types: tuple[str, ...], limit: int = 1500) -> Mention | None:
        """The last mention of one of ``types`` that ends before ``pos`` (within ``limit``)."""
        i = bisect.bisect_left(self.starts, pos) - 1
        while i >= 0 and self.mentions[i].start >= pos - limit:
            m = self.mentions[i]
            if m.type in types and m.end <= pos:
                return m
            i -= 1
        return None

    def remember(self, pos: int, speaker: Speaker | None) -> None:
        """Note a speaker or sentence subject; a person's role ("a senior official") counts:
        the "he" that follows it is that official, not the last person named."""
        if speaker is not None and (speaker.resolved or speaker.kind == "person"):
            self.subjects.append((pos, speaker))

    def last(self, pos: int, kind: str) -> Speaker | None:
        """The last speaker or sentence subject of ``kind`` before ``pos``."""
        for at, speaker in reversed(self.subjects):
            if at < pos and speaker.kind == kind:
                return speaker
        return None

    def last_speaker(self, pos: int) -> Speaker | None:
        for at, speaker in reversed(self.subjects):
            if at < pos:
                return speaker
        return None


def speaker_of(m: Mention) -> Speaker:
    return Speaker(m.name, True, "person" if m.type == "person" else "thing")


def resolve_word(word: str, pos: int, ctx: Context) -> Speaker:
    """A pronoun -> the last speaker or sentence subject it can stand for, else itself."""
    low = word.lower()
    found = ctx.last(pos, "person" if low in ("he", "she") else "thing")
    return found if found is not None else Speaker(word, False, "role")


_INSTITUTIONS = frozenset(
    {
        "agency",
        "ministry",
        "government",
        "military",
        "department",
        "company",
        "news",
        "newspaper",
        "media",
        "website",
        "paper",
        "office",
        "council",
        "committee",
        "embassy",
        "administration",
        "report",
        "statement",
    }
)


_PERSON_ROLES = frozenset(
    {
        "official",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "minister",
        "diplomat",
        "analyst",
        "expert",
        "president",
        "secretary",
        "ambassador",
        "envoy",
        "adviser",
        "advisor",
        "aide",
        "general",
        "admiral",
        "commander",
        "officer",
        "leader",
        "chief",
        "director",
        "lawmaker",
        "senator",
        "representative",
        "researcher",
        "professor",
        "man",
        "woman",
        "person",
        "source",
        "member",
    }
)


def role_of(text: str) -> Speaker:
    """An unresolved role as written; a single person's role can stand behind a later "he"."""
    clean = " ".join(text.split())
    noun = clean.rsplit(" ", 1)[-1].lower()
    return Speaker(clean, False, "person" if noun in _PERSON_ROLES else "role")


def role_speaker(role: str, pos: int, ctx: Context, at: int | None = None) -> Speaker:
    """A role: an institution named inside it ("the North's KCNA news agency") is that
    institution; a definite institution ("the agency") the last institution that spoke; a
    definite person's title ("the minister") the last person who spoke; else the role."""
    words = role.split()
    clean = " ".join(words)
    noun = words[-1].lower()
    if noun in _INSTITUTIONS:
        if at is not None:
            inside = [m for m in ctx.within(at, at + len(role)) if m.type == "organisation"]
            if inside:
                return speaker_of(inside[-1])
        if words[0].lower() == "the":
            last = ctx.last(pos, "thing")
            if last is not None:
                return last
            m = ctx.before(pos, ("organisation",))
            if m is not None:
                return speaker_of(m)
    elif words[0].lower() == "the" and len(words) <= 3 and not noun.endswith("s"):
        last = ctx.last(pos, "person")
        if last is not None:
            return last
    return role_of(clean)


# What may stand between a subject and its verb: auxiliaries, adverbs, a day ("Trump on
# Wednesday said"), an apposition ("Sung Kim, the U.S. envoy, said"; "An official, speaking on
# condition of anonymity, said").
_BETWEEN = re.compile(
    r"(?:\s+(?:also|has|had|have|later|then|again|previously|repeatedly|separately|earlier|"
    r"once|would|will|often|each|both|all|first|publicly|recently|"
    r"(?:on|last|this)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|"
    r"month|year))\b|,\s+(?:the|a|an|who|which|speaking|citing|asked|in)\b[^,]{0,100},)+\s*$"
)
_BARE_ROLE = re.compile(
    r"((?:(?!(?:While|But|And|As|If|When|Although|Though|Because|So)\b)[A-Z][\w.\-]*\s+|(?:and|other|some|many|senior|top|military|defense|defence|"
    r"government|foreign|western|independent|several|multiple)\s+){0,5}"
    r"(?i:officials|experts|analysts|economists|diplomats|sources|observers|lawmakers|critics|"
    r"scientists|researchers|residents|witnesses|activists|investigators|prosecutors|"
    r"supporters|opponents|defectors|protesters|workers|families|people))"
    r"(?:\s+(?:of|at|from|for|in)\s+(?:the\s+)?[\w\-.]+(?:\s+[\w\-.]+)?)?\s*$"
)
_SENTENCE_LEAD = re.compile(
    r"(?:(?:In|At|On|After|Before|During|While|Since|As|From|Under)\b[^,]{0,80},\s*)?"
)


_OPENING_ROLE = re.compile(
    rf"((?:a|an|the)\s+(?:[\w\-.’']+\s+){{0,6}}?(?:{ROLE_NOUNS})(?:\s+(?:{ROLE_NOUNS}))*)\b",
    re.IGNORECASE,
)


def sentence_subject(ctx: Context, s_start: int, end: int) -> Speaker | None:
    """The speaker a sentence opens with: "Sung Kim met ... and said", "He accused ... and
    said", "South Korea's Joint Chiefs of Staff called ... and warned"."""
    text = ctx.text
    lead = _SENTENCE_LEAD.match(text, s_start, end)
    at = lead.end() if lead else s_start
    word = re.match(r"([A-Za-z]+)\b", text[at:end])
    if word and word.group(1).lower() in PRONOUNS:
        return resolve_word(word.group(1), at, ctx)
    opening = _OPENING_ROLE.match(text, at, end)
    if opening is not None:  # "The U.S. envoy for North Korea, Sung Kim, met"
        comma = re.match(r"[^,;]{0,60}?,\s+", text[opening.end(1) : end])
        named = ctx.starting_at(opening.end(1) + comma.end()) if comma else None
        if named is not None and named.type == "person":
            return speaker_of(named)
    if opening is not None and not [
        m for m in ctx.within(at, opening.end(1)) if m.type == "person"
    ]:
        # "A South Korean foreign ministry official declined ... but said": not whoever the
        # sentence names after the role ("Trump's comments")
        return role_speaker(opening.group(1), at, ctx, at)
    clause = re.match(r"[^,;]*(?:,[^,;]*,)?[^,;]*", text[at:end])
    inside = ctx.within(at, at + (clause.end() if clause else 0))
    inside = [m for m in inside if m.type in ("person", "organisation", "place")]
    if not inside:
        return None
    first = inside[0]
    if text[at : first.start].strip() not in ("", "The", "the"):
        # "The presumptive Republican nominee declined ... but said": a description of
        # someone already named, not the entity the sentence mentions later
        described = ctx.last(at, "person") if re.match(r"The\s", text[at:end]) else None
        if described is not None:
            return described
    persons = [m for m in inside if m.type == "person"]
    if persons and persons[0].start - at < 80:
        return speaker_of(persons[0])
    # "South Korea's Joint Chiefs of Staff": the possessor is not the subject
    if len(inside) > 1 and re.match(r"[’']s\s", text[first.end : first.end + 3]):
        return speaker_of(inside[1])
    return speaker_of(first)


def subject(end: int, ctx: Context, floor: int, s_start: int | None = None) -> Speaker | None:
    """The speaker whose words end at ``end`` (just before a verb of saying)."""
    text = ctx.text
    base = max(floor, end - WINDOW)
    head = text[base:end]
    between = _BETWEEN.search(head)
    if between is not None:
        head = head[: between.start()]
    stop = base + len(head.rstrip(" ,"))
    mention = ctx.ending_at(stop)
    if mention is not None and mention.type in ("person", "organisation", "place"):
        return _named(mention, ctx, base)
    m = _POSSESSIVE_ROLE.search(head)
    if m is not None:
        owner = ctx.ending_at(base + m.start())
        if owner is not None:
            return speaker_of(owner)
    word = re.search(r"([A-Za-z]+)\s*,?\s*$", head)
    if word and word.group(1).lower() in PRONOUNS:
        return resolve_word(word.group(1), end, ctx)
    owned = _OWNED_ROLE.search(head)
    if owned is not None:
        return Speaker(" ".join(owned.group(1).split()), False, "role")
    role = _ROLE.search(head)
    if role is not None:
        return role_speaker(role.group(1), end, ctx, base + role.start(1))
    bare = _BARE_ROLE.search(head)
    if bare is not None:
        return Speaker(" ".join(bare.group(1).split()), False, "role")
    if re.search(r"\b(?:and|but)\s*$", head):
        return sentence_subject(ctx, s_start if s_start is not None else floor, end)
    name = _BARE_NAME.search(head)
    if name is not None and name.group(1).split()[0] not in _NOT_NAMES:
        return _by_name(name.group(1), ctx)
    return None


# A name the entities did not take in, opening a clause: "Han said", "Koo Ja-ick said".
_BARE_NAME = re.compile(r"(?:^|[,;:]\s+|\band\s+)((?:[A-Z][\w\-’']+\s+){0,2}[A-Z][\w\-’']+)\s*$")
_NOT_NAMES = frozenset(
    {"The", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "I", "A", "An"}
)


def _by_name(name: str, ctx: Context) -> Speaker:
    """A name as written, or the article's person whose name it is part of ("Han": Han
    Min-koo), when only one fits."""
    words = set(name.split())
    fits = {m.name for m in ctx.mentions if m.type == "person" and words <= set(m.name.split())}
    if len(fits) == 1:
        return Speaker(fits.pop(), True, "person")
    return Speaker(" ".join(name.split()), False, "person")


def _named(mention: Mention, ctx: Context, floor: int) -> Speaker:
    """The speaker a mention before the verb names: the first of "A and B said", the person
    of "Gareth Johnson of Young Pioneer Tours said"; an indefinite role before a place ("an
    official at the embassy in Seoul said") stays the role."""
    text = ctx.text
    head = text[floor : mention.start]
    first = mention
    link = r"\s+and\s+(?:the\s+)?$"  # "A, B and C said": A (the last link is "and")
    while True:
        conj = re.search(link, text[floor : first.start])
        link = r"(?:\s+and|,)\s+(?:the\s+)?$"
        before = ctx.ending_at(floor + conj.start()) if conj is not None else None
        if before is None or before.type not in ("person", "organisation", "place"):
            break
        first = before
    if first is not mention:
        return speaker_of(first)
    if mention.type == "place":
        # "the Committee for the Peaceful Reunification of Korea said": a name the entities
        # did not take in, ending in a place
        name = re.search(r"((?:[A-Z][\w\-]*\s+)(?:(?:[A-Z][\w\-]*|of|for|the|and)\s+)*)$", head)
        if name is not None and re.search(r"\b(?:of|for)\s+(?:the\s+)?$", head):
            return Speaker(" ".join((name.group(1) + mention.name).split()), False, "role")
        role = _ROLE_PREP.search(head)
        if role is not None and "," not in head[role.end(1) :]:
            return role_of(role.group(1))
    if mention.type != "person":
        of = re.search(r"\s+(?:of|at|from|with)\s+(?:the\s+)?(?:[\w\-]+\s+){0,2}$", head)
        if of is not None:
            owner = ctx.ending_at(floor + of.start())
            if owner is not None and owner.type == "person":
                return speaker_of(owner)
    return speaker_of(mention)


_ROLE_PREP = re.compile(
    rf"\b((?:a|an)\s+(?:[\w\-.’']+\s+){{0,4}}?(?:{ROLE_NOUNS})"
    rf"(?:\s+(?:at|of|in|from|for)\s+(?:the\s+)?(?:[\w\-.’']+\s+){{0,2}}?(?:{ROLE_NOUNS}))?)\b",
    re.IGNORECASE,
)


def inverted(ctx: Context, at: int, limit: int) -> Speaker | None:
    """The speaker after an inverted verb: "said Adm. Harris", "wrote aerospace engineer John
    Schilling", "said State Department spokesman John Kirby", "said he", "said the minister"."""
    text = ctx.text
    clause = re.match(r"[^,;.!?]*(?:\.(?=\S)[^,;.!?]*)*", text[at:limit])
    end = at + (clause.end() if clause else 0)
    near = [m for m in ctx.within(at, min(end, at + 60)) if m.type != "other"]
    persons = [m for m in near if m.type == "person"]
    if persons:
        return speaker_of(persons[0])
    word = re.match(r"([A-Za-z]+)\b", text[at:limit])
    if word and word.group(1).lower() in PRONOUNS:
        return resolve_word(word.group(1), at, ctx)
    role = re.match(
        rf"((?:a|an|the)\s+(?:[\w\-.’']+\s+){{0,6}}?(?:{ROLE_NOUNS}))\b",
        text[at:limit],
        re.IGNORECASE,
    )
    if role:
        named = re.match(r",\s+", text[at + role.end(1) : limit])
        person = ctx.starting_at(at + role.end(1) + named.end()) if named else None
        if person is not None and person.type == "person":  # "the top official, Adam Szubin"
            return speaker_of(person)
        return role_speaker(role.group(1), at, ctx, at)
    if near and near[0].start - at < 30:
        return speaker_of(near[0])
    return None


def lead_subject(ctx: Context, s_start: int, s_end: int) -> Speaker | None:
    """The named person (or institution) a sentence opens with, for a later "he" or "it"."""
    lead = _SENTENCE_LEAD.match(ctx.text, s_start, s_end)
    at = lead.end() if lead else s_start
    inside = [m for m in ctx.within(at, min(s_end, at + 50)) if m.type != "other"]
    persons = [m for m in inside if m.type == "person"]
    if persons:
        return speaker_of(persons[0])
    first = ctx.starting_at(at)
    if first is not None and first.type == "organisation":
        return speaker_of(first)
    return None
