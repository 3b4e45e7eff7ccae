"""Who said what: direct quotes and reported speech of one article, with their speakers.

Rules, no model (the approach of the Gender Gap Tracker and the BBC's Citron):

- A *direct* quote is a stretch between “…” or "…" that is a statement: it ends with its own
  punctuation (``…further," Park said``), follows a colon, or opens a sentence or paragraph. A
  quote left open at a paragraph's end runs on when the next paragraph opens with a quote mark
  (the newspaper convention). Short fragments inside a sentence (a "hostile act") are not
  quotes of their own: they belong to the reported speech around them.
- *Reported* speech is a sentence with a verb of saying and a clause: "X said (that) …",
  "X told reporters …", "…, X said.", "…, said X.", "according to X, …".
- The speaker is the article's entity whose mention ends right before the verb (or right after
  an inverted "said X"); a pronoun (he, she, it, they) or a definite role ("the minister", "the
  agency") is resolved to the last fitting speaker or mention before it; an indefinite role ("a
  senior official") is kept as the role. A direct quote with no attribution of its own belongs
  to the speaker of the statement just before it.

Speakers are stored as the article's mention names; corrections (merge, rename) apply at read
time through the canonical-name map, so they reach the quotes without a rebuild.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from index.analysis.events import split_sentences
from index.analysis.quote_speakers import (
    VERB,
    VERBS,
    WINDOW,
    Context,
    Speaker,
    inverted,
    lead_subject,
    role_speaker,
    sentence_subject,
    speaker_of,
    subject,
)
from index.models import Article, Mention, paragraph_index

__all__ = ["Quote", "extract_quotes"]

QuoteKind = Literal["direct", "reported"]


@dataclass(frozen=True, slots=True)
class Quote:
    """One statement. ``start``/``end`` locate the quoted (or reported) words in
    :attr:`Article.text`; ``paragraph`` is 1-based, as ``thaad-tui show`` numbers them.
    ``speaker`` is an entity name when ``resolved``, else the role or pronoun as written."""

    article: str
    paragraph: int
    start: int
    end: int
    text: str
    kind: QuoteKind
    speaker: str
    resolved: bool
    verb: str
    sentence: str


# Between the verb and its clause: a listener, a time or a manner ("told reporters on Monday",
# "said in a statement", "also said without elaborating").
_LISTENER = re.compile(
    r"\s*(?:(?:reporters|journalists|lawmakers|congress|parliament|the \w+(?: \w+)?|"
    r"a (?:news conference|briefing|conference|press conference|\w+ \w+)|"
    r"[A-Z][\w.\-]*(?: [A-Z][\w.\-]*)*)\b)"
)
_AFTER_VERB = re.compile(
    r"(?:\s*,)?(?:\s+(?:on|in|at|last|this|late|earlier|later|during|without|after|before|"
    r"in a|via|through|while)\b[^,;:\"“”]{0,60}?(?=\s+(?:that\b|it\b|he\b|she\b|they\b|the\b|"
    r"[A-Z]\w*))|\s+(?:on )?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"(?![’'])(?:\s+(?:morning|afternoon|evening|night))?"
    r"|\s+(?:today|yesterday|again|also|previously|separately|repeatedly|recently))*"
)
# "said after the North's announcement that …": the clause starts after "that".
_PP_THAT = re.compile(
    r"\s+(?:after|before|during|in|on|at|following|without)\b[^,;:\"“”]{0,60}?(?=\s+that\b)"
)
_ACCORDING = re.compile(r"\baccording to\s+", re.IGNORECASE)
_MIN_QUOTE_WORDS = 3
_LONG_FRAGMENT = 8  # a quote this long is a statement even where it opens mid-sentence


@dataclass
class _Span:
    start: int  # offsets of the words inside the quote marks
    end: int
    statement: bool
    attributed: bool = False


def _quote_spans(text: str, paragraph_starts: Sequence[int]) -> list[_Span]:
    """Stretches between quote marks, a quote left open at a paragraph's end running on into
    the next paragraph that opens with a quote mark."""
    spans: list[_Span] = []
    bounds = [*paragraph_starts, len(text) + 2]
    open_at: int | None = None
    for p, start in enumerate(bounds[:-1]):
        para = text[start : bounds[p + 1] - 2]
        if open_at is not None and not para.lstrip().startswith(("“", '"')):
            open_at = None  # the open quote did not run on: drop it
        straight_open = False
        for m in re.finditer(r"[“”\"]", para):
            at = start + m.start()
            mark = m.group()
            if mark == "“" or (mark == '"' and not straight_open and open_at is None):
                if open_at is not None and at - start <= 1:
                    continue  # the run-on paragraph's opening mark
                open_at, straight_open = at + 1, mark == '"'
            elif open_at is not None:
                spans.append(_Span(open_at, at, _statement(text, open_at, at)))
                open_at, straight_open = None, False
        if open_at is not None:
            continues = p + 1 < len(bounds) - 1 and text[bounds[p + 1] :].startswith(("“", '"'))
            if not continues:
                end = bounds[p + 1] - 2
                spans.append(_Span(open_at, end, _statement(text, open_at, end)))
                open_at = None
    return [s for s in spans if s.end > s.start]


def _statement(text: str, start: int, end: int) -> bool:
    """Whether the quoted words are a statement rather than a few words in a sentence: a
    quote that opens after a word in lower case ("a "hostile act"", "has "increased two- to
    threefold recently."") is a fragment unless it is long."""
    inner = text[start:end].strip()
    n = len(inner.split())
    if n < _MIN_QUOTE_WORDS:
        return False
    before = text[max(0, start - 3) : start - 1].rstrip()
    opens = before == "" or before[-1:] in ":\n.?!,—" or start - 1 == 0
    if not opens and inner[:1].islower() and n < _LONG_FRAGMENT:
        return False
    return opens or inner[-1:] in ".,?!…—-:;"


def _after_attribution(
    ctx: Context, pos: int, limit: int, s_start: int
) -> tuple[Speaker, str] | None:
    """``, X said`` / ``said X`` right after a quote that ends at ``pos``."""
    m = re.match(r"[\s,”\"]*", ctx.text[pos:limit])
    off = pos + (m.end() if m else 0)
    rest = ctx.text[off:limit]
    inv = re.match(rf"({VERBS})\s+", rest)
    if inv:
        speaker = inverted(ctx, off + inv.end(), limit)
        return (speaker, inv.group(1)) if speaker is not None else None
    verb = VERB.search(rest[:WINDOW])
    if verb is None or re.search(r"[.!?“\"]", rest[: verb.start()]):
        return None
    speaker = subject(off + verb.start(), ctx, off, s_start)
    return (speaker, verb.group()) if speaker is not None else None


def _before_attribution(
    ctx: Context, floor: int, pos: int, s_start: int
) -> tuple[Speaker, str] | None:
    """``X said: "…`` / ``X said, "…`` / ``X said he can "…`` right before a quote that opens
    at ``pos``."""
    head = ctx.text[floor:pos]
    participle = re.search(
        r"\b(saying|writing|adding|declaring|telling)\b[^.!?“\"]{0,40}?[,:]?\s*[“\"]?$", head
    )
    if participle is not None:  # "Trump reserved his comment for Twitter, writing: "…""
        lead = sentence_subject(ctx, s_start, pos)
        return (lead, participle.group(1).split()[0]) if lead is not None else None
    m = re.search(rf".*\b({VERBS})\b(?:[^.!?“\"]{{0,40}}?)[,:]?\s*[“\"]?$", head, re.DOTALL)
    if m is None:
        return None
    speaker = subject(floor + m.start(1), ctx, floor, s_start)
    return (speaker, m.group(1)) if speaker is not None else None


def _according(ctx: Context, s_start: int, s_end: int, acc: re.Match[str]) -> tuple[int, Speaker]:
    """ "according to X": the speaker is X (the author of "a report by X"), the statement the
    rest of the sentence."""
    text = ctx.text
    at = s_start + acc.end()
    np = re.match(r"[^,.;]*(?:\.(?=\S)[^,.;]*)*", text[at:s_end])
    np_end = at + (np.end() if np else 0)
    by = re.search(r"\bby\s+", text[at:np_end])
    mention = ctx.starting_at(at + by.end()) if by else None
    if mention is None:
        mention = ctx.starting_at(at)
        if mention is not None and mention.end < np_end and mention.type == "place":
            mention = None  # "according to the U.S. embassy's website": a role of a place
    owner = re.match(r"(?:the|its|his|her)\s+([\w\-]+)[’']s\b", text[at:np_end])
    named = ctx.before(at, ("organisation",)) if owner is not None else None
    if mention is not None:
        speaker = speaker_of(mention)
    elif owner is not None and named is not None and owner.group(1).lower() in named.name.lower():
        speaker = speaker_of(named)  # "the university's website": the university named before
    elif by is not None:
        speaker = Speaker(" ".join(text[at + by.end() : np_end].split()), False, "role")
    else:
        speaker = role_speaker(text[at:np_end].strip(), at, ctx, at)
    start = s_start
    if acc.start() == 0 or not text[s_start : s_start + acc.start()].strip(" ,"):
        comma = text.find(",", np_end, s_end)
        start = comma + 1 if comma > 0 else s_start
    return _skip_space(text, start), speaker


# What may follow the verb of a trailing attribution ("…, X said on Saturday."; "…, X said
# during the interview."; "…, economists say, but …"), not a clause of its own.
_TRAILING = re.compile(
    r"(?:\s+(?:on|in|at|during|last|this|late|earlier|later|after|before|without|via|"
    r"through|while|to|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|"
    r"yesterday|again|also)\b(?![’'])[^,;:]{0,50})?\s*(?:,|[.!?]?[\"”’')]*\s*$)"
)
_AUXILIARY = re.compile(
    r"\s+(?:is|are|was|were|has|have|had|will|would|can|could|may|might|should|must|be|"
    r"to|of|for|about|with|in|on|by|as|at)\b"
)


def _reported(ctx: Context, s_start: int, s_end: int) -> tuple[int, Speaker, str] | None:
    """The first reported statement of one sentence: (where its words start, speaker, verb)."""
    text = ctx.text
    sentence = text[s_start:s_end]
    acc = _ACCORDING.search(sentence)
    if acc is not None:
        begin, source = _according(ctx, s_start, s_end, acc)
        return begin, source, "according to"
    for verb in VERB.finditer(sentence):
        v_start, v_end = s_start + verb.start(), s_start + verb.end()
        before = text[s_start:v_start]
        tail = text[v_end:s_end]
        # "…, X said." / "…, said X." / "…, X said, but …": the statement came before.
        told = _LISTENER.match(tail) if verb.group() in ("told", "tells") else None
        trailing = _TRAILING.match(tail, told.end() if told else 0)
        comma = before.rfind(",")
        short = re.match(r"[^,;:]{0,60}(?:,|[.!?]?[\"”’')]*\s*$)", tail)
        if comma > 3 and short and not before[comma + 1 :].strip():
            after_verb = inverted(ctx, _skip_space(text, v_end), s_end)
            if after_verb is not None:
                return _skip_space(text, s_start), after_verb, verb.group()
        elif comma > 3 and trailing:
            before_verb = subject(v_start, ctx, s_start + comma + 1, s_start)
            if before_verb is not None:
                return _skip_space(text, s_start), before_verb, verb.group()
        speaker = subject(v_start, ctx, s_start, s_start)
        if speaker is None:
            continue
        listener = ""
        if verb.group() in ("told", "tells"):
            lm = _LISTENER.match(tail)
            if lm is None:
                continue
            listener = lm.group()
        after = _PP_THAT.match(tail, len(listener)) or _AFTER_VERB.match(tail, len(listener))
        pos = after.end() if after else len(listener)
        that = re.match(r"\s*,?\s*that\b", tail[pos:])
        if that:
            pos += that.end()
        clause = tail[pos:]
        if not re.match(r"\s+[\w“\"‘']", clause) or re.match(r"\s*[“\"]", clause):
            continue  # nothing said, or a direct quote (handled as such)
        if not that and _AUXILIARY.match(clause):
            continue  # "what the officials said was", "said to be": no clause follows
        if len(clause.split()) < 3:
            continue
        return _skip_space(text, v_end + pos), speaker, verb.group()
    return None


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \n,":
        pos += 1
    return pos


def extract_quotes(article: Article, mentions: Sequence[Mention]) -> list[Quote]:
    """Direct quotes and reported speech of ``article``, in order, with their speakers.

    ``mentions`` are the article's entity mentions (:func:`index.analysis.entities.extract` of its
    text): a speaker resolved to one of them is named by the mention's name.
    """
    text = article.text
    starts = article.paragraph_starts()
    ctx = Context(text, mentions)
    sentences = split_sentences(text) or [(0, len(text))]
    s_starts = [s for s, _e in sentences]
    spans = [s for s in _quote_spans(text, starts) if s.statement]
    q_starts = [s.start for s in spans]
    found: list[tuple[int, int, QuoteKind, Speaker | None, str]] = []
    previous: Speaker | None = None

    def sentence_of(pos: int) -> tuple[int, int]:
        return sentences[max(0, bisect.bisect_right(s_starts, pos) - 1)]

    events: list[tuple[int, int, _Span | tuple[int, int]]] = [(s.start, 1, s) for s in spans]
    events += [(a, 0, (a, b)) for a, b in sentences]
    events.sort(key=lambda e: (e[0], e[1]))
    for _pos, _order, item in events:
        if isinstance(item, _Span):
            para_end = text.find("\n\n", item.end)
            para_end = len(text) if para_end < 0 else para_end
            lead_in = text[: max(0, item.start - 1)].rstrip()
            # "Hua said on Monday:" closing the paragraph before the quote
            s_start, _s_end = sentence_of(
                max(0, len(lead_in) - 1 if lead_in.endswith(":") else item.start - 1)
            )
            hit = _after_attribution(ctx, item.end, para_end, s_start)
            if hit is None:
                floor = max(s_start, item.start - WINDOW)
                hit = _before_attribution(ctx, floor, item.start - 1, s_start)
            # no attribution of its own: the speaker of the statement just before it
            speaker, verb = hit if hit is not None else (previous, "")
            previous = speaker
            ctx.remember(item.start, speaker)
            found.append((item.start, item.end, "direct", speaker, verb))
            continue
        s_start, s_end = item
        i = bisect.bisect_right(q_starts, s_start) - 1
        if i < 0 or spans[i].end <= s_start:  # who opens a sentence inside a quote is no subject
            ctx.remember(s_start, lead_subject(ctx, s_start, s_end))
        i = bisect.bisect_right(q_starts, s_end) - 1
        if i >= 0 and spans[i].end > s_start:
            continue  # a sentence holding a direct quote is told by that quote
        report = _reported(ctx, s_start, s_end)
        if report is not None:
            begin, speaker, verb = report
            previous = speaker
            ctx.remember(begin, speaker)
            found.append((begin, s_end, "reported", speaker, verb))
    out = []
    for start, end, kind, speaker, verb in sorted(found, key=lambda f: f[0]):
        s_start, s_end = sentence_of(start)
        out.append(
            Quote(
                article=article.id,
                paragraph=paragraph_index(starts, start) + 1,
                start=start,
                end=end,
                text=text[start:end].strip(),
                kind=kind,
                speaker=speaker.name if speaker is not None else "",
                resolved=speaker is not None and speaker.resolved,
                verb=verb,
                sentence=text[s_start:s_end],
            )
        )
    return out
