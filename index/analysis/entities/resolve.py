"""The document pass: one name, one type, across a whole text.

Rules apply to a run in isolation; a reader uses the whole article. Here short forms take the
full name seen elsewhere in the text ("Chang said" is Chang Wanquan, "Lotte" is Lotte Group), a
weak guess takes the type its string has where a strong rule fired, and a capitalised word at a
sentence start survives only when the document vouches for it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from index.models import EntityType, Mention


@dataclass(slots=True)
class Candidate:
    """A possible mention. ``type`` "" means undecided; ``name`` None means the surface text.

    ``strong`` is set by rules with direct evidence (gazetteer, title, cue word, first name);
    weak candidates are guesses from shape alone.
    """

    start: int
    end: int
    a: int  # first token
    b: int  # token after the last
    type: str
    name: str | None
    strong: bool
    rank: int = (
        9  # the gazetteer source rank (see index.analysis.entities.gazetteer), 9 when not from it
    )


def surface(text: str, cand: Candidate) -> str:
    """The mention's text with runs of whitespace folded to one space."""
    return " ".join(text[cand.start : cand.end].split())


def resolve(candidates: list[Candidate], text: str, words: list[str]) -> list[Mention]:
    """Settle every candidate against the rest of the document and return the mentions."""
    parts: dict[str, set[str]] = {}
    full_counts: Counter[str] = Counter()  # how often each multi-word person is named in full
    org_heads: dict[str, set[str]] = {}
    acronyms: dict[str, set[str]] = {}  # "IMO" -> {"International Maritime Organization"}
    other_tails: dict[str, set[str]] = {}  # "Vinson" -> {"USS Carl Vinson"}
    votes: dict[str, Counter[tuple[str, str]]] = {}
    for cand in candidates:
        if not cand.type:
            continue
        full_name = cand.name or surface(text, cand)
        if cand.strong:
            votes.setdefault(surface(text, cand), Counter())[(cand.type, full_name)] += 1
        elif cand.type != "person":
            continue  # a guessed "Zhang Tuosheng" still explains a later "Zhang"
        if cand.b - cand.a < 2:
            continue
        if cand.type == "person":
            tokens = full_name.split()
            full_counts[full_name] += 1
            for token in {tokens[0], tokens[-1]}:
                parts.setdefault(token, set()).add(full_name)
        elif cand.type == "other":  # "the Vinson" after "USS Carl Vinson"
            other_tails.setdefault(full_name.split()[-1], set()).add(full_name)
        elif cand.type == "organisation":
            org_heads.setdefault(words[cand.a], set()).add(full_name)
            initials = "".join(w[0] for w in words[cand.a : cand.b] if w[:1].isupper())
            if len(initials) >= 2:
                acronyms.setdefault(initials, set()).add(full_name)
    mentions: list[Mention] = []
    for cand in candidates:
        kind: str = cand.type
        name = cand.name  # None: the surface text
        single = cand.b - cand.a == 1
        seen = surface(text, cand)
        # a lone "Jordan" in a text naming Michael Jordan is him, not the country
        full = parts.get(seen) if single and kind in ("", "person", "place") else None
        main = _dominant(full, full_counts) if full else None
        if main is not None:
            kind, name = "person", main
        elif single and seen.isupper() and len(acronyms.get(seen, ())) == 1:
            kind, name = "organisation", next(iter(acronyms[seen]))  # "the IMO"
        elif single and not cand.strong and len(other_tails.get(seen, ())) == 1:
            kind, name = "other", next(iter(other_tails[seen]))
        elif not cand.strong:
            if seen in votes:
                (kind, name), _ = votes[seen].most_common(1)[0]
            elif single and len(org_heads.get(seen, ())) == 1:
                kind, name = "organisation", next(iter(org_heads[seen]))
        if not kind:
            continue
        typed: EntityType = kind  # type: ignore[assignment]
        mentions.append(Mention(cand.start, cand.end, typed, name or surface(text, cand)))
    return mentions


def _dominant(names: set[str], counts: Counter[str]) -> str | None:
    """The full name a lone surname stands for: the only one, or the one named most often.

    A story about Kim Jong Un that mentions Kim Il Sung once means Kim Jong Un by "Kim"; two
    people named equally often leave "Kim" unresolved.
    """
    if len(names) == 1:
        return next(iter(names))
    ranked = sorted(names, key=lambda n: -counts[n])
    return ranked[0] if counts[ranked[0]] > counts[ranked[1]] else None
