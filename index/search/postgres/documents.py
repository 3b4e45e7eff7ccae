"""An analysed article as the row the PostgreSQL backend stores: one ``tsvector`` literal.

The words are cut, folded and stemmed here, in Python, as the Whoosh index cuts them (the same
token pattern, accent table, CJK bigrams and Porter stems: :func:`analyze_text`), not by
PostgreSQL's ``english`` configuration, for two reasons: both backends then hold the very same
words, so a query finds the same articles on either, and the snippets (cut by
:mod:`index.search.highlight` around the matched words) are the same; and Korean/Chinese bigrams
and accent folding keep working. PostgreSQL only stores and matches the words.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import datetime

from index.search.accents import ACCENTS
from index.search.analyzer import CJK, TOKEN_PATTERN, bigrams, split_cjk
from index.search.fields import document
from index.search.porter import stem
from index.search.postgres.tsquery import WEIGHTS, name_value, quote
from index.store.catalogue import Analysed

TEXT_ORDER = ("title", "outlet", "author", "body")
NAME_FIELDS = ("entity", "person", "organisation", "place", "speaker", "joined")
FIELD_GAP = 50  # positions between two text fields: no phrase (slop <= 5) spans them
MAX_POSITION = 16383  # PostgreSQL's largest word position
MAX_POSITIONS = 255  # positions kept per word (PostgreSQL keeps at most 256)
MAX_LEXEME = 2000  # bytes; PostgreSQL refuses a word of 2 KB or more


_TOKEN = re.compile(TOKEN_PATTERN)


def analyze_text(text: str) -> list[tuple[str, int, int, int]]:
    """(indexed word, position, start, end) of each word of ``text``: lowercased, accents
    folded, CJK runs cut into bigrams, Porter-stemmed, numbered in order (what Whoosh's
    RegexTokenizer | LowercaseFilter | CharsetFilter | CJKBigramFilter | StopFilter |
    StemFilter chain gives, which the tests check)."""
    out: list[tuple[str, int, int, int]] = []
    for m in _TOKEN.finditer(text):
        word = m.group().lower().translate(ACCENTS)
        if not CJK.search(word):
            out.append((stem(word), len(out), m.start(), m.end()))
            continue
        for piece, offset, is_cjk in split_cjk(word):
            grams = [(g, offset + i) for i, g in enumerate(bigrams(piece))] if is_cjk else []
            for gram, at in grams or [(piece, offset)]:
                start = m.start() + at
                out.append((stem(gram), len(out), start, start + len(gram)))
    return out


def names_of(fields: dict[str, object], name: str) -> list[str]:
    """The values of a name field as the index stores them (``joined`` is space-separated,
    the others comma-separated, as the Whoosh schema splits them)."""
    raw = str(fields.get(name) or "")
    parts = raw.split() if name == "joined" else raw.split(",")
    return sorted({name_value(p) for p in parts if p.strip()})


class Row:
    """The stored form of one article: ``id``, ``published`` and the ``doc`` tsvector text,
    with the (field, word) pairs it adds to the vocabulary."""

    __slots__ = ("doc", "id", "published", "words")

    def __init__(self, item: Analysed) -> None:
        fields = document(item)
        self.id = str(fields["id"])
        published = fields.get("published")
        self.published = published if isinstance(published, datetime) else None
        positions: dict[str, list[str]] = defaultdict(list)
        self.words: set[tuple[str, str]] = set()
        offset = 0
        for name in TEXT_ORDER:
            last = 0
            label = WEIGHTS[name]
            for word, pos, _start, _end in analyze_text(str(fields.get(name) or "")):
                if len(word.encode()) >= MAX_LEXEME:
                    continue
                at = min(MAX_POSITION, offset + pos + 1)
                last = max(last, pos + 1)
                kept = positions[word]
                if len(kept) < MAX_POSITIONS:
                    kept.append(f"{at}{label}" if label != "D" else str(at))
                self.words.add((name, word))
            offset += last + FIELD_GAP
        operands = [f"{quote(w)}:{','.join(dict.fromkeys(p))}" for w, p in positions.items()]
        for name in NAME_FIELDS:
            for value in names_of(fields, name):
                lexeme = f"{name}:{value}"
                if len(lexeme.encode()) < MAX_LEXEME:
                    operands.append(quote(lexeme))
                    self.words.add((name, value))
        self.doc = " ".join(operands)


def vocabulary_delta(
    added: list[Row], removed: Counter[tuple[str, str]]
) -> Counter[tuple[str, str]]:
    """How many more (or fewer) articles hold each (field, word) after a batch."""
    delta: Counter[tuple[str, str]] = Counter()
    for row in added:
        delta.update(row.words)
    delta.subtract(removed)
    return Counter({key: n for key, n in delta.items() if n})
