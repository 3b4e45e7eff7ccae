"""Entities: mentions in one text (:func:`extract`) and entities across articles.

:func:`aggregate` counts nationality words toward their country ("North Korean" is North
Korea), leaves out group words ("Muslim"), merges variant spellings across articles ("Moon
Jae-In" and "Moon Jae-in") with rapidfuzz, joins a lone surname or given name to the one full
name it stands for across the corpus ("Trump": Donald Trump; "Kim", shared by several, stays),
then applies the user's corrections; :func:`canonical_map` maps every alias to its entity's
name, for the timeline and for queries by entity.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from index.analysis.entities import gazetteer
from index.analysis.entities.spans import extract
from index.models import Entity, EntityType, Mention
from index.store.corrections import Corrections

__all__ = ["aggregate", "canonical_map", "extract"]

# Two names of one type whose letters (case, spaces and hyphens aside) are this similar are
# spellings of one entity: "Moon Jae-In"/"Moon Jae In", "Kim Jong-un"/"Kim Jong Un".
FUZZY_CUTOFF = 92.0
_MIN_FUZZY_LENGTH = 8  # short names differ by one letter too often ("Wang Yi"/"Wang Ye")
_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass
class _Tally:
    types: Counter[EntityType] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)
    aliases: dict[str, None] = field(default_factory=dict)
    articles: dict[str, None] = field(default_factory=dict)
    mentions: int = 0

    def absorb(self, other: _Tally) -> None:
        self.types.update(other.types)
        self.names.update(other.names)
        self.aliases.update(other.aliases)
        self.articles.update(other.articles)
        self.mentions += other.mentions


def _fold(name: str) -> str:
    return _NOT_ALNUM.sub("", name.casefold())


def aggregate(
    per_article: Mapping[str, tuple[str, Sequence[Mention]]],
    corrections: Corrections | None = None,
) -> list[Entity]:
    """Entities across articles, most mentioned first.

    ``per_article`` maps an article id to its text and that text's mentions. Names that fold to
    the same letters, or are near-identical by rapidfuzz, merge within a type; the merged
    entity's name is its most frequent spelling. ``aliases`` are the surface forms seen.
    Corrections (merge, rename, retype, hide) are applied last.
    """
    gaz = gazetteer.countries()
    countries: dict[str, str | None] = {}
    tallies: dict[str, _Tally] = {}
    for article_id, (text, mentions) in per_article.items():
        for m in mentions:
            name, kind = m.name, m.type
            if kind == "other":
                if name in gaz.groups:
                    continue
                if name not in countries:  # tens of thousands of mentions, a few hundred words
                    countries[name] = gaz.country_of(name)
                country = countries[name]
                if country:
                    name, kind = country, "place"
            tally = tallies.setdefault(_fold(name) or name, _Tally())
            tally.types[kind] += 1
            tally.names[name] += 1
            tally.aliases[" ".join(text[m.start : m.end].split())] = None
            if name != m.name:  # the mention's own name must lead to the country too
                tally.aliases[m.name] = None
            tally.articles[article_id] = None
            tally.mentions += 1
    _merge_near(tallies)
    _join_short_forms(tallies)
    _drop_country_prefix(tallies, gaz)
    entities = [_entity(t) for t in tallies.values()]
    if corrections is not None:
        entities = corrections.apply(entities)
    entities.sort(key=lambda e: (-e.mentions, e.name.casefold()))
    return entities


def _merge_near(tallies: dict[str, _Tally]) -> None:
    """Fold near-identical keys of the same type into the one with more mentions."""
    blocks: dict[tuple[str, EntityType], list[str]] = {}
    for key, tally in tallies.items():
        if len(key) >= _MIN_FUZZY_LENGTH:
            blocks.setdefault((key[:2], tally.types.most_common(1)[0][0]), []).append(key)
    for keys in blocks.values():
        keys.sort(key=lambda k: -tallies[k].mentions)
        for i, key in enumerate(keys):
            if key not in tallies:
                continue
            rest = [k for k in keys[i + 1 :] if k in tallies]
            for match, _score, _ in process.extract(
                key, rest, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
            ):
                tallies[key].absorb(tallies.pop(match))


# A lone name joins a full name only if that full name has this share of the mentions of all
# full names it could stand for: "Trump" is Donald Trump beside a passing "Fred Trump", but
# "Kim" is not Kim Jong Un while Kim Il Sung, Kim Jong Il and Sung Kim are named too.
_SHORT_FORM_SHARE = 0.9


def _join_short_forms(tallies: dict[str, _Tally]) -> None:
    """Fold one-word person names into the one multi-word person they name across the corpus."""
    full_names: dict[str, list[str]] = {}
    for key, tally in tallies.items():
        tokens = tally.names.most_common(1)[0][0].split()
        if len(tokens) >= 2 and tally.types.most_common(1)[0][0] == "person":
            for token in {_fold(tokens[0]), _fold(tokens[-1])}:
                full_names.setdefault(token, []).append(key)
    for key in list(tallies):
        tally = tallies[key]
        if key not in full_names or tally.types.most_common(1)[0][0] != "person":
            continue
        if " " in tally.names.most_common(1)[0][0]:
            continue
        candidates = sorted(full_names[key], key=lambda k: -tallies[k].mentions)
        total = sum(tallies[k].mentions for k in candidates)
        if tallies[candidates[0]].mentions >= _SHORT_FORM_SHARE * total:
            short = tallies.pop(key)
            target = tallies[candidates[0]]
            target.aliases.update(dict.fromkeys(short.names))
            short.names = Counter()  # the full name stays the entity's name
            target.absorb(short)


def _drop_country_prefix(tallies: dict[str, _Tally], gaz: gazetteer.Gazetteer) -> None:
    """Fold "U.S. Pacific Command" into "Pacific Command" when both are listed: the country's
    name before an organisation's is not part of it. ("Chinese Foreign Ministry" stays: a
    nationality word tells which of several foreign ministries.)"""
    for key in list(tallies):
        tally = tallies[key]
        if tally.types.most_common(1)[0][0] != "organisation":
            continue
        name = tally.names.most_common(1)[0][0]
        keys = gazetteer.key_of(name)
        n, entry = gaz.longest(list(keys), 0)
        if (
            entry is None
            or entry.type != "place"
            or entry.name in gaz.nationalities
            or n >= len(keys)
        ):
            continue
        target = tallies.get(_fold("".join(keys[n:])))
        if (
            target is not None
            and target is not tally
            and target.types.most_common(1)[0][0] == "organisation"
        ):
            short = tallies.pop(key)
            target.aliases.update(dict.fromkeys(short.names))
            short.names = Counter()
            target.absorb(short)


def _entity(tally: _Tally) -> Entity:
    name = tally.names.most_common(1)[0][0]
    aliases = tuple(a for a in tally.aliases if a != name)
    return Entity(
        name=name,
        type=tally.types.most_common(1)[0][0],
        aliases=aliases,
        articles=tuple(sorted(tally.articles)),
        mentions=tally.mentions,
    )


def canonical_map(entities: Sequence[Entity]) -> dict[str, str]:
    """Every alias and name of ``entities`` -> the entity's name (names win over aliases)."""
    out: dict[str, str] = {}
    for entity in entities:
        for alias in entity.aliases:
            out.setdefault(alias, entity.name)
    for entity in entities:
        out[entity.name] = entity.name
    return out
